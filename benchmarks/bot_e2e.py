"""End-to-end bot throughput: updates delivered by getUpdates to sendMessage, many chats at once.

    python -m benchmarks.bot_e2e [--chats 200] [--per-chat 5]

Runs the real Application with long polling against the fake Bot API server
(testing/fake_bot_api.py) on 127.0.0.1. Latency is measured from the moment
an update is handed to the bot to the moment its sendMessage reaches the
server. Two runs: raw handling (no flood limiter) and as deployed, with
AIORateLimiter holding the bot to Telegram's 30 messages/s overall.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bot.app import build_application
from bot.config import Settings
from testing.fake_bot_api import TOKEN, FakeBotApi

QUESTIONS = [
    "How many troops are in Syria?",
    "Who declined to comment?",
    "Who did Marco Rubio meet?",
    "Why did Jim Mattis resign?",
    "Who won the Super Bowl?",
]


def _updates(chats: int, per_chat: int) -> list[dict]:
    updates: list[dict] = []
    for round_ in range(per_chat):
        for chat in range(chats):
            user = {"id": 10_000 + chat, "is_bot": False, "first_name": f"u{chat}"}
            updates.append(
                {
                    "update_id": len(updates) + 1,
                    "message": {
                        "message_id": len(updates) + 1,
                        "date": int(time.time()),
                        "chat": {"id": 10_000 + chat, "type": "private"},
                        "from": user,
                        "text": QUESTIONS[(chat + round_) % len(QUESTIONS)],
                    },
                }
            )
    return updates


async def _run(chats: int, per_chat: int, flood_limits: bool, library_dir: Path) -> None:
    total = chats * per_chat
    with FakeBotApi() as api:
        settings = Settings(
            token=TOKEN,
            api_url=api.url,
            questions_per_minute=per_chat + 1,
            database=library_dir / f"bench-{flood_limits}.db",
        )
        application = build_application(settings, flood_limits=flood_limits)
        async with application:
            await application.start()
            assert application.updater is not None
            await application.updater.start_polling(poll_interval=0.0, timeout=0)
            api.clear()
            pushed_at = time.perf_counter()
            api.push_updates(_updates(chats, per_chat))
            done = await asyncio.to_thread(api.wait_for_messages, total, 300.0)
            finished = time.perf_counter()
            await application.updater.stop()
            await application.stop()
        sends = api.calls_to("sendMessage")
        fetched = [c.at for c in api.calls_to("getUpdates")]
    latencies = []
    # Each update's latency runs from the getUpdates call that delivered it.
    deliveries = sorted(t for t in fetched if t >= pushed_at)
    for send in sends:
        delivered = max((t for t in deliveries if t <= send.at), default=pushed_at)
        latencies.append((send.at - delivered) * 1000)
    label = "with AIORateLimiter (as deployed)" if flood_limits else "raw handling (no limiter)"
    rate = len(sends) / (finished - pushed_at)
    lat = np.array(latencies)
    print(
        f"  {label:<34} {len(sends)}/{total} answered{'' if done else ' (timed out)'}, "
        f"{rate:7.1f} updates/s, latency p50 {np.percentile(lat, 50):7.1f} ms, "
        f"p99 {np.percentile(lat, 99):7.1f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--per-chat", type=int, default=5)
    args = parser.parse_args(argv)
    print(
        f"bot end to end: {args.chats} chats x {args.per_chat} questions, fake Bot API on 127.0.0.1"
    )
    with tempfile.TemporaryDirectory() as library_dir:
        asyncio.run(_run(args.chats, args.per_chat, False, Path(library_dir)))
        asyncio.run(_run(min(args.chats, 60), 2, True, Path(library_dir)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
