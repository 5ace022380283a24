"""What the processes serving one library must agree on, behind one protocol.

One bot process over SQLite agrees with itself: it counts questions in memory
(exact, and free) and has no sentence index to search by meaning. Replicas
sharing PostgreSQL agree through the database: question windows in a table
every replica updates, nearest sentences from its pgvector index. Each store
says which coordination goes with it (``Store.coordination()``), so the
choice is made once, where the store is opened, and nothing above asks which
backend it has.

What replicas share that is plain data (threads, pending prompts, /stats
tallies, briefing claims, schedules) lives in the store itself, the same SQL
on both backends (``library/portable_queries.py``).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from enum import Enum
from typing import Protocol

import numpy as np


class Admission(Enum):
    """A question's fate under the per-user limit."""

    ALLOW = "allow"
    NOTIFY = "notify"  #: over the limit: tell the user once
    DROP = "drop"  #: still over the limit and already told


class Coordination(Protocol):
    @property
    def shared(self) -> bool:
        """Whether other processes may serve the same library (then per-process caches,
        such as an index cached before another replica embedded its article, go stale)."""
        ...

    def admit_question(self, user_id: int, per_window: int, window_seconds: float) -> Admission:
        """Count a question of ``user_id`` against ``per_window`` in ``window_seconds``."""
        ...

    def nearest(self, chat_id: int, meaning: Callable[[], np.ndarray], limit: int) -> list[int]:
        """The chat's visible articles whose sentences are nearest ``meaning()`` (asked
        only where an index exists to search), nearest first; empty without one."""
        ...


class InProcess:
    """One process's coordination: a sliding window per user, in memory.

    Users who have been quiet for a whole window are forgotten (swept at most
    once per window, so the cost is spread thin): a bot seen by millions of
    users must not keep a record of each forever.
    """

    shared = False

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._asked: dict[int, deque[float]] = {}
        self._told: set[int] = set()
        self._swept = clock()
        self._lock = threading.Lock()

    @property
    def tracked_users(self) -> int:
        return len(self._asked)

    def admit_question(self, user_id: int, per_window: int, window_seconds: float) -> Admission:
        with self._lock:
            now = self._clock()
            if now - self._swept >= window_seconds:
                self._forget_quiet_users(now, window_seconds)
            asked = self._asked.setdefault(user_id, deque())
            while asked and now - asked[0] >= window_seconds:
                asked.popleft()
            if len(asked) < per_window:
                asked.append(now)
                self._told.discard(user_id)
                return Admission.ALLOW
            if user_id in self._told:
                return Admission.DROP
            self._told.add(user_id)
            return Admission.NOTIFY

    def nearest(self, chat_id: int, meaning: Callable[[], np.ndarray], limit: int) -> list[int]:
        return []  # SQLite keeps no sentence index: words alone pick the candidates

    def _forget_quiet_users(self, now: float, window_seconds: float) -> None:
        quiet = [
            user
            for user, asked in self._asked.items()
            if not asked or now - asked[-1] >= window_seconds
        ]
        for user in quiet:
            del self._asked[user]
            self._told.discard(user)
        self._swept = now


class SharedWindows(Protocol):
    """What a shared store offers ``Shared``: question windows and a sentence index."""

    def count_question(self, user_id: int, window_seconds: float) -> int: ...
    def told_of_limit(self, user_id: int) -> bool: ...
    def nearest(self, chat_id: int, vector: np.ndarray, limit: int) -> list[int]: ...


class Shared:
    """Replicas' coordination through their shared database.

    Fixed windows, not sliding ones: one row per user and a single atomic upsert
    per question. A user may squeeze up to twice the limit across a window's
    boundary, which the limit's purpose (keeping one user from flooding the bot)
    tolerates. The user is told once per window, by whichever replica refused first.
    """

    shared = True

    def __init__(self, store: SharedWindows) -> None:
        self._store = store

    def admit_question(self, user_id: int, per_window: int, window_seconds: float) -> Admission:
        if self._store.count_question(user_id, window_seconds) <= per_window:
            return Admission.ALLOW
        return Admission.NOTIFY if self._store.told_of_limit(user_id) else Admission.DROP

    def nearest(self, chat_id: int, meaning: Callable[[], np.ndarray], limit: int) -> list[int]:
        return self._store.nearest(chat_id, meaning(), limit)
