"""Feeds a chat follows: following one, polling what is due, new entries becoming articles.

Polling is shared work: each process takes the feeds due now with a claim in
the store (``claim_feeds``; a killed process's claim runs out after
``CLAIM_SECONDS``), so with several replicas each feed is polled by one at a
time and nothing is added twice. A poll is a conditional GET (an unchanged
feed costs a 304); the next one is scheduled by ``library.feeds.next_poll_seconds``.

Each new entry (not seen in the chat by its guid, link or text) is read like
``/add`` reads a link: its page fetched through the address guard and
extracted on the ingestion queue's threads; when the page cannot be had, the
entry's own text is the article. The article keeps the entry's title, link
and date, and the feed's name as its source. Caps bound what one feed or one
busy source can do to a chat: ``NEW_PER_POLL`` entries per feed per poll,
``Caps.per_day`` articles per chat per day; what is over the caps is marked
seen, so a feed that renames every entry on each poll cannot flood the chat.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from library.articles import Articles
from library.backend import Store
from library.errors import FetchError, LibraryError
from library.extract import Extracted
from library.feeds import (
    PAUSE_AFTER_DAYS,
    Entry,
    Feed,
    NotAFeed,
    discover,
    next_poll_seconds,
    parse_feed,
)
from library.fetch import FEED_TYPES, Conditions, Fetched, fetch
from library.rows import FeedPoll, FeedRow, hours_ago, now
from retrieval import ArticleError

log = logging.getLogger(__name__)

#: Seconds a process holds the feeds it took for polling.
CLAIM_SECONDS = 120
#: Feeds fetched at the same time by one process.
POLLS_AT_ONCE = 8
#: New entries taken from one feed in one poll (the newest first).
NEW_PER_POLL = 5
#: Shortest entry text that stands in for an article whose page cannot be had.
FALLBACK_CHARS = 80


@dataclass(frozen=True)
class Caps:
    """Limits per chat, from settings (README lists them)."""

    feeds: int = 20  #: feeds one chat may follow
    per_day: int = 100  #: articles feeds may bring one chat a day
    keep_days: int = 30  #: feed articles older than this are removed


@dataclass(frozen=True)
class Followed:
    feed: FeedRow
    entries: int  #: entries the feed holds now


@dataclass(frozen=True)
class Polled:
    """One feed's poll, for the chat's notice."""

    feed: FeedRow
    added: tuple[int, ...]  #: new article numbers
    paused_now: bool  #: failing for days: paused by this poll (tell the chat once)


class TooManyFeeds(LibraryError):
    """The chat follows as many feeds as it may."""


class Following:
    def __init__(self, articles: Articles, caps: Caps | None = None) -> None:
        self.articles = articles
        self.caps = caps or Caps()

    async def follow(self, chat_id: int, url: str) -> Followed:
        """Follow the feed at ``url``, or the one a page there names. Raises ``FetchError``
        or ``NotAFeed`` with what went wrong, ``TooManyFeeds`` over the cap."""
        fetched = await self._fetch(url)
        try:
            feed = await _parsed(fetched)
        except NotAFeed:
            named = discover(fetched.body, fetched.url)
            if named is None:
                raise NotAFeed(url) from None
            url = named
            fetched = await self._fetch(url)
            feed = await _parsed(fetched)
        row = await asyncio.to_thread(
            self.articles.store.follow, chat_id, url, feed.title, limit=self.caps.feeds
        )
        if row is None:
            raise TooManyFeeds(f"this chat follows {self.caps.feeds} feeds already")
        return Followed(row, len(feed.entries))

    def followed(self, chat_id: int) -> list[FeedRow]:
        return self.articles.store.followed(chat_id)

    def unfollow(self, chat_id: int, number: int) -> FeedRow | None:
        """Stop following the chat's feed number ``number`` (1-based, as /feeds lists)."""
        feeds = self.followed(chat_id)
        if not 1 <= number <= len(feeds):
            return None
        feed = feeds[number - 1]
        return feed if self.articles.store.unfollow(chat_id, feed.id) else None

    async def poll_due(self, batch: int = 20, *, budget_seconds: float = 25.0) -> list[Polled]:
        """Poll the feeds due now that no other process holds, ``POLLS_AT_ONCE`` at a time,
        claiming ``batch`` after ``batch`` until none is due or ``budget_seconds`` have gone
        (the job comes back for the rest); what each brought."""
        deadline = time.monotonic() + budget_seconds
        gate = asyncio.Semaphore(POLLS_AT_ONCE)

        async def one(feed: FeedRow) -> Polled:
            async with gate:
                return await self.poll(feed)

        polled: list[Polled] = []
        while time.monotonic() < deadline:
            claimed = await asyncio.to_thread(
                self.articles.store.claim_feeds, until=_after(CLAIM_SECONDS), limit=batch
            )
            if not claimed:
                break
            polled += await asyncio.gather(*map(one, claimed))
        return polled

    async def poll(self, feed: FeedRow) -> Polled:
        try:
            fetched = await self._fetch(feed.url, Conditions(feed.etag, feed.last_modified))
            parsed = None if fetched.not_modified else await _parsed(fetched)
        except (FetchError, NotAFeed) as error:
            retry = error.retry_after if isinstance(error, FetchError) else None
            return await asyncio.to_thread(self._failed, feed, _reason(error), retry)
        added = await self._take_new(feed, parsed) if parsed is not None else ()
        headers = fetched.headers
        await asyncio.to_thread(
            self.articles.store.polled,
            feed.id,
            FeedPoll(
                next_poll_at=_after(
                    next_poll_seconds(
                        ttl_seconds=parsed.ttl_seconds if parsed else None,
                        cache_control=headers.get("cache-control"),
                    )
                ),
                etag=headers.get("etag", feed.etag if fetched.not_modified else None),
                last_modified=headers.get(
                    "last-modified", feed.last_modified if fetched.not_modified else None
                ),
                title=parsed.title if parsed else None,
                failures=0,
                failing_since=None,
                error=None,
                paused=False,
            ),
        )
        return Polled(feed, added, paused_now=False)

    def _failed(self, feed: FeedRow, reason: str, retry_after: str | None) -> Polled:
        since = feed.failing_since or now()
        pause = datetime.fromisoformat(since) < datetime.now(UTC) - timedelta(days=PAUSE_AFTER_DAYS)
        self.articles.store.polled(
            feed.id,
            FeedPoll(
                next_poll_at=_after(
                    next_poll_seconds(retry_after=retry_after, failures=feed.failures + 1)
                ),
                etag=feed.etag,
                last_modified=feed.last_modified,
                title=None,
                failures=feed.failures + 1,
                failing_since=since,
                error=reason,
                paused=pause,
            ),
        )
        failed = replace(
            feed, failures=feed.failures + 1, failing_since=since, error=reason, paused=pause
        )
        return Polled(failed, (), paused_now=pause and not feed.paused)

    async def _take_new(self, feed: FeedRow, parsed: Feed) -> tuple[int, ...]:
        store = self.articles.store
        entries = list(parsed.entries)
        unseen = await asyncio.to_thread(store.unseen, feed.chat_id, [e.keys() for e in entries])
        fresh = [entries[n] for n in unseen]
        today = await asyncio.to_thread(store.added_today, feed.chat_id, hours_ago(24))
        room = min(NEW_PER_POLL, max(0, self.caps.per_day - today))
        added = []
        # Oldest first, so article numbers follow the order the news came in.
        for entry in reversed(fresh[:room]):
            number = await self._add(feed, parsed, entry)
            await asyncio.to_thread(
                store.seen, feed.chat_id, feed.id, entry.keys(), article=number is not None
            )
            if number is not None:
                added.append(number)
        # Over the caps: marked seen, never taken later either.
        await asyncio.to_thread(_pass_over, store, feed, fresh[room:])
        return tuple(added)

    async def _add(self, feed: FeedRow, parsed: Feed, entry: Entry) -> int | None:
        articles = self.articles
        extracted = None
        if entry.link:
            try:
                extracted = await articles.fetch(entry.link)
            except (FetchError, ArticleError) as error:
                log.info("feed %d: entry page not read (%s); using its own text", feed.id, error)
        if extracted is None or not extracted.text.strip():
            if len(entry.content) < FALLBACK_CHARS:
                return None  # a headline alone is nothing to answer questions from
            extracted = Extracted(entry.content, url=entry.link)
        as_entry = replace(
            extracted,
            title=entry.title or extracted.title,
            source=parsed.title or feed.name,
            url=entry.link or extracted.url,
            published=entry.published or extracted.published,
        )
        try:
            result = await articles.ingestion.run(
                articles.add_extracted, feed.chat_id, as_entry, None, feed_id=feed.id
            )
        except ArticleError:
            return None
        return None if result.duplicate else result.article_id

    async def _fetch(self, url: str, conditions: Conditions | None = None) -> Fetched:
        return await fetch(
            url, allow_hosts=self.articles.allow_hosts, accepted=FEED_TYPES, conditions=conditions
        )

    def prune(self, limit: int = 500) -> int:
        """Remove feed articles older than ``Caps.keep_days``; how many went."""
        cutoff = hours_ago(24 * self.caps.keep_days)
        gone = 0
        for chat_id, article_id in self.articles.store.feed_articles_before(cutoff, limit):
            gone += self.articles.remove(chat_id, article_id)
        return gone


async def _parsed(fetched: Fetched) -> Feed:
    """The feed, parsed off the event loop (a 2 MB feed takes a while)."""
    return await asyncio.to_thread(parse_feed, fetched.body, fetched.content_type, fetched.url)


def _pass_over(store: Store, feed: FeedRow, entries: list[Entry]) -> None:
    for entry in entries:
        store.seen(feed.chat_id, feed.id, entry.keys(), article=False)


def _after(seconds: int) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat(timespec="microseconds")


def _reason(error: Exception) -> str:
    if isinstance(error, NotAFeed):
        return "not a feed any more (no RSS, Atom or JSON Feed there)"
    return str(error)[:200]
