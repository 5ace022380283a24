"""Telegram updates as the Bot API sends them, and feeding them to the real Application."""

from __future__ import annotations

import itertools
import time
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application

from bot.config import Settings
from testing.fake_bot_api import BOT_ID, BOT_USERNAME, TOKEN, FakeBotApi

_ids = itertools.count(1)
USER = {"id": 1111, "is_bot": False, "first_name": "Ada"}
GROUP = {"id": -100200300, "type": "supergroup", "title": "Newsroom"}


def settings_for(api: FakeBotApi, tmp_path: Path, **overrides: Any) -> Settings:
    return Settings(
        token=TOKEN,
        api_url=api.url,
        questions_per_minute=5,
        database=tmp_path / "bot.db",
        **overrides,
    )


def message(
    text: str | None = "hello",
    *,
    chat: dict[str, Any] | None = None,
    user: dict[str, Any] | None = None,
    entities: list[dict[str, Any]] | None = None,
    reply_to: dict[str, Any] | None = None,
    edited: bool = False,
    **extra: Any,
) -> dict[str, Any]:
    chat = chat or {"id": (user or USER)["id"], "type": "private", "first_name": "Ada"}
    body: dict[str, Any] = {
        "message_id": next(_ids),
        "date": int(time.time()),
        "chat": chat,
        "from": user or USER,
        **extra,
    }
    if text is not None:
        body["text"] = text
    if text and text.startswith("/"):
        command = text.split()[0]
        entities = [{"type": "bot_command", "offset": 0, "length": len(command)}, *(entities or [])]
    if entities:
        body["entities"] = entities
    if reply_to is not None:
        body["reply_to_message"] = reply_to
    return {"update_id": next(_ids), "edited_message" if edited else "message": body}


def group_message(text: str | None, **kwargs: Any) -> dict[str, Any]:
    return message(text, chat=GROUP, **kwargs)


def mention(text_after: str) -> dict[str, Any]:
    text = f"@{BOT_USERNAME} {text_after}"
    entity = {"type": "mention", "offset": 0, "length": len(BOT_USERNAME) + 1}
    return group_message(text, entities=[entity])


def bot_message() -> dict[str, Any]:
    return {
        "message_id": 77,
        "date": int(time.time()),
        "chat": GROUP,
        "from": {"id": BOT_ID, "is_bot": True, "first_name": "Newsdesk", "username": BOT_USERNAME},
        "text": "an earlier answer",
    }


async def feed(app: Application, data: dict[str, Any]) -> None:
    await app.process_update(Update.de_json(data, app.bot))
