"""Shared fixtures: the shipped seed article, its index and a database holding it,
each built once per session (embedding the seed is the expensive part)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from library.service import Library
from retrieval import Article, ArticleIndex, load_article
from retrieval.seeds import default_article_path, seed_paths

# -- Hypothesis: a small fixed budget in the suite, a long random one on demand -------------
# `pytest --hypothesis-profile=long tests/fuzz` runs each property on thousands of new inputs.
_FUZZ = {
    "deadline": None,  # the machine's noise is not a failure; speed is measured in benchmarks/
    # Fixtures like the seeded Application are built once per test, not per example, on
    # purpose: the property is about what one running bot does with many inputs.
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
settings.register_profile("ci", max_examples=25, derandomize=True, **_FUZZ)
settings.register_profile("long", max_examples=2_000, **_FUZZ)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def seed_article() -> Article:
    return load_article(default_article_path())


@pytest.fixture(scope="session")
def seed_index(seed_article: Article) -> ArticleIndex:
    return ArticleIndex(seed_article)


@pytest.fixture(scope="session")
def seed_database_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the shipped seed stored and embedded, as ``open_library`` and then
    the first start's backfill (the seed read for other languages too) leave it."""
    path = tmp_path_factory.mktemp("template") / "seed.db"
    shelf = Library.open(path, seeds=seed_paths())
    shelf.articles.backfill()
    shelf.close()
    return path


@pytest.fixture
def seed_database(seed_database_template: Path, tmp_path: Path) -> Path:
    """This test's own copy of the seeded database (``tmp_path / "bot.db"``)."""
    path = tmp_path / "bot.db"
    shutil.copyfile(seed_database_template, path)
    return path


# -- PostgreSQL: one real server per run, one fresh database per test -------------------

_POSTGRES_ENV = "NEWSBOT_TEST_POSTGRES"
_started_here: list[Path] = []


def pytest_configure(config: pytest.Config) -> None:
    """Start the run's PostgreSQL once, in the controller, before xdist's workers start
    (they inherit its URL). A server named by ``NEWSBOT_TEST_POSTGRES`` is used instead."""
    if hasattr(config, "workerinput") or os.environ.get(_POSTGRES_ENV):
        return
    from testing.postgres_server import start

    data = Path(tempfile.mkdtemp(prefix="newsbot-pg-"))
    os.environ[_POSTGRES_ENV] = start(data / "data")
    _started_here.append(data)


def pytest_unconfigure(config: pytest.Config) -> None:
    from testing.postgres_server import stop

    for data in _started_here:
        stop(data / "data")
        shutil.rmtree(data, ignore_errors=True)


def _admin(url: str) -> Any:
    import psycopg

    return psycopg.connect(url, autocommit=True)


@pytest.fixture(scope="session")
def postgres_template(worker_id: str) -> str:
    """A migrated, empty database for this worker to copy (a copy takes milliseconds)."""
    from library.postgres import PostgresStore

    server = os.environ[_POSTGRES_ENV]
    name = f"newsbot_template_{worker_id}"
    with _admin(server) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    PostgresStore.open(_with_database(server, name)).close()
    return name


def _with_database(server: str, name: str) -> str:
    return server.rsplit("/", 1)[0] + "/" + name


@pytest.fixture
def postgres_url(postgres_template: str) -> Iterator[str]:
    """This test's own PostgreSQL database (migrated, empty), dropped afterwards."""
    from testing.postgres_server import throwaway_database

    with throwaway_database(os.environ[_POSTGRES_ENV], postgres_template) as url:
        yield url


@pytest.fixture
def bare_postgres_url() -> Iterator[str]:
    """An empty PostgreSQL database (no schema at all), dropped afterwards: for building
    databases as older versions left them."""
    from testing.postgres_server import throwaway_database

    with throwaway_database(os.environ[_POSTGRES_ENV]) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Each store test runs on both backends: a SQLite file, and a PostgreSQL database."""
    if request.param == "sqlite":
        return tmp_path / "news.db"
    return str(request.getfixturevalue("postgres_url"))
