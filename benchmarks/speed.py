"""Index build time, embedding cost and answer() latency, next to plain BM25Okapi in the same run.

    python -m benchmarks.speed [--squad PATH] [--repeat N]

Two articles: the shipped seed and the largest SQuAD article. Latency is per
question, over every question several times, with the article's vectors
already stored (as in a running bot) but no question remembered: each
question is read by the model again. "Words only" is an index without
vectors, which never asks the model. The baseline is whitespace
``BM25Okapi`` (build, then ``get_scores`` + argmax), so the ratio is what to
read on a noisy machine, not the absolute figures. Also printed: the one-off
cost of embedding the article (what ``/add`` pays, in the background) and the
size of its stored vectors per sentence.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from rank_bm25 import BM25Okapi

from benchmarks.squad import DEFAULT_PATH, load_squad
from retrieval import Article, ArticleIndex, answer, load_article, parse_article
from retrieval.seeds import default_article_path
from retrieval.semantic import SentenceEncoder, shared_encoder

SEED_QUESTIONS = [
    "How many troops are in Syria?",
    "Who declined to comment?",
    "Why is the U.S. leaving Syria?",
    "Which bases did the military leave?",
    "Who did Rubio meet in Munich?",
    "What happened to Jim Mattis?",
    "Who reported the pullout first?",
    "What did the administration officials say about ISIS?",
    "Who won the Super Bowl?",
    "What do Republicans think about the withdrawal?",
]


def _timed(fn: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def _latencies(ask: Callable[[str], object], questions: list[str], repeat: int) -> np.ndarray:
    for question in questions[:5]:  # warm caches the way a running bot has them warm
        ask(question)
    samples = []
    for _ in range(repeat):
        for question in questions:
            start = time.perf_counter()
            ask(question)
            samples.append(time.perf_counter() - start)
    return np.array(samples) * 1000.0


def report(name: str, text_article: Article, questions: list[str], repeat: int) -> None:
    sentences = [s.text for s in text_article.sentences]
    build = np.median(_timed(lambda: ArticleIndex(text_article), 5)) * 1000
    base_build = (
        np.median(_timed(lambda: BM25Okapi([s.lower().split() for s in sentences]), 5)) * 1000
    )
    split = np.median(_timed(lambda: parse_article(text_article.text), 5)) * 1000
    shared_encoder()  # loading the model is start-up cost, not a question's
    embed = np.median(_timed(lambda: ArticleIndex(text_article).embed_all(), 3)) * 1000
    vectors = ArticleIndex(text_article).embed_all()
    assert vectors is not None
    stored = len(vectors.to_bytes()) / len(sentences)
    index = ArticleIndex(text_article, vectors=vectors)  # as read back from the database
    lexical = ArticleIndex(text_article, semantic=False)
    bm25 = BM25Okapi([s.lower().split() for s in sentences])

    def fresh_answer(question: str) -> object:
        # A running bot rarely hears the same question twice: no remembered reading.
        SentenceEncoder.encode_question.cache_clear()
        return answer(index, question)

    def first_pass(question: str) -> object:
        SentenceEncoder.encode_question.cache_clear()
        return answer(index, question, read=False)

    ours = _latencies(fresh_answer, questions, repeat)
    unread = _latencies(first_pass, questions, repeat)
    words = _latencies(lambda q: answer(lexical, q), questions, repeat)
    base = _latencies(
        lambda q: int(np.argmax(bm25.get_scores(q.lower().split()))), questions, repeat
    )
    print(f"{name}: {len(sentences)} sentences, {len(questions)} questions x {repeat}")
    print(f"  sentence split   product {split:8.2f} ms   (same sentences feed the baseline)")
    print(f"  index build      product {build:8.2f} ms   baseline {base_build:8.2f} ms")
    print(f"  embed article    product {embed:8.2f} ms   (once per article, after /add)")
    print(f"  stored vectors   {stored:8.0f} bytes per sentence")
    for label, p in (("p50", 50), ("p99", 99)):
        a, w, b = np.percentile(ours, p), np.percentile(words, p), np.percentile(base, p)
        f = np.percentile(unread, p)
        print(
            f"  answer() {label}     product {a:8.3f} ms   first pass alone {f:8.3f} ms   "
            f"words only {w:8.3f} ms   baseline {b:8.3f} ms   ratio {a / b:5.2f}x"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--squad", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    seed = load_article(default_article_path())
    report(f"seed article ({seed.name})", seed, SEED_QUESTIONS, args.repeat * 10)
    articles = load_squad(args.squad)
    if articles is not None:
        largest = max(articles, key=lambda a: len(a.article.text))
        questions = [q.text for q in largest.questions]
        report(f"largest SQuAD article ({largest.article.name})", largest.article, questions, 3)
    return 0


if __name__ == "__main__":
    sys.exit(main())
