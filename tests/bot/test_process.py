"""``python -m bot`` as a process: polls the (fake) Bot API, answers, stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot.knowledge import OFF_LOOP_SENTENCES, Knowledge
from retrieval import ArticleIndex, parse_article
from tests.bot.conftest import feed, message
from tests.bot.fake_bot_api import TOKEN, FakeBotApi

REPO = Path(__file__).resolve().parents[2]


def _wait(predicate, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_bot_process_polls_answers_and_stops_on_sigterm():
    with FakeBotApi() as api:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": api.url,
            "NEWSBOT_LOG_LEVEL": "INFO",
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "bot"],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert _wait(lambda: api.calls_to("getUpdates")), "bot never polled"
            api.push_updates([message("How many troops are in Syria?")])
            assert api.wait_for_messages(1, timeout=30)
            process.send_signal(signal.SIGTERM)
            _, stderr = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
        assert process.returncode == 0
        assert "fewer than 1,000 troops in Syria. [13]" in api.sent_texts()[0]
        assert len(api.calls_to("setMyCommands")) == 2
        assert TOKEN not in stderr
        assert "update chat=private command=text" in stderr


def test_missing_token_exits_2_with_one_helpful_line():
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    result = subprocess.run(
        [sys.executable, "-m", "bot"], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "@BotFather" in lines[0] and "python -m retrieval ask" in lines[0]


def test_malformed_api_url_is_a_config_error():
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": "api.telegram.org"}
    result = subprocess.run(
        [sys.executable, "-m", "bot"], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "TELEGRAM_API_URL must start with http:// or https://" in result.stderr


async def test_large_article_shows_typing_and_answers_off_the_loop(api):
    from bot.app import build_application
    from bot.config import Settings

    filler = "\n".join(f"Paragraph {i} talks about harbour cranes and tides." for i in range(450))
    article = parse_article(filler + "\nThe mayor opened the new bridge on Friday.")
    assert len(article.sentences) > OFF_LOOP_SENTENCES
    app = build_application(
        Settings(token=TOKEN, api_url=api.url), Knowledge(ArticleIndex(article))
    )
    await app.initialize()
    try:
        api.clear()
        await feed(app, message("Who opened the bridge?"))
    finally:
        await app.shutdown()
    (action,) = api.calls_to("sendChatAction")
    assert action.params["action"] == "typing"
    assert "The mayor opened the new bridge on Friday." in api.sent_texts()[0]
