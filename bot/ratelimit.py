"""Per-user question limits: a polite notice the first time, then quiet until the window passes.

Telegram's own flood limits (per chat, per group, overall) are handled by PTB's
``AIORateLimiter``; this guards the bot's work against one user flooding it.
The library counts (``library.Coordination``): in memory for one process over
SQLite, in the database for replicas sharing PostgreSQL, or a user could ask
N times per replica.
"""

from __future__ import annotations

from bot.replies import library
from bot.state import Context
from library import Admission, off_loop

#: The limit's window: ``Settings.questions_per_minute`` questions in any such span.
WINDOW_SECONDS = 60.0


async def admit(context: Context, user_id: int) -> Admission:
    return await off_loop(
        library(context).asking.admit_question,
        user_id,
        context.bot_data.settings.questions_per_minute,
        WINDOW_SECONDS,
    )
