"""Answers in other languages: XQuAD, scored as the SQuAD file is, per language.

    python -m benchmarks.xquad_quality [--bench ../shared/bench] [--languages es,de,ru,zh]

XQuAD (DeepMind, CC BY-SA 4.0) is 240 SQuAD v1.1 dev paragraphs from 48
articles, professionally translated, with 1,190 questions per language. Each
article is answered whole, as in benchmarks/squad_quality.py: a question is
right when the first quoted sentence holds a gold answer, and an abstention is
a miss. Off-topic: 20 questions of other articles (seeded) asked of each
article; declined when the product abstains. Baseline in the same run:
``BM25Okapi`` over whitespace tokens of the same sentences.

Measuring only: nothing is ever fitted on XQuAD. Its paragraphs are SQuAD dev
paragraphs, some of them from articles of the dev half the first pass was
fitted on (in English), so a language's figures may flatter it a little.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np
from rank_bm25 import BM25Okapi

from benchmarks.squad import hits, indexed, load_squad, normalise
from retrieval import answer

DEFAULT_BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench"
OFF_TOPIC = 20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--languages", default="es,de,ru,zh")
    args = parser.parse_args(argv)
    for language in args.languages.split(","):
        articles = load_squad(args.bench / "xquad" / f"xquad.{language}.json")
        if articles is None:
            continue
        rng = random.Random(0)
        baseline = right = asked = abstained = 0
        declined: list[bool] = []
        for n, entry in enumerate(articles):
            print(f"  {language}: {entry.article.name}", file=sys.stderr, flush=True)
            sentences = [normalise(s.text) for s in entry.article.sentences]
            bm25 = BM25Okapi([s.lower().split() for s in sentences])
            index = indexed(entry.article)
            for question in entry.questions:
                asked += 1
                scores = bm25.get_scores(question.text.lower().split())
                best = int(np.argmax(scores))
                baseline += hits(question, [sentences[best]])[0]
                result = answer(index, question.text, embed=False)
                abstained += result.abstained
                if not result.abstained:
                    right += hits(question, [sentences[result.ranked[0].sentence - 1]])[0]
            others = [q for j, o in enumerate(articles) if j != n for q in o.questions]
            for question in rng.sample(others, min(OFF_TOPIC, len(others))):
                declined.append(answer(index, question.text, embed=False).abstained)
        print(
            f"{language}: {len(articles)} articles, {asked} questions | top-1 {right / asked:.3f}"
            f" (baseline BM25Okapi whitespace {baseline / asked:.3f}) | answerable abstained"
            f" {abstained / asked:.3f} | off-topic declined {np.mean(declined):.3f}"
            f" (n={len(declined)})",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
