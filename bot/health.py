"""A health signal that means "the bot is working", not merely "the process exists".

While running, the bot rewrites a small heartbeat file every
``HEARTBEAT_SECONDS`` from its job queue, so a stalled event loop stops the
beats. In polling mode the beat also carries the time ``getUpdates`` last
succeeded (recorded by ``PollingPulse``, the request object the builder uses
for polling only), so a bot cut off from Telegram turns unhealthy too.

``python -m bot.health`` (the container's HEALTHCHECK) exits 0 when the
heartbeat is fresh and, in polling mode, the last poll is recent; else 1 with
one line saying why. The writing side is ``bot/heartbeat.py``: this module
imports nothing of Telegram's, so a check costs a few milliseconds, not the
0.6 s of importing python-telegram-bot, every time the container is probed.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

#: A beat older than this means the event loop or job queue is stuck.
MAX_BEAT_AGE = 60
#: Long polls return at least every ~10 s; a minute without one means no contact.
MAX_POLL_AGE = 90
DEFAULT_PATH = Path("/tmp/newsbot-health.json")


def health_path() -> Path:
    return Path(os.environ.get("NEWSBOT_HEALTH_FILE") or DEFAULT_PATH)


def verdict(record: dict[str, Any], now: float) -> str | None:
    """``None`` when healthy, else the reason."""
    beat_age = now - float(record.get("beat", 0))
    if beat_age > MAX_BEAT_AGE:
        return f"no heartbeat for {beat_age:.0f} s (event loop or job queue stuck)"
    if record.get("mode") == "polling":
        last_poll = record.get("last_poll")
        if last_poll is None:
            return "has not polled Telegram successfully yet"
        if now - float(last_poll) > MAX_POLL_AGE:
            return f"no successful getUpdates for {now - float(last_poll):.0f} s"
    return None


def main() -> int:
    path = health_path()
    try:
        record = json.loads(path.read_text())
    except (OSError, ValueError):
        print(f"unhealthy: no heartbeat file at {path}", file=sys.stderr)
        return 1
    reason = verdict(record, time.time())
    if reason is not None:
        print(f"unhealthy: {reason}", file=sys.stderr)
        return 1
    print("healthy")
    return 0


if __name__ == "__main__":
    sys.exit(main())
