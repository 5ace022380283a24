"""How the reader's verdict joins the first pass, and decides whether the article answers.

The first pass (retrieval/ranking.py) is cheap and sees every sentence; the
reader (retrieval/reader.py) is costly and sees only the first pass's best
``READ``, in stages (``STAGES``): the first pass's best sentence alone, then
its best 4, then all 8, going on only while the fused winner of those read
is not a sure answer (its reader logit under the stage's fitted ``early``
mark; each sentence read costs about 6 ms here, and most answers are the
first pass's best or among its best 4). For those read, a listwise logistic
model over the reader's logit and the first pass's log-probability gives the
final order (the first pass still knows things the reader cannot: the
paragraph around a sentence, how rare its words are in this article).
Whether the article answers at all is a logistic model over the best fused
score, the best reader logit and the first pass's own confidence, per mode
and article size, with its threshold; and below a
floor of the first pass's confidence (which answerable training questions
almost never fall under) the article does not answer whatever the reader
says: the reader never saw markup or gibberish, and can be sure of nonsense.

All of it was fitted on SQuAD's *training* set, never on the dev half that
measures it (``python -m training fit``), and ships as numbers in
``models/reader.json``, with the kinds of question whose span-head phrase is
bolded (those whose phrase matched a gold answer at least 80 % of the time on
the dev half: ``python -m benchmarks.squad_quality``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.answer_types import AnswerType
from retrieval.article import Article
from retrieval.linear_models import LinearModel, regime, sigmoid
from retrieval.ranking import Ranked, Ranking
from retrieval.reader import Reader, multilingual_reader_shipped, shared_reader

PATH = Path(__file__).resolve().parent / "models" / "reader.json"
#: First-pass candidates the reader reads (``python -m benchmarks.reader_depth`` has the curve).
READ = 8
#: Of those, how many are read at each stage before ``READ``: it reads on only when the
#: best of those read is not a sure answer.
STAGES = (1, 4)
FUSION_FEATURES = ("reader", "first_pass")
ABSTAIN_FEATURES = ("best_fused", "best_reader", "first_pass_confidence")
#: The modes the multilingual reader reads: an article in another language than English,
#: asked in its language. Only its order is fitted; whether the article answers stays the
#: first pass's verdict (the multilingual abstainer's).
MULTILINGUAL_MODES = ("multilingual",)
#: The languages the multilingual reader reads: those it was measured on (XQuAD, each
#: 2.7-4.0 points of top-1 better: docs/retrieval.md). It learned from English questions
#: only; in others it is unmeasured, and on our Vietnamese story it quoted when building
#: starts for "how much does it cost?", which the first pass had right.
MULTILINGUAL_READ = frozenset({"es", "de", "ru", "zh"})
#: Floor of a first-pass probability before its log is taken (unread sentences score 0).
_FLOOR = 1e-6


def fusion_rows(logits: np.ndarray, first_pass: np.ndarray) -> np.ndarray:
    """One row of ``FUSION_FEATURES`` per read candidate."""
    return np.column_stack([logits, np.log(np.maximum(first_pass, _FLOOR))])


def abstain_row(fused: np.ndarray, logits: np.ndarray, confidence: float) -> np.ndarray:
    """The question-level row of ``ABSTAIN_FEATURES``: the first pass's confidence as log-odds."""
    p = min(max(confidence, _FLOOR), 1 - _FLOOR)
    return np.array([float(fused.max()), float(logits.max()), float(np.log(p / (1 - p)))])


@dataclass(frozen=True, eq=False)
class ReaderModels:
    """The fusion per mode, the abstainer and threshold per ``regime()``, the bolded kinds."""

    fusions: dict[str, LinearModel]
    abstainers: dict[str, LinearModel]
    thresholds: dict[str, float]
    #: The first pass's confidence below which the article does not answer, whatever the
    #: reader says: a reader never shown markup or gibberish can be sure of nonsense.
    floors: dict[str, float]
    bolded: frozenset[AnswerType | None]  #: ``None``: questions of no recognised kind
    #: Per mode and stage of ``STAGES``, the reader logit at which the fused best of the
    #: stage's first sentences is taken without reading on (no mode: always read ``READ``).
    early: dict[str, tuple[float, ...]] = field(default_factory=dict)
    #: Per mode, the first pass's probability of its best sentence at or above which the
    #: reader does not read at all: the multilingual reader costs three times the English
    #: one, and where the first pass is that sure it seldom changes the answer.
    skip: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "fusions": {m: f.to_json() for m, f in self.fusions.items()},
            "abstainers": {k: a.to_json() for k, a in self.abstainers.items()},
            "thresholds": {k: round(t, 6) for k, t in self.thresholds.items()},
            "floors": {k: round(t, 6) for k, t in self.floors.items()},
            "bolded": sorted(k.value if k else "other" for k in self.bolded),
            "early": {m: [round(t, 6) for t in marks] for m, marks in self.early.items()},
            "skip": {m: round(t, 6) for m, t in self.skip.items()},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReaderModels:
        return cls(
            {m: LinearModel.from_json(f) for m, f in data["fusions"].items()},
            {k: LinearModel.from_json(a) for k, a in data["abstainers"].items()},
            {k: float(t) for k, t in data["thresholds"].items()},
            {k: float(t) for k, t in data["floors"].items()},
            frozenset(None if k == "other" else AnswerType(k) for k in data["bolded"]),
            {m: tuple(float(t) for t in marks) for m, marks in data.get("early", {}).items()},
            {m: float(t) for m, t in data.get("skip", {}).items()},
        )

    def abstainer(self, mode: str, *, short: bool) -> tuple[LinearModel, float, float]:
        """The abstainer for this mode and article size, its threshold and its floor."""
        key = regime(mode, short=short)
        return self.abstainers[key], self.thresholds[key], self.floors[key]


@cache
def shipped_reader_models() -> ReaderModels:
    return ReaderModels.from_json(json.loads(PATH.read_text(encoding="utf-8")))


def reread(
    article: Article,
    question: str,
    ranking: Ranking,
    *,
    depth: int = READ,
    reader: Reader | None = None,
    models: ReaderModels | None = None,
    known: Ranking | None = None,
) -> Ranking:
    """``ranking`` (the first pass) re-ordered by the reader, with its confidence and phrases.

    The reader reads up to the first ``depth`` sentences (see the module
    docstring: it may stop at a stage of ``STAGES``); the rest keep the first pass's
    order after them, with score 0: the reader never saw them. What ``known``
    (an earlier rereading of the same ranking) read is not read again. When
    the first pass's confidence is under the fitted floor, the answer can be
    no surer than it.
    """
    (found,) = reread_many(
        question,
        [(article, ranking)],
        depth=depth,
        reader=reader,
        models=models,
        known=[known] if known else None,
    )
    return found


def reread_many(
    question: str,
    rankings: Sequence[tuple[Article, Ranking]],
    *,
    depth: int = READ,
    reader: Reader | None = None,
    models: ReaderModels | None = None,
    known: Sequence[Ranking] | None = None,
) -> list[Ranking]:
    """``reread`` for several articles, each step in one call of the model (a library
    question)."""
    models = models or shipped_reader_models()
    found = [ranking for _, ranking in rankings]
    readable = []
    for i, (article, ranking) in enumerate(rankings):
        if not reads(article, ranking, models):
            continue
        if ranking.ranked[0].score >= models.skip.get(ranking.mode, float("inf")):
            continue  # the first pass is sure of its best sentence: reading would not pay
        if regime(ranking.mode, short=ranking.short) not in models.abstainers:
            # The first pass decides whether it answers, and declines without reading.
            if ranking.answers:
                readable.append(i)
            continue
        _, threshold, floor = models.abstainer(ranking.mode, short=ranking.short)
        if ranking.confidence < min(floor, threshold):
            # Under the floor the answer can be no surer than the first pass (``_fused``),
            # so whatever the reader said, it would not answer: it need not read.
            found[i] = replace(ranking, threshold=threshold)
        else:
            readable.append(i)
    # English articles are read by the English reader, the others by the multilingual one.
    groups: dict[bool, list[int]] = {}
    for i in readable:
        groups.setdefault(rankings[i][1].mode in MULTILINGUAL_MODES, []).append(i)
    for multilingual, group in groups.items():
        chosen = reader or shared_reader(multilingual)
        seen = [_Seen.of(known[i] if known else None) for i in group]
        counts = _read_in_stages(
            chosen, question, [rankings[i] for i in group], seen, depth, models
        )
        for k, i in enumerate(group):
            count = min(counts[k], len(rankings[i][1].ranked))
            found[i] = _fused(rankings[i][1], seen[k], count, models)
    return found


def _read_in_stages(
    reader: Reader,
    question: str,
    rankings: Sequence[tuple[Article, Ranking]],
    seen: Sequence[_Seen],
    depth: int,
    models: ReaderModels,
) -> list[int]:
    """Read each ranking's candidates stage by stage (``STAGES``, then ``depth``), going on
    only with those not sure yet; returns how many of each were read."""
    counts = [0] * len(rankings)
    pending = list(range(len(rankings)))
    for stage in [*(s for s in STAGES if s < depth), depth]:
        _read(reader, question, [rankings[k] for k in pending], [seen[k] for k in pending], stage)
        for k in pending:
            counts[k] = stage
        pending = [
            k
            for k in pending
            if stage < depth and not _sure(rankings[k][1], seen[k], stage, models)
        ]
        if not pending:
            break
    return counts


@dataclass
class _Seen:
    """What the reader made of one ranking's sentences so far, by sentence number."""

    logits: dict[int, float]
    spans: dict[int, tuple[int, int] | None]

    @classmethod
    def of(cls, known: Ranking | None) -> _Seen:
        if known is None:
            return cls({}, {})
        return cls(dict(known.logits), {n: known.phrases.get(n) for n in known.logits})


def _read(
    reader: Reader,
    question: str,
    rankings: Sequence[tuple[Article, Ranking]],
    seen: Sequence[_Seen],
    depth: int,
) -> None:
    """Read each ranking's first ``depth`` sentences not read yet, in one call of the model."""
    texts: list[str] = []
    before: list[str | None] = []
    owners: list[tuple[_Seen, int]] = []
    for (article, ranking), already in zip(rankings, seen, strict=True):
        for r in ranking.ranked[:depth]:
            n = r.sentence.number
            if n in already.logits:
                continue
            texts.append(r.sentence.text)
            # The sentence before travels with each candidate, as in training.
            before.append(article.sentences[n - 2].text if n > 1 else None)
            owners.append((already, n))
    if not texts:
        return
    reading = reader.read(question, texts, before)
    for (already, n), logit, span in zip(owners, reading.logits, reading.spans, strict=True):
        already.logits[n] = float(logit)
        already.spans[n] = span


def _sure(ranking: Ranking, seen: _Seen, stage: int, models: ReaderModels) -> bool:
    """Whether the fused best of the first ``stage`` read is sure enough to stop there."""
    marks = models.early.get(ranking.mode)
    if marks is None:
        return False
    logits, fused = _scores(ranking, seen, stage, models)
    return bool(logits[int(np.argmax(fused))] >= marks[STAGES.index(stage)])


def _scores(
    ranking: Ranking, seen: _Seen, count: int, models: ReaderModels
) -> tuple[np.ndarray, np.ndarray]:
    """The reader's logits of the first ``count`` candidates, and their fused scores."""
    read = ranking.ranked[:count]
    logits = np.array([seen.logits[r.sentence.number] for r in read], np.float32)
    first_pass = np.array([r.score for r in read])
    fused = models.fusions[ranking.mode].score(fusion_rows(logits, first_pass), FUSION_FEATURES)
    return logits, fused


def reads(article: Article, ranking: Ranking, models: ReaderModels | None = None) -> bool:
    """Whether a reader reads this ranking: the English reader learned English from English
    questions; the multilingual one reads articles in other languages asked in theirs
    (questions in another language than the article keep the first pass's verdict: the
    crosslingual mode's abstainer decides those)."""
    if ranking.mode in MULTILINGUAL_MODES:
        return (
            article.language in MULTILINGUAL_READ
            and multilingual_reader_shipped()
            and ranking.mode in (models or shipped_reader_models()).fusions
        )
    return article.language == "en" and ranking.mode in ("semantic", "lexical")


def _fused(ranking: Ranking, seen: _Seen, count: int, models: ReaderModels) -> Ranking:
    read = ranking.ranked[:count]
    logits, fused = _scores(ranking, seen, count, models)
    probabilities = np.exp(fused - fused.max())
    probabilities /= probabilities.sum()
    order = np.argsort(-probabilities, kind="stable")
    ranked = [Ranked(read[j].sentence, float(probabilities[j]), read[j].coverage) for j in order]
    ranked += [Ranked(r.sentence, 0.0, r.coverage) for r in ranking.ranked[len(read) :]]
    confidence, threshold = ranking.confidence, ranking.threshold
    if regime(ranking.mode, short=ranking.short) in models.abstainers:
        abstainer, threshold, floor = models.abstainer(ranking.mode, short=ranking.short)
        row = abstain_row(fused, logits, ranking.confidence)
        confidence = float(sigmoid(abstainer.score(row[None, :], ABSTAIN_FEATURES))[0])
        if ranking.confidence < floor:
            # The article barely shares anything with the question: it can be no surer.
            confidence = min(confidence, ranking.confidence)
    # The multilingual reader's phrases are not bolded: how often they are the answer was
    # measured in English only (docs/retrieval.md), and a wrong bold misleads.
    phrases = (
        {}
        if ranking.mode in MULTILINGUAL_MODES
        else {n: span for n, span in seen.spans.items() if span is not None}
    )
    return replace(
        ranking,
        ranked=ranked,
        confidence=confidence,
        threshold=threshold,
        phrases=phrases,
        logits=dict(seen.logits),
    )
