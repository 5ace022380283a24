"""The bot's fixtures (the real Application against the fake Bot API) for the fuzz suites.

Fuzz tests run hundreds of examples through code the example tests already cover, so
coverage's tracing (which makes them ~40 % slower) is paused for them (``no_cover``).
"""

import pytest

from tests.bot.conftest import api, app, hook, library

__all__ = ["api", "app", "hook", "library"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/tests/fuzz/" in str(item.path):
            item.add_marker(pytest.mark.no_cover)
