"""What every handler module shares: the state it reads, how it replies, logs and shows
"typing…". Handler modules import from here, never from each other."""

from __future__ import annotations

import asyncio
import logging
import time

from telegram import Message, MessageEntity, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError

from bot import i18n, render, texts
from bot.i18n import _
from bot.state import Context
from library import Library, is_web_link, off_loop

log = logging.getLogger("bot.updates")

BRIEF_SENTENCES = 4
TYPING_AFTER_SECONDS = 0.3
#: A shared text at least this long is an article to ask about, not a remark.
SHARED_TEXT_MIN = 200


def library(context: Context) -> Library:
    """The bot's only door to articles; its blocking methods are awaited with ``off_loop``."""
    return context.bot_data.library


def chat_id_of(update: Update) -> int:
    return update.effective_chat.id if update.effective_chat else 0


def reader_of(update: Update) -> str | None:
    """The person's Telegram app language, any (not only those the bot speaks): a library
    reads its English articles for questions in other languages by it (library.asking)."""
    user = update.effective_user
    return user.language_code if user else None


def reads_across(update: Update) -> bool:
    """Whether an English article this person adds is read for questions in other languages
    at once (library.articles.embed_soon). Yes where the bot speaks another language here
    (the chat's /language, or the app's), and where the app is in a language the bot does
    not speak: an Italian reader is answered in English, but asks in Italian, and library
    questions judge by the app's language (``reader_of``), not by the bot's."""
    if i18n.current() != i18n.DEFAULT:
        return True
    reader = reader_of(update)
    return reader is not None and reader.lower().split("-")[0] != i18n.DEFAULT


async def library_chat_of(update: Update, context: Context) -> int:
    """The chat whose articles this update's chat reads and adds to: its own, or, for a
    channel's discussion group, the channel's (``bot.app`` learns the link from the posts
    Telegram forwards into the group). Replies still go to the update's own chat."""
    chat = update.effective_chat
    if chat is None:
        return 0
    if chat.type != ChatType.SUPERGROUP:
        return chat.id  # only a supergroup can be a channel's discussion group
    return await off_loop(library(context).chats.library_of, chat.id)


def positive_number(text: str) -> int:
    """A positive whole number from user text, or 0.

    ``isdecimal``, not ``isdigit``: "²" is a digit that ``int()`` refuses.
    """
    return int(text) if text.isdecimal() and len(text) < 10 else 0


class TypingIfSlow:
    """Show "typing…" only when an answer takes long enough for a person to notice.

    Once the action is on its way, ``finish`` waits for it, so it never lands
    after the answer (which would leave "typing…" showing under the reply).
    """

    def __init__(self, update: Update) -> None:
        self._update = update
        self._sending = False
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        await asyncio.sleep(TYPING_AFTER_SECONDS)
        self._sending = True
        await show_typing(self._update)

    async def finish(self) -> None:
        if not self._sending:
            self._task.cancel()
            return
        await self._task


async def show_typing(update: Update) -> None:
    """Show "typing…"; a refused chat action is logged, never allowed to lose the reply."""
    if update.effective_chat is None:
        return
    try:
        await update.effective_chat.send_action(ChatAction.TYPING)
    except TelegramError as error:
        log.warning("could not send the typing action: %s", error)


async def send_reply(update: Update, parts: list[str]) -> list[int]:
    """Send the parts as few messages as fit; the ids of the messages sent."""
    message = update.effective_message
    if message is None:
        return []
    # Quoting the asker keeps group threads readable; in a private chat it is noise.
    quote = message.chat.type != ChatType.PRIVATE
    return [
        (await message.reply_text(chunk, do_quote=quote)).message_id for chunk in render.pack(parts)
    ]


def log_update(
    update: Update, command: str, started: float | None = None, abstained: bool | None = None
) -> None:
    """One INFO line per update (never its text, which only DEBUG shows); ``started`` is
    ``time.perf_counter()`` when the work began, for commands whose latency matters."""
    chat = update.effective_chat
    latency = (time.perf_counter() - started) * 1000 if started is not None else 0.0
    log.info(
        "update chat=%s command=%s latency_ms=%.1f abstained=%s",
        chat.type if chat else "none",
        command,
        latency,
        "-" if abstained is None else abstained,
    )
    if log.isEnabledFor(logging.DEBUG) and update.effective_message is not None:
        log.debug("text=%r", update.effective_message.text)


def web_links(message: Message) -> list[str]:
    """The message's web links (marked as links by Telegram, in text or caption), in order,
    each once."""
    kinds: list[str | None] = [MessageEntity.URL, MessageEntity.TEXT_LINK]
    try:
        entities = (
            message.parse_entities(kinds) if message.text else message.parse_caption_entities(kinds)
        )
    except UnicodeDecodeError:  # an offset inside an emoji (no real client sends one)
        return []
    found: list[str] = []
    for entity, value in entities.items():
        url = entity.url if entity.type == MessageEntity.TEXT_LINK else value
        if url and is_web_link(url) and url not in found:
            found.append(url)
    return found


def link_or_text(message: Message | None, *, min_text: int = 0) -> str | None:
    """What a shared message offers to read: its first web link, else its text when it is
    at least ``min_text`` characters long."""
    if message is None:
        return None
    links = web_links(message)
    if links:
        return links[0]
    text = (message.text or message.caption or "").strip()
    if is_web_link(text):
        return text
    return text if text and len(text) >= max(min_text, 1) else None


def shared_payload(offer: object) -> str | None:
    """What the user shared, read from the bot's message offering "Add it / Ask about it"
    (it replies to the shared message); ``None`` when Telegram no longer shows it."""
    replied = offer.reply_to_message if isinstance(offer, Message) else None
    return link_or_text(replied)


async def pressed_payload(update: Update) -> str | None:
    """For a button under the "Add it / Ask about it" offer: acknowledge the press and
    return what was shared, or tell the user it is gone and return ``None``."""
    query = update.callback_query
    if query is None:
        return None
    await query.answer()
    payload = shared_payload(query.message)
    if payload is None:
        await send_reply(update, [_(texts.SHARED_GONE)])
    return payload
