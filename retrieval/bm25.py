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
* k1 and b, tuned on SQuAD sentences (see benchmarks/squad_quality.py).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from rank_bm25 import BM25Okapi

#: Tuned for sentence-length documents on SQuAD (benchmarks/squad_quality.py --grid).
DEFAULT_K1 = 0.9
DEFAULT_B = 0.3


class _PositiveIdfBM25(BM25Okapi):
    """BM25Okapi with an IDF that never goes negative (see module docstring)."""

    def _calc_idf(self, nd: dict[str, int]) -> None:
        n_docs = self.corpus_size
        self.idf = {
            term: math.log(1.0 + (n_docs - freq + 0.5) / (freq + 0.5)) for term, freq in nd.items()
        }
        self.average_idf = sum(self.idf.values()) / len(self.idf) if self.idf else 0.0


class BM25Scorer:
    """Scores analysed queries against a fixed list of analysed documents."""

    def __init__(
        self, documents: Sequence[Sequence[str]], k1: float = DEFAULT_K1, b: float = DEFAULT_B
    ) -> None:
        # rank_bm25 divides by the average length; an all-stop-word article has none.
        safe = [list(doc) if doc else ["\x00empty"] for doc in documents]
        self._bm25 = _PositiveIdfBM25(safe, k1=k1, b=b)
        self.size = len(safe)
        bm25 = self._bm25
        self._length_norm = bm25.k1 * (1 - bm25.b + bm25.b * np.array(bm25.doc_len) / bm25.avgdl)
        self._term_scores: dict[str, np.ndarray] = {}

    def idf(self, term: str) -> float:
        """Weight of ``term``; a term no document holds gets the highest possible weight."""
        found = self._bm25.idf.get(term)
        if found is None:
            return math.log(1.0 + (self.size + 0.5) / 0.5)
        return found

    def contains(self, term: str) -> bool:
        return term in self._bm25.idf

    def scores(self, query: Sequence[str]) -> np.ndarray:
        """BM25 score of every document for ``query``, in document order."""
        score = np.zeros(self.size)
        for term in query:
            if term in self._bm25.idf:
                score += self._term_score(term)
        return score

    def document_weights(self) -> list[dict[str, float]]:
        """Each document's score for each one-term query it matches (what ``scores`` sums)."""
        bm25 = self._bm25
        return [
            {
                term: bm25.idf[term] * (freq * (bm25.k1 + 1) / (freq + self._length_norm[j]))
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
            found = bm25.idf[term] * (freq * (bm25.k1 + 1) / (freq + self._length_norm))
            self._term_scores[term] = found
        return found
