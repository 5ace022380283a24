"""The citation vocabulary every renderer shares: the quoted sentence, markers, source fields.

The CLI's plain text and the bot's HTML both cite ``[n]`` (one article) or
``[a:n]`` (article a of a library) and name a source the same way; keeping
the formats here means a change of house style is one edit, not thirteen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from retrieval.article import Article

#: What the product says when the article holds no answer (CLI and bot alike).
DOESNT_SAY = "The article doesn't say."
#: The same, for questions across a library.
ARTICLES_DONT_SAY = "The articles don't say."
#: Before an answer whose best sentence is less likely than not to hold the answer.
NEAR_MISS = "Not a direct answer; the closest the article comes:"


@dataclass(frozen=True)
class Citation:
    """A quoted sentence and where it is: ``[sentence]`` in the article, its paragraph."""

    sentence: int
    paragraph: int
    text: str
    score: float


#: About how long an untitled article's name is: its lead's first words.
NAME_CHARS = 60


def article_name(title: str | None, text: str) -> str:
    """What an article is called wherever it is listed or cited: its title, else its
    lead's first words (about ``NAME_CHARS``, cut at a word), so that two untitled
    articles never read alike ("(untitled)")."""
    if title and title.strip():
        return " ".join(title.split())
    words = " ".join(text.split())
    if len(words) <= NAME_CHARS:
        return words
    end = words.rfind(" ", 0, NAME_CHARS + 2)  # after the last word that ends by then
    cut = words[:end] if end > 0 else words[:NAME_CHARS]
    if cut.endswith((".", "!", "?")):
        return cut  # a whole first sentence names the article well enough
    return cut.rstrip(",;:\u2014-") + "\u2026"


def marker(sentence: int, article: int | None = None) -> str:
    """``[13]`` for sentence 13 of the article, ``[2:13]`` for sentence 13 of article 2."""
    return f"[{sentence}]" if article is None else f"[{article}:{sentence}]"


def article_marker(article: int) -> str:
    """``[2]``: article 2 of a library, where its source line is listed."""
    return f"[{article}]"


def quoted(citations: Iterable[Citation], article: int | None = None) -> str:
    """Sentences in plain text, each followed by its marker."""
    return " ".join(f"{c.text} {marker(c.sentence, article)}" for c in citations)


def source_fields(article: Article) -> list[str]:
    """What names a source, in order and only what is known: the outlet (else the title or
    file name), "— title" when both are known, "(published)"."""
    fields = [article.source or article.title or article.name]
    if article.source and article.title:
        fields.append(f"\u2014 {article.title}")
    if article.published:
        fields.append(f"({article.published})")
    return fields
