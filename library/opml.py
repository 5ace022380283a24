"""OPML, the file every feed reader imports and exports its subscriptions as.

Reading is bounded (a stranger sends the file): at most ``MAX_OPML_BYTES`` and
``MAX_OUTLINES`` feeds; ElementTree resolves no external entities, and the
expat it runs on caps entity expansion (Python >= 3.11), so a "billion
laughs" file fails to parse instead of filling memory.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from library.rows import FeedRow

MAX_OPML_BYTES = 1_000_000
MAX_OUTLINES = 500


class NotOpml(ValueError):
    """The file is not an OPML list of feeds."""


def read_opml(raw: bytes) -> list[str]:
    """The feed URLs an OPML file lists (``xmlUrl`` of its outlines), in order, once each."""
    if len(raw) > MAX_OPML_BYTES:
        raise NotOpml(f"the file is over {MAX_OPML_BYTES // 1_000_000} MB")
    try:
        root = ElementTree.fromstring(raw)
    except (ElementTree.ParseError, ValueError):
        raise NotOpml("the file is not OPML (its XML does not parse)") from None
    if root.tag.lower() != "opml":
        raise NotOpml("the file is not OPML")
    found: list[str] = []
    for outline in root.iter("outline"):
        url = (outline.get("xmlUrl") or outline.get("xmlurl") or "").strip()
        if url.startswith(("http://", "https://")) and url not in found:
            found.append(url)
        if len(found) >= MAX_OUTLINES:
            break
    return found


def write_opml(feeds: Sequence[FeedRow], title: str) -> bytes:
    """The chat's feeds as OPML 2.0."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        f"  <head><title>{escape(title)}</title></head>",
        "  <body>",
    ]
    for feed in feeds:
        name = quoteattr(feed.name)
        lines.append(
            f'    <outline type="rss" text={name} title={name} xmlUrl={quoteattr(feed.url)}/>'
        )
    lines += ["  </body>", "</opml>", ""]
    return "\n".join(lines).encode()
