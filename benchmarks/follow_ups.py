"""Follow-ups in a reply thread: how often the short second question is answered right,
with and without the first question as context.

    python -m benchmarks.follow_ups [--verbose]

``benchmarks/data/follow_ups.json`` holds 46 two-turn dialogues written for this
project over the seed article and the short-news stories: a first question,
then a follow-up that leans on it ("And where?", "How many stops?", "Why?").
A follow-up is **right** when it is not declined and its first cited
sentence holds the expected phrase. Both ways ask the same article (the one
the thread's answer came from, as the bot does); "with context" reads the
follow-up with ``library.conversation.with_context``. Nothing is tuned on
these dialogues.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from benchmarks.short_news import load_short_news
from library.conversation import with_context
from retrieval import ArticleIndex, answer, load_article
from retrieval.seeds import default_article_path

DATA_PATH = Path(__file__).resolve().parent / "data" / "follow_ups.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="list every miss")
    args = parser.parse_args(argv)
    dialogues = json.loads(DATA_PATH.read_text(encoding="utf-8"))["dialogues"]
    articles = {story.article.name: story.article for story in load_short_news()}
    articles["seed"] = load_article(default_article_path())
    indexes = {name: ArticleIndex(article) for name, article in articles.items()}
    plain: list[bool] = []
    contextual: list[bool] = []
    first_right: list[bool] = []
    for d in dialogues:
        index = indexes[d["article"]]
        first = answer(index, d["first"])
        first_right.append(not first.abstained)
        for asked, tally in (
            (d["follow_up"], plain),
            (with_context(d["follow_up"], d["first"]), contextual),
        ):
            result = answer(index, asked)
            right = not result.abstained and d["answer"] in result.ranked[0].text
            tally.append(right)
            if args.verbose and not right and tally is contextual:
                said = "declined" if result.abstained else result.ranked[0].text[:90]
                print(f"  miss: {d['article']}: {d['first']} / {asked} -> {said}")
    print(f"follow-ups: {len(dialogues)} two-turn dialogues")
    print(f"  first questions answered          {np.mean(first_right):.3f}")
    print(f"  follow-up right, asked alone      {np.mean(plain):.3f}")
    print(f"  follow-up right, with the thread  {np.mean(contextual):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
