"""A 10,000-article library: add time, start-up, memory, and question latency at scale.

    python -m benchmarks.library_scale [--articles 10000] [--questions 300] [--squad PATH]
                                       [--db postgresql://SERVER/...]

With ``--db``, the same library is also built in a fresh database on that
PostgreSQL server and measured beside SQLite in the same run, with the
choice of candidate search there: the in-memory term index kept current from
the change log (shipped) against BM25 in SQL over the postings and
PostgreSQL full-text search (``ts_rank_cd`` over a GIN index), by latency and
by how often the questioned article is among the candidates.

Articles are built from the shared SQuAD file by combining 3-5 of its
paragraphs (seeded, so every run builds the same library); nothing is
downloaded. All articles go into one chat's library in a temporary database.

Printed, in one run:

* add: per-article ``Library.add`` latency (parse, store, index) into the full
  library, with the splitter's cache cleared before each (what a fresh article
  costs), the one-off cost of embedding an article (what runs in the background
  after ``/add``), and the bulk load rate. The bulk load parses each distinct
  SQuAD paragraph once and stores the composed articles through the store's
  own ``add`` (one transaction each), so 100,000 articles load in minutes;
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
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
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
                "context": paragraphs[chosen[0]]["context"],
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


#: Each distinct SQuAD paragraph's vectors, embedded once per run.
_PARAGRAPH_VECTORS: dict[str, Any] = {}


def store_vectors(
    target: Path | str, ids: list[int], texts: list[str], samples: int
) -> dict[str, Any]:
    """Vectors for every article (joined from paragraph vectors), and the cold embedding cost.

    In PostgreSQL the sentences also go into pgvector; its HNSW index is dropped for the
    bulk load and built once after it, as a bulk import would (the build time is printed).
    """
    from library.targets import is_postgres
    from retrieval import parse_article
    from retrieval.semantic import shared_encoder
    from retrieval.vectors import embed_article, model_id

    store = _bulk_store(target)
    encoder = shared_encoder()
    cold = []
    for article_id in ids[:samples]:
        t0 = time.perf_counter()
        embed_article(store.load(article_id), encoder)
        cold.append(time.perf_counter() - t0)
    if is_postgres(target):
        _sql(target, "DROP INDEX IF EXISTS sentence_vectors_hnsw")
    paragraph_vectors = _PARAGRAPH_VECTORS  # each backend reuses the embeddings
    stored = sentences = 0
    started = time.perf_counter()
    for article_id, text in zip(ids, texts, strict=True):
        parts = []
        for paragraph in text.split("\n\n"):
            if paragraph not in paragraph_vectors:
                paragraph_vectors[paragraph] = embed_article(parse_article(paragraph), encoder)
            parts.append(paragraph_vectors[paragraph])
        vectors = join_vectors(parts)
        blob = vectors.to_bytes()
        store.save_vectors(article_id, model_id(), blob, vectors.context)
        stored += len(blob)
        sentences += sum(p.size for p in parts)
    total = time.perf_counter() - started
    _bulk_done(store, target)
    hnsw_s = None
    if is_postgres(target):
        t0 = time.perf_counter()
        _sql(
            target,
            "SET maintenance_work_mem = '2GB'",
            "SET max_parallel_maintenance_workers = 2",
            "CREATE INDEX sentence_vectors_hnsw ON sentence_vectors"
            " USING hnsw (embedding halfvec_ip_ops)",
        )
        hnsw_s = time.perf_counter() - t0
    return {
        "embed_ms": np.array(cold) * 1000,
        "per_sentence": stored / sentences,
        "sentences": sentences,
        "paragraphs": len({p for text in texts for p in text.split("\n\n")}),
        "total_s": total,
        "hnsw_s": hnsw_s,
    }


def _sql(url: Path | str, *statements: str) -> list[Any]:
    import psycopg

    with psycopg.connect(str(url), autocommit=True) as db:
        rows: list[Any] = []
        for statement in statements:
            cursor = db.execute(statement.encode())
            rows = cursor.fetchall() if cursor.description else []
        return rows


def compose(text: str, parsed: dict[str, Any], number: int) -> tuple[Any, list[str]]:
    """The article ``Library.add`` would store for ``text`` (3-5 SQuAD paragraphs) and its
    analysed terms, from each paragraph parsed and analysed once."""
    from retrieval import analyze, parse_article, rebuild_article

    spans: list[tuple[int, int]] = []
    terms: list[str] = []
    offset = 0
    for paragraph in text.split("\n\n"):
        if paragraph not in parsed:
            article = parse_article(paragraph)
            parsed[paragraph] = ([(x.start, x.end) for x in article.sentences], analyze(paragraph))
        paragraph_spans, paragraph_terms = parsed[paragraph]
        spans += [(start + offset, end + offset) for start, end in paragraph_spans]
        terms += paragraph_terms
        offset += len(paragraph) + 2
    title = f"Synthetic article {number + 1}"
    return rebuild_article(text, spans, name="the new article", title=title), terms


def fill(target: Path | str, texts: list[str]) -> dict[str, Any]:
    """Store every text through the store's own ``add`` (one transaction each), parsing
    each distinct paragraph once (``compose``)."""
    from library.service import Library
    from retrieval.seeds import seed_paths

    Library.open(target, seeds=seed_paths()).close()  # created, seeded, as the bot leaves it
    store = _bulk_store(target)
    parsed: dict[str, Any] = {}
    started = time.perf_counter()
    ids = []
    for number, text in enumerate(texts):
        article, terms = compose(text, parsed, number)
        ids.append(store.add(CHAT, article, terms).article_id)
    total = time.perf_counter() - started
    _bulk_done(store, target)
    return {"ids": ids, "total_s": total, "bulk": len(texts)}


def cold_adds(target: Path | str, texts: list[str]) -> np.ndarray:
    """``Library.add`` of fresh texts into the full library, each timed (what /add costs),
    with the splitter's cache cleared before each."""
    from library.service import Library
    from retrieval.seeds import seed_paths
    from retrieval.sentences import split_sentences

    library = Library.open(target, seeds=seed_paths())
    cold = []
    run = time.strftime("%Y-%m-%d %H:%M:%S")  # a kept library has this run's texts only once
    for number, text in enumerate(texts):
        split_sentences.cache_clear()
        t0 = time.perf_counter()
        result = library.articles.add(
            CHAT, f"{text}\n\nFiled in the run of {run}.", title=f"Fresh {number}"
        )
        assert not result.duplicate
        cold.append(time.perf_counter() - t0)
    library.close()
    return np.array(cold) * 1000


def _bulk_store(target: Path | str) -> Any:
    """The store for loading the synthetic library: commits do not wait for the disk
    (a crash would only mean a rerun). Timed adds and questions run with the product's
    durable setting (``_bulk_done``)."""
    from library.backend import open_store

    if isinstance(target, Path):
        store = open_store(target)
        store._db.execute("PRAGMA synchronous = OFF")  # type: ignore[attr-defined]
        return store
    name = str(target).rsplit("/", 1)[1]
    _sql(target, f"ALTER DATABASE {name} SET synchronous_commit = off")
    return open_store(target)


def _bulk_done(store: Any, target: Path | str) -> None:
    store.close()
    if not isinstance(target, Path):
        _sql(target, f"ALTER DATABASE {str(target).rsplit('/', 1)[1]} RESET synchronous_commit")


def pick(target: Path | str, ids: list[int], questions: list[dict[str, Any]]) -> None:
    """Note each questioned article as the pick of a chat of its own; the probe picks it in
    the library's chat before asking (as after /use N)."""
    from library.backend import open_store

    store = open_store(target)
    for offset, q in enumerate(questions):
        store.set_active(SINGLE_CHATS + offset, ids[q["article"]])
    store.close()


def probe(database: Path | str, questions_file: Path) -> dict[str, Any]:
    """Run in a fresh process: start up like the bot, then ask; report times and memory."""
    started = time.perf_counter()
    from library.asking import SingleReply
    from library.service import Library
    from retrieval.seeds import seed_paths

    # As the bot starts: loads the model (seed vectors are stored) and the term index.
    shelf = Library.open(database, seeds=seed_paths())
    startup = time.perf_counter() - started
    rss_startup = _rss_mb()
    questions = json.loads(questions_file.read_text())
    single, across, hits = [], [], []
    for offset, q in enumerate(questions):
        # The library's own chat picks the article (/use N): a chat sees only its own.
        shelf.articles.use(CHAT, shelf.articles.active_id(SINGLE_CHATS + offset))
        t0 = time.perf_counter()
        reply = shelf.asking.ask(CHAT, q["question"])
        single.append(time.perf_counter() - t0)
        assert isinstance(reply, SingleReply), "a picked article answers alone"
    shelf.articles.use(CHAT, None)
    for q in questions:
        t0 = time.perf_counter()
        result = shelf.asking.ask_across(CHAT, q["question"], reader="en")
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


def run_probe(database: Path | str, questions: list[dict[str, Any]], work: Path) -> dict[str, Any]:
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
    parser.add_argument("--db", help="also measure PostgreSQL: a server URL (postgresql://...)")
    parser.add_argument(
        "--work", type=Path, help="keep the built libraries here and reuse them on the next run"
    )
    parser.add_argument("--build-only", action="store_true", help="build (with --work), then stop")
    parser.add_argument("--probe", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.probe:
        target, questions_file = args.probe
        print(json.dumps(probe(target if "://" in target else Path(target), Path(questions_file))))
        return 0
    if not args.squad.is_file():
        print(f"skipped: {args.squad} not found (it lives in ../shared/bench/)", file=sys.stderr)
        return 0

    texts, all_questions = build_articles(args.squad, args.articles + args.cold_adds)
    fresh, texts = texts[args.articles :], texts[: args.articles]
    all_questions = [q for q in all_questions if q["article"] < args.articles]
    rng = random.Random(SEED + 1)
    questions = rng.sample(all_questions, min(args.questions, len(all_questions)))
    print(
        f"library scale: {args.articles} articles from {args.squad.name}, {len(questions)} questions"
    )
    with ExitStack() as stack:
        if args.work is None:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        else:
            work = args.work
            work.mkdir(parents=True, exist_ok=True)
        targets: dict[str, Path | str] = {"SQLite": work / f"scale-{args.articles}.db"}
        if args.db:
            name = f"library_scale_{args.articles}"
            targets["PostgreSQL"] = (
                _kept_database(args.db, name)
                if args.work
                else stack.enter_context(_fresh_database(args.db, name))
            )
        built = {
            name: _built(name, target, texts, questions, work, args)
            for name, target in targets.items()
        }
        if args.build_only:
            print(f"built in {work}; measure with the same --work")
            return 0
        results = {
            name: {
                **built[name],
                "cold_ms": cold_adds(target, fresh),
                "probe": run_probe(target, questions, work),
            }
            for name, target in targets.items()
        }
        # The same questions in a library holding only the questioned articles.
        small = work / "small.db"
        small.unlink(missing_ok=True)
        needed = sorted({q["article"] for q in questions})
        small_filled = fill(small, [texts[i] for i in needed])
        store_vectors(small, small_filled["ids"], [texts[i] for i in needed], 0)
        remap = dict(zip(needed, range(len(needed)), strict=True))
        small_questions = [{**q, "article": remap[q["article"]]} for q in questions]
        pick(small, small_filled["ids"], small_questions)
        small_run = run_probe(small, small_questions, work)
        if args.db:
            search = compare_searches(
                str(targets["PostgreSQL"]), built["PostgreSQL"]["ids"], texts, questions
            )

    for name, result in results.items():
        _report(name, result, args.articles)
    small_single = small_run["single_ms"]
    print(
        f"  one article, {len(needed)} in library (SQLite):  p50 {_p(small_single, 50):6.2f} ms"
        f"  p99 {_p(small_single, 99):6.2f} ms"
    )
    if args.db:
        print("  PostgreSQL candidate search (5 candidates per question):")
        for method, (ms, recall) in search.items():
            print(
                f"    {method:32s} p50 {_p(ms, 50):6.2f} ms  p99 {_p(ms, 99):6.2f} ms"
                f"  question's paragraph among them {recall:.3f}"
            )
    if args.baseline_questions:
        across = results["SQLite"]["probe"]["across_ms"]
        base = baseline(texts, questions, args.baseline_questions)
        print(
            f"  baseline BM25Okapi, {base['sentences']} sentences: build {base['build_s']:.1f} s,"
            f" p50 {_p(base['ms'], 50):6.1f} ms  p99 {_p(base['ms'], 99):6.1f} ms"
            f"  top-1 {base['top1']:.3f} ({base['asked']} questions)"
        )
        print(
            f"  across-library speed-up over the baseline: {_p(base['ms'], 50) / _p(across, 50):.0f}x"
            " at p50 (SQLite)"
        )
    return 0


def _built(
    name: str,
    target: Path | str,
    texts: list[str],
    questions: list[dict[str, Any]],
    work: Path,
    args: argparse.Namespace,
) -> dict[str, Any]:
    """The library of ``texts`` with vectors, built once; with ``--work`` it is kept and
    reused (its build figures are read back)."""
    record = work / f"scale-{args.articles}-{name}.json"
    if record.is_file():
        return dict(json.loads(record.read_text()))
    print(f"  building the {name} library...", file=sys.stderr, flush=True)
    filled = fill(target, texts)
    embedded = store_vectors(target, filled["ids"], texts, args.embed_samples)
    pick(target, filled["ids"], questions)
    if isinstance(target, Path):
        size_mb = sum(p.stat().st_size for p in work.glob(target.name + "*")) / 1e6
    else:
        size_mb = _sql(target, "SELECT pg_database_size(current_database())")[0][0] / 1e6
    embedded["embed_ms"] = embedded["embed_ms"].tolist()
    result = {**filled, "embedded": embedded, "size_mb": size_mb}
    record.write_text(json.dumps(result))
    return result


def _report(name: str, result: dict[str, Any], articles: int) -> None:
    cold, embedded, probed = result["cold_ms"], result["embedded"], result["probe"]
    embed_ms = embedded["embed_ms"]
    single, across = probed["single_ms"], probed["across_ms"]
    print(f"  {name}:")
    print(
        f"    add one article (fresh text):  p50 {_p(cold, 50):6.1f} ms  p99 {_p(cold, 99):6.1f} ms"
        f"  ({len(cold)} adds into the full library, a durable commit each)"
    )
    print(
        f"    embed one article (one-off):   p50 {_p(embed_ms, 50):6.0f} ms  p99 {_p(embed_ms, 99):6.0f} ms"
        f"  ({len(embed_ms)} articles of 3-5 SQuAD paragraphs; in the background after /add)"
    )
    print(
        f"    stored vectors:                {embedded['per_sentence']:6.0f} bytes per sentence,"
        f" {embedded['sentences']} sentences ({embedded['paragraphs']} distinct paragraphs"
        f" embedded, stored in {embedded['total_s']:.0f} s)"
    )
    if embedded["hnsw_s"] is not None:
        print(f"    HNSW index over every sentence: built in {embedded['hnsw_s']:.0f} s")
    print(
        f"    bulk load:                     {result['bulk']} articles in {result['total_s']:.1f} s"
        f" ({result['bulk'] / result['total_s']:.0f}/s); database {result['size_mb']:.0f} MB"
    )
    print(
        f"    start-up (fresh process):      {probed['startup_ms']:6.0f} ms to open, check and"
        " be ready (imports included)"
    )
    print(
        f"    memory (RSS):                  {probed['rss_startup_mb']:6.0f} MB after start-up,"
        f" {probed['rss_end_mb']:.0f} MB after all questions"
    )
    print(
        f"    (a) one article, {articles} in library: p50 {_p(single, 50):6.2f} ms"
        f"  p99 {_p(single, 99):6.2f} ms"
    )
    print(
        f"    (b) across the library:        p50 {_p(across, 50):6.2f} ms  p99 {_p(across, 99):6.2f} ms"
        f"  top-1 holds the answer {probed['across_top1']:.3f}"
    )


#: The alternative measured: article BM25 in SQL over the postings of a question's terms; the
#: document frequency is taken over every chat's articles (as ``TermIndex`` does), then the
#: chat's are kept. Document lengths and the library's size come from ``articles`` (the
#: columns that once held them for this query were dropped: schema 6).
_BM25 = """
WITH hits AS (
    SELECT p.article_id, a.chat_id, p.tf, a.term_count AS length,
           count(*) OVER (PARTITION BY p.term) AS df
    FROM postings p JOIN articles a ON a.id = p.article_id
    WHERE p.term = ANY(%(terms)s)
), library AS (
    SELECT count(*) AS articles, sum(term_count) AS terms FROM articles
)
SELECT article_id FROM hits, library
WHERE chat_id = ANY(%(chats)s)
GROUP BY article_id, library.articles, library.terms
ORDER BY sum(
    ln(1.0 + (library.articles - df + 0.5) / (df + 0.5))
    * tf * (%(k1)s + 1.0)
    / (tf + %(k1)s * (1.0 - %(b)s + %(b)s * length
        / greatest(library.terms::float8 / greatest(library.articles, 1), 1.0)))
) DESC, article_id
LIMIT %(limit)s
"""


def compare_searches(
    url: str, ids: list[int], texts: list[str], questions: list[dict[str, Any]]
) -> dict[str, tuple[list[float], float]]:
    """Latency and recall of the shipped candidate search (each replica's term index, kept
    current from the change log) against the same BM25 in SQL over the postings table,
    and PostgreSQL full-text search (english configuration, OR of the question's words,
    ``ts_rank_cd``, GIN index), for the same questions; the FTS column exists only for
    this measurement. Recall: a
    candidate holds the paragraph the question was written on (each paragraph is in
    many synthetic articles, so the questioned article's own id is not the test)."""
    import psycopg

    from library.postgres import PostgresStore
    from retrieval import analyze

    text_of = dict(zip(ids, texts, strict=True))
    store = PostgresStore.open(url)
    t0 = time.perf_counter()
    store.term_index()
    loaded_s = time.perf_counter() - t0
    shipped, shipped_hits = [], 0
    for q in questions:
        t0 = time.perf_counter()
        found = store.search(CHAT, analyze(q["question"]), 5)
        shipped.append((time.perf_counter() - t0) * 1000)
        shipped_hits += any(q["context"] in text_of.get(i, "") for i in found)
    store.close()
    in_sql, in_sql_hits = [], 0
    with psycopg.connect(url) as db:
        for q in questions:
            terms = sorted(set(analyze(q["question"])))
            t0 = time.perf_counter()
            rows = db.execute(
                _BM25,
                {"terms": terms, "chats": [0, CHAT], "k1": 1.2, "b": 0.75, "limit": 5},
            ).fetchall()
            in_sql.append((time.perf_counter() - t0) * 1000)
            in_sql_hits += any(q["context"] in text_of.get(r[0], "") for r in rows)
    print("  building a full-text index for comparison...", file=sys.stderr, flush=True)
    _sql(
        url,
        "ALTER TABLE articles ADD COLUMN fts tsvector"
        " GENERATED ALWAYS AS (to_tsvector('english', body)) STORED",
        "CREATE INDEX articles_fts ON articles USING gin (fts)",
        "VACUUM ANALYZE articles",
    )
    fts, fts_hits = [], 0
    with psycopg.connect(url) as db:
        for q in questions:
            words = " | ".join(w for w in re.findall(r"[A-Za-z0-9]+", q["question"]))
            t0 = time.perf_counter()
            rows = db.execute(
                "SELECT id FROM articles, to_tsquery('english', %s) query"
                " WHERE chat_id IN (0, %s) AND fts @@ query"
                " ORDER BY ts_rank_cd(fts, query) DESC LIMIT 5",
                (words, CHAT),
            ).fetchall()
            fts.append((time.perf_counter() - t0) * 1000)
            fts_hits += any(q["context"] in text_of.get(r[0], "") for r in rows)
    _sql(url, "ALTER TABLE articles DROP COLUMN fts")
    print(f"  (the term index loaded in {loaded_s:.1f} s)", file=sys.stderr)
    return {
        "term index + change log (shipped)": (shipped, shipped_hits / len(questions)),
        "BM25 in SQL over postings": (in_sql, in_sql_hits / len(questions)),
        "full-text search, ts_rank_cd": (fts, fts_hits / len(questions)),
    }


def _kept_database(server: str, name: str) -> str:
    """A database on ``server`` that outlives the run (``--work``), created if missing."""
    if not _sql(server, f"SELECT 1 FROM pg_database WHERE datname = '{name}'"):
        _sql(server, f"CREATE DATABASE {name}")
    return server.rsplit("/", 1)[0] + "/" + name


@contextmanager
def _fresh_database(server: str, name: str) -> Iterator[str]:
    _sql(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}")
    try:
        yield server.rsplit("/", 1)[0] + "/" + name
    finally:
        _sql(server, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


if __name__ == "__main__":
    sys.exit(main())
