"""A chat's own library through the real Application: /add, /articles, /use, /remove, admins."""

from __future__ import annotations

import pytest

from bot.app import build_application
from library.service import Library
from testing.web_server import STORY_SENTENCES, STORY_TITLE
from tests.bot.updates import GROUP, USER, feed, group_message, message, settings_for

FERRY = "\n".join(STORY_SENTENCES)
BAKERY = (
    "A bakery in Dunmore won the national bread award on Saturday.\n"
    "The judges praised its rye sourdough, which is baked overnight.\n"
    "Owner Lena Fisk said the prize money would pay for a second oven."
)
MEMBER = {"id": 2222, "is_bot": False, "first_name": "Bo"}
SEED_NAME = "The U.S. is preparing for a pullout of all troops stationed…"


def texts(api) -> list[str]:
    return api.sent_texts()


async def test_pasted_article_is_added_with_its_number_and_a_short_briefing(app, api):
    await feed(app, message(f"/add {BAKERY}"))
    (reply,) = texts(api)
    assert reply.startswith("Added as article <b>2</b>")
    assert "• A bakery in Dunmore won the national bread award on Saturday. [1]" in reply


async def test_questions_search_the_whole_library_and_cite_article_and_sentence(app, api):
    await feed(app, message(f"/add {BAKERY}"))
    api.clear()
    await feed(app, message("What did the judges praise?"))
    assert texts(api)[0].startswith(
        "The judges praised its rye sourdough, which is baked overnight. [2:2]"
    )
    api.clear()
    await feed(app, message("How many troops are in Syria?"))
    assert "<b>fewer than 1,000</b> troops in Syria. [1:13]" in texts(api)[0]


async def test_use_picks_one_article_and_use_all_goes_back(app, api):
    await feed(app, message(f"/add {BAKERY}"))
    await feed(app, message("/use 2"))
    await feed(app, message("How many troops are in Syria?"))
    await feed(app, message("/use all"))
    await feed(app, message("What did the judges praise?"))
    _, using, narrowed, using_all, across = texts(api)
    assert using.startswith("Questions now go to article <b>2</b>")
    assert narrowed.startswith("The article doesn't say.")
    assert using_all == "Questions now search all of this chat's articles."
    assert "[2:2]" in across


async def test_use_with_a_bad_number_explains(app, api):
    for text in ("/use", "/use 99", "/use two", "/use -1"):
        await feed(app, message(text))
    assert set(texts(api)) == {
        "Please give an article number from /articles, or <code>/use all</code>."
    }


async def test_articles_lists_shared_and_own_articles_with_the_target(app, api):
    await feed(app, message(f"/add {BAKERY}"))
    api.clear()
    await feed(app, message("/articles"))
    (listing,) = texts(api)
    assert listing.startswith("<b>Articles here</b> (questions go to all of them):")
    # Untitled articles are named by their lead's first words, cut at a word.
    assert f"<b>1</b>. {SEED_NAME} — The Hill \u00b7 en" in listing
    assert "<b>2</b>. A bakery in Dunmore won the national bread award on Saturday." in listing


async def test_articles_of_one_chat_are_invisible_in_another(app, api):
    await feed(app, message(f"/add {BAKERY}"))
    other = {"id": 3333, "is_bot": False, "first_name": "Cy"}
    api.clear()
    await feed(app, message("/articles", user=other))
    await feed(app, message("What did the judges praise?", user=other))
    await feed(app, message("/source 2:1", user=other))
    listing, answer, source = texts(api)
    assert "<b>2</b>" not in listing
    assert answer.startswith("The article doesn't say.")
    assert source.startswith("There is no article 2 here.")


async def test_remove_deletes_own_article_but_not_the_shipped_one(app, api):
    await feed(app, message(f"/add {BAKERY}"))
    await feed(app, message("/remove 1"))
    await feed(app, message("/remove 2"))
    await feed(app, message("/remove"))
    await feed(app, message("What did the judges praise?"))
    _, shipped, removed, usage, answer = texts(api)
    assert shipped == "Article 1 isn't one this chat added, so it can't be removed here."
    assert removed == "Removed article 2."
    assert usage.startswith("Please give the number of the article to remove")
    assert answer.startswith("The article doesn't say.")


async def test_the_same_text_twice_is_recognised(app, api):
    await feed(app, message(f"/add {BAKERY}"))
    await feed(app, message(f"/add   {BAKERY.upper()}"))
    assert texts(api)[1] == "That article is already here as number <b>2</b>."


async def test_reply_add_takes_the_text_of_the_replied_message(app, api):
    original = message(BAKERY)["message"]
    await feed(app, message("/add", reply_to=original))
    assert texts(api)[0].startswith("Added as article <b>2</b>")


async def test_add_without_anything_explains_the_three_ways(app, api):
    await feed(app, message("/add"))
    assert texts(api)[0].startswith("Send <code>/add</code> followed by a link or the article text")


async def test_text_that_is_not_an_article_is_refused_politely(app, api):
    await feed(app, message("/add 🙂🙂🙂"))
    reply = texts(api)[0]
    assert reply.startswith("I couldn't add that:")
    assert "Traceback" not in reply


@pytest.mark.parametrize(
    "link", ["file:///etc/passwd", "ftp://files.example/story.txt", "javascript:alert(1)"]
)
async def test_links_that_are_not_web_links_are_refused_not_stored_as_text(app, api, link):
    await feed(app, message(f"/add {link}"))
    assert texts(api) == ["I can add http:// and https:// links only."]
    api.clear()
    await feed(app, message("/articles"))
    assert "<b>2</b>." not in texts(api)[0]  # nothing was stored


def _document(file_id: str, name: str, size: int, **kwargs) -> dict:
    return {
        "document": {
            "file_id": file_id,
            "file_unique_id": f"u-{file_id}",
            "file_name": name,
            "mime_type": "text/plain",
            "file_size": size,
        },
        **kwargs,
    }


async def test_text_file_sent_in_private_is_added(app, api):
    api.files["bakery"] = BAKERY.encode()
    await feed(app, message(None, **_document("bakery", "bakery.txt", len(BAKERY))))
    assert texts(api)[0].startswith("Added as article <b>2</b>")
    assert [c.params["file_id"] for c in api.calls_to("downloadFile")] == ["bakery"]


async def test_html_file_is_reduced_to_its_story(app, api):
    from testing.web_server import STORY_HTML

    api.files["page"] = STORY_HTML.encode()
    await feed(app, message(None, **_document("page", "ferry.html", len(STORY_HTML))))
    reply = texts(api)[0]
    assert reply.startswith(f"Added as article <b>2</b>: {STORY_TITLE}")
    assert "ADVERTISEMENT" not in reply


async def test_unsupported_or_oversized_files_are_refused_before_downloading(app, api):
    await feed(app, message(None, **_document("pdf", "report.pdf", 1000)))
    await feed(app, message(None, **_document("big", "huge.txt", 50_000_000)))
    assert texts(api) == [
        "I can add .txt, .md and .html files only.",
        "That file is too big; articles are limited to 2 MB.",
    ]
    assert api.calls_to("getFile") == []


async def test_binary_file_with_a_text_name_is_refused(app, api):
    api.files["bin"] = bytes(range(256)) * 10
    await feed(app, message(None, **_document("bin", "notes.txt", 2560)))
    assert texts(api)[0].startswith("I couldn't add that:")


async def test_group_files_without_add_caption_are_ignored(app, api):
    api.files["bakery"] = BAKERY.encode()
    await feed(app, group_message(None, **_document("bakery", "bakery.txt", len(BAKERY))))
    assert texts(api) == []


# -- adding by URL ------------------------------------------------------------------------


async def test_url_is_fetched_extracted_and_briefed(web_app, api, site):
    await feed(web_app, message(f"/add {site.url('/news/ferry-terminal')}"))
    (reply,) = texts(api)
    assert reply.startswith(f"Added as article <b>2</b>: {STORY_TITLE}")
    assert "Kelmouth Gazette" in reply and "2026-11-23" in reply
    assert "waste of taxpayer money" not in reply  # a reader's comment, not the story
    assert api.calls_to("sendChatAction")[0].params["action"] == "typing"
    api.clear()
    await feed(web_app, message("When will construction of the terminal start?"))
    answer = texts(api)[0]
    assert (
        "Construction is expected to start in <b>April</b> and cost 85 million pounds. [2:3]"
        in answer
    )
    assert f"— {STORY_TITLE}" in answer


async def test_a_refused_typing_action_does_not_decide_the_add(web_app, api, site):
    api.refuse["sendChatAction"] = "Bad Request: chat action refused"
    await feed(web_app, message(f"/add {site.url('/news/ferry-terminal')}"))
    (reply,) = texts(api)
    assert reply.startswith(f"Added as article <b>2</b>: {STORY_TITLE}")


async def test_same_url_twice_is_not_fetched_again(web_app, api, site):
    url = site.url("/news/ferry-terminal")
    await feed(web_app, message(f"/add {url}"))
    await feed(web_app, message(f"/add {url}"))
    assert texts(api)[1] == "That article is already here as number <b>2</b>."
    assert site.requests == ["/news/ferry-terminal"]


async def test_internal_url_is_refused_in_the_chat(app, api, site):
    await feed(app, message(f"/add {site.url('/news/ferry-terminal')}"))
    await feed(app, message("/add http://169.254.169.254/latest/meta-data/"))
    first, second = texts(api)
    assert (
        first
        == "I couldn't add that: 127.0.0.1 points to a private or internal address; not fetched"
    )
    assert "private or internal address" in second
    assert site.requests == []


# -- who may change a group's library ------------------------------------------------------


async def test_group_members_cannot_add_remove_or_schedule(app, api):
    for command in (f"/add {BAKERY}", "/remove 2", "/schedule 08:00", "/unschedule"):
        await feed(app, group_message(command, user=MEMBER))
    assert texts(api) == ["Only this group's administrators can do that."] * 4
    checks = api.calls_to("getChatMember")
    assert {(c.params["chat_id"], c.params["user_id"]) for c in checks} == {
        (str(GROUP["id"]), str(MEMBER["id"]))
    }


@pytest.mark.parametrize("status", ["administrator", "creator"])
async def test_group_administrators_can_add(app, api, status):
    api.members[(GROUP["id"], USER["id"])] = status
    await feed(app, group_message(f"/add {BAKERY}"))
    assert texts(api)[0].startswith("Added as article <b>2</b>")


async def test_anonymous_administrator_posting_as_the_group_can_add(app, api):
    anonymous = {
        "id": 1087968824,
        "is_bot": True,
        "first_name": "Group",
        "username": "GroupAnonymousBot",
    }
    await feed(app, group_message(f"/add {BAKERY}", user=anonymous, sender_chat=GROUP))
    assert texts(api)[0].startswith("Added as article <b>2</b>")


async def test_group_admin_file_with_add_caption_is_added(app, api):
    api.members[(GROUP["id"], USER["id"])] = "administrator"
    api.files["bakery"] = BAKERY.encode()
    document = _document("bakery", "bakery.md", len(BAKERY), caption="/add")
    await feed(app, group_message(None, **document))
    assert texts(api)[0].startswith("Added as article <b>2</b>")


async def test_admin_rule_can_be_switched_off(api, library, tmp_path):
    application = build_application(settings_for(api, tmp_path, admins_only=False), library)
    async with application:
        api.clear()
        await feed(application, group_message(f"/add {BAKERY}", user=MEMBER))
    assert texts(api)[0].startswith("Added as article <b>2</b>")
    assert api.calls_to("getChatMember") == []


async def test_everyone_may_read_the_group_library(app, api):
    await feed(app, group_message("/articles", user=MEMBER))
    assert texts(api)[0].startswith("<b>Articles here</b>")
    assert api.calls_to("getChatMember") == []


def test_library_fixture_holds_only_the_seed(library: Library):
    assert [row.id for row in library.articles.visible(USER["id"])] == [1]
