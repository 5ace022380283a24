"""Junk, abuse and failure: every handler survives, users get a polite word, logs stay clean."""

from __future__ import annotations

import logging

import pytest
from telegram import Update
from telegram.ext import CommandHandler

from bot import i18n
from bot.app import _polish
from bot.errors import RedactToken
from testing.fake_bot_api import TOKEN
from tests.bot.updates import feed, group_message, mention, message

STICKER = {
    "file_id": "CAAC",
    "file_unique_id": "u1",
    "type": "regular",
    "width": 512,
    "height": 512,
    "is_animated": False,
    "is_video": False,
}
PHOTO = [{"file_id": "AgAD", "file_unique_id": "p1", "width": 90, "height": 90}]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "\U0001f600\U0001f680\U0001f525",
        "<b>&amp;</b> <script>alert(1)</script>",
        "*bold* _it_ `code` [link](http://x) ~~",
    ],
)
async def test_junk_private_text_gets_a_polite_answer(app, api, text):
    await feed(app, message(text))
    (reply,) = api.sent_texts()
    assert reply.startswith(
        (
            "I couldn't find anything to look up",
            "The article doesn't say",
            "I can only read text questions",  # Telegram has no empty text; PTB sees none
        )
    )


async def test_html_in_questions_is_escaped_in_replies(app, api):
    await feed(app, message("/ask <b>troops</b> & Syria?"))
    text = api.sent_texts()[0]
    assert "<b>troops</b>" not in text


async def test_4096_character_question_is_answered(app, api):
    text = ("How many troops are in Syria? " * 200)[:4096]
    await feed(app, message(text))
    assert "[13]" in api.sent_texts()[0]


async def test_4096_character_group_mention_is_answered(app, api):
    await feed(app, mention(("troops in Syria " * 300)[:4000]))
    assert len(api.sent_texts()) == 1


@pytest.mark.parametrize("extra", [{"sticker": STICKER}, {"photo": PHOTO}])
async def test_non_text_in_private_says_text_only(app, api, extra):
    await feed(app, message(None, **extra))
    assert api.sent_texts() == [
        "I can only read text questions. Please type your question about the article."
    ]


@pytest.mark.parametrize("extra", [{"sticker": STICKER}, {"photo": PHOTO}])
async def test_non_text_in_groups_is_ignored(app, api, extra):
    await feed(app, group_message(None, **extra))
    assert api.calls_to("sendMessage") == []


async def test_edited_messages_are_ignored_by_design(app, api):
    await feed(app, message("How many troops are in Syria?", edited=True))
    await feed(app, group_message("@x /ask troops", edited=True))
    assert api.calls_to("sendMessage") == []


async def test_unknown_command_in_private_points_to_help(app, api):
    await feed(app, message("/frobnicate now"))
    assert api.sent_texts() == ["I don't know that command. /help lists the ones I have."]


async def test_other_bots_are_ignored(app, api):
    robot = {"id": 999, "is_bot": True, "first_name": "Robo"}
    await feed(app, message("How many troops are in Syria?", user=robot))
    assert api.calls_to("sendMessage") == []


async def test_rate_limit_notifies_once_then_stays_quiet(app, api):
    for _ in range(8):  # the fixture allows 5 questions a minute
        await feed(app, message("Who declined to comment?"))
    texts = api.sent_texts()
    assert len(texts) == 6
    assert texts[5].startswith("You're asking faster than I can keep up")


async def test_refused_start_up_call_is_a_warning_not_a_crash(app, api, caplog):
    api.refuse["setMyCommands"] = "Bad Request: not allowed here"
    with caplog.at_level(logging.WARNING, logger="bot.app"):
        await _polish(app)
    assert "could not set the private command menu" in caplog.text
    # later calls still made, in every language
    assert len(api.calls_to("setMyDescription")) == len(i18n.LANGUAGES)
    await feed(app, message("Who declined to comment?"))
    assert "[5]" in api.sent_texts()[0]  # still serving


async def test_handler_failure_tells_the_user_without_a_trace(app, api, caplog):
    async def explode(update: Update, context) -> None:
        raise RuntimeError(f"boom {TOKEN}")

    app.add_handler(CommandHandler("explode", explode), group=-2)
    with caplog.at_level(logging.ERROR):
        await feed(app, message("/explode"))
    assert api.sent_texts()[0] == (
        "Sorry, something went wrong on my side. Please try again in a moment."
    )
    assert "boom" in caplog.text and "Traceback" not in api.sent_texts()[0]


def test_token_is_redacted_from_messages_and_tracebacks():
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "GET /bot%s/getMe", (TOKEN,), None)
    try:
        raise RuntimeError(f"failed https://api.telegram.org/bot{TOKEN}/sendMessage")
    except RuntimeError:
        import sys

        record.exc_info = sys.exc_info()
    RedactToken(TOKEN).filter(record)
    formatted = logging.Formatter().format(record)
    assert TOKEN not in formatted
    assert "<token>" in formatted


JUNK_ARGUMENTS = [
    "\U0001f600\U0001f680",
    "<b>&amp;</b><script>",
    "*bold* _it_ `code`",
    "9" * 40,
    "-1",
    "\u00b2",  # a digit int() refuses
    ("x " * 2040).strip(),
]
LIBRARY_COMMANDS = ["/use", "/remove", "/schedule", "/source", "/articles", "/unschedule", "/stats"]


@pytest.mark.parametrize("command", LIBRARY_COMMANDS)
@pytest.mark.parametrize("argument", JUNK_ARGUMENTS)
async def test_library_commands_answer_junk_politely(app, api, command, argument):
    await feed(app, message(f"{command} {argument}"))
    (reply,) = api.sent_texts()
    assert "went wrong" not in reply and "Traceback" not in reply
    assert "<script>" not in reply and "<b>&amp;" not in reply  # user text is escaped
    assert len(reply) <= 4096


async def test_add_of_a_4096_character_message_is_stored(app, api):
    text = "/add " + ("The council met on Monday to discuss the harbour. " * 90)[:4090]
    await feed(app, message(text))
    assert api.sent_texts()[0].startswith("Added as article <b>2</b>")


@pytest.mark.parametrize("argument", JUNK_ARGUMENTS[:3])
async def test_add_of_junk_is_refused_or_stored_never_crashes(app, api, argument):
    await feed(app, message(f"/add {argument}"))
    (reply,) = api.sent_texts()
    assert reply.startswith(("Added as article", "I couldn't add that"))
    assert "<script>" not in reply


async def test_edited_add_is_ignored(app, api):
    await feed(app, message("/add A story about the harbour opening.", edited=True))
    assert api.sent_texts() == []


@pytest.mark.parametrize(
    "update",
    [
        {"update_id": 77, "message": {"message_id": 1, "date": 0, "text": "Who?"}},
        {"update_id": 78, "message": {"message_id": 1, "date": 0, "text": "/start"}},
        {"update_id": 79, "edited_message": {"message_id": 1, "date": 0, "text": "x"}},
        {
            "update_id": 80,
            "message": {
                "message_id": 1,
                "date": 0,
                "document": {"file_id": "f", "file_unique_id": "u"},
            },
        },
    ],
)
async def test_forged_updates_without_a_chat_are_dropped_quietly(app, api, caplog, update):
    with caplog.at_level(logging.WARNING):
        await feed(app, update)
    assert api.sent_texts() == []
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


async def test_a_file_telegram_will_not_hand_out_gets_a_polite_answer(app, api):
    document = {"file_id": "no-such-file", "file_unique_id": "u", "file_name": "story.txt"}
    await feed(app, message(None, document=document))
    assert api.sent_texts() == [
        "I couldn't download that file from Telegram. Please send it again."
    ]
