"""What a stop signal does before PTB stops: tell background work to stop, and bound the wait.

PTB's ``Application.stop`` waits for every update still being handled. Embedding
stops itself at once when told (``begin_stopping``), but an ``/add`` whose page
is still downloading holds the stop for up to the fetch deadline. After
``Settings.stop_grace_seconds`` (4 s unless ``NEWSBOT_STOP_GRACE_SECONDS``
says otherwise) the process exits anyway: what was still running had not
been acknowledged, and every write is one committed transaction, so nothing
is left half-stored.
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from telegram.ext import Application

log = logging.getLogger("bot.shutdown")


def begin_stop(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    application.bot_data.library.begin_stopping()
    grace = application.bot_data.settings.stop_grace_seconds
    timer = threading.Timer(grace, _exit_now, args=(grace,))
    timer.daemon = True  # a stop that finishes in time ends the process with it
    timer.start()


def _exit_now(grace: float) -> None:
    log.warning(
        "stopping took longer than %.1f s; exiting without the updates still running", grace
    )
    logging.shutdown()
    os._exit(0)
