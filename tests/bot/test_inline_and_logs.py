"""Inline mode, and the logs a whole session writes (no token, no message text at INFO)."""

from __future__ import annotations

import io
import json
import logging

import pytest
from telegram.ext import CallbackContext

from bot.config import Settings
from bot.heartbeat import beat
from bot.logs import configure_logging
from testing.fake_bot_api import TOKEN
from tests.bot.updates import USER, feed, message


def inline(query: str) -> dict:
    return {
        "update_id": 5000 + len(query),
        "inline_query": {"id": "iq1", "from": USER, "query": query, "offset": ""},
    }


async def test_inline_query_offers_the_answer(app, api):
    await feed(app, inline("How many troops are in Syria?"))
    (call,) = api.calls_to("answerInlineQuery")
    (result,) = call.params["results"]
    assert result["type"] == "article"
    assert (
        "<b>fewer than 1,000</b> troops in Syria. [13]"
        in result["input_message_content"]["message_text"]
    )
    assert result["input_message_content"]["parse_mode"] == "HTML"
    assert len(result["id"]) <= 64 and len(result["title"]) <= 64
    assert int(call.params["cache_time"]) == 300


async def test_empty_inline_query_offers_the_briefing(app, api):
    await feed(app, inline(""))
    (call,) = api.calls_to("answerInlineQuery")
    (result,) = call.params["results"]
    assert result["title"].startswith("Briefing: The U.S. is preparing for a pullout")
    assert result["input_message_content"]["message_text"].startswith("<b>Briefing:</b>")


async def test_off_topic_inline_query_says_so(app, api):
    await feed(app, inline("Who won the Super Bowl?"))
    (result,) = api.calls_to("answerInlineQuery")[0].params["results"]
    assert result["title"] == "The article doesn't say"


@pytest.mark.parametrize("query", ["How many troops are in Syria? " * 9, "troops " * 700])
async def test_inline_query_longer_than_telegram_allows_gets_no_results_not_an_error(
    app, api, query
):
    await feed(app, inline(query))
    (call,) = api.calls_to("answerInlineQuery")
    assert call.params["results"] == []
    assert api.sent_texts() == []  # no "something went wrong" anywhere


async def test_logs_hold_one_line_per_update_and_never_the_token_or_text(app, api):
    stream = io.StringIO()
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    root.handlers = [logging.StreamHandler(stream)]
    try:
        configure_logging(Settings(token=TOKEN, log_level="INFO"))
        logging.getLogger("httpx").info("HTTP Request: POST https://x/bot%s/getMe", TOKEN)
        await feed(app, message("How many troops are in Syria?"))
        await feed(app, message("/brief"))
    finally:
        root.handlers, level = saved
        root.setLevel(level)
    logs = stream.getvalue()
    assert TOKEN not in logs
    assert "How many troops" not in logs
    lines = [line for line in logs.splitlines() if "update chat=" in line]
    assert len(lines) == 2
    assert "command=text" in lines[0] and "abstained=False" in lines[0]
    assert "command=brief" in lines[1]


async def test_heartbeats_follow_each_other_quickly_until_the_first_poll_comes_back(
    app, tmp_path, monkeypatch
):
    """The health check turns healthy as soon as a poll has come back, not a whole beat
    interval (15 s) later; once polled, beats keep their interval."""
    monkeypatch.setenv("NEWSBOT_HEALTH_FILE", str(tmp_path / "health.json"))
    context = CallbackContext(app)
    await beat(context)
    assert json.loads((tmp_path / "health.json").read_text())["last_poll"] is None
    assert [job.name for job in app.job_queue.jobs()] == ["heartbeat-until-polled"]
    app.bot_data.polling_pulse.last_ok = 1000.0
    await beat(context)
    assert json.loads((tmp_path / "health.json").read_text())["last_poll"] == 1000.0
    assert len(app.job_queue.jobs()) == 1  # no further quick beat
