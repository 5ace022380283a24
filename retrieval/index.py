"""One article, ready to be asked: its terms, BM25 over sentences and paragraphs, its vectors.

Build once, ask many times. The index holds what every question needs and
nothing question-specific; the ranking itself is retrieval/ranking.py.

BM25 is scored twice: over sentences (k1 = 0.9, b = 0.3: sentences are short,
so term frequency saturates early and length matters less) and over
paragraphs (k1 = 1.2, b = 0.75), because a reader's question often borrows
words from the sentences around the answer.

Vectors (retrieval/vectors.py) come from the caller when they are stored
(the library keeps them in its database), or are computed on first need. An index
built with ``semantic=False`` never asks the model: it ranks on words alone.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from retrieval.analysis import analyze
from retrieval.article import Article
from retrieval.bm25 import PARAGRAPHS, SENTENCES, BM25Scorer
from retrieval.multilingual import MeaningVectors, embed_meaning
from retrieval.semantic import shared_encoder
from retrieval.vectors import ArticleVectors, embed_article


@dataclass(frozen=True)
class TermWeights:
    """Sentence-term pairs: ``Q[i, t]`` how often sentence i says t, ``W[i, t]`` t's BM25 weight
    in sentence i, so that sentence i's BM25 score as a query against sentence j is
    ``sum_t Q[i, t] * W[j, t]``. Both matrices share the pattern ``(rows, columns)``."""

    size: int  #: sentences
    terms: int
    rows: np.ndarray
    columns: np.ndarray
    counts: np.ndarray  #: Q's values
    weights: np.ndarray  #: W's values

    def query_by_document(self, x: np.ndarray) -> np.ndarray:
        """``x @ Q @ W.T``: sentences weighted by ``x`` as queries, scored against every sentence."""
        per_term = np.bincount(self.columns, x[self.rows] * self.counts, minlength=self.terms)
        return np.bincount(self.rows, self.weights * per_term[self.columns], minlength=self.size)

    def document_by_query(self, x: np.ndarray) -> np.ndarray:
        """``x @ W @ Q.T``: the transpose's product."""
        per_term = np.bincount(self.columns, x[self.rows] * self.weights, minlength=self.terms)
        return np.bincount(self.rows, self.counts * per_term[self.columns], minlength=self.size)

    def self_similarity(self) -> np.ndarray:
        """The diagonal: each sentence scored against itself."""
        return np.bincount(self.rows, self.counts * self.weights, minlength=self.size)


class ArticleIndex:
    """Everything needed to rank one article's sentences."""

    def __init__(
        self,
        article: Article,
        *,
        semantic: bool = True,
        vectors: ArticleVectors | None = None,
        meaning: MeaningVectors | None = None,
    ) -> None:
        self.article = article
        self.semantic = semantic
        self.sentence_terms = [analyze(s.text, article.language) for s in article.sentences]
        self.term_sets = [frozenset(terms) for terms in self.sentence_terms]
        self._sentences = BM25Scorer(self.sentence_terms)
        paragraphs: list[list[str]] = [[] for _ in article.paragraph_spans]
        for sentence, terms in zip(article.sentences, self.sentence_terms, strict=True):
            paragraphs[sentence.paragraph - 1].extend(terms)
        self.paragraph_terms = [frozenset(terms) for terms in paragraphs]
        self.article_terms = frozenset().union(*self.term_sets)
        self._paragraphs = BM25Scorer(paragraphs, PARAGRAPHS)
        #: Each sentence's paragraph, 0-based.
        self.paragraph_of = np.array([s.paragraph - 1 for s in article.sentences], dtype=np.int64)
        self._vectors = vectors if semantic else None
        self._token_df: tuple[np.ndarray, np.ndarray] | None = None
        self._token_paragraphs: np.ndarray | None = None
        self._embedding = threading.Lock()
        self._meaning = meaning if semantic else None

    # -- words -------------------------------------------------------------------------

    def bm25(self, terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """BM25 of every sentence, and of every sentence's paragraph, for ``terms``."""
        sentences = self._sentences.scores(terms)
        paragraphs = self._paragraphs.scores(terms)[self.paragraph_of]
        return sentences, paragraphs

    def bm25_ceiling(self, terms: list[str]) -> float:
        """The sentence BM25 a sentence made of exactly ``terms`` would approach: a yardstick
        that makes scores comparable between questions and between articles."""
        return sum(self._sentences.idf(t) * (SENTENCES.k1 + 1) for t in set(terms))

    def idf(self, term: str) -> float:
        return self._sentences.idf(term)

    def similarity(self) -> np.ndarray:
        """Sentence-by-sentence BM25 similarity (row i: sentence i as the query).

        Dense, so quadratic: fine for a look at a short article; ``term_weights``
        gives the same numbers in a form that stays linear.
        """
        return np.array([self._sentences.scores(terms) for terms in self.sentence_terms])

    def term_weights(self) -> TermWeights:
        """The similarity above as two sparse sentence-by-term matrices: ``Q @ W.T``."""
        vocabulary: dict[str, int] = {}
        rows, columns, counts, weights = [], [], [], []
        documents = self._sentences.document_weights()
        for i, terms in enumerate(self.sentence_terms):
            for term, count in Counter(terms).items():
                rows.append(i)
                columns.append(vocabulary.setdefault(term, len(vocabulary)))
                counts.append(float(count))
                weights.append(documents[i][term])
        return TermWeights(
            size=len(self.sentence_terms),
            terms=len(vocabulary),
            rows=np.array(rows, dtype=np.int64),
            columns=np.array(columns, dtype=np.int64),
            counts=np.array(counts),
            weights=np.array(weights),
        )

    # -- meaning -----------------------------------------------------------------------

    @property
    def has_vectors(self) -> bool:
        return self._vectors is not None

    @property
    def vectors(self) -> ArticleVectors | None:
        """The article's vectors, computed now if they were neither given nor computed yet;
        ``None`` for a words-only index."""
        return self._vectors if self._vectors is not None else self.embed_all()

    def embed_all(self, stop: Callable[[], bool] | None = None) -> ArticleVectors | None:
        """Make sure the vectors exist (so no question waits for them) and return them.

        ``stop`` can end the work early (``EmbeddingStopped``); nothing is kept then.
        """
        if not self.semantic or self._vectors is not None:
            return self._vectors
        with self._embedding:  # two first questions at once embed it once
            if self._vectors is None:
                self._vectors = embed_article(self.article, shared_encoder(), stop=stop)
        return self._vectors

    @property
    def has_meaning(self) -> bool:
        return self._meaning is not None

    def meaning(self, *, embed: bool = True) -> MeaningVectors | None:
        """The multilingual model's vectors (retrieval/multilingual.py), computed now when
        ``embed`` and not yet known; ``None`` for a words-only index."""
        if not self.semantic or self._meaning is not None or not embed:
            return self._meaning
        with self._embedding:
            if self._meaning is None:
                self._meaning = embed_meaning(self.article)
        return self._meaning

    def keep_meaning(self, meaning: MeaningVectors) -> None:
        """Take the multilingual model's vectors read elsewhere (a library stores them for
        English articles that questions in other languages must find)."""
        if self.semantic:
            with self._embedding:
                self._meaning = self._meaning or meaning

    def token_paragraphs(self, ids: np.ndarray) -> np.ndarray:
        """For each token id, which paragraphs use it: (len(ids), paragraphs) booleans.

        Columns are 0-based paragraph positions, as in ``paragraph_of``. The sorted
        (token, paragraph) pairs are built once per article, so a question's
        lookup is a binary search per token rather than a pass over the text.
        """
        vectors = self.vectors
        assert vectors is not None
        width = len(self.article.paragraph_spans)
        if self._token_paragraphs is None:
            paragraph = np.repeat(self.paragraph_of, np.diff(vectors.bounds))
            self._token_paragraphs = np.unique(
                vectors.token_ids.astype(np.int64) * width + paragraph
            )
        pairs = self._token_paragraphs
        found = np.zeros((len(ids), width), bool)
        starts = np.searchsorted(pairs, ids.astype(np.int64) * width)
        ends = np.searchsorted(pairs, (ids.astype(np.int64) + 1) * width)
        for row, (start, end) in enumerate(zip(starts, ends, strict=True)):
            found[row, pairs[start:end] % width] = True
        return found

    def token_idf(self, ids: np.ndarray) -> np.ndarray:
        """IDF of WordPiece tokens over this article's sentences (unseen tokens weigh most)."""
        vectors = self.vectors
        assert vectors is not None
        if self._token_df is None:
            sentence_of = np.repeat(np.arange(vectors.size), np.diff(vectors.bounds))
            pairs = np.unique(sentence_of * 65536 + vectors.token_ids.astype(np.int64))
            self._token_df = np.unique(pairs % 65536, return_counts=True)
        known, counts = self._token_df
        n = vectors.size
        where = np.clip(np.searchsorted(known, ids), 0, max(len(known) - 1, 0))
        found = (known[where] == ids) if len(known) else np.zeros(len(ids), bool)
        df = np.where(found, counts[where] if len(known) else 0, 0)
        return np.log(1.0 + (n - df + 0.5) / (df + 0.5))
