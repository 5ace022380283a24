"""Which language the bot speaks in an update, and /language to choose one for a chat.

Each update is answered in the chat's chosen language if it has one, else in
the person's Telegram app language when the bot speaks it, else English
(bot/i18n.py). The choice is a chat setting in the store, so every replica
and every restart keeps it.
"""

from __future__ import annotations

from html import escape

from telegram import Update

from bot import i18n, texts
from bot.admin import admins_only
from bot.i18n import _
from bot.replies import chat_id_of, library, send_reply
from bot.state import Context
from library import off_loop

AUTO = "auto"


async def choose_language(update: Update, context: Context) -> None:
    """Runs before every other handler: the rest of the update speaks this language."""
    i18n.activate(await language_for(update, context))


async def language_for(update: Update, context: Context) -> str:
    chat = update.effective_chat
    if chat is not None:
        chosen = await off_loop(library(context).chats.language, chat.id)
        if chosen in i18n.LANGUAGES:
            return chosen
    return _app_language(update)


def _app_language(update: Update) -> str:
    """The person's Telegram app language, when the bot speaks it; else English."""
    user = update.effective_user
    return i18n.supported(user.language_code if user else None) or i18n.DEFAULT


def _choices() -> str:
    return ", ".join(f"<code>{code}</code> {escape(name)}" for code, name in i18n.LANGUAGES.items())


async def language_command(update: Update, context: Context) -> None:
    args = context.args or []
    if not args:
        await _show(update, context)
        return
    await _choose(update, context)


async def _show(update: Update, context: Context) -> None:
    chosen = await off_loop(library(context).chats.language, chat_id_of(update))
    how = _(texts.LANGUAGE_CHOSEN) if chosen else _(texts.LANGUAGE_FROM_APP)
    text = _(texts.LANGUAGE_CURRENT).format(
        language=escape(i18n.LANGUAGES[i18n.current()]), how=how, choices=_choices()
    )
    await send_reply(update, [text])


@admins_only
async def _choose(update: Update, context: Context) -> None:
    args = context.args or []
    wanted = args[0].lower() if len(args) == 1 else ""
    lib, chat_id = library(context), chat_id_of(update)
    if wanted == AUTO:
        await off_loop(lib.chats.set_language, chat_id, None)
        i18n.activate(_app_language(update))
        await send_reply(update, [_(texts.LANGUAGE_AUTO)])
        return
    code = i18n.supported(wanted)
    if code is None:
        await send_reply(update, [_(texts.LANGUAGE_USAGE).format(choices=_choices())])
        return
    await off_loop(lib.chats.set_language, chat_id, code)
    i18n.activate(code)  # the confirmation is already in the new language
    await send_reply(update, [_(texts.LANGUAGE_SET).format(language=escape(i18n.LANGUAGES[code]))])
