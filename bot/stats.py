"""What the owner sees with /stats: questions answered, abstentions and latency across
every bot process that shares the library, and the articles stored.

Each process keeps its own tally (``bot/tally.py``) and reports it to the
library every ``REPORT_SECONDS`` and when /stats is asked, so the figures add
up every replica of a PostgreSQL deployment and survive a restart (processes
silent for ``library.service.TALLY_DAYS`` drop out).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from statistics import median

from telegram import Update

from bot import texts
from bot.i18n import _
from bot.replies import library, send_reply
from bot.state import Context
from library import off_loop

log = logging.getLogger("bot.stats")

REPORT_SECONDS = 60


async def report_tally(context: Context) -> None:
    """Job callback: store this process's tally. A failed report is retried next minute;
    it must never take the bot down."""
    try:
        await off_loop(library(context).asking.report_tally, context.bot_data.tally.report())
    except Exception as error:  # the next report carries the same counts
        log.warning("could not report this process's /stats tally (%s)", type(error).__name__)


async def stats_command(update: Update, context: Context) -> None:
    """Registered for the owner only (``bot.app``): anyone else's ``/stats`` falls through
    to the unknown-command reply, so nothing is revealed."""
    lib = library(context)
    await off_loop(lib.asking.report_tally, context.bot_data.tally.report())
    tallies = await off_loop(lib.asking.tallies)
    questions = sum(t.questions for t in tallies)
    abstained = sum(t.abstained for t in tallies)
    latencies = [ms for t in tallies for ms in t.latencies]
    since = min(t.started_at for t in tallies)
    hours = (datetime.now(UTC) - datetime.fromisoformat(since)).total_seconds() / 3600
    await send_reply(
        update,
        [
            _(texts.STATS).format(
                since=since[:16].replace("T", " "),
                hours=hours,
                processes=len(tallies),
                questions=questions,
                abstained=abstained,
                rate=abstained / questions * 100 if questions else 0.0,
                p50="–" if not latencies else f"{median(latencies):.1f} ms",
                articles=await off_loop(lib.articles.count),
            )
        ],
    )
