"""``python -m bot``: run the bot with long polling (or a webhook, when configured).

Exit codes: 0 after a clean stop (SIGINT/SIGTERM), 2 when configuration is
missing or wrong (one line on stderr says which and how to fix it; a token
Telegram rejects is one), 3 when a seed article cannot be loaded, 4 when the
database cannot be opened (damaged, not a database, written by a newer
version, or not writable), 5 when the Bot API cannot be reached at start.
Each failure is one line on stderr, never a traceback and never the token.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from typing import Any, NoReturn

from telegram import Update
from telegram.error import InvalidToken, NetworkError
from telegram.ext import Application

from bot import webhook
from bot.app import build_application, open_library
from bot.config import ConfigError, Settings, load_settings
from bot.logs import configure_logging
from bot.shutdown import begin_stop
from library import StoreError
from retrieval import RetrievalError

EXIT_CONFIG = 2
EXIT_ARTICLE = 3
EXIT_DATABASE = 4
EXIT_UNREACHABLE = 5


def main() -> int:
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CONFIG
    configure_logging(settings)
    try:
        library = open_library(settings)
    except StoreError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_DATABASE
    except RetrievalError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_ARTICLE
    application = build_application(settings, library)
    try:
        _run(application, settings)
    except InvalidToken:
        print(
            "error: Telegram rejected TELEGRAM_BOT_TOKEN; copy the token from @BotFather again",
            file=sys.stderr,
        )
        return EXIT_CONFIG
    except NetworkError as error:
        reason = type(error).__name__
        print(f"error: cannot reach the Bot API at {settings.api_url} ({reason})", file=sys.stderr)
        return EXIT_UNREACHABLE
    return 0


def _run(application: Application[Any, Any, Any, Any, Any, Any], settings: Settings) -> None:
    if settings.webhook_url:
        webhook.serve(application, settings)
        return
    # PTB's own stop signals lead to Application.stop, which waits for every update still
    # being handled: one reading a long shared link would hold the exit for minutes. Ours
    # first stop the library's background work and bound the wait (bot/shutdown.py), then
    # stop PTB as its handler would.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGABRT):
        loop.add_signal_handler(sig, _stop_polling, application)
    application.run_polling(allowed_updates=Update.ALL_TYPES, stop_signals=None)


def _stop_polling(application: Application[Any, Any, Any, Any, Any, Any]) -> NoReturn:
    begin_stop(application)
    raise SystemExit


if __name__ == "__main__":
    sys.exit(main())
