"""Webhook mode: our own small endpoint in front of the Application's update queue.

PTB's built-in webhook server answers a body that is not JSON with 500 (its
handler lets ``json.loads`` raise), which reads as "the bot is broken" in
monitoring and makes Telegram retry an update that can never succeed. The
endpoint here gives every bad request the status that names its fault (403 no
or wrong secret, 415 not JSON, 400 not an update, 413 too big) and never a
traceback. The Application is built without an Updater for this mode; ``serve``
runs the same lifecycle as ``Application.run_webhook`` (post_init, start,
stop on SIGINT/SIGTERM, post_stop, shutdown, post_shutdown).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import signal
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

import tornado.httpserver
import tornado.web
from telegram import Update
from telegram.ext import Application

from bot.config import Settings
from bot.shutdown import begin_stop

log = logging.getLogger("bot.webhook")

#: Telegram's updates are a few kB; a megabyte is generous and bounds what a caller can send.
MAX_BODY_BYTES = 1_000_000
#: tornado's own cap; the endpoint's 413 comes first for any body it starts to read.
SERVER_BODY_LIMIT = 1 << 40
_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@tornado.web.stream_request_body
class UpdateEndpoint(tornado.web.RequestHandler):
    """POST only: checks the secret, parses the update, queues it for the Application.

    The body is streamed in, so one over ``MAX_BODY_BYTES`` gets 413 (tornado's own
    size limit answers 400, or drops the connection) without being read whole.
    """

    SUPPORTED_METHODS = ("POST",)

    def initialize(self, bot_app: Application, secret: str | None) -> None:
        self.bot_app = bot_app
        self.secret = secret
        self._chunks: list[bytes] = []
        self._size = 0

    async def prepare(self) -> None:
        if self.secret is not None and not hmac.compare_digest(
            self.request.headers.get(_SECRET_HEADER, "").encode(), self.secret.encode()
        ):
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        media_type = self.request.headers.get("Content-Type", "").split(";")[0].strip()
        if media_type.lower() != "application/json":
            raise tornado.web.HTTPError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE)
        declared = self.request.headers.get("Content-Length", "")
        if declared.isdecimal() and int(declared) > MAX_BODY_BYTES:
            raise tornado.web.HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)

    def data_received(self, chunk: bytes) -> None:
        if self._finished:
            return
        self._size += len(chunk)
        if self._size > MAX_BODY_BYTES:
            self._chunks.clear()
            self.send_error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
            return
        self._chunks.append(chunk)

    async def post(self) -> None:
        if self._finished:
            return
        try:
            data = json.loads(b"".join(self._chunks))
        except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested past the parser
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST, reason="Body is not JSON") from None
        update = _update(data, self.bot_app)
        if update is None:
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST, reason="Body is not an update")
        await self.bot_app.update_queue.put(update)
        self.set_status(HTTPStatus.OK)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """A short status line, never a traceback (tornado prints one in debug mode); then
        the connection is closed, since the body may be partly unread (a refusal comes as
        soon as the headers show one), and what follows it on the connection is no request."""
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.set_header("Connection", "close")
        flushed = self.finish(f"{status_code} {HTTPStatus(status_code).phrase}\n")
        connection = self.request.connection
        if connection is not None:
            flushed.add_done_callback(lambda _: connection.close())  # type: ignore[attr-defined]


def _update(data: object, application: Application) -> Update | None:
    if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
        return None
    try:
        update = Update.de_json(data, application.bot)
    except Exception:  # any shape PTB cannot read: the caller's fault, not ours
        log.warning("webhook body is not an update PTB can read; answered 400")
        return None
    message = update.effective_message
    if message is not None and message.chat is None:  # Telegram never sends one
        log.warning("webhook body is a message without a chat; answered 400")
        return None
    return update


class _Quiet(tornado.web.Application):
    def log_request(self, handler: tornado.web.RequestHandler) -> None:
        """Requests are not logged: our handlers log what each update did."""


def endpoint(application: Application, settings: Settings) -> tornado.web.Application:
    """The tornado app that serves the webhook path (trailing slash optional)."""
    path = "/" + urlsplit(settings.webhook_url or "").path.strip("/")
    arguments = {"bot_app": application, "secret": settings.webhook_secret}
    return _Quiet([(rf"{path.rstrip('/')}/?", UpdateEndpoint, arguments)])


def serve(application: Application, settings: Settings) -> None:
    """Run the bot on a webhook until SIGINT or SIGTERM, like ``Application.run_webhook``."""
    asyncio.run(_serve(application, settings))


async def _serve(application: Application, settings: Settings) -> None:
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()

    def stop() -> None:
        begin_stop(application)  # see bot/shutdown.py
        stopping.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)
    # The endpoint answers bodies over MAX_BODY_BYTES with 413 itself; the server's own
    # limit (which answers 400) only stops a body far beyond that from being streamed in.
    server = tornado.httpserver.HTTPServer(
        endpoint(application, settings), max_body_size=SERVER_BODY_LIMIT
    )
    try:
        await application.initialize()
        if application.post_init:
            await application.post_init(application)
        server.listen(settings.webhook_port, address=settings.webhook_listen)
        await application.bot.set_webhook(
            url=settings.webhook_url or "",
            secret_token=settings.webhook_secret,
            allowed_updates=Update.ALL_TYPES,
        )
        await application.start()
        log.info("webhook listening on %s:%d", settings.webhook_listen, settings.webhook_port)
        await stopping.wait()
    finally:
        server.stop()
        await server.close_all_connections()
        if application.running:
            await application.stop()
            if application.post_stop:
                await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown:
            await application.post_shutdown(application)
