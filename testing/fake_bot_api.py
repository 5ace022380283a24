"""A fake Telegram Bot API server on 127.0.0.1, so tests drive PTB's real HTTP path.

It records every call (method and decoded parameters), answers the methods the
bot uses with realistic payloads, hands out queued updates to ``getUpdates``,
and can be told to refuse a method the way Telegram does (``ok: false``).
"""

from __future__ import annotations

import contextlib
import json
import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote

BOT_ID = 424242
BOT_USERNAME = "newsdesk_test_bot"
TOKEN = "424242:TEST-token-that-must-never-be-logged"


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.perf_counter)


class _Server(ThreadingHTTPServer):
    request_queue_size = 512  # the default 5 drops connections under concurrent load
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # a bot process killed mid-request (tests do that on purpose)
        super().handle_error(request, client_address)


class FakeBotApi:
    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.refuse: dict[str, str] = {}
        self.updates: list[dict[str, Any]] = []
        #: file_id -> bytes served by getFile and the /file/bot<token>/ route
        self.files: dict[str, bytes] = {}
        #: (chat_id, user_id) -> status for getChatMember; anyone else is a "member"
        self.members: dict[tuple[int, int], str] = {}
        self._lock = threading.Lock()
        self._message_id = 1000
        #: Every message the bot sent, as the Bot API returned it (to reply to in tests).
        self.sent_messages: list[dict[str, Any]] = []
        self._sent = threading.Condition(self._lock)
        self._server = _Server(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.01,), daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        assert isinstance(host, str)  # an IPv4 server's address
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeBotApi:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def sent_texts(self) -> list[str]:
        return [c.params["text"] for c in self.calls_to("sendMessage")]

    def clear(self) -> None:
        with self._lock:
            self.calls.clear()

    def push_updates(self, updates: list[dict[str, Any]]) -> None:
        with self._lock:
            self.updates.extend(updates)

    def wait_for_messages(self, count: int, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        with self._sent:
            while sum(c.method == "sendMessage" for c in self.calls) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._sent.wait(left)
        return True

    def _respond(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method in self.refuse:
            description = self.refuse[method]
            code = 403 if description.startswith("Forbidden") else 400
            code = 401 if description.startswith("Unauthorized") else code
            return {"ok": False, "error_code": code, "description": description}
        if method == "getMe":
            return {"ok": True, "result": self._bot_user()}
        if method == "sendMessage":
            with self._lock:
                self._message_id += 1
                message_id = self._message_id
            chat_id = int(params["chat_id"])
            message = {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                "from": self._bot_user(),
                "text": params.get("text", ""),
            }
            with self._lock:
                self.sent_messages.append(message)
            return {"ok": True, "result": message}
        if method == "sendDocument":
            with self._lock:
                self._message_id += 1
                message_id = self._message_id
            upload = params.get("document")
            name = upload["filename"] if isinstance(upload, dict) else "file"
            return {
                "ok": True,
                "result": {
                    "message_id": message_id,
                    "date": int(time.time()),
                    "chat": {"id": int(params["chat_id"]), "type": "private"},
                    "from": self._bot_user(),
                    "document": {
                        "file_id": f"sent-{message_id}",
                        "file_unique_id": f"u-sent-{message_id}",
                        "file_name": name,
                    },
                },
            }
        if method == "getFile":
            file_id = params["file_id"]
            if file_id not in self.files:
                return {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: invalid file_id",
                }
            return {
                "ok": True,
                "result": {
                    "file_id": file_id,
                    "file_unique_id": f"u-{file_id}",
                    "file_size": len(self.files[file_id]),
                    "file_path": f"documents/{file_id}",
                },
            }
        if method == "getChatMember":
            chat_id, user_id = int(params["chat_id"]), int(params["user_id"])
            status = self.members.get((chat_id, user_id), "member")
            user = {"id": user_id, "is_bot": False, "first_name": "Someone"}
            member: dict[str, Any] = {"status": status, "user": user}
            if status == "administrator":
                member |= {
                    "can_be_edited": False,
                    "is_anonymous": False,
                    "can_manage_chat": True,
                    "can_delete_messages": True,
                    "can_manage_video_chats": True,
                    "can_restrict_members": True,
                    "can_promote_members": False,
                    "can_change_info": True,
                    "can_invite_users": True,
                    "can_post_stories": False,
                    "can_edit_stories": False,
                    "can_delete_stories": False,
                }
            elif status == "creator":
                member["is_anonymous"] = False
            elif status == "restricted":
                return {"ok": False, "error_code": 400, "description": "unsupported in fake"}
            return {"ok": True, "result": member}
        if method == "getUpdates":
            with self._lock:
                batch, self.updates = self.updates[:100], self.updates[100:]
            if not batch:
                time.sleep(0.02)
            return {"ok": True, "result": batch}
        return {"ok": True, "result": True}

    def _bot_user(self) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Newsdesk",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the real Bot API

            def do_POST(self) -> None:
                files = f"/file/bot{api.token}/documents/"
                if unquote(self.path).startswith(files):  # PTB percent-encodes file URLs
                    self._send_file(unquote(self.path)[len(files) :])
                    return
                prefix = f"/bot{api.token}/"
                if not self.path.startswith(prefix):
                    self._send(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                    return
                method = self.path[len(prefix) :]
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if len(raw) < length:  # the client died mid-request (a kill -9 test)
                    self.close_connection = True
                    return
                params = _decode(raw, self.headers.get("Content-Type", ""))
                with api._sent:
                    api.calls.append(Call(method, params))
                    api._sent.notify_all()
                body = api._respond(method, params)
                self._send(200 if body["ok"] else body["error_code"], body)

            do_GET = do_POST

            def _send_file(self, file_id: str) -> None:
                with api._sent:
                    api.calls.append(Call("downloadFile", {"file_id": file_id}))
                data = api.files.get(file_id)
                if data is None:
                    self._send(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _send(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                # The client may hang up while the bot is stopping; nothing to answer then.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


def _decode_multipart(raw: bytes, content_type: str) -> dict[str, Any]:
    """Fields as strings; a file as ``{"filename": ..., "content": bytes}``."""
    from email.parser import BytesParser
    from email.policy import default

    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    params: dict[str, Any] = {}
    for part in BytesParser(policy=default).parsebytes(head + raw).iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else b""
        filename = part.get_filename()
        if filename:
            params[str(name)] = {"filename": filename, "content": content}
        else:
            params[str(name)] = content.decode()
    return params


def _decode(raw: bytes, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    if "json" in content_type:
        return json.loads(raw)
    if content_type.startswith("multipart/form-data"):  # a file upload (sendDocument)
        return _decode_multipart(raw, content_type)
    params: dict[str, Any] = {}
    for key, values in parse_qs(raw.decode(), keep_blank_values=True).items():
        value = values[-1]
        # PTB sends strings as they are and everything else JSON-encoded.
        params[key] = json.loads(value) if value[:1] in ("{", "[") else value
    return params
