"""Fit the ranker and the abstainer on SQuAD, cross-validated by article; ship the weights.

    python -m benchmarks.learn [--squad PATH] [--no-write]

Data: the shared SQuAD half-dev file (12 articles). The ranker learns from
every question asked of its own article, which candidate sentences hold the
gold answer (a listwise logistic model: softmax over the candidates). The
abstainer learns from the same questions (answerable) and from every tenth
question of each other article asked of it (off-topic).

Honesty: figures are leave-one-article-out. For each article, both models are
fitted without it (and without its questions as off-topic examples), its
threshold is set on the fitted data alone, and it is then scored on the
article's questions and on the other articles' questions asked of it. The
shipped models are then fitted on all twelve articles the same way and
written, with these cross-validated figures, to ``retrieval/models/ranker.json``.

Training is numpy only (Adam for the ranker, Newton's method for the
abstainer); nothing here is needed at run time.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.squad import DEFAULT_PATH, SquadArticle, indexed, load_squad, normalise
from retrieval.analysis import analyze
from retrieval.features import Evidence, gather
from retrieval.ranking import (
    ABSTAIN_LEXICAL,
    ABSTAIN_SEMANTIC,
    MODELS_PATH,
    LinearModel,
    Models,
    abstention_features,
)

MODES = ("semantic", "lexical")
#: Share of answerable training questions the threshold may decline.
ABSTAIN_QUANTILE = 0.01
OFF_TOPIC_EVERY = 10
RANKER_L2 = 1e-4
RANKER_STEPS = 1200
ABSTAINER_L2 = 1e-2


@dataclass(frozen=True)
class Asked:
    """One question asked of one article, with the evidence each mode gathered."""

    article: int  #: which article was asked
    source: int  #: which article the question was written for
    rows: dict[str, np.ndarray]  #: mode -> candidate evidence rows
    names: dict[str, tuple[str, ...]]
    labels: dict[str, np.ndarray]  #: mode -> candidates holding a gold answer
    abstain: dict[str, np.ndarray]  #: mode -> question-level evidence

    @property
    def own(self) -> bool:
        return self.article == self.source


def collect(articles: list[SquadArticle]) -> list[Asked]:
    """Evidence for every own question and every sampled off-topic question, both modes."""
    asked: list[Asked] = []
    for a, entry in enumerate(articles):
        index = indexed(entry.article)
        sentences = [normalise(s.text) for s in entry.article.sentences]
        pairs = [(a, q) for q in entry.questions]
        pairs += [
            (b, q)
            for b, other in enumerate(articles)
            if b != a
            for q in other.questions[::OFF_TOPIC_EVERY]
        ]
        for source, question in pairs:
            terms = analyze(question.text)
            found: dict[str, Evidence] = {
                mode: gather(index, question.text, terms, semantic=mode == "semantic")
                for mode in MODES
            }
            asked.append(
                Asked(
                    article=a,
                    source=source,
                    rows={m: e.rows for m, e in found.items()},
                    names={m: e.names for m, e in found.items()},
                    labels={
                        m: np.array(
                            [any(g in sentences[i] for g in question.answers) for i in e.candidates]
                        )
                        for m, e in found.items()
                    },
                    abstain={m: abstention_features(e)[1] for m, e in found.items()},
                )
            )
        print(f"  gathered evidence for {entry.article.name}", file=sys.stderr, flush=True)
    return asked


def fit(asked: list[Asked]) -> Models:
    """Both modes' ranker, abstainer and threshold from these examples."""
    rankers, abstainers, thresholds = {}, {}, {}
    own = [x for x in asked if x.own]
    for mode in MODES:
        names = own[0].names[mode]
        rankers[mode] = fit_ranker(
            [x.rows[mode] for x in own], [x.labels[mode] for x in own], names
        )
        abstain_names = abstention_names(mode)
        rows = np.array([x.abstain[mode] for x in asked])
        answerable = np.array([x.own for x in asked])
        abstainers[mode] = fit_abstainer(rows, answerable, abstain_names)
        probabilities = _sigmoid(abstainers[mode].score(rows[answerable], abstain_names))
        thresholds[mode] = float(np.quantile(probabilities, ABSTAIN_QUANTILE))
    return Models(rankers, abstainers, thresholds)


def abstention_names(mode: str) -> tuple[str, ...]:
    return ABSTAIN_LEXICAL + (ABSTAIN_SEMANTIC if mode == "semantic" else ())


def fit_ranker(
    rows: list[np.ndarray], labels: list[np.ndarray], names: tuple[str, ...]
) -> LinearModel:
    """Listwise logistic regression: maximise the softmax probability of the gold candidates."""
    kept = [(r, y) for r, y in zip(rows, labels, strict=True) if y.any()]
    width = max(len(y) for _, y in kept)
    x = np.zeros((len(kept), width, len(names)))
    gold = np.zeros((len(kept), width))
    mask = np.zeros((len(kept), width), bool)
    for q, (r, y) in enumerate(kept):
        x[q, : len(y)], gold[q, : len(y)], mask[q, : len(y)] = r, y, True
    flat = x[mask]
    mean, scale = flat.mean(axis=0), flat.std(axis=0) + 1e-6
    z = np.where(mask[..., None], (x - mean) / scale, 0.0)
    w = np.zeros(len(names))
    moment, second = np.zeros_like(w), np.zeros_like(w)
    for step in range(1, RANKER_STEPS + 1):
        s = np.where(mask, z @ w, -np.inf)
        p = np.exp(s - s.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        target = p * gold
        target /= target.sum(axis=1, keepdims=True)
        grad = np.einsum("qk,qkf->f", p - target, z) / len(z) + RANKER_L2 * w
        moment = 0.9 * moment + 0.1 * grad
        second = 0.999 * second + 0.001 * grad**2
        w -= 0.05 * (moment / (1 - 0.9**step)) / (np.sqrt(second / (1 - 0.999**step)) + 1e-8)
    return LinearModel(names, w / scale, float(-(mean / scale) @ w))


def fit_abstainer(rows: np.ndarray, answerable: np.ndarray, names: tuple[str, ...]) -> LinearModel:
    """Logistic regression by Newton's method, classes weighted equally."""
    mean, scale = rows.mean(axis=0), rows.std(axis=0) + 1e-6
    z = np.hstack([(rows - mean) / scale, np.ones((len(rows), 1))])
    y = answerable.astype(float)
    weight = np.where(answerable, 0.5 / answerable.mean(), 0.5 / (1 - answerable.mean()))
    w = np.zeros(z.shape[1])
    penalty = ABSTAINER_L2 * len(z) * np.diag([1.0] * len(names) + [0.0])
    for _ in range(50):
        p = _sigmoid(z @ w)
        grad = z.T @ (weight * (p - y)) + penalty @ w
        hessian = (z * (weight * p * (1 - p))[:, None]).T @ z + penalty
        step = np.linalg.solve(hessian, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    coefficients = w[:-1] / scale
    return LinearModel(names, coefficients, float(w[-1] - (mean / scale) @ w[:-1]))


@dataclass(frozen=True)
class Fold:
    article: int
    models: Models


def cross_validate(asked: list[Asked], articles: int) -> list[Fold]:
    """One fit per held-out article, without its questions anywhere in the training data."""
    folds = []
    for held in range(articles):
        training = [x for x in asked if held not in (x.article, x.source)]
        folds.append(Fold(held, fit(training)))
        print(f"  fold {held + 1}/{articles} fitted", file=sys.stderr, flush=True)
    return folds


def report(asked: list[Asked], folds: list[Fold]) -> dict[str, dict[str, float]]:
    """Cross-validated figures per mode: ranking top-1/top-3 and the abstention trade-off."""
    figures: dict[str, dict[str, float]] = {}
    for mode in MODES:
        top1, top3, own_p, off_p, own_t, off_t = [], [], [], [], [], []
        for fold in folds:
            models = fold.models
            names = abstention_names(mode)
            for x in (x for x in asked if x.article == fold.article):
                p = float(_sigmoid(models.abstainers[mode].score(x.abstain[mode][None], names))[0])
                (own_p if x.own else off_p).append(p)
                (own_t if x.own else off_t).append(models.thresholds[mode])
                if x.own:
                    scores = models.rankers[mode].score(x.rows[mode], x.names[mode])
                    order = np.argsort(-scores, kind="stable")
                    top1.append(bool(x.labels[mode][order[0]]))
                    top3.append(bool(x.labels[mode][order[:3]].any()))
        own_a, off_a = np.array(own_p), np.array(off_p)
        figures[mode] = {
            "ranking_top1": float(np.mean(top1)),
            "ranking_top3": float(np.mean(top3)),
            "answerable_abstained": float(np.mean(own_a < np.array(own_t))),
            "off_topic_declined": float(np.mean(off_a < np.array(off_t))),
            "answerable": len(own_a),
            "off_topic": len(off_a),
        }
        print(
            f"  {mode:<8} ranking top-1 {figures[mode]['ranking_top1']:.4f}  "
            f"top-3 {figures[mode]['ranking_top3']:.4f}  |  abstention: answerable "
            f"{figures[mode]['answerable_abstained']:.3f} (n={len(own_a)}), off-topic declined "
            f"{figures[mode]['off_topic_declined']:.3f} (n={len(off_a)})"
        )
        for quantile in (0.005, 0.01, 0.02, 0.03, 0.05):
            cut = np.quantile(own_a, quantile)
            print(
                f"           at the {quantile:.1%} quantile of held-out answerable: "
                f"off-topic declined {np.mean(off_a < cut):.3f}"
            )
    return figures


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--squad", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--no-write", action="store_true", help="report only")
    args = parser.parse_args(argv)
    articles = load_squad(args.squad)
    if articles is None:
        return 0
    asked = collect(articles)
    print(f"SQuAD: {len(articles)} articles, leave-one-article-out cross-validation")
    figures = report(asked, cross_validate(asked, len(articles)))
    if args.no_write:
        return 0
    shipped = fit(asked)
    document = {
        "about": "Weights of the learned ranker and abstainer (retrieval/ranking.py), fitted by "
        "`python -m benchmarks.learn` on the SQuAD v1.1 half-dev file; figures are "
        "leave-one-article-out cross-validated.",
        "trained_on": hashlib.sha256(args.squad.read_bytes()).hexdigest(),
        "cross_validated": figures,
        "models": shipped.to_json(),
    }
    MODELS_PATH.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {MODELS_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
