"""The reader on the SQuAD dev half (never trained on): does its best sentence hold the answer?

Each article is built and split as the product does (paragraphs joined by a
blank line); each question's candidates are the article's BM25 top
``CANDIDATES`` sentences (the first pass), which the reader re-orders. In the
same run: BM25's own top-1, and how often the answer was among the candidates
at all (the ceiling). Off-topic: each question is also asked of the next
article, where nothing answers; a question counts as declined when no
candidate's probability reaches ``THRESHOLD``.
"""

from __future__ import annotations

import json
import logging
import re
import time
from pathlib import Path

import numpy as np
import torch

from retrieval import ArticleIndex, analyze, parse_article
from training.data import tokenizer
from training.reader import Reader, batch, pair

log = logging.getLogger("training")

CANDIDATES = 20
THRESHOLD = 0.5


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def load_reader(checkpoint: Path) -> Reader:
    model = Reader()
    model.load_state_dict(torch.load(checkpoint, weights_only=False)["model"])
    model.eval()
    return model


def scores(model: Reader, question: str, index: ArticleIndex, candidates: list[int]) -> np.ndarray:
    """Probability that each candidate sentence answers ``question``."""
    words = tokenizer()
    q = np.array(words.encode(question, add_special_tokens=False).ids, np.int32)
    sentences = index.article.sentences
    encoded = words.encode_batch(
        [sentences[i].text for i in candidates]
        + [sentences[i - 1].text for i in candidates if i > 0],
        add_special_tokens=False,
    )
    own = encoded[: len(candidates)]
    before = iter(encoded[len(candidates) :])
    pairs = [
        pair(q, np.array(e.ids, np.int32), np.array(next(before).ids, np.int32) if i > 0 else None)
        for e, i in zip(own, candidates, strict=True)
    ]
    ids, types, mask, _ = batch(pairs)
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
        relevance, _, _ = model(ids, types, mask)
    return torch.sigmoid(relevance.float()).numpy()


def evaluate(checkpoint: Path, dev: Path, *, limit: int = 0) -> dict[str, float]:
    model = load_reader(checkpoint)
    articles = json.loads(dev.read_text(encoding="utf-8"))["data"]
    indexes = []
    for item in articles:
        text = "\n\n".join(p["context"].strip() for p in item["paragraphs"])
        indexes.append(ArticleIndex(parse_article(text), semantic=False))
    questions = [
        (n, qa["question"], [_normal(a["text"]) for a in qa["answers"]])
        for n, item in enumerate(articles)
        for p in item["paragraphs"]
        for qa in p["qas"]
    ]
    if limit:
        step = max(1, len(questions) // limit)
        questions = questions[::step][:limit]
    tally = {"bm25": 0, "reader": 0, "reader_top3": 0, "ceiling": 0, "abstained": 0, "declined": 0}
    started = time.perf_counter()
    for n, question, golds in questions:
        index = indexes[n]
        ranked = list(np.argsort(-index.bm25(analyze(question))[0], kind="stable")[:CANDIDATES])
        texts = [_normal(index.article.sentences[i].text) for i in ranked]
        hit = [any(g in t for g in golds) for t in texts]
        probability = scores(model, question, index, [int(i) for i in ranked])
        order = np.argsort(-probability, kind="stable")
        tally["bm25"] += hit[0]
        tally["ceiling"] += any(hit)
        tally["reader"] += hit[order[0]]
        tally["reader_top3"] += any(hit[i] for i in order[:3])
        tally["abstained"] += probability.max() < THRESHOLD
        other = indexes[(n + 1) % len(indexes)]
        elsewhere = list(np.argsort(-other.bm25(analyze(question))[0], kind="stable")[:CANDIDATES])
        tally["declined"] += (
            scores(model, question, other, [int(i) for i in elsewhere]).max() < THRESHOLD
        )
    count = len(questions)
    figures = {key: value / count for key, value in tally.items()}
    log.info(
        "dev half, %d questions (%.0f s): BM25 top-1 %.3f | reader top-1 %.3f, top-3 %.3f "
        "(answer among the %d candidates %.3f) | off-topic declined %.3f, answerable abstained %.3f",
        count,
        time.perf_counter() - started,
        figures["bm25"],
        figures["reader"],
        figures["reader_top3"],
        CANDIDATES,
        figures["ceiling"],
        figures["declined"],
        figures["abstained"],
    )
    return figures
