"""Answer quality on the shared SQuAD half-dev set, scored as ../shared/README.md says.

    python -m benchmarks.squad_quality [--squad PATH] [--sweep] [--ablation]

Prints top-1/top-3 for the product (an abstention counts as a miss) and, in the
same run, for plain ``BM25Okapi`` on whitespace tokens over the same sentences.
Also prints how often the product abstains on answerable questions and how often
it declines off-topic ones (questions from the other articles).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
from rank_bm25 import BM25Okapi

import retrieval.answers as answer_module
import retrieval.index as index_module
from benchmarks.squad import DEFAULT_PATH, SquadArticle, hits, load_squad, normalise
from retrieval import ArticleIndex, answer
from retrieval.analysis import analyze

Ranker = Callable[[str], list[int]]  # question -> sentence positions, best first


_indexes: dict[int, ArticleIndex] = {}


def _index(entry: SquadArticle) -> ArticleIndex:
    """One index per article for the whole run, so sentence embeddings are computed once."""
    if id(entry) not in _indexes:
        _indexes[id(entry)] = ArticleIndex(entry.article)
    return _indexes[id(entry)]


def product(entry: SquadArticle) -> Ranker:
    index = _index(entry)

    def rank(question: str) -> list[int]:
        result = answer(index, question)
        return [] if result.abstained else [c.sentence - 1 for c in result.ranked]

    return rank


def product_ranking_only(entry: SquadArticle) -> Ranker:
    index = _index(entry)
    return lambda q: [r.sentence.number - 1 for r in index.rerank(q, index.rank(q))[:3]]


def lexical_ranking_only(entry: SquadArticle) -> Ranker:
    index = _index(entry)
    return lambda q: [r.sentence.number - 1 for r in index.rank(q)[:3]]


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


def abstention(articles: list[SquadArticle]) -> tuple[float, float, int, int]:
    """(answerable abstained, off-topic declined, counts) with the current threshold."""
    indexes = [_index(entry) for entry in articles]
    answerable = [
        (ix, q.text) for ix, e in zip(indexes, articles, strict=True) for q in e.questions
    ]
    off_topic = [
        (indexes[i], other.questions[k].text)
        for i in range(len(articles))
        for j, other in enumerate(articles)
        if j != i
        for k in range(0, len(other.questions), 10)  # a fixed, deterministic sample
    ]
    wrongly = sum(answer(ix, q).abstained for ix, q in answerable) / len(answerable)
    declined = sum(answer(ix, q).abstained for ix, q in off_topic) / len(off_topic)
    return wrongly, declined, len(answerable), len(off_topic)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--squad", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--sweep", action="store_true", help="abstention threshold trade-off")
    parser.add_argument("--ablation", action="store_true", help="score without each component")
    args = parser.parse_args(argv)
    articles = load_squad(args.squad)
    if articles is None:
        return 0
    count = sum(len(a.questions) for a in articles)
    print(f"SQuAD: {len(articles)} articles, {count} questions, whole-article retrieval")
    rows: list[tuple[str, Callable[[SquadArticle], Ranker]]] = [
        ("baseline: BM25Okapi, whitespace tokens", whitespace_baseline),
        ("reference: BM25Okapi, our analyser", stemmed_baseline),
        ("product BM25 ranking alone (no model)", lexical_ranking_only),
        ("product ranking (never abstains)", product_ranking_only),
        ("product answer() (abstain = miss)", product),
    ]
    for label, make in rows:
        top1, top3 = score(articles, make)
        print(f"  {label:<42} top-1 {top1:.4f}  top-3 {top3:.4f}")
    wrongly, declined, n_pos, n_neg = abstention(articles)
    print(
        f"abstention at coverage < {answer_module.ABSTAIN_BELOW} and meaning < "
        f"{answer_module.MEANING_OVERRIDES_AT}: "
        f"answerable questions abstained {wrongly:.3f} (n={n_pos}); "
        f"off-topic questions declined {declined:.3f} (n={n_neg})"
    )
    if args.sweep:
        chosen = answer_module.ABSTAIN_BELOW, answer_module.MEANING_OVERRIDES_AT
        grid = [(c, chosen[1]) for c in (0.15, 0.2, 0.3, 0.35, 0.4)]
        grid += [(chosen[0], m) for m in (0.4, 0.45, 0.55, 0.6, 2.0)]  # 2.0: never overrides
        for coverage, meaning in grid:
            answer_module.ABSTAIN_BELOW, answer_module.MEANING_OVERRIDES_AT = coverage, meaning
            wrongly, declined, _, _ = abstention(articles)
            top1, top3 = score(articles, product)
            print(
                f"  coverage {coverage:.2f}, meaning {meaning:.2f}: answerable abstained "
                f"{wrongly:.3f}, off-topic declined {declined:.3f}, "
                f"top-1 {top1:.4f}, top-3 {top3:.4f}"
            )
        answer_module.ABSTAIN_BELOW, answer_module.MEANING_OVERRIDES_AT = chosen
    if args.ablation:
        for name, value in (("PARAGRAPH_WEIGHT", 0.0), ("ANSWER_TYPE_BONUS", 0.0)):
            kept = getattr(index_module, name)
            setattr(index_module, name, value)
            top1, top3 = score(articles, product_ranking_only)
            setattr(index_module, name, kept)
            print(f"  without {name:<20} top-1 {top1:.4f}  top-3 {top3:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
