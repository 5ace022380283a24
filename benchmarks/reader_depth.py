"""How many first-pass candidates the reader must read: quality and cost by depth.

    python -m benchmarks.reader_depth [--squad PATH] [--every N]

For each depth (sentences read per question), on the SQuAD half-dev file
(every ``N``-th question, first pass cross-validated as in
benchmarks/squad_quality.py): top-1 of ``answer()`` with the abstention
counted as a miss, and how often the answer was among the sentences read at
all (the ceiling); then, on the largest article with its vectors stored,
``answer()`` p50/p99 at that depth next to the first pass alone, measured in
the same run. Each depth reads that many, always; the shipped way (last row)
reads in ``STAGES`` and goes on to ``READ`` only while the best of those read
is not a sure answer (retrieval/reader_fusion.py).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from benchmarks.asked import asked_with_folds
from benchmarks.squad import DEFAULT_PATH, hits, indexed, load_squad
from retrieval.analysis import analyze
from retrieval.answers import compose
from retrieval.ranking import rank
from retrieval.reader_fusion import READ, STAGES, ReaderModels, reread, shipped_reader_models
from retrieval.semantic import SentenceEncoder
from training import ranker as learn

DEPTHS = (2, 3, 5, 8, 12, 16)
#: The shipped way, after the fixed depths.
STAGED = 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--squad", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--every", type=int, default=3)
    args = parser.parse_args(argv)
    articles = load_squad(args.squad)
    if articles is None:
        return 0
    folds = learn.fitted_folds(articles, args.squad)
    shipped = shipped_reader_models()
    always = replace(shipped, early={})
    ways: dict[int, tuple[int, ReaderModels]] = {d: (d, always) for d in DEPTHS}
    ways[STAGED] = (READ, shipped)
    top1 = {w: [] for w in ways}  # type: dict[int, list[bool]]
    ceiling = {w: [] for w in ways}  # type: dict[int, list[bool]]
    for entry, index, sentences, question, terms, first in asked_with_folds(
        articles, folds, args.every
    ):
        for way, (depth, models) in ways.items():
            ranking = reread(entry.article, question.text, first, depth=depth, models=models)
            result = compose(index, question.text, terms, ranking)
            found = hits(question, [sentences[r.sentence.number - 1] for r in ranking.ranked])
            top1[way].append(not result.abstained and found[0])
            ceiling[way].append(any(found[: len(ranking.logits)]))
    count = len(top1[DEPTHS[0]])
    print(f"SQuAD half-dev, {count} questions (every {args.every}th), first pass cross-validated")
    largest = max(articles, key=lambda a: len(a.article.text))
    index = indexed(largest.article)
    questions = [q.text for q in largest.questions]

    def latencies(way: int | None) -> np.ndarray:
        samples = []
        for question in questions:
            SentenceEncoder.encode_question.cache_clear()
            started = time.perf_counter()
            terms = analyze(question)
            ranking = rank(index, question, terms)
            if way is not None:
                depth, models = ways[way]
                ranking = reread(largest.article, question, ranking, depth=depth, models=models)
            compose(index, question, terms, ranking)
            samples.append(time.perf_counter() - started)
        return np.array(samples) * 1000

    latencies(None)  # warm up both models
    latencies(2)
    alone = latencies(None)
    print(
        f"  first pass alone: answer() p50 {np.percentile(alone, 50):6.1f} ms, "
        f"p99 {np.percentile(alone, 99):6.1f} ms on {largest.article.name}"
    )
    for way in ways:
        cost = latencies(way)
        staged = ", ".join(str(s) for s in (*STAGES, READ))
        label = f"read {way:>2}" if way else f"read {staged} while unsure (shipped)"
        print(
            f"  {label}: top-1 {np.mean(top1[way]):.4f}, answer among those read "
            f"{np.mean(ceiling[way]):.4f}; answer() p50 {np.percentile(cost, 50):6.1f} ms, "
            f"p99 {np.percentile(cost, 99):6.1f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
