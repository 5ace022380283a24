"""/watch: links posted in a chat become its articles, quietly.

Bots see only what Telegram delivers (README, "Watching a channel or group"):
every post of a channel the bot administers; in a group, every message only
when the bot's privacy mode is off (or it is an administrator), otherwise just
commands and replies to it. A watched post is never answered: the articles
appear in /articles and the daily briefing.
"""

from __future__ import annotations

import logging
import re

from telegram import Update
from telegram.constants import ChatType

from bot import texts
from bot.admin import admins_only
from bot.i18n import _
from bot.replies import (
    chat_id_of,
    library,
    library_chat_of,
    reads_across,
    send_reply,
    web_links,
)
from bot.state import Context
from library import Busy, KnownUrl, LibraryError, off_loop
from retrieval import RetrievalError

log = logging.getLogger("bot.watch")

#: Links taken from one post (a link list is not news to read).
LINKS_PER_POST = 3
WATCH_COMMAND = re.compile(r"^/watch(@\w+)?(\s|$)")


@admins_only
async def watch_command(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    if message.chat.type == ChatType.PRIVATE:
        await send_reply(update, [_(texts.WATCH_PRIVATE)])
        return
    words = (message.text or "").split()[1:]
    lib, chat_id = library(context), chat_id_of(update)
    if [w.lower() for w in words] in (["on"], ["off"]):
        on = words[0].lower() == "on"
        await off_loop(lib.chats.set_watching, chat_id, on)
        await send_reply(update, [_(texts.WATCH_ON) if on else _(texts.WATCH_OFF)])
    elif not words:
        watching = await off_loop(lib.chats.watching, chat_id)
        await send_reply(update, [_(texts.WATCHING) if watching else _(texts.NOT_WATCHING)])
    else:
        await send_reply(update, [_(texts.WATCH_USAGE)])


async def watched_post(update: Update, context: Context) -> None:
    """A post or message with links in a chat that may be watched: its links become the
    chat's articles when it is. Failures are logged, never posted."""
    message = update.effective_message
    if message is None or (message.text or message.caption or "").startswith("/"):
        return
    links = web_links(message)[:LINKS_PER_POST]
    lib, chat_id = library(context), chat_id_of(update)
    if not links or not await off_loop(lib.chats.watching, chat_id):
        return
    library_chat = await library_chat_of(update, context)
    try:
        with lib.articles.admit(chat_id):
            for url in links:
                found = await lib.articles.fetch_url(library_chat, url)
                if isinstance(found, KnownUrl):
                    continue
                added = await lib.articles.add_queued(library_chat, found, None)
                if not added.duplicate:
                    lib.articles.embed_soon(added.article_id, across=reads_across(update))
                    log.info("watched chat %s: added article %d", chat_id, added.article_id)
    except Busy:
        log.info("watched chat %s: busy adding; a posted link was skipped", chat_id)
    except (LibraryError, RetrievalError) as error:
        log.info("watched chat %s: a posted link was not added (%s)", chat_id, error)
