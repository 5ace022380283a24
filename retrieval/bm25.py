"""BM25 over one article's sentences, wrapped so the scoring library can change freely.

Two choices matter for sentence-length documents in a small article:

* IDF. ``rank_bm25.BM25Okapi`` uses ``log((N - n + .5) / (n + .5))``, which is
  negative for any term in more than half the sentences and is then replaced
  by a floor of ``epsilon * mean_idf``. In a 15-sentence article that floor
  is arbitrary: a term in 8 of 15 sentences ("Syria") gets the same weight as
  one in all 15, and raising epsilon makes such terms swamp rare ones. We use
  the Lucene/BM25+ form ``log(1 + (N - n + .5) / (n + .5))``: always positive,
  monotone in ``n``, so a common term still counts a little and never more
  than a rarer one.
* k1 and b, per kind of document (``BM25Tuning``): sentences were tuned on
  SQuAD (see benchmarks/squad_quality.py); paragraphs and whole articles use
  the textbook 1.2 / 0.75.

rank_bm25 supplies the documents' term counts and lengths; the IDF is ours
(``positive_idf``), computed from those counts rather than by overriding
rank_bm25's private method.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rank_bm25 import BM25Okapi


@dataclass(frozen=True)
class BM25Tuning:
    """k1 (how fast repeated terms saturate) and b (how much length counts)."""

    k1: float
    b: float


#: Sentence-length documents: short, so length matters less (lower b) and a repeated word
#: saturates sooner (lower k1). Set when the engine was first built; its tuning script was
#: never committed, and benchmarks/squad_quality.py measures the result.
SENTENCES = BM25Tuning(k1=0.9, b=0.3)
#: Paragraphs of an article, and whole articles of a library: the textbook values.
PARAGRAPHS = BM25Tuning(k1=1.2, b=0.75)
ARTICLES = BM25Tuning(k1=1.2, b=0.75)


def positive_idf(documents: int, containing: int) -> float:
    """The Lucene/BM25+ IDF: always positive, falling as more documents hold the term."""
    return math.log(1.0 + (documents - containing + 0.5) / (containing + 0.5))


class BM25Scorer:
    """Scores analysed queries against a fixed list of analysed documents."""

    def __init__(self, documents: Sequence[Sequence[str]], tuning: BM25Tuning = SENTENCES) -> None:
        # rank_bm25 divides by the average length; an all-stop-word article has none.
        safe = [list(doc) if doc else ["\x00empty"] for doc in documents]
        self._bm25 = BM25Okapi(safe, k1=tuning.k1, b=tuning.b)  # its own IDF is not used
        self.size = len(safe)
        bm25 = self._bm25
        holding = Counter(term for counts in bm25.doc_freqs for term in counts)
        self._idf = {term: positive_idf(self.size, n) for term, n in holding.items()}
        self._length_norm = bm25.k1 * (1 - bm25.b + bm25.b * np.array(bm25.doc_len) / bm25.avgdl)
        self._term_scores: dict[str, np.ndarray] = {}

    def idf(self, term: str) -> float:
        """Weight of ``term``; a term no document holds gets the highest possible weight."""
        return self._idf.get(term) or positive_idf(self.size, 0)

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """BM25 score of every document for ``query``, in document order."""
        score = np.zeros(self.size)
        for term in query:
            if term in self._idf:
                score += self._term_score(term)
        return score

    def document_weights(self) -> list[dict[str, float]]:
        """Each document's score for each one-term query it matches (what ``scores`` sums)."""
        bm25 = self._bm25
        return [
            {
                term: self._idf[term] * (freq * (bm25.k1 + 1) / (freq + self._length_norm[j]))
                for term, freq in document.items()
            }
            for j, document in enumerate(bm25.doc_freqs)
        ]

    def _term_score(self, term: str) -> np.ndarray:
        """One term's share of ``BM25Okapi.get_scores``, computed once per article and term.

        rank_bm25 looks the term up in every document's dictionary on every
        call; a question's terms recur (every question about a troop count
        asks for "troop"), so the column is kept.
        """
        found = self._term_scores.get(term)
        if found is None:
            bm25 = self._bm25
            freq = np.array([doc.get(term) or 0 for doc in bm25.doc_freqs])
            found = self._idf[term] * (freq * (bm25.k1 + 1) / (freq + self._length_norm))
            self._term_scores[term] = found
        return found
