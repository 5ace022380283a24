"""Handlers that change or list a chat's library: /add, /articles, /use, /remove."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html import escape

from telegram import Message, Update
from telegram.error import TelegramError

from bot import render, texts
from bot.admin import admins_only
from bot.i18n import _
from bot.replies import (
    chat_id_of,
    library,
    library_chat_of,
    log_update,
    positive_number,
    pressed_payload,
    reads_across,
    send_reply,
    show_typing,
)
from bot.state import Context
from library import Busy, Extracted, KnownUrl, LibraryError, is_web_link, off_loop
from retrieval import MAX_ARTICLE_BYTES, RetrievalError

log = logging.getLogger("bot.library")

ADD_BRIEF_SENTENCES = 3
#: Anything else that looks like a link (file:, ftp:, javascript:...): refused, not stored as text.
_OTHER_LINK = re.compile(r"^([a-z][a-z0-9+.-]*://|(javascript|data|mailto|file):)\S*$", re.I)
_FILE_TYPES = (".txt", ".md", ".html", ".htm")


@admins_only
async def add_command(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    payload = _payload(message)
    replied = message.reply_to_message
    if not payload and replied is not None:
        if replied.document is not None:
            async with _admitted(update, context) as admitted:
                if admitted:
                    await _add_document(update, context, replied)
            return
        payload = (replied.text or replied.caption or "").strip()
    if not payload:
        await send_reply(update, [_(texts.ADD_USAGE)])
        return
    await add_payload(update, context, payload)


async def add_payload(update: Update, context: Context, payload: str) -> None:
    """Add a link or a text to the chat's library (from /add, or the "Add it" button)."""
    is_url = is_web_link(payload)
    if not is_url and _OTHER_LINK.match(payload):
        await send_reply(update, [_(texts.WEB_LINKS_ONLY)])
        return
    async with _admitted(update, context) as admitted:
        if not admitted:
            return
        if is_url:
            await _add_url(update, context, payload)
        else:
            await _store(update, context, Extracted(text=payload))


@admins_only
async def add_shared(update: Update, context: Context) -> None:
    """The "Add it" button under a forwarded message or a link sent in a private chat (a
    forged press in a group is checked like ``/add``)."""
    payload = await pressed_payload(update)
    if payload is not None:
        await add_payload(update, context, payload)


@admins_only
async def document_message(update: Update, context: Context) -> None:
    """A file sent in a private chat, or in a group with the caption /add (``bot.app``'s
    filter lets no other file through)."""
    message = update.effective_message
    if message is None or message.document is None:
        return
    async with _admitted(update, context) as admitted:
        if admitted:
            await _add_document(update, context, message)


async def articles_command(update: Update, context: Context) -> None:
    lib = library(context)
    chat_id = await library_chat_of(update, context)
    rows = await off_loop(lib.articles.visible, chat_id)
    if not rows:
        await send_reply(update, [_(texts.LIBRARY_EMPTY)])
        return
    active = await off_loop(lib.articles.active_id, chat_id)
    target = _(texts.TARGET_ONE).format(number=active) if active else _(texts.TARGET_ALL)
    lines = [render.library_line(row) for row in rows]
    await send_reply(update, [_(texts.ARTICLES_HEADING).format(target=target), "\n".join(lines)])
    log_update(update, "articles")


async def use_command(update: Update, context: Context) -> None:
    lib = library(context)
    chat_id = await library_chat_of(update, context)
    args = context.args or []
    if len(args) == 1 and args[0].lower() == "all":
        await off_loop(lib.articles.use, chat_id, None)
        await send_reply(update, [_(texts.USING_ALL)])
        return
    number = positive_number(args[0]) if len(args) == 1 else 0
    row = await off_loop(lib.articles.row, chat_id, number) if number else None
    if row is None:
        await send_reply(update, [_(texts.USE_USAGE)])
        return
    await off_loop(lib.articles.use, chat_id, row.id)
    about = render.about(await off_loop(lib.articles.article, row.id))
    await send_reply(update, [_(texts.USING).format(number=row.id, about=escape(about))])


@admins_only
async def remove_command(update: Update, context: Context) -> None:
    lib = library(context)
    args = context.args or []
    number = positive_number(args[0]) if len(args) == 1 else 0
    if not number:
        await send_reply(update, [_(texts.REMOVE_USAGE)])
        return
    removed = await off_loop(lib.articles.remove, await library_chat_of(update, context), number)
    text = _(texts.REMOVED) if removed else _(texts.CANNOT_REMOVE)
    await send_reply(update, [text.format(number=number)])


def _payload(message: Message) -> str:
    """What follows the command word, e.g. the text or link of ``/add ...``."""
    parts = (message.text or "").split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


async def _add_url(update: Update, context: Context, url: str) -> None:
    await show_typing(update)
    lib = library(context)
    try:
        found = await lib.articles.fetch_url(await library_chat_of(update, context), url)
    except (LibraryError, RetrievalError) as error:
        await send_reply(update, [_(texts.ADD_FAILED).format(reason=escape(str(error)))])
        return
    if isinstance(found, KnownUrl):
        await send_reply(update, [_(texts.ALREADY_THERE).format(number=found.article_id)])
        return
    await _store(update, context, found)


async def _add_document(update: Update, context: Context, holder: Message) -> None:
    document = holder.document
    assert document is not None
    name = document.file_name or "upload.txt"
    if not name.lower().endswith(_FILE_TYPES):
        await send_reply(update, [_(texts.FILE_TYPES)])
        return
    if document.file_size and document.file_size > MAX_ARTICLE_BYTES:
        await send_reply(update, [_(texts.FILE_TOO_BIG)])
        return
    await show_typing(update)
    try:
        telegram_file = await document.get_file()
        raw = bytes(await telegram_file.download_as_bytearray())
    except TelegramError as error:  # a file Telegram will not hand out (too big, gone)
        log.warning("could not download a document: %s", type(error).__name__)
        await send_reply(update, [_(texts.FILE_UNAVAILABLE)])
        return
    try:
        extracted = await library(context).articles.extract_upload(raw, name)
    except (LibraryError, RetrievalError) as error:
        await send_reply(update, [_(texts.ADD_FAILED).format(reason=escape(str(error)))])
        return
    await _store(update, context, extracted)


async def _store(update: Update, context: Context, extracted: Extracted) -> None:
    lib = library(context)
    user = update.effective_user
    try:
        chat_id = await library_chat_of(update, context)
        result = await lib.articles.add_queued(chat_id, extracted, user.id if user else None)
    except (LibraryError, RetrievalError) as error:
        await send_reply(update, [_(texts.ADD_FAILED).format(reason=escape(str(error)))])
        return
    if result.duplicate:
        await send_reply(update, [_(texts.ALREADY_THERE).format(number=result.article_id)])
        return
    briefed = await lib.briefings.brief_new(result.article_id, ADD_BRIEF_SENTENCES)
    about = escape(render.about(briefed.article))
    heading = _(texts.ADDED).format(number=result.article_id, about=about)
    await send_reply(
        update, render.briefing_parts(briefed.citations, briefed.article, heading=heading)
    )
    log_update(update, "add")
    if context.application.running:
        # Embedded while the reader reads the briefing, so the first question does not wait;
        # read for questions in the language the bot speaks here too, when that is not English.
        lib.articles.embed_soon(result.article_id, across=reads_across(update))


@asynccontextmanager
async def _admitted(update: Update, context: Context) -> AsyncIterator[bool]:
    """A place in the ingestion queue for this chat's add, or a polite "busy" and ``False``."""
    try:
        place = library(context).articles.admit(chat_id_of(update))
    except Busy as busy:
        await send_reply(update, [_(texts.BUSY).format(reason=escape(str(busy)))])
        yield False
        return
    with place:
        yield True
