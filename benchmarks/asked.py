"""The dev-half questions the reader benchmarks ask, each with its cross-validated first pass.

Kept out of training/ranker.py on purpose: that file's source is part of the
folds' cache key, and a change to it costs 20 minutes of refitting.
"""

from __future__ import annotations

from collections.abc import Iterator

from benchmarks.squad import Question, SquadArticle, indexed, normalise
from retrieval import ArticleIndex
from retrieval.analysis import analyze
from retrieval.ranking import Ranking, rank
from training.ranker import Fold


def asked_with_folds(
    articles: list[SquadArticle], folds: list[Fold], every: int
) -> Iterator[tuple[SquadArticle, ArticleIndex, list[str], Question, list[str], Ranking]]:
    """Every ``every``-th question of each article, with its article's index, normalised
    sentences, analysed terms and first pass by the fold fitted without that article."""
    for fold in folds:
        entry = articles[fold.article]
        index = indexed(entry.article)
        sentences = [normalise(s.text) for s in entry.article.sentences]
        for question in entry.questions[::every]:
            terms = analyze(question.text)
            first = rank(index, question.text, terms, models=fold.models)
            yield entry, index, sentences, question, terms, first
