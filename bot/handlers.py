"""Command and message handlers: parse the update, ask the library, render, reply.

Where the bot speaks: any text in a private chat is a question; in groups it
answers only when mentioned, when someone replies to one of its messages, and
on its commands, so ordinary chatter gets no reply. Edited messages are
ignored by design (answering every edit would spam the chat).
"""

from __future__ import annotations

import logging
import time
from html import escape

from telegram import Message, MessageEntity, Update
from telegram.constants import ChatAction, ChatType
from telegram.ext import ContextTypes

from bot import render, texts
from bot.knowledge import Knowledge
from bot.ratelimit import QuestionLimiter, Verdict
from retrieval import QuestionError
from retrieval.analysis import analyze

log = logging.getLogger("bot.updates")

EXAMPLES = ("How many troops are in Syria?", "Who declined to comment?")
BRIEF_SENTENCES = 4


def knowledge(context: ContextTypes.DEFAULT_TYPE) -> Knowledge:
    return context.bot_data["knowledge"]


def limiter(context: ContextTypes.DEFAULT_TYPE) -> QuestionLimiter:
    return context.bot_data["limiter"]


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    article = knowledge(context).index.article
    text = texts.START.format(
        about=escape(render.about(article)),
        example1=escape(EXAMPLES[0]),
        example2=escape(EXAMPLES[1]),
    )
    await _reply(update, [text])
    _log(update, "start", 0.0)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    username = escape(context.bot.username or "")
    text = "\n\n".join(
        [
            texts.HELP_INTRO.format(username=username),
            escape(texts.command_list()),
            texts.HELP_INLINE.format(username=username),
        ]
    )
    await _reply(update, [text])
    _log(update, "help", 0.0)


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    question = " ".join(context.args or [])
    if not question.strip():
        await _reply(update, [texts.ASK_USAGE.format(example=escape(EXAMPLES[0]))])
        return
    await answer_question(update, context, question, "ask")


async def private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None and message.text is not None:
        await answer_question(update, context, message.text, "text")


async def group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer in groups only when addressed: a mention, or a reply to the bot."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    question = _addressed_question(message, context)
    if question is None:
        return  # chatter between people: stay silent
    if not question.strip():
        await _reply(update, [texts.EMPTY_MENTION.format(example=escape(EXAMPLES[0]))])
        return
    await answer_question(update, context, question, "mention")


async def brief_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    started = time.perf_counter()
    shelf = knowledge(context)
    citations = await shelf.brief(BRIEF_SENTENCES)
    await _reply(update, render.briefing_parts(citations, shelf.index.article))
    _log(update, "brief", started)


async def source_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    article = knowledge(context).index.article
    count = len(article.sentences)
    args = context.args or []
    number = int(args[0]) if len(args) == 1 and args[0].isdigit() else 0
    if not 1 <= number <= count:
        await _reply(update, [texts.SOURCE_USAGE.format(count=count)])
        return
    await _reply(update, render.source_parts(article, number))
    _log(update, "source", 0.0)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
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
        await _reply(update, [texts.UNKNOWN_COMMAND])


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos, voice notes in a private chat: say what the bot can read."""
    await _reply(update, [texts.TEXT_ONLY])


async def answer_question(
    update: Update, context: ContextTypes.DEFAULT_TYPE, question: str, kind: str
) -> None:
    started = time.perf_counter()
    user = update.effective_user
    verdict = limiter(context).check(user.id) if user else Verdict.ALLOW
    if verdict is Verdict.DROP:
        return
    if verdict is Verdict.NOTIFY:
        await _reply(update, [texts.RATE_LIMITED])
        return
    if not analyze(question):
        await _reply(update, [texts.NO_TERMS.format(example=escape(EXAMPLES[0]))])
        _log(update, kind, started, abstained=True)
        return
    shelf = knowledge(context)
    if shelf.is_large and update.effective_chat is not None:
        await update.effective_chat.send_action(ChatAction.TYPING)
    try:
        result = await shelf.answer(question)
    except QuestionError:
        await _reply(update, [texts.TOO_LONG])
        return
    await _reply(update, render.answer_parts(result, shelf.index.article))
    _log(update, kind, started, abstained=result.abstained)


def _addressed_question(message: Message, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """The question if the message speaks to the bot, else ``None``."""
    bot_id = context.bot.id
    username = (context.bot.username or "").lower()
    text = message.text or ""
    for entity, value in message.parse_entities(
        [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]
    ).items():
        mentioned = (
            value.lower() == f"@{username}"
            if entity.type == MessageEntity.MENTION
            else entity.user is not None and entity.user.id == bot_id
        )
        if mentioned:
            return text.replace(value, " ").strip()
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.id == bot_id:
        return text
    return None


async def _reply(update: Update, parts: list[str]) -> None:
    message = update.effective_message
    if message is None:
        return
    # Quoting the asker keeps group threads readable; in a private chat it is noise.
    quote = message.chat.type != ChatType.PRIVATE
    for chunk in render.pack(parts):
        await message.reply_text(chunk, do_quote=quote)


def _log(update: Update, command: str, started: float, abstained: bool | None = None) -> None:
    chat = update.effective_chat
    latency = (time.perf_counter() - started) * 1000 if started else 0.0
    log.info(
        "update chat=%s command=%s latency_ms=%.1f abstained=%s",
        chat.type if chat else "none",
        command,
        latency,
        "-" if abstained is None else abstained,
    )
    if log.isEnabledFor(logging.DEBUG) and update.effective_message is not None:
        log.debug("text=%r", update.effective_message.text)
