"""Answer quality on short news stories we wrote: the right sentence, or an honest decline.

    python -m benchmarks.short_news [--verbose]

``benchmarks/data/short_news.json`` holds 32 invented news stories of 3 to 12
sentences (local politics, business, sport, science, courts, weather...),
each with questions a reader would ask (many whose topic word is in several
sentences while the answer is in one) and questions the story does not
answer. A question is **right** when the answer is not declined and its first
cited sentence holds the expected phrase; an off-topic question is right when
it is declined. Nothing in the ranker was fitted on these stories (the token
projection is fitted on their text, never on their questions). The baseline
in the same run is whitespace ``BM25Okapi`` top-1 (it never declines).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from rank_bm25 import BM25Okapi

from retrieval import Article, ArticleIndex, answer, parse_article

DATA_PATH = Path(__file__).resolve().parent / "data" / "short_news.json"


@dataclass(frozen=True)
class ShortStory:
    article: Article
    questions: tuple[tuple[str, str], ...]  #: (question, the phrase that answers it)
    off_topic: tuple[str, ...]


def load_short_news(path: Path = DATA_PATH) -> list[ShortStory]:
    stories = json.loads(path.read_text(encoding="utf-8"))["articles"]
    return [
        ShortStory(
            parse_article(s["text"], name=s["name"], title=s.get("title")),
            tuple((q["question"], q["answer"]) for q in s["questions"]),
            tuple(s["off_topic"]),
        )
        for s in stories
    ]


@dataclass(frozen=True)
class Verdicts:
    answered_right: list[bool]
    declined_off_topic: list[bool]
    misses: list[str]

    @property
    def right(self) -> float:
        return float(np.mean(self.answered_right + self.declined_off_topic))


def judge(stories: list[ShortStory], *, words_only: bool = False) -> Verdicts:
    """Every question of every story asked through the product's ``answer()``."""
    answered, declined, misses = [], [], []
    for story in stories:
        index = ArticleIndex(story.article, semantic=not words_only)
        for question, phrase in story.questions:
            result = answer(index, question)
            ok = not result.abstained and phrase in result.ranked[0].text
            answered.append(ok)
            if not ok:
                said = "declined" if result.abstained else result.ranked[0].text
                misses.append(f"{story.article.name}: {question} -> {said}")
        for question in story.off_topic:
            result = answer(index, question)
            declined.append(result.abstained)
            if not result.abstained:
                misses.append(f"{story.article.name}: off-topic {question} -> {result.text}")
    return Verdicts(answered, declined, misses)


def baseline_top1(stories: list[ShortStory]) -> float:
    hits = []
    for story in stories:
        sentences = [s.text for s in story.article.sentences]
        bm25 = BM25Okapi([s.lower().split() for s in sentences])
        for question, phrase in story.questions:
            best = int(np.argmax(bm25.get_scores(question.lower().split())))
            hits.append(phrase in sentences[best])
    return float(np.mean(hits))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    stories = load_short_news()
    questions = sum(len(s.questions) for s in stories)
    off_topic = sum(len(s.off_topic) for s in stories)
    print(f"short news: {len(stories)} stories, {questions} questions, {off_topic} off-topic")
    for label, words_only in (("product answer()", False), ("product, words only", True)):
        verdicts = judge(stories, words_only=words_only)
        print(
            f"  {label:<22} right {np.mean(verdicts.answered_right):.3f}  "
            f"off-topic declined {np.mean(verdicts.declined_off_topic):.3f}  "
            f"all {verdicts.right:.3f}"
        )
        if args.verbose:
            for miss in verdicts.misses:
                print(f"    miss: {miss}")
    print(f"  {'baseline BM25Okapi':<22} top-1 {baseline_top1(stories):.3f} (never declines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
