"""A web server on 127.0.0.1 whose pages the test sets: feeds, the pages they link, and
the ways feed hosts misbehave. It answers a conditional GET with 304 when the page's
ETag matches, as a well-run feed host does, and records each request's headers."""

from __future__ import annotations

from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from testing.web_server import LoopbackServer


@dataclass
class Page:
    body: bytes
    content_type: str = "application/rss+xml"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)  #: ETag, Cache-Control, Retry-After...


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]


class FeedServer(LoopbackServer):
    def __init__(self) -> None:
        self.pages: dict[str, Page] = {}
        self.requests: list[Request] = []
        super().__init__()

    def asked(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                site.requests.append(Request(self.path, headers))
                page = site.pages.get(self.path)
                if page is None:
                    self._send(404, {"Content-Type": "text/html"}, b"<h1>Not found</h1>")
                    return
                etag = page.headers.get("ETag")
                if etag and headers.get("if-none-match") == etag:
                    self._send(304, {"ETag": etag}, b"")
                    return
                self._send(
                    page.status, {"Content-Type": page.content_type, **page.headers}, page.body
                )

            def _send(self, status: int, headers: dict[str, str], body: bytes) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler
