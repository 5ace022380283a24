"""Ranking with learned weights, and a calibrated verdict on whether the article answers.

Two small linear models, fitted offline on the shared SQuAD half-dev file with
article-level cross-validation (``python -m training.ranker``) and shipped
as numbers in ``models/ranker.json``; nothing is trained at run time:

* the **ranker** scores each candidate sentence from its evidence
  (retrieval/features.py); scores become probabilities with a softmax over
  the candidates (fitted as such: a listwise logistic model);
* the **abstainer** turns question-level evidence (how much of the question
  the article holds at all, the best similarity and interaction any candidate
  reaches) into the probability that the article answers. Below the shipped
  threshold, the answer says the article doesn't say; because it is a
  probability, it also compares answers from different articles.

Each has a words-only twin, used when the index has no vectors.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.analysis import analyze
from retrieval.article import Sentence
from retrieval.cues import CUE_NAMES
from retrieval.features import CANDIDATES, MEANING_FEATURES, Evidence, gather
from retrieval.index import ArticleIndex
from retrieval.language import (
    QUESTION_CONFIDENCE,
    UNDETERMINED,
    question_language,
    script,
)
from retrieval.linear_models import LinearModel, regime, sigmoid
from retrieval.multilingual import MeaningVectors, multilingual_available

MODELS_PATH = Path(__file__).resolve().parent / "models" / "ranker.json"
#: The modes that read with the multilingual model (``python -m training.multilingual``).
MULTILINGUAL_PATH = Path(__file__).resolve().parent / "models" / "multilingual.json"
MODES = ("semantic", "lexical", "multilingual", "crosslingual")

ABSTAIN_LEXICAL = (
    "article_coverage",
    "subject_terms",
    "best_coverage",
    "best_coverage_window",
    "best_coverage_sentence",
    "best_bm25_of_question",
    "best_bigrams",
)
ABSTAIN_SEMANTIC = (
    "article_overlap",
    "missing_rarity",
    "best_overlap",
    "best_similarity",
    "best_similarity_passage",
    "best_interaction",
    "best_interaction_all",
    "best_interaction_window",
    "best_presence",
)
ABSTAIN_MEANING = ("best_meaning", "best_meaning_paragraph", "meaning_lift", "best_meaning_z")
#: Across languages a question and its answer read less alike than within one. Fitted on
#: questions we translated (training/crosslingual_questions.json), that abstainer weighs
#: how alike they read as well as how far the best sentence stands out: weighing only
#: the latter (all that English questions could teach it) declined 22 % of off-topic
#: questions to whole training articles, against 71 % (docs/retrieval.md).
ABSTAIN_ACROSS = (*ABSTAIN_MEANING, "other_script")
#: What a question in one language about an article in another can be judged by: the
#: multilingual model's evidence, where a sentence stands, and the question-type cues
#: (an English "how much" still wants the sentence with digits and a currency), never
#: shared words.
CROSSLINGUAL_FEATURES = (
    "position",
    "lead",
    "opens_paragraph",
    "needs_context",
    "length",
    *CUE_NAMES,
    *MEANING_FEATURES,
)
#: How alike an English article's sentences read to each other by the multilingual model
#: (``MeaningVectors.cohesion``), by its length: base + per_root / sqrt(sentences), fitted
#: on 36 SQuAD training articles and 501 of their paragraphs (what ``python -m
#: training.multilingual`` reads by default, and prints this fit of); 0.809 for 25
#: sentences, 0.798 for 170.
ENGLISH_COHESION = (0.7905, 0.091)
#: The abstainer's nearness features, read in English's band (``english_band``); the
#: lift, a difference of two, is only stretched.
_NEARNESS = frozenset({"best_meaning", "best_meaning_paragraph"})
#: Evidence columns whose best value over the candidates an abstention feature takes.
_BEST_OF = {
    "best_coverage": "coverage_paragraph",
    "best_coverage_window": "coverage_window",
    "best_coverage_sentence": "coverage",
    "best_bm25_of_question": "bm25_of_question",
    "best_bigrams": "bigrams",
    "best_similarity": "similarity",
    "best_similarity_passage": "similarity_passage",
    "best_interaction": "interaction",
    "best_interaction_all": "interaction_all",
    "best_interaction_window": "interaction_window",
    "best_presence": "presence",
    "best_overlap": "overlap_prior",
    "best_meaning": "meaning",
    "best_meaning_paragraph": "meaning_paragraph",
    "meaning_lift": "meaning_lift",
    "best_meaning_z": "meaning_z",
}


@dataclass(frozen=True, eq=False)
class Models:
    """The ranker for each mode ("semantic", "lexical"), and an abstainer per mode and size.

    Abstention has two regimes. In a long article the best candidates are the
    few sentences on the question's subject; in a short one every sentence is
    on the story's subject, so the same evidence means less and a question the
    story does not answer still shares its words. One threshold cannot serve
    both (fitted on whole articles, it declined 5 % of answerable questions
    asked of single SQuAD paragraphs), so articles of at most
    ``SHORT_ARTICLE`` sentences have their own abstainer and threshold.
    """

    rankers: dict[str, LinearModel]
    abstainers: dict[str, LinearModel]  #: keyed by ``regime()``
    thresholds: dict[str, float]  #: P(answers) below which an answer abstains, by ``regime()``

    def to_json(self) -> dict[str, Any]:
        return {
            mode: {
                "ranker": self.rankers[mode].to_json(),
                "abstainer": self.abstainers[mode].to_json(),
                "threshold": round(self.thresholds[mode], 6),
                "short": {
                    "abstainer": self.abstainers[regime(mode, short=True)].to_json(),
                    "threshold": round(self.thresholds[regime(mode, short=True)], 6),
                },
            }
            for mode in self.rankers
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Models:
        modes = [m for m in MODES if m in data]
        abstainers, thresholds = {}, {}
        for m in modes:
            for short, part in ((False, data[m]), (True, data[m]["short"])):
                abstainers[regime(m, short=short)] = LinearModel.from_json(part["abstainer"])
                thresholds[regime(m, short=short)] = float(part["threshold"])
        return cls(
            {m: LinearModel.from_json(data[m]["ranker"]) for m in modes}, abstainers, thresholds
        )


#: Articles of at most this many sentences are "short": every sentence is a candidate.
SHORT_ARTICLE = CANDIDATES


@cache
def shipped_models() -> Models:
    data = json.loads(MODELS_PATH.read_text(encoding="utf-8"))["models"]
    if MULTILINGUAL_PATH.is_file():
        data |= json.loads(MULTILINGUAL_PATH.read_text(encoding="utf-8"))["models"]
    return Models.from_json(data)


@dataclass(frozen=True)
class Ranked:
    """A sentence with its score for one question, and how much of the question it covers."""

    sentence: Sentence
    score: float  #: the ranker's probability that it is the answer (0 outside the candidates)
    coverage: float  #: IDF-weighted share of the question's subject in its paragraph, 0..1


@dataclass(frozen=True)
class Ranking:
    ranked: list[Ranked]  #: every sentence, best first
    confidence: float  #: probability that the article answers the question
    threshold: float  #: the confidence below which an answer abstains
    mode: str  #: "semantic" or "lexical"
    #: The reader's answer phrase in each sentence it read: number -> character span.
    phrases: dict[int, tuple[int, int]] = field(default_factory=dict)
    #: The reader's logit for each sentence it read: number -> logit (a library question
    #: hands its glance at the winner on, so those sentences are not read twice).
    logits: dict[int, float] = field(default_factory=dict)
    short: bool = False  #: the article is short enough for the short-article abstainer

    @property
    def answers(self) -> bool:
        return self.confidence >= self.threshold


def rank(
    index: ArticleIndex,
    question: str,
    terms: list[str] | None = None,
    *,
    embed: bool = True,
    models: Models | None = None,
    mode: str | None = None,
) -> Ranking:
    """Every sentence ranked for ``question``; with ``embed=False`` only stored vectors are used.
    ``mode="multilingual"`` reads an English article as one in another language is read
    (training fits the multilingual reader's fusion so: training/fit.py)."""
    if terms is None:
        terms = analyze(question, index.article.language)
    models = models or shipped_models()
    if mode == "multilingual":
        meaning = index.meaning(embed=embed)
        if meaning is None:
            raise ValueError("the multilingual mode needs the article's multilingual vectors")
    else:
        mode, meaning = _mode(index, question, terms, embed=embed, models=models)
    semantic = mode != "lexical"
    evidence = gather(index, question, terms, semantic=semantic, meaning=meaning)
    scores = models.rankers[mode].score(evidence.rows, evidence.names)
    probabilities = np.exp(scores - scores.max())
    probabilities /= probabilities.sum()
    order = np.argsort(-probabilities, kind="stable")
    sentences = index.article.sentences
    ranked = [
        Ranked(sentences[evidence.candidates[j]], float(probabilities[j]), evidence.coverage[j])
        for j in order
    ]
    chosen = set(evidence.candidates.tolist())
    rest = [i for i in np.argsort(-evidence.first_pass, kind="stable") if i not in chosen]
    ranked += [Ranked(sentences[i], 0.0, 0.0) for i in rest]
    names, row = abstention_features(evidence, mode)
    short = len(sentences) <= SHORT_ARTICLE
    key = regime(mode, short=short)
    abstainer = models.abstainers[key]
    confidence = float(sigmoid(abstainer.score(row[None, :], names))[0])
    if not terms and not semantic:
        confidence = 0.0  # nothing to match a word with
    return Ranking(ranked, confidence, models.thresholds[key], mode, short=short)


def _mode(
    index: ArticleIndex, question: str, terms: list[str], *, embed: bool, models: Models
) -> tuple[str, MeaningVectors | None]:
    """How this question is read, and the multilingual vectors when that mode needs them.

    English questions about English articles read as ever ("semantic", or
    "lexical" without vectors). Any other article, or a question in another
    language than its article, reads with the multilingual model: "multilingual"
    when both are in one language, "crosslingual" when not (shared words then say
    nothing, so that mode weighs meaning alone). Without that model (or its
    vectors, when ``embed`` is off), words alone.
    """
    language = index.article.language
    across = _asked_across(index, question, terms)
    if language == "en" and not across:
        return ("semantic" if index.semantic and (embed or index.has_vectors) else "lexical"), None
    mode = "crosslingual" if across else "multilingual"
    if mode not in models.rankers or not index.semantic or not multilingual_available():
        return "lexical", None
    meaning = index.meaning(embed=embed)
    return (mode, meaning) if meaning is not None else ("lexical", None)


#: A question in another language than its article still counts as in the article's when
#: the article holds this share of its words (a name-heavy English question that the
#: detector calls Portuguese is still English).
_SHARED_WORDS = 0.5


def _asked_across(index: ArticleIndex, question: str, terms: list[str]) -> bool:
    """Whether the question is in another language than the article: in another script,
    or in one the detector is sure of, and sharing few of the article's words. A
    question in the article's script that the detector is not sure of is in the
    article's language (a Hindi question it names Nepali at 0.4)."""
    asked_in, probability = question_language(question)
    if asked_in in (UNDETERMINED, index.article.language):
        return False
    if probability < QUESTION_CONFIDENCE and script(question) == script(index.article.text):
        return False
    held = sum(term in index.article_terms for term in set(terms))
    return held < _SHARED_WORDS * len(set(terms))


def abstention_names(mode: str) -> tuple[str, ...]:
    """The question-level evidence the abstainer of ``mode`` weighs, in order."""
    if mode == "crosslingual":
        return ABSTAIN_ACROSS
    if mode == "multilingual":
        return ABSTAIN_LEXICAL + ABSTAIN_MEANING
    return ABSTAIN_LEXICAL + (ABSTAIN_SEMANTIC if mode == "semantic" else ())


def evidence_mode(evidence: Evidence) -> str:
    """Which mode's columns ``evidence`` holds ("multilingual" also serves "crosslingual")."""
    if "meaning" in evidence.names:
        return "multilingual"
    return "semantic" if "similarity" in evidence.names else "lexical"


def abstention_features(
    evidence: Evidence, mode: str | None = None
) -> tuple[tuple[str, ...], np.ndarray]:
    """Question-level evidence: the best any candidate reaches, and the article's coverage."""
    mode = mode or evidence_mode(evidence)
    names = abstention_names(mode)
    # Within one language the band is the article's, read in English's; across two, the
    # abstainer learned the pairs' nearness from translated questions, taken as it is.
    english, stretch = (
        english_band(evidence) if mode == "multilingual" else (evidence.meaning_cohesion, 1.0)
    )
    values = []
    for name in names:
        if name == "article_coverage":
            values.append(evidence.article_coverage)
        elif name == "subject_terms":
            values.append(float(np.log1p(evidence.subject_terms)))
        elif name == "article_overlap":
            values.append(evidence.article_overlap)
        elif name == "missing_rarity":
            values.append(evidence.missing_rarity)
        elif name == "other_script":
            values.append(float(evidence.other_script))
        else:
            best = float(evidence.column(_BEST_OF[name]).max())
            if name in _NEARNESS:
                best = english + (best - evidence.meaning_cohesion) * stretch
            elif name == "meaning_lift":
                best *= stretch
            values.append(best)
    return names, np.array(values)


def english_band(evidence: Evidence) -> tuple[float, float]:
    """Where an English article of this length would have the article's own sentences
    read to each other, and how much wider its band up to identical would be: the
    multilingual abstainer's nearness ``x`` is read as ``english + (x - cohesion) *
    stretch``.

    The model reads some languages closer together, and in a narrower band, than
    English, on which the abstainer was fitted: asked of a whole XQuAD article
    it does not answer, a question's nearest sentence sits at 0.767 in English,
    0.793 in Spanish and 0.835 in Chinese, and an answerable one's at 0.877,
    0.892 and 0.915. Taken as it was, that nearness let 13.5 % of off-topic
    Chinese questions through. The articles' own sentences read closer by about
    as much (0.800, 0.830, 0.871), so the band between how alike they read and
    identical is mapped onto English's (for those articles: off-topic 0.767,
    0.767, 0.756; answerable 0.877, 0.879, 0.874). An article that reads no
    closer than English is left as it is: a loosely written one must not pass
    off-topic questions.
    """
    cohesion, sentences = evidence.meaning_cohesion, len(evidence.first_pass)
    if sentences < 2:
        return cohesion, 1.0  # no pair of sentences to measure the band by
    base, per_root = ENGLISH_COHESION
    english = base + per_root / math.sqrt(sentences)
    if cohesion <= english:
        return cohesion, 1.0
    return english, (1.0 - english) / max(1.0 - cohesion, 1e-3)
