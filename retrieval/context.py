"""Sentences that cannot stand alone, and the neighbour that makes them understandable.

A quoted sentence must make sense to a reader who sees only it. One that opens
with a pronoun or a back-reference ("It", "They", "The move") needs the
sentence before it; a quotation without its speaker needs the sentence that
names the speaker. Answers quote that neighbour too; briefings prefer
sentences that need none; the ranker counts it as evidence.
"""

from __future__ import annotations

import re

from retrieval.article import Article, Sentence

_BACK_REFERENCE = re.compile(
    r"^(?:It|Its|They|Their|Them|He|His|She|Her|This|That|These|Those|Such|There|"
    r"But|And|Yet|Still|However|Meanwhile|Instead|Also|Then|Since then|"
    r"The (?:move|decision|deal|plan|step|announcement|statement|report|comments|remarks|"
    r"official|officials|agency|group|company|pair|two|latter|former))\b"
)
_OPENING_QUOTE = re.compile(r"^[\"\u201c]")
#: Verbs and phrases that attribute a statement to someone ("..., officials said").
ATTRIBUTION = re.compile(
    r"\b(?:said|says|told|added|stated|wrote|noted|asked|explained|according to|"
    r"announced|declared|tweeted|posted)\b",
    re.I,
)


def stands_alone(sentence: Sentence) -> bool:
    """False when a reader needs the sentence's neighbour to know who or what it means."""
    text = sentence.text
    if _BACK_REFERENCE.match(text.lstrip('"\u201c')):
        return False
    return not (_OPENING_QUOTE.match(text) and not ATTRIBUTION.search(text))


def context_for(article: Article, sentence: Sentence) -> list[Sentence]:
    """Neighbours that make ``sentence`` understandable on its own.

    News paragraphs are often a single sentence, so a back-reference usually
    points into the previous paragraph: neighbours are taken across paragraphs.
    """
    if stands_alone(sentence):
        return []
    count = len(article.sentences)
    previous = article.sentence(sentence.number - 1) if sentence.number > 1 else None
    following = article.sentence(sentence.number + 1) if sentence.number < count else None
    if _OPENING_QUOTE.match(sentence.text) and not ATTRIBUTION.search(sentence.text):
        # The speaker is named after the quotation more often than before it.
        for neighbour in (following, previous):
            if neighbour is not None and ATTRIBUTION.search(neighbour.text):
                return [neighbour]
        return []
    return [previous] if previous is not None else []
