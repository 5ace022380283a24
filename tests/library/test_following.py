"""Following news feeds: real feedparser on feeds served from 127.0.0.1, both stores."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from library.errors import FetchError
from library.feeds import FLOOR_SECONDS, NotAFeed
from library.following import NEW_PER_POLL, Caps, Following, TooManyFeeds
from library.service import Library
from testing.feed_server import FeedServer, Page
from testing.web_server import STORY_HTML

CHAT = -1005


def rss(
    items: list[tuple[str, str, str, str]], title: str = "Kelmouth Gazette", ttl: str = ""
) -> bytes:
    """An RSS 2.0 feed of (guid, link, title, description) items, newest first."""
    body = "".join(
        f"<item><guid>{g}</guid><link>{link}</link><title>{t}</title>"
        f"<description>{d}</description>"
        f"<pubDate>Mon, {30 - n:02d} Nov 2026 10:00:00 GMT</pubDate></item>"
        for n, (g, link, t, d) in enumerate(items)
    )
    ttl_tag = f"<ttl>{ttl}</ttl>" if ttl else ""
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>http://example.org/</link>{ttl_tag}{body}</channel></rss>"
    ).encode()


TRAM = (
    "The city council approved a new tram line on Tuesday. The line will cost 420 million "
    "euros, the mayor said. Construction starts in March 2027 and will take four years."
)


@pytest.fixture
def site() -> Iterator[FeedServer]:
    with FeedServer() as server:
        server.pages["/story"] = Page(STORY_HTML.encode(), "text/html; charset=utf-8")
        yield server


@pytest.fixture
def library(database) -> Iterator[Library]:
    shelf = Library.open(database, allow_hosts={"127.0.0.1"})
    yield shelf
    shelf.close()


def _due_now(library: Library) -> None:
    """As if the next poll's time had come."""
    library.store._write("UPDATE feeds SET next_poll_at = ?", ("2000-01-01T00:00:00+00:00",))


async def test_a_followed_feed_brings_its_entries_as_cited_articles(library, site):
    site.pages["/feed.xml"] = Page(
        rss(
            [
                ("g2", site.url("/missing"), "Tram line approved", TRAM),
                ("g1", site.url("/story"), "Second ferry terminal", "Short teaser."),
            ]
        ),
        headers={"ETag": '"v1"'},
    )
    following = Following(library.articles)
    followed = await following.follow(CHAT, site.url("/feed.xml"))
    assert followed.feed.title == "Kelmouth Gazette" and followed.entries == 2
    (polled,) = await following.poll_due()
    assert len(polled.added) == 2
    rows = {row.title: row for row in library.articles.visible(CHAT)}
    ferry = rows["Second ferry terminal"]  # its page was fetched and extracted
    assert ferry.source == "Kelmouth Gazette" and ferry.url == site.url("/story")
    assert ferry.published == "2026-11-29T10:00:00+00:00"
    # The tram entry's page is missing: its own text is the article.
    reply = library.asking.ask(CHAT, "How much will the tram line cost?")
    assert reply.answer.answer is not None
    assert reply.answer.answer.ranked[0].text == (
        "The line will cost 420 million euros, the mayor said."
    )
    reply = library.asking.ask(CHAT, "How much will the ferry terminal cost?")
    assert reply.answer.answer is not None
    assert "85 million pounds" in reply.answer.answer.ranked[0].text
    (feed,) = following.followed(CHAT)
    assert feed.items == 2 and feed.error is None


async def test_an_unchanged_feed_costs_a_304_and_adds_nothing(library, site):
    site.pages["/feed.xml"] = Page(
        rss([("g1", site.url("/missing"), "Tram", TRAM)]), headers={"ETag": '"v1"'}
    )
    following = Following(library.articles)
    await following.follow(CHAT, site.url("/feed.xml"))
    await following.poll_due()
    assert await following.poll_due() == []  # not due again yet
    _due_now(library)
    (polled,) = await following.poll_due()
    assert polled.added == ()
    assert site.asked("/feed.xml")[-1].headers["if-none-match"] == '"v1"'
    assert len(library.articles.visible(CHAT)) == 1


async def test_atom_and_json_feeds_and_a_page_that_names_its_feed(library, site):
    site.pages["/atom"] = Page(
        (
            '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom News</title>'
            f'<entry><id>a1</id><title>Tram</title><link href="{site.url("/x")}"/>'
            f"<updated>2026-11-30T10:00:00Z</updated><content>{TRAM}</content></entry></feed>"
        ).encode(),
        "application/atom+xml",
    )
    site.pages["/feed.json"] = Page(
        json.dumps(
            {
                "version": "https://jsonfeed.org/version/1.1",
                "title": "JSON News",
                "items": [{"id": "j1", "url": site.url("/story"), "title": "Ferry"}],
            }
        ).encode(),
        "application/feed+json",
    )
    site.pages["/home"] = Page(
        b'<html><head><link rel="alternate" type="application/rss+xml" href="/atom">'
        b"</head><body>News</body></html>",
        "text/html",
    )
    following = Following(library.articles)
    assert (await following.follow(CHAT, site.url("/feed.json"))).feed.title == "JSON News"
    found = await following.follow(CHAT, site.url("/home"))  # autodiscovery
    assert found.feed.url == site.url("/atom") and found.feed.title == "Atom News"
    polled = await following.poll_due()
    assert sorted(len(p.added) for p in polled) == [1, 1]
    assert {r.source for r in library.articles.visible(CHAT)} == {"Atom News", "JSON News"}


async def test_what_is_not_a_feed_is_refused_plainly(library, site):
    site.pages["/page"] = Page(b"<html><body>No feed here.</body></html>", "text/html")
    site.pages["/broken.xml"] = Page(b"<rss><channel><item><title>oops", "application/rss+xml")
    following = Following(library.articles)
    for path in ("/page", "/broken.xml"):
        with pytest.raises(NotAFeed):
            await following.follow(CHAT, site.url(path))
    assert following.followed(CHAT) == []


async def test_an_entry_in_two_feeds_or_renamed_each_poll_is_added_once(library, site):
    site.pages["/one.xml"] = Page(rss([("a", site.url("/missing"), "Tram", TRAM)], "One"))
    site.pages["/two.xml"] = Page(rss([("b", site.url("/missing"), "Tram", TRAM)], "Two"))
    following = Following(library.articles)
    await following.follow(CHAT, site.url("/one.xml"))
    await following.follow(CHAT, site.url("/two.xml"))
    added = [p.added for p in await following.poll_due()]
    assert sum(len(a) for a in added) == 1
    # A feed that gives every entry a new guid on each poll: its links give it away.
    site.pages["/one.xml"] = Page(rss([("a-renamed", site.url("/missing"), "Tram", TRAM)], "One"))
    _due_now(library)
    assert all(p.added == () for p in await following.poll_due())
    assert len(library.articles.visible(CHAT)) == 1


async def test_a_big_feed_brings_only_its_newest_few_per_poll(library, site):
    items = [
        (f"g{n}", site.url(f"/missing{n}"), f"Story {n}", f"{TRAM} Story number {n} of the day.")
        for n in range(50)
    ]
    site.pages["/big.xml"] = Page(rss(items))
    following = Following(library.articles, Caps(per_day=100))
    await following.follow(CHAT, site.url("/big.xml"))
    (polled,) = await following.poll_due()
    assert len(polled.added) == NEW_PER_POLL
    assert {r.title for r in library.articles.visible(CHAT)} == {
        f"Story {n}" for n in range(NEW_PER_POLL)
    }
    _due_now(library)
    (again,) = await following.poll_due()
    assert again.added == ()  # the rest were passed over, not queued to flood the chat later


async def test_a_failing_feed_backs_off_then_is_paused_and_told_once(library, site):
    site.pages["/feed.xml"] = Page(b"busy", "text/plain", 503, {"Retry-After": "3600"})
    following = Following(library.articles)
    site.pages["/ok.xml"] = Page(rss([("g", site.url("/missing"), "Tram", TRAM)]))
    await following.follow(CHAT, site.url("/ok.xml"))
    library.store._write("UPDATE feeds SET url = ?", (site.url("/feed.xml"),))
    before = datetime.now(UTC)
    (polled,) = await following.poll_due()
    assert not polled.paused_now
    (feed,) = following.followed(CHAT)
    assert feed.failures == 1 and "503" in (feed.error or "")
    (due,) = library.store._read("SELECT next_poll_at FROM feeds")
    wait = datetime.fromisoformat(due[0]) - before
    assert timedelta(seconds=3600) <= wait <= timedelta(hours=6, seconds=5)  # Retry-After, x2
    library.store._write("UPDATE feeds SET failing_since = ?", ("2026-01-01T00:00:00+00:00",))
    _due_now(library)
    (polled,) = await following.poll_due()
    assert polled.paused_now
    (feed,) = following.followed(CHAT)
    assert feed.paused
    _due_now(library)
    assert await following.poll_due() == []  # paused feeds are not polled


async def test_caps_on_feeds_per_chat_and_unfollowing_by_number(library, site):
    for n in range(3):
        site.pages[f"/f{n}.xml"] = Page(rss([], title=f"Feed {n}"))
    following = Following(library.articles, Caps(feeds=2))
    await following.follow(CHAT, site.url("/f0.xml"))
    await following.follow(CHAT, site.url("/f1.xml"))
    with pytest.raises(TooManyFeeds):
        await following.follow(CHAT, site.url("/f2.xml"))
    gone = following.unfollow(CHAT, 1)
    assert gone is not None and gone.title == "Feed 0"
    assert following.unfollow(CHAT, 5) is None
    assert [f.title for f in following.followed(CHAT)] == ["Feed 1"]


async def test_a_feed_is_polled_by_one_process_at_a_time(library, site):
    site.pages["/feed.xml"] = Page(rss([("g", site.url("/missing"), "Tram", TRAM)]))
    following = Following(library.articles)
    await following.follow(CHAT, site.url("/feed.xml"))
    until = (datetime.now(UTC) + timedelta(minutes=2)).isoformat()
    assert len(library.store.claim_feeds(until=until, limit=10)) == 1
    assert library.store.claim_feeds(until=until, limit=10) == []  # held by the first
    assert await following.poll_due() == []


async def test_feed_articles_are_pruned_after_the_keep_days_hand_added_never(library, site):
    site.pages["/feed.xml"] = Page(rss([("g", site.url("/missing"), "Tram", TRAM)]))
    following = Following(library.articles, Caps(keep_days=30))
    await following.follow(CHAT, site.url("/feed.xml"))
    await following.poll_due()
    by_hand = library.articles.add(CHAT, "A hand-added story about harbour tides. It is kept.")
    library.store._write("UPDATE articles SET added_at = ?", ("2026-01-01T00:00:00+00:00",))
    assert following.prune() == 1
    assert [r.id for r in library.articles.visible(CHAT)] == [by_hand.article_id]


def test_the_poll_interval_honours_the_feed_within_floor_and_ceiling():
    from library.feeds import CEILING_SECONDS, next_poll_seconds

    assert next_poll_seconds(ttl_seconds=60) == FLOOR_SECONDS
    assert next_poll_seconds(cache_control="public, max-age=1800") == 1800
    assert next_poll_seconds(retry_after="7200") == 7200
    assert next_poll_seconds(ttl_seconds=10**8) == CEILING_SECONDS
    assert next_poll_seconds(failures=3) == 15 * 60 * 8


async def test_hostile_feeds_cost_a_bounded_effort_and_leave_a_clear_line(library, site):
    big = rss([("g", site.url("/x"), "T", "word " * 600_000)])
    site.pages["/huge.xml"] = Page(big)
    site.pages["/sneaky.xml"] = Page(
        b"", status=302, headers={"Location": "http://169.254.169.254/"}
    )
    following = Following(library.articles)
    with pytest.raises(FetchError, match="larger than 2 MB"):
        await following.follow(CHAT, site.url("/huge.xml"))
    with pytest.raises(FetchError, match=r"169\.254\.169\.254"):
        await following.follow(CHAT, site.url("/sneaky.xml"))
    # A feed that turns hostile after it was followed: its line in /feeds says why.
    site.pages["/feed.xml"] = Page(rss([]))
    await following.follow(CHAT, site.url("/feed.xml"))
    site.pages["/feed.xml"] = Page(big)
    await following.poll_due()
    (feed,) = following.followed(CHAT)
    assert "larger than 2 MB" in (feed.error or "") and feed.failures == 1


async def test_entries_without_links_or_dates_or_from_the_future_are_read_sensibly(library, site):
    future = "Mon, 01 Dec 2099 10:00:00 GMT"
    site.pages["/odd.xml"] = Page(
        (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Odd</title>'
            f"<item><title>No link</title><description>{TRAM}</description></item>"
            f"<item><guid>f</guid><title>Future</title><pubDate>{future}</pubDate>"
            f"<description>{OTHER_STORY}</description></item>"
            "<item><guid>same</guid><title>First</title><description>"
            f"{THIRD_STORY}</description></item>"
            "<item><guid>same</guid><title>Second</title><description>"
            "Something else entirely, with other words than the first.</description></item>"
            "</channel></rss>"
        ).encode()
    )
    following = Following(library.articles)
    await following.follow(CHAT, site.url("/odd.xml"))
    await following.poll_due()
    rows = {r.title: r for r in library.articles.visible(CHAT)}
    assert set(rows) == {"No link", "Future", "First"}  # a reused guid is the same entry
    assert rows["No link"].url is None
    assert rows["Future"].published is not None
    assert rows["Future"].published <= datetime.now(UTC).isoformat()


OTHER_STORY = (
    "The harbour board met on Monday to discuss dredging. Berth four will be dredged "
    "before winter, the board said."
)
THIRD_STORY = (
    "A bakery in Dunmore won the national bread award on Saturday. Its sourdough "
    "impressed the judges, who tasted 300 loaves."
)


async def test_two_replicas_polling_together_take_each_feed_once(postgres_url, site):
    """Two processes on one PostgreSQL library poll at the same moment: every feed is
    polled by one of them, and each entry becomes one article."""
    replicas = [Library.open(postgres_url, allow_hosts={"127.0.0.1"}) for _ in range(2)]
    try:
        first, second = (Following(r.articles, Caps(feeds=50)) for r in replicas)
        for n in range(12):
            site.pages[f"/f{n}.xml"] = Page(
                rss([(f"g{n}", site.url(f"/missing{n}"), f"Story {n}", f"{TRAM} Feed {n}.")])
            )
            await first.follow(CHAT, site.url(f"/f{n}.xml"))
        one, other = await asyncio.gather(first.poll_due(batch=3), second.poll_due(batch=3))
        polled = [p.feed.id for p in [*one, *other]]
        assert sorted(polled) == sorted(set(polled)) and len(polled) == 12
        assert len(replicas[1].articles.visible(CHAT)) == 12
    finally:
        for replica in replicas:
            replica.close()
