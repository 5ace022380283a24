"""What the owner sees with /stats: questions answered, abstentions, latency, articles stored.

Counts are kept in memory since the process started (they are cheap to lose
and would cost a database write per question to keep); the article count comes
from the database.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from statistics import median

from telegram import Update

from bot import texts
from bot.replies import library, send_reply
from bot.state import Context

#: Latencies kept for the median: enough to be stable, bounded in memory.
WINDOW = 1000


class Stats:
    def __init__(self) -> None:
        self.started = time.time()
        self.questions = 0
        self.abstained = 0
        self._latencies: deque[float] = deque(maxlen=WINDOW)
        self._lock = threading.Lock()

    def record(self, latency_ms: float, abstained: bool) -> None:
        with self._lock:
            self.questions += 1
            self.abstained += abstained
            self._latencies.append(latency_ms)

    def p50(self) -> float | None:
        with self._lock:
            return median(self._latencies) if self._latencies else None

    @property
    def abstention_rate(self) -> float:
        return self.abstained / self.questions if self.questions else 0.0


def stats_of(context: Context) -> Stats:
    return context.bot_data.stats


async def stats_command(update: Update, context: Context) -> None:
    """Registered for the owner only (``bot.app``): anyone else's ``/stats`` falls through
    to the unknown-command reply, so nothing is revealed."""
    stats = stats_of(context)
    articles = await library(context).count()
    p50 = stats.p50()
    hours = (time.time() - stats.started) / 3600
    await send_reply(
        update,
        [
            texts.STATS.format(
                hours=hours,
                questions=stats.questions,
                abstained=stats.abstained,
                rate=stats.abstention_rate * 100,
                p50="–" if p50 is None else f"{p50:.1f} ms",
                articles=articles,
            )
        ],
    )
