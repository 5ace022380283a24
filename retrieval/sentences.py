"""Sentence boundaries for news text.

Splitting is delegated to pysbd, a rule-based segmenter that already knows the
hard cases of news prose ("U.S.", "Oct. 7", initials, "$1.5 billion", quotations
holding two sentences under one attribution). What we add is exact character
spans: pysbd's own spans drift when a sentence repeats, so we locate each
sentence in the paragraph ourselves, moving forward only.

pysbd's time grows much faster than the paragraph's length on dense text
(40 KB of "U.S. " took 12 s, 90 KB of "a. " minutes), so a paragraph longer
than ``WINDOW`` characters is segmented in windows cut after a sentence-ending
mark (or, where there is none near, at a space in a quarter of the window):
real paragraphs are far shorter, and a hostile one costs linear time.

A pysbd ``Segmenter`` keeps the text it is working on in its own attributes,
so one shared by two threads mixes their texts and silently loses sentences;
each thread gets its own. And whatever pysbd returns, every character that is
not whitespace ends up in some sentence (``covers``): text the splitter could
not place becomes a sentence of its own rather than vanishing, which is also
how ``library`` recognises spans stored by a broken split.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from functools import lru_cache

import pysbd

_local = threading.local()


#: The languages pysbd has rules for (abbreviations such as German "z. B." and "ca.",
#: Russian "г." and "ул.", full stops such as Chinese "。"); others are split as English.
SPLIT_LANGUAGES = frozenset(pysbd.languages.LANGUAGE_CODES)


def _segmenter(language: str) -> pysbd.Segmenter:
    """This thread's segmenter for ``language``: built once per thread (construction
    compiles many regular expressions), never shared (``segment`` keeps its text on the
    instance)."""
    segmenters: dict[str, pysbd.Segmenter] | None = getattr(_local, "segmenters", None)
    if segmenters is None:
        segmenters = _local.segmenters = {}
    segmenter = segmenters.get(language)
    if segmenter is None:
        segmenter = segmenters[language] = pysbd.Segmenter(language=language, clean=False)
    return segmenter


#: Longest text handed to pysbd at once, in characters.
WINDOW = 2_000
#: Where a window may end: after a word's last letters (not "U.S." or "Dr.") and ".", "!" or "?",
#: optional closing quotes or brackets, and space before a capital or an opening quote.
_CUT = re.compile(r"(?<=[a-z0-9%]{2}[.!?])[\"')\]\u201d\u2019]*\s+(?=[A-Z\"\u201c\u2018(])")


@lru_cache(maxsize=4096)
def split_sentences(paragraph: str, language: str = "en") -> tuple[tuple[int, int], ...]:
    """Return ``(start, end)`` spans of the sentences in ``paragraph``, in order, by the
    rules of ``language`` (English's where pysbd has none for it).

    Spans are trimmed of surrounding whitespace, never overlap, and
    ``paragraph[start:end]`` is the sentence exactly as written. Results are
    cached: pysbd is the slowest step of indexing, and wire stories repeat
    paragraphs across articles.
    """
    rules = language if language in SPLIT_LANGUAGES else "en"
    spans: list[tuple[int, int]] = []
    for offset, window in _windows(paragraph):
        spans.extend((offset + start, offset + end) for start, end in _segment(window, rules))
    return tuple(_without_bare_marks(paragraph, spans))


def _without_bare_marks(paragraph: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` with each that holds no letter or digit joined to the sentence before it
    (after it, for a paragraph's first). pysbd leaves a closing quote or bracket after a
    Chinese full stop ("。”") as a sentence of its own, and such a "sentence" is not one:
    the multilingual model put "”" nearer most questions than their own article's
    answer, so one article's stray quote drew a library's questions to it."""
    joined: list[tuple[int, int]] = []
    for start, end in spans:
        if joined and not _has_words(paragraph[start:end]):
            joined[-1] = (joined[-1][0], end)
        elif joined and not _has_words(paragraph[slice(*joined[-1])]):
            joined[-1] = (joined[-1][0], end)  # the paragraph opened with a bare mark
        else:
            joined.append((start, end))
    return joined


def _has_words(text: str) -> bool:
    return any(character.isalnum() for character in text)


def _windows(paragraph: str) -> Iterator[tuple[int, str]]:
    """``(offset, text)`` pieces of at most ``WINDOW`` characters, cut between sentences if possible."""
    start = 0
    while len(paragraph) - start > WINDOW:
        end = start + WINDOW
        cuts = [m.end() for m in _CUT.finditer(paragraph, start + WINDOW // 2, end)]
        if cuts:
            cut = cuts[-1]
        else:
            # No sentence end anywhere near: text like "U.S. U.S. ...", the costliest
            # kind for pysbd, so cut at a space in a quarter of the window.
            short = start + WINDOW // 4
            cut = paragraph.rfind(" ", start + WINDOW // 8, short) + 1 or short
        yield start, paragraph[start:cut]
        start = cut
    yield start, paragraph[start:]


def _segment(text: str, language: str) -> list[tuple[int, int]]:
    found: list[tuple[int, int]] = []
    cursor = 0
    for piece in _segmenter(language).segment(text):
        stripped = piece.strip()
        if not stripped:
            continue
        start = text.find(stripped, cursor)
        if start < 0:  # pysbd never rewrites text with clean=False; be safe anyway.
            continue
        end = start + len(stripped)
        found.append((start, end))
        cursor = end
    return _with_gaps(text, found)


def _with_gaps(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` plus, as sentences of their own, any stretches of text they left out."""
    complete: list[tuple[int, int]] = []
    cursor = 0
    for start, end in [*spans, (len(text), len(text))]:
        gap = text[cursor:start]
        if gap.strip():
            lead = len(gap) - len(gap.lstrip())
            complete.append((cursor + lead, cursor + len(gap.rstrip())))
        if end > start:
            complete.append((start, end))
        cursor = end
    return complete


def covers(paragraph: str, spans: Sequence[Sequence[int]]) -> bool:
    """Whether ``spans`` are in order, trimmed, inside ``paragraph`` and leave out nothing but
    whitespace: true of every split this module makes, false of one that lost sentences."""
    cursor = 0
    for start, end in spans:
        if not cursor <= start < end <= len(paragraph) or paragraph[cursor:start].strip():
            return False
        if paragraph[start:end] != paragraph[start:end].strip():
            return False
        cursor = end
    return not paragraph[cursor:].strip()
