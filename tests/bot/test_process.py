"""``python -m bot`` as a process: polls the (fake) Bot API, answers, stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot import handlers
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


def test_bot_process_polls_answers_and_stops_on_sigterm(tmp_path):
    with FakeBotApi() as api:
        env = {
            **os.environ,
            "NEWSBOT_DB": str(tmp_path / "bot.db"),
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


async def test_slow_answer_shows_typing_first(app, api, monkeypatch):
    # A person sees "typing…" only when an answer takes longer than the threshold;
    # a zero threshold stands in for a slow machine.
    monkeypatch.setattr(handlers, "TYPING_AFTER_SECONDS", 0.0)
    await feed(app, message("How many troops are in Syria?"))
    methods = [c.method for c in api.calls if c.method in ("sendChatAction", "sendMessage")]
    assert methods == ["sendChatAction", "sendMessage"]
    assert api.calls_to("sendChatAction")[0].params["action"] == "typing"


async def test_fast_answer_sends_no_typing(app, api):
    await feed(app, message("How many troops are in Syria?"))
    assert api.calls_to("sendChatAction") == []
    assert "[13]" in api.sent_texts()[0]


def test_damaged_database_exits_4_and_keeps_the_file(tmp_path):
    database = tmp_path / "bot.db"
    damaged = b"SQLite format 3\x00" + b"\xff" * 4000
    database.write_bytes(damaged)
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "NEWSBOT_DB": str(database)}
    result = subprocess.run(
        [sys.executable, "-m", "bot"], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert result.returncode == 4
    (line,) = result.stderr.strip().splitlines()
    assert str(database) in line and "backup" in line
    assert database.read_bytes() == damaged  # nothing overwritten


def test_file_that_is_not_a_database_exits_4(tmp_path):
    database = tmp_path / "bot.db"
    database.write_text("these are my notes, not a database\n" * 200)
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "NEWSBOT_DB": str(database)}
    result = subprocess.run(
        [sys.executable, "-m", "bot"], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert result.returncode == 4
    assert "is not a usable SQLite database" in result.stderr
    assert database.read_text().startswith("these are my notes")
