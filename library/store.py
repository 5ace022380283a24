"""Articles and chat settings in SQLite (the default store): add, list, load, remove, search.

Persistence only: articles arrive parsed and analysed (``Library.add`` does
that once), and leave as rows or rebuilt articles. Every method is short and
thread-safe (one connection behind a lock), so the bot calls them from worker
threads. An add is one transaction: it is either wholly there after a crash or
not at all, and the caller replies only after it commits.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

import numpy as np

from library.coordination import InProcess
from library.db import connect
from library.portable_queries import PortableQueries
from library.rows import SHARED, AddResult, content_hash, now
from retrieval import Article, TermIndex


class SqliteStore(PortableQueries):
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection
        self._lock = threading.RLock()
        self._terms: TermIndex | None = None  # built from article_term_lists on first search

    @classmethod
    def open(cls, path: Path | str) -> SqliteStore:
        return cls(connect(Path(path)))

    def close(self) -> None:
        with self._lock:
            self._db.close()

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            yield self._db

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # -- articles -----------------------------------------------------------------

    def add(
        self,
        chat_id: int,
        article: Article,
        terms: Sequence[str],
        *,
        added_by: int | None = None,
        feed_id: int | None = None,
    ) -> AddResult:
        """Store a parsed article and its analysed ``terms`` (for candidate search) for
        ``chat_id``; an existing copy (same URL or same text) is returned instead."""
        digest = content_hash(article.text)
        with self._transaction() as db:
            existing = self._find_duplicate(db, chat_id, article.url, digest)
            if existing is not None:
                return AddResult(existing, duplicate=True)
            db.execute("UPDATE counters SET value = value + 1 WHERE name = 'article_id'")
            article_id = int(
                db.execute("SELECT value FROM counters WHERE name = 'article_id'").fetchone()[0]
            )
            db.execute(
                "INSERT INTO articles (id, chat_id, title, source, url, published, body,"
                " sentence_spans, content_hash, added_by, added_at, feed_id, language)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    article_id,
                    chat_id,
                    article.title,
                    article.source,
                    article.url,
                    article.published,
                    article.text,
                    json.dumps([[s.start, s.end] for s in article.sentences]),
                    digest,
                    added_by,
                    now(),
                    feed_id,
                    article.language,
                ),
            )
            db.execute(
                "INSERT INTO article_term_lists (article_id, terms) VALUES (?, ?)",
                (article_id, " ".join(terms)),
            )
            if self._terms is not None:  # under the store lock: no search sees half of it
                self._terms.add(article_id, chat_id, terms)
        return AddResult(article_id, duplicate=False)

    def remove(self, chat_id: int, article_id: int) -> bool:
        """Remove one of the chat's own articles; shared ones cannot be removed."""
        with self._transaction() as db:
            deleted = db.execute(
                "DELETE FROM articles WHERE id = ? AND chat_id = ?", (article_id, chat_id)
            ).rowcount
            # Its stored terms go with it (ON DELETE CASCADE); the index is told here.
            if deleted and self._terms is not None:
                self._terms.remove(article_id)
        return bool(deleted)

    def stored_terms(self, article_id: int) -> list[str] | None:
        """The analysed terms stored with the article (None: no such article)."""
        with self._reading() as db:
            row = db.execute(
                "SELECT terms FROM article_term_lists WHERE article_id = ?", (article_id,)
            ).fetchone()
        return str(row[0]).split() if row is not None else None

    def replace_terms(self, article_id: int, terms: Sequence[str]) -> bool:
        """Store the article's text analysed again, and index it by the new terms; False
        when it was removed meanwhile."""
        with self._transaction() as db:
            row = db.execute(
                "SELECT a.chat_id, t.terms FROM articles a"
                " JOIN article_term_lists t ON t.article_id = a.id WHERE a.id = ?",
                (article_id,),
            ).fetchone()
            if row is None:
                return False
            db.execute(
                "UPDATE article_term_lists SET terms = ? WHERE article_id = ?",
                (" ".join(terms), article_id),
            )
            if self._terms is not None:  # under the store lock, as an add is
                self._terms.replace(article_id, int(row[0]), str(row[1]).split(), Counter(terms))
        return True

    # -- vectors ----------------------------------------------------------------------

    def save_vectors(
        self, article_id: int, model: str, blob: bytes, sentences: np.ndarray | None = None
    ) -> bool:
        """Keep an article's vectors; False when the article was removed meanwhile.
        (``sentences`` feed PostgreSQL's nearest-sentence index; SQLite keeps none.)"""
        return self._keep_reading("article_vectors", article_id, model, blob)

    def save_meaning(self, article_id: int, model: str, blob: bytes) -> bool:
        """Keep what the multilingual model read in an English article; False when the
        article was removed meanwhile."""
        return self._keep_reading("article_meanings", article_id, model, blob)

    def _keep_reading(self, table: str, article_id: int, model: str, blob: bytes) -> bool:
        try:
            with self._transaction() as db:
                db.execute(
                    f"INSERT OR REPLACE INTO {table} (article_id, model, vectors) VALUES (?, ?, ?)",
                    (article_id, model, blob),
                )
        except sqlite3.IntegrityError:  # the foreign key: no such article any more
            return False
        return True

    def coordination(self) -> InProcess:
        """One process owns a SQLite library: it coordinates with itself, in memory."""
        return InProcess()

    def embedding_claim(self, article_id: int) -> AbstractContextManager[bool]:
        """One process owns a SQLite library: its embeddings never race another's."""
        return nullcontext(True)

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM articles").fetchone()[0])

    def search(self, chat_id: int, terms: Sequence[str], limit: int) -> list[int]:
        """Ids of the chat's visible articles that best match a question's ``terms`` (BM25)."""
        if not terms:
            return []
        return self.term_index().search((SHARED, chat_id), terms, limit)

    def term_index(self) -> TermIndex:
        """The in-memory candidate index, read from the stored terms on first use."""
        with self._lock:
            if self._terms is None:
                rows = self._db.execute(
                    "SELECT a.id, a.chat_id, t.terms FROM articles a"
                    " JOIN article_term_lists t ON t.article_id = a.id"
                ).fetchall()
                self._terms = TermIndex.build(rows)
            return self._terms
