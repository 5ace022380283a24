"""Which store holds the library: SQLite for a path (the default), PostgreSQL for a URL.

One process on one machine needs nothing installed: a SQLite file. A
deployment with several bot replicas points ``NEWSBOT_DB`` at PostgreSQL
(``postgresql://...``), which they share. ``Store`` is what ``Library`` asks
of either; each backend's tests run the same suite (tests/library).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol, TypeGuard
from urllib.parse import urlsplit, urlunsplit

import numpy as np

from library.errors import StoreError
from library.rows import AddResult, ArticleRow, Schedule, Thread
from library.store import SqliteStore
from retrieval import Article, TermIndex

#: ``NEWSBOT_DB`` and ``--db`` values that name a PostgreSQL server, not a file.
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres(target: Path | str) -> TypeGuard[str]:
    return isinstance(target, str) and target.startswith(POSTGRES_SCHEMES)


def redacted(url: str) -> str:
    """The URL without its password: what error messages and logs may show."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}@" if parts.username else ""
    return urlunsplit((parts.scheme, user + host, parts.path, parts.query, parts.fragment))


class Store(Protocol):
    """The persistence ``Library`` uses; every method is one short transaction."""

    def close(self) -> None: ...
    def add(
        self, chat_id: int, article: Article, terms: Sequence[str], *, added_by: int | None = None
    ) -> AddResult: ...
    def find_url(self, chat_id: int, url: str) -> int | None: ...
    def visible(self, chat_id: int) -> list[ArticleRow]: ...
    def newest(self, chat_id: int, limit: int) -> list[ArticleRow]: ...
    def row(self, chat_id: int, article_id: int) -> ArticleRow | None: ...
    def load(self, article_id: int) -> Article: ...
    def load_with_vectors(
        self, article_id: int, model: str | None
    ) -> tuple[Article, bytes | None]: ...
    def remove(self, chat_id: int, article_id: int) -> bool: ...
    def vectors(self, article_id: int, model: str) -> bytes | None: ...
    def save_vectors(
        self, article_id: int, model: str, blob: bytes, sentences: np.ndarray | None = None
    ) -> bool: ...
    def without_vectors(self, model: str, limit: int) -> list[int]: ...
    def embedding_claim(self, article_id: int) -> AbstractContextManager[bool]: ...
    def count(self) -> int: ...
    def search(self, chat_id: int, terms: Sequence[str], limit: int) -> list[int]: ...
    def term_index(self) -> TermIndex: ...
    def added_between(self, chat_id: int, since: str | None, until: str) -> list[ArticleRow]: ...
    def remember_answer(
        self,
        chat_id: int,
        message_ids: Sequence[int],
        article_id: int,
        question: str,
        *,
        forget_before: str,
    ) -> None: ...
    def thread(self, chat_id: int, message_id: int) -> Thread | None: ...
    def active_article(self, chat_id: int) -> int | None: ...
    def set_active(self, chat_id: int, article_id: int | None) -> None: ...
    def set_schedule(self, chat_id: int, time: str, tz: str, *, first_since: str) -> None: ...
    def clear_schedule(self, chat_id: int) -> bool: ...
    def schedules(self) -> list[Schedule]: ...
    def schedule(self, chat_id: int) -> Schedule | None: ...
    def claim_briefing(self, chat_id: int, slot: str) -> bool: ...
    def mark_briefed(self, chat_id: int, *, until: str, nothing_new: bool) -> None: ...


def open_store(target: Path | str) -> Store:
    """The store at ``target``: a PostgreSQL URL, else a SQLite file path (created if
    missing). Raises ``StoreError`` with one line when it cannot be used."""
    if is_postgres(target):
        try:  # psycopg only where PostgreSQL is used
            from library.postgres import PostgresStore
        except ImportError:
            raise StoreError(
                f"{redacted(target)}: PostgreSQL needs psycopg; pip install 'newsbot[postgres]'"
            ) from None
        return PostgresStore.open(target)
    return SqliteStore.open(target)
