"""Articles and chat settings in SQLite (the default store): add, list, load, remove, search.

Persistence only: articles arrive parsed and analysed (``Library.add`` does
that once), and leave as rows or rebuilt articles. Every method is short and
thread-safe (one connection behind a lock), so the bot calls them from worker
threads. An add is one transaction: it is either wholly there after a crash or
not at all, and the caller replies only after it commits.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from library.db import connect
from library.errors import MissingArticle
from retrieval import Article, TermIndex, article_name, rebuild_article

#: Chat id of the articles shipped with the product; every chat sees them.
SHARED = 0


@dataclass(frozen=True)
class ArticleRow:
    """What a library listing shows; the text stays in the database until needed."""

    id: int
    chat_id: int
    title: str | None
    source: str | None
    url: str | None
    published: str | None
    added_at: str
    opening: str  #: the first characters of the text: enough to name an untitled article

    @property
    def shared(self) -> bool:
        return self.chat_id == SHARED

    @property
    def name(self) -> str:
        """The article's name in listings: its title, else its lead's first words."""
        return article_name(self.title, self.opening)


@dataclass(frozen=True)
class AddResult:
    article_id: int
    duplicate: bool  #: True when the chat already had it (same URL or same text)


@dataclass(frozen=True)
class Thread:
    """What one of the bot's answers was about: where a reply to it continues."""

    article_id: int
    question: str


@dataclass(frozen=True)
class Schedule:
    chat_id: int
    time: str  #: HH:MM
    tz: str
    last_briefed_at: str | None
    told_nothing_new: bool


def content_hash(text: str) -> str:
    """Same text modulo whitespace and case is the same article."""
    return hashlib.sha256(" ".join(text.split()).casefold().encode()).hexdigest()


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def hours_ago(hours: float) -> str:
    """A stored timestamp ``hours`` before now (same format as ``now``)."""
    return (datetime.now(UTC) - timedelta(hours=hours)).isoformat(timespec="microseconds")


_OPENING_CHARS = 200  #: more than a name needs (retrieval.citations.NAME_CHARS)
#: What a listing reads of an article (both backends' SQL); ``article_row`` builds the row.
ROW_COLUMNS = (
    f"id, chat_id, title, source, url, published, added_at, substr(body, 1, {_OPENING_CHARS})"
)
_ROW_FIELDS = ("id", "chat_id", "title", "source", "url", "published", "added_at", "opening")
#: What ``stored_article`` rebuilds an article from, and its vectors when asked for.
ARTICLE_COLUMNS = "body, sentence_spans, title, source, url, published"


def article_row(row: Sequence[object]) -> ArticleRow:
    """A row of ``ROW_COLUMNS``, by name: a column added to the query cannot shift the fields."""
    return ArticleRow(**dict(zip(_ROW_FIELDS, row, strict=True)))  # type: ignore[arg-type]


def stored_article(article_id: int, row: Sequence[Any] | None) -> tuple[Article, bytes | None]:
    """The article from a row of ``ARTICLE_COLUMNS`` plus its vectors (or NULL)."""
    if row is None:
        raise MissingArticle(f"no article {article_id} is stored")
    body, spans, title, source, url, published, blob = row
    article = rebuild_article(
        body,
        [tuple(span) for span in json.loads(spans)],
        name=f"article {article_id}",
        title=title,
        source=source,
        url=url,
        published=published,
    )
    return article, bytes(blob) if blob is not None else None


class SqliteStore:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._db = connection
        self._lock = threading.RLock()
        self._terms: TermIndex | None = None  # built from article_terms on first search

    @classmethod
    def open(cls, path: Path | str) -> SqliteStore:
        return cls(connect(Path(path)))

    def close(self) -> None:
        with self._lock:
            self._db.close()

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
                " sentence_spans, content_hash, added_by, added_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                ),
            )
            db.execute(
                "INSERT INTO article_terms (rowid, terms) VALUES (?, ?)",
                (article_id, " ".join(terms)),
            )
            if self._terms is not None:  # under the store lock: no search sees half of it
                self._terms.add(article_id, chat_id, terms)
        return AddResult(article_id, duplicate=False)

    def find_url(self, chat_id: int, url: str) -> int | None:
        with self._lock:
            return self._find_duplicate(self._db, chat_id, url, None)

    @staticmethod
    def _find_duplicate(
        db: sqlite3.Connection, chat_id: int, url: str | None, digest: str | None
    ) -> int | None:
        # Two indexed lookups: one query with "url = ? OR content_hash = ?" made SQLite
        # scan every article of the chat, so each add got slower as the library grew.
        row = db.execute(
            "SELECT id FROM articles WHERE chat_id IN (?, ?) AND url = ?"
            " UNION SELECT id FROM articles WHERE chat_id IN (?, ?) AND content_hash = ?"
            " ORDER BY 1 LIMIT 1",
            (chat_id, SHARED, url, chat_id, SHARED, digest),
        ).fetchone()
        return int(row[0]) if row else None

    def visible(self, chat_id: int) -> list[ArticleRow]:
        """The shared articles and the chat's own, oldest first."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {ROW_COLUMNS} FROM articles WHERE chat_id IN (?, ?) ORDER BY id",
                (SHARED, chat_id),
            ).fetchall()
        return [article_row(row) for row in rows]

    def newest(self, chat_id: int, limit: int) -> list[ArticleRow]:
        """The chat's ``limit`` newest visible articles, newest first; cheap at any size."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {ROW_COLUMNS} FROM articles WHERE chat_id IN (?, ?) ORDER BY id DESC LIMIT ?",
                (SHARED, chat_id, limit),
            ).fetchall()
        return [article_row(row) for row in rows]

    def row(self, chat_id: int, article_id: int) -> ArticleRow | None:
        """The article if ``chat_id`` may see it."""
        with self._lock:
            row = self._db.execute(
                f"SELECT {ROW_COLUMNS} FROM articles WHERE id = ? AND chat_id IN (?, ?)",
                (article_id, SHARED, chat_id),
            ).fetchone()
        return article_row(row) if row else None

    def load(self, article_id: int) -> Article:
        return self.load_with_vectors(article_id, None)[0]

    def load_with_vectors(self, article_id: int, model: str | None) -> tuple[Article, bytes | None]:
        """The article and, when ``model`` made them, its stored vectors: one query, since a
        library question loads several articles that are not cached."""
        with self._lock:
            row = self._db.execute(
                f"SELECT {ARTICLE_COLUMNS},"
                " (SELECT vectors FROM article_vectors WHERE article_id = a.id AND model = ?)"
                " FROM articles a WHERE id = ?",
                (model, article_id),
            ).fetchone()
        return stored_article(article_id, row)

    def remove(self, chat_id: int, article_id: int) -> bool:
        """Remove one of the chat's own articles; shared ones cannot be removed."""
        with self._transaction() as db:
            deleted = db.execute(
                "DELETE FROM articles WHERE id = ? AND chat_id = ?", (article_id, chat_id)
            ).rowcount
            if deleted:
                db.execute("DELETE FROM article_terms WHERE rowid = ?", (article_id,))
                if self._terms is not None:
                    self._terms.remove(article_id)
        return bool(deleted)

    # -- vectors ----------------------------------------------------------------------

    def vectors(self, article_id: int, model: str) -> bytes | None:
        """The article's stored vectors when ``model`` made them."""
        with self._lock:
            row = self._db.execute(
                "SELECT vectors FROM article_vectors WHERE article_id = ? AND model = ?",
                (article_id, model),
            ).fetchone()
        return bytes(row[0]) if row else None

    def save_vectors(
        self, article_id: int, model: str, blob: bytes, sentences: np.ndarray | None = None
    ) -> bool:
        """Keep an article's vectors; False when the article was removed meanwhile.
        (``sentences`` feed PostgreSQL's nearest-sentence index; SQLite keeps none.)"""
        try:
            with self._transaction() as db:
                db.execute(
                    "INSERT OR REPLACE INTO article_vectors (article_id, model, vectors)"
                    " VALUES (?, ?, ?)",
                    (article_id, model, blob),
                )
        except sqlite3.IntegrityError:  # the foreign key: no such article any more
            return False
        return True

    def without_vectors(self, model: str, limit: int) -> list[int]:
        """Ids of articles that have no vectors from ``model`` yet, oldest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT a.id FROM articles a LEFT JOIN article_vectors v"
                " ON v.article_id = a.id AND v.model = ?"
                " WHERE v.article_id IS NULL ORDER BY a.id LIMIT ?",
                (model, limit),
            ).fetchall()
        return [int(row[0]) for row in rows]

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
                    " JOIN article_terms t ON t.rowid = a.id"
                ).fetchall()
                self._terms = TermIndex.build(rows)
            return self._terms

    def added_between(self, chat_id: int, since: str | None, until: str) -> list[ArticleRow]:
        """The chat's own articles added in ``(since, until]``: one daily briefing's worth."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {ROW_COLUMNS} FROM articles WHERE chat_id = ? AND added_at > ?"
                " AND added_at <= ? ORDER BY id",
                (chat_id, since or "", until),
            ).fetchall()
        return [article_row(row) for row in rows]

    # -- conversations ----------------------------------------------------------------

    def remember_answer(
        self,
        chat_id: int,
        message_ids: Sequence[int],
        article_id: int,
        question: str,
        *,
        forget_before: str,
    ) -> None:
        """Record that these messages of the bot answered ``question`` from the article, and
        forget answers sent before ``forget_before``, in one transaction (one fsync)."""
        with self._transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO answers (chat_id, message_id, article_id, question,"
                " sent_at) VALUES (?, ?, ?, ?, ?)",
                [(chat_id, m, article_id, question, now()) for m in message_ids],
            )
            db.execute("DELETE FROM answers WHERE sent_at < ?", (forget_before,))

    def thread(self, chat_id: int, message_id: int) -> Thread | None:
        with self._lock:
            row = self._db.execute(
                "SELECT article_id, question FROM answers WHERE chat_id = ? AND message_id = ?",
                (chat_id, message_id),
            ).fetchone()
        return Thread(int(row[0]), row[1]) if row else None

    # -- chat settings --------------------------------------------------------------

    def _ensure_chat(self, db: sqlite3.Connection, chat_id: int) -> None:
        db.execute("INSERT OR IGNORE INTO chat_settings (chat_id) VALUES (?)", (chat_id,))

    def active_article(self, chat_id: int) -> int | None:
        with self._lock:
            row = self._db.execute(
                "SELECT active_article FROM chat_settings WHERE chat_id = ?", (chat_id,)
            ).fetchone()
        return int(row[0]) if row and row[0] is not None else None

    def set_active(self, chat_id: int, article_id: int | None) -> None:
        with self._transaction() as db:
            self._ensure_chat(db, chat_id)
            db.execute(
                "UPDATE chat_settings SET active_article = ? WHERE chat_id = ?",
                (article_id, chat_id),
            )

    def set_schedule(self, chat_id: int, time: str, tz: str, *, first_since: str) -> None:
        """Schedule the chat's briefing; a chat never briefed before starts its first
        window at ``first_since`` (a chat briefed before keeps its window)."""
        with self._transaction() as db:
            self._ensure_chat(db, chat_id)
            db.execute(
                "UPDATE chat_settings SET schedule_time = ?, schedule_tz = ?,"
                " last_briefed_at = COALESCE(last_briefed_at, ?), told_nothing_new = 0"
                " WHERE chat_id = ?",
                (time, tz, first_since, chat_id),
            )

    def clear_schedule(self, chat_id: int) -> bool:
        with self._transaction() as db:
            changed = db.execute(
                "UPDATE chat_settings SET schedule_time = NULL, schedule_tz = NULL"
                " WHERE chat_id = ? AND schedule_time IS NOT NULL",
                (chat_id,),
            ).rowcount
        return bool(changed)

    def schedules(self) -> list[Schedule]:
        return self._schedules("", ())

    def schedule(self, chat_id: int) -> Schedule | None:
        found = self._schedules(" AND chat_id = ?", (chat_id,))
        return found[0] if found else None

    def _schedules(self, where: str, args: tuple[int, ...]) -> list[Schedule]:
        with self._lock:
            rows = self._db.execute(
                "SELECT chat_id, schedule_time, schedule_tz, last_briefed_at, told_nothing_new"
                " FROM chat_settings WHERE schedule_time IS NOT NULL" + where,
                args,
            ).fetchall()
        return [Schedule(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows]

    def claim_briefing(self, chat_id: int, slot: str) -> bool:
        """Take the chat's daily briefing for ``slot`` (its local "YYYY-MM-DD HH:MM"); only
        one caller ever gets True for a slot, so a duplicate job cannot send it twice."""
        with self._transaction() as db:
            claimed = db.execute(
                "UPDATE chat_settings SET briefing_slot = ? WHERE chat_id = ?"
                " AND schedule_time IS NOT NULL"
                " AND (briefing_slot IS NULL OR briefing_slot < ?)",
                (slot, chat_id, slot),
            ).rowcount
        return bool(claimed)

    def mark_briefed(self, chat_id: int, *, until: str, nothing_new: bool) -> None:
        """Record a daily run; ``until`` is the cut-off its article query used, so an
        article added while the briefing was being sent goes into the next one."""
        with self._transaction() as db:
            if nothing_new:
                db.execute(
                    "UPDATE chat_settings SET told_nothing_new = 1 WHERE chat_id = ?", (chat_id,)
                )
            else:
                db.execute(
                    "UPDATE chat_settings SET last_briefed_at = ?, told_nothing_new = 0"
                    " WHERE chat_id = ?",
                    (until, chat_id),
                )
