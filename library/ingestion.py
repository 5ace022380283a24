"""Adding articles runs on its own few threads, so heavy uploads cannot starve questions.

Extracting, splitting, storing, briefing and embedding an added article is the
heaviest work the bot does; on the event loop's shared pool, six 600 KB uploads
at once made another chat's question wait over a minute. Here at most
``workers`` adds run at once, each chat has at most ``per_chat`` in flight,
and at most ``capacity`` are admitted in all; past that, ``Busy`` tells the
chat to try again shortly instead of queueing without bound.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

from library.errors import LibraryError

log = logging.getLogger(__name__)
P = ParamSpec("P")
T = TypeVar("T")


class Busy(LibraryError):
    """Too many articles are being added (by this chat, or by everyone) to take another now."""


class IngestionQueue:
    """``doing`` and ``done`` name the work in its ``Busy`` messages: "adding" articles, or
    "reading" shared links someone asks about (a sibling queue with its own caps)."""

    def __init__(
        self,
        workers: int = 2,
        capacity: int = 8,
        per_chat: int = 1,
        *,
        doing: str = "adding",
        done: str = "added",
    ) -> None:
        self.capacity = capacity
        self.per_chat = per_chat
        self.doing, self.done = doing, done
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"ingest-{doing}")
        self._in_flight: Counter[int] = Counter()

    @property
    def in_flight(self) -> int:
        return sum(self._in_flight.values())

    def reserve(self, chat_id: int) -> None:
        """Hold a place for one add by ``chat_id``, or raise ``Busy``; ``release`` gives it back.

        Called on the event loop only, so the counts need no lock.
        """
        if self._in_flight[chat_id] >= self.per_chat:
            raise Busy(
                f"this chat is already {self.doing} an article; send it again when that is done"
            )
        if self.in_flight >= self.capacity:
            raise Busy(f"many articles are being {self.done} right now; try again in a minute")
        self._in_flight[chat_id] += 1

    def release(self, chat_id: int) -> None:
        self._in_flight[chat_id] -= 1
        if self._in_flight[chat_id] <= 0:
            del self._in_flight[chat_id]

    @contextmanager
    def admit(self, chat_id: int) -> Iterator[None]:
        """``reserve`` and ``release`` around a block."""
        self.reserve(chat_id)
        try:
            yield
        finally:
            self.release(chat_id)

    async def run(self, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """``work(*args, **kwargs)`` on an ingestion thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, functools.partial(work, *args, **kwargs))

    def submit(self, work: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """``work`` on an ingestion thread, not awaited: background work after an add.

        Nothing waits for it (a shutdown included: the work must be able to stop
        itself, as embedding does); a failure is logged, not lost.
        """
        future = self._pool.submit(work, *args, **kwargs)
        future.add_done_callback(_log_failure)
        return future


def _log_failure(future: Future[Any]) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.error("background ingestion work failed", exc_info=future.exception())
