"""Command and message handlers: parse the update, ask the library, render, reply.

Where the bot speaks: any text in a private chat is a question; in groups it
answers only when mentioned, when someone replies to one of its messages, and
on its commands, so ordinary chatter gets no reply. Edited messages are
ignored by design (answering every edit would spam the chat).
"""

from __future__ import annotations

import logging
import re
import time
from html import escape

from telegram import Message, MessageEntity, Update
from telegram.constants import ChatType

from bot import render, texts
from bot.i18n import _, every_translation
from bot.ratelimit import admit
from bot.replies import (
    BRIEF_SENTENCES,
    SHARED_TEXT_MIN,
    TypingIfSlow,
    chat_id_of,
    library,
    library_chat_of,
    link_or_text,
    log_update,
    positive_number,
    reader_of,
    send_reply,
)
from bot.state import Context
from library import (
    Admission,
    Busy,
    LibraryError,
    Reply,
    Thread,
    off_loop,
    sentence_reference,
    with_context,
)
from retrieval import EmbeddingStopped, QuestionError, RetrievalError, analyze

log = logging.getLogger("bot.updates")

EXAMPLES = ("How many troops are in Syria?", "Who declined to comment?")


async def start(update: Update, context: Context) -> None:
    lib = library(context)
    row = await off_loop(lib.articles.current, await library_chat_of(update, context))
    about = (
        render.about(await off_loop(lib.articles.article, row.id))
        if row
        else _(texts.ABOUT_UNKNOWN)
    )
    text = _(texts.START).format(
        about=escape(about),
        example1=escape(EXAMPLES[0]),
        example2=escape(EXAMPLES[1]),
    )
    await send_reply(update, [text])
    log_update(update, "start")


async def help_command(update: Update, context: Context) -> None:
    username = escape(context.bot.username or "")
    text = "\n\n".join(
        [
            _(texts.HELP_INTRO).format(username=username),
            escape(texts.command_list()),
            _(texts.HELP_INLINE).format(username=username),
        ]
    )
    await send_reply(update, [text])
    log_update(update, "help")


async def ask_command(update: Update, context: Context) -> None:
    question = " ".join(context.args or [])
    if not question.strip():
        await send_reply(update, [_(texts.ASK_USAGE).format(example=escape(EXAMPLES[0]))])
        return
    await answer_question(update, context, question, "ask")


async def private_text(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is not None and message.text is not None:
        await answer_question(update, context, message.text, "text")


def _bots_message_replied_to(message: Message, context: Context) -> Message | None:
    """The bot's own message that ``message`` replies to, if it replies to one."""
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
        return None
    return replied


async def _thread_of(message: Message, context: Context) -> Thread | None:
    """The conversation a reply to one of the bot's answers continues, if it is one."""
    replied = _bots_message_replied_to(message, context)
    if replied is None:
        return None
    return await off_loop(library(context).asking.thread, message.chat.id, replied.message_id)


async def group_text(update: Update, context: Context) -> None:
    """Answer in groups only when addressed: a mention, or a reply to the bot."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    question = _addressed_question(message, context)
    if question is None:
        return  # chatter between people: stay silent
    if not question.strip():
        await send_reply(update, [_(texts.EMPTY_MENTION).format(example=escape(EXAMPLES[0]))])
        return
    await answer_question(update, context, question, "mention")


async def brief_command(update: Update, context: Context) -> None:
    started = time.perf_counter()
    lib = library(context)
    row = await off_loop(lib.articles.current, await library_chat_of(update, context))
    if row is None:
        await send_reply(update, [_(texts.LIBRARY_EMPTY)])
        return
    briefed = await off_loop(lib.briefings.brief, row.id, BRIEF_SENTENCES)
    await send_reply(update, render.briefing_parts(briefed.citations, briefed.article))
    log_update(update, "brief", started)


async def source_command(update: Update, context: Context) -> None:
    """``/source N`` in the current article, or ``/source A:N`` in article A."""
    lib = library(context)
    chat_id = await library_chat_of(update, context)
    args = context.args or []
    article_id, _colon, sentence = (args[0] if len(args) == 1 else "").rpartition(":")
    if article_id:
        row = await off_loop(lib.articles.row, chat_id, positive_number(article_id))
    else:
        row = await off_loop(lib.articles.current, chat_id)
    if row is None:
        await send_reply(
            update, [_(texts.NO_SUCH_ARTICLE).format(number=escape(article_id or "?"))]
        )
        return
    article = await off_loop(lib.articles.article, row.id)
    count = len(article.sentences)
    number = positive_number(sentence)
    if not 1 <= number <= count:
        await send_reply(update, [_(texts.SOURCE_USAGE).format(count=count)])
        return
    await send_reply(update, render.source_parts(article, number))
    log_update(update, "source")


async def unknown_command(update: Update, context: Context) -> None:
    """Private chats hear about unknown commands; groups only when the command names us."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None or message.text is None:
        return
    command = message.text.split()[0]
    addressed = (
        "@" in command and command.split("@", 1)[1].lower() == (context.bot.username or "").lower()
    )
    if chat.type == ChatType.PRIVATE or addressed:
        await send_reply(update, [_(texts.UNKNOWN_COMMAND)])


async def not_text(update: Update, context: Context) -> None:
    """Stickers, photos, voice notes in a private chat: say what the bot can read."""
    await send_reply(update, [_(texts.TEXT_ONLY)])


async def answer_question(update: Update, context: Context, question: str, kind: str) -> None:
    """Answer from the chat's library, or, for a reply to one of the bot's answers, from
    the article that answer came from (a sentence number shows that sentence)."""
    started = time.perf_counter()
    user = update.effective_user
    verdict = await admit(context, user.id) if user else Admission.ALLOW
    if verdict is Admission.DROP:
        return
    if verdict is Admission.NOTIFY:
        await send_reply(update, [_(texts.RATE_LIMITED)])
        return
    lib = library(context)
    chat_id = chat_id_of(update)
    message = update.effective_message
    shared = await _asked_about(message, context) if message is not None else None
    if shared is _EXPIRED:
        await send_reply(update, [_(texts.SHARED_PROMPT_EXPIRED)])
        return
    thread = await _thread_of(message, context) if message is not None and shared is None else None
    if thread is not None and await _show_referenced_sentence(update, context, thread, question):
        log_update(update, "follow-up source", started)
        return
    # "and where?" has no words to look up alone; in a thread it borrows the last question's.
    if not analyze(with_context(question, thread.question) if thread else question):
        await send_reply(update, [_(texts.NO_TERMS).format(example=escape(EXAMPLES[0]))])
        log_update(update, kind, started, abstained=True)
        return
    if shared is not None:
        await _answer_about(update, context, shared, question, kind)
        return
    typing = TypingIfSlow(update)
    try:
        if thread is not None:
            reply: Reply = await off_loop(
                lib.asking.ask_in_thread, chat_id, thread, question, reader=reader_of(update)
            )
            kind = f"{kind} follow-up"
        else:
            library_chat = await library_chat_of(update, context)
            reply = await off_loop(lib.asking.ask, library_chat, question, reader=reader_of(update))
    except QuestionError:
        await send_reply(update, [_(texts.TOO_LONG)])
        return
    finally:
        await typing.finish()
    sent = await send_reply(update, render.reply_parts(reply))
    await off_loop(lib.asking.remember, chat_id, sent, reply)
    log_update(update, kind, started, abstained=reply.abstained)
    context.bot_data.tally.record((time.perf_counter() - started) * 1000, reply.abstained)


#: ``_asked_about``'s answer for a reply to a prompt that is no longer pending.
_EXPIRED = "\x00expired"


async def _asked_about(message: Message, context: Context) -> str | None:
    """The link or text a question is about when it replies to a shared message or to a
    channel's post (groups), or to the bot's "what would you like to know?" prompt
    (``_EXPIRED`` when that prompt is too old to remember what it was about)."""
    replied = message.reply_to_message
    if replied is None:
        return None
    prompt = _bots_message_replied_to(message, context)
    if prompt is not None:
        pending = await off_loop(library(context).asking.prompt, message.chat.id, prompt.message_id)
        if pending is None and prompt.text in every_translation(texts.SHARED_ASK_PROMPT):
            return _EXPIRED
        return pending
    if message.chat.type == ChatType.PRIVATE:
        return None
    if replied.is_automatic_forward:
        # A comment under a channel's post (in its discussion group): the post, however short.
        return link_or_text(replied)
    return link_or_text(replied, min_text=SHARED_TEXT_MIN)


async def _answer_about(
    update: Update, context: Context, payload: str, question: str, kind: str
) -> None:
    """Answer from a shared link or text without adding it to the chat's library."""
    started = time.perf_counter()
    lib = library(context)
    typing = TypingIfSlow(update)
    try:
        reply = await lib.asking.ask_about(chat_id_of(update), payload, question)
    except QuestionError:
        await send_reply(update, [_(texts.TOO_LONG)])
        return
    except Busy as busy:
        await send_reply(update, [_(texts.BUSY).format(reason=escape(str(busy)))])
        return
    except EmbeddingStopped:
        await send_reply(update, [_(texts.RESTARTING)])
        return
    except (LibraryError, RetrievalError) as error:
        await send_reply(update, [_(texts.SHARED_FAILED).format(reason=escape(str(error)))])
        return
    finally:
        await typing.finish()
    await send_reply(update, render.reply_parts(reply))
    log_update(update, f"{kind} shared", started, abstained=reply.abstained)


async def _show_referenced_sentence(
    update: Update, context: Context, thread: Thread, text: str
) -> bool:
    """ "what about [2]?" in a reply thread: that sentence in its paragraph; False when the
    text asks no sentence of the article by number."""
    number = sentence_reference(text)
    if number is None:
        return False
    article = await off_loop(library(context).articles.article, thread.article_id)
    if not 1 <= number <= len(article.sentences):
        return False  # "what about 2020?" is a question, not a sentence number
    await send_reply(update, render.source_parts(article, number))
    return True


def _addressed_question(message: Message, context: Context) -> str | None:
    """The question if the message speaks to the bot, else ``None``."""
    bot_id = context.bot.id
    username = (context.bot.username or "").lower()
    text = message.text or ""
    try:
        entities = message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION])
    except UnicodeDecodeError:
        # An entity offset that splits an emoji's surrogate pair (no real client
        # sends one): fall back to the mention as written.
        spoken = re.compile(rf"@{re.escape(username)}\b", re.IGNORECASE) if username else None
        if spoken is not None and spoken.search(text):
            return spoken.sub(" ", text).strip()
        entities = {}
    for entity, value in entities.items():
        mentioned = (
            value.lower() == f"@{username}"
            if entity.type == MessageEntity.MENTION
            else entity.user is not None and entity.user.id == bot_id
        )
        if mentioned:
            return text.replace(value, " ").strip()
    return text if _bots_message_replied_to(message, context) is not None else None
