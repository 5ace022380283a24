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

``rerank`` then reorders the best candidates by meaning as well as words
(retrieval/semantic.py): each candidate's BM25 score, as a share of the best,
plus the cosine similarity of the question to the sentence and to its
paragraph (the same sentence-plus-paragraph shape as the BM25 part; a
one-sentence paragraph is replaced by the sentence and its neighbours). Only the
top candidates are embedded, and only when BM25 has no clear winner: when the
best sentence leads the runner-up by ``DECISIVE_LEAD`` or more, the model is
not asked. In the SQuAD experiment that chose it, asking the model for every
question or only for these close calls gave the same top-1 (0.754 vs 0.755).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from retrieval.analysis import analyze
from retrieval.answer_types import answer_type, offers_answer
from retrieval.article import Article, Sentence
from retrieval.bm25 import BM25Scorer
from retrieval.semantic import shared_encoder

PARAGRAPH_WEIGHT = 0.5
PARAGRAPH_K1 = 1.2
PARAGRAPH_B = 0.75
ANSWER_TYPE_BONUS = 0.2  #: fraction of the best score
ANSWER_TYPE_CANDIDATES = 20
#: BM25's best sentences that the embeddings reorder; the rest follow in BM25 order.
RERANK_CANDIDATES = 20
#: Share by which BM25's best must lead its runner-up to stand without the model.
DECISIVE_LEAD = 0.3

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

    def __init__(self, article: Article, *, semantic: bool = True) -> None:
        self.article = article
        self.semantic = semantic
        #: Embeddings computed so far, by ("s", sentence) or ("p", paragraph) position.
        self._vectors: dict[tuple[str, int], np.ndarray] = {}
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

    def rerank(self, question: str, ranked: list[Ranked]) -> list[Ranked]:
        """``ranked`` (from ``rank``) reordered by meaning as well as words; see the module doc.

        Scores become relative: BM25's share of the best plus, for reranked
        candidates, the two cosine similarities. Sentences outside the
        candidates get the lowest candidate's similarity, so the order and the
        scores still agree.
        """
        if not ranked or ranked[0].score <= 0.0:
            return ranked
        lexical = np.array([r.score for r in ranked]) / ranked[0].score
        decisive = len(ranked) < 2 or lexical[1] <= 1.0 - DECISIVE_LEAD
        if not self.semantic or decisive:
            return [replace(r, score=float(x)) for r, x in zip(ranked, lexical, strict=True)]
        candidates = ranked[:RERANK_CANDIDATES]
        query = shared_encoder().encode_question(question)
        sentences = self._sentence_vectors(candidates)
        paragraphs = self._embed([("p", r.sentence.paragraph - 1) for r in candidates])
        similarity = sentences @ query + paragraphs @ query
        fused = lexical[: len(candidates)] + similarity
        reranked = [
            replace(candidates[i], score=float(fused[i])) for i in np.argsort(-fused, kind="stable")
        ]
        floor = float(similarity.min())
        rest = zip(ranked[len(candidates) :], lexical[len(candidates) :], strict=True)
        return reranked + [replace(r, score=float(x) + floor) for r, x in rest]

    def closest_meaning(self, question: str, ranked: list[Ranked]) -> float:
        """Highest cosine similarity of ``question`` to a candidate sentence (0 without the model).

        Lets the answer rule hear a paraphrase before abstaining: an answerable
        question whose words the article does not use still sits close in
        meaning to its answer, while a question about another subject does not.
        """
        if not self.semantic or not ranked:
            return 0.0
        query = shared_encoder().encode_question(question)
        return float((self._sentence_vectors(ranked[:RERANK_CANDIDATES]) @ query).max())

    def embed_all(self) -> None:
        """Embed every sentence and paragraph now, so no question waits for it later."""
        if self.semantic:
            self._embed(
                [("s", i) for i in range(len(self.article.sentences))]
                + [("p", j) for j in range(len(self.article.paragraph_spans))]
            )

    def _sentence_vectors(self, ranked: list[Ranked]) -> np.ndarray:
        return self._embed([("s", r.sentence.number - 1) for r in ranked])

    def _embed(self, keys: list[tuple[str, int]]) -> np.ndarray:
        """Vectors for sentences ("s", i) and paragraphs ("p", j), each computed once."""
        missing = list(dict.fromkeys(key for key in keys if key not in self._vectors))
        if missing:
            vectors = shared_encoder().encode([self._text_of(key) for key in missing])
            self._vectors.update(zip(missing, vectors, strict=True))
        return np.array([self._vectors[key] for key in keys])

    def _text_of(self, key: tuple[str, int]) -> str:
        """A sentence's text, or a paragraph's: the context a reader sees around a sentence.

        News paragraphs are often a single sentence, which as its own context
        would only count the sentence twice; its neighbours stand in for it.
        """
        kind, position = key
        sentences = self.article.sentences
        if kind == "s":
            return sentences[position].text
        members = self.article.paragraph_sentences(position + 1)
        if len(members) == 1:
            number = members[0].number
            members = sentences[max(0, number - 2) : number + 1]
        return " ".join(s.text for s in members)

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
