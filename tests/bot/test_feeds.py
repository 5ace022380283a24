"""/follow, /feeds, /unfollow and the feed poller through the real Application, with feeds
served from 127.0.0.1 and the fake Bot API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from telegram.ext import Application, CallbackContext

from bot import texts
from bot.feeds import poll_feeds
from testing.feed_server import FeedServer, Page
from tests.bot.updates import USER, feed, message
from tests.library.test_following import TRAM, rss


@pytest.fixture
def feeds_site() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


async def _poll(application: Application) -> None:
    """One round of the poll job, as the job queue runs it every 30 s."""
    await poll_feeds(CallbackContext(application))


async def test_a_followed_feed_s_stories_can_be_questioned(web_app, api, feeds_site):
    feeds_site.pages["/feed.xml"] = Page(
        rss(
            [
                ("g2", feeds_site.url("/tram"), "Tram line approved", TRAM),
                ("g1", feeds_site.url("/gone"), "Parking", "Parking fees rise. " * 10),
            ]
        )
    )
    await feed(web_app, message(f"/follow {feeds_site.url('/feed.xml')}"))
    (followed,) = api.sent_texts()
    assert followed.startswith("Following <b>Kelmouth Gazette</b> (2 entries there now).")
    api.clear()
    await _poll(web_app)
    (notice,) = api.sent_texts()
    assert notice == "From <b>Kelmouth Gazette</b>: 2 new articles (2, 3). Ask away."
    api.clear()
    await feed(web_app, message("How much will the tram line cost?"))
    (answer,) = api.sent_texts()
    assert "The line will cost <b>420 million euros</b>, the mayor said. [" in answer
    assert "Tram line approved" in answer
    api.clear()
    await _poll(web_app)  # not due again: nothing is polled, nothing said
    assert api.sent_texts() == []
    await feed(web_app, message("/feeds"))
    (listing,) = api.sent_texts()
    assert "1. <b>Kelmouth Gazette</b>: 2 articles, last new 20" in listing
    api.clear()
    await feed(web_app, message("/unfollow 1"))
    await feed(web_app, message("/feeds"))
    assert api.sent_texts() == [
        "No longer following <b>Kelmouth Gazette</b>. Its articles stay until they age out.",
        texts.NO_FEEDS,
    ]


async def test_what_cannot_be_followed_gets_a_plain_reason(web_app, api, feeds_site):
    feeds_site.pages["/page"] = Page(b"<html><body>Hello</body></html>", "text/html")
    await feed(web_app, message("/follow"))
    await feed(web_app, message("/follow not-a-link"))
    await feed(web_app, message(f"/follow {feeds_site.url('/page')}"))
    await feed(web_app, message("/follow http://10.0.0.1/feed.xml"))
    await feed(web_app, message("/unfollow 3"))
    usage, usage_again, not_feed, private, unfollow = api.sent_texts()
    assert usage == usage_again == texts.FOLLOW_USAGE
    assert not_feed == texts.NOT_A_FEED
    assert private.startswith("I couldn't follow that feed: ")
    assert "private" in private or "internal" in private or "not allowed" in private
    assert unfollow == texts.UNFOLLOW_USAGE


async def test_a_feed_failing_for_days_is_paused_and_the_chat_told_once(
    web_app, api, feeds_site, library
):
    feeds_site.pages["/feed.xml"] = Page(rss([("g", feeds_site.url("/x"), "Tram", TRAM)]))
    await feed(web_app, message(f"/follow {feeds_site.url('/feed.xml')}"))
    feeds_site.pages["/feed.xml"] = Page(b"gone", "text/plain", 500)
    library.store._write(
        "UPDATE feeds SET failing_since = ?, failures = 9", ("2026-01-01T00:00:00+00:00",)
    )
    api.clear()
    await _poll(web_app)
    (notice,) = api.sent_texts()
    assert notice.startswith("I stopped checking <b>Kelmouth Gazette</b>: it has failed for days")
    assert "HTTP 500" in notice
    library.store._write("UPDATE feeds SET next_poll_at = ?", ("2000-01-01T00:00:00+00:00",))
    api.clear()
    await _poll(web_app)
    assert api.sent_texts() == []  # paused: not polled, not told again
    await feed(web_app, message("/feeds"))
    assert "(paused)" in api.sent_texts()[0]
    assert USER["id"] == web_app.bot_data.library.following.followed(USER["id"])[0].chat_id


async def test_the_daily_briefing_of_a_chat_with_feeds_is_a_digest_by_feed(
    web_app, api, feeds_site
):
    from tests.bot.test_schedule import _fire
    from tests.bot.updates import GROUP, group_message

    api.members[(GROUP["id"], USER["id"])] = "administrator"
    feeds_site.pages["/feed.xml"] = Page(
        rss(
            [
                ("g2", feeds_site.url("/tram"), "Tram line approved", TRAM),
                ("g1", feeds_site.url("/gone"), "Parking fees rise", "Parking fees rise. " * 10),
            ]
        )
    )
    await web_app.start()
    try:
        await feed(web_app, group_message("/schedule 08:00 UTC"))
        await feed(web_app, group_message(f"/follow {feeds_site.url('/feed.xml')}"))
        await _poll(web_app)
        await feed(web_app, group_message("/add A bakery in Dunmore won the bread award."))
        api.clear()
        await _fire(web_app, api, GROUP["id"], 1)
    finally:
        await web_app.stop()
    (digest,) = api.sent_texts()
    heading, feed_name, first, second, by_hand_heading, by_hand = digest.split("\n\n")
    assert heading == "<b>Daily digest</b> \u2014 3 new article(s) from 1 feed(s)"
    assert feed_name == "<b>Kelmouth Gazette</b>"
    assert first.startswith(
        f'<b>2.</b> <a href="{feeds_site.url("/gone")}">Parking fees rise</a> (2026-11-29)\n'
    )
    assert second.startswith(
        f'<b>3.</b> <a href="{feeds_site.url("/tram")}">Tram line approved</a> (2026-11-30)\n'
    )
    assert "\u2022 The line will cost 420 million euros, the mayor said. [3:2]" in second
    assert by_hand_heading == "<b>Added here</b>"
    assert by_hand.startswith("<b>4.</b> A bakery in Dunmore won the bread award.")


def test_a_long_digest_is_split_between_articles_never_inside_one():
    from bot import render
    from library import Briefed
    from retrieval import Citation, parse_article

    sentence = "The harbour board met again on Monday to discuss dredging the berths. " * 3
    article = parse_article(sentence * 4, name="x", title="Harbour", url="https://example.org/h")
    citations = tuple(Citation(n, 1, s.text, 1.0) for n, s in enumerate(article.sentences[:2], 1))
    briefs = [Briefed(n, article, citations) for n in range(1, 41)]
    messages = render.pack(render.digest_parts(briefs, dict.fromkeys(range(1, 41), "Port"), 40))
    assert len(messages) > 1
    assert all(len(m) <= 4096 for m in messages)
    items = [p for m in messages for p in m.split("\n\n") if p.startswith("<b>") and "." in p[:8]]
    assert len(items) == 40 and all(item.count("\u2022") == 2 for item in items)


async def test_feeds_go_out_and_come_in_as_opml(web_app, api, feeds_site):
    from library import read_opml
    from tests.bot.test_library_chat import _document

    for name in ("one", "two"):
        feeds_site.pages[f"/{name}.xml"] = Page(rss([], title=f"Feed {name}"))
    await feed(web_app, message(f"/follow {feeds_site.url('/one.xml')}"))
    await feed(web_app, message(f"/follow {feeds_site.url('/two.xml')}"))
    await feed(web_app, message("/feeds opml"))
    (sent,) = api.calls_to("sendDocument")
    assert sent.params["document"]["filename"] == "feeds.opml"
    exported = sent.params["document"]["content"]
    assert read_opml(exported) == [feeds_site.url("/one.xml"), feeds_site.url("/two.xml")]
    # Another chat imports the file, with one more feed that is not one.
    other = {"id": 4242, "is_bot": False, "first_name": "Bo"}
    imported = exported.replace(
        b"</body>", f'<outline xmlUrl="{feeds_site.url("/nothing")}"/></body>'.encode()
    )
    api.files["subs"] = imported
    api.clear()
    doc = _document("subs", "feeds.opml", len(imported), caption="/follow")
    await feed(web_app, message(None, user=other, **doc))
    (reply,) = api.sent_texts()
    assert reply.startswith("Following 2 of the 3 feeds the file lists.")
    assert f"\u2022 {feeds_site.url('/nothing')} (" in reply
    followed = web_app.bot_data.library.following.followed(other["id"])
    assert sorted(f.title for f in followed) == ["Feed one", "Feed two"]  # fetched side by side


async def test_a_file_that_is_not_opml_gets_a_plain_reason(web_app, api):
    from tests.bot.test_library_chat import _document

    api.files["junk"] = b"<html><body>not a list</body></html>"
    await feed(web_app, message(None, **_document("junk", "feeds.opml", 36, caption="/follow")))
    assert api.sent_texts() == ["I couldn't read that OPML file: the file is not OPML"]
