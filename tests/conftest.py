"""Shared fixtures: the shipped seed article, its index and a database holding it,
each built once per session (embedding the seed is the expensive part)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from library.service import Library
from retrieval import Article, ArticleIndex, load_article
from retrieval.seeds import default_article_path, seed_paths


@pytest.fixture(scope="session")
def seed_article() -> Article:
    return load_article(default_article_path())


@pytest.fixture(scope="session")
def seed_index(seed_article: Article) -> ArticleIndex:
    return ArticleIndex(seed_article)


@pytest.fixture(scope="session")
def seed_database_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the shipped seed stored and embedded, as ``open_library`` leaves it."""
    path = tmp_path_factory.mktemp("template") / "seed.db"
    Library.open(path, seeds=seed_paths()).close()
    return path


@pytest.fixture
def seed_database(seed_database_template: Path, tmp_path: Path) -> Path:
    """This test's own copy of the seeded database (``tmp_path / "bot.db"``)."""
    path = tmp_path / "bot.db"
    shutil.copyfile(seed_database_template, path)
    return path
