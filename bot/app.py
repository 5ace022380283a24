"""Wiring only: build the Application, register handlers in order, set command menus."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import ssl
from collections.abc import Coroutine
from typing import Any

import httpx
from telegram import (
    BotCommand,
    BotCommandScopeAllChatAdministrators,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot import feeds, handlers, i18n, language, library_handlers, schedule, shared, texts, watch
from bot.config import Settings
from bot.errors import on_error
from bot.heartbeat import HEARTBEAT_SECONDS, beat, stop_beating
from bot.i18n import _
from bot.inline import inline_query
from bot.polling import PollingPulse
from bot.state import CONTEXT_TYPES, BotApplication, BotData, Context
from bot.stats import REPORT_SECONDS, report_tally, stats_command
from bot.tally import Tally
from library import WEB_LINK, Caps, Library, off_loop
from retrieval import seed_paths

log = logging.getLogger("bot.app")

NEW_MESSAGES = filters.UpdateType.MESSAGE  # edits are ignored by design
#: In groups a file is added only when its caption starts with /add; other files are chatter.
_CAPTION_ADD = filters.CaptionRegex(r"^/add(@\w+)?(\s|$)")
_CAPTION_FOLLOW = filters.CaptionRegex(r"^/follow(@\w+)?(\s|$)")
_HAS_LINK = (
    filters.Entity("url")
    | filters.Entity("text_link")
    | filters.CaptionEntity("url")
    | filters.CaptionEntity("text_link")
)
_BARE_LINK = filters.Regex(rf"^\s*{WEB_LINK.pattern}\s*$")


def open_library(settings: Settings) -> Library:
    """The database at ``settings.database`` (a SQLite file, or PostgreSQL that replicas
    share) with the shipped articles stored in it.

    Raises ``StoreError`` (unusable database) or ``RetrievalError`` (bad seed file).
    """
    return Library.open(
        settings.database,
        seeds=seed_paths(),
        cache_size=settings.index_cache_size,
        allow_hosts=settings.fetch_allow_hosts,
        feed_caps=Caps(
            feeds=settings.feeds_per_chat,
            per_day=settings.feed_items_per_day,
            keep_days=settings.feed_keep_days,
        ),
    )


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context for the bot's two HTTP clients: each client would otherwise load the
    CA bundle again (about 50 ms, every time an Application is built)."""
    return httpx.create_ssl_context()


def build_application(
    settings: Settings, library: Library | None = None, *, flood_limits: bool = True
) -> Application:
    """The bot, ready to run; ``flood_limits=False`` is only for measuring raw handling speed."""
    pulse = PollingPulse(httpx_kwargs={"verify": _tls()})
    builder = (
        Application.builder()
        .token(settings.token)
        .request(HTTPXRequest(connection_pool_size=256, httpx_kwargs={"verify": _tls()}))
        .base_url(settings.base_url)
        .base_file_url(settings.base_file_url)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .get_updates_request(pulse)
        .concurrent_updates(True)
        .post_init(_start_up)
        .post_shutdown(_shut_down)
        .context_types(CONTEXT_TYPES)
    )
    if settings.webhook_url:
        builder = builder.updater(None)  # bot.webhook serves the updates itself
    if flood_limits:
        # Telegram's limits (~1 msg/s per chat, 20/min per group, 30/s overall); RetryAfter
        # is waited out and retried.
        # PTB types rate_limiter() for BaseRateLimiter[None]; AIORateLimiter is [int].
        builder = builder.rate_limiter(AIORateLimiter(max_retries=2))  # type: ignore[arg-type]
    application = builder.build()
    state = application.bot_data
    state.library = library or open_library(settings)
    state.settings = settings
    state.tally = Tally()
    state.polling_pulse = pulse
    state.mode = "webhook" if settings.webhook_url else "polling"
    register_handlers(application)
    return application


def register_handlers(application: Application[Any, Any, Any, Any, BotData, Any]) -> None:
    # group -3 runs first: the language the rest of the update speaks (bot/language.py).
    application.add_handler(TypeHandler(Update, language.choose_language), group=-3)
    # group -1 runs before everything else: drop other bots' messages outright.
    application.add_handler(TypeHandler(Update, _ignore_bots), group=-1)

    commands = {
        "start": handlers.start,
        "help": handlers.help_command,
        "ask": handlers.ask_command,
        "brief": handlers.brief_command,
        "source": handlers.source_command,
        "add": library_handlers.add_command,
        "articles": library_handlers.articles_command,
        "use": library_handlers.use_command,
        "remove": library_handlers.remove_command,
        "follow": feeds.follow_command,
        "feeds": feeds.feeds_command,
        "unfollow": feeds.unfollow_command,
        "watch": watch.watch_command,
        "schedule": schedule.schedule_command,
        "unschedule": schedule.unschedule_command,
        "language": language.language_command,
    }
    for name, callback in commands.items():
        application.add_handler(CommandHandler(name, callback, filters=NEW_MESSAGES))
    owner = application.bot_data.settings.owner_id
    if owner is not None:  # anyone else's /stats is an unknown command, below
        owner_only = NEW_MESSAGES & filters.User(user_id=owner)
        application.add_handler(CommandHandler("stats", stats_command, filters=owner_only))
    # Order matters: known commands above, then any other command, then plain text.
    application.add_handler(
        MessageHandler(NEW_MESSAGES & filters.COMMAND, handlers.unknown_command)
    )
    # A forwarded message or a bare link in a private chat: "Add it / Ask about it".
    application.add_handler(
        MessageHandler(
            NEW_MESSAGES
            & filters.ChatType.PRIVATE
            & filters.TEXT
            & (filters.FORWARDED | _BARE_LINK),
            shared.offer_choices,
        )
    )
    application.add_handler(
        MessageHandler(
            NEW_MESSAGES & filters.ChatType.PRIVATE & filters.TEXT, handlers.private_text
        )
    )
    application.add_handler(
        MessageHandler(NEW_MESSAGES & filters.ChatType.GROUPS & filters.TEXT, handlers.group_text)
    )
    application.add_handler(
        MessageHandler(NEW_MESSAGES & filters.Document.ALL & _CAPTION_FOLLOW, feeds.follow_file)
    )
    application.add_handler(
        MessageHandler(
            NEW_MESSAGES & filters.Document.ALL & (filters.ChatType.PRIVATE | _CAPTION_ADD),
            library_handlers.document_message,
        )
    )
    application.add_handler(
        MessageHandler(NEW_MESSAGES & filters.ChatType.PRIVATE & ~filters.TEXT, handlers.not_text)
    )
    # Channels: commands and posts arrive as channel posts, which no handler above takes.
    channel = filters.UpdateType.CHANNEL_POST
    application.add_handler(
        MessageHandler(channel & filters.Regex(watch.WATCH_COMMAND), watch.watch_command)
    )
    application.add_handler(MessageHandler(channel & _HAS_LINK, watch.watched_post))
    # In a group, a message with a link may be watched as well as answered (its own group).
    application.add_handler(
        MessageHandler(NEW_MESSAGES & filters.ChatType.GROUPS & _HAS_LINK, watch.watched_post),
        group=1,
    )
    application.add_handler(InlineQueryHandler(inline_query))
    application.add_handler(
        CallbackQueryHandler(library_handlers.add_shared, pattern=f"^{shared.ADD}$")
    )
    application.add_handler(CallbackQueryHandler(shared.ask_shared, pattern=f"^{shared.ASK}$"))
    application.add_error_handler(on_error)


async def _ignore_bots(update: Update, context: Context) -> None:
    """Other bots' messages, forged messages without a chat, and channel posts Telegram
    forwards into a channel's discussion group by itself, never get a reply (a post
    mentioning the bot would otherwise answer itself); comments under such a post are
    people, and are handled."""
    message = update.effective_message
    if message is not None and message.chat is not None and message.is_automatic_forward:
        await _share_channel_library(message, context)
    if message is not None and (message.is_automatic_forward or message.chat is None):
        # A message without a chat is no update Telegram sends: a forged one, dropped
        # here before any handler's filter reads ``message.chat``.
        raise ApplicationHandlerStop
    user = update.effective_user
    if user is None or not user.is_bot or _anonymous_admin(update):
        return
    raise ApplicationHandlerStop


async def _share_channel_library(message: Message, context: Context) -> None:
    """Only Telegram forwards a channel's posts into its discussion group by itself, so
    such a post says which channel the group discusses: from then on the group reads
    and adds to the channel's library, and its comments are answered from it."""
    channel = message.sender_chat
    if channel is None or channel.type != ChatType.CHANNEL:
        return
    if message.chat.type != ChatType.SUPERGROUP:
        return
    if await off_loop(context.bot_data.library.chats.share_library, message.chat.id, channel.id):
        log.info("chat %s now shares the library of channel %s", message.chat.id, channel.id)


def _anonymous_admin(update: Update) -> bool:
    """Anonymous group admins post as the group, from the service bot @GroupAnonymousBot."""
    message, chat = update.effective_message, update.effective_chat
    return (
        message is not None
        and chat is not None
        and message.sender_chat is not None
        and message.sender_chat.id == chat.id
    )


def bot_commands(*, managing: bool = True) -> list[BotCommand]:
    """One source of truth for the menus and /help; ``managing=False`` leaves out what
    only administrators may do (the menu group members who are not admins see). The
    descriptions are in the current language (bot/i18n.py)."""
    return [
        BotCommand(c.name, _(c.description))
        for c in texts.COMMANDS
        if managing or c.name not in texts.ADMIN_COMMANDS
    ]


async def _start_up(application: BotApplication) -> None:
    await schedule.restore_schedules(application)
    # Articles stored before vectors were (or by another model) are embedded in the background.
    application.bot_data.library.articles.start_backfill()
    assert application.job_queue is not None
    # The first beat half a second after start; until a poll has come back, beats follow
    # every half second (``beat``), so the check turns healthy as soon as it can.
    application.job_queue.run_repeating(beat, HEARTBEAT_SECONDS, first=0.5, name="heartbeat")
    application.job_queue.run_repeating(
        report_tally, REPORT_SECONDS, first=REPORT_SECONDS, name="tally"
    )
    application.job_queue.run_repeating(
        feeds.poll_feeds, feeds.POLL_SECONDS, first=5, name="poll-feeds"
    )
    application.job_queue.run_repeating(
        feeds.prune_feeds, feeds.PRUNE_SECONDS, first=60, name="prune-feeds"
    )
    await _polish(application)


async def _shut_down(application: BotApplication) -> None:
    stop_beating()
    # The last minute's questions count in /stats after a restart too.
    with contextlib.suppress(Exception):
        await off_loop(
            application.bot_data.library.asking.report_tally, application.bot_data.tally.report()
        )
    await off_loop(application.bot_data.library.stop_background)


async def _polish(application: BotApplication) -> None:
    """Menus and descriptions, in every language the bot speaks (Telegram shows each
    person those of their app's language); they are niceties: a server that refuses
    them must not stop the bot. Sent all at once: one after another, the 60 calls held
    start-up back by seconds."""
    bot = application.bot
    everyone_manages = not application.bot_data.settings.admins_only
    calls: list[tuple[str, str, Coroutine[Any, Any, bool]]] = []
    for code in i18n.LANGUAGES:
        language = None if code == i18n.DEFAULT else code
        with i18n.speaking(code):
            menus = (
                ("the private command menu", bot_commands(), _PRIVATE),
                ("the group command menu", bot_commands(managing=everyone_manages), _GROUPS),
                ("the group administrators' menu", bot_commands(), _ADMINS),
            )
            calls += [
                (what, code, bot.set_my_commands(commands, scope=scope, language_code=language))
                for what, commands, scope in menus
            ]
            calls += [
                (
                    "the description",
                    code,
                    bot.set_my_description(_(texts.DESCRIPTION), language_code=language),
                ),
                (
                    "the short description",
                    code,
                    bot.set_my_short_description(
                        _(texts.SHORT_DESCRIPTION), language_code=language
                    ),
                ),
            ]

    async def attempt(what: str, code: str, call: Coroutine[Any, Any, bool]) -> None:
        try:
            await call
        except TelegramError as error:
            log.warning("could not set %s in %s (%s); carrying on", what, code, error)

    await asyncio.gather(*(attempt(*call) for call in calls))


_PRIVATE = BotCommandScopeAllPrivateChats()
_GROUPS = BotCommandScopeAllGroupChats()
_ADMINS = BotCommandScopeAllChatAdministrators()
