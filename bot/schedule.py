"""Daily group briefings: /schedule, /unschedule, and the job that posts them.

Schedules live in the database; the job queue only holds what is running now,
so ``restore_schedules`` re-creates every job from the database at start-up.
Replicas sharing PostgreSQL also re-read the schedules every minute
(``sync_schedules``): a /schedule handled by one replica reaches the others'
job queues, and the briefing slot each job claims first (``claim_briefing``)
makes sure only one of them sends it.
A briefing covers the chat's articles added since the previous one; when
there are none the chat hears "nothing new" once, not every day.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from html import escape
from importlib import resources
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import JobQueue

from bot import i18n, render, texts
from bot.admin import admins_only
from bot.i18n import _
from bot.replies import chat_id_of, library, send_reply
from bot.state import BotApplication, Context
from library import Library, now, off_loop

log = logging.getLogger("bot.schedule")

_TIME = re.compile(r"^([01]?\d|2[0-3])[:.h]([0-5]\d)$")
#: A daily briefing names at most this many new articles, each with this many bullets.
DAILY_ARTICLES = 5
DAILY_SENTENCES = 2
#: Articles a digest (a chat that follows feeds) shows; long ones go out as several messages.
DIGEST_ARTICLES = 40


def job_name(chat_id: int) -> str:
    return f"brief:{chat_id}"


def parse_schedule(args: list[str]) -> tuple[str, str] | None:
    """``("08:30", "Europe/Berlin")`` from ``["8:30", "Europe/Berlin"]``, or None if malformed."""
    if not 1 <= len(args) <= 2:
        return None
    match = _TIME.match(args[0])
    if match is None:
        return None
    tz = args[1] if len(args) == 2 else "UTC"
    return f"{int(match[1]):02d}:{match[2]}", tz


@functools.cache
def _zone_names() -> dict[str, str]:
    """IANA zone names as the ``tzdata`` package lists them, by their lower-case spelling.

    The package's list, not the host's files: on a host, ``localtime``,
    ``posixrules`` or ``right/UTC`` also load, and mean whatever that machine was
    set up with. ``Factory`` (a placeholder zone that names no place) is left out.
    """
    listed = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8").split()
    return {name.lower(): name for name in listed if name != "Factory"}


def zone_name(text: str) -> str | None:
    """The IANA name ``text`` spells, in any letter case ("europe/berlin"), or None."""
    return _zone_names().get(text.lower()) if len(text) <= _LONGEST_ZONE else None


#: No IANA name is longer (the longest is 32 characters); longer text is not looked up.
_LONGEST_ZONE = 64


def zone(name: str) -> ZoneInfo | None:
    """The time zone of a listed IANA name, or None (also for what the host alone knows)."""
    known = zone_name(name)
    if known is None:
        return None
    try:
        return ZoneInfo(known)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


#: How often replicas sharing a database re-read the schedules.
SYNC_SECONDS = 60.0


def install(job_queue: JobQueue, chat_id: int, time: str, tz: str) -> None:
    """(Re)create the chat's daily job; a chat has at most one."""
    for job in job_queue.get_jobs_by_name(job_name(chat_id)):
        if job.data == (time, tz) and not job.removed:
            return  # already as stored
        job.schedule_removal()
    tzinfo = zone(tz) or ZoneInfo("UTC")
    hour, minute = (int(x) for x in time.split(":"))
    job_queue.run_daily(
        daily_briefing,
        dt.time(hour, minute, tzinfo=tzinfo),
        chat_id=chat_id,
        name=job_name(chat_id),
        data=(time, tz),
    )


@admins_only
async def schedule_command(update: Update, context: Context) -> None:
    parsed = parse_schedule(context.args or [])
    if parsed is None:
        await send_reply(update, [_(texts.SCHEDULE_USAGE)])
        return
    time, asked = parsed
    found = zone(asked)
    if found is None:
        await send_reply(update, [_(texts.BAD_TIMEZONE).format(tz=escape(asked[:_LONGEST_ZONE]))])
        return
    tz = found.key  # the listed spelling: "europe/berlin" is stored as Europe/Berlin
    chat_id = chat_id_of(update)
    await off_loop(library(context).briefings.set_schedule, chat_id, time, tz)
    assert context.job_queue is not None
    install(context.job_queue, chat_id, time, tz)
    await send_reply(update, [_(texts.SCHEDULED).format(time=time, tz=escape(tz))])


@admins_only
async def unschedule_command(update: Update, context: Context) -> None:
    chat_id = chat_id_of(update)
    had = await off_loop(library(context).briefings.clear_schedule, chat_id)
    assert context.job_queue is not None
    for job in context.job_queue.get_jobs_by_name(job_name(chat_id)):
        job.schedule_removal()
    await send_reply(update, [_(texts.UNSCHEDULED) if had else _(texts.NOT_SCHEDULED)])


async def daily_briefing(context: Context) -> None:
    """Post the briefing of the articles added since the last one (the job's callback)."""
    job = context.job
    if job is None or job.chat_id is None:
        return
    chat_id = job.chat_id
    lib = library(context)
    # A job belongs to no update: it speaks the chat's chosen language (else English).
    i18n.activate(await off_loop(lib.chats.language, chat_id))
    if not await off_loop(lib.briefings.claim, chat_id, dt.datetime.now(dt.UTC)):
        # Today's is taken: another replica sharing the database (or a second job) has it,
        # or the chat unscheduled meanwhile (due_briefing below would then say so).
        if not (await off_loop(lib.briefings.due, chat_id, now())).scheduled:
            job.schedule_removal()
        return
    due = await off_loop(lib.briefings.due, chat_id, now())
    if not due.scheduled:  # unscheduled meanwhile (e.g. by another process)
        job.schedule_removal()
        return
    if due.quiet:
        return
    if due.article_ids and due.feeds:
        shown = list(due.article_ids[-DIGEST_ARTICLES:])  # the newest, when there are more
        briefs = await off_loop(lib.briefings.briefs, shown, DAILY_SENTENCES)
        parts = render.digest_parts(briefs, due.feeds, len(due.article_ids))
    elif due.article_ids:
        shown = list(due.article_ids[:DAILY_ARTICLES])
        briefs = await off_loop(lib.briefings.briefs, shown, DAILY_SENTENCES)
        parts = render.daily_parts(briefs, len(due.article_ids))
    else:
        parts = [_(texts.NOTHING_NEW)]
    try:
        for chunk in render.pack(parts):
            await context.bot.send_message(chat_id, chunk)
    except Forbidden:
        # The bot was removed from the group: stop posting there for good.
        log.warning("chat %s no longer accepts messages; its schedule is removed", chat_id)
        await off_loop(lib.briefings.clear_schedule, chat_id)
        job.schedule_removal()
        return
    except TelegramError as error:
        log.warning("daily briefing for chat %s failed (%s); will retry tomorrow", chat_id, error)
        return
    await off_loop(lib.briefings.sent, chat_id, due)
    log.info("daily briefing chat=%s articles=%d", chat_id, len(due.article_ids))


async def restore_schedules(application: BotApplication) -> int:
    """Re-create every stored schedule's job; returns how many. Replicas sharing the
    database keep re-reading them (``sync_schedules``)."""
    assert application.job_queue is not None
    count = await _sync(application.bot_data.library, application.job_queue)
    if count:
        log.info("restored %d daily briefing(s)", count)
    if application.bot_data.library.replicated:
        application.job_queue.run_repeating(
            sync_schedules, interval=SYNC_SECONDS, first=SYNC_SECONDS, name="sync-schedules"
        )
    return count


async def sync_schedules(context: Context) -> None:
    """Match this replica's daily jobs to the shared database's schedules, and embed any
    article a replica stored but did not live to embed (a backfill finds it)."""
    assert context.job_queue is not None
    await _sync(library(context), context.job_queue)
    library(context).articles.start_backfill()


async def _sync(lib: Library, job_queue: JobQueue[Any]) -> int:
    schedules = await off_loop(lib.briefings.schedules)
    for schedule in schedules:
        install(job_queue, schedule.chat_id, schedule.time, schedule.tz)
    scheduled = {job_name(s.chat_id) for s in schedules}
    for job in job_queue.jobs():
        if job.name and job.name.startswith("brief:") and job.name not in scheduled:
            job.schedule_removal()  # unscheduled on another replica
    return len(schedules)
