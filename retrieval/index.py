"""Ranking an article's sentences for a question.

A sentence's score is its own BM25 score plus half the BM25 score of its
paragraph, plus a bonus when it offers the kind of answer the question asks
for. Why each part:

* Sentence BM25 (k1=0.9, b=0.3): sentences are short, so term frequency
  saturates early and length matters less than in whole documents.
* Paragraph BM25: a reader's question often borrows words from the sentences
  around the answer (the subject named one sentence earlier, the event in the
  paragraph's first line). Without it, top-3 on SQuAD drops by about 3 points.
* Answer type (retrieval/answer_types.py), checked only among the best
  candidates and worth a fraction of the best score, so it breaks near-ties
  but never lifts an unrelated sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from retrieval.analysis import analyze
from retrieval.answer_types import answer_type, offers_answer
from retrieval.article import Article, Sentence
from retrieval.bm25 import BM25Scorer

PARAGRAPH_WEIGHT = 0.5
PARAGRAPH_K1 = 1.2
PARAGRAPH_B = 0.75
ANSWER_TYPE_BONUS = 0.2  #: fraction of the best score
ANSWER_TYPE_CANDIDATES = 20

#: Words questions use to ask rather than to name a subject ("how *many*",
#: "what is it *called*"). They still count in ranking, but not in coverage:
#: an article rarely repeats them, and they say nothing about being on topic.
QUESTION_FRAME_TERMS = frozenset(
    analyze(
        "many much long name named called call kind type sort happen happened "
        "reason mean means describe example exactly tell know"
    )
)


@dataclass(frozen=True)
class Ranked:
    """A sentence with its score for one question, and how much of the question it covers."""

    sentence: Sentence
    score: float
    coverage: float  #: IDF-weighted share of the question's terms in its paragraph, 0..1


class ArticleIndex:
    """Everything needed to rank one article's sentences; build once, query many times."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.sentence_terms = [analyze(s.text) for s in article.sentences]
        self._sentences = BM25Scorer(self.sentence_terms)
        paragraphs: list[list[str]] = [[] for _ in article.paragraph_spans]
        for sentence, terms in zip(article.sentences, self.sentence_terms, strict=True):
            paragraphs[sentence.paragraph - 1].extend(terms)
        self._paragraph_terms = [frozenset(terms) for terms in paragraphs]
        self._paragraphs = BM25Scorer(paragraphs, k1=PARAGRAPH_K1, b=PARAGRAPH_B)
        self._paragraph_of = np.array([s.paragraph - 1 for s in article.sentences])

    def rank(self, question: str, terms: list[str] | None = None) -> list[Ranked]:
        """Every sentence, best first; ties keep article order."""
        if terms is None:
            terms = analyze(question)
        scores = self._sentences.scores(terms)
        scores = scores + PARAGRAPH_WEIGHT * self._paragraphs.scores(terms)[self._paragraph_of]
        scores = self._answer_type_bonus(question, scores)
        order = np.argsort(-scores, kind="stable")
        subject = set(terms) - QUESTION_FRAME_TERMS or set(terms)
        weights = {term: self._sentences.idf(term) for term in subject}
        total = sum(weights.values()) or 1.0
        coverage_by_paragraph: dict[int, float] = {}
        ranked = []
        for i in order:
            sentence = self.article.sentences[i]
            paragraph = sentence.paragraph - 1
            if paragraph not in coverage_by_paragraph:
                held = self._paragraph_terms[paragraph]
                covered = sum(w for term, w in weights.items() if term in held)
                coverage_by_paragraph[paragraph] = covered / total
            ranked.append(Ranked(sentence, float(scores[i]), coverage_by_paragraph[paragraph]))
        return ranked

    def _answer_type_bonus(self, question: str, scores: np.ndarray) -> np.ndarray:
        kind = answer_type(question)
        best = float(scores.max()) if len(scores) else 0.0
        if kind is None or best <= 0.0:
            return scores
        bonus = np.zeros_like(scores)
        for i in np.argsort(-scores, kind="stable")[:ANSWER_TYPE_CANDIDATES]:
            if scores[i] > 0 and offers_answer(kind, self.article.sentences[i].text, question):
                bonus[i] = ANSWER_TYPE_BONUS * best
        return scores + bonus

    def similarity(self) -> np.ndarray:
        """Sentence-by-sentence BM25 similarity (row i: sentence i as the query)."""
        return np.array([self._sentences.scores(terms) for terms in self.sentence_terms])
