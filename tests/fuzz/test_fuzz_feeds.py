"""Whatever a feed host sends: a feed, or ``NotAFeed``; never a crash, never unbounded."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from library.feeds import MAX_ENTRIES, MAX_TITLE, NotAFeed, discover, parse_feed

BASE = "http://127.0.0.1:9/feed"
_TYPES = st.sampled_from(
    ["application/rss+xml", "application/atom+xml", "application/feed+json", "text/html", ""]
)


def _check(body: bytes, content_type: str) -> None:
    try:
        feed = parse_feed(body, content_type, BASE)
    except NotAFeed:
        return
    assert len(feed.entries) <= MAX_ENTRIES
    assert feed.title is None or len(feed.title) <= MAX_TITLE
    latest = datetime.now(UTC).isoformat()
    for entry in feed.entries:
        assert entry.published is None or entry.published <= latest
        assert entry.link is None or entry.link.startswith(("http://", "https://"))
        assert entry.keys() or not (entry.guid or entry.link or entry.content or entry.title)


@given(st.binary(max_size=2000), _TYPES)
def test_any_bytes_are_a_feed_or_not_a_feed(body, content_type):
    _check(body, content_type)


_TEXT = st.text(max_size=40)
_ITEM = st.fixed_dictionaries(
    {},
    optional={
        "guid": _TEXT,
        "link": st.one_of(_TEXT, st.just("http://example.org/a"), st.just("javascript:x")),
        "title": _TEXT,
        "description": _TEXT,
        "pubDate": st.one_of(_TEXT, st.just("Mon, 01 Dec 2099 10:00:00 GMT")),
    },
)


@given(st.lists(_ITEM, max_size=8), _TEXT)
def test_rss_with_any_fields_is_read_within_bounds(items, title):
    from xml.sax.saxutils import escape

    body = "".join(
        "<item>" + "".join(f"<{k}>{escape(v)}</{k}>" for k, v in item.items()) + "</item>"
        for item in items
    )
    document = f'<?xml version="1.0"?><rss version="2.0"><channel><title>{escape(title)}</title>'
    _check(f"{document}{body}</channel></rss>".encode(), "application/rss+xml")


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)


@given(
    _JSON,
    st.lists(
        st.dictionaries(
            st.sampled_from(
                ["id", "url", "title", "content_text", "content_html", "date_published"]
            ),
            _JSON,
        ),
        max_size=5,
    ),
)
def test_json_feeds_of_any_shape_are_read_within_bounds(title, items):
    document = {"version": "https://jsonfeed.org/version/1.1", "title": title, "items": items}
    _check(json.dumps(document).encode(), "application/feed+json")


@given(st.binary(max_size=2000))
def test_feed_discovery_on_any_page_names_a_web_link_or_nothing(page):
    found = discover(page, BASE)
    assert found is None or found.startswith(("http://", "https://"))


@given(st.binary(max_size=3000))
def test_any_file_sent_as_opml_is_a_list_of_web_links_or_refused(raw):
    from library.opml import MAX_OUTLINES, NotOpml, read_opml

    try:
        urls = read_opml(raw)
    except NotOpml:
        return
    assert len(urls) <= MAX_OUTLINES
    assert all(u.startswith(("http://", "https://")) for u in urls)


def test_an_entity_bomb_is_refused_not_expanded():
    import pytest

    from library.opml import NotOpml, read_opml

    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa">'
        + b"".join(
            f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">'.encode() for n in range(8)
        )
        + b']><opml><body><outline text="&i;"/></body></opml>'
    )
    with pytest.raises(NotOpml):
        read_opml(bomb)
