"""The bot's fixtures (the real Application against the fake Bot API) for the fuzz suites."""

from tests.bot.conftest import api, app, hook, library

__all__ = ["api", "app", "hook", "library"]
