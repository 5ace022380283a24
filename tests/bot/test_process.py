"""``python -m bot`` as a process: polls the (fake) Bot API, answers, stops cleanly on SIGTERM."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import replies
from library.service import Library
from library.store import SqliteStore as Store
from retrieval.vectors import model_id
from testing.fake_bot_api import TOKEN, FakeBotApi
from testing.processes import (
    REPO,
    bot_env,
    run_bot_main_to_exit,
    run_bot_to_exit,
    running_bot,
    stop,
    wait_until,
)
from testing.web_server import WebServer
from tests.bot.updates import GROUP, USER, feed, mention, message


def test_bot_process_polls_answers_and_stops_on_sigterm(tmp_path, seed_database):
    log = tmp_path / "bot.log"
    with FakeBotApi() as api:
        env = bot_env(TOKEN, api.url, tmp_path / "bot.db", NEWSBOT_LOG_LEVEL="INFO")
        with running_bot(env, log) as process:
            assert wait_until(lambda: api.calls_to("getUpdates")), "bot never polled"
            api.push_updates([message("How many troops are in Syria?")])
            assert api.wait_for_messages(1, timeout=30)
            assert stop(process) == 0
        stderr = log.read_text()
        assert "<b>fewer than 1,000</b> troops in Syria. [13]" in api.sent_texts()[0]
        menus = {
            c.params["scope"]["type"]: c.params["commands"] for c in api.calls_to("setMyCommands")
        }
        admin_only = {"add", "remove", "schedule", "unschedule"}
        names = {scope: {c["command"] for c in commands} for scope, commands in menus.items()}
        assert names["all_private_chats"] >= admin_only and "ask" in names["all_private_chats"]
        assert names["all_chat_administrators"] == names["all_private_chats"]
        assert not names["all_group_chats"] & admin_only and "ask" in names["all_group_chats"]
        assert TOKEN not in stderr
        assert "update chat=private command=text" in stderr


def test_sigterm_does_not_wait_for_a_long_article_to_be_embedded(tmp_path, seed_database):
    # 2,000 sentences: embedding them takes about half a minute here, splitting them
    # (which the add waits for) about a second.
    story = " ".join(
        f"Harbour board meeting {i} heard that berth {i % 40} needs dredging before winter."
        for i in range(2000)
    )
    log, database = tmp_path / "bot.log", tmp_path / "bot.db"
    with FakeBotApi() as api, running_bot(bot_env(TOKEN, api.url, database), log) as process:
        assert wait_until(lambda: api.calls_to("getUpdates")), "bot never polled"
        api.push_updates([message(f"/add {story}")])
        assert api.wait_for_messages(1, timeout=60)  # added and briefed: embedding begins
        assert api.sent_texts()[0].startswith("Added as article <b>2</b>")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    library = Library.open(database)
    try:  # the acknowledged article is kept; its vectors come from the next start's backfill
        assert library.articles.add(USER["id"], story).duplicate
        assert library.store.without_vectors([model_id()], 10) == [2]
    finally:
        library.close()


def test_sigterm_stops_the_bot_while_a_shared_link_is_read(tmp_path, seed_database):
    log, database = tmp_path / "bot.log", tmp_path / "bot.db"
    with FakeBotApi() as api, WebServer() as site:
        env = bot_env(TOKEN, api.url, database, NEWSBOT_FETCH_ALLOW_HOSTS="127.0.0.1")
        with running_bot(env, log) as process:
            assert wait_until(lambda: api.calls_to("getUpdates")), "bot never polled"
            question = mention("Which berth needs dredging?")
            question["message"]["reply_to_message"] = {
                "message_id": 501,
                "date": 1,
                "chat": GROUP,
                "from": {"id": 3333, "is_bot": False, "first_name": "Lin"},
                "text": site.url("/long-story.txt"),
            }
            api.push_updates([question])
            # Fetched and being read by meaning (half a minute of work): "typing…" shows.
            assert wait_until(lambda: site.requests and api.calls_to("sendChatAction"))
            time.sleep(1)
            started = time.perf_counter()
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=20) == 0
            assert time.perf_counter() - started < 5
    assert "Traceback" not in log.read_text()


def test_sigterm_stops_the_bot_after_the_grace_while_an_add_is_still_downloading(
    tmp_path, seed_database
):
    log, database = tmp_path / "bot.log", tmp_path / "bot.db"
    with FakeBotApi() as api, WebServer() as site:
        env = bot_env(
            TOKEN,
            api.url,
            database,
            NEWSBOT_FETCH_ALLOW_HOSTS="127.0.0.1",
            NEWSBOT_STOP_GRACE_SECONDS="1",  # 4 by default
        )
        with running_bot(env, log) as process:
            assert wait_until(lambda: api.calls_to("getUpdates")), "bot never polled"
            # A page sent a byte every 0.2 s: the fetch would go on to its 10 s deadline.
            api.push_updates([message(f"/add {site.url('/trickle')}")])
            assert wait_until(lambda: "/trickle" in site.requests)
            time.sleep(0.5)
            started = time.perf_counter()
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=20) == 0
            assert time.perf_counter() - started < 3
    assert "stopping took longer than 1.0 s; exiting without the updates" in log.read_text()
    library = Library.open(database)
    try:
        assert [row.id for row in library.articles.visible(USER["id"])] == [1]  # nothing half-added
    finally:
        library.close()


def test_missing_token_exits_2_with_one_helpful_line():
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    result = run_bot_main_to_exit(env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "@BotFather" in lines[0] and "python -m retrieval ask" in lines[0]


def test_malformed_api_url_is_a_config_error():
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": "api.telegram.org"}
    result = run_bot_main_to_exit(env)
    assert result.returncode == 2
    assert "TELEGRAM_API_URL must start with http:// or https://" in result.stderr


async def test_slow_answer_shows_typing_first(app, api, monkeypatch):
    # A person sees "typing…" only when an answer takes longer than the threshold;
    # a zero threshold stands in for a slow machine.
    monkeypatch.setattr(replies, "TYPING_AFTER_SECONDS", 0.0)
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
    result = run_bot_main_to_exit(env)
    assert result.returncode == 4
    (line,) = result.stderr.strip().splitlines()
    assert str(database) in line and "backup" in line
    assert database.read_bytes() == damaged  # nothing overwritten


def test_unreachable_postgresql_exits_4_in_one_line_without_the_password():
    url = "postgresql://newsbot:pw-never-shown@127.0.0.1:9/newsbot"  # nothing listens on 9
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "NEWSBOT_DB": url}
    result = run_bot_main_to_exit(env)
    assert result.returncode == 4
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: postgresql://newsbot@127.0.0.1:9/newsbot: cannot connect")
    assert "pw-never-shown" not in result.stderr


def test_file_that_is_not_a_database_exits_4(tmp_path):
    database = tmp_path / "bot.db"
    database.write_text("these are my notes, not a database\n" * 200)
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "NEWSBOT_DB": str(database)}
    result = run_bot_main_to_exit(env)
    assert result.returncode == 4
    assert "is not a usable SQLite database" in result.stderr
    assert database.read_text().startswith("these are my notes")


def test_a_token_telegram_rejects_exits_2_with_one_line_and_no_token(tmp_path, seed_database):
    with FakeBotApi() as api:
        api.refuse["getMe"] = "Unauthorized"
        result = run_bot_to_exit(bot_env(TOKEN, api.url, tmp_path / "bot.db"))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: Telegram rejected TELEGRAM_BOT_TOKEN; copy the token from @BotFather again"
    ]
    assert TOKEN not in result.stdout + result.stderr


def test_an_unreachable_bot_api_exits_5_with_one_line(tmp_path, seed_database):
    url = f"http://127.0.0.1:{_free_port()}"  # nothing listens there
    result = run_bot_to_exit(bot_env(TOKEN, url, tmp_path / "bot.db"))
    assert result.returncode == 5
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: cannot reach the Bot API at {url}")
    assert TOKEN not in result.stderr


def test_an_unknown_log_level_is_a_config_error(tmp_path):
    result = run_bot_main_to_exit(
        bot_env(TOKEN, "http://127.0.0.1:9", tmp_path / "bot.db", NEWSBOT_LOG_LEVEL="TRACE")
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: NEWSBOT_LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL (got 'TRACE')"
    ]


def _refusal_over_read_only(database: Path, protected: Path) -> str:
    """The one stderr line of a bot started over ``database`` while ``protected`` (the
    file or its folder) is read-only; it must exit 4."""
    Store.open(database).close()
    with read_only(protected):
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "NEWSBOT_DB": str(database)}
        result = run_bot_main_to_exit(env)
    assert result.returncode == 4
    (line,) = result.stderr.strip().splitlines()
    assert str(database) in line
    return line


def test_read_only_database_exits_4_at_start(tmp_path):
    database = tmp_path / "bot.db"
    assert "not writable" in _refusal_over_read_only(database, database)


def test_a_database_in_a_read_only_folder_is_named_read_only_not_damaged(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    line = _refusal_over_read_only(folder / "bot.db", folder)
    assert "read-only" in line
    assert "restore a backup" not in line


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make ``path`` read-only even for root (who ignores file modes): the immutable flag."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(path)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _post(
    url: str,
    update: dict | bytes,
    secret: str | None,
    content_type: str = "application/json",
) -> int:
    headers = {"Content-Type": content_type}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    body = update if isinstance(update, bytes) else json.dumps(update).encode()
    request = urllib.request.Request(url, body, headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except urllib.error.URLError:
        return 0  # not listening yet


def test_webhook_mode_handles_updates_with_the_secret_and_refuses_others(tmp_path, seed_database):
    port = _free_port()
    hook = f"http://127.0.0.1:{port}/telegram-hook"
    secret = "s3cret_for-tests"
    log = tmp_path / "bot.log"
    with FakeBotApi() as api:
        env = bot_env(
            TOKEN,
            api.url,
            tmp_path / "bot.db",
            NEWSBOT_WEBHOOK_URL=hook,
            NEWSBOT_WEBHOOK_LISTEN="127.0.0.1",
            NEWSBOT_WEBHOOK_PORT=str(port),
            NEWSBOT_WEBHOOK_SECRET=secret,
            NEWSBOT_LOG_LEVEL="DEBUG",  # PTB logs setWebhook's parameters at DEBUG
        )
        with running_bot(env, log) as process:
            assert wait_until(lambda: api.calls_to("setWebhook")), "webhook never registered"
            (registered,) = api.calls_to("setWebhook")
            assert registered.params["url"] == hook
            assert registered.params["secret_token"] == secret
            assert wait_until(lambda: _post(hook, {"update_id": 1}, "wrong") == 403)
            assert _post(hook, message("How many troops are in Syria?"), None) == 403
            assert _post(hook, message("Who declined to comment?"), "wrong") == 403
            # Bad bodies with the right secret are the caller's fault (4xx), never a 500.
            assert _post(hook, b"{not json", secret) == 400
            assert _post(hook, b"\xff\xfe", secret) == 400
            assert _post(hook, b"[1, 2]", secret) == 400
            assert _post(hook, {"update_id": "one"}, secret) == 400
            assert _post(hook, message("Who?"), secret, content_type="text/plain") == 415
            assert _post(hook, message("How many troops are in Syria?"), secret) == 200
            assert api.wait_for_messages(1, timeout=30)
            assert stop(process) == 0
        stderr = log.read_text()
        assert api.calls_to("getUpdates") == []  # webhook mode never polls
        (answer,) = api.sent_texts()
        assert "<b>fewer than 1,000</b> troops in Syria. [13]" in answer
        assert TOKEN not in stderr and secret not in stderr
        assert "Traceback" not in stderr


@pytest.mark.parametrize(
    ("extra", "complaint"),
    [
        (
            {"NEWSBOT_WEBHOOK_URL": "https://bot.example.org/hook"},
            "NEWSBOT_WEBHOOK_SECRET must be set",
        ),
        (
            {
                "NEWSBOT_WEBHOOK_URL": "https://bot.example.org/hook",
                "NEWSBOT_WEBHOOK_SECRET": "has spaces",
            },
            "NEWSBOT_WEBHOOK_SECRET must be set",
        ),
        (
            {"NEWSBOT_WEBHOOK_URL": "http://bot.example.org/hook", "NEWSBOT_WEBHOOK_SECRET": "x"},
            "https://",
        ),
        ({"NEWSBOT_LOG_FORMAT": "xml"}, "NEWSBOT_LOG_FORMAT must be text or json"),
        ({"NEWSBOT_OWNER_ID": "me"}, "NEWSBOT_OWNER_ID must be a whole number"),
        ({"NEWSBOT_ADMINS_ONLY": "maybe"}, "NEWSBOT_ADMINS_ONLY must be true or false"),
        ({"NEWSBOT_STOP_GRACE_SECONDS": "0"}, "NEWSBOT_STOP_GRACE_SECONDS must be at least 1"),
    ],
)
def test_bad_settings_exit_2_naming_the_variable(tmp_path, extra, complaint):
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "NEWSBOT_DB": str(tmp_path / "b.db"), **extra}
    result = run_bot_main_to_exit(env)
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert complaint in line


def _health(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.health"], cwd=REPO, env=env, capture_output=True, text=True
    )


def test_the_health_check_does_not_import_telegram():
    # The container runs it every 30 s: importing python-telegram-bot would cost 0.6 s.
    probe = "import sys, bot.health; print(sorted(m for m in sys.modules if 'telegram' in m))"
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_json_logs_and_health_check_of_a_running_bot(tmp_path, seed_database):
    log = tmp_path / "bot.log"
    with FakeBotApi() as api:
        env = bot_env(
            TOKEN,
            api.url,
            tmp_path / "bot.db",
            NEWSBOT_LOG_FORMAT="json",
            NEWSBOT_HEALTH_FILE=str(tmp_path / "health.json"),
        )
        assert _health(env).returncode == 1  # not running yet
        with running_bot(env, log) as process:
            # Waiting on the file, not on the check: each check is a process of its own,
            # and a stream of them would slow the bot's start-up they wait for.
            assert wait_until(lambda: (tmp_path / "health.json").exists()), "never beat"
            assert wait_until(lambda: _health(env).returncode == 0), "never became healthy"
            api.push_updates([message("How many troops are in Syria?")])
            assert api.wait_for_messages(1, timeout=30)
            assert stop(process) == 0
    stderr = log.read_text()
    stopped = _health(env)
    assert stopped.returncode == 1 and "no heartbeat file" in stopped.stderr
    records = [json.loads(line) for line in stderr.strip().splitlines()]  # every line is JSON
    assert {"time", "level", "logger", "message"} <= set(records[0])
    handled = [r for r in records if r["logger"] == "bot.updates"]
    assert handled[0]["message"].startswith("update chat=private command=text latency_ms=")
    assert TOKEN not in stderr and "troops" not in stderr  # no token, no user text at INFO


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        ({"beat": 1000.0, "mode": "polling", "last_poll": 1000.0}, None),
        ({"beat": 900.0, "mode": "polling", "last_poll": 900.0}, "no heartbeat for 105 s"),
        ({"beat": 1000.0, "mode": "polling", "last_poll": None}, "has not polled"),
        (
            {"beat": 1000.0, "mode": "polling", "last_poll": 800.0},
            "no successful getUpdates for 205 s",
        ),
        ({"beat": 1000.0, "mode": "webhook", "last_poll": None}, None),
    ],
)
def test_health_verdicts(record, reason):
    from bot.health import verdict

    found = verdict(record, now=1000.0 + 5)
    assert (found is None) if reason is None else (reason in found)
