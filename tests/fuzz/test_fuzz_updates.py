"""Generated updates through the real Application: missing fields, forged ids, odd entities,
strange commands. Whatever arrives, no handler fails (the error handler stays silent) and no
reply carries a trace."""

from __future__ import annotations

import logging

from hypothesis import event, given
from hypothesis import strategies as st
from telegram import Update

from testing.fake_bot_api import BOT_ID, BOT_USERNAME

_ids = st.integers(-(2**52), 2**52)
_users = st.fixed_dictionaries(
    {"id": _ids, "is_bot": st.booleans(), "first_name": st.text(max_size=5)},
    optional={"username": st.text(max_size=8)},
)
_chats = st.one_of(
    st.fixed_dictionaries(
        {"id": _ids, "type": st.sampled_from(["private", "group", "supergroup", "channel"])},
        optional={"title": st.text(max_size=5), "is_forum": st.booleans()},
    ),
)
_commands = st.sampled_from(
    [
        "/start",
        "/help",
        "/ask",
        "/brief",
        "/source",
        "/add",
        "/articles",
        "/use",
        "/remove",
        "/follow",
        "/follow https://127.0.0.1/feed.xml",
        "/feeds",
        "/unfollow",
        "/unfollow 1",
        "/watch",
        "/watch on",
        "/watch off",
        "/schedule",
        "/unschedule",
        "/stats",
        "/nope",
        f"/ask@{BOT_USERNAME}",
        "/source 1:",
        "/use",
        "/use all",
        "/source 99999999999999999999:1",
        "/remove -1",
    ]
)
_texts = st.one_of(
    st.text(max_size=300),
    st.builds(lambda c, rest: f"{c} {rest}", _commands, st.text(max_size=60)),
    st.builds(lambda rest: f"@{BOT_USERNAME} {rest}", st.text(max_size=100)),
    st.just("https://127.0.0.1/story"),
)
_entities = st.lists(
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(
                ["mention", "text_mention", "url", "text_link", "bot_command", "bold"]
            ),
            "offset": st.integers(-3, 400),
            "length": st.integers(-3, 400),
        },
        optional={"url": st.text(max_size=30), "user": _users},
    ),
    max_size=4,
)
_bot = st.just({"id": BOT_ID, "is_bot": True, "first_name": "Newsdesk", "username": BOT_USERNAME})


def _message(reply: st.SearchStrategy[dict] | None = None) -> st.SearchStrategy[dict]:
    optional = {
        "chat": _chats,
        "from": st.one_of(_users, _bot),
        "text": _texts,
        "caption": _texts,
        "entities": _entities,
        "caption_entities": _entities,
        "sender_chat": _chats,
        "is_automatic_forward": st.booleans(),
        "message_thread_id": _ids,
        "forward_origin": st.just({"type": "hidden_user", "date": 1, "sender_user_name": "X"}),
        "document": st.fixed_dictionaries(
            {"file_id": st.text(max_size=5), "file_unique_id": st.just("u")},
            optional={"file_name": st.text(max_size=12), "file_size": st.integers(-1, 10**9)},
        ),
    }
    if reply is not None:
        optional["reply_to_message"] = reply
    return st.fixed_dictionaries(
        {"message_id": _ids, "date": st.integers(0, 2**31)}, optional=optional
    )


_messages = _message(_message())
_updates = st.one_of(
    st.builds(lambda i, m: {"update_id": i, "message": m}, _ids, _messages),
    st.builds(lambda i, m: {"update_id": i, "edited_message": m}, _ids, _messages),
    st.builds(lambda i, m: {"update_id": i, "channel_post": m}, _ids, _messages),
    st.builds(
        lambda i, u, data, m: {
            "update_id": i,
            "callback_query": {
                "id": "q",
                "from": u,
                "chat_instance": "c",
                "data": data,
                **({"message": m} if m else {}),
            },
        },
        _ids,
        _users,
        st.one_of(st.sampled_from(["shared:add", "shared:ask", ""]), st.text(max_size=64)),
        st.one_of(st.none(), _messages),
    ),
    st.builds(
        lambda i, u, q: {
            "update_id": i,
            "inline_query": {"id": "iq", "from": u, "query": q, "offset": ""},
        },
        _ids,
        _users,
        st.text(max_size=100),
    ),
)


@given(_updates)
async def test_no_update_makes_a_handler_fail(app, api, caplog, data):
    try:
        update = Update.de_json(data, app.bot)
    except Exception:
        event("PTB cannot read it")  # the webhook answers 400; polling never gets one
        return
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        await app.process_update(update)
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert failures == [], failures[0].getMessage() if failures else ""
    event("replied" if api.sent_texts() else "no reply")
    assert not any("Traceback" in text or "went wrong" in text for text in api.sent_texts())
    api.clear()
