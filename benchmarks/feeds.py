"""Polling many feeds: a cycle's cost when nothing changed and when feeds bring news.

    python -m benchmarks.feeds [--feeds 1000] [--entries 50] [--changed 100]

Every feed is served from 127.0.0.1 (testing/feed_server.py), each with
``--entries`` entries whose pages are short news articles, all followed by one
chat in a fresh SQLite library. Printed, in one run:

* a cycle over every feed when nothing changed (each answers 304 to the
  poller's conditional GET): wall time and CPU time, next to the same URLs
  fetched by plain sequential ``httpx`` GETs (the baseline: the HTTP cost
  alone, without parsing, claims or the store);
* a cycle in which ``--changed`` feeds each have 5 new entries: wall time, new
  articles per second through the ingestion queue (page fetched, extracted,
  parsed, stored), and the p50/p99 of library questions asked meanwhile;
* the process's peak resident memory.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from library.following import Caps, Following
from library.service import Library
from testing.feed_server import FeedServer, Page

CHAT = -42


def _page(feed: int, entry: int) -> bytes:
    town = f"Town{feed}"
    sentences = [
        f"The council of {town} approved plan {entry} for a new bridge on Monday.",
        f"Plan {entry} will cost {feed + entry} million euros, the mayor of {town} said.",
        f"Construction of the bridge in {town} starts in spring and takes two years.",
        f"Residents of {town} had asked for a second crossing over the river for years.",
        "Opponents said the money would be better spent on schools and buses.",
    ]
    body = "".join(f"<p>{s}</p>" for s in sentences)
    return (
        f"<html><head><title>Plan {entry} in {town}</title></head><body><article>"
        f"<h1>Plan {entry} in {town}</h1>{body}</article></body></html>"
    ).encode()


def _text(feed: int, entry: int) -> str:
    page = _page(feed, entry).decode()
    return "\n".join(p.split("</p>")[0] for p in page.split("<p>")[1:])


def _feed(server: FeedServer, feed: int, first: int, count: int) -> bytes:
    items = "".join(
        f"<item><guid>{feed}-{n}</guid><link>{server.url(f'/p/{feed}/{n}')}</link>"
        f"<title>Plan {n} in Town{feed}</title><description>Plan {n}.</description></item>"
        for n in range(first + count - 1, first - 1, -1)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {feed}</title>'
        f"{items}</channel></rss>"
    ).encode()


def _sql(database: Path, statement: str) -> None:
    """Set-up the product has no command for (as if time had passed), on the file itself."""
    with sqlite3.connect(database) as db:
        db.execute(statement)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q / 100 * len(ordered)))] if ordered else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--changed", type=int, default=100)
    args = parser.parse_args(argv)
    with FeedServer() as server, tempfile.TemporaryDirectory() as work:
        for f in range(args.feeds):
            server.pages[f"/f/{f}.xml"] = Page(
                _feed(server, f, 0, args.entries), headers={"ETag": f'"{f}-0"'}
            )
            for n in range(args.entries + 5):
                server.pages[f"/p/{f}/{n}"] = Page(_page(f, n), "text/html; charset=utf-8")
        database = Path(work) / "feeds.db"
        library = Library.open(database, allow_hosts={"127.0.0.1"})
        following = Following(
            library.articles, Caps(feeds=args.feeds, per_day=10**6, keep_days=365)
        )
        print(f"{args.feeds} feeds x {args.entries} entries on 127.0.0.1, one chat, SQLite")
        print("  following and marking every current entry seen...", file=sys.stderr)
        seen = []
        for f in range(args.feeds):
            url = server.url(f"/f/{f}.xml")
            row = library.store.follow(CHAT, url, f"Feed {f}", limit=args.feeds)
            assert row is not None
            seen += [(CHAT, f"guid:{f}-{n}", row.id, "x") for n in range(args.entries)]
        with sqlite3.connect(database) as db:  # one transaction, not one per entry
            db.executemany("INSERT INTO feed_entries VALUES (?, ?, ?, ?)", seen)
        _sql(database, "UPDATE feeds SET etag = '\"' || (id - 1) || '-0\"'")

        urls = [server.url(f"/f/{f}.xml") for f in range(args.feeds)]
        started, cpu = time.perf_counter(), time.process_time()
        with httpx.Client(trust_env=False) as client:
            for url in urls:
                client.get(url).raise_for_status()
        raw_wall, raw_cpu = time.perf_counter() - started, time.process_time() - cpu

        started, cpu = time.perf_counter(), time.process_time()
        polled = asyncio.run(following.poll_due(budget_seconds=3600))
        wall, used = time.perf_counter() - started, time.process_time() - cpu
        assert len(polled) == args.feeds and not any(p.added for p in polled)
        print(
            f"  nothing changed (all 304): a cycle {wall:6.2f} s wall, {used:6.2f} s CPU "
            f"({wall / args.feeds * 1000:.1f} ms a feed) | plain GETs {raw_wall:6.2f} s wall, "
            f"{raw_cpu:6.2f} s CPU: {wall / raw_wall:.1f}x"
        )

        for f in range(args.changed, args.changed + 100):  # a library to question meanwhile
            library.articles.add(CHAT, _text(f, 0), title=f"Plan 0 in Town{f}")
        changed = min(args.changed, args.feeds)
        for f in range(changed):
            server.pages[f"/f/{f}.xml"] = Page(
                _feed(server, f, 0, args.entries + 5), headers={"ETag": f'"{f}-1"'}
            )
        _sql(database, "UPDATE feeds SET next_poll_at = '2000-01-01T00:00:00+00:00'")
        latencies: list[float] = []
        done = threading.Event()

        def ask() -> None:
            questions = ["How much will plan 3 cost?", "When does construction start?"]
            n = 0
            while not done.is_set():
                t0 = time.perf_counter()
                library.asking.ask(CHAT, questions[n % 2])
                latencies.append((time.perf_counter() - t0) * 1000)
                n += 1

        asker = threading.Thread(target=ask)
        started = time.perf_counter()
        asker.start()
        polled = asyncio.run(following.poll_due(budget_seconds=3600))
        wall = time.perf_counter() - started
        done.set()
        asker.join()
        added = sum(len(p.added) for p in polled)
        print(
            f"  {changed} feeds with 5 new entries each: a cycle {wall:6.2f} s, {added} new "
            f"articles, {added / wall:.1f} articles/s through ingestion"
        )
        print(
            f"  library questions meanwhile: {len(latencies)} asked, p50 "
            f"{statistics.median(latencies or [0]):.0f} ms, p99 "
            f"{_percentile(latencies, 99):.0f} ms"
        )
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"  peak resident memory: {peak:.0f} MB")
        library.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
