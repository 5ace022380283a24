"""Replies to the bot's answers continue that conversation: same article, the sentence asked
for by number, short follow-ups read with the previous question."""

from __future__ import annotations

from library.rows import hours_ago
from tests.bot.updates import GROUP, USER, feed, group_message, message

BAKERY = (
    "A bakery in Dunmore won the national bread award on Saturday.\n"
    "The judges praised its rye sourdough, which is baked overnight.\n"
    "Owner Lena Fisk said the prize money would pay for a second oven."
)


def reply_to_last_answer(api, text: str, **kwargs) -> dict:
    """``text`` as a reply to the bot's last message, as Telegram delivers it."""
    answer = api.sent_messages[-1]
    make = group_message if answer["chat"]["id"] == GROUP["id"] else message
    return make(text, reply_to=answer, **kwargs)


async def test_a_reply_goes_to_the_answers_article_whatever_the_chat_uses_now(app, api):
    await feed(app, message("How many troops are in Syria?"))
    assert "[13]" in api.sent_texts()[-1]
    seed_answer = api.sent_messages[-1]
    await feed(app, message(f"/add {BAKERY}"))
    await feed(app, message("/use 2"))  # questions now go to the bakery story
    api.clear()
    await feed(app, message("Who declined to comment?", reply_to=seed_answer))
    (text,) = api.sent_texts()
    assert "declined to comment" in text and "The Hill" in text
    assert "bakery" not in text.lower()


async def test_what_about_a_sentence_number_shows_it_in_its_paragraph(app, api):
    await feed(app, message("How many troops are in Syria?"))
    api.clear()
    await feed(app, reply_to_last_answer(api, "what about [2]?"))
    (text,) = api.sent_texts()
    assert text.startswith("Sentence 2 of 15")
    assert "<b>The move comes as the U.S. military has withdrawn" in text


async def test_tell_me_more_about_a_number_too_large_is_asked_as_a_question(app, api):
    await feed(app, message("How many troops are in Syria?"))
    api.clear()
    await feed(app, reply_to_last_answer(api, "tell me more about 2020"))
    (text,) = api.sent_texts()
    assert not text.startswith("Sentence")


async def test_a_short_follow_up_leans_on_the_previous_question(app, api):
    await feed(app, message("Who did Marco Rubio meet?"))
    assert "[10]" in api.sent_texts()[-1]
    api.clear()
    await feed(app, reply_to_last_answer(api, "and where?"))
    (text,) = api.sent_texts()
    assert "Rubio" in text  # "where" alone would not know who; the thread does


async def test_a_group_reply_to_an_answer_is_answered_from_that_article(app, api):
    await feed(app, group_message("/ask@newsdesk_test_bot How many troops are in Syria?"))
    api.clear()
    await feed(app, reply_to_last_answer(api, "who said that?"))
    (text,) = api.sent_texts()
    assert "U.S. officials" in text or "officials" in text


async def test_follow_ups_chain_and_old_answers_are_forgotten(app, api, library):
    await feed(app, message("How many troops are in Syria?"))
    first = api.sent_messages[-1]
    await feed(app, reply_to_last_answer(api, "what about [3]?"))  # not an answer: no thread
    await feed(app, message("and when?", reply_to=first))
    assert library.asking.thread(USER["id"], first["message_id"]) is not None
    library.store._db.execute("UPDATE answers SET sent_at = ?", (hours_ago(24 * 8),))
    await feed(app, message("Who declined to comment?"))  # remembering prunes the old ones
    assert library.asking.thread(USER["id"], first["message_id"]) is None
