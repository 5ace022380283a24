"""Shared fixtures: the shipped seed article and its index, built once per session."""

from __future__ import annotations

import pytest

from retrieval import Article, ArticleIndex, load_article
from retrieval.seeds import default_article_path


@pytest.fixture(scope="session")
def seed_article() -> Article:
    return load_article(default_article_path())


@pytest.fixture(scope="session")
def seed_index(seed_article: Article) -> ArticleIndex:
    return ArticleIndex(seed_article)
