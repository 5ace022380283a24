"""Inline mode: ``@bot question`` in any chat offers the answer; an empty query the briefing."""

from __future__ import annotations

import hashlib
import logging
import time

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update

from bot import render, texts
from bot.i18n import _
from bot.ratelimit import admit
from bot.replies import BRIEF_SENTENCES, library, reader_of
from bot.state import Context
from library import Admission, SingleReply, off_loop
from retrieval import analyze

log = logging.getLogger("bot.updates")

#: Seconds Telegram may cache results; answers depend only on the query and the article.
CACHE_SECONDS = 300
DESCRIPTION_CHARS = 120
#: Telegram's own cap on an inline query; longer ones only come from a forged update.
MAX_QUERY_CHARS = 256


async def inline_query(update: Update, context: Context) -> None:
    query = update.inline_query
    if query is None:
        return
    started = time.perf_counter()
    if await admit(context, query.from_user.id) is not Admission.ALLOW:
        await query.answer([], cache_time=0)
        return
    lib = library(context)
    # Inline queries come from any chat: they use the user's private library.
    chat_id = query.from_user.id
    question = query.query.strip()
    abstained: bool | None = None
    if not question:
        row = await off_loop(lib.articles.current, chat_id)
        if row is None:
            await query.answer([], cache_time=0)
            return
        briefed = await off_loop(lib.briefings.brief, row.id, BRIEF_SENTENCES)
        parts = render.briefing_parts(briefed.citations, briefed.article)
        title = _(texts.INLINE_BRIEF_TITLE).format(about=render.about(briefed.article))
        description = parts[1] if len(parts) > 1 else ""
    elif len(question) > MAX_QUERY_CHARS or not analyze(question):
        await query.answer([], cache_time=CACHE_SECONDS)
        return
    else:
        reply = await off_loop(lib.asking.ask, chat_id, question, reader=reader_of(update))
        abstained = reply.abstained
        parts = render.reply_parts(reply)
        about = (
            render.about(reply.article)
            if isinstance(reply, SingleReply)
            else _(texts.ABOUT_LIBRARY)
        )
        title = (
            _(texts.INLINE_NO_ANSWER)
            if reply.abstained
            else _(texts.INLINE_ANSWER_TITLE).format(about=about)
        )
        description = parts[0]
    message = render.pack(parts)[0]  # an inline result is one message
    result_id = hashlib.sha256(message.encode()).hexdigest()[:32]
    await query.answer(
        [
            InlineQueryResultArticle(
                id=result_id,
                title=title[:64],
                description=_plain(description)[:DESCRIPTION_CHARS],
                input_message_content=InputTextMessageContent(message),
            )
        ],
        cache_time=CACHE_SECONDS,
    )
    latency_ms = (time.perf_counter() - started) * 1000
    log.info(
        "update chat=inline command=inline latency_ms=%.1f abstained=%s",
        latency_ms,
        "-" if abstained is None else abstained,
    )
    if abstained is not None:
        context.bot_data.tally.record(latency_ms, abstained)


def _plain(html_text: str) -> str:
    """Descriptions are plain text: drop the few tags our renderer emits."""
    for tag in ("<b>", "</b>", "<i>", "</i>"):
        html_text = html_text.replace(tag, "")
    return (
        html_text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
    )
