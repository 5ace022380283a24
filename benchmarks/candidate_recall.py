"""How many first-pass candidates a second reader must read: the recall curve.

    python -m benchmarks.candidate_recall

For every question of the SQuAD dev half, whether a sentence holding the
answer is among the first K of the shipped ranking (BM25 + vectors + the
learned fusion), next to BM25 alone in the same run. A reader that re-orders
the first K can be right at most that often; its cost grows with K.
"""

from __future__ import annotations

import sys

import numpy as np

from benchmarks.squad import DEFAULT_PATH, hits, indexed, load_squad, normalise
from retrieval import analyze
from retrieval.ranking import rank

DEPTHS = (1, 2, 3, 5, 8, 10, 15, 20)


def main() -> int:
    articles = load_squad(DEFAULT_PATH)
    if articles is None:
        return 0
    shipped = dict.fromkeys(DEPTHS, 0)
    words = dict.fromkeys(DEPTHS, 0)
    asked = 0
    for entry in articles:
        index = indexed(entry.article)
        for question in entry.questions:
            terms = analyze(question.text)
            ranking = rank(index, question.text, terms)
            first = hits(question, [normalise(r.sentence.text) for r in ranking.ranked[:20]])
            order = np.argsort(-index.bm25(terms)[0], kind="stable")[:20]
            bm25 = hits(question, [normalise(index.article.sentences[i].text) for i in order])
            for depth in DEPTHS:
                shipped[depth] += any(first[:depth])
                words[depth] += any(bm25[:depth])
            asked += 1
    print(f"SQuAD dev half, {asked:,} questions: an answering sentence among the first K")
    print("  K      " + "".join(f"{d:>7}" for d in DEPTHS))
    print("  shipped" + "".join(f"{shipped[d] / asked:7.3f}" for d in DEPTHS))
    print("  BM25   " + "".join(f"{words[d] / asked:7.3f}" for d in DEPTHS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
