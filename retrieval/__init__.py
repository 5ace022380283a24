"""Cited extractive answers from news articles: load, index, ask, brief.

>>> from retrieval import load_article, ArticleIndex, answer
>>> index = ArticleIndex(load_article("seeds/us-preparing-to-pull-all-troops-out-of-syria.txt"))
>>> answer(index, "How many troops are in Syria?").text
'Currently, there are fewer than 1,000 troops in Syria. [13]'
"""

from retrieval.answers import Answer, Citation, answer, search
from retrieval.article import Article, Sentence, load_article, parse_article
from retrieval.briefing import brief
from retrieval.errors import ArticleError, QuestionError, RetrievalError
from retrieval.index import ArticleIndex

__all__ = [
    "Answer",
    "Article",
    "ArticleError",
    "ArticleIndex",
    "Citation",
    "QuestionError",
    "RetrievalError",
    "Sentence",
    "answer",
    "brief",
    "load_article",
    "parse_article",
    "search",
]
