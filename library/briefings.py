"""Briefings: an article's most central sentences (/brief, a new article's summary) and
the daily briefings chats schedule; the rules live here, the bot only sends."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from library.articles import Articles
from library.backend import Store
from library.rows import Schedule, hours_ago
from retrieval import Article, Citation, brief

#: How far back the first daily briefing reaches: the day before /schedule.
FIRST_WINDOW_HOURS = 24


@dataclass(frozen=True)
class Briefed:
    """One article's briefing: the article and its most central sentences."""

    article_id: int
    article: Article
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class DueBriefing:
    """What a chat's daily briefing says now.

    ``article_ids`` are the chat's articles added since the last briefing, oldest
    first; none means "nothing new", which a chat hears once, then ``quiet``.
    """

    until: str  #: the cut-off: articles added later go into the next briefing
    article_ids: tuple[int, ...] = ()
    scheduled: bool = True  #: False: the chat unscheduled meanwhile
    quiet: bool = False  #: nothing to send at all
    #: The feed each article came from, for those a feed brought: with any, the briefing
    #: is a digest grouped by feed.
    feeds: dict[int, str] = field(default_factory=dict)


class Briefings:
    def __init__(self, store: Store, articles: Articles) -> None:
        self.store = store
        self.articles = articles

    def brief(self, article_id: int, n: int) -> Briefed:
        """The article's ``n`` most central sentences."""
        index = self.articles.index(article_id)
        return Briefed(article_id, index.article, brief(index, n))

    def briefs(self, article_ids: list[int], n: int) -> list[Briefed]:
        """Several articles' briefings (a daily briefing), in one hop off the event loop."""
        return [self.brief(article_id, n) for article_id in article_ids]

    async def brief_new(self, article_id: int, n: int) -> Briefed:
        """A just-added article's briefing, on the ingestion queue (it may be long)."""
        return await self.articles.ingestion.run(self.brief, article_id, n)

    # -- daily briefings ----------------------------------------------------------------

    def schedules(self) -> list[Schedule]:
        return self.store.schedules()

    def set_schedule(self, chat_id: int, time: str, tz: str) -> None:
        """The first briefing covers what the chat added in the day before it scheduled
        one (it would otherwise open with "nothing new" right after a day of adds)."""
        self.store.set_schedule(chat_id, time, tz, first_since=hours_ago(FIRST_WINDOW_HOURS))

    def clear_schedule(self, chat_id: int) -> bool:
        """True if the chat had a schedule."""
        return self.store.clear_schedule(chat_id)

    def claim(self, chat_id: int, at: datetime) -> bool:
        """Take today's daily briefing of the chat (the day as its time zone counts it);
        False when it was taken already: by another replica sharing the database, or by a
        second job. A replica killed after the claim and before sending loses that day's
        briefing rather than risk sending it twice."""
        schedule = self.store.schedule(chat_id)
        if schedule is None:
            return False
        try:
            local = at.astimezone(ZoneInfo(schedule.tz))
        except (ZoneInfoNotFoundError, ValueError):
            local = at.astimezone(UTC)
        return self.store.claim_briefing(chat_id, f"{local:%Y-%m-%d} {schedule.time}")

    def due(self, chat_id: int, until: str) -> DueBriefing:
        """The articles added since the chat's last briefing, up to ``until``; "nothing new"
        is said once, then the briefing stays quiet until something is added."""
        schedule = self.store.schedule(chat_id)
        if schedule is None:
            return DueBriefing(until, scheduled=False, quiet=True)
        # A discussion group's briefing tells of its channel's articles.
        rows = self.store.added_between(
            self.store.library_of(chat_id), schedule.last_briefed_at, until
        )
        ids = tuple(row.id for row in rows)
        feeds = self.store.feed_names(ids) if ids else {}
        return DueBriefing(until, ids, quiet=not ids and schedule.told_nothing_new, feeds=feeds)

    def sent(self, chat_id: int, due: DueBriefing) -> None:
        """Record that ``due`` was sent."""
        self.store.mark_briefed(chat_id, until=due.until, nothing_new=not due.article_ids)
