"""Answering across many articles: pick candidate articles, answer in each, keep the best.

Candidate articles come from the one article-level BM25 (``term_index.py``):
a chat's library in the database keeps one for all chats; ``ArticleShelf``
here builds one for a folder's articles. Citations then name the article as
well as the sentence (``[2:13]``).

Each candidate gets the first pass a single article gets (retrieval/ranking.py),
with its vectors when it has them, and the reader reads its best few
sentences (retrieval/reader_fusion.py). The winner is the article whose
answer the abstainer trusts most: its probability that the article answers
is calibrated, so it compares articles where raw scores would not. A caller
that must not wait for a cold article (the bot's library) passes
``embed=False``: articles without stored vectors are then ranked on words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from retrieval.analysis import analyze, question_terms
from retrieval.answers import MIN_RANKED, Answer, check_question, compose
from retrieval.article import article_paths, load_article
from retrieval.errors import ArticleError
from retrieval.index import ArticleIndex
from retrieval.language import UNDETERMINED, detect_question
from retrieval.multilingual import closeness, multilingual_available
from retrieval.ranking import Models, Ranking, rank
from retrieval.reader_fusion import reread, reread_many
from retrieval.term_index import TermIndex

#: Candidate articles answered in full for each question.
CANDIDATES = 5
#: Articles in another language than the question, which its words cannot find, added
#: to the candidates by meaning (the multilingual model's nearest sentence).
ACROSS_LANGUAGES = 2
#: How sure an English article read for a question in another language must be to answer
#: when more than one was: an off-topic question then has several chances to pass, and
#: meets the nearest article. Fitted by ``python -m training.library_threshold``
#: (libraries of English training articles, questions we translated), and applied only in
#: that direction: an English question put to articles in other languages reads them
#: less alike than any training pair, and at this threshold 52 % of answerable English
#: questions to a library of Chinese articles were declined (docs/retrieval.md).
CROSSLINGUAL_LIBRARY_THRESHOLD = 0.4566
#: Sentences of each candidate article the reader reads to choose the article: its first
#: pass's best. Reading 3 chose the right article a little more often (98.7 % against
#: 98.1 % on benchmarks.library_quality; top-1 0.852 against 0.850) at 136 ms against
#: 86 ms p50 in a 10,000-article library.
READ_ACROSS = 1
_ONE_SHELF = 0  #: the term index's "chat" for a folder's articles


@dataclass(frozen=True)
class Shelved:
    """An indexed article and the key a citation names it by (its library number)."""

    key: int
    index: ArticleIndex


@dataclass(frozen=True)
class CollectionAnswer:
    """The best article's answer, plus runner-up sentences from other candidates."""

    question: str
    best: Shelved | None  #: None when no candidate article exists
    answer: Answer | None
    ranked: tuple[tuple[Shelved, Answer], ...]  #: every candidate's answer, best first

    @property
    def abstained(self) -> bool:
        return self.answer is None or self.answer.abstained


def answer_across(
    question: str,
    candidates: Sequence[Shelved],
    *,
    embed: bool = True,
    models: Models | None = None,
    across_threshold: float = CROSSLINGUAL_LIBRARY_THRESHOLD,
) -> CollectionAnswer:
    """Answer from each candidate article; the one most likely to answer wins.

    The reader reads each candidate's first ``READ_ACROSS`` sentence in one
    call, which is enough to tell which article answers; the winner is then
    read on as a single article's would be (what the glance read is not read
    again), so its answer is the one it gives alone. When more than one English
    candidate is read for a question in another language, each must reach
    ``across_threshold``.
    """
    question = check_question(question)
    terms = {language: analyze(question, language) for language in _languages(candidates)}
    first = [
        rank(s.index, question, terms[s.index.article.language], embed=embed, models=models)
        for s in candidates
    ]
    stricter = [
        r.mode == "crosslingual" and s.index.article.language == "en"
        for s, r in zip(candidates, first, strict=True)
    ]
    if sum(stricter) > 1:
        first = [
            replace(r, threshold=max(r.threshold, across_threshold)) if strict else r
            for r, strict in zip(first, stricter, strict=True)
        ]
    if not candidates:
        return CollectionAnswer(question, None, None, ())
    articles = [s.index.article for s in candidates]
    glances = reread_many(question, list(zip(articles, first, strict=True)), depth=READ_ACROSS)
    near = [_nearness(question, s.index, r) for s, r in zip(candidates, first, strict=True)]
    winner = max(range(len(candidates)), key=lambda i: _strength(glances[i], near[i]))
    glances[winner] = reread(articles[winner], question, first[winner], known=glances[winner])
    answers = []
    for shelved, ranking, nearness in zip(candidates, glances, near, strict=True):
        composed = compose(shelved.index, question, terms[shelved.index.article.language], ranking)
        answers.append((_strength_of(composed, ranking, nearness), shelved, composed))
    answers.sort(key=lambda triple: triple[0], reverse=True)
    _, best, best_answer = answers[0]
    return CollectionAnswer(question, best, best_answer, tuple((s, a) for _, s, a in answers))


def across_languages(
    question: str, articles: Sequence[Shelved], *, embed: bool = True
) -> list[Shelved]:
    """Of ``articles``, the ``ACROSS_LANGUAGES`` not in the question's language whose
    nearest sentence is nearest the question's meaning: those its words cannot find.
    English articles count only for a question surely in another language (a short
    English question full of names may read as another language, and reading English
    articles with the multilingual model is costly). ``embed=False``: only articles whose
    multilingual vectors are known (a library stores them for English articles only in
    chats that ask in other languages: library/articles.py ``read_across``)."""
    if not multilingual_available():
        return []
    language, sure = detect_question(question)
    english_too = sure and language not in ("en", UNDETERMINED)
    near = []
    for shelved in articles:
        written_in = shelved.index.article.language
        if written_in == language or (written_in == "en" and not english_too):
            continue
        meaning = shelved.index.meaning(embed=embed)
        if meaning is not None:
            near.append((closeness(question, meaning), shelved.key, shelved))
    near.sort(key=lambda found: found[:2], reverse=True)
    return [shelved for _, _, shelved in near[:ACROSS_LANGUAGES]]


def _strength(ranking: Ranking, nearness: float) -> tuple[bool, bool, float]:
    """Answering first; then an article in the question's own language (the reader, and
    the abstainers fitted on one language, vouch for it better than the cross-language
    one's, which lets a third of off-topic questions through); then confidence, or,
    between articles read across languages, ``_nearness``."""
    across = ranking.mode == "crosslingual"
    return (ranking.answers, not across, nearness if across else ranking.confidence)


def _strength_of(result: Answer, ranking: Ranking, nearness: float) -> tuple[bool, bool, float]:
    across = ranking.mode == "crosslingual"
    return (not result.abstained, not across, nearness if across else result.confidence)


def _nearness(question: str, index: ArticleIndex, ranking: Ranking) -> float:
    """How near the article's nearest sentence comes to the question's meaning, for an
    article read across languages. Of XQuAD's questions in four languages put to a
    library of 13 English articles, the cross-language abstainer's confidence (when it
    weighed only how far the best sentence stands out in its own article) chose the
    question's own article for 69-84 %, nearness for 83-95 %
    (benchmarks/library_languages.py; nothing is fitted on it)."""
    if ranking.mode != "crosslingual":
        return 0.0
    meaning = index.meaning(embed=False)
    return closeness(question, meaning) if meaning is not None else -1.0


class ArticleShelf:
    """A few in-memory articles with BM25 over whole articles to choose candidates."""

    def __init__(self, shelved: Sequence[Shelved]) -> None:
        self.shelved = list(shelved)
        self._terms = TermIndex.build(
            [
                (
                    position,
                    _ONE_SHELF,
                    " ".join(t for terms in s.index.sentence_terms for t in terms),
                )
                for position, s in enumerate(self.shelved)
            ]
        )

    def candidates(self, question: str, limit: int = CANDIDATES) -> list[Shelved]:
        if len(self.shelved) <= limit:
            return list(self.shelved)
        found = self._terms.search((_ONE_SHELF,), question_terms(question), limit)
        # Nothing matches at all: the first articles, so tools still get citations.
        chosen = [self.shelved[i] for i in found] or self.shelved[:limit]
        others = [s for s in self.shelved if s not in chosen]
        return chosen + across_languages(question, others)

    def answer(self, question: str) -> CollectionAnswer:
        return answer_across(question, self.candidates(question))


def load_shelf(folder: Path) -> ArticleShelf:
    """Every ``.txt``/``.md`` article in ``folder``, numbered 1, 2, ... in file-name order."""
    paths = article_paths(folder)
    if not paths:
        raise ArticleError(f"{folder}: holds no .txt or .md article")
    return ArticleShelf(
        [Shelved(key, ArticleIndex(load_article(path))) for key, path in enumerate(paths, 1)]
    )


__all__ = [
    "ACROSS_LANGUAGES",
    "MIN_RANKED",
    "ArticleShelf",
    "CollectionAnswer",
    "Shelved",
    "across_languages",
    "answer_across",
    "load_shelf",
]


def _languages(candidates: Sequence[Shelved]) -> set[str]:
    return {s.index.article.language for s in candidates}
