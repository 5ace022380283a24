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
   minutes per article here.
"""

from __future__ import annotations

import asyncio
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.speed import SEED_QUESTIONS
from library.extract import Extracted
from library.service import Library
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
        library.ask(1, SEED_QUESTIONS[r % len(SEED_QUESTIONS)])
        latencies.append(time.perf_counter() - started)
    return latencies


async def under_load(folder: Path) -> tuple[list[float], list[float], float]:
    """Six uploads through the bot's ingestion queue while one chat keeps asking."""
    library = Library.open(folder / "library.db")
    library.warm_up(library.add_seeds(seed_paths()))
    idle = question_latencies(library, 20)
    texts = [long_article(seed) for seed in range(1, UPLOADS + 1)]

    async def upload(chat: int, text: str) -> None:
        with library.ingestion.admit(chat):
            added = await library.ingestion.run(
                library.add_extracted, chat, Extracted(text=text), None
            )
            await library.ingestion.run(library.brief, added.article_id, 3)

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


def main() -> int:
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
