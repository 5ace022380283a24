"""The error handler, and the log filter that keeps the bot token out of every log line."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot import texts
from bot.state import Context

log = logging.getLogger("bot.errors")


async def on_error(update: object, context: Context) -> None:
    """Log the failure for the operator; tell the user only that something went wrong."""
    log.error("update failed: %s", context.error, exc_info=context.error)
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            await update.effective_message.reply_text(texts.SOMETHING_WENT_WRONG)
        except TelegramError as error:
            log.warning("could not tell the user about the failure: %s", error)


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
