"""Fit how sure an English article must be to answer a library question in another language.

    python -m training.library_threshold [--train PATH] [--translations PATH]

A question in another language than a library's English articles is put to
several of them at once (the words' five best and the two nearest by
meaning), each judged by the crosslingual abstainer, and the nearest of
those that answer wins. An off-topic question then has several chances to
slip through, and the article it meets is, by construction, the one nearest
it: one article alone declines most off-topic questions, a library of 13
few of them. ``retrieval.collection.CROSSLINGUAL_LIBRARY_THRESHOLD`` is the
confidence such an article must reach when more than one English article
was read for the question, fitted here on SQuAD *training* articles and the
questions we translated (training/crosslingual_questions.json); never on
XQuAD, whose library ``python -m benchmarks.library_languages`` measures it
on.

The libraries are built as that benchmark's are: 12 articles of five
paragraphs each (news-sized, where SQuAD's whole articles run to hundreds
of sentences), every one from a different training article, asked the
translated questions of their paragraphs (answerable) and as many of
other libraries' articles (off-topic). The threshold is the quantile of the
winning article's confidence, over answerable questions answered from
their own article, that declines ``ANSWERABLE_DECLINED`` of them.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.squad import Question, SquadArticle, load_squad, meaning_indexed
from retrieval import ArticleIndex, parse_article
from retrieval.collection import (
    CROSSLINGUAL_LIBRARY_THRESHOLD,
    ArticleShelf,
    Shelved,
    answer_across,
)
from retrieval.ranking import rank
from training.multilingual import (
    DEFAULT_TRAIN,
    TRANSLATIONS,
    chosen_articles,
    load_translations,
)

#: Paragraphs per library article, and articles per library (as benchmarks/library_languages).
PARAGRAPHS, LIBRARY = 5, 12
#: Groups of paragraphs taken from each training article (each goes to another library).
GROUPS = 4
#: Share of answerable questions, answered from their own article, the threshold declines.
ANSWERABLE_DECLINED = 0.03
#: Others printed beside it (0: the single-article thresholds alone).
QUANTILES_SHOWN = (0.0, 0.01, 0.02, 0.05)
SEED = 0


@dataclass(frozen=True)
class Asked:
    answerable: bool
    own_article: bool  #: the winner is the question's own article
    across: bool  #: the winner was read across languages
    abstained: bool  #: declined at the single-article thresholds
    confidence: float  #: the winner's confidence


Library = tuple[list[Shelved], list[tuple[Question, int]], list[Question]]


def libraries(
    articles: list[SquadArticle], translations: dict[str, tuple[str, str]]
) -> list[Library]:
    """(shelf, its articles' translated questions, other libraries' questions) for each."""
    groups: dict[tuple[int, int], tuple[ArticleIndex, list[Question]]] = {}
    for a, entry in enumerate(articles):
        for g in range(GROUPS):
            chunk = entry.paragraphs[g * PARAGRAPHS : (g + 1) * PARAGRAPHS]
            if len(chunk) < PARAGRAPHS:
                break
            text = "\n\n".join(text for text, _ in chunk)
            index = meaning_indexed(parse_article(text, name=f"{entry.article.name} {g + 1}"))
            asked = [
                Question(translations[q.text][1], q.answers)
                for _, questions in chunk
                for q in questions
                if q.text in translations
            ]
            groups[(a, g)] = (index, asked)
    built = []
    for g in range(GROUPS):
        members = [a for a in range(len(articles)) if (a, g) in groups]
        for start in range(0, len(members) - LIBRARY + 1, LIBRARY):
            chosen = members[start : start + LIBRARY]
            shelf = [Shelved(key, groups[(a, g)][0]) for key, a in enumerate(chosen, 1)]
            own = [(q, key) for key, a in enumerate(chosen, 1) for q in groups[(a, g)][1]]
            strangers = [q for (a, _), (_, qs) in groups.items() if a not in chosen for q in qs]
            built.append((shelf, own, strangers))
    return built


def ask_all(articles: list[SquadArticle], translations: dict[str, tuple[str, str]]) -> list[Asked]:
    rng = random.Random(SEED)
    asked: list[Asked] = []
    for shelf, own, strangers in libraries(articles, translations):
        answering = ArticleShelf(shelf)
        off = rng.sample(strangers, min(len(own), len(strangers)))
        pairs: list[tuple[Question, int | None]] = [*own, *((q, None) for q in off)]
        for question, key in pairs:
            # Judged at the single-article thresholds; the fitted one is applied below.
            candidates = answering.candidates(question.text)
            found = answer_across(question.text, candidates, across_threshold=0.0)
            if found.best is None or found.answer is None:
                continue
            mode = rank(found.best.index, question.text, embed=False).mode
            asked.append(
                Asked(
                    answerable=key is not None,
                    own_article=found.best.key == key,
                    across=mode == "crosslingual",
                    abstained=found.answer.abstained,
                    confidence=found.answer.confidence,
                )
            )
        print(f"  asked a library of {len(shelf)}", file=sys.stderr, flush=True)
    return asked


def report(asked: list[Asked]) -> float:
    """Declines at each candidate quantile (the shipped one last), and returns its threshold."""
    right = np.array([x.confidence for x in asked if x.answerable and x.own_article and x.across])
    answerable = [x for x in asked if x.answerable]
    off = [x for x in asked if not x.answerable]
    print(f"  {len(answerable)} answerable questions, {len(off)} off-topic")
    for quantile in (*QUANTILES_SHOWN, ANSWERABLE_DECLINED):
        threshold = float(np.quantile(right, quantile)) if quantile else 0.0
        declined = [x.abstained or (x.across and x.confidence < threshold) for x in answerable]
        wrong = [not x.own_article and not d for x, d in zip(answerable, declined, strict=True)]
        declined_off = [x.abstained or (x.across and x.confidence < threshold) for x in off]
        print(
            f"  quantile {quantile:.2f}: threshold {threshold:.3f} | answerable declined"
            f" {np.mean(declined):.3f}, answered from another article {np.mean(wrong):.3f}"
            f" | off-topic declined {np.mean(declined_off):.3f}"
        )
    return threshold


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=Path, default=DEFAULT_TRAIN)
    parser.add_argument("--translations", type=Path, default=TRANSLATIONS)
    parser.add_argument("--articles", type=int, default=36)
    args = parser.parse_args(argv)
    train = load_squad(args.train)
    if train is None:
        return 0
    articles = chosen_articles(train, args.articles)
    asked = ask_all(articles, load_translations(args.translations))
    threshold = report(asked)
    print(
        f"threshold {threshold:.4f} (retrieval/collection.py CROSSLINGUAL_LIBRARY_THRESHOLD"
        f" is {CROSSLINGUAL_LIBRARY_THRESHOLD})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
