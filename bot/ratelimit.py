"""Per-user question limits: a polite notice the first time, then quiet until the window passes.

Telegram's own flood limits (per chat, per group, overall) are handled by PTB's
``AIORateLimiter``; this guards the bot's work against one user flooding it.
One process (SQLite) counts in memory; replicas sharing PostgreSQL count in
the database (``SharedQuestionLimiter``), or a user could ask N times per
replica.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from library.aio import AsyncLibrary


class Verdict(Enum):
    ALLOW = "allow"
    NOTIFY = "notify"  #: over the limit: tell the user once
    DROP = "drop"  #: still over the limit and already told


class QuestionLimiter:
    """At most ``per_window`` questions per user in any ``window_seconds``.

    Users who have been quiet for a whole window are forgotten (swept at most
    once per window, so the cost is spread thin): a bot seen by millions of
    users must not keep a record of each forever.
    """

    def __init__(
        self,
        per_window: int,
        window_seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.per_window = per_window
        self.window = window_seconds
        self._clock = clock
        self._asked: dict[int, deque[float]] = {}
        self._told: set[int] = set()
        self._swept = clock()

    @property
    def tracked_users(self) -> int:
        return len(self._asked)

    async def admit(self, user_id: int) -> Verdict:
        return self.check(user_id)

    def check(self, user_id: int) -> Verdict:
        now = self._clock()
        if now - self._swept >= self.window:
            self._forget_quiet_users(now)
        asked = self._asked.setdefault(user_id, deque())
        while asked and now - asked[0] >= self.window:
            asked.popleft()
        if len(asked) < self.per_window:
            asked.append(now)
            self._told.discard(user_id)
            return Verdict.ALLOW
        if user_id in self._told:
            return Verdict.DROP
        self._told.add(user_id)
        return Verdict.NOTIFY

    def _forget_quiet_users(self, now: float) -> None:
        quiet = [
            user
            for user, asked in self._asked.items()
            if not asked or now - asked[-1] >= self.window
        ]
        for user in quiet:
            del self._asked[user]
            self._told.discard(user)
        self._swept = now


class SharedQuestionLimiter:
    """At most ``per_window`` questions per user in each ``window_seconds`` window, counted
    in the database every replica shares; the user is told once per window, by whichever
    replica refused first.

    Fixed windows, not sliding ones: one row per user and a single atomic upsert per
    question. A user may squeeze up to twice the limit across a window's boundary,
    which the limit's purpose (keeping one user from flooding the bot) tolerates.
    """

    def __init__(
        self, library: AsyncLibrary, per_window: int, window_seconds: float = 60.0
    ) -> None:
        self.per_window = per_window
        self.window = window_seconds
        self._library = library

    async def admit(self, user_id: int) -> Verdict:
        asked = await self._library.count_question(user_id, self.window)
        if asked <= self.per_window:
            return Verdict.ALLOW
        return Verdict.NOTIFY if await self._library.told_of_limit(user_id) else Verdict.DROP
