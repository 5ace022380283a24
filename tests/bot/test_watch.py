"""/watch: links posted in a group or a channel become the chat's articles, quietly."""

from __future__ import annotations

import itertools
import time
from typing import Any

from bot import texts
from testing.web_server import STORY_SENTENCES, STORY_TITLE
from tests.bot.updates import GROUP, USER, feed, group_message, mention, message

CHANNEL = {"id": -100999888, "type": "channel", "title": "Harbour News"}
_posts = itertools.count(500)


def _with_link(text: str, url: str, **kwargs: Any) -> dict[str, Any]:
    """A message whose text holds ``url``, marked as a link as Telegram does."""
    body = f"{text} {url}"
    entity = {"type": "url", "offset": len(text) + 1, "length": len(url)}
    return group_message(body, entities=[entity], **kwargs)


def _channel_post(text: str, entities: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    post = {
        "message_id": next(_posts),
        "date": int(time.time()),
        "chat": CHANNEL,
        "sender_chat": CHANNEL,
        "text": text,
        "entities": entities or [],
    }
    return {"update_id": next(_posts), "channel_post": post}


async def test_links_posted_in_a_watched_group_become_articles_quietly(web_app, api, site):
    api.members[(GROUP["id"], USER["id"])] = "administrator"
    member = {"id": 3131, "is_bot": False, "first_name": "Cy"}
    story = site.url("/news/ferry-terminal")
    await feed(web_app, _with_link("Before watching:", story, user=member))
    await feed(web_app, group_message("/watch on"))
    assert api.sent_texts() == [texts.WATCH_ON]
    api.clear()
    await feed(web_app, _with_link("Big news for the port:", story, user=member))
    assert api.sent_texts() == []  # never a reply to a watched post
    await feed(web_app, group_message("/articles"))
    (listing,) = api.sent_texts()
    assert f"<b>2</b>. {STORY_TITLE}" in listing
    api.clear()
    await feed(web_app, group_message("/watch off"))
    await feed(web_app, _with_link("Again:", site.url("/lighthouse.txt"), user=member))
    await feed(web_app, group_message("/articles"))
    off, listing = api.sent_texts()
    assert off == texts.WATCH_OFF
    assert "lighthouse" not in listing.lower()


async def test_only_administrators_may_watch_a_group(web_app, api):
    await feed(web_app, group_message("/watch on"))
    assert api.sent_texts() == [texts.ADMINS_ONLY]
    api.clear()
    await feed(web_app, group_message("/watch"))
    assert api.sent_texts() == [texts.ADMINS_ONLY]


async def test_a_watched_channel_s_linked_posts_become_its_articles(web_app, api, site):
    await feed(web_app, _channel_post("/watch on"))
    assert api.sent_texts() == [texts.WATCH_ON]
    api.clear()
    story = site.url("/news/ferry-terminal")
    await feed(
        web_app,
        _channel_post(
            "Read the full story",
            [{"type": "text_link", "offset": 9, "length": 10, "url": story}],
        ),
    )
    assert api.sent_texts() == []
    rows = web_app.bot_data.library.articles.visible(CHANNEL["id"])
    assert [r.title for r in rows if not r.shared] == [STORY_TITLE]
    await feed(web_app, _channel_post("/watch"))
    assert api.sent_texts() == [texts.WATCHING]


async def test_watching_is_for_groups_and_channels(web_app, api):
    await feed(web_app, message("/watch on"))
    assert api.sent_texts() == [texts.WATCH_PRIVATE]


def _forwarded_into_the_group(post: dict[str, Any]) -> dict[str, Any]:
    """The copy of a channel post Telegram itself puts in the channel's discussion group."""
    body = {
        **post["channel_post"],
        "message_id": next(_posts),
        "chat": GROUP,
        "is_automatic_forward": True,
        "forward_origin": {
            "type": "channel",
            "date": int(time.time()),
            "chat": CHANNEL,
            "message_id": post["channel_post"]["message_id"],
        },
    }
    return {"update_id": next(_posts), "message": body}


async def test_a_channel_s_discussion_group_shares_the_channel_s_library(web_app, api, site):
    await feed(web_app, _channel_post("/watch on"))
    story = site.url("/news/ferry-terminal")
    post = _channel_post(
        "Read the full story", [{"type": "text_link", "offset": 9, "length": 10, "url": story}]
    )
    await feed(web_app, post)
    api.clear()
    await feed(web_app, mention("How much will construction cost?"))
    (before,) = api.sent_texts()
    assert "85 million" not in before  # the group does not know the channel yet
    api.clear()

    await feed(web_app, _forwarded_into_the_group(post))
    assert api.sent_texts() == []  # Telegram's own copy of the post is never answered
    await feed(web_app, group_message("/articles"))
    (listing,) = api.sent_texts()
    assert STORY_TITLE in listing
    api.clear()
    await feed(web_app, mention("How much will construction cost?"))
    (answer,) = api.sent_texts()
    assert STORY_SENTENCES[2].split(" and ")[0] in answer
    # The channel's own library is what the group added to: one library, two chats.
    rows = web_app.bot_data.library.articles.visible(CHANNEL["id"])
    assert [r.title for r in rows if not r.shared] == [STORY_TITLE]


async def test_a_forward_from_a_non_channel_does_not_link_a_group(web_app, api):
    forged = group_message("copied", is_automatic_forward=True, sender_chat=GROUP)
    await feed(web_app, forged)
    assert web_app.bot_data.library.chats.library_of(GROUP["id"]) == GROUP["id"]
