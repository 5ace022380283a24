"""Composing an extractive answer: the article's own sentences, each cited.

The first pass (retrieval/ranking.py) chooses candidate sentences, the reader
re-orders the best of them (retrieval/reader_fusion.py), its best sentence
is the answer, and a runner-up joins it when it is almost as likely. Sentences are
quoted whole, so an attribution clause ("..., the administration officials
said") always stays with its words, and a sentence that cannot stand alone
brings the neighbour it needs (retrieval/context.py).

The answer abstains when the probability that the article answers is below
its threshold; the reader's abstainer and threshold were fitted on SQuAD
training questions asked of their own article and of others (``python -m
training fit``). The bold phrase is the reader's answer span, for the kinds
of question where it was measured right at least 80 % of the time.
"""

from __future__ import annotations

from dataclasses import dataclass

from retrieval.analysis import analyze
from retrieval.answer_types import AnswerType, answer_type
from retrieval.citations import Citation, quoted
from retrieval.context import context_for
from retrieval.errors import QuestionError
from retrieval.highlight import Highlight, with_qualifier
from retrieval.index import ArticleIndex
from retrieval.ranking import Models, Ranked, Ranking, rank
from retrieval.reader_fusion import reread, shipped_reader_models

#: Coverage at or above which an abstaining answer still offers the closest sentence.
CLOSEST_FROM = 0.125
#: A runner-up joins the answer when the ranker finds it this likely relative to the best.
RUNNER_UP_RATIO = 0.9
#: Longest question accepted, in characters (Telegram's message limit).
MAX_QUESTION_CHARS = 4096
#: A quote whose best sentence the ranker gives less than this probability of holding the
#: answer is a near miss: renderers say it is the closest the article comes
#: (``python -m benchmarks.squad_quality`` reports how often each kind is right).
NEAR_MISS_BELOW = 0.5
#: Citations always listed, so tools can score rankings even when abstaining.
MIN_RANKED = 3


@dataclass(frozen=True)
class Answer:
    """What the article says about a question, or that it does not say."""

    question: str
    abstained: bool
    quoted: tuple[Citation, ...]  #: sentences the answer quotes, in article order
    ranked: tuple[Citation, ...]  #: best sentences, best first (at least MIN_RANKED)
    coverage: float  #: share of the question the best sentence's paragraph covers
    confidence: float = 0.0  #: the abstainer's probability that the article answers
    highlight: Highlight | None = None  #: the phrase of the best sentence that answers

    @property
    def text(self) -> str:
        """Plain text: quoted sentences each followed by its ``[n]`` marker; empty when the
        answer abstains (each renderer says so in its own words)."""
        return "" if self.abstained else quoted(self.quoted)

    @property
    def near_miss(self) -> bool:
        """Answered, but its best sentence is less likely than not to hold the answer."""
        return not self.abstained and bool(self.ranked) and self.ranked[0].score < NEAR_MISS_BELOW

    @property
    def closest(self) -> Citation | None:
        """The nearest sentence when abstaining, offered only when it is close."""
        if self.abstained and self.ranked and self.coverage >= CLOSEST_FROM:
            return self.ranked[0]
        return None


def answer(
    index: ArticleIndex,
    question: str,
    *,
    ranked: int = MIN_RANKED,
    embed: bool = True,
    models: Models | None = None,
    read: bool = True,
) -> Answer:
    """Answer ``question`` from the indexed article; raises ``QuestionError`` for bad input.

    ``embed=False`` never computes the article's vectors: it uses them when the
    index has them and answers on words alone otherwise (a library question
    must not wait for a cold article to be embedded). ``models`` replaces the
    first pass's shipped weights (cross-validation does); ``read=False`` answers
    from the first pass alone (benchmarks compare the two).
    """
    question = check_question(question)
    terms = analyze(question, index.article.language)
    ranking = ranked_for(index, question, terms, embed=embed, models=models, read=read)
    return compose(index, question, terms, ranking, ranked=ranked)


def compose(
    index: ArticleIndex,
    question: str,
    terms: list[str],
    ranking: Ranking,
    *,
    ranked: int = MIN_RANKED,
) -> Answer:
    """The answer a ranking of ``index``'s sentences gives (``answer`` without the ranking)."""
    best = ranking.ranked[0]
    top = tuple(_cite(r) for r in ranking.ranked[: max(ranked, MIN_RANKED)])
    if not terms or not ranking.answers:
        return Answer(question, True, (), top, best.coverage if terms else 0.0, ranking.confidence)
    chosen = [best]
    if len(ranking.ranked) > 1 and ranking.ranked[1].score >= RUNNER_UP_RATIO * best.score:
        chosen.append(ranking.ranked[1])
    by_number = {r.sentence.number: r for r in ranking.ranked}
    numbers = {r.sentence.number for r in chosen}
    for r in chosen:
        numbers.update(extra.number for extra in context_for(index.article, r.sentence))
    quoted = tuple(_cite(by_number[n]) for n in sorted(numbers))
    highlight = _highlight(question, ranking, best)
    return Answer(question, False, quoted, top, best.coverage, ranking.confidence, highlight)


def ranked_for(
    index: ArticleIndex,
    question: str,
    terms: list[str] | None = None,
    *,
    embed: bool = True,
    models: Models | None = None,
    read: bool = True,
) -> Ranking:
    """The first pass over every sentence, its best re-ordered by the reader when ``read``."""
    ranking = rank(index, question, terms, embed=embed, models=models)
    return reread(index.article, question, ranking) if read else ranking


def _highlight(question: str, ranking: Ranking, best: Ranked) -> Highlight | None:
    """The answer phrase, for the kinds of question whose phrases were measured right
    often enough to bold (retrieval/reader_fusion.py)."""
    kind = answer_type(question)
    if kind not in shipped_reader_models().bolded:
        return None
    span = answer_phrase(ranking, best, kind)
    return None if span is None else Highlight(best.sentence.number, *span, kind)


def answer_phrase(
    ranking: Ranking, best: Ranked, kind: AnswerType | None
) -> tuple[int, int] | None:
    """The reader's answer phrase in the best sentence (character span), an amount's
    qualifier included, whatever the kind of question (benchmarks measure every kind).

    A near miss has none: it is quoted as the closest the article comes, and a
    bold phrase inside it would claim to be the answer."""
    span = ranking.phrases.get(best.sentence.number)
    if span is None or best.score < NEAR_MISS_BELOW:
        return None
    if kind is AnswerType.NUMBER:
        return with_qualifier(best.sentence.text, *span)
    return span


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
    """The ``k`` best sentences with the ranker's probabilities, best first."""
    question = check_question(question)
    return [_cite(r) for r in ranked_for(index, question).ranked[:k]]


def _cite(ranked: Ranked) -> Citation:
    s = ranked.sentence
    return Citation(sentence=s.number, paragraph=s.paragraph, text=s.text, score=ranked.score)
