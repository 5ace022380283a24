"""Answer quality on the shared SQuAD half-dev set, scored as ../shared/README.md says.

    python -m benchmarks.squad_quality [--squad PATH]

Prints, in one run:

* top-1/top-3 for plain ``BM25Okapi`` on whitespace tokens and on our
  analyser (the baselines), over the same sentences;
* the product's ``answer()`` (an abstention counts as a miss), with and
  without vectors, **cross-validated**: each article is answered by models
  fitted without it (training/ranker.py), so no figure is in-sample;
* abstention: answerable questions declined, and off-topic questions (every
  tenth question of each other article asked of it) declined;
* the same with the first pass alone (no reader) and without vectors;
* how often the reader's answer phrase matches a gold answer, per kind of
  question, which decides the kinds that are bolded (``models/reader.json``).

The reader and its fusion were fitted on SQuAD *train* (``python -m
training``); only the first pass's weights need the folds.

Takes about ten minutes: gathering the evidence and fitting twelve folds
dominates (article vectors are cached in benchmarks/.cache between runs).
"""

from __future__ import annotations

import argparse
import re
import string
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np
from rank_bm25 import BM25Okapi

from benchmarks.squad import DEFAULT_PATH, SquadArticle, hits, indexed, load_squad, normalise
from retrieval import ArticleIndex, answer
from retrieval.analysis import analyze
from retrieval.answer_types import AnswerType, answer_type
from retrieval.answers import NEAR_MISS_BELOW, answer_phrase, compose, ranked_for
from retrieval.ranking import Models
from retrieval.reader_fusion import shipped_reader_models
from training import ranker as learn

Ranker = Callable[[str], list[int]]  # question -> sentence positions, best first


def whitespace_baseline(entry: SquadArticle) -> Ranker:
    bm25 = BM25Okapi([s.text.lower().split() for s in entry.article.sentences])
    return lambda q: list(np.argsort(-bm25.get_scores(q.lower().split()), kind="stable")[:3])


def stemmed_baseline(entry: SquadArticle) -> Ranker:
    bm25 = BM25Okapi([analyze(s.text) for s in entry.article.sentences])
    return lambda q: list(np.argsort(-bm25.get_scores(analyze(q)), kind="stable")[:3])


def score(
    articles: list[SquadArticle], make: Callable[[SquadArticle], Ranker]
) -> tuple[float, float]:
    top1 = top3 = total = 0
    for entry in articles:
        rank = make(entry)
        sentences = [normalise(s.text) for s in entry.article.sentences]
        for question in entry.questions:
            found = hits(question, [sentences[i] for i in rank(question.text)[:3]])
            top1 += bool(found and found[0])
            top3 += any(found)
            total += 1
    return top1 / total, top3 / total


def squad_normal(text: str) -> str:
    """SQuAD's answer normalisation: lower case, no punctuation, articles or extra spaces."""
    text = "".join(ch for ch in text.lower() if ch not in set(string.punctuation))
    return " ".join(re.sub(r"\b(a|an|the)\b", " ", text).split())


class Tally:
    """Cross-validated outcomes of ``answer()`` for one mode."""

    def __init__(self) -> None:
        self.top1: list[bool] = []
        self.top3: list[bool] = []
        self.abstained: list[bool] = []
        self.declined: list[bool] = []
        #: by the kind of question (None: no recognised kind), whether the reader's phrase in
        #: the best sentence matches a gold answer
        self.bold: dict[AnswerType | None, list[bool]] = defaultdict(list)
        self.bold_exact: dict[AnswerType | None, list[bool]] = defaultdict(list)
        self.typed: dict[AnswerType | None, int] = defaultdict(int)
        #: (best sentence's score, top-1 hit) of every answer to an answerable question
        self.answered: list[tuple[float, bool]] = []
        #: best sentence's score of every answer given to an off-topic question (all wrong)
        self.wrongly_answered: list[float] = []


def run_folds(
    articles: list[SquadArticle], folds: list[learn.Fold], *, semantic: bool, read: bool = True
) -> Tally:
    tally = Tally()
    for fold in folds:
        entry = articles[fold.article]
        index = indexed(entry.article) if semantic else ArticleIndex(entry.article, semantic=False)
        models: Models = fold.models
        sentences = [normalise(s.text) for s in entry.article.sentences]
        for question in entry.questions:
            terms = analyze(question.text)
            ranking = ranked_for(index, question.text, terms, models=models, read=read)
            result = compose(index, question.text, terms, ranking)
            cited = [sentences[c.sentence - 1] for c in result.ranked[:3]]
            found = hits(question, cited) if not result.abstained else [False]
            tally.top1.append(bool(found[0]))
            tally.top3.append(any(found))
            tally.abstained.append(result.abstained)
            if result.abstained:
                continue
            tally.answered.append((result.ranked[0].score, bool(found[0])))
            best = ranking.ranked[0]
            kind = answer_type(question.text)
            span = answer_phrase(ranking, best, kind)
            if span is not None:
                phrase = squad_normal(best.sentence.text[span[0] : span[1]])
                golds = [squad_normal(g) for g in question.answers]
                tally.bold[kind].append(any(phrase in g or g in phrase for g in golds if g))
                tally.bold_exact[kind].append(phrase in golds)
        for other in (o for j, o in enumerate(articles) if j != fold.article):
            for question in other.questions[:: learn.OFF_TOPIC_EVERY]:
                off_topic = answer(index, question.text, models=models, read=read)
                tally.declined.append(off_topic.abstained)
                if not off_topic.abstained:
                    tally.wrongly_answered.append(off_topic.ranked[0].score)
        for question in entry.questions:
            tally.typed[answer_type(question.text)] += 1
    return tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--squad", type=Path, default=DEFAULT_PATH)
    args = parser.parse_args(argv)
    articles = load_squad(args.squad)
    if articles is None:
        return 0
    count = sum(len(a.questions) for a in articles)
    print(f"SQuAD: {len(articles)} articles, {count} questions, whole-article retrieval")
    for label, make in (
        ("baseline: BM25Okapi, whitespace tokens", whitespace_baseline),
        ("reference: BM25Okapi, our analyser", stemmed_baseline),
    ):
        top1, top3 = score(articles, make)
        print(f"  {label:<44} top-1 {top1:.4f}  top-3 {top3:.4f}")
    print("fitting the leave-one-article-out folds (evidence, then 12 fits)...", file=sys.stderr)
    folds = learn.fitted_folds(articles, args.squad)
    for label, semantic, read in (
        ("product answer(), first pass cross-validated", True, True),
        ("  first pass alone (no reader)", True, False),
        ("  words only (reader, no vectors)", False, True),
    ):
        tally = run_folds(articles, folds, semantic=semantic, read=read)
        print(
            f"  {label:<44} top-1 {np.mean(tally.top1):.4f}  top-3 {np.mean(tally.top3):.4f}"
            f"  (abstain = miss)"
        )
        print(
            f"  {'':<44} answerable abstained {np.mean(tally.abstained):.4f} "
            f"(n={len(tally.abstained)}), off-topic declined {np.mean(tally.declined):.4f} "
            f"(n={len(tally.declined)})"
        )
        if semantic and read:
            print("bold: the reader's phrase in the best sentence matches a gold answer")
            print("      (contains or is contained; exact: equal after SQuAD normalisation;")
            print(
                f"      direct answers only: a near miss, under {NEAR_MISS_BELOW}, is never bolded)"
            )
            bolded = shipped_reader_models().bolded
            for kind in (*AnswerType, None):
                outcomes = tally.bold[kind]
                if not outcomes:
                    continue
                verdict = "bolded" if kind in bolded else "not bolded"
                print(
                    f"  {kind.value if kind else 'other':<7} precision {np.mean(outcomes):.3f} "
                    f"(exact {np.mean(tally.bold_exact[kind]):.3f}) over {len(outcomes)} "
                    f"answers of {tally.typed[kind]} such questions: {verdict}"
                )
            report_strength(tally)
    return 0


def report_strength(tally: Tally) -> None:
    """How right answers are on either side of the near-miss line (``NEAR_MISS_BELOW``, on the
    best sentence's score) and of a few other lines, so the marker's wording can be checked
    against what it marks."""
    score = np.array([c for c, _ in tally.answered])
    right = np.array([hit for _, hit in tally.answered])
    wrong = np.array(tally.wrongly_answered)
    print("strength: answers to answerable questions, by their best sentence's score")
    for line in sorted({0.3, 0.4, 0.5, 0.6, NEAR_MISS_BELOW}):
        near = score < line
        mark = " (shipped)" if line == NEAR_MISS_BELOW else ""
        print(
            f"  below {line:.2f}{mark}: {near.mean():.3f} of answers, right {right[near].mean():.3f}"
            f"; direct right {right[~near].mean():.3f}; off-topic answers below it "
            f"{int((wrong < line).sum())} of {len(wrong)}"
        )


if __name__ == "__main__":
    sys.exit(main())
