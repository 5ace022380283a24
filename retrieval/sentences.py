"""Sentence boundaries for news text.

Splitting is delegated to pysbd, a rule-based segmenter that already knows the
hard cases of news prose ("U.S.", "Oct. 7", initials, "$1.5 billion", quotations
holding two sentences under one attribution). What we add is exact character
spans: pysbd's own spans drift when a sentence repeats, so we locate each
sentence in the paragraph ourselves, moving forward only.
"""

from __future__ import annotations

from functools import lru_cache

import pysbd


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    # Built once: constructing a Segmenter compiles many regular expressions.
    return pysbd.Segmenter(language="en", clean=False)


@lru_cache(maxsize=4096)
def split_sentences(paragraph: str) -> tuple[tuple[int, int], ...]:
    """Return ``(start, end)`` spans of the sentences in ``paragraph``, in order.

    Spans are trimmed of surrounding whitespace, never overlap, and
    ``paragraph[start:end]`` is the sentence exactly as written. Results are
    cached: pysbd is the slowest step of indexing, and wire stories repeat
    paragraphs across articles.
    """
    spans: list[tuple[int, int]] = []
    cursor = 0
    for piece in _segmenter().segment(paragraph):
        stripped = piece.strip()
        if not stripped:
            continue
        start = paragraph.find(stripped, cursor)
        if start < 0:  # pysbd never rewrites text with clean=False; be safe anyway.
            continue
        end = start + len(stripped)
        spans.append((start, end))
        cursor = end
    return tuple(spans)
