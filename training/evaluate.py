"""The reader on the SQuAD dev half (never trained on): does its best sentence hold the answer?

Each article is built and split as the product does and ranked by the shipped
first pass (BM25, vectors and the learned fusion: ``retrieval.ranking.rank``);
the reader re-orders its first ``CANDIDATES`` sentences. In the same run: the
first pass's own top-1, and how often the answer was among the candidates at
all (the ceiling). Off-topic: each question is also asked of the next article,
where nothing answers; it counts as declined when no candidate's probability
reaches ``THRESHOLD``. Bold phrase: for a right top sentence, whether the span
head's phrase is exactly a gold answer.
"""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path

import numpy as np
import torch

from retrieval import ArticleIndex, analyze
from retrieval.ranking import rank
from training.bases import BASES
from training.reader import Reader, batch, pair

log = logging.getLogger("training")

CANDIDATES = 8
THRESHOLD = 0.5
#: Longest answer phrase the span head may pick, in tokens.
LONGEST_SPAN = 24


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def load_reader(checkpoint: Path) -> Reader:
    saved = torch.load(checkpoint, map_location="cpu", weights_only=False)  # trained anywhere
    model = Reader(BASES[saved.get("base", "minilm")])
    model.load_state_dict(saved["model"])
    model.eval()
    return model


def read(
    model: Reader, question: str, index: ArticleIndex, candidates: list[int]
) -> tuple[np.ndarray, list[str]]:
    """Probability that each candidate answers, and each candidate's answer phrase."""
    base = model.base
    q = np.array(base.encode([question])[0].ids, np.int32)
    sentences = index.article.sentences
    own = base.encode([sentences[i].text for i in candidates])
    before = base.encode([sentences[i - 1].text if i > 0 else "" for i in candidates])
    pairs = [
        pair(q, np.array(e.ids, np.int32), np.array(b.ids, np.int32) if i > 0 else None, base)
        for e, b, i in zip(own, before, candidates, strict=True)
    ]
    ids, types, mask, inside = batch(pairs)
    with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16):
        relevance, start, end = model(ids, types, mask)
    phrases = []
    for row, (p, e, i) in enumerate(zip(pairs, own, candidates, strict=True)):
        s = start[row].float().masked_fill(~inside[row], -1e9)
        t = end[row].float().masked_fill(~inside[row], -1e9)
        scores = s[:, None] + t[None, :]
        allowed = torch.ones_like(scores, dtype=torch.bool).triu().tril(LONGEST_SPAN)
        best = int(scores.masked_fill(~allowed, -1e18).argmax())
        first, last = divmod(best, scores.shape[1])
        first, last = first - p.sentence_from, last - p.sentence_from
        if 0 <= first <= last < len(e.offsets):
            phrases.append(sentences[i].text[e.offsets[first][0] : e.offsets[last][1]])
        else:
            phrases.append("")
    return torch.sigmoid(relevance.float()).numpy(), phrases


def evaluate(checkpoint: Path, dev: Path, *, limit: int = 0) -> dict[str, float]:
    from benchmarks.squad import indexed, load_squad  # the benchmark's own protocol

    model = load_reader(checkpoint)
    articles = load_squad(dev) or []
    indexes = [indexed(entry.article) for entry in articles]
    questions = [(n, q) for n, entry in enumerate(articles) for q in entry.questions]
    if limit:
        questions = questions[:: max(1, len(questions) // limit)][:limit]
    tally = dict.fromkeys(
        ["first", "reader", "reader_top3", "ceiling", "abstained", "declined", "bold", "right"], 0
    )
    started = time.perf_counter()
    for n, question in questions:
        index = indexes[n]
        golds = [_normal(a) for a in question.answers]
        ranking = rank(index, question.text, analyze(question.text))
        candidates = [r.sentence.number - 1 for r in ranking.ranked[:CANDIDATES]]
        hit = [
            any(g in _normal(index.article.sentences[i].text) for g in golds) for i in candidates
        ]
        probability, phrases = read(model, question.text, index, candidates)
        order = np.argsort(-probability, kind="stable")
        tally["first"] += hit[0]
        tally["ceiling"] += any(hit)
        tally["reader"] += hit[order[0]]
        tally["reader_top3"] += any(hit[i] for i in order[:3])
        tally["abstained"] += probability.max() < THRESHOLD
        if hit[order[0]]:
            tally["right"] += 1
            tally["bold"] += _normal(phrases[order[0]]) in golds
        other = indexes[(n + 1) % len(indexes)]
        elsewhere = rank(other, question.text, analyze(question.text)).ranked[:CANDIDATES]
        away, _ = read(model, question.text, other, [r.sentence.number - 1 for r in elsewhere])
        tally["declined"] += away.max() < THRESHOLD
    count = len(questions)
    figures = {key: value / count for key, value in tally.items()}
    figures["bold"] = tally["bold"] / max(tally["right"], 1)
    log.info(
        "dev half, %d questions (%.0f s): first pass top-1 %.3f | reader top-1 %.3f, top-3 %.3f "
        "(answer among the first %d: %.3f) | off-topic declined %.3f, answerable abstained %.3f "
        "| bold phrase exactly a gold answer %.3f",
        count,
        time.perf_counter() - started,
        figures["first"],
        figures["reader"],
        figures["reader_top3"],
        CANDIDATES,
        figures["ceiling"],
        figures["declined"],
        figures["abstained"],
        figures["bold"],
    )
    return figures


def evaluate_xquad(checkpoint: Path, bench: Path, language: str, *, limit: int = 0) -> None:
    """A multilingual reader on XQuAD's articles in ``language`` (measuring only: nothing
    is fitted on XQuAD): the shipped first pass's top-1 against the reader's re-ordering of
    its first ``CANDIDATES``, on every ``len // limit``-th question."""
    from benchmarks.xquad_quality import _index, load

    model = load_reader(checkpoint)
    articles = load(bench / "xquad" / f"xquad.{language}.json", bench / "squad-v1.1-dev-half.json")
    if not articles:
        log.info("no XQuAD file for %s under %s", language, bench)
        return
    questions = [(entry, q) for entry in articles for q, _ in entry.questions]
    if limit:
        questions = questions[:: max(1, len(questions) // limit)][:limit]
    indexes: dict[str, ArticleIndex] = {}
    first = reader = ceiling = 0
    started = time.perf_counter()
    for entry, question in questions:
        if entry.title not in indexes:
            indexes[entry.title] = _index(entry.text, entry.title)
        index = indexes[entry.title]
        golds = [_normal(a) for a in question.answers]
        ranking = rank(index, question.text, analyze(question.text, index.article.language))
        candidates = [r.sentence.number - 1 for r in ranking.ranked[:CANDIDATES]]
        hit = [
            any(g in _normal(index.article.sentences[i].text) for g in golds) for i in candidates
        ]
        probability, _ = read(model, question.text, index, candidates)
        first += hit[0]
        ceiling += any(hit)
        reader += hit[int(np.argmax(probability))]
    count = max(len(questions), 1)
    log.info(
        "XQuAD %s, %d questions (%.0f s): first pass top-1 %.3f | reader top-1 %.3f "
        "(answer among the first %d: %.3f)",
        language,
        len(questions),
        time.perf_counter() - started,
        first / count,
        reader / count,
        CANDIDATES,
        ceiling / count,
    )
