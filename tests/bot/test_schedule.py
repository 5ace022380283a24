"""Daily briefings: /schedule and /unschedule, the job posting, and restoring jobs on start."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from zoneinfo import ZoneInfo

import pytest

from bot.app import build_application
from bot.schedule import daily_briefing, job_name
from library.rows import hours_ago
from tests.bot.updates import GROUP, USER, feed, group_message, message, settings_for

BAKERY = (
    "A bakery in Dunmore won the national bread award on Saturday.\n"
    "The judges praised its rye sourdough, which is baked overnight.\n"
    "Owner Lena Fisk said the prize money would pay for a second oven."
)
CHAT = USER["id"]


def due(job) -> dt.datetime:
    """When the job fires next (the job queue need not be running to tell)."""
    return job.job.trigger.get_next_fire_time(None, dt.datetime.now(dt.UTC))


def jobs(app, chat_id: int = CHAT):
    return [job for job in app.job_queue.get_jobs_by_name(job_name(chat_id)) if not job.removed]


async def test_schedule_sets_a_daily_job_at_the_local_time(app, api):
    await feed(app, message("/schedule 8:30 Europe/Berlin"))
    assert api.sent_texts() == [
        "Every day at 08:30 (Europe/Berlin) I'll post a briefing of the articles added since the last one."
    ]
    (job,) = jobs(app)
    berlin = due(job).astimezone(ZoneInfo("Europe/Berlin"))
    assert (berlin.hour, berlin.minute) == (8, 30)
    assert job.chat_id == CHAT


async def test_rescheduling_replaces_the_job(app, api):
    await feed(app, message("/schedule 07:00"))
    await feed(app, message("/schedule 19:45 UTC"))
    (job,) = jobs(app)
    assert due(job).astimezone(dt.UTC).time() == dt.time(19, 45)


@pytest.mark.parametrize(
    "command",
    ["/schedule", "/schedule 25:00", "/schedule 8:61", "/schedule noon", "/schedule 8 30 UTC x"],
)
async def test_malformed_schedules_get_the_usage(app, api, command):
    await feed(app, message(command))
    assert api.sent_texts()[0].startswith("Please give a time and optionally a time zone")
    assert jobs(app) == []


@pytest.mark.parametrize("zone", ["Mars/Olympus", "../../etc/passwd", "<b>"])
async def test_unknown_time_zones_are_named_back_escaped(app, api, zone):
    await feed(app, message(f"/schedule 08:00 {zone}"))
    text = api.sent_texts()[0]
    assert text.startswith("I don't know the time zone")
    assert "<b>" not in text.removeprefix("I don't know the time zone")
    assert jobs(app) == []


async def test_unschedule_stops_the_job_and_says_so_once(app, api):
    await feed(app, message("/schedule 08:00"))
    await feed(app, message("/unschedule"))
    await feed(app, message("/unschedule"))
    _, stopped, nothing = api.sent_texts()
    assert stopped == "The daily briefing is off."
    assert nothing == "There was no daily briefing to stop."
    assert jobs(app) == []


async def _fire(
    app, api, chat_id: int, expected_messages: int, wait: float = 10.0, *, new_day: bool = True
) -> None:
    """Run the real daily job now through PTB's job queue, then wait for its messages;
    ``new_day``: as on the next day (today's briefing slot is taken once)."""
    if new_day:
        app.bot_data.library.store._db.execute("UPDATE chat_settings SET briefing_slot = NULL")
    app.job_queue.run_once(daily_briefing, 0.01, chat_id=chat_id, name=job_name(chat_id))
    await asyncio.to_thread(api.wait_for_messages, expected_messages, wait)
    await asyncio.sleep(0.1)  # let the job record the run before the next one


async def test_job_posts_new_articles_then_nothing_new_once_then_stays_quiet(app, api):
    api.members[(GROUP["id"], USER["id"])] = "administrator"
    await app.start()
    try:
        await feed(app, group_message("/schedule 08:00 UTC"))
        await feed(app, group_message(f"/add {BAKERY}"))
        api.clear()
        await _fire(app, api, GROUP["id"], 1)
        await _fire(app, api, GROUP["id"], 2)
        await _fire(app, api, GROUP["id"], 3, wait=0.5)  # a third message must not come
    finally:
        await app.stop()
    briefing, nothing_new = api.sent_texts()
    assert briefing.startswith("<b>Daily briefing</b> — 1 new article(s)")
    assert "<b>2.</b> A bakery in Dunmore won the national bread award on Saturday." in briefing
    assert "• A bakery in Dunmore won the national bread award on Saturday. [2:1]" in briefing
    assert nothing_new == "No new articles since the last briefing."
    assert all(c.params["chat_id"] == str(GROUP["id"]) for c in api.calls_to("sendMessage"))


async def test_a_second_run_on_the_same_day_sends_nothing(app, api):
    """Two jobs for one slot (or two replicas sharing PostgreSQL): one briefing."""
    api.members[(GROUP["id"], USER["id"])] = "administrator"
    await app.start()
    try:
        await feed(app, group_message("/schedule 08:00 UTC"))
        await feed(app, group_message(f"/add {BAKERY}"))
        api.clear()
        await _fire(app, api, GROUP["id"], 1)
        await _fire(app, api, GROUP["id"], 2, wait=0.5, new_day=False)
    finally:
        await app.stop()
    (briefing,) = api.sent_texts()
    assert briefing.startswith("<b>Daily briefing</b> — 1 new article(s)")


async def test_the_first_briefing_covers_the_articles_added_the_day_before(app, api, library):
    api.members[(GROUP["id"], USER["id"])] = "administrator"
    old = library.articles.add(GROUP["id"], "An old story about the harbour. It is two days old.")
    library.store._db.execute(  # added two days ago: outside the first window
        "UPDATE articles SET added_at = ? WHERE id = ?", (hours_ago(48), old.article_id)
    )
    await app.start()
    try:
        await feed(app, group_message(f"/add {BAKERY}"))  # then, minutes later:
        await feed(app, group_message("/schedule 08:00 UTC"))
        api.clear()
        await _fire(app, api, GROUP["id"], 1)
    finally:
        await app.stop()
    (briefing,) = api.sent_texts()
    assert briefing.startswith("<b>Daily briefing</b> — 1 new article(s)")
    assert "A bakery in Dunmore won the national bread award on Saturday. [3:1]" in briefing
    assert "harbour" not in briefing


async def test_shipped_articles_are_not_news_for_the_daily_briefing(app, api):
    await app.start()
    try:
        await feed(app, message("/schedule 08:00"))
        api.clear()
        await _fire(app, api, CHAT, 1)
    finally:
        await app.stop()
    assert api.sent_texts() == ["No new articles since the last briefing."]


async def test_a_group_that_removed_the_bot_loses_its_schedule(app, api, library):
    api.members[(GROUP["id"], USER["id"])] = "administrator"
    await app.start()
    try:
        await feed(app, group_message("/schedule 08:00"))
        api.refuse["sendMessage"] = "Forbidden: bot was kicked from the supergroup chat"
        await _fire(app, api, GROUP["id"], 1)
    finally:
        await app.stop()
    assert library.store.schedule(GROUP["id"]) is None
    assert jobs(app, GROUP["id"]) == []


async def test_schedules_are_restored_from_the_database_on_start(api, library, tmp_path):
    library.briefings.set_schedule(GROUP["id"], "06:15", "Asia/Tokyo")
    library.briefings.set_schedule(CHAT, "21:00", "UTC")
    application = build_application(settings_for(api, tmp_path), library)
    async with application:
        await application.post_init(application)
        (group_job,) = jobs(application, GROUP["id"])
        (private_job,) = jobs(application, CHAT)
    tokyo = due(group_job).astimezone(ZoneInfo("Asia/Tokyo"))
    assert (tokyo.hour, tokyo.minute) == (6, 15)
    assert due(private_job).astimezone(dt.UTC).time() == dt.time(21, 0)


async def test_replicas_pick_up_schedules_made_on_another_replica(api, postgres_url, tmp_path):
    """With PostgreSQL, a /schedule handled by one replica reaches the others' job queues
    at the next sync (and an /unschedule removes their jobs), so a briefing does not depend
    on the replica that took the command staying up."""
    from bot.schedule import restore_schedules, sync_schedules
    from library.service import Library

    other = Library.open(postgres_url)  # the replica that handles the commands
    mine = Library.open(postgres_url)
    application = build_application(settings_for(api, tmp_path), mine)
    await application.initialize()
    await application.start()
    try:
        await restore_schedules(application)  # as at start-up (post_init)
        assert [j.name for j in application.job_queue.jobs()] == ["sync-schedules"]
        other.briefings.set_schedule(GROUP["id"], "07:15", "Europe/Paris")
        application.job_queue.run_once(sync_schedules, 0.01)
        await asyncio.sleep(0.5)
        (job,) = jobs(application, GROUP["id"])
        assert due(job).astimezone(ZoneInfo("Europe/Paris")).strftime("%H:%M") == "07:15"
        other.briefings.clear_schedule(GROUP["id"])
        application.job_queue.run_once(sync_schedules, 0.01)
        await asyncio.sleep(0.5)
        assert jobs(application, GROUP["id"]) == []
    finally:
        await application.stop()
        await application.shutdown()
        other.close()
        mine.close()


@pytest.mark.parametrize(
    "zone", ["x" * 5000, "localtime", "posixrules", "Factory", "right/UTC", "posix/UTC"]
)
async def test_zones_that_name_no_place_or_only_the_host_are_refused(app, api, zone, caplog):
    with caplog.at_level(logging.DEBUG, logger="bot"):
        await feed(app, message(f"/schedule 08:00 {zone}"))
    (text,) = api.sent_texts()
    assert text.startswith("I don't know the time zone")
    assert len(text) < 200
    assert jobs(app) == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_zone_names_are_read_in_any_letter_case(app, api):
    await feed(app, message("/schedule 07:15 europe/berlin"))
    assert api.sent_texts()[0].startswith("Every day at 07:15 (Europe/Berlin)")
    (job,) = jobs(app)
    assert job.data == ("07:15", "Europe/Berlin")
