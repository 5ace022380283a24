"""Questions about a shared link or text: answered from it, never added unasked; in private
chats a forward or a bare link offers "Add it / Ask about it"."""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest

from bot.app import build_application
from retrieval import EmbeddingStopped
from testing.fake_bot_api import BOT_USERNAME
from testing.web_server import STORY_TITLE
from tests.bot.updates import GROUP, USER, feed, group_message, mention, message, settings_for

MEMBER = {"id": 3333, "is_bot": False, "first_name": "Lin"}
TRAM = (
    "The city council voted 31 to 12 on Tuesday to build a new tram line linking the central "
    "station with the airport. The line will cost 420 million euros, most of it paid by the "
    "regional government. It will run for 14 kilometres and have nine stops."
)
_callbacks = itertools.count(1)


def shared_in_group(text: str) -> dict:
    """A member's message as Telegram nests it in a reply to it."""
    return {
        "message_id": 501,
        "date": int(time.time()),
        "chat": GROUP,
        "from": MEMBER,
        "text": text,
    }


def button(api, data: str) -> dict:
    """The user pressing a button under the bot's last message."""
    offer = api.sent_messages[-1]
    return {
        "update_id": 9000 + next(_callbacks),
        "callback_query": {
            "id": "cq",
            "from": USER,
            "chat_instance": "ci",
            "data": data,
            "message": offer,
        },
    }


async def test_a_bare_mention_replying_to_a_shared_text_asks_for_a_question(app, api):
    nothing = mention("?")
    nothing["message"]["reply_to_message"] = shared_in_group(TRAM)
    await feed(app, nothing)
    (text,) = api.sent_texts()
    assert text.startswith("I couldn't find anything to look up in that.")


async def test_a_group_question_replying_to_a_shared_text_is_answered_from_it(app, api):
    question = mention("How much will it cost?")
    question["message"]["reply_to_message"] = shared_in_group(TRAM)
    await feed(app, question)
    (text,) = api.sent_texts()
    assert "420 million euros" in text and "[2]" in text
    api.clear()
    await feed(app, group_message("/articles"))
    assert "tram" not in api.sent_texts()[0].lower()  # asked about, not added


async def test_ask_command_replying_to_a_shared_link_fetches_it_once(web_app, api, site):
    shared = shared_in_group(f"Look: {site.url('/news/ferry-terminal')}")
    shared["entities"] = [{"type": "url", "offset": 6, "length": len(shared["text"]) - 6}]
    for question in ("How much will the terminal cost?", "Who opposed the plan?"):
        await feed(
            web_app,
            group_message(f"/ask@{BOT_USERNAME} {question}", reply_to=shared),
        )
    first, second = api.sent_texts()
    assert "85 million pounds" in first and STORY_TITLE in first
    assert "fishermen" in second
    assert site.requests.count("/news/ferry-terminal") == 1  # the second one used the cache


async def test_a_forward_in_private_offers_add_or_ask_then_answers_the_question(app, api):
    forwarded = message(
        TRAM, forward_origin={"type": "hidden_user", "date": 1, "sender_user_name": "X"}
    )
    await feed(app, forwarded)
    (call,) = api.calls_to("sendMessage")
    assert call.params["text"] == "What should I do with it?"
    buttons = call.params["reply_markup"]["inline_keyboard"][0]
    assert [b["text"] for b in buttons] == ["Add it", "Ask about it"]
    api.sent_messages[-1]["reply_to_message"] = forwarded["message"]  # as Telegram shows it
    await feed(app, button(api, "shared:ask"))
    prompt = api.sent_messages[-1]
    assert prompt["text"].startswith("What would you like to know about it?")
    api.clear()
    await feed(app, message("How many stops will it have?", reply_to=prompt))
    (answer,) = api.sent_texts()
    assert "have <b>nine</b> stops" in answer  # the asked amount, bolded


async def test_a_bare_link_in_private_can_be_added_with_the_button(web_app, api, site):
    link = message(site.url("/news/ferry-terminal"))
    await feed(web_app, link)
    assert api.sent_texts() == ["What should I do with it?"]
    api.sent_messages[-1]["reply_to_message"] = link["message"]
    await feed(web_app, button(api, "shared:add"))
    assert api.sent_texts()[-1].startswith(f"Added as article <b>2</b>: {STORY_TITLE}")


async def test_a_button_whose_message_telegram_no_longer_shows_says_so(app, api):
    await feed(
        app,
        message(TRAM, forward_origin={"type": "hidden_user", "date": 1, "sender_user_name": "X"}),
    )
    api.clear()
    await feed(app, button(api, "shared:add"))  # no reply_to_message: the original is gone
    assert api.sent_texts() == ["I can't see that message any more. Please send it again."]


# -- channel comments -------------------------------------------------------------------

CHANNEL = {"id": -1009990001, "type": "channel", "title": "City News"}
TELEGRAM = {"id": 777000, "is_bot": False, "first_name": "Telegram"}


def channel_post(text: str) -> dict:
    """A channel's post as Telegram forwards it into the channel's discussion group."""
    forwarded = {"from": TELEGRAM, "sender_chat": CHANNEL, "is_automatic_forward": True}
    return shared_in_group(text) | forwarded | {"message_id": 610}


async def test_a_comment_under_a_channel_post_is_answered_from_the_post(app, api):
    comment = mention("How many stops will it have?")
    comment["message"]["reply_to_message"] = channel_post(TRAM)
    await feed(app, comment)
    (text,) = api.sent_texts()
    assert "have <b>nine</b> stops" in text and "[3]" in text


async def test_channel_posts_forwarded_into_the_group_never_trigger_a_reply(app, api):
    for text in (f"@{BOT_USERNAME} how many troops are in Syria?", f"/ask@{BOT_USERNAME} troops?"):
        post = channel_post(text)
        entity_type = "mention" if text.startswith("@") else "bot_command"
        length = len(BOT_USERNAME) + 1 if text.startswith("@") else len(text.split()[0])
        post["entities"] = [{"type": entity_type, "offset": 0, "length": length}]
        await feed(app, {"update_id": 7000 + len(text), "message": post})
    assert api.sent_texts() == []


# -- bounds, admins and pending prompts (issue 21) --------------------------------------


async def _prompt_for_question(app, api) -> dict:
    """Forward TRAM in private and press "Ask about it": the bot's prompt message."""
    forwarded = message(
        TRAM, forward_origin={"type": "hidden_user", "date": 1, "sender_user_name": "X"}
    )
    await feed(app, forwarded)
    api.sent_messages[-1]["reply_to_message"] = forwarded["message"]
    await feed(app, button(api, "shared:ask"))
    prompt = api.sent_messages[-1]
    api.clear()
    return prompt


async def test_a_prompt_is_answered_by_a_restarted_bot(app, api, library, tmp_path):
    prompt = await _prompt_for_question(app, api)
    # Another Application over the same database: no chat_data carried over, as after a
    # restart or on another replica.
    other = build_application(settings_for(api, tmp_path), library)
    await other.initialize()
    try:
        await feed(other, message("How many stops will it have?", reply_to=prompt))
    finally:
        await other.shutdown()
    (answer,) = api.sent_texts()
    assert "have <b>nine</b> stops" in answer  # the asked amount, bolded


async def test_a_reply_to_a_forgotten_prompt_says_so_instead_of_asking_the_library(
    app, api, library
):
    prompt = await _prompt_for_question(app, api)
    library.store._write("DELETE FROM pending_prompts")
    await feed(app, message("How many troops are in Syria?", reply_to=prompt))
    (text,) = api.sent_texts()
    assert text.startswith("I no longer remember what that question was about.")


async def test_shared_questions_beyond_the_reading_queue_are_told_to_wait(app, api, library):
    queue = library.asking.looking_up
    others = [-1, -2, -3]
    for chat in others:
        queue.reserve(chat)
    try:
        question = mention("How much will it cost?")
        question["message"]["reply_to_message"] = shared_in_group(TRAM)
        await feed(app, question)
    finally:
        for chat in others:
            queue.release(chat)
    assert api.sent_texts() == [
        "I'm busy: many articles are being read right now; try again in a minute."
    ]


async def test_one_chat_reads_one_shared_link_at_a_time(app, api, library):
    library.asking.looking_up.reserve(GROUP["id"])
    try:
        question = mention("How much will it cost?")
        question["message"]["reply_to_message"] = shared_in_group(TRAM)
        await feed(app, question)
    finally:
        library.asking.looking_up.release(GROUP["id"])
    (text,) = api.sent_texts()
    assert text.startswith("I'm busy: this chat is already reading an article")


async def test_add_it_pressed_by_a_group_member_is_refused(app, api, library):
    offer = group_message("What should I do with it?", user=MEMBER)
    offer["message"]["reply_to_message"] = shared_in_group(TRAM)
    forged = {
        "update_id": 9500,
        "callback_query": {
            "id": "forged",
            "from": MEMBER,
            "chat_instance": "ci",
            "data": "shared:add",
            "message": offer["message"],
        },
    }
    before = len(library.articles.visible(GROUP["id"]))
    await feed(app, forged)
    (alert,) = api.calls_to("answerCallbackQuery")
    assert alert.params["text"] == "Only this group's administrators can do that."
    assert api.sent_texts() == []
    assert len(library.articles.visible(GROUP["id"])) == before


async def test_a_stopping_bot_stops_reading_a_shared_text(library):
    long_text = " ".join(f"Council member {i} voted for the harbour plan." for i in range(3000))
    reading = asyncio.create_task(library.asking.look_up(USER["id"], long_text))
    await asyncio.sleep(0.5)
    started = time.perf_counter()
    library.stop_background()
    with pytest.raises(EmbeddingStopped):
        await reading
    assert time.perf_counter() - started < 5
