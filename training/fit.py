"""Fitting how the reader joins the first pass, and when the answer abstains, on SQuAD *train*.

Two stages, because the first pass does not change when the reader does:

* ``collect`` asks a sample of training articles their own questions and
  others' (whole articles, and single paragraphs standing alone as short
  stories: same subject, answer elsewhere) and keeps, for each ask and each
  mode (with and without vectors), the first pass's candidates, their
  probabilities and which hold a gold answer, and the first pass's own
  abstainer confidence. About 15 minutes here (embedding dominates).
* ``fit`` reads those candidates with the reader and fits, per mode, the
  fusion (a listwise logistic model over the reader's logit and the first
  pass's log-probability), and per mode and article size the abstainer (a
  logistic model over the best fused score, the best reader logit and the
  first pass's confidence) with its threshold: the quantile of answerable
  training questions it may decline. It writes ``retrieval/models/reader.json``.

Nothing here sees the dev half: the figures in docs/models.md that measure
the result are from it, the fitted numbers are not.
"""

from __future__ import annotations

import json
import logging
import pickle
import random
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from benchmarks.squad import Question, SquadArticle, load_squad, meaning_indexed, normalise
from retrieval import Article, ArticleIndex, parse_article
from retrieval.analysis import analyze
from retrieval.answer_types import AnswerType
from retrieval.e5_words import e5_file
from retrieval.linear_models import LinearModel, regime, sigmoid
from retrieval.ranking import rank
from retrieval.reader import Reader
from retrieval.reader_fusion import (
    ABSTAIN_FEATURES,
    FUSION_FEATURES,
    MULTILINGUAL_MODES,
    READ,
    STAGES,
    ReaderModels,
    abstain_row,
    fusion_rows,
)
from training.ranker import fit_abstainer, fit_ranker

log = logging.getLogger("training")

SEED = 29
#: Every how-many-th training article is sampled (442 / 9: 50 articles).
ARTICLE_EVERY = 9
OWN_QUESTIONS = 30  #: own questions asked of each sampled article
OFF_TOPIC = 15  #: other articles' questions asked of each
PARAGRAPHS = 8  #: paragraphs of each article asked as short stories
MODES = ("semantic", "lexical")
#: Share of answerable training questions the threshold may decline, long and short articles.
ABSTAIN_QUANTILE = {False: 0.01, True: 0.02}
#: Share of answerable training questions whose first-pass confidence may fall below the floor.
FLOOR_QUANTILE = 0.002
#: Per stage of ``STAGES``, the top-1 over answerable training questions that stopping
#: there may cost against reading on. The first pass's best alone is the thinner view and
#: the one most questions would stop at, so it may cost half as much.
EARLY_LOSS = (0.001, 0.002)
#: The modes that may stop reading early. Words alone is how an article is read only until
#: its vectors are stored, moments after it is added; there its first pass puts the answer
#: among its best 4 less often, and stopping cost 0.7 points of the dev half's top-1.
EARLY_MODES = ("semantic",)
#: The top-1 over answerable training questions that not reading a question whose first
#: pass is sure may cost against reading it in stages (the multilingual reader only).
SKIP_LOSS = 0.005
#: The multilingual reader's modes, and every how-many-th training article they are fitted
#: on (442 / 18: 25 articles).
MULTILINGUAL = MULTILINGUAL_MODES
MULTILINGUAL_ARTICLE_EVERY = 18


@dataclass
class Ask:
    """One question asked of one text, with what the first pass found in each mode."""

    text: int  #: which collected text was asked (index into ``Collected.texts``)
    question: str
    answerable: bool
    short: bool
    candidates: dict[str, list[int]]  #: mode -> 0-based sentences, first pass order, READ at most
    first: dict[str, np.ndarray]  #: mode -> their first-pass probabilities
    labels: dict[str, np.ndarray]  #: mode -> which hold a gold answer
    confidence: dict[str, float]  #: mode -> the first pass abstainer's probability


@dataclass
class Collected:
    texts: list[list[str]]  #: each asked text's sentences
    asks: list[Ask]
    articles: int  #: sampled articles collected so far


def collect(squad: Path, out: Path, modes: tuple[str, ...] = MODES) -> Collected:
    """Collect (or go on collecting: ``out`` is rewritten after each article) the asks.

    ``modes=MULTILINGUAL``: the multilingual reader's, English training articles read as
    an article in another language is (the multilingual model's vectors, the multilingual
    mode's first pass), every 18th article: those ``python -m training.multilingual``
    fitted that first pass on, whose vectors benchmarks/.cache keeps."""
    every = ARTICLE_EVERY if modes == MODES else MULTILINGUAL_ARTICLE_EVERY
    articles: list[SquadArticle] = (load_squad(squad) or [])[::every]
    collected = load_collected(out) if out.exists() else Collected([], [], 0)
    for a in range(collected.articles, len(articles)):
        _collect_article(collected, articles, a, random.Random(SEED * 1000 + a), modes)
        collected.articles = a + 1
        with out.open("wb") as stream:
            pickle.dump(collected, stream)
        log.info(
            "collected %d/%d: %s (%d asks)",
            a + 1,
            len(articles),
            articles[a].article.name,
            len(collected.asks),
        )
    return collected


def _collect_article(
    collected: Collected,
    articles: list[SquadArticle],
    a: int,
    rng: random.Random,
    modes: tuple[str, ...],
) -> None:
    entry = articles[a]

    def stranger() -> Question:
        other = articles[(a + 1 + rng.randrange(len(articles) - 1)) % len(articles)]
        return rng.choice(other.questions)

    own = rng.sample(list(entry.questions), min(OWN_QUESTIONS, len(entry.questions)))
    asked = [(q, True) for q in own] + [(stranger(), False) for _ in range(OFF_TOPIC)]
    _ask_all(collected, entry.article, asked, short=False, modes=modes)
    count = len(entry.paragraphs)
    for k in rng.sample(range(count), min(PARAGRAPHS, count)):
        text, questions = entry.paragraphs[k]
        if not questions:
            continue
        held = normalise(text)
        pairs = [(q, True) for q in rng.sample(list(questions), min(3, len(questions)))]
        for offset in (-1, 1, 5):
            neighbours = entry.paragraphs[(k + offset) % count][1]
            if neighbours:
                pairs.append((rng.choice(neighbours), False))
        pairs += [(stranger(), False) for _ in range(2)]
        pairs = [
            (q, answerable)
            for q, answerable in pairs
            if answerable or not any(g in held for g in q.answers)
        ]
        paragraph = parse_article(text, name=f"{entry.article.name} {k + 1}")
        _ask_all(collected, paragraph, pairs, short=True, modes=modes)


def _ask_all(
    collected: Collected,
    source: Article,
    asked: list[tuple[Question, bool]],
    *,
    short: bool,
    modes: tuple[str, ...],
) -> None:
    indexes: dict[str, ArticleIndex] = {}
    for mode in modes:
        if mode == "semantic":
            indexes[mode] = ArticleIndex(source)
            indexes[mode].embed_all()
        elif mode == "lexical":
            indexes[mode] = ArticleIndex(source, semantic=False)
        else:
            indexes[mode] = meaning_indexed(source)
    normal = [normalise(s.text) for s in source.sentences]
    collected.texts.append([s.text for s in source.sentences])
    text = len(collected.texts) - 1
    for question, answerable in asked:
        terms = analyze(question.text)
        ask = Ask(text, question.text, answerable, short, {}, {}, {}, {})
        for mode, index in indexes.items():
            ranking = rank(index, question.text, terms, mode=mode if mode in MULTILINGUAL else None)
            top = ranking.ranked[:READ]
            ask.candidates[mode] = [r.sentence.number - 1 for r in top]
            ask.first[mode] = np.array([r.score for r in top])
            ask.labels[mode] = np.array(
                [any(g in normal[r.sentence.number - 1] for g in question.answers) for r in top]
            )
            ask.confidence[mode] = ranking.confidence
        collected.asks.append(ask)


def load_collected(path: Path) -> Collected:
    with path.open("rb") as stream:
        found: Collected = pickle.load(stream)  # our own file, written by ``collect``
    return found


@dataclass
class Read:
    """One ask's candidates as the reader scored them, per mode."""

    ask: Ask
    logits: dict[str, np.ndarray]


def read_all(collected: Collected, reader: Reader) -> list[Read]:
    """The reader's logits for every ask's candidates (each sentence read once per ask)."""
    found = []
    for n, ask in enumerate(collected.asks):
        sentences = collected.texts[ask.text]
        modes = list(ask.candidates)
        wanted = sorted({i for mode in modes for i in ask.candidates[mode]})
        reading = reader.read(
            ask.question,
            [sentences[i] for i in wanted],
            [sentences[i - 1] if i > 0 else None for i in wanted],
        )
        by_sentence = dict(zip(wanted, reading.logits, strict=True))
        found.append(
            Read(ask, {m: np.array([by_sentence[i] for i in ask.candidates[m]]) for m in modes})
        )
        if n % 2000 == 0:
            log.info("read %d/%d asks", n, len(collected.asks))
    return found


def fit(
    reads: list[Read], bolded: frozenset[AnswerType | None], modes: tuple[str, ...] = MODES
) -> ReaderModels:
    """The fusion per mode, and per mode and size the abstainer and its threshold (not for
    the multilingual reader's modes: the first pass's abstainer decides there)."""
    fusions, abstainers, thresholds, floors, early, skip = {}, {}, {}, {}, {}, {}
    for mode in modes:
        own = [r for r in reads if r.ask.answerable and len(r.logits[mode])]
        fusions[mode] = fit_ranker(
            [fusion_rows(r.logits[mode], r.ask.first[mode]) for r in own],
            [r.ask.labels[mode] for r in own],
            FUSION_FEATURES,
        )
        first, alone, fused = _top1(own, mode, fusions[mode])
        log.info(
            "%s, training questions: top-1 first pass %.3f, reader alone %.3f, fused %.3f",
            mode,
            first,
            alone,
            fused,
        )
        marks, stopped = early_marks(own, mode, fusions[mode])
        if mode in EARLY_MODES or mode in MULTILINGUAL:
            early[mode] = marks
        if mode in MULTILINGUAL:
            skip[mode], skipped = skip_mark(own, mode, fusions[mode], marks)
            log.info(
                "%s: not read where the first pass's best has probability %.3f or more: "
                "%.1f %% of training questions, at most %.1f points of top-1",
                mode,
                skip[mode],
                100 * skipped,
                100 * SKIP_LOSS,
            )
        for stage, mark, share, loss in zip(STAGES, marks, stopped, EARLY_LOSS, strict=True):
            log.info(
                "%s: the best of the first %d would be taken at reader logit %.2f or more: "
                "%.1f %% of training questions stop there, at most %.1f points of top-1%s",
                mode,
                stage,
                mark,
                100 * share,
                100 * loss,
                "" if mode in early else " (not used: all are read)",
            )
        if mode in MULTILINGUAL:
            continue
        for short in (False, True):
            pool = [r for r in reads if r.ask.short == short and len(r.logits[mode])]
            rows = np.array([_abstain_row(fusions[mode], r, mode) for r in pool])
            answerable = np.array([r.ask.answerable for r in pool])
            key = regime(mode, short=short)
            floors[key] = floor(pool, mode)
            abstainers[key] = fit_abstainer(rows, answerable, ABSTAIN_FEATURES)
            probabilities = sigmoid(abstainers[key].score(rows[answerable], ABSTAIN_FEATURES))
            thresholds[key] = float(np.quantile(probabilities, ABSTAIN_QUANTILE[short]))
            confidences = np.array([r.ask.confidence[mode] for r in pool])
            declined = sigmoid(abstainers[key].score(rows[~answerable], ABSTAIN_FEATURES))
            declined = np.where(confidences[~answerable] < floors[key], 0.0, declined)
            log.info(
                "%s: %d asks; threshold %.3f declines %.1f %% of off-topic training questions",
                key,
                len(pool),
                thresholds[key],
                100 * float(np.mean(declined < thresholds[key])),
            )
    return ReaderModels(fusions, abstainers, thresholds, floors, bolded, early, skip)


def early_marks(
    reads: list[Read], mode: str, fusion: LinearModel
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Per stage of ``STAGES``, the lowest reader logit at which taking the fused best of
    the stage's first sentences loses at most its ``EARLY_LOSS`` of top-1 against reading
    on (the later stages fitted first, so each is weighed against the reading it would
    save); and the share of ``reads`` that stop at each stage."""
    reading_on, _ = _stopping_at(reads, mode, fusion, READ)  # reading all: the fused best
    marks: list[float] = []
    at_stage: list[np.ndarray] = []
    for stage, loss in reversed(list(zip(STAGES, EARLY_LOSS, strict=True))):
        stopped, at = _stopping_at(reads, mode, fusion, stage)
        mark = _lowest_mark(reading_on, stopped, at, loss)
        reading_on = np.where(at >= mark, stopped, reading_on)
        marks.insert(0, mark)
        at_stage.insert(0, at >= mark)
    shares, going_on = [], np.ones(len(reads), bool)
    for stops in at_stage:
        shares.append(float(np.mean(going_on & stops)))
        going_on &= ~stops
    return tuple(marks), tuple(shares)


def skip_mark(
    reads: list[Read], mode: str, fusion: LinearModel, marks: tuple[float, ...]
) -> tuple[float, float]:
    """The lowest first-pass probability of the best sentence at which not reading at all
    loses at most ``SKIP_LOSS`` of top-1 against reading in stages as ``marks`` say; and the
    share of ``reads`` it skips."""
    staged = np.array([_staged(r, mode, fusion, marks) for r in reads], float)  # what reading gives
    alone = np.array([r.ask.labels[mode][0] for r in reads], float)
    top = np.array([r.ask.first[mode][0] for r in reads])
    for mark in np.unique(np.quantile(top, np.linspace(0, 1, 401))):
        if staged.mean() - np.where(top >= mark, alone, staged).mean() <= SKIP_LOSS:
            return float(mark), float(np.mean(top >= mark))
    return float("inf"), 0.0


def _staged(r: Read, mode: str, fusion: LinearModel, marks: tuple[float, ...]) -> bool:
    """Whether reading in stages (stopping where ``marks`` say) puts the answer first."""
    labels, logits, passed = r.ask.labels[mode], r.logits[mode], r.ask.first[mode]
    for stage, mark in [*zip(STAGES, marks, strict=True), (READ, -np.inf)]:
        rows = fusion_rows(logits[:stage], passed[:stage])
        best = int(np.argmax(fusion.score(rows, FUSION_FEATURES)))
        if logits[best] >= mark or stage >= len(logits):
            return bool(labels[best])
    return bool(labels[best])


def _stopping_at(
    reads: list[Read], mode: str, fusion: LinearModel, stage: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per ask, whether the fused best of the first ``stage`` holds the answer, and its
    reader logit (-inf where there is nothing past the stage to save)."""
    stopped, at = [], []
    for r in reads:
        labels, logits, passed = r.ask.labels[mode], r.logits[mode], r.ask.first[mode]
        rows = fusion_rows(logits[:stage], passed[:stage])
        best = int(np.argmax(fusion.score(rows, FUSION_FEATURES)))
        stopped.append(labels[best])
        at.append(logits[best] if len(logits) > stage else -np.inf)
    return np.array(stopped, float), np.array(at)


def _lowest_mark(reading_on: np.ndarray, stopped: np.ndarray, at: np.ndarray, loss: float) -> float:
    """The lowest of ``at``'s quantiles at which stopping loses at most ``loss`` of top-1."""
    for mark in np.unique(np.quantile(at[np.isfinite(at)], np.linspace(0, 1, 401))):
        if reading_on.mean() - np.where(at >= mark, stopped, reading_on).mean() <= loss:
            return float(mark)
    return float("inf")


def floor(pool: list[Read], mode: str) -> float:
    """The first-pass confidence that only ``FLOOR_QUANTILE`` of answerable asks fall below."""
    answerable = [r.ask.confidence[mode] for r in pool if r.ask.answerable]
    return float(np.quantile(answerable, FLOOR_QUANTILE))


def _top1(reads: list[Read], mode: str, fusion: LinearModel) -> tuple[float, float, float]:
    """Top-1 over ``reads`` of the first pass, the reader alone and the fusion (in-sample)."""
    first = alone = fused = 0
    for r in reads:
        labels, logits, passed = r.ask.labels[mode], r.logits[mode], r.ask.first[mode]
        first += labels[int(np.argmax(passed))]
        alone += labels[int(np.argmax(logits))]
        scores = fusion.score(fusion_rows(logits, passed), FUSION_FEATURES)
        fused += labels[int(np.argmax(scores))]
    return first / len(reads), alone / len(reads), fused / len(reads)


def _abstain_row(fusion: LinearModel, read: Read, mode: str) -> np.ndarray:
    fused = fusion.score(fusion_rows(read.logits[mode], read.ask.first[mode]), FUSION_FEATURES)
    return abstain_row(fused, read.logits[mode], read.ask.confidence[mode])


def fit_and_write(
    collected_path: Path, models_folder: Path, *, multilingual: bool = False
) -> ReaderModels:
    """``fit`` on the collected asks with the shipped reader; write ``reader.json``.

    The kinds of question whose phrase is bolded are kept from the current
    file: they are measured on the dev half (benchmarks/squad_quality.py), not fitted.
    ``multilingual``: the multilingual reader's fusion and early marks, fitted on asks
    ``collect(modes=MULTILINGUAL)`` gathered, join the English reader's in the file."""
    path = models_folder / "reader.json"
    current = ReaderModels.from_json(json.loads(path.read_text())) if path.exists() else None
    bolded = current.bolded if current else frozenset()
    collected = load_collected(collected_path)
    if multilingual:
        reader = Reader(models_folder / "reader-multilingual-int8.onnx", None, words=e5_file())
        found = fit(read_all(collected, reader), bolded, MULTILINGUAL)
        models = (
            replace(
                current,
                fusions=current.fusions | found.fusions,
                early=current.early | found.early,
                skip=current.skip | found.skip,
            )
            if current
            else found
        )
    else:
        reads = read_all(collected, Reader(models_folder / "reader-int8.onnx", None))
        models = fit(reads, bolded)
        if current:  # the multilingual reader's stay
            models = replace(
                models,
                fusions={m: current.fusions[m] for m in MULTILINGUAL if m in current.fusions}
                | models.fusions,
                early={m: current.early[m] for m in MULTILINGUAL if m in current.early}
                | models.early,
                skip=current.skip,
            )
    path.write_text(json.dumps(models.to_json(), indent=1) + "\n")
    log.info("wrote %s", path)
    return models
