"""This process's questions since it started: what it reports for /stats.

Kept in memory and reported to the library once a minute (and whenever /stats
is asked), not written per question: a database write per answer would cost
more than the count is worth. /stats adds up every process's last report
(``bot/stats.py``), so it counts every replica and survives a restart; a
process killed between reports loses at most its last minute.
"""

from __future__ import annotations

import threading
import uuid
from collections import deque

from library import QuestionTally, now

#: Latencies kept for the median: enough to be stable, bounded in memory and in its row.
WINDOW = 1000


class Tally:
    def __init__(self) -> None:
        self.replica = uuid.uuid4().hex[:12]
        self.started_at = now()
        self._questions = 0
        self._abstained = 0
        self._latencies: deque[float] = deque(maxlen=WINDOW)
        self._lock = threading.Lock()

    def record(self, latency_ms: float, abstained: bool) -> None:
        with self._lock:
            self._questions += 1
            self._abstained += abstained
            self._latencies.append(latency_ms)

    def report(self) -> QuestionTally:
        """The tally as it stands, to be stored."""
        with self._lock:
            return QuestionTally(
                self.replica,
                self.started_at,
                self._questions,
                self._abstained,
                tuple(self._latencies),
            )
