"""What the stores hand out: rows of listings, add results, threads, schedules, and the
column lists and readers both stores build them with."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from library.errors import MissingArticle
from retrieval import Article, article_name, detect_language, rebuild_article

#: Chat id of the articles shipped with the product; every chat sees them.
SHARED = 0


@dataclass(frozen=True)
class FeedRow:
    """A feed a chat follows, as /feeds lists it and the poller uses it."""

    id: int
    chat_id: int
    url: str
    title: str | None
    etag: str | None
    last_modified: str | None
    failures: int
    failing_since: str | None
    error: str | None
    paused: bool
    items: int  #: articles it brought
    last_item_at: str | None

    @property
    def name(self) -> str:
        return self.title or self.url


#: ``FeedRow``'s columns, in its order.
FEED_COLUMNS = (
    "id, chat_id, url, title, etag, last_modified, failures, failing_since, error, paused,"
    " items, last_item_at"
)


def feed_row(row: Sequence[Any]) -> FeedRow:
    (id_, chat, url, title, etag, modified, failures, since, error, paused, items, last) = row
    return FeedRow(
        int(id_), int(chat), url, title, etag, modified, int(failures), since, error,
        bool(paused), int(items), last,
    )  # fmt: skip


@dataclass(frozen=True)
class FeedPoll:
    """What one poll of a feed leaves behind for the next."""

    next_poll_at: str
    etag: str | None
    last_modified: str | None
    title: str | None
    failures: int
    failing_since: str | None
    error: str | None
    paused: bool


@dataclass(frozen=True)
class QuestionTally:
    """One bot process's questions since it started, as /stats adds them up."""

    replica: str  #: the process's name, fixed when it starts
    started_at: str  #: UTC ISO 8601
    questions: int
    abstained: int  #: questions the article did not answer
    latencies: tuple[float, ...]  #: its latest answer times, in ms (a bounded window)


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
    stored_language: str | None = None  #: NULL for articles stored before schema 11

    @property
    def language(self) -> str:
        """The article's language; for an article stored before it was kept, read from
        its opening words (enough to tell a language apart)."""
        return self.stored_language or detect_language(self.opening)

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
    "id, chat_id, title, source, url, published, added_at,"
    f" substr(body, 1, {_OPENING_CHARS}), language"
)
_ROW_FIELDS = (
    "id", "chat_id", "title", "source", "url", "published", "added_at", "opening", "stored_language"
)  # fmt: skip
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
