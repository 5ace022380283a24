"""Hostile input: what one user's worst upload costs, in time and peak memory.

    python -m benchmarks.hostile

Prints, in one run (targets from issue 11 in brackets):

1. briefing an 8,000-sentence, 600 KB article with ``python -m retrieval
   brief`` in a fresh process, start to finish: wall time and the process's
   peak resident memory [under 10 s and 500 MB];
2. splitting 80 KB of ``"U.S. "`` into sentences [under 2 s], and 90 KB of
   ``"a. "`` (30,000 one-letter sentences);
3. a question from one chat while six other chats each add a 600 KB article
   (store and brief) through the bot's ingestion queue (library/ingestion.py:
   two at a time, on their own threads): the question's latency next to the
   same questions asked of an idle library in the same run [under 1 s]. Embedding the added articles,
   which the bot does afterwards in the background, is left out: it would take
   minutes per article here;
4. eight threads parsing and adding articles at once: the sentences each got,
   against a serial parse of the same texts [must be equal];
5. a shared-link flood: seven chats each ask about a different 100 KB text they
   shared (read and embedded on the bounded look-up queue, as in the bot) while
   another chat keeps asking its library: that chat's question latency, how
   many shared questions were answered or told to wait, and the process's peak
   RSS [p99 under 1 s, RSS under 600 MB].
"""

from __future__ import annotations

import asyncio
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from benchmarks.speed import SEED_QUESTIONS
from library.backend import open_store
from library.extract import Extracted
from library.ingestion import Busy
from library.service import Library
from retrieval import parse_article
from retrieval.seeds import seed_paths
from retrieval.semantic import shared_encoder
from retrieval.sentences import split_sentences

REPO = Path(__file__).resolve().parents[1]
SENTENCES = 8_000
UPLOADS = 6


def long_article(seed: int) -> str:
    """About 600 KB of distinct, plausible sentences in paragraphs of ten."""
    sentences = [
        f"Council member {seed}-{i} said the harbour budget for {2000 + i % 30} would rise "
        f"by {i % 17} percent after the ferry review."
        for i in range(SENTENCES)
    ]
    return "\n\n".join(" ".join(sentences[i : i + 10]) for i in range(0, SENTENCES, 10))


def brief_in_a_fresh_process(folder: Path) -> tuple[float, float]:
    path = folder / "long.txt"
    path.write_text(long_article(0), encoding="utf-8")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "retrieval", "brief", "--article", str(path)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KB on Linux
    return seconds, peak_mb


def split_seconds(text: str) -> float:
    split_sentences.cache_clear()
    started = time.perf_counter()
    split_sentences(text)
    return time.perf_counter() - started


def question_latencies(library: Library, rounds: int) -> list[float]:
    encoder = shared_encoder()
    latencies = []
    for r in range(rounds):
        encoder.encode_question.cache_clear()  # each question read afresh
        started = time.perf_counter()
        library.asking.ask(1, SEED_QUESTIONS[r % len(SEED_QUESTIONS)])
        latencies.append(time.perf_counter() - started)
    return latencies


async def under_load(folder: Path) -> tuple[list[float], list[float], float]:
    """Six uploads through the bot's ingestion queue while one chat keeps asking."""
    library = Library.open(folder / "library.db")
    library.articles.warm_up(library.articles.add_seeds(seed_paths()))
    idle = question_latencies(library, 20)
    texts = [long_article(seed) for seed in range(1, UPLOADS + 1)]

    async def upload(chat: int, text: str) -> None:
        with library.articles.ingestion.admit(chat):
            added = await library.articles.ingestion.run(
                library.articles.add_extracted, chat, Extracted(text=text), None
            )
            await library.articles.ingestion.run(library.briefings.brief, added.article_id, 3)

    started = time.perf_counter()
    uploads = asyncio.ensure_future(
        asyncio.gather(*(upload(100 + n, text) for n, text in enumerate(texts)))
    )
    busy: list[float] = []
    while not uploads.done():
        busy += await asyncio.to_thread(question_latencies, library, 1)
        await asyncio.sleep(0.2)
    await uploads
    took = time.perf_counter() - started
    library.store.close()
    return idle, busy, took


#: Threads parsing and adding at once (item 4), and chats flooding shared links (item 5).
PARSERS = 8
FLOODERS = 7


def parsed_on_threads(folder: Path) -> tuple[list[int], list[int], float]:
    """Sentences per article when ``PARSERS`` threads parse and add at once, and serially."""
    texts = [long_article(100 + n)[:150_000] for n in range(PARSERS)]
    split_sentences.cache_clear()
    serial = [len(parse_article(text).sentences) for text in texts]
    split_sentences.cache_clear()
    library = Library(open_store(folder / "threads.db"))
    started = time.perf_counter()
    with ThreadPoolExecutor(PARSERS) as pool:
        ids = list(
            pool.map(lambda n: library.articles.add(200 + n, texts[n]).article_id, range(PARSERS))
        )
    took = time.perf_counter() - started
    for article_id in ids:  # read back from the database, as after a restart
        library.articles._indexes.forget(article_id)
    stored = [len(library.articles.article(i).sentences) for i in ids]
    library.close()
    return serial, stored, took


async def shared_link_flood(folder: Path) -> tuple[list[float], list[float], Counter[str]]:
    """Another chat's question latency, idle and while ``FLOODERS`` chats ask about texts."""
    library = Library.open(folder / "flood.db", seeds=seed_paths())
    idle = question_latencies(library, 20)
    outcomes: Counter[str] = Counter()

    async def ask_about(chat: int) -> None:
        text = long_article(300 + chat)[:100_000]
        try:
            await library.asking.ask_about(chat, text, "How much would the harbour budget rise?")
            outcomes["answered"] += 1
        except Busy:
            outcomes["told to wait"] += 1

    flood = asyncio.ensure_future(asyncio.gather(*(ask_about(n) for n in range(FLOODERS))))
    busy: list[float] = []
    while not flood.done():
        busy += await asyncio.to_thread(question_latencies, library, 1)
        await asyncio.sleep(0.2)
    await flood
    library.stop_background()
    library.close()
    return idle, busy, outcomes


def _latencies(label: str, samples: list[float]) -> str:
    millis = np.array(samples) * 1000
    return (
        f"  {label:<20} p50 {np.percentile(millis, 50):7.1f} ms  "
        f"p99 {np.percentile(millis, 99):7.1f} ms  max {millis.max():7.1f} ms  (n={len(millis)})"
    )


def flood_main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        idle, busy, outcomes = asyncio.run(shared_link_flood(Path(scratch)))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"another chat's question while {FLOODERS} chats ask about 100 KB shared texts")
    print(_latencies("idle library", idle))
    print(_latencies("during the flood", busy))
    print(f"  shared questions: {dict(outcomes)}")
    print(f"  peak RSS of the process {peak:.0f} MB   [target: p99 < 1 s, RSS < 600 MB]")
    return 0


def main() -> int:
    if sys.argv[1:] == ["--flood"]:
        return flood_main()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        seconds, peak = brief_in_a_fresh_process(folder)
        print(f"brief an {SENTENCES:,}-sentence, 600 KB article (fresh process, whole CLI)")
        print(f"  {seconds:6.2f} s, peak RSS {peak:5.0f} MB   [target: < 10 s, < 500 MB]")
        print("split into sentences")
        print(f"  80 KB of 'U.S. ': {split_seconds('U.S. ' * 16_000):5.2f} s   [target: < 2 s]")
        print(f"  90 KB of 'a. ':   {split_seconds('a. ' * 30_000):5.2f} s")
        idle, busy, took = asyncio.run(under_load(folder))
    print(f"a question from one chat while {UPLOADS} chats add 600 KB articles (store + brief)")
    for label, samples in (("idle library", idle), ("during the uploads", busy)):
        millis = np.array(samples) * 1000
        print(
            f"  {label:<20} p50 {np.percentile(millis, 50):7.1f} ms  "
            f"max {millis.max():7.1f} ms  (n={len(millis)})"
        )
    print(f"  the six uploads took {took:.1f} s together   [target: question < 1 s]")
    with tempfile.TemporaryDirectory() as scratch:
        serial, stored, took = parsed_on_threads(Path(scratch))
        print(f"{PARSERS} threads parsing and adding 150 KB articles at once ({took:.1f} s)")
        print(f"  sentences stored {stored}")
        print(f"  serial parse     {serial}   [must be equal: {stored == serial}]")
    # In a process of its own, so its peak memory is the flood's alone.
    subprocess.run([sys.executable, "-m", "benchmarks.hostile", "--flood"], cwd=REPO, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
