"""Reading a news feed: what it is called, its entries, and when to look at it again.

RSS 0.9x/1.0/2.0 and Atom are parsed by ``feedparser`` (the maintained
standard; handed bytes we fetched ourselves, so it never opens a connection),
JSON Feed by ``json`` (feedparser 6 does not read it). A page that is not a
feed may name one in ``<link rel="alternate">`` (autodiscovery).

Everything here is bounded, since a feed is whatever a stranger's server
sends: at most ``MAX_ENTRIES`` entries are looked at (a feed of 10,000 keeps
its newest), texts are cut, a date in the future counts as now.

When to poll again: the feed's own wish (RSS ``<ttl>``, ``Cache-Control:
max-age``, ``Retry-After``), kept between ``FLOOR_SECONDS`` and
``CEILING_SECONDS``; after a failure the wait doubles, and a feed failing for
``PAUSE_AFTER_DAYS`` is paused (the chat is told once).
"""

from __future__ import annotations

import calendar
import hashlib
import html
import json
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from urllib.parse import urljoin

import feedparser

from library.fetch import is_web_link

#: Entries looked at per fetch (the newest first, where the feed says when).
MAX_ENTRIES = 200
#: Longest title and entry text kept, in characters.
MAX_TITLE = 300
MAX_CONTENT = 100_000
FLOOR_SECONDS = 5 * 60
CEILING_SECONDS = 6 * 3600
DEFAULT_SECONDS = 15 * 60
PAUSE_AFTER_DAYS = 3


class NotAFeed(ValueError):
    """The bytes are neither a feed nor a page that names one."""


@dataclass(frozen=True)
class Entry:
    guid: str | None
    link: str | None
    title: str | None
    published: str | None  #: UTC ISO 8601, never later than when it was read
    content: str  #: the entry's own text (HTML removed), the fallback when its page fails

    def keys(self) -> list[str]:
        """What makes an entry the same one again, strongest first: its guid, its link, its
        text. Any of them already seen in the chat means it was seen."""
        found = [f"guid:{self.guid}"] if self.guid else []
        if self.link:
            found.append(f"link:{self.link}")
        if self.content or self.title:
            text = " ".join(f"{self.title or ''} {self.content}".split()).lower()
            found.append("text:" + hashlib.sha256(text.encode()).hexdigest()[:32])
        return found


@dataclass(frozen=True)
class Feed:
    title: str | None
    entries: tuple[Entry, ...]  #: newest first
    ttl_seconds: int | None  #: RSS ``<ttl>``: how long the feed asks to be cached


def parse_feed(body: bytes, content_type: str, url: str) -> Feed:
    """The feed in ``body``; ``NotAFeed`` when it is none (HTML, garbage)."""
    if content_type in ("application/feed+json", "application/json") or body.lstrip()[:1] == b"{":
        return _json_feed(body)
    parsed = feedparser.parse(body, response_headers={"content-type": content_type or "text/xml"})
    if not parsed.get("version") or (not parsed.entries and not parsed.feed.get("title")):
        raise NotAFeed(url)
    entries = [_entry(e, url) for e in parsed.entries[: MAX_ENTRIES * 5]]
    if parsed.get("bozo") and not any(e.link or e.content for e in entries):
        raise NotAFeed(url)  # broken XML that yields nothing to read
    ttl = str(parsed.feed.get("ttl", "")).strip()
    return Feed(
        _text(parsed.feed.get("title"), MAX_TITLE),
        _newest(entries),
        int(ttl) * 60 if ttl.isdigit() and len(ttl) < 7 else None,
    )


def _entry(raw: feedparser.FeedParserDict, base: str) -> Entry:
    contents = raw.get("content") or []
    body = contents[0].get("value", "") if contents else raw.get("summary", "")
    link = raw.get("link")
    return Entry(
        guid=_text(raw.get("id"), 500),
        link=_web_link(urljoin(base, link) if isinstance(link, str) else None),
        title=_text(raw.get("title"), MAX_TITLE),
        # Not raw.get("updated_parsed"): feedparser warns that it maps it to "published".
        published=_when(raw.get("published_parsed") or dict.get(raw, "updated_parsed")),
        content=_plain(body),
    )


def _json_feed(body: bytes) -> Feed:
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise NotAFeed("not JSON") from None
    if not isinstance(document, dict) or "jsonfeed.org" not in str(document.get("version", "")):
        raise NotAFeed("not a JSON Feed")
    items = document.get("items")
    entries = []
    for item in items[: MAX_ENTRIES * 5] if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        text = item.get("content_text") or _plain(str(item.get("content_html") or ""))
        entries.append(
            Entry(
                guid=_text(item.get("id"), 500),
                link=_web_link(item.get("url")),
                title=_text(item.get("title"), MAX_TITLE),
                published=_iso_date(item.get("date_published") or item.get("date_modified")),
                content=_text(text or item.get("summary"), MAX_CONTENT) or "",
            )
        )
    return Feed(_text(document.get("title"), MAX_TITLE), _newest(entries), None)


def discover(page: bytes, base: str) -> str | None:
    """The feed a web page names in ``<link rel="alternate" type="...">``, if any."""
    finder = _AlternateFinder()
    try:
        finder.feed(page[:500_000].decode("utf-8", errors="replace"))
    except (ValueError, AssertionError):  # html.parser on a stranger's markup
        return None
    for href in finder.found:
        link = _web_link(urljoin(base, href))
        if link:
            return link
    return None


class _AlternateFinder(HTMLParser):
    _TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "link":
            return
        found = {k: (v or "") for k, v in attrs}
        rel = found.get("rel", "").lower().split()
        if (
            "alternate" in rel
            and found.get("type", "").lower() in self._TYPES
            and found.get("href")
        ):
            self.found.append(found["href"])


def next_poll_seconds(
    *,
    ttl_seconds: int | None = None,
    cache_control: str | None = None,
    retry_after: str | None = None,
    failures: int = 0,
) -> int:
    """Seconds until the next poll: the feed's own wish within the floor and ceiling, the
    wait doubled per failure in a row."""
    age = re.search(r"max-age=(\d{1,9})", cache_control or "")
    asks = [
        a
        for a in (ttl_seconds, int(age.group(1)) if age else None, _retry_seconds(retry_after))
        if a is not None
    ]
    wait = (max(asks) if asks else DEFAULT_SECONDS) * 2 ** min(failures, 10)
    return int(min(max(wait, FLOOR_SECONDS), CEILING_SECONDS))


def _retry_seconds(value: str | None) -> int | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value[:9])
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0, int((when - datetime.now(UTC)).total_seconds()))


def _newest(entries: list[Entry]) -> tuple[Entry, ...]:
    """At most ``MAX_ENTRIES``, newest first (undated entries keep the feed's order, after)."""
    dated = sorted(
        (e for e in entries if e.published), key=lambda e: e.published or "", reverse=True
    )
    undated = [e for e in entries if not e.published]
    return tuple([*dated, *undated][:MAX_ENTRIES])


def _when(parsed: time.struct_time | None) -> str | None:
    if not parsed:
        return None
    try:
        when = datetime.fromtimestamp(calendar.timegm(parsed), UTC)
    except (OverflowError, ValueError, OSError):
        return None
    return min(when, datetime.now(UTC)).isoformat(timespec="seconds")


def _iso_date(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(when.astimezone(UTC), datetime.now(UTC)).isoformat(timespec="seconds")


def _web_link(value: object) -> str | None:
    if isinstance(value, str) and len(value) <= 2000 and is_web_link(value.strip()):
        return value.strip()
    return None


def _text(value: object, limit: int) -> str | None:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return None
    text = " ".join(html.unescape(str(value)).split())[:limit]
    return text or None


def _plain(markup: str) -> str:
    """An entry's HTML as plain text, paragraphs kept as lines."""
    text = re.sub(r"(?i)<\s*(br|/p|/div|/li|/h[1-6])\b[^>]*>", "\n", markup[: MAX_CONTENT * 4])
    text = html.unescape(re.sub(r"<[^>]*>", " ", text))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)[:MAX_CONTENT]
