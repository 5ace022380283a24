"""Logging set-up: plain lines for people, or one JSON object per line for log pipelines.

Every handler gets the filter that redacts the token and the webhook secret,
and ``httpx``/``httpcore`` stay at WARNING because they log request URLs,
which contain the bot token.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from telegram.error import InvalidToken, NetworkError

from bot.config import Settings
from bot.errors import RedactToken

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message"}`` plus ``exception`` when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            # exc_text is what RedactToken cleaned; never format the raw exception again.
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


class StartUpFailureReported(logging.Filter):
    """Drops PTB's traceback for a start-up that failed on the token or the network.

    PTB logs the failure of its bootstrap (``get_me``) with a traceback and
    then raises; ``python -m bot`` reports the same failure as one line with
    its exit code, so the traceback would only bury that line.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        failure = record.exc_info[1] if record.exc_info else None
        return not (
            isinstance(failure, InvalidToken | NetworkError)
            and "Bootstrap Initialize" in record.getMessage()
        )


def configure_logging(settings: Settings) -> None:
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler())
    root.setLevel(settings.log_level)
    formatter = JsonFormatter() if settings.log_format == "json" else logging.Formatter(TEXT_FORMAT)
    for handler in root.handlers:
        handler.setFormatter(formatter)
        handler.addFilter(RedactToken(settings.token, webhook_secret=settings.webhook_secret))
    logging.getLogger("telegram.ext").addFilter(StartUpFailureReported())
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
