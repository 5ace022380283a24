"""Adding articles runs in its own queue: one add per chat at a time, and questions are not kept waiting."""

from __future__ import annotations

import asyncio
import threading

import pytest

from tests.bot.updates import feed, message

STORY = (
    "A bakery in Dunmore won the national bread award on Saturday.\n"
    "The judges praised its rye sourdough, which is baked overnight."
)
OTHER_STORY = (
    "The harbour authority reopened the northern pier after repairs.\n"
    "Ferries to the islands will run every hour again from Monday."
)
READER = {"id": 2222, "is_bot": False, "first_name": "Grace"}
WAIT = 10.0


@pytest.fixture
def held_add(app, library, monkeypatch):
    """The real ``add_extracted``, held until the test releases it (an upload that takes long)."""
    articles = library.articles
    started, release = threading.Event(), threading.Event()
    real = articles.add_extracted

    def add_extracted(*args, **kwargs):
        started.set()
        assert release.wait(WAIT)
        return real(*args, **kwargs)

    monkeypatch.setattr(articles, "add_extracted", add_extracted)
    yield started, release
    release.set()


async def test_a_second_add_from_a_chat_with_one_running_is_told_to_wait(app, api, held_add):
    started, release = held_add
    first = asyncio.create_task(feed(app, message(f"/add {STORY}")))
    assert await asyncio.to_thread(started.wait, WAIT)
    await feed(app, message(f"/add {OTHER_STORY}"))
    assert api.sent_texts() == [
        "I'm busy: this chat is already adding an article; send it again when that is done."
    ]
    release.set()
    await first
    assert api.sent_texts()[1].startswith("Added as article <b>2</b>")


async def test_another_chat_is_answered_while_an_add_is_running(app, api, held_add):
    started, release = held_add
    first = asyncio.create_task(feed(app, message(f"/add {STORY}")))
    assert await asyncio.to_thread(started.wait, WAIT)
    await feed(app, message("How many troops are in Syria?", user=READER))
    assert "<b>fewer than 1,000</b> troops in Syria. [13]" in api.sent_texts()[0]
    release.set()
    await first


async def test_when_the_queue_is_full_everyone_is_told_to_try_again(app, api, library, held_add):
    started, release = held_add
    library.articles.ingestion.capacity = 1
    first = asyncio.create_task(feed(app, message(f"/add {STORY}")))
    assert await asyncio.to_thread(started.wait, WAIT)
    await feed(app, message(f"/add {OTHER_STORY}", user=READER))
    assert api.sent_texts() == [
        "I'm busy: many articles are being added right now; try again in a minute."
    ]
    release.set()
    await first
