"""Extracting a fetched page or an uploaded file must leave the event loop free for other chats."""

from __future__ import annotations

import asyncio
import threading

import pytest

from library import articles as articles_module
from library.service import Library
from testing.web_server import STORY_HTML, STORY_TITLE, WebServer

WAIT = 10.0


@pytest.fixture
def gated(monkeypatch):
    """The real extractor, made to wait until the event loop proves it is still running."""
    started, release = threading.Event(), threading.Event()

    def wrap(real):
        def extract(*args, **kwargs):
            started.set()
            # On the event loop this would wait in vain: the loop could not set `release`.
            assert release.wait(WAIT), "extraction blocked the event loop"
            return real(*args, **kwargs)

        return extract

    monkeypatch.setattr(articles_module, "extract_html", wrap(articles_module.extract_html))
    monkeypatch.setattr(articles_module, "extract_file", wrap(articles_module.extract_file))
    return started, release


async def _while_extracting(gated, work):
    started, release = gated
    task = asyncio.create_task(work)
    assert await asyncio.to_thread(started.wait, WAIT)
    assert not task.done()  # still extracting, and this coroutine got to run
    release.set()
    return await task


async def test_a_fetched_page_is_extracted_off_the_event_loop(tmp_path, gated):
    library = Library.open(tmp_path / "news.db", allow_hosts={"127.0.0.1"})
    with WebServer() as site:
        extracted = await _while_extracting(
            gated, library.articles.fetch_url(1, site.url("/news/ferry-terminal"))
        )
    assert extracted.title == STORY_TITLE


async def test_an_uploaded_file_is_extracted_off_the_event_loop(tmp_path, gated):
    library = Library.open(tmp_path / "news.db")
    extracted = await _while_extracting(
        gated, library.articles.extract_upload(STORY_HTML.encode(), "story.html")
    )
    assert extracted.title == STORY_TITLE
