"""The error handler, and the log filter that keeps the bot token out of every log line."""

from __future__ import annotations

import logging
import traceback

from telegram import Update
from telegram.error import TelegramError

from bot import texts
from bot.i18n import _
from bot.state import Context

log = logging.getLogger("bot.errors")


async def on_error(update: object, context: Context) -> None:
    """Log the failure for the operator; tell the user only that something went wrong.

    Never raises: PTB logs an error handler's own failure with the whole update."""
    error = context.error
    # The exception's own message may quote what the user sent (a file name, a zone), and
    # message text is logged only at DEBUG: at ERROR, its type and where it was raised.
    where = "".join(traceback.format_tb(error.__traceback__)) if error is not None else ""
    log.error("update failed: %s\n%s", type(error).__name__, where.rstrip())
    log.debug("update failed: %r", error, exc_info=error)
    message = update.effective_message if isinstance(update, Update) else None
    if message is None or message.chat is None:
        return  # nowhere to say it (an inline query, or a forged update)
    try:
        await message.reply_text(_(texts.SOMETHING_WENT_WRONG))
    except TelegramError as error:
        log.warning("could not tell the user about the failure: %s", type(error).__name__)


class RedactToken(logging.Filter):
    """Replaces secrets wherever they appear (Bot API URLs, error messages, tracebacks).

    The bot token is in every Bot API URL; the webhook secret is in PTB's DEBUG
    line for ``setWebhook``. Each is replaced by its name in angle brackets.
    """

    def __init__(self, token: str, *, webhook_secret: str | None = None) -> None:
        super().__init__()
        self._secrets = {token: "<token>"}
        if webhook_secret:
            self._secrets[webhook_secret] = "<webhook secret>"

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if any(secret in message for secret in self._secrets):
            record.msg = self._redact(message)
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._redact(record.exc_text)
        return True

    def _redact(self, text: str) -> str:
        for secret, name in self._secrets.items():
            text = text.replace(secret, name)
        return text
