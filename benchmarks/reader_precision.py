"""What int8 quantisation costs the reader: the shipped file against its fp32 export.

    python -m benchmarks.reader_precision --fp32 ~/.cache/newsbot-training/reader-fp32.onnx

``python -m training export`` leaves the fp32 ONNX file in its work folder
(never in the repository). On the SQuAD half-dev file (every ``N``-th
question, first pass cross-validated), each question's answer is composed
with either reader; printed: top-1 of each (abstaining = miss), how often
they pick the same sentence, and the time each takes to read 8 candidates.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from benchmarks.asked import asked_with_folds
from benchmarks.squad import DEFAULT_PATH, hits, load_squad
from retrieval.answers import compose
from retrieval.reader import Reader, shared_reader
from retrieval.reader_fusion import reread
from training import ranker as learn


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--squad", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--fp32", type=Path, required=True)
    parser.add_argument("--every", type=int, default=2)
    args = parser.parse_args(argv)
    articles = load_squad(args.squad)
    if articles is None:
        return 0
    if not args.fp32.is_file():
        print(f"{args.fp32} is missing: run `python -m training export` first", file=sys.stderr)
        return 0
    readers = {"int8 (shipped)": shared_reader(), "fp32": Reader(args.fp32, None)}
    right: dict[str, list[bool]] = {name: [] for name in readers}
    seconds: dict[str, float] = dict.fromkeys(readers, 0.0)
    same = []
    folds = learn.fitted_folds(articles, args.squad)
    for entry, index, sentences, question, terms, first in asked_with_folds(
        articles, folds, args.every
    ):
        best = []
        for name, reader in readers.items():
            started = time.perf_counter()
            ranking = reread(entry.article, question.text, first, reader=reader)
            seconds[name] += time.perf_counter() - started
            result = compose(index, question.text, terms, ranking)
            top = result.ranked[0].sentence
            right[name].append(not result.abstained and hits(question, [sentences[top - 1]])[0])
            best.append(top)
        same.append(best[0] == best[1])
    count = len(same)
    print(f"SQuAD half-dev, {count} questions (every {args.every}th), first pass cross-validated")
    for name in readers:
        print(
            f"  {name:<15} top-1 {np.mean(right[name]):.4f}   "
            f"{1000 * seconds[name] / count:6.1f} ms per question (8 candidates)"
        )
    print(f"  same best sentence: {np.mean(same):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
