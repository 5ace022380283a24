"""The bot's side of the health signal (``bot/health.py`` reads it): the heartbeat job."""

from __future__ import annotations

import json
import os
import time

from bot.health import health_path
from bot.polling import PollingPulse
from bot.state import Context

HEARTBEAT_SECONDS = 15
#: Until the first poll comes back, the next beat follows this soon.
UNTIL_POLLED_SECONDS = 0.5


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
        return  # a read-only /tmp must not take the bot down; the check will say unhealthy
    not_polled = mode == "polling" and pulse is not None and pulse.last_ok is None
    if not_polled and context.job_queue is not None:
        # Not polled yet (an idle Telegram holds the first long poll up to 10 s): beat
        # again soon, rather than leave the check saying "has not polled" for 15 s.
        context.job_queue.run_once(beat, UNTIL_POLLED_SECONDS, name="heartbeat-until-polled")


def stop_beating() -> None:
    """A stopped bot is not healthy: remove the heartbeat so the check says so at once."""
    health_path().unlink(missing_ok=True)
