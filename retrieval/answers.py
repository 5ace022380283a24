"""Composing an extractive answer: the article's own sentences, each cited.

The best-ranked sentence is the answer. Sentences are quoted whole, so an
attribution clause ("..., the administration officials said") always stays
with its words. A sentence that cannot stand alone brings its neighbour:
one that opens with a pronoun or a back-reference ("It", "They", "The move")
brings the sentence before it, and a quotation without its speaker brings the
sentence in the same paragraph that names the speaker.

The answer abstains when the question's terms are mostly absent from the best
sentence's paragraph (``coverage`` below ``ABSTAIN_BELOW``) and no candidate
sentence is close to it in meaning either (cosine similarity below
``MEANING_OVERRIDES_AT``, retrieval/semantic.py). Both thresholds were chosen
on SQuAD questions asked of their own article and of the other articles
(off-topic); ``python -m benchmarks.squad_quality --sweep`` prints the
trade-off. The meaning check cut wrongful abstentions from 2.2 % to 0.3 % of
answerable questions while still declining 82 % of off-topic ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.analysis import analyze
from retrieval.article import Article, Sentence
from retrieval.errors import QuestionError
from retrieval.index import ArticleIndex, Ranked

#: Coverage below which the article is taken not to answer the question.
ABSTAIN_BELOW = 0.25
#: Similarity in meaning to a candidate sentence at which a low-coverage question is answered.
MEANING_OVERRIDES_AT = 0.5
#: A runner-up joins the answer when it scores this close to the best sentence.
RUNNER_UP_RATIO = 0.9
#: Longest question accepted, in characters (Telegram's message limit).
MAX_QUESTION_CHARS = 4096
#: Citations always listed, so tools can score rankings even when abstaining.
MIN_RANKED = 3

_BACK_REFERENCE = re.compile(
    r"^(?:It|Its|They|Their|Them|He|His|She|Her|This|That|These|Those|Such|There|"
    r"But|And|Yet|Still|However|Meanwhile|Instead|Also|Then|Since then|"
    r"The (?:move|decision|deal|plan|step|announcement|statement|report|comments|remarks|"
    r"official|officials|agency|group|company|pair|two|latter|former))\b"
)
_OPENING_QUOTE = re.compile(r"^[\"\u201c]")
_ATTRIBUTION = re.compile(
    r"\b(?:said|says|told|added|stated|wrote|noted|asked|explained|according to|"
    r"announced|declared|tweeted|posted)\b",
    re.I,
)


@dataclass(frozen=True)
class Citation:
    """A quoted sentence and where it is: ``[sentence]`` in the article, its paragraph."""

    sentence: int
    paragraph: int
    text: str
    score: float


@dataclass(frozen=True)
class Answer:
    """What the article says about a question, or that it does not say."""

    question: str
    abstained: bool
    quoted: tuple[Citation, ...]  #: sentences the answer quotes, in article order
    ranked: tuple[Citation, ...]  #: best sentences, best first (at least MIN_RANKED)
    coverage: float  #: share of the question the best sentence's paragraph covers

    @property
    def text(self) -> str:
        """Plain text: quoted sentences each followed by its ``[n]`` marker."""
        if self.abstained:
            return "The article doesn't say."
        return " ".join(f"{c.text} [{c.sentence}]" for c in self.quoted)

    @property
    def closest(self) -> Citation | None:
        """The nearest sentence when abstaining, offered only when it is close."""
        if self.abstained and self.ranked and self.coverage >= ABSTAIN_BELOW / 2:
            return self.ranked[0]
        return None


def answer(
    index: ArticleIndex, question: str, *, ranked: int = MIN_RANKED, rerank: bool = True
) -> Answer:
    """Answer ``question`` from the indexed article; raises ``QuestionError`` for bad input.

    ``rerank=False`` answers on words alone and never asks the embedding
    model; the model is asked only when BM25 leaves doubt (a close runner-up,
    or too little of the question covered to answer on words alone).
    """
    question = check_question(question)
    terms = analyze(question)
    ranking = index.rank(question, terms)
    coverage = ranking[0].coverage
    if not terms or _abstains(index, question, ranking, rerank=rerank):
        top = tuple(_cite(r) for r in ranking[: max(ranked, MIN_RANKED)])
        return Answer(question, True, (), top, coverage if terms else 0.0)
    if rerank:
        ranking = index.rerank(question, ranking)
    top = tuple(_cite(r) for r in ranking[: max(ranked, MIN_RANKED)])
    best = ranking[0]
    chosen = [best]
    if len(ranking) > 1 and ranking[1].score >= RUNNER_UP_RATIO * best.score:
        chosen.append(ranking[1])
    by_number = {r.sentence.number: r for r in ranking}
    numbers = {r.sentence.number for r in chosen}
    for r in chosen:
        numbers.update(extra.number for extra in _context_for(index.article, r.sentence))
    quoted = tuple(_cite(by_number[n]) for n in sorted(numbers))
    return Answer(question, False, quoted, top, coverage)


def _abstains(index: ArticleIndex, question: str, ranking: list[Ranked], *, rerank: bool) -> bool:
    """Whether the article does not answer: no words in common, or too few and
    (when the model may be asked) no sentence close in meaning either."""
    best = ranking[0]
    if best.score <= 0.0:
        return True
    if best.coverage >= ABSTAIN_BELOW:
        return False
    return not (rerank and index.closest_meaning(question, ranking) >= MEANING_OVERRIDES_AT)


def check_question(question: str) -> str:
    """Strip ``question``; refuse empty or over-long text with a message for the asker."""
    stripped = question.strip()
    if not stripped:
        raise QuestionError("the question is empty; ask something about the article")
    if len(stripped) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"the question is {len(stripped):,} characters long; "
            f"please keep it under {MAX_QUESTION_CHARS:,}"
        )
    return stripped


def search(index: ArticleIndex, question: str, k: int = 5) -> list[Citation]:
    """The ``k`` best sentences with their scores, best first."""
    question = check_question(question)
    return [_cite(r) for r in index.rerank(question, index.rank(question))[:k]]


def stands_alone(sentence: Sentence) -> bool:
    """False when a reader needs the sentence's neighbour to know who or what it means."""
    text = sentence.text
    if _BACK_REFERENCE.match(text.lstrip('"\u201c')):
        return False
    return not (_OPENING_QUOTE.match(text) and not _ATTRIBUTION.search(text))


def _context_for(article: Article, sentence: Sentence) -> list[Sentence]:
    """Neighbours that make ``sentence`` understandable on its own.

    News paragraphs are often a single sentence, so a back-reference usually
    points into the previous paragraph: neighbours are taken across paragraphs.
    """
    if stands_alone(sentence):
        return []
    count = len(article.sentences)
    previous = article.sentence(sentence.number - 1) if sentence.number > 1 else None
    following = article.sentence(sentence.number + 1) if sentence.number < count else None
    if _OPENING_QUOTE.match(sentence.text) and not _ATTRIBUTION.search(sentence.text):
        # The speaker is named after the quotation more often than before it.
        for neighbour in (following, previous):
            if neighbour is not None and _ATTRIBUTION.search(neighbour.text):
                return [neighbour]
        return []
    return [previous] if previous is not None else []


def _cite(ranked: Ranked) -> Citation:
    s = ranked.sentence
    return Citation(sentence=s.number, paragraph=s.paragraph, text=s.text, score=ranked.score)
