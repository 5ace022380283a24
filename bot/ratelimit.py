"""Per-user question limits: a polite notice the first time, then quiet until the window passes.

Telegram's own flood limits (per chat, per group, overall) are handled by PTB's
``AIORateLimiter``; this guards the bot's work against one user flooding it.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from enum import Enum


class Verdict(Enum):
    ALLOW = "allow"
    NOTIFY = "notify"  #: over the limit: tell the user once
    DROP = "drop"  #: still over the limit and already told


class QuestionLimiter:
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

    def check(self, user_id: int) -> Verdict:
        now = self._clock()
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
