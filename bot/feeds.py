"""/follow, /feeds, /unfollow, and the jobs that poll the chats' feeds and prune old items.

Every replica runs the poll job; the store's claims make each feed polled by one
of them at a time (``library.following``). New items become articles quietly
(the daily briefing lists what arrived); the chat hears from the poller only
when a feed's first items arrive and when a feed that kept failing is paused.
"""

from __future__ import annotations

import asyncio
import logging
from html import escape

from telegram import Update
from telegram.error import Forbidden, TelegramError

from bot import i18n, texts
from bot.admin import admins_only
from bot.i18n import _
from bot.replies import (
    library,
    library_chat_of,
    log_update,
    positive_number,
    send_reply,
)
from bot.state import Context
from library import (
    MAX_OPML_BYTES,
    FeedRow,
    FetchError,
    NotAFeed,
    NotOpml,
    Polled,
    TooManyFeeds,
    is_web_link,
    off_loop,
    read_opml,
    write_opml,
)

log = logging.getLogger("bot.feeds")

#: How often each process looks for feeds due a poll.
POLL_SECONDS = 30.0
#: How often feed articles past the keep days are removed.
PRUNE_SECONDS = 3600.0
#: Feeds of an OPML file fetched at the same time.
OPML_AT_ONCE = 4


@admins_only
async def follow_command(update: Update, context: Context) -> None:
    args = context.args or []
    if len(args) != 1 or not is_web_link(args[0]):
        await send_reply(update, [_(texts.FOLLOW_USAGE)])
        return
    try:
        followed = await library(context).following.follow(
            await library_chat_of(update, context), args[0]
        )
    except NotAFeed:
        await send_reply(update, [_(texts.NOT_A_FEED)])
        return
    except (FetchError, TooManyFeeds) as error:
        await send_reply(update, [_(texts.FOLLOW_FAILED).format(reason=escape(str(error)))])
        return
    feed = followed.feed
    await send_reply(
        update,
        [_(texts.FOLLOWING).format(name=escape(feed.name), entries=followed.entries)],
    )
    log_update(update, "follow")
    if context.job_queue is not None:  # its current items arrive now, not at the next round
        context.job_queue.run_once(poll_feeds, 0.5, name="poll-feeds-now")


async def feeds_command(update: Update, context: Context) -> None:
    feeds = await off_loop(
        library(context).following.followed, await library_chat_of(update, context)
    )
    if [a.lower() for a in context.args or []] == ["opml"]:
        await _send_opml(update, feeds)
        return
    if not feeds:
        await send_reply(update, [_(texts.NO_FEEDS)])
        return
    lines = []
    for number, feed in enumerate(feeds, start=1):
        state = _(texts.FEED_PAUSED) if feed.paused else ""
        if feed.error:
            state += _(texts.FEED_ERROR).format(error=escape(feed.error))
        last = feed.last_item_at[:16].replace("T", " ") if feed.last_item_at else "\u2013"
        lines.append(
            _(texts.FEED_LINE).format(
                number=number, name=escape(feed.name), items=feed.items, last=last, state=state
            )
        )
    await send_reply(update, [_(texts.FEEDS_HEADING), "\n".join(lines)])


async def _send_opml(update: Update, feeds: list[FeedRow]) -> None:
    message = update.effective_message
    if not feeds or message is None:
        await send_reply(update, [_(texts.NO_FEEDS)])
        return
    title = (
        f"Feeds of {update.effective_chat.title or 'this chat'}" if update.effective_chat else ""
    )
    await message.reply_document(
        write_opml(feeds, title), filename="feeds.opml", caption=_(texts.OPML_CAPTION)
    )


@admins_only
async def follow_file(update: Update, context: Context) -> None:
    """An OPML file sent with the caption /follow: follow every feed it lists, within the
    chat's cap, a few at a time."""
    message = update.effective_message
    if message is None or message.document is None:
        return
    document = message.document
    if document.file_size and document.file_size > MAX_OPML_BYTES:
        await send_reply(update, [_(texts.OPML_FAILED).format(reason="the file is over 1 MB")])
        return
    try:
        raw = bytes(await (await document.get_file()).download_as_bytearray())
        urls = read_opml(raw)
    except TelegramError:
        await send_reply(update, [_(texts.FILE_UNAVAILABLE)])
        return
    except NotOpml as error:
        await send_reply(update, [_(texts.OPML_FAILED).format(reason=escape(str(error)))])
        return
    following = library(context).following
    chat_id = await library_chat_of(update, context)
    gate = asyncio.Semaphore(OPML_AT_ONCE)

    async def follow_one(url: str) -> str | None:
        async with gate:
            try:
                await following.follow(chat_id, url)
            except NotAFeed:
                return f"{url} (not a feed)"
            except (FetchError, TooManyFeeds) as error:
                return f"{url} ({error})"
            return None

    failures = [f for f in await asyncio.gather(*map(follow_one, urls)) if f is not None]
    parts = [_(texts.OPML_FOLLOWED).format(count=len(urls) - len(failures), listed=len(urls))]
    if failures:
        parts.append("\n".join(f"\u2022 {escape(f)}" for f in failures[:20]))
    await send_reply(update, parts)
    if context.job_queue is not None:
        context.job_queue.run_once(poll_feeds, 0.5, name="poll-feeds-now")


@admins_only
async def unfollow_command(update: Update, context: Context) -> None:
    args = context.args or []
    number = positive_number(args[0]) if len(args) == 1 else 0
    chat_id = await library_chat_of(update, context)
    gone = await off_loop(library(context).following.unfollow, chat_id, number) if number else None
    if gone is None:
        await send_reply(update, [_(texts.UNFOLLOW_USAGE)])
        return
    await send_reply(update, [_(texts.UNFOLLOWED).format(name=escape(gone.name))])


async def poll_feeds(context: Context) -> None:
    """Job: poll the feeds due now that no other process holds; tell chats what they must
    know. A failing poll round is retried at the next; it never takes the bot down."""
    try:
        polled = await library(context).following.poll_due()
    except Exception:
        log.exception("polling feeds failed; trying again in %.0f s", POLL_SECONDS)
        return
    for poll in polled:
        if _notice(poll) is None:
            continue
        with i18n.speaking(await off_loop(library(context).chats.language, poll.feed.chat_id)):
            notice = _notice(poll)
        if notice is None:
            continue
        try:
            await context.bot.send_message(poll.feed.chat_id, notice)
        except Forbidden:
            log.warning("chat %s no longer accepts messages", poll.feed.chat_id)
        except TelegramError as error:
            log.warning("feed notice for chat %s failed (%s)", poll.feed.chat_id, error)


def _notice(poll: Polled) -> str | None:
    name = escape(poll.feed.name)
    if poll.paused_now:
        return _(texts.FEED_PAUSED_NOTICE).format(name=name, error=escape(poll.feed.error or ""))
    if poll.added and poll.feed.items == 0:  # the feed's first items
        numbers = ", ".join(str(n) for n in poll.added)
        return _(texts.FEED_FIRST_ITEMS).format(name=name, count=len(poll.added), numbers=numbers)
    return None


async def prune_feeds(context: Context) -> None:
    """Job: remove feed articles older than ``NEWSBOT_FEED_KEEP_DAYS``."""
    try:
        gone = await off_loop(library(context).following.prune)
    except Exception:
        log.exception("pruning feed articles failed; trying again in an hour")
        return
    if gone:
        log.info("removed %d feed article(s) past their keep days", gone)
