"""A 10,000-article library: add time, start-up, memory, and question latency at scale.

    python -m benchmarks.library_scale [--articles 10000] [--questions 300] [--squad PATH]

Articles are built from the shared SQuAD file by combining 3-5 of its
paragraphs (seeded, so every run builds the same library); nothing is
downloaded. All articles go into one chat's library in a temporary database.

Printed, in one run:

* add: per-article ``Library.add`` latency (parse, store, index) with the splitter's cache
  cleared before each (what a fresh article costs), the one-off cost of
  embedding an article (what runs in the background after ``/add``), and the
  bulk load rate;
* vectors: every article's vectors are stored, as in a running bot. Embedding
  10,000 articles would take hours here, so each distinct SQuAD paragraph is
  embedded once and an article's vectors are its paragraphs' vectors joined
  (exact for sentences in paragraphs of two or more sentences, which SQuAD
  paragraphs are); the database size and bytes per sentence are printed;
* start-up: a fresh process opening the database (integrity check, migrations,
  seed check) until it can answer; its resident memory (RSS) after start-up and
  after all questions (index LRU full);
* questions, in that fresh process: (a) against one article (``/use N``), at
  10,000 articles and in a library of only the questioned articles, to show it
  does not depend on library size; (b) across the whole library;
* the baseline: plain ``rank_bm25.BM25Okapi`` over every sentence of the
  library on whitespace tokens (build time, latency, and how often its top
  sentence holds the gold answer, next to ours).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from rank_bm25 import BM25Okapi

from benchmarks.squad import DEFAULT_PATH, normalise

CHAT = -42  #: the chat whose library holds every article
SINGLE_CHATS = 1_000_000  #: chat ids from here on each have one article picked (/use N)
SEED = 20261125


def build_articles(squad: Path, count: int) -> tuple[list[str], list[dict[str, Any]]]:
    """``count`` article texts, and the SQuAD questions with the articles that hold them."""
    data = json.loads(squad.read_text(encoding="utf-8"))["data"]
    paragraphs = [p for entry in data for p in entry["paragraphs"]]
    rng = random.Random(SEED)
    texts, questions = [], []
    for number in range(count):
        chosen = rng.sample(range(len(paragraphs)), rng.randint(3, 5))
        texts.append("\n\n".join(paragraphs[i]["context"] for i in chosen))
        qa = rng.choice(paragraphs[chosen[0]]["qas"])
        questions.append(
            {
                "article": number,  # index into texts; the database id is assigned on add
                "question": qa["question"],
                "answers": sorted({normalise(a["text"]) for a in qa["answers"]}),
            }
        )
    return texts, questions


def join_vectors(parts: list[Any]) -> Any:
    """One article's vectors from its paragraphs' vectors, in order."""
    from retrieval.vectors import ArticleVectors

    offsets = np.cumsum([0] + [len(p.tokens) for p in parts[:-1]])
    return ArticleVectors(
        context=np.vstack([p.context for p in parts]),
        passage=np.vstack([p.passage for p in parts]),
        tokens=np.vstack([p.tokens for p in parts]),
        scales=np.concatenate([p.scales for p in parts]),
        token_ids=np.concatenate([p.token_ids for p in parts]),
        bounds=np.concatenate(
            [[0]] + [p.bounds[1:] + o for p, o in zip(parts, offsets, strict=True)]
        ),
    )


def store_vectors(database: Path, ids: list[int], texts: list[str], samples: int) -> dict[str, Any]:
    """Vectors for every article (joined from paragraph vectors), and the cold embedding cost."""
    from library.store import SqliteStore as Store
    from retrieval import parse_article
    from retrieval.semantic import shared_encoder
    from retrieval.vectors import embed_article, model_id

    store = Store.open(database)
    encoder = shared_encoder()
    cold = []
    for article_id in ids[:samples]:
        t0 = time.perf_counter()
        embed_article(store.load(article_id), encoder)
        cold.append(time.perf_counter() - t0)
    paragraph_vectors: dict[str, Any] = {}
    stored = sentences = 0
    started = time.perf_counter()
    for article_id, text in zip(ids, texts, strict=True):
        parts = []
        for paragraph in text.split("\n\n"):
            if paragraph not in paragraph_vectors:
                paragraph_vectors[paragraph] = embed_article(parse_article(paragraph), encoder)
            parts.append(paragraph_vectors[paragraph])
        blob = join_vectors(parts).to_bytes()
        store.save_vectors(article_id, model_id(), blob)
        stored += len(blob)
        sentences += sum(p.size for p in parts)
    store.close()
    return {
        "embed_ms": np.array(cold) * 1000,
        "per_sentence": stored / sentences,
        "paragraphs": len(paragraph_vectors),
        "total_s": time.perf_counter() - started,
    }


def fill(database: Path, texts: list[str], cold_samples: int) -> dict[str, Any]:
    from library.service import Library
    from retrieval.seeds import seed_paths
    from retrieval.sentences import split_sentences

    library = Library.open(database, seeds=seed_paths())
    ids, cold = [], []
    started = time.perf_counter()
    for number, text in enumerate(texts):
        if number < cold_samples:
            split_sentences.cache_clear()  # a fresh article: nothing cached from earlier adds
            t0 = time.perf_counter()
        result = library.add(CHAT, text, title=f"Synthetic article {number + 1}")
        if number < cold_samples:
            cold.append(time.perf_counter() - t0)
        ids.append(result.article_id)
    total = time.perf_counter() - started
    library.close()
    return {"ids": ids, "cold_ms": np.array(cold) * 1000, "total_s": total}


def pick(store_path: Path, ids: list[int], questions: list[dict[str, Any]]) -> None:
    """Give each questioned article its own chat with that article active (as after /use N)."""
    from library.store import SqliteStore as Store

    store = Store.open(store_path)
    for offset, q in enumerate(questions):
        store.set_active(SINGLE_CHATS + offset, ids[q["article"]])
    store.close()


def probe(database: Path, questions_file: Path) -> dict[str, Any]:
    """Run in a fresh process: start up like the bot, then ask; report times and memory."""
    started = time.perf_counter()
    from library.service import Library
    from retrieval.seeds import seed_paths

    # As the bot starts: loads the model (seed vectors are stored) and the term index.
    shelf = Library.open(database, seeds=seed_paths())
    startup = time.perf_counter() - started
    rss_startup = _rss_mb()
    questions = json.loads(questions_file.read_text())
    single, across, hits = [], [], []
    for offset, q in enumerate(questions):
        t0 = time.perf_counter()
        shelf.ask(SINGLE_CHATS + offset, q["question"])
        single.append(time.perf_counter() - t0)
    for q in questions:
        t0 = time.perf_counter()
        result = shelf.ask_across(CHAT, q["question"])
        across.append(time.perf_counter() - t0)
        top = result.answer.ranked[0].text if result.answer and result.answer.ranked else ""
        hits.append(any(a in normalise(top) for a in q["answers"]))
    return {
        "startup_ms": startup * 1000,
        "import_and_startup_note": "imports included",
        "rss_startup_mb": rss_startup,
        "rss_end_mb": _rss_mb(),
        "single_ms": [t * 1000 for t in single],
        "across_ms": [t * 1000 for t in across],
        "across_top1": float(np.mean(hits)),
    }


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_probe(database: Path, questions: list[dict[str, Any]], work: Path) -> dict[str, Any]:
    questions_file = work / "questions.json"
    questions_file.write_text(json.dumps(questions))
    output = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.library_scale",
            "--probe",
            str(database),
            str(questions_file),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output)


def baseline(texts: list[str], questions: list[dict[str, Any]], limit: int) -> dict[str, Any]:
    """Plain BM25Okapi over every sentence of the library, whitespace tokens."""
    from retrieval.sentences import split_sentences

    texts_only = [
        paragraph[start:end]
        for text in texts
        for paragraph in text.split("\n\n")
        for start, end in split_sentences(paragraph)
    ]
    t0 = time.perf_counter()
    bm25 = BM25Okapi([s.split() for s in texts_only])
    build = time.perf_counter() - t0
    latencies, hits = [], []
    for q in questions[:limit]:
        t0 = time.perf_counter()
        best = int(np.argmax(bm25.get_scores(q["question"].split())))
        latencies.append(time.perf_counter() - t0)
        hits.append(any(a in normalise(texts_only[best]) for a in q["answers"]))
    return {
        "sentences": len(texts_only),
        "build_s": build,
        "ms": np.array(latencies) * 1000,
        "top1": float(np.mean(hits)),
        "asked": len(latencies),
    }


def _p(values: Any, q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--baseline-questions", type=int, default=40)
    parser.add_argument("--cold-adds", type=int, default=200)
    parser.add_argument("--embed-samples", type=int, default=20)
    parser.add_argument("--squad", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--probe", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.probe:
        print(json.dumps(probe(*args.probe)))
        return 0
    if not args.squad.is_file():
        print(f"skipped: {args.squad} not found (it lives in ../shared/bench/)", file=sys.stderr)
        return 0

    texts, all_questions = build_articles(args.squad, args.articles)
    rng = random.Random(SEED + 1)
    questions = rng.sample(all_questions, min(args.questions, len(all_questions)))
    print(
        f"library scale: {args.articles} articles from {args.squad.name}, {len(questions)} questions"
    )
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        big = work / "big.db"
        filled = fill(big, texts, args.cold_adds)
        embedded = store_vectors(big, filled["ids"], texts, args.embed_samples)
        pick(big, filled["ids"], questions)
        size_mb = sum(p.stat().st_size for p in work.glob("big.db*")) / 1e6
        cold = filled["cold_ms"]
        print(
            f"  add one article (fresh text):   p50 {_p(cold, 50):6.1f} ms  p99 {_p(cold, 99):6.1f} ms"
            f"  ({len(cold)} adds, fsync'd commit each)"
        )
        embed_ms = embedded["embed_ms"]
        print(
            f"  embed one article (one-off):    p50 {_p(embed_ms, 50):6.0f} ms  p99 {_p(embed_ms, 99):6.0f} ms"
            f"  ({len(embed_ms)} articles of 3-5 SQuAD paragraphs; in the background after /add)"
        )
        print(
            f"  stored vectors:                 {embedded['per_sentence']:6.0f} bytes per sentence"
            f"  ({embedded['paragraphs']} distinct paragraphs embedded in {embedded['total_s']:.0f} s)"
        )
        print(
            f"  bulk load:                      {args.articles} articles in {filled['total_s']:.1f} s"
            f"  ({args.articles / filled['total_s']:.0f}/s); database {size_mb:.0f} MB"
        )
        at_scale = run_probe(big, questions, work)

        # The same questions in a library holding only the questioned articles.
        small = work / "small.db"
        needed = sorted({q["article"] for q in questions})
        small_filled = fill(small, [texts[i] for i in needed], 0)
        store_vectors(small, small_filled["ids"], [texts[i] for i in needed], 0)
        remap = dict(zip(needed, range(len(needed)), strict=True))
        small_questions = [{**q, "article": remap[q["article"]]} for q in questions]
        pick(small, small_filled["ids"], small_questions)
        small_run = run_probe(small, small_questions, work)

    print(
        f"  start-up (fresh process):       {at_scale['startup_ms']:6.0f} ms to open, check and"
        f" be ready (imports included)"
    )
    print(
        f"  memory (RSS):                   {at_scale['rss_startup_mb']:6.0f} MB after start-up,"
        f" {at_scale['rss_end_mb']:.0f} MB after all questions"
    )
    single, small_single = at_scale["single_ms"], small_run["single_ms"]
    across = at_scale["across_ms"]
    print(
        f"  (a) one article, {args.articles} in library: p50 {_p(single, 50):6.2f} ms  p99 {_p(single, 99):6.2f} ms"
    )
    print(
        f"      one article, {len(needed)} in library:   p50 {_p(small_single, 50):6.2f} ms  p99 {_p(small_single, 99):6.2f} ms"
    )
    print(
        f"  (b) across the library:         p50 {_p(across, 50):6.2f} ms  p99 {_p(across, 99):6.2f} ms"
        f"  top-1 holds the answer {at_scale['across_top1']:.3f}"
    )
    base = baseline(texts, questions, args.baseline_questions)
    print(
        f"  baseline BM25Okapi, {base['sentences']} sentences: build {base['build_s']:.1f} s,"
        f" p50 {_p(base['ms'], 50):6.1f} ms  p99 {_p(base['ms'], 99):6.1f} ms"
        f"  top-1 {base['top1']:.3f} ({base['asked']} questions)"
    )
    print(
        f"  across-library speed-up over the baseline: {_p(base['ms'], 50) / _p(across, 50):.0f}x at p50"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
