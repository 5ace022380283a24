"""Fixtures for driving the real PTB Application against the fake Bot API server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from telegram.ext import Application

from bot.app import build_application
from bot.config import Settings
from library.service import Library
from retrieval.seeds import seed_paths
from testing.fake_bot_api import FakeBotApi
from testing.web_server import WebServer
from tests.bot.updates import TOKEN, settings_for
from tests.bot.webhook_server import PATH, SECRET, serving


@pytest.fixture
def library(seed_database: Path) -> Iterator[Library]:
    """A fresh database in a temp dir holding the shipped seed article (number 1)."""
    shelf = Library.open(seed_database, seeds=seed_paths())  # as bot.app.open_library does
    yield shelf
    shelf.close()


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as server:
        yield server


@pytest.fixture
async def app(api: FakeBotApi, library: Library, tmp_path: Path) -> AsyncIterator[Application]:
    application = build_application(settings_for(api, tmp_path), library)
    await application.initialize()
    api.clear()
    yield application
    await application.shutdown()


@pytest.fixture
def site() -> Iterator[WebServer]:
    """A news site on 127.0.0.1 (testing/web_server.py)."""
    with WebServer() as server:
        yield server


@pytest.fixture
async def web_app(
    api: FakeBotApi, library: Library, tmp_path: Path, site: WebServer
) -> AsyncIterator[Application]:
    """The bot with the 127.0.0.1 test site exempted from the internal-address guard."""
    library.articles.allow_hosts = frozenset({"127.0.0.1"})
    application = build_application(settings_for(api, tmp_path), library)
    await application.initialize()
    api.clear()
    yield application
    await application.shutdown()


@pytest.fixture(scope="module")
def hook(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[httpx.Client, str]]:
    """A client and the URL of the bot's webhook endpoint served on 127.0.0.1."""
    settings = Settings(
        token=TOKEN,
        api_url="http://127.0.0.1:9",
        database=Path(tmp_path_factory.mktemp("hook")) / "bot.db",
        webhook_url=f"https://bot.example.org{PATH}",
        webhook_secret=SECRET,
    )
    with serving(settings) as url, httpx.Client(timeout=20) as client:
        yield client, url
