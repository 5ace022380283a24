"""A small web server on 127.0.0.1 serving article pages the way news sites do.

The story page wraps a real-looking article in navigation, an ad block, a
newsletter box, related links and reader comments, so extraction is tested on
the clutter it meets in practice. Other routes redirect, send huge bodies or
wrong content types.
"""

from __future__ import annotations

import contextlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self

STORY_TITLE = "Harbour authority approves second ferry terminal"
STORY_SENTENCES = (
    "The harbour authority on Monday approved a second ferry terminal for the port of Kelmouth.",
    "The terminal will handle up to 12 crossings a day to the islands, officials said.",
    "Construction is expected to start in April and cost 85 million pounds.",
    "Local fishermen opposed the plan, saying it would crowd the inner harbour.",
    "\u201cWe have listened to every objection,\u201d said Maria Okafor, the authority's chair.",
    "The regional government will pay two thirds of the cost.",
)

STORY_HTML = f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>{STORY_TITLE} | Kelmouth Gazette</title>
<meta property="og:title" content="{STORY_TITLE}">
<meta property="og:site_name" content="Kelmouth Gazette">
<meta property="article:published_time" content="2026-11-23T09:15:00Z">
<meta name="author" content="Sam Reyes">
</head><body>
<header><nav><ul>
  <li><a href="/">Home</a></li><li><a href="/news">News</a></li>
  <li><a href="/sport">Sport</a></li><li><a href="/subscribe">Subscribe now and save 50%</a></li>
</ul></nav></header>
<div class="ad-banner">ADVERTISEMENT: Cheap flights to the islands! Book today.</div>
<main><article>
  <h1>{STORY_TITLE}</h1>
  <p class="byline">By Sam Reyes, 23 November 2026</p>
  <p>{STORY_SENTENCES[0]} {STORY_SENTENCES[1]}</p>
  <div class="newsletter">Sign up for our morning newsletter to get the news first.</div>
  <p>{STORY_SENTENCES[2]}</p>
  <p>{STORY_SENTENCES[3]} {STORY_SENTENCES[4]}</p>
  <p>{STORY_SENTENCES[5]}</p>
</article>
<aside><h2>Most read</h2><ul>
  <li><a href="/a">Council row over parking fees deepens</a></li>
  <li><a href="/b">Ten best beaches on the coast</a></li>
</ul></aside>
<section id="comments"><h2>Comments</h2>
  <div class="comment">Anon123: This terminal is a waste of taxpayer money!!!</div>
  <div class="comment">Seagull: Finally, about time.</div>
</section></main>
<footer>&copy; 2026 Kelmouth Gazette. All rights reserved. Privacy | Cookies</footer>
</body></html>
"""

PLAIN_TEXT = "Plain text story about a lighthouse. It was repainted white in May.\n"
#: A story long enough that reading it by meaning takes half a minute here.
LONG_TEXT = "\n".join(
    " ".join(
        f"Harbour board meeting {p}-{i} heard that berth {i % 40} needs dredging before winter."
        for i in range(10)
    )
    for p in range(200)
)


class LoopbackServer:
    """An HTTP server on 127.0.0.1 (a free port) that serves while its ``with`` block runs;
    subclasses say how it answers (``_handler``)."""

    def __init__(self) -> None:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        raise NotImplementedError


class WebServer(LoopbackServer):
    """Serves the routes below; ``redirect_target`` is where ``/elsewhere`` points."""

    def __init__(self) -> None:
        self.redirect_target = "http://169.254.169.254/latest/meta-data/"
        self.requests: list[str] = []
        super().__init__()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append(self.path)
                if self.path == "/news/ferry-terminal":
                    self._send(200, "text/html; charset=utf-8", STORY_HTML.encode())
                elif self.path == "/news/shouting":
                    self._send(200, "TEXT/HTML; Charset=UTF-8", STORY_HTML.encode())
                elif self.path == "/trickle":
                    self._trickle()
                elif self.path == "/cut-short":
                    self._cut_short()
                elif self.path == "/long-story.txt":
                    self._send(200, "text/plain; charset=utf-8", LONG_TEXT.encode())
                elif self.path == "/lighthouse.txt":
                    self._send(200, "text/plain; charset=utf-8", PLAIN_TEXT.encode())
                elif self.path == "/short-link":
                    self._redirect("/news/ferry-terminal")
                elif self.path == "/elsewhere":
                    self._redirect(site.redirect_target)
                elif self.path.startswith("/loop"):
                    n = int(self.path.removeprefix("/loop") or 0)
                    self._redirect(f"/loop{n + 1}")
                elif self.path == "/huge":
                    self._send(200, "text/html", b"<p>" + b"word " * 600_000 + b"</p>")
                elif self.path == "/huge-undeclared":
                    self._stream_without_length(b"<p>" + b"word " * 600_000 + b"</p>")
                elif self.path == "/photo.png":
                    self._send(200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
                elif self.path == "/empty-page":
                    self._send(200, "text/html", b"<html><body><nav>Home</nav></body></html>")
                else:
                    self._send(404, "text/html", b"<h1>Not found</h1>")

            def _send(self, status: int, content_type: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                # A client that stops reading at its size cap hangs up, as it should.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            def _stream_without_length(self, body: bytes) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                # The fetcher hangs up at its size cap, as it should.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)
                self.close_connection = True

            def _trickle(self) -> None:
                """One byte every 0.2 s for a minute: alive to every per-read timeout."""
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "300")
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    for _ in range(300):
                        self.wfile.write(b"x")
                        self.wfile.flush()
                        time.sleep(0.2)
                self.close_connection = True

            def _cut_short(self) -> None:
                """Promises 5,000 bytes, sends 20 and hangs up."""
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "5000")
                self.end_headers()
                self.wfile.write(b"<p>The story begins")
                self.close_connection = True

            def _redirect(self, location: str) -> None:
                self.send_response(302)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler
