"""Conversations through the real Application and the fake Bot API on 127.0.0.1."""

from __future__ import annotations

import pytest

from testing.fake_bot_api import BOT_USERNAME
from tests.bot.updates import (
    GROUP,
    bot_message,
    feed,
    group_message,
    mention,
    message,
)


async def test_private_question_gets_a_cited_answer_and_source(app, api):
    await feed(app, message("How many troops are in Syria?"))
    (call,) = api.calls_to("sendMessage")
    assert call.params["text"] == (
        "Currently, there are <b>fewer than 1,000</b> troops in Syria. [13]\n\n<i>Source: The Hill</i>"
    )
    assert call.params["parse_mode"] == "HTML"
    assert call.params["chat_id"] == "1111"


async def test_off_topic_question_says_the_article_does_not_say(app, api):
    await feed(app, message("Who won the Super Bowl?"))
    assert api.sent_texts()[0].startswith("The article doesn't say.")


async def test_start_greets_with_the_article_and_two_examples(app, api):
    await feed(app, message("/start"))
    text = api.sent_texts()[0]
    assert (
        "I know this article: The U.S. is preparing for a pullout of all troops stationed…" in text
    )
    assert "How many troops are in Syria?" in text and "Who declined to comment?" in text


async def test_help_lists_every_command(app, api):
    await feed(app, message("/help"))
    text = api.sent_texts()[0]
    for command in ("/ask", "/brief", "/source", "/help", "/start"):
        assert command in text
    assert f"@{BOT_USERNAME}" in text


async def test_ask_command_answers_and_without_question_explains(app, api):
    await feed(app, message("/ask Who declined to comment?"))
    await feed(app, message("/ask"))
    answer, usage = api.sent_texts()
    assert "declined to comment. [5]" in answer
    assert usage.startswith("Please put your question after the command")


async def test_group_mention_is_answered_as_a_quoted_reply(app, api):
    await feed(app, mention("who declined to comment?"))
    (call,) = api.calls_to("sendMessage")
    assert "declined to comment. [5]" in call.params["text"]
    assert call.params["chat_id"] == str(GROUP["id"])
    assert "reply_parameters" in call.params  # quotes the asker's message


async def test_group_reply_to_the_bot_is_answered(app, api):
    await feed(app, group_message("and how many troops are there?", reply_to=bot_message()))
    assert "<b>fewer than 1,000</b> troops" in api.sent_texts()[0]


async def test_group_chatter_gets_no_reply(app, api):
    await feed(app, group_message("lunch at noon?"))
    await feed(app, group_message("/brief@some_other_bot"))
    await feed(app, group_message("/weather"))
    assert api.calls_to("sendMessage") == []


async def test_group_command_addressed_to_the_bot_works(app, api):
    await feed(app, group_message(f"/ask@{BOT_USERNAME} Who did Rubio meet?"))
    assert "[10]" in api.sent_texts()[0]


async def test_a_mention_whose_offset_splits_an_emoji_is_still_understood(app, api):
    text = f"🙂@{BOT_USERNAME} who declined to comment?"
    # Offset 1 falls between the two UTF-16 halves of the emoji.
    entity = {"type": "mention", "offset": 1, "length": len(BOT_USERNAME) + 1}
    await feed(app, group_message(text, entities=[entity]))
    assert "declined to comment. [5]" in api.sent_texts()[0]


async def test_bare_mention_asks_for_a_question(app, api):
    await feed(app, mention(""))
    assert api.sent_texts()[0].startswith("Yes? Ask me a question")


async def test_brief_has_heading_bullets_citations_and_source(app, api):
    await feed(app, group_message(f"/brief@{BOT_USERNAME}"))
    lines = api.sent_texts()[0].split("\n\n")
    assert (
        lines[0] == "<b>Briefing:</b> The U.S. is preparing for a pullout of all troops stationed…"
    )
    bullets = [line for line in lines if line.startswith("\u2022")]
    assert 3 <= len(bullets) <= 5
    assert all(line.rstrip().endswith("]") for line in bullets)
    assert lines[-1] == "<i>Source: The Hill</i>"


async def test_source_shows_the_sentence_in_its_paragraph(app, api):
    await feed(app, message("/source 13"))
    text = api.sent_texts()[0]
    assert text.startswith("Sentence 13 of 15, paragraph 10:")
    assert "<b>Currently, there are fewer than 1,000 troops in Syria.</b> [13]" in text
    assert "Trump wanted to pull out all troops" in text  # the rest of the paragraph


@pytest.mark.parametrize("args", ["", " 0", " 16", " abc", " 1 2", " -3"])
async def test_bad_source_number_gets_a_range_hint(app, api, args):
    await feed(app, message(f"/source{args}"))
    assert api.sent_texts() == [
        "Please give a sentence number from 1 to 15, e.g. <code>/source 3</code>"
    ]


async def test_stats_for_the_owner_show_questions_abstentions_latency_and_articles(
    api, library, tmp_path
):
    from bot.app import build_application
    from tests.bot.updates import USER, settings_for

    application = build_application(settings_for(api, tmp_path, owner_id=USER["id"]), library)
    someone_else = {"id": 2222, "is_bot": False, "first_name": "Eve"}
    async with application:
        await feed(application, message("How many troops are in Syria?"))
        await feed(application, message("Who won the Super Bowl?"))
        api.clear()
        await feed(application, message("/stats", user=someone_else))
        assert api.sent_texts() == ["I don't know that command. /help lists the ones I have."]
        api.clear()
        await feed(application, message("/stats"))
    (text,) = api.sent_texts()
    assert "Questions answered: 2" in text
    assert "The article didn't say: 1 (50.0 %)" in text
    assert "Median answer time: " in text and " ms" in text
    assert "Articles stored: 1" in text


def _job_context(application):
    from telegram.ext import CallbackContext

    return CallbackContext(application)


async def test_stats_count_every_replica_sharing_the_library(api, postgres_url, tmp_path):
    """Two replicas on one PostgreSQL library: /stats on either adds both up."""
    from bot.app import build_application
    from bot.stats import report_tally
    from library.service import Library
    from retrieval.seeds import seed_paths
    from tests.bot.updates import USER, settings_for

    libraries = [Library.open(postgres_url, seeds=seed_paths()) for _ in range(2)]
    try:
        first, second = (
            build_application(settings_for(api, tmp_path, owner_id=USER["id"]), shelf)
            for shelf in libraries
        )
        async with first, second:
            await feed(first, message("How many troops are in Syria?"))
            await feed(first, message("Who won the Super Bowl?"))
            await report_tally(_job_context(first))  # the first replica's minute report
            await feed(second, message("Who declined to comment?"))
            api.clear()
            await feed(second, message("/stats"))
    finally:
        for shelf in libraries:
            shelf.close()
    (text,) = api.sent_texts()
    assert "(0.0 h, 2 bot process(es))" in text
    assert "Questions answered: 3" in text
    assert "The article didn't say: 1 (33.3 %)" in text
    assert "Articles stored: 1" in text


async def test_stats_keep_the_questions_of_a_stopped_bot(api, seed_database, tmp_path):
    """A restart does not zero /stats: the stopped process reported its tally."""
    from bot.app import build_application
    from library.service import Library
    from retrieval.seeds import seed_paths
    from tests.bot.updates import USER, settings_for

    settings = settings_for(api, tmp_path, owner_id=USER["id"])
    before = Library.open(seed_database, seeds=seed_paths())
    try:
        async with build_application(settings, before) as application:
            await feed(application, message("How many troops are in Syria?"))
            await feed(application, message("Who won the Super Bowl?"))
            assert application.post_shutdown is not None
            await application.post_shutdown(application)  # as run_polling does when stopped
    finally:
        before.close()
    after = Library.open(seed_database, seeds=seed_paths())
    try:
        async with build_application(settings, after) as application:
            await feed(application, message("Who declined to comment?"))
            api.clear()
            await feed(application, message("/stats"))
    finally:
        after.close()
    (text,) = api.sent_texts()
    assert "2 bot process(es)" in text
    assert "Questions answered: 3" in text
    assert "The article didn't say: 1 (33.3 %)" in text


async def test_stats_are_hidden_from_everyone_else(app, api):
    await feed(app, message("/stats"))
    await feed(app, group_message("/stats"))
    assert api.sent_texts() == ["I don't know that command. /help lists the ones I have."]


async def test_a_weak_match_says_it_is_the_closest_the_article_comes(app, api):
    await feed(app, message("What is the situation in Syria?"))
    await feed(app, message("Who declined to comment?"))
    weak, strong = api.sent_texts()
    assert weak.startswith("<i>Not a direct answer; the closest the article comes:</i>\n\n")
    assert "[" in weak  # still quoted and cited
    # A direct answer to a "who" question bolds the name the reader found.
    assert strong.startswith("Both the <b>U.S. Central Command and the Pentagon</b> declined")


async def test_a_flooding_user_is_told_once_then_ignored_for_the_minute(app, api):
    from bot import texts

    for _ in range(7):  # the test settings allow 5 questions a minute
        await feed(app, message("How many troops are in Syria?"))
    sent = api.sent_texts()
    assert len(sent) == 6
    assert sent[5] == texts.RATE_LIMITED
    assert all(t.startswith("Currently, there are") for t in sent[:5])
