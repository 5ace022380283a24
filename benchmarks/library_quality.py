"""Answer quality across a library: the twelve SQuAD articles and the seed, asked as one.

    python -m benchmarks.library_quality [--squad PATH]

Builds a real library (SQLite in a temporary folder) holding the seed
article and the twelve SQuAD half-dev articles with their vectors, then asks
every SQuAD question across the whole library, as a chat with no article
picked does. A question is right when the answer's article is the question's
own and its first cited sentence holds a gold answer (an abstention is a
miss). In the same run, the same questions are asked of their own article
alone (``/use N`` mode). Both are cross-validated: a question is answered by
the models fitted without its article (training/ranker.py).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from benchmarks.squad import DEFAULT_PATH, hits, indexed, load_squad, normalise
from library.service import Library
from retrieval import answer
from retrieval.seeds import seed_paths
from training import ranker as learn

CHAT = 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--squad", type=Path, default=DEFAULT_PATH)
    args = parser.parse_args(argv)
    articles = load_squad(args.squad)
    if articles is None:
        return 0
    print("fitting the leave-one-article-out folds (evidence, then 12 fits)...", file=sys.stderr)
    folds = learn.fitted_folds(articles, args.squad)
    with tempfile.TemporaryDirectory() as folder:
        library = Library.open(Path(folder) / "library.db")
        library.articles.warm_up(library.articles.add_seeds(seed_paths()))
        ids = []
        for entry in articles:
            added = library.articles.add(CHAT, entry.article.text, title=entry.article.name)
            vectors = indexed(entry.article).vectors
            assert vectors is not None
            library.articles.keep_vectors(added.article_id, vectors)
            ids.append(added.article_id)
        across, alone, right_article, latency = [], [], [], []
        for fold in folds:
            entry, article_id = articles[fold.article], ids[fold.article]
            sentences = [normalise(s.text) for s in entry.article.sentences]
            for question in entry.questions:
                started = time.perf_counter()
                result = library.asking.ask_across(
                    CHAT, question.text, models=fold.models, reader="en"
                )
                latency.append(time.perf_counter() - started)
                own = result.best is not None and result.best.key == article_id
                right_article.append(own and not result.abstained)
                first = result.answer.ranked[0] if result.answer and own else None
                across.append(
                    first is not None
                    and not result.abstained
                    and hits(question, [sentences[first.sentence - 1]])[0]
                )
                single = answer(
                    library.articles.index(article_id), question.text, models=fold.models
                )
                cited = sentences[single.ranked[0].sentence - 1]
                alone.append(not single.abstained and hits(question, [cited])[0])
        library.store.close()
    count = len(across)
    print(f"library: seed + {len(articles)} SQuAD articles, {count} questions asked across it")
    print(f"  right article and answer (top-1)   {np.mean(across):.4f}")
    print(f"  right article chosen               {np.mean(right_article):.4f}")
    print(f"  same questions, own article alone  {np.mean(alone):.4f}")
    print(f"  library minus single-article       {np.mean(across) - np.mean(alone):+.4f}")
    millis = np.array(latency) * 1000
    print(
        f"  library question latency           p50 {np.percentile(millis, 50):.1f} ms, "
        f"p99 {np.percentile(millis, 99):.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
