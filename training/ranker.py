"""Fit the ranker and the abstainer on SQuAD, cross-validated by article; ship the weights.

    python -m training.ranker [--squad PATH] [--no-write]

Data: the shared SQuAD half-dev file (12 articles), asked two ways. Whole:
each article is asked its own questions and every tenth question of each
other article (off-topic). Short: each of its 492 paragraphs stands alone as
a short article (3 to 12 sentences, like a news story) and is asked its own
questions, three questions of other paragraphs of the same article and two
of other articles (off-topic). The ranker learns from every answerable
question which candidate sentences hold the gold answer (a listwise logistic
model: softmax over the candidates); long and short articles each get an
abstainer, fitted on their own kind of example.

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

from benchmarks.squad import (
    CACHE,
    DEFAULT_PATH,
    Question,
    SquadArticle,
    indexed,
    load_squad,
    normalise,
)
from retrieval import ArticleIndex, parse_article
from retrieval.analysis import analyze
from retrieval.features import Evidence, gather
from retrieval.ranking import (
    MODELS_PATH,
    LinearModel,
    Models,
    abstention_features,
    abstention_names,
    regime,
    sigmoid,
)
from retrieval.vectors import model_id

MODES = ("semantic", "lexical")
#: Share of answerable training questions the threshold may decline, in long and short articles.
ABSTAIN_QUANTILE = {False: 0.006, True: 0.02}
OFF_TOPIC_EVERY = 10
#: Paragraphs (by offset) whose questions each paragraph is asked as off-topic.
SHORT_NEIGHBOURS = (-1, 1, 5)
#: Other articles (by offset) whose questions each paragraph is asked as off-topic.
SHORT_STRANGERS = (1, 5)
RANKER_L2 = 1e-4
RANKER_STEPS = 1200
ABSTAINER_L2 = 1e-2


@dataclass(frozen=True)
class Asked:
    """One question asked of one article (or one paragraph), with the evidence each mode gathered."""

    article: int  #: which SQuAD article was asked (or held the paragraph asked)
    source: int  #: which SQuAD article the question was written for
    answerable: bool  #: the text asked holds the question's answer
    short: bool  #: asked of one paragraph standing alone as a short article
    rows: dict[str, np.ndarray]  #: mode -> candidate evidence rows
    names: dict[str, tuple[str, ...]]
    labels: dict[str, np.ndarray]  #: mode -> candidates holding a gold answer
    abstain: dict[str, np.ndarray]  #: mode -> question-level evidence


def collect(articles: list[SquadArticle]) -> list[Asked]:
    """Evidence from whole articles and from their paragraphs asked as short articles."""
    return collect_articles(articles) + collect_paragraphs(articles)


def collect_articles(articles: list[SquadArticle]) -> list[Asked]:
    """Each article asked its own questions and every tenth question of each other article."""
    asked: list[Asked] = []
    for a, entry in enumerate(articles):
        index = indexed(entry.article)
        pairs = [(a, q) for q in entry.questions]
        pairs += [
            (b, q)
            for b, other in enumerate(articles)
            if b != a
            for q in other.questions[::OFF_TOPIC_EVERY]
        ]
        asked += [_ask(index, a, source, q, source == a, short=False) for source, q in pairs]
        print(f"  gathered evidence for {entry.article.name}", file=sys.stderr, flush=True)
    return asked


def collect_paragraphs(articles: list[SquadArticle]) -> list[Asked]:
    """Each paragraph asked as a short article: its own questions, and questions it does not answer.

    Whole Wikipedia articles teach the models little about a five-sentence news
    story, where every sentence is on topic and a wrong question shares the
    story's words. A SQuAD paragraph (3 to 12 sentences, like a short story)
    asked its neighbours' questions is that case: same subject, answer
    elsewhere. Two questions from other articles keep the easy case in view.
    """
    asked: list[Asked] = []
    for a, entry in enumerate(articles):
        count = len(entry.paragraphs)
        for k, (text, questions) in enumerate(entry.paragraphs):
            article = parse_article(text, name=f"{entry.article.name} paragraph {k + 1}")
            index = indexed(article)
            held = normalise(text)
            pairs = [(a, q, True) for q in questions]
            for offset in SHORT_NEIGHBOURS:
                others = entry.paragraphs[(k + offset) % count][1]
                if others:
                    pairs.append((a, others[k % len(others)], False))
            for offset in SHORT_STRANGERS:
                b = (a + offset + k) % len(articles)
                b = b if b != a else (b + 1) % len(articles)
                pairs.append((b, articles[b].questions[k % len(articles[b].questions)], False))
            asked += [
                _ask(index, a, source, q, answerable, short=True)
                for source, q, answerable in pairs
                if answerable or not any(g in held for g in q.answers)
            ]
        print(f"  gathered evidence for {entry.article.name}'s paragraphs", file=sys.stderr)
    return asked


def _ask(
    index: ArticleIndex,
    article: int,
    source: int,
    question: Question,
    answerable: bool,
    *,
    short: bool,
) -> Asked:
    sentences = [normalise(s.text) for s in index.article.sentences]
    terms = analyze(question.text)
    found: dict[str, Evidence] = {
        mode: gather(index, question.text, terms, semantic=mode == "semantic") for mode in MODES
    }
    return Asked(
        article=article,
        source=source,
        answerable=answerable,
        short=short,
        rows={m: e.rows for m, e in found.items()},
        names={m: e.names for m, e in found.items()},
        labels={
            m: np.array([any(g in sentences[i] for g in question.answers) for i in e.candidates])
            for m, e in found.items()
        },
        abstain={m: abstention_features(e)[1] for m, e in found.items()},
    )


def fit(asked: list[Asked]) -> Models:
    """Both modes' ranker, and their abstainers and thresholds for long and short articles.

    The ranker learns from every answerable question, whole articles and
    paragraphs alike; each abstainer learns from its own kind of text.
    """
    rankers, abstainers, thresholds = {}, {}, {}
    own = [x for x in asked if x.answerable]
    for mode in MODES:
        names = own[0].names[mode]
        rankers[mode] = fit_ranker(
            [x.rows[mode] for x in own], [x.labels[mode] for x in own], names
        )
        abstain_names = abstention_names(mode)
        for short in (False, True):
            pool = [x for x in asked if x.short == short]
            rows = np.array([x.abstain[mode] for x in pool])
            answerable = np.array([x.answerable for x in pool])
            key = regime(mode, short=short)
            abstainers[key] = fit_abstainer(rows, answerable, abstain_names)
            probabilities = sigmoid(abstainers[key].score(rows[answerable], abstain_names))
            thresholds[key] = float(np.quantile(probabilities, ABSTAIN_QUANTILE[short]))
    return Models(rankers, abstainers, thresholds)


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
        p = sigmoid(z @ w)
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


def fitted_folds(articles: list[SquadArticle], squad: Path) -> list[Fold]:
    """The cross-validation folds, from disk when this code has fitted them on this file before.

    ``squad_quality`` and ``library_quality`` answer through the same folds as
    ``learn``; gathering their evidence takes most of ten minutes, so the folds
    are kept in ``benchmarks/.cache``, keyed by the SQuAD file, the vectors'
    model id and the source of everything that computes evidence or fits it.
    """
    path = _folds_path(squad)
    if path.is_file():
        stored = json.loads(path.read_text(encoding="utf-8"))
        return [Fold(f["article"], Models.from_json(f["models"])) for f in stored]
    return save_folds(cross_validate(collect(articles), len(articles)), squad)


def save_folds(folds: list[Fold], squad: Path) -> list[Fold]:
    path = _folds_path(squad)
    path.parent.mkdir(exist_ok=True)
    document = [{"article": f.article, "models": f.models.to_json()} for f in folds]
    path.write_text(json.dumps(document), encoding="utf-8")
    return folds


#: Modules that act only after the first pass (the reader, composing and rendering answers):
#: a change to them does not change the folds, which are 20 minutes to recompute.
AFTER_FIRST_PASS = frozenset(
    {
        "answers.py",
        "briefing.py",
        "citations.py",
        "cli.py",
        "collection.py",
        "context.py",
        "highlight.py",
        "reader.py",
        "reader_fusion.py",
        "render.py",
    }
)


def _folds_path(squad: Path) -> Path:
    digest = hashlib.sha256(squad.read_bytes())
    digest.update(model_id().encode())
    here = Path(__file__).resolve().parent
    first_pass = [
        p for p in (here.parent / "retrieval").glob("*.py") if p.name not in AFTER_FIRST_PASS
    ]
    for source in sorted([*first_pass, Path(__file__), here.parent / "benchmarks" / "squad.py"]):
        digest.update(source.read_bytes())
    return CACHE / f"folds-{digest.hexdigest()[:24]}.json"


def report(asked: list[Asked], folds: list[Fold]) -> dict[str, dict[str, float]]:
    """Cross-validated figures per mode, for whole articles and for paragraphs asked alone."""
    figures: dict[str, dict[str, float]] = {}
    for mode in MODES:
        for short in (False, True):
            label = f"{mode}, paragraphs" if short else mode
            figures[label] = _figures(asked, folds, mode, short=short)
            f = figures[label]
            print(
                f"  {label:<20} ranking top-1 {f['ranking_top1']:.4f}  top-3 {f['ranking_top3']:.4f}"
                f"  |  answerable abstained {f['answerable_abstained']:.3f} (n={f['answerable']}),"
                f" off-topic declined {f['off_topic_declined']:.3f} (n={f['off_topic']})"
            )
    return figures


def _figures(asked: list[Asked], folds: list[Fold], mode: str, *, short: bool) -> dict[str, float]:
    top1: list[bool] = []
    top3: list[bool] = []
    own_p: list[float] = []
    off_p: list[float] = []
    own_t: list[float] = []
    off_t: list[float] = []
    names = abstention_names(mode)
    for fold in folds:
        models = fold.models
        for x in (x for x in asked if x.article == fold.article and x.short == short):
            key = regime(mode, short=short)
            p = float(sigmoid(models.abstainers[key].score(x.abstain[mode][None], names))[0])
            (own_p if x.answerable else off_p).append(p)
            (own_t if x.answerable else off_t).append(models.thresholds[key])
            if x.answerable:
                scores = models.rankers[mode].score(x.rows[mode], x.names[mode])
                order = np.argsort(-scores, kind="stable")
                top1.append(bool(x.labels[mode][order[0]]))
                top3.append(bool(x.labels[mode][order[:3]].any()))
    own_a, off_a = np.array(own_p), np.array(off_p)
    return {
        "ranking_top1": float(np.mean(top1)),
        "ranking_top3": float(np.mean(top3)),
        "answerable_abstained": float(np.mean(own_a < np.array(own_t))),
        "off_topic_declined": float(np.mean(off_a < np.array(off_t))),
        "answerable": len(own_a),
        "off_topic": len(off_a),
    }


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
    figures = report(asked, save_folds(cross_validate(asked, len(articles)), args.squad))
    if args.no_write:
        return 0
    shipped = fit(asked)
    document = {
        "about": "Weights of the learned ranker and abstainer (retrieval/ranking.py), fitted by "
        "`python -m training.ranker` on the SQuAD v1.1 half-dev file; figures are "
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
