"""Fit the 384 -> 128 projection that stored token vectors use (retrieval/vectors.py).

    python -m training.projection [--dimensions 128]

A PCA basis over the model's token states for news text we ship or wrote: the
seed articles and the short-news set (benchmarks/data/short_news.json), never
the SQuAD file that measures quality. Writes ``retrieval/models/token-projection.npz``
and prints the share of variance the kept dimensions explain. Refitting
changes the stored vectors' model id, so existing libraries re-embed.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from benchmarks.short_news import load_short_news
from retrieval.article import load_article
from retrieval.seeds import seed_paths
from retrieval.semantic import shared_encoder, unit
from retrieval.vectors import PROJECTION_PATH


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dimensions", type=int, default=128)
    args = parser.parse_args(argv)
    articles = [load_article(path) for path in seed_paths()]
    articles += [story.article for story in load_short_news()]
    texts = [s.text for a in articles for s in a.sentences]
    states = np.vstack([unit(r.states) for r in shared_encoder().token_states(texts)])
    mean = states.mean(axis=0)
    _, singular, rows = np.linalg.svd(states - mean, full_matrices=False)
    basis = rows[: args.dimensions].T
    explained = float((singular[: args.dimensions] ** 2).sum() / (singular**2).sum())
    np.savez(PROJECTION_PATH, mean=mean.astype(np.float32), basis=basis.astype(np.float32))
    print(
        f"{len(texts)} sentences, {len(states)} token states: {args.dimensions} dimensions "
        f"explain {explained:.3f} of the variance; wrote {PROJECTION_PATH}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
