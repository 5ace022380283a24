"""Fit the multilingual modes' rankers and abstainers on SQuAD *training* articles.

    python -m training.multilingual [--train PATH] [--articles 36]
        [--mode both|multilingual|crosslingual] [--no-write]

Articles in other languages, and questions in another language than their
article, are read with the multilingual model (retrieval/multilingual.py)
instead of the English one, the reader and the late interaction, all three
English-only (retrieval/ranking.py, ``_mode``). Their evidence is words
(BM25 in the article's language, coverage, position, cues) and the
multilingual model's similarities; two modes weigh it:

* **multilingual** (question and article in one language): every column,
  fitted on English questions about English training articles (the model's
  space is shared across languages, and English is the data there is);
* **crosslingual**: meaning, position and the question-type cues only (shared
  words say nothing across languages), fitted on questions in another
  language than the article: 432 of those articles' questions that we
  translated into ten languages (``crosslingual_questions.json``, one language
  per question in turn), asked of their own English article and paragraph,
  and of another article, a neighbouring paragraph and a stranger's. How
  alike a question and its answer read depends on the pair of languages,
  which English questions could not show; translated ones do.

Never on the dev half, nor on XQuAD, whose articles are the dev half's,
translated: XQuAD is what ``python -m benchmarks.xquad_quality`` measures
them on. Examples as in training/ranker.py: whole articles asked their own
questions and others' (off-topic), and paragraphs asked alone as short
articles with their neighbours' and strangers' questions. The figures
printed are on held-out training articles (the last fifth); the shipped
weights are then fitted on all. ``--mode`` refits one mode and keeps the
other's shipped weights (the multilingual mode's were fitted with
``--articles 24``; the crosslingual mode's with 36, which the translations
were drawn from).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.squad import Question, SquadArticle, load_squad, meaning_indexed, normalise
from retrieval import ArticleIndex, parse_article
from retrieval.analysis import analyze
from retrieval.features import Evidence, gather
from retrieval.linear_models import regime, sigmoid
from retrieval.multilingual import MODEL_SHA256, meaning_model
from retrieval.ranking import (
    CROSSLINGUAL_FEATURES,
    ENGLISH_COHESION,
    MULTILINGUAL_PATH,
    Models,
    abstention_features,
    abstention_names,
    shipped_models,
)
from training.ranker import SHORT_NEIGHBOURS, SHORT_STRANGERS, fit_abstainer, fit_ranker

DEFAULT_TRAIN = Path(__file__).resolve().parents[2] / "shared" / "bench" / "squad-v1.1-train.json"
#: Our translations of 432 of those articles' questions into ten languages (the
#: crosslingual mode's training data; never XQuAD's).
TRANSLATIONS = Path(__file__).resolve().parent / "crosslingual_questions.json"
MODES = ("multilingual", "crosslingual")
#: Share of answerable training questions each threshold may decline (whole articles,
#: short ones). Across languages, cross-validated over the translated questions' articles
#: (six folds): at 2 % the abstainer declines 2.5 % of answerable questions and 71 % of
#: off-topic ones to whole articles (2.1 % and 57 % to paragraphs); at 3 %, 3.2 % and
#: 74 % (62 %); at 5 %, 5.1 % and 80 % (69 %).
ABSTAIN_QUANTILE = {
    "multilingual": {False: 0.01, True: 0.02},
    "crosslingual": {False: 0.02, True: 0.02},
}
#: Off-topic questions from other articles asked of each whole article.
OFF_TOPIC = 40
#: Every how many paragraphs one is asked alone as a short article.
PARAGRAPH_EVERY = 3
SEED = 0


@dataclass(frozen=True)
class Asked:
    article: int
    answerable: bool
    short: bool
    evidence: Evidence
    labels: np.ndarray  #: candidates holding a gold answer
    #: A translated question asked of the English article: the crosslingual mode's example.
    across: bool = False

    @property
    def rows(self) -> np.ndarray:
        return self.evidence.rows

    @property
    def names(self) -> tuple[str, ...]:
        return self.evidence.names

    def abstain(self, mode: str) -> np.ndarray:
        """The question-level evidence ``mode``'s abstainer weighs."""
        return abstention_features(self.evidence, mode)[1]


def chosen_articles(train: list[SquadArticle], count: int) -> list[SquadArticle]:
    """``count`` articles spread evenly over the file (it is ordered by topic)."""
    step = max(1, len(train) // count)
    return train[::step][:count]


def collect(articles: list[SquadArticle]) -> list[Asked]:
    texts = sorted({q.text for a in articles for q in a.questions})
    print(f"  reading {len(texts)} questions", file=sys.stderr, flush=True)
    vectors = dict(zip(texts, _questions(texts), strict=True))
    rng = random.Random(SEED)
    asked: list[Asked] = []
    for a, entry in enumerate(articles):
        index = meaning_indexed(entry.article)
        others = [q for b, o in enumerate(articles) if b != a for q in o.questions]
        pairs = [(q, True) for q in entry.questions] + [
            (q, False) for q in rng.sample(others, min(OFF_TOPIC, len(others)))
        ]
        asked += [_ask(index, a, q, answerable, False, vectors) for q, answerable in pairs]
        count = len(entry.paragraphs)
        for k, (text, questions) in enumerate(entry.paragraphs):
            if k % PARAGRAPH_EVERY or not questions:
                continue
            short = meaning_indexed(parse_article(text, name=f"{entry.article.name} {k + 1}"))
            held = normalise(text)
            pairs = [(q, True) for q in questions]
            for offset in SHORT_NEIGHBOURS:
                neighbour = entry.paragraphs[(k + offset) % count][1]
                if neighbour:
                    pairs.append((neighbour[k % len(neighbour)], False))
            for offset in SHORT_STRANGERS:
                b = (a + offset + k) % len(articles)
                b = b if b != a else (b + 1) % len(articles)
                pairs.append((articles[b].questions[k % len(articles[b].questions)], False))
            asked += [
                _ask(short, a, q, answerable, True, vectors)
                for q, answerable in pairs
                if answerable or not any(g in held for g in q.answers)
            ]
        print(f"  gathered evidence for {entry.article.name}", file=sys.stderr, flush=True)
    return asked


def held_out_articles(count: int) -> set[int]:
    """The articles the printed figures are measured on: the last fifth."""
    return set(range(count - count // 5, count))


def load_translations(path: Path) -> dict[str, tuple[str, str]]:
    """English training question -> (language, our translation of it)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    return {english: (t["language"], t["text"]) for english, t in document["questions"].items()}


def collect_across(
    articles: list[SquadArticle], translations: dict[str, tuple[str, str]]
) -> list[Asked]:
    """The crosslingual mode's examples: each translated question asked of its own English
    article and of its own paragraph alone (answerable), and of another article, a
    neighbouring paragraph and a stranger's paragraph (not). Off-topic articles come from
    the same side of the held-out split, so held-out figures see no training article."""
    texts = sorted(
        {translations[q.text][1] for a in articles for q in a.questions if q.text in translations}
    )
    print(f"  reading {len(texts)} translated questions", file=sys.stderr, flush=True)
    vectors = dict(zip(texts, _questions(texts), strict=True))
    held_out = held_out_articles(len(articles))
    rng = random.Random(SEED)
    wholes = [meaning_indexed(entry.article) for entry in articles]
    paragraphs: dict[tuple[int, int], ArticleIndex] = {}

    def paragraph(b: int, k: int) -> ArticleIndex:
        """Paragraph ``k`` of article ``b`` alone, indexed once however often it is asked."""
        if (b, k) not in paragraphs:
            text = articles[b].paragraphs[k][0]
            paragraphs[(b, k)] = meaning_indexed(
                parse_article(text, name=f"{articles[b].article.name} {k + 1}")
            )
        return paragraphs[(b, k)]

    asked: list[Asked] = []
    for a, entry in enumerate(articles):
        side = [b for b in range(len(articles)) if b != a and (b in held_out) == (a in held_out)]
        count = len(entry.paragraphs)
        for k, (_, questions) in enumerate(entry.paragraphs):
            for q in questions:
                if q.text not in translations:
                    continue
                asked_in = Question(translations[q.text][1], q.answers)
                b = rng.choice(side)
                j = rng.randrange(len(articles[b].paragraphs))
                examples = [  # (index, answerable, short, a neighbour that must lack the answer)
                    (wholes[a], True, False, None),
                    (wholes[b], False, False, None),
                    (paragraph(a, k), True, True, None),
                    (paragraph(a, (k + 1) % count), False, True, (k + 1) % count),
                    (paragraph(b, j), False, True, None),
                ]
                for index, answerable, short, neighbour in examples:
                    if neighbour is not None:
                        held = normalise(entry.paragraphs[neighbour][0])
                        if any(g in held for g in q.answers):
                            continue  # the neighbour holds the answer after all
                    example = _ask(index, a, asked_in, answerable, short, vectors)
                    asked.append(replace(example, across=True))
        print(f"  asked across for {entry.article.name}", file=sys.stderr, flush=True)
    return asked


def _questions(texts: list[str]) -> list[np.ndarray]:
    model = meaning_model()
    return [model.question(t) for t in texts]


def _ask(
    index: ArticleIndex,
    article: int,
    question: Question,
    answerable: bool,
    short: bool,
    vectors: dict[str, np.ndarray],
) -> Asked:
    sentences = [normalise(s.text) for s in index.article.sentences]
    terms = analyze(question.text, index.article.language)
    evidence = gather(
        index,
        question.text,
        terms,
        semantic=True,
        meaning=index.meaning(),
        meaning_query=vectors[question.text],
    )
    labels = np.array(
        [any(g in sentences[i] for g in question.answers) for i in evidence.candidates]
    )
    return Asked(
        article=article,
        answerable=answerable,
        short=short,
        evidence=evidence,
        labels=labels,
    )


def fit(asked: list[Asked], modes: tuple[str, ...] = MODES, keep: Models | None = None) -> Models:
    """Both rankers learn from English questions (refitting the crosslingual one on the
    translated questions changed its cross-validated top-1 by nothing to speak of: 0.608
    to 0.605 on whole articles, 0.766 to 0.761 on paragraphs); without any in ``asked``
    (``--mode crosslingual``), ``keep``'s ranker stays. The multilingual abstainer learns
    from English questions, the crosslingual one from the translated questions."""
    rankers, abstainers, thresholds = {}, {}, {}
    names = asked[0].names
    own = [x for x in asked if x.answerable and not x.across]
    for mode in modes:
        kept = names if mode == "multilingual" else CROSSLINGUAL_FEATURES
        columns = [names.index(f) for f in kept]
        if own or keep is None:
            rankers[mode] = fit_ranker(
                [x.rows[:, columns] for x in own], [x.labels for x in own], kept
            )
        else:
            rankers[mode] = keep.rankers[mode]
        abstain_names = abstention_names(mode)
        for short in (False, True):
            pool = [x for x in _examples(asked, mode) if x.short == short]
            rows = np.array([x.abstain(mode) for x in pool])
            answerable = np.array([x.answerable for x in pool])
            key = regime(mode, short=short)
            abstainers[key] = fit_abstainer(rows, answerable, abstain_names)
            p = sigmoid(abstainers[key].score(rows[answerable], abstain_names))
            thresholds[key] = float(np.quantile(p, ABSTAIN_QUANTILE[mode][short]))
    return Models(rankers, abstainers, thresholds)


def _examples(asked: list[Asked], mode: str) -> list[Asked]:
    """The crosslingual abstainer learns from translated questions asked of English
    articles; the multilingual one from English questions."""
    return [x for x in asked if x.across == (mode == "crosslingual")]


def english_cohesion(asked: list[Asked]) -> tuple[float, float]:
    """``ranking.ENGLISH_COHESION``: how alike the training articles' (and paragraphs')
    sentences read to each other, as base + per_root / sqrt(sentences), by least squares."""
    seen = {
        (x.article, x.short, len(x.evidence.first_pass), x.evidence.meaning_cohesion)
        for x in asked
        if len(x.evidence.first_pass) > 1 and not x.across
    }
    sentences = np.array([n for _, _, n, _ in seen], dtype=float)
    cohesion = np.array([c for _, _, _, c in seen])
    design = np.column_stack([np.ones(len(seen)), 1 / np.sqrt(sentences)])
    base, per_root = np.linalg.lstsq(design, cohesion, rcond=None)[0]
    return float(base), float(per_root)


def report(
    asked: list[Asked], models: Models, modes: tuple[str, ...] = MODES
) -> dict[str, dict[str, float]]:
    """Figures on the examples given (held-out ones, when ``models`` was fitted without)."""
    figures: dict[str, dict[str, float]] = {}
    for mode in modes:
        names = abstention_names(mode)
        for short in (False, True):
            pool = [x for x in _examples(asked, mode) if x.short == short]
            key = regime(mode, short=short)
            top1 = [
                bool(x.labels[int(np.argmax(models.rankers[mode].score(x.rows, x.names)))])
                for x in pool
                if x.answerable and x.labels.any()
            ]
            p = np.array(
                [
                    sigmoid(models.abstainers[key].score(x.abstain(mode)[None], names))[0]
                    for x in pool
                ]
            )
            answerable = np.array([x.answerable for x in pool])
            declined = p < models.thresholds[key]
            label = f"{mode}, paragraphs" if short else mode
            figures[label] = {
                "ranking_top1": float(np.mean(top1)),
                "answerable_abstained": float(declined[answerable].mean()),
                "off_topic_declined": float(declined[~answerable].mean()),
            }
            f = figures[label]
            print(
                f"  {label:<26} top-1 {f['ranking_top1']:.3f} | answerable abstained"
                f" {f['answerable_abstained']:.3f} | off-topic declined"
                f" {f['off_topic_declined']:.3f}",
                flush=True,
            )
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, default=DEFAULT_TRAIN)
    parser.add_argument("--translations", type=Path, default=TRANSLATIONS)
    parser.add_argument("--articles", type=int, default=36)
    parser.add_argument(
        "--mode",
        choices=("both", *MODES),
        default="both",
        help="refit one mode; the other keeps the weights shipped",
    )
    parser.add_argument("--no-write", action="store_true", help="report only")
    args = parser.parse_args(argv)
    train = load_squad(args.train)
    if train is None:
        return 0
    modes = MODES if args.mode == "both" else (args.mode,)
    articles = chosen_articles(train, args.articles)
    asked = collect(articles) if "multilingual" in modes else []
    if "crosslingual" in modes:
        asked += collect_across(articles, load_translations(args.translations))
    held_out = held_out_articles(len(articles))
    print(
        f"SQuAD train: {len(articles)} articles; fitted on {len(articles) - len(held_out)},"
        f" figures on the other {len(held_out)}"
    )
    figures = report(
        [x for x in asked if x.article in held_out],
        fit([x for x in asked if x.article not in held_out], modes, shipped_models()),
        modes,
    )
    if "multilingual" in modes:
        base, per_root = english_cohesion(asked)
        print(
            f"English cohesion: {base:.4f} + {per_root:.3f} / sqrt(sentences)"
            f" (retrieval/ranking.py ENGLISH_COHESION is {ENGLISH_COHESION})"
        )
    if args.no_write:
        return 0
    document = _shipped_document()
    fitted = fit(asked, modes, shipped_models()).to_json()
    for mode in modes:
        document["models"][mode] = fitted[mode]
        before = document["fitted"].get(mode, {})
        english = any(not x.across for x in asked)
        document["fitted"][mode] = {
            "articles": [a.article.name for a in articles],
            # The rankers learn from English questions: without them the shipped one stays.
            "ranker_articles": (
                [a.article.name for a in articles]
                if english
                else before.get("ranker_articles", before.get("articles", []))
            ),
            "translations_sha256": (
                hashlib.sha256(args.translations.read_bytes()).hexdigest()
                if mode == "crosslingual"
                else None
            ),
        }
    document["held_out"] |= figures
    document["trained_on"] = hashlib.sha256(args.train.read_bytes()).hexdigest()
    document["meaning_model_sha256"] = MODEL_SHA256
    MULTILINGUAL_PATH.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {MULTILINGUAL_PATH}")
    return 0


def _shipped_document() -> dict[str, Any]:
    """The shipped weights' file, to refit one mode in (a fresh one when there is none)."""
    document: dict[str, Any] = {
        "about": "Weights of the multilingual modes' ranker and abstainer (retrieval/ranking.py),"
        " fitted by `python -m training.multilingual` on SQuAD v1.1 training articles (and,"
        " for the crosslingual mode, our translations of some of their questions, in"
        " training/crosslingual_questions.json); figures are on held-out training articles.",
        "models": {},
        "fitted": {},
        "held_out": {},
    }
    if MULTILINGUAL_PATH.is_file():
        shipped = json.loads(MULTILINGUAL_PATH.read_text(encoding="utf-8"))
        document |= {k: v for k, v in shipped.items() if k != "about"}
        if "fitted" not in shipped:  # written before modes could be refitted alone
            articles = document.pop("articles", [])
            document["fitted"] = {
                mode: {
                    "articles": articles,
                    "ranker_articles": articles,
                    "translations_sha256": None,
                }
                for mode in MODES
            }
    return document


if __name__ == "__main__":
    sys.exit(main())
