"""Briefings: the few sentences that carry an article, in its own words.

An extractive summary by TextRank over BM25 similarity: a sentence is central
when the other sentences' words are its words. News puts the essentials first,
so the random walk restarts with a lead bias (sentence i weighted 1/sqrt(i)).
Sentences that cannot stand alone (opening with "It", a quotation without its
speaker) are demoted, and a sentence too similar to one already picked is
skipped, so a briefing does not say the same thing twice.
"""

from __future__ import annotations

import numpy as np

from retrieval.citations import Citation
from retrieval.context import stands_alone
from retrieval.index import ArticleIndex

DAMPING = 0.85
DEPENDENT_PENALTY = 0.5  #: score factor for sentences that need a neighbour
REDUNDANCY = 0.6  #: max share of a candidate's terms already in a chosen sentence
MIN_TERMS = 5  #: shorter sentences ("He declined.") rarely brief anyone


def brief(index: ArticleIndex, n: int = 3) -> tuple[Citation, ...]:
    """The ``n`` most central sentences, in article order, each cited with its centrality."""
    if n < 1:
        raise ValueError("a briefing needs at least one sentence")
    sentences = index.article.sentences
    centrality = _textrank(index)
    for i, sentence in enumerate(sentences):
        if not stands_alone(sentence):
            centrality[i] *= DEPENDENT_PENALTY
        if len(set(index.sentence_terms[i])) < MIN_TERMS:
            centrality[i] *= DEPENDENT_PENALTY
    chosen: list[int] = []
    for i in np.argsort(-centrality, kind="stable"):
        if len(chosen) == n:
            break
        if not any(_overlap(index, int(i), j) > REDUNDANCY for j in chosen):
            chosen.append(int(i))
    return tuple(
        Citation(
            sentence=sentences[i].number,
            paragraph=sentences[i].paragraph,
            text=sentences[i].text,
            score=float(centrality[i]),
        )
        for i in sorted(chosen)
    )


def _textrank(index: ArticleIndex) -> np.ndarray:
    """PageRank over the symmetrised BM25 similarity, never built as a matrix.

    The similarity of n sentences is n x n; an 8,000-sentence upload made that
    2 GB and 100 s. It equals ``(Q W' + W Q') / 2`` for two sparse
    sentence-by-term matrices (``ArticleIndex.term_weights``), so each step of
    the walk is a few passes over the sentence-term pairs: linear in the
    article's length, same ranks.
    """
    size = len(index.article.sentences)
    if size == 1:
        return np.ones(1)
    pairs = index.term_weights()
    diagonal = pairs.self_similarity()

    def times_similarity(x: np.ndarray) -> np.ndarray:  # x @ S, S's diagonal set to zero
        both = pairs.query_by_document(x) + pairs.document_by_query(x)
        return both / 2.0 - x * diagonal

    lead = 1.0 / np.sqrt(np.arange(1, size + 1))
    restart = lead / lead.sum()
    row_sums = times_similarity(np.ones(size))  # S is symmetric: column sums are row sums
    connected = row_sums > 0
    # A sentence sharing no words with any other jumps back to the lead.
    scale = np.where(connected, 1.0 / np.where(connected, row_sums, 1.0), 0.0)
    rank = restart.copy()
    for _ in range(100):
        walked = times_similarity(rank * scale) + rank[~connected].sum() * restart
        updated = (1 - DAMPING) * restart + DAMPING * walked
        if np.abs(updated - rank).sum() < 1e-9:
            return updated
        rank = updated
    return rank


def _overlap(index: ArticleIndex, candidate: int, chosen: int) -> float:
    terms = set(index.sentence_terms[candidate])
    if not terms:
        return 1.0
    return len(terms & set(index.sentence_terms[chosen])) / len(terms)
