"""Answers in other languages: XQuAD, scored as the SQuAD file is, per language and across.

    python -m benchmarks.xquad_quality [--bench ../shared/bench] [--languages es,de,ru,zh]

XQuAD (DeepMind, CC BY-SA 4.0) is 240 SQuAD v1.1 dev paragraphs from 48
articles, professionally translated, with 1,190 questions per language. Each
article is answered whole, as in benchmarks/squad_quality.py: a question is
right when the first quoted sentence holds a gold answer, and an abstention is
a miss. Off-topic: 20 questions of other articles (seeded) asked of each
article; declined when the product abstains. Baseline in the same run:
``BM25Okapi`` over whitespace tokens of the same sentences.

Across languages: XQuAD's question ids are SQuAD's, and 12 of its articles are
in the dev half, so those articles' questions are asked again in their English
original (and 20 English questions of other articles, off-topic). The same
paragraphs in English, put together as the translations are, give English's
figures and ``answer()``'s time on articles of the same size; and each
language's questions are asked of that English original too (news in
English, asked about in the reader's language), with both models' vectors
stored, as a library keeps them for an article it was asked across.

Measuring only: nothing is ever fitted on XQuAD (the multilingual modes were
fitted on SQuAD training articles: ``python -m training.multilingual``).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rank_bm25 import BM25Okapi

from benchmarks.squad import Question, hits, indexed, meaning_indexed, normalise
from retrieval import Answer, ArticleIndex, answer, parse_article
from retrieval.multilingual import multilingual_available

DEFAULT_BENCH = Path(__file__).resolve().parents[2] / "shared" / "bench"
OFF_TOPIC = 20


@dataclass(frozen=True)
class Parallel:
    """One XQuAD article in a language, with its English original where the dev half has it."""

    title: str
    text: str
    #: Each question, with its English original (its gold answers in English) where known.
    questions: tuple[tuple[Question, Question | None], ...]
    english: str | None  #: the same paragraphs in English


def load(path: Path, dev: Path) -> list[Parallel] | None:
    if not path.is_file():
        print(f"skipped: {path} not found (it lives in ../shared/bench/xquad/)", file=sys.stderr)
        return None
    originals: dict[str, tuple[Question, str]] = {}  # question id -> (it, its paragraph)
    if dev.is_file():
        for entry in json.loads(dev.read_text(encoding="utf-8"))["data"]:
            for p in entry["paragraphs"]:
                for qa in p["qas"]:
                    gold = tuple(normalise(a["text"]) for a in qa["answers"])
                    originals[qa["id"]] = (Question(qa["question"], gold), p["context"])
    found = []
    for entry in json.loads(path.read_text(encoding="utf-8"))["data"]:
        questions, english = [], []
        for p in entry["paragraphs"]:
            paragraph = None
            for qa in p["qas"]:
                gold = tuple(normalise(a["text"]) for a in qa["answers"])
                original = originals.get(qa["id"])
                questions.append((Question(qa["question"], gold), original and original[0]))
                paragraph = paragraph or (original and original[1])
            english.append(paragraph)
        text = "\n\n".join(p["context"] for p in entry["paragraphs"])
        whole = "\n\n".join(e for e in english if e) if all(english) else None
        found.append(Parallel(entry["title"], text, tuple(questions), whole))
    return found


@dataclass
class Tally:
    asked: int = 0
    right: int = 0
    abstained: int = 0
    declined: int = 0
    strangers: int = 0

    def add(self, result: Answer, sentences: list[str], question: Question) -> None:
        self.asked += 1
        self.abstained += result.abstained
        if not result.abstained:
            self.right += hits(question, [sentences[result.ranked[0].sentence - 1]])[0]

    def line(self) -> str:
        return (
            f"top-1 {self.right / max(self.asked, 1):.3f} | answerable abstained"
            f" {self.abstained / max(self.asked, 1):.3f} | off-topic declined"
            f" {self.declined / max(self.strangers, 1):.3f} (n={self.strangers})"
        )


def _index(text: str, name: str) -> ArticleIndex:
    article = parse_article(text, name=name)
    if article.language == "en":
        return indexed(article)
    return meaning_indexed(article) if multilingual_available() else ArticleIndex(article)


def _both(text: str, name: str) -> ArticleIndex:
    """An English article's index with the English model's vectors and the multilingual
    model's, for questions in other languages. English's own figures keep the index a
    library stores (English vectors only): with the multilingual model's too, an English
    question the detector takes for another language is read across languages, and
    one more of the 240 off-topic questions was answered."""
    article = parse_article(text, name=name)
    return ArticleIndex(
        article, vectors=indexed(article).vectors, meaning=meaning_indexed(article).meaning()
    )


def _timed(index: ArticleIndex, question: str, times: list[float]) -> Answer:
    started = time.perf_counter()
    result = answer(index, question, embed=False)
    times.append((time.perf_counter() - started) * 1000)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--languages", default="es,de,ru,zh")
    args = parser.parse_args(argv)
    dev = args.bench / "squad-v1.1-dev-half.json"
    english_done = False
    english = Tally()
    english_times: list[float] = []
    originals: dict[str, ArticleIndex] = {}  # title -> the English original, both vectors
    # Each set of samples draws from its own generator, so that a language's off-topic
    # questions do not depend on whether English's were drawn in its run (the first).
    english_rng = random.Random(2)
    for language in args.languages.split(","):
        articles = load(args.bench / "xquad" / f"xquad.{language}.json", dev)
        if articles is None:
            continue
        rng = random.Random(0)
        reverse_rng = random.Random(1)
        own, across, reverse, baseline = Tally(), Tally(), Tally(), 0
        own_times: list[float] = []
        parallel_times: list[float] = []
        for n, entry in enumerate(articles):
            print(f"  {language}: {entry.title}", file=sys.stderr, flush=True)
            index = _index(entry.text, entry.title)
            sentences = [normalise(s.text) for s in index.article.sentences]
            bm25 = BM25Okapi([s.lower().split() for s in sentences])
            for question, _ in entry.questions:
                scores = bm25.get_scores(question.text.lower().split())
                baseline += hits(question, [sentences[int(np.argmax(scores))]])[0]
                times = parallel_times if entry.english else own_times
                own.add(_timed(index, question.text, times), sentences, question)
            others = [q for j, o in enumerate(articles) if j != n for q, _ in o.questions]
            for question in rng.sample(others, min(OFF_TOPIC, len(others))):
                own.strangers += 1
                own.declined += answer(index, question.text, embed=False).abstained
            if entry.english is None:
                continue
            for question, original in entry.questions:
                if original is not None:
                    across.add(answer(index, original.text, embed=False), sentences, question)
            strangers = [
                e.text for j, o in enumerate(articles) if j != n for _, e in o.questions if e
            ]
            for text in rng.sample(strangers, min(OFF_TOPIC, len(strangers))):
                across.strangers += 1
                across.declined += answer(index, text, embed=False).abstained
            if multilingual_available():
                if entry.title not in originals:
                    originals[entry.title] = _both(entry.english, f"{entry.title} (English)")
                original_index = originals[entry.title]
                original_sentences = [normalise(s.text) for s in original_index.article.sentences]
                for question, original in entry.questions:
                    if original is not None:
                        result = answer(original_index, question.text, embed=False)
                        reverse.add(result, original_sentences, original)
                for question in reverse_rng.sample(others, min(OFF_TOPIC, len(others))):
                    reverse.strangers += 1
                    reverse.declined += answer(original_index, question.text, embed=False).abstained
            if not english_done:
                english_index = _index(entry.english, f"{entry.title} (English)")
                english_sentences = [normalise(s.text) for s in english_index.article.sentences]
                for _, original in entry.questions:
                    if original is not None:
                        result = _timed(english_index, original.text, english_times)
                        english.add(result, english_sentences, original)
                for text in english_rng.sample(strangers, min(OFF_TOPIC, len(strangers))):
                    english.strangers += 1
                    english.declined += answer(english_index, text, embed=False).abstained
        english_done = english_done or english.asked > 0
        print(
            f"{language}: {len(articles)} articles, {own.asked} questions | {own.line()}"
            f" | baseline BM25Okapi whitespace {baseline / own.asked:.3f}",
            flush=True,
        )
        print(f"  English questions of the {language} articles: {across.asked} | {across.line()}")
        if reverse.asked:
            print(
                f"  {language} questions of the English originals: {reverse.asked} | {reverse.line()}"
            )
        if parallel_times and english_times:
            p50, reference = statistics.median(parallel_times), statistics.median(english_times)
            print(
                f"  answer() p50 {p50:.1f} ms on the 12 articles English has too;"
                f" English {reference:.1f} ms there ({p50 / reference:.2f}x)",
                flush=True,
            )
    if english.asked:
        print(
            f"English, the same 12 articles' paragraphs: {english.asked} questions | "
            f"{english.line()}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
