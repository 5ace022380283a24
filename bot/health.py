"""A health signal that means "the bot is working", not merely "the process exists".

While running, the bot rewrites a small heartbeat file every
``HEARTBEAT_SECONDS`` from its job queue, so a stalled event loop stops the
beats. In polling mode the beat also carries the time ``getUpdates`` last
succeeded (recorded by ``PollingPulse``, the request object the builder uses
for polling only), so a bot cut off from Telegram turns unhealthy too.

``python -m bot.health`` (the container's HEALTHCHECK) exits 0 when the
heartbeat is fresh and, in polling mode, the last poll is recent; else 1 with
one line saying why.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from telegram.request import HTTPXRequest

from bot.state import Context

HEARTBEAT_SECONDS = 15
#: A beat older than this means the event loop or job queue is stuck.
MAX_BEAT_AGE = 60
#: Long polls return at least every ~10 s; a minute without one means no contact.
MAX_POLL_AGE = 90
DEFAULT_PATH = Path("/tmp/newsbot-health.json")


def health_path() -> Path:
    return Path(os.environ.get("NEWSBOT_HEALTH_FILE") or DEFAULT_PATH)


class PollingPulse(HTTPXRequest):
    """The ``getUpdates`` request object; remembers when a poll last came back OK."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(connection_pool_size=1, **kwargs)
        self.last_ok: float | None = None

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        code, payload = await super().do_request(*args, **kwargs)
        if code == 200:
            self.last_ok = time.time()
        return code, payload


async def beat(context: Context) -> None:
    """Job callback: write the heartbeat atomically (a reader never sees half a file)."""
    pulse: PollingPulse | None = context.bot_data.polling_pulse
    mode = context.bot_data.mode
    record = {
        "beat": time.time(),
        "mode": mode,
        "last_poll": pulse.last_ok if pulse is not None else None,
        "pid": os.getpid(),
    }
    path = health_path()
    temporary = path.with_suffix(".tmp")
    try:
        temporary.write_text(json.dumps(record))
        temporary.replace(path)
    except OSError:
        pass  # a read-only /tmp must not take the bot down; the check will say unhealthy


def stop_beating() -> None:
    """A stopped bot is not healthy: remove the heartbeat so the check says so at once."""
    health_path().unlink(missing_ok=True)


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
