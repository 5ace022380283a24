"""The library's async face: every operation the bot needs, safe to await on the event loop.

Database reads, ranking and index loads take milliseconds to seconds; on the
event loop they would hold up every chat. Each method here does the thread
hop itself (``asyncio.to_thread`` for quick work, the ingestion queue for
adds, extraction and briefing new articles), so no handler touches the store
or a thread.
"""

from __future__ import annotations

import asyncio
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime

from library.coordination import Admission
from library.extract import Extracted
from library.following import Caps, Following
from library.rows import AddResult, ArticleRow, FeedRow, QuestionTally, Schedule, Thread
from library.service import DueBriefing, KnownUrl, Library, Reply, SingleReply
from retrieval import Article, Citation


@dataclass(frozen=True)
class Briefed:
    """One article's briefing: the article and its most central sentences."""

    article_id: int
    article: Article
    citations: tuple[Citation, ...]


class AsyncLibrary:
    """``Library``'s operations as coroutines that run off the event loop."""

    def __init__(self, library: Library, feed_caps: Caps | None = None) -> None:
        self._library = library
        #: Feeds the chats follow; its methods already keep the event loop free.
        self.following = Following(library, feed_caps)

    async def followed(self, chat_id: int) -> list[FeedRow]:
        return await asyncio.to_thread(self.following.followed, chat_id)

    async def unfollow(self, chat_id: int, number: int) -> FeedRow | None:
        return await asyncio.to_thread(self.following.unfollow, chat_id, number)

    async def prune_feeds(self) -> int:
        return await asyncio.to_thread(self.following.prune)

    async def watching(self, chat_id: int) -> bool:
        return await asyncio.to_thread(self._library.watching, chat_id)

    async def set_watching(self, chat_id: int, on: bool) -> None:
        await asyncio.to_thread(self._library.set_watching, chat_id, on)

    async def chat_language(self, chat_id: int) -> str | None:
        return await asyncio.to_thread(self._library.chat_language, chat_id)

    async def set_chat_language(self, chat_id: int, language: str | None) -> None:
        await asyncio.to_thread(self._library.set_chat_language, chat_id, language)

    async def library_of(self, chat_id: int) -> int:
        return await asyncio.to_thread(self._library.library_of, chat_id)

    async def share_library(self, chat_id: int, library_chat: int) -> bool:
        return await asyncio.to_thread(self._library.share_library, chat_id, library_chat)

    # -- reading ----------------------------------------------------------------------

    async def ask(self, chat_id: int, question: str) -> Reply:
        return await asyncio.to_thread(self._library.ask, chat_id, question)

    async def remember(self, chat_id: int, message_ids: list[int], reply: Reply) -> None:
        await asyncio.to_thread(self._library.remember, chat_id, message_ids, reply)

    async def thread(self, chat_id: int, message_id: int) -> Thread | None:
        return await asyncio.to_thread(self._library.thread, chat_id, message_id)

    async def ask_in_thread(self, chat_id: int, thread: Thread, question: str) -> SingleReply:
        return await asyncio.to_thread(self._library.ask_in_thread, chat_id, thread, question)

    async def ask_about(self, chat_id: int, payload: str, question: str) -> SingleReply:
        """A question about a shared link or text, answered without adding it; ``Busy`` when
        too many shared links are being read (see ``Library.look_up``)."""
        index = await self._library.look_up(chat_id, payload)
        return await asyncio.to_thread(self._library.ask_about, index, question)

    async def remember_prompt(self, chat_id: int, message_id: int, payload: str) -> None:
        await asyncio.to_thread(self._library.remember_prompt, chat_id, message_id, payload)

    async def prompt(self, chat_id: int, message_id: int) -> str | None:
        return await asyncio.to_thread(self._library.prompt, chat_id, message_id)

    async def report_tally(self, tally: QuestionTally) -> None:
        await asyncio.to_thread(self._library.report_tally, tally)

    async def tallies(self) -> list[QuestionTally]:
        return await asyncio.to_thread(self._library.tallies)

    async def current(self, chat_id: int) -> ArticleRow | None:
        return await asyncio.to_thread(self._library.current, chat_id)

    async def articles(self, chat_id: int) -> list[ArticleRow]:
        return await asyncio.to_thread(self._library.articles, chat_id)

    async def row(self, chat_id: int, article_id: int) -> ArticleRow | None:
        return await asyncio.to_thread(self._library.row, chat_id, article_id)

    async def active_id(self, chat_id: int) -> int | None:
        return await asyncio.to_thread(self._library.active_id, chat_id)

    async def article(self, article_id: int) -> Article:
        """The article, indexed off the loop: a cache miss loads and indexes it whole."""
        return await asyncio.to_thread(self._library.article, article_id)

    async def brief(self, article_id: int, n: int) -> Briefed:
        return await asyncio.to_thread(self._briefed, article_id, n)

    async def briefs(self, article_ids: list[int], n: int) -> list[Briefed]:
        """Several articles' briefings in one hop (a daily briefing)."""
        return await asyncio.to_thread(lambda: [self._briefed(i, n) for i in article_ids])

    def _briefed(self, article_id: int, n: int) -> Briefed:
        return Briefed(
            article_id, self._library.article(article_id), self._library.brief(article_id, n)
        )

    async def count(self) -> int:
        return await asyncio.to_thread(self._library.count)

    # -- changing ---------------------------------------------------------------------

    async def use(self, chat_id: int, article_id: int | None) -> None:
        await asyncio.to_thread(self._library.use, chat_id, article_id)

    async def remove(self, chat_id: int, article_id: int) -> bool:
        return await asyncio.to_thread(self._library.remove, chat_id, article_id)

    def admit(self, chat_id: int) -> ExitStack:
        """A place in the ingestion queue for one add by this chat, held until the
        ``with`` block ends; raises ``Busy`` at once when there is none."""
        queue = self._library.ingestion
        queue.reserve(chat_id)
        place = ExitStack()
        place.callback(queue.release, chat_id)
        return place

    async def fetch_url(self, chat_id: int, url: str) -> Extracted | KnownUrl:
        return await self._library.fetch_url(chat_id, url)

    async def extract_upload(self, raw: bytes, file_name: str) -> Extracted:
        return await self._library.extract_upload(raw, file_name)

    async def add(self, chat_id: int, extracted: Extracted, added_by: int | None) -> AddResult:
        library = self._library
        return await library.ingestion.run(library.add_extracted, chat_id, extracted, added_by)

    async def brief_new(self, article_id: int, n: int) -> Briefed:
        """A just-added article's briefing, on the ingestion queue (it may be long)."""
        return await self._library.ingestion.run(self._briefed, article_id, n)

    def embed_soon(self, article_id: int) -> None:
        """Embed the article in the background, so its first question does not wait.

        Not awaited, and not a PTB task: stopping must not wait minutes for a long
        article (embedding stops itself at the next batch)."""
        self._library.ingestion.submit(self._library.warm_up, [article_id])

    # -- daily briefings ----------------------------------------------------------------

    async def schedules(self) -> list[Schedule]:
        return await asyncio.to_thread(self._library.schedules)

    async def set_schedule(self, chat_id: int, time: str, tz: str) -> None:
        await asyncio.to_thread(self._library.set_schedule, chat_id, time, tz)

    async def clear_schedule(self, chat_id: int) -> bool:
        return await asyncio.to_thread(self._library.clear_schedule, chat_id)

    async def claim_briefing(self, chat_id: int, at: datetime) -> bool:
        return await asyncio.to_thread(self._library.claim_briefing, chat_id, at)

    async def due_briefing(self, chat_id: int, until: str) -> DueBriefing:
        return await asyncio.to_thread(self._library.due_briefing, chat_id, until)

    async def briefed(self, chat_id: int, due: DueBriefing) -> None:
        await asyncio.to_thread(self._library.briefed, chat_id, due)

    # -- shared question limits -----------------------------------------------------------

    @property
    def replicated(self) -> bool:
        return self._library.replicated

    async def admit_question(
        self, user_id: int, per_window: int, window_seconds: float
    ) -> Admission:
        return await asyncio.to_thread(
            self._library.admit_question, user_id, per_window, window_seconds
        )

    # -- background work ----------------------------------------------------------------

    def start_backfill(self) -> None:
        """Embed stored articles that have no vectors yet, in a background thread."""
        self._library.start_backfill()

    def begin_stopping(self) -> None:
        """Tell background and shared-link reading to stop now (a stop signal arrived),
        so the updates waiting for them finish at once."""
        self._library.begin_stopping()

    async def stop_background(self) -> None:
        await asyncio.to_thread(self._library.stop_background)
