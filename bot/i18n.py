"""The bot's own words in its reader's language: gettext catalogs, read with Babel.

Telegram tells the bot each person's app language (``language_code``); the
bot answers in it when it has a catalog for it, and a chat may fix one with
``/language`` (a group whose members read different languages, or a person
whose app is in another language than they read). Only the bot's own words
are translated: quotes stay in their article's language, and the reasons a
fetch or a store gives (retrieval, library) stay English.

Catalogs are ``bot/locales/<code>.po``; their message ids are the English
texts of ``bot/texts.py``, each marked there with ``N_`` so that ``pybabel
extract -k N_ bot/texts.py`` finds them. They are read with Babel's PO reader
once per process: no compiled ``.mo`` files to keep in step with them. A
message a catalog lacks stays English (tests/bot/test_languages.py checks that
every catalog has every message, with the same placeholders and markup).

The language is chosen once per update (``bot.app``) and held in a context
variable, as aiogram's i18n middleware does: handlers call ``_(texts.X)`` and
get the update's language without passing it through every function. Jobs,
which belong to no update, choose theirs with ``speaking``.

Arabic and Persian run right to left. Each ``{placeholder}`` of their
translations is wrapped in Unicode isolates (FSI ... PDI) when the catalog is
read, so an inserted English title, number or link keeps its own direction
and the sentence's punctuation stays where the translator put it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from functools import cache
from pathlib import Path

LOCALES = Path(__file__).resolve().parent / "locales"
DEFAULT = "en"
#: Every language the bot speaks, by ISO 639-1 code, named as its readers name it.
LANGUAGES = {
    "en": "English",
    "es": "Español",
    "de": "Deutsch",
    "ru": "Русский",
    "pt": "Português",
    "fr": "Français",
    "ar": "العربية",
    "fa": "فارسی",
    "tr": "Türkçe",
    "id": "Bahasa Indonesia",
    "uk": "Українська",
    "zh": "中文",
}
RIGHT_TO_LEFT = frozenset({"ar", "fa"})
_FIRST_STRONG_ISOLATE, _POP_ISOLATE = "\u2068", "\u2069"
_PLACEHOLDER = re.compile(r"\{[a-z_0-9]+(?::[^{}]*)?\}")

_current: ContextVar[str] = ContextVar("newsbot_language", default=DEFAULT)


def N_(message: str) -> str:
    """Marks a text for the catalogs; it is translated where it is used, with ``_``."""
    return message


def _(message: str) -> str:
    """``message`` in the current update's language (English when no catalog has it)."""
    language = _current.get()
    if language == DEFAULT:
        return message
    return catalog(language).get(message, message)


def supported(code: str | None) -> str | None:
    """The language the bot speaks for a Telegram ``language_code`` ("pt-br" -> "pt"), if any."""
    if not code:
        return None
    primary = code.replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


def current() -> str:
    return _current.get()


def activate(language: str | None) -> Token[str]:
    """Speak ``language`` (English when the bot does not) for the rest of this update (or
    task); the token undoes it."""
    return _current.set(language if language in LANGUAGES else DEFAULT)


@contextmanager
def speaking(language: str | None) -> Iterator[None]:
    """Speak ``language`` inside the block (jobs: a briefing in the chat's language)."""
    token = activate(language)
    try:
        yield
    finally:
        _current.reset(token)


def every_translation(message: str) -> frozenset[str]:
    """``message`` in every language the bot speaks (to recognise one of its own texts)."""
    return frozenset({message, *(catalog(code).get(message, message) for code in LANGUAGES)})


@cache
def catalog(language: str) -> dict[str, str]:
    """The language's translations by English text; empty for English or a missing file."""
    from babel.messages.pofile import read_po

    path = LOCALES / f"{language}.po"
    if language == DEFAULT or not path.is_file():
        return {}
    with path.open("rb") as file:
        messages = read_po(file, locale=language)
    found = {
        str(m.id): str(m.string)
        for m in messages
        if m.id and isinstance(m.id, str) and isinstance(m.string, str) and m.string and not m.fuzzy
    }
    if language in RIGHT_TO_LEFT:
        found = {k: isolated(v) for k, v in found.items()}
    return found


def isolated(text: str) -> str:
    """Each ``{placeholder}`` of ``text`` between Unicode isolates (right-to-left texts)."""
    return _PLACEHOLDER.sub(lambda m: f"{_FIRST_STRONG_ISOLATE}{m.group(0)}{_POP_ISOLATE}", text)
