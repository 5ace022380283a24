"""The bot's shared state as one typed object, so mypy checks every handler's access.

PTB keeps ``bot_data`` as a dict by default; string keys read in many modules
hide typos and types. ``ContextTypes(bot_data=BotData)`` (PTB's own pattern,
see its ``contexttypesbot.py`` example) makes ``context.bot_data`` a
``BotData``; ``Context`` is the handler context type to annotate with.
PTB creates ``BotData()`` without arguments, so ``build_application`` fills it
in right after building, before any handler can run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot, JobQueue

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.polling import PollingPulse
    from bot.tally import Tally
    from library import Library


class BotData:
    """What every handler may use: the library, settings and this process's tally."""

    library: Library  #: the bot's only door to articles
    settings: Settings
    tally: Tally  #: this process's questions, for /stats
    #: The getUpdates request object; its last good poll feeds the health file.
    polling_pulse: PollingPulse | None = None
    mode: Literal["polling", "webhook"] = "polling"


Context = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]
BotApplication = Application[
    ExtBot[None], Context, dict[Any, Any], dict[Any, Any], BotData, JobQueue[Context]
]
CONTEXT_TYPES = ContextTypes(bot_data=BotData)
