"""The ``getUpdates`` request object, which remembers when a poll last came back OK: the
heartbeat (``bot/heartbeat.py``) writes it to the health file."""

from __future__ import annotations

import time
from typing import Any

from telegram.request import HTTPXRequest


class PollingPulse(HTTPXRequest):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(connection_pool_size=1, **kwargs)
        self.last_ok: float | None = None

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        code, payload = await super().do_request(*args, **kwargs)
        if code == 200:
            self.last_ok = time.time()
        return code, payload
