"""Cited extractive answers from news articles: load, index, ask, brief.

>>> from retrieval import load_article, ArticleIndex, answer
>>> index = ArticleIndex(load_article("seeds/us-preparing-to-pull-all-troops-out-of-syria.txt"))
>>> answer(index, "How many troops are in Syria?").text
'Currently, there are fewer than 1,000 troops in Syria. [13]'
"""

from retrieval.analysis import analyze, question_terms
from retrieval.answers import Answer, answer, check_question, search
from retrieval.article import (
    MAX_ARTICLE_BYTES,
    Article,
    Sentence,
    decode_article_bytes,
    load_article,
    parse_article,
    rebuild_article,
    spans_intact,
    split_body,
)
from retrieval.bm25 import ARTICLES, BM25Tuning
from retrieval.briefing import brief
from retrieval.citations import (
    DOESNT_SAY,
    NEAR_MISS,
    Citation,
    article_marker,
    article_name,
    marker,
    source_fields,
)
from retrieval.collection import (
    CANDIDATES,
    CollectionAnswer,
    Shelved,
    across_languages,
    answer_across,
)
from retrieval.context import ATTRIBUTION
from retrieval.errors import ArticleError, EmbeddingStopped, QuestionError, RetrievalError
from retrieval.highlight import Highlight
from retrieval.index import ArticleIndex
from retrieval.language import UNDETERMINED, detect_question, latin
from retrieval.language import detect as detect_language
from retrieval.multilingual import MODEL_ID as MEANING_MODEL_ID
from retrieval.multilingual import MeaningVectors, multilingual_available, reads_with_meaning
from retrieval.ranking import Models
from retrieval.seeds import seed_paths
from retrieval.semantic import shared_encoder
from retrieval.term_index import TermIndex
from retrieval.vectors import ArticleVectors, model_id

#: What ``bot`` and ``library`` may import: the layers above use retrieval only through this.
__all__ = [
    "ARTICLES",
    "ATTRIBUTION",
    "CANDIDATES",
    "DOESNT_SAY",
    "MAX_ARTICLE_BYTES",
    "MEANING_MODEL_ID",
    "NEAR_MISS",
    "UNDETERMINED",
    "Answer",
    "Article",
    "ArticleError",
    "ArticleIndex",
    "ArticleVectors",
    "BM25Tuning",
    "Citation",
    "CollectionAnswer",
    "EmbeddingStopped",
    "Highlight",
    "MeaningVectors",
    "Models",
    "QuestionError",
    "RetrievalError",
    "Sentence",
    "Shelved",
    "TermIndex",
    "across_languages",
    "analyze",
    "answer",
    "answer_across",
    "article_marker",
    "article_name",
    "brief",
    "check_question",
    "decode_article_bytes",
    "detect_language",
    "detect_question",
    "latin",
    "load_article",
    "marker",
    "model_id",
    "multilingual_available",
    "parse_article",
    "question_terms",
    "reads_with_meaning",
    "rebuild_article",
    "search",
    "seed_paths",
    "shared_encoder",
    "source_fields",
    "spans_intact",
    "split_body",
]
