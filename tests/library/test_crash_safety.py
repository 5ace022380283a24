"""Nothing acknowledged is lost: processes killed with SIGKILL in the middle of adds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

from library.store import SqliteStore as Store
from retrieval import analyze
from testing.fake_bot_api import TOKEN, FakeBotApi
from testing.processes import REPO, bot_env, running_bot, stop, wait_until
from tests.bot.updates import message


def story(n: int) -> str:
    """A distinct multi-paragraph article; the number makes each one unique."""
    return "\n".join(
        f"Report {n}, part {p}: the river at station {n} rose {p} metres overnight, "
        f"officials said. Crews worked until dawn on levee {n}-{p}."
        for p in range(1, 40)
    )


WRITER = textwrap.dedent(
    """
    import sys
    from library.backend import open_store
    from library.service import Library
    from tests.library.test_crash_safety import story

    library = Library(open_store(sys.argv[1]))  # adds only: no model to load
    start = int(sys.argv[2])
    for n in range(start, start + 100_000):
        result = library.articles.add(-5, story(n))
        print(result.article_id, n, flush=True)  # the acknowledgement
    """
)


def test_store_killed_mid_add_keeps_every_acknowledged_article(tmp_path):
    database = tmp_path / "crash.db"
    acknowledged: dict[int, int] = {}
    start = 0
    for round_ in range(3):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(database), str(start)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert writer.stdout is not None
        for _ in range(2 + 3 * round_):  # kill at a different point each round
            article_id, n = map(int, writer.stdout.readline().split())
            acknowledged[article_id] = n
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait()
        # Lines written before the kill are acknowledgements too.
        for line in writer.stdout.read().splitlines():
            article_id, n = map(int, line.split())
            acknowledged[article_id] = n
        start = max(acknowledged.values()) + 1_000

    store = Store.open(database)  # passes SQLite's quick_check, or raises
    try:
        for article_id, n in acknowledged.items():
            assert store.load(article_id).text == story(n)
        # Whatever was committed but not yet acknowledged is whole, never half-written.
        for row in store.visible(-5):
            article = store.load(row.id)
            assert len(article.sentences) == 78
        assert store.search(-5, analyze("levee"), 1)  # the term index matches the articles
    finally:
        store.close()


def _user(user_id: int) -> dict:
    return {"id": user_id, "is_bot": False, "first_name": "A"}


def _acknowledged(api: FakeBotApi) -> dict[int, int]:
    """Article number -> story number, from the "Added as article N" replies sent."""
    found = {}
    for call in api.calls_to("sendMessage"):
        text = call.params.get("text", "")
        if text.startswith("Added as article <b>"):
            number = int(text.split("<b>")[1].split("</b>")[0])
            found[number] = int(text.split("Report ")[1].split(",")[0])
    return found


def test_bot_killed_mid_add_keeps_acknowledged_articles_after_restart(tmp_path, seed_database):
    database = seed_database  # the shipped article already stored and embedded
    with FakeBotApi() as api:
        env = bot_env(TOKEN, api.url, database)
        with running_bot(env, tmp_path / "first.log") as bot:
            assert wait_until(lambda: api.calls_to("getUpdates")), "bot never polled"
            api.push_updates([message(f"/add {story(n)}", user=_user(7000 + n)) for n in range(40)])
            assert wait_until(lambda: len(_acknowledged(api)) >= 4), "no add was acknowledged"
            os.kill(bot.pid, signal.SIGKILL)
            bot.wait()
        acknowledged = _acknowledged(api)

        api.clear()
        with running_bot(env, tmp_path / "second.log") as restarted:
            assert wait_until(lambda: api.calls_to("getUpdates")), "restarted bot never polled"
            first_story = next(iter(acknowledged.values()))
            api.push_updates([message("/articles", user=_user(7000 + first_story))])
            assert api.wait_for_messages(1, timeout=30)
            assert stop(restarted) == 0
    listing = api.sent_texts()[0]
    assert f"<b>{next(iter(acknowledged))}</b>." in listing

    store = Store.open(database)
    try:
        for number, n in acknowledged.items():
            assert store.load(number).text == story(n)
    finally:
        store.close()
