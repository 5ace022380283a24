"""Turning fetched pages and uploaded files into article text and metadata.

HTML goes through trafilatura, a maintained extractor that separates the story
from navigation, ads and comments and reads title, site name and date from
the page's metadata; plain text and Markdown are used as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

import trafilatura
from trafilatura.settings import Document

from library.errors import FetchError
from retrieval import decode_article_bytes

#: Fewer words than this from a page means the extractor found navigation, not a story.
MIN_PAGE_WORDS = 20


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None

    def metadata(self) -> dict[str, str | None]:
        return {
            "title": self.title,
            "source": self.source,
            "url": self.url,
            "published": self.published,
        }


def extract_html(html: str, url: str | None = None) -> Extracted:
    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    if not isinstance(document, Document) or len((document.text or "").split()) < MIN_PAGE_WORDS:
        raise FetchError("no article text found on that page")
    text = (document.text or "").strip()
    lines = text.splitlines()
    if document.title and lines and lines[0].strip() == document.title.strip():
        text = "\n".join(lines[1:]).strip()  # the headline repeated as the first line
    return Extracted(
        text=text,
        title=document.title or None,
        source=document.sitename or document.hostname or None,
        url=url or document.url or None,
        published=document.date or None,
    )


def extract_file(raw: bytes, file_name: str) -> Extracted:
    """An uploaded ``.txt``/``.md``/``.html`` document."""
    text = decode_article_bytes(raw, file_name)
    if file_name.lower().endswith((".html", ".htm")):
        return extract_html(text)
    return Extracted(text=text)
