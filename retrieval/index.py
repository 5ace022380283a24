"""One article, ready to be asked: its terms, BM25 over sentences and paragraphs, its vectors.

Build once, ask many times. The index holds what every question needs and
nothing question-specific; the ranking itself is retrieval/ranking.py.

BM25 is scored twice: over sentences (k1 = 0.9, b = 0.3: sentences are short,
so term frequency saturates early and length matters less) and over
paragraphs (k1 = 1.2, b = 0.75), because a reader's question often borrows
words from the sentences around the answer.

Vectors (retrieval/vectors.py) come from the caller when they are stored
(the library keeps them in SQLite), or are computed on first need. An index
built with ``semantic=False`` never asks the model: it ranks on words alone.
"""

from __future__ import annotations

import threading

import numpy as np

from retrieval.analysis import analyze
from retrieval.article import Article
from retrieval.bm25 import DEFAULT_K1, BM25Scorer
from retrieval.semantic import shared_encoder
from retrieval.vectors import ArticleVectors, embed_article

PARAGRAPH_K1 = 1.2
PARAGRAPH_B = 0.75


class ArticleIndex:
    """Everything needed to rank one article's sentences."""

    def __init__(
        self, article: Article, *, semantic: bool = True, vectors: ArticleVectors | None = None
    ) -> None:
        self.article = article
        self.semantic = semantic
        self.sentence_terms = [analyze(s.text) for s in article.sentences]
        self.term_sets = [frozenset(terms) for terms in self.sentence_terms]
        self._sentences = BM25Scorer(self.sentence_terms)
        paragraphs: list[list[str]] = [[] for _ in article.paragraph_spans]
        for sentence, terms in zip(article.sentences, self.sentence_terms, strict=True):
            paragraphs[sentence.paragraph - 1].extend(terms)
        self.paragraph_terms = [frozenset(terms) for terms in paragraphs]
        self.article_terms = frozenset().union(*self.term_sets)
        self._paragraphs = BM25Scorer(paragraphs, k1=PARAGRAPH_K1, b=PARAGRAPH_B)
        #: Each sentence's paragraph, 0-based.
        self.paragraph_of = np.array([s.paragraph - 1 for s in article.sentences], dtype=np.int64)
        self._vectors = vectors if semantic else None
        self._token_df: tuple[np.ndarray, np.ndarray] | None = None
        self._token_paragraphs: np.ndarray | None = None
        self._embedding = threading.Lock()

    # -- words -------------------------------------------------------------------------

    def bm25(self, terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """BM25 of every sentence, and of every sentence's paragraph, for ``terms``."""
        sentences = self._sentences.scores(terms)
        paragraphs = self._paragraphs.scores(terms)[self.paragraph_of]
        return sentences, paragraphs

    def bm25_ceiling(self, terms: list[str]) -> float:
        """The sentence BM25 a sentence made of exactly ``terms`` would approach: a yardstick
        that makes scores comparable between questions and between articles."""
        return sum(self._sentences.idf(t) * (DEFAULT_K1 + 1) for t in set(terms))

    def idf(self, term: str) -> float:
        return self._sentences.idf(term)

    def similarity(self) -> np.ndarray:
        """Sentence-by-sentence BM25 similarity (row i: sentence i as the query)."""
        return np.array([self._sentences.scores(terms) for terms in self.sentence_terms])

    # -- meaning -----------------------------------------------------------------------

    @property
    def has_vectors(self) -> bool:
        return self._vectors is not None

    @property
    def vectors(self) -> ArticleVectors | None:
        """The article's vectors, computed now if they were neither given nor computed yet;
        ``None`` for a words-only index."""
        if not self.semantic:
            return None
        if self._vectors is None:
            with self._embedding:  # two first questions at once embed it once
                if self._vectors is None:
                    self._vectors = embed_article(self.article, shared_encoder())
        return self._vectors

    def embed_all(self) -> ArticleVectors | None:
        """Make sure the vectors exist (so no question waits for them) and return them."""
        return self.vectors

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
