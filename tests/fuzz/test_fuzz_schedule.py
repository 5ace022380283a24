"""``/schedule`` arguments: any words get the usage, a refusal or a schedule, never a failure."""

from __future__ import annotations

import logging

from hypothesis import given
from hypothesis import strategies as st

from bot.schedule import parse_schedule, zone, zone_name
from tests.bot.updates import feed, message

_words = st.one_of(
    st.text(max_size=40).filter(lambda w: w.strip() and not any(c.isspace() for c in w)),
    st.sampled_from(
        [
            "08:30",
            "8.15",
            "23h59",
            "24:00",
            "UTC",
            "Europe/Berlin",
            "localtime",
            "right/UTC",
            "../etc/passwd",
            "x" * 5000,
        ]
    ),
)


@given(st.lists(_words, max_size=4))
def test_parse_schedule_and_zone_never_raise(args):
    parsed = parse_schedule(args)
    if parsed is not None:
        time, tz = parsed
        assert len(time) == 5
        found = zone_name(tz)
        assert found is None or zone(found) is not None


@given(st.text(max_size=6000))
def test_a_zone_is_a_listed_name_or_none(text):
    found = zone_name(text)
    assert found is None or (found.lower() == text.lower() and zone(found) is not None)


@given(st.lists(_words, max_size=3))
async def test_schedule_command_always_answers_without_failing(app, api, caplog, args):
    caplog.clear()
    with caplog.at_level(logging.ERROR):
        await feed(app, message(" ".join(["/schedule", *args])))
    (reply,) = api.sent_texts()
    assert reply.startswith(("Please give a time", "I don't know the time zone", "Every day at"))
    assert len(reply) < 400
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
    api.clear()
