"""The bot's webhook endpoint (``bot.webhook``) served on 127.0.0.1 from a thread of its own.

The endpoint is the real tornado handler in front of a real PTB ``Application``;
the Application is not started, so accepted updates wait in its queue and the
tests (and Hypothesis) can post thousands of bodies in seconds and read only
the status each gets.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import tornado.httpserver
from telegram.ext import Application

from bot.config import Settings
from bot.webhook import SERVER_BODY_LIMIT, endpoint

SECRET = "fuzz_secret-1"
PATH = "/telegram-hook"


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """The endpoint's URL while it serves, for ``settings``' token and secret."""
    application = Application.builder().token(settings.token).updater(None).build()
    loop = asyncio.new_event_loop()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    ready = threading.Event()
    servers: list[tornado.httpserver.HTTPServer] = []

    def run() -> None:
        asyncio.set_event_loop(loop)

        async def start() -> None:
            server = tornado.httpserver.HTTPServer(
                endpoint(application, settings), max_body_size=SERVER_BODY_LIMIT
            )
            server.listen(port, address="127.0.0.1")
            servers.append(server)
            ready.set()

        loop.run_until_complete(start())
        loop.run_forever()

    thread = threading.Thread(target=run, name="webhook-endpoint", daemon=True)
    thread.start()
    ready.wait(10)
    try:
        yield f"http://127.0.0.1:{port}{PATH}"
    finally:
        loop.call_soon_threadsafe(servers[0].stop)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


def post(
    client: httpx.Client,
    url: str,
    body: bytes,
    *,
    secret: str | None = SECRET,
    content_type: str = "application/json",
    chunked: bool = False,
) -> int:
    """The status the endpoint answers; 0 when it closed the connection without one."""
    headers = {"Content-Type": content_type}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    content: bytes | Iterator[bytes] = (
        iter([body[i : i + 65536] for i in range(0, len(body), 65536)]) if chunked else body
    )
    try:
        return client.post(url, content=content, headers=headers).status_code
    except httpx.TransportError:
        return 0
