"""Two real ``python -m bot`` replicas in webhook mode sharing one PostgreSQL database.

A small run of ``benchmarks/replicas.py`` (which runs 1,000 questions and 100 adds,
and a daily briefing): any replica may receive any update, every answer must be
right, an add on one replica must be answered by the other at once, a conversation
(a pending prompt, a thread, the chat's language) may hop between replicas at every
step, and replica A killed with SIGKILL mid-add must lose nothing it acknowledged.
"""

from __future__ import annotations

from benchmarks.replicas import run


def test_two_replicas_answer_right_share_adds_and_keep_what_they_acknowledged(
    postgres_url, tmp_path
):
    report = run(postgres_url, tmp_path, questions=20, adds=4, kill_adds=8)
    assert report.wrong == []
    assert report.answered_right == 20
    assert report.adds_acknowledged == report.adds_seen_by_other == 4
    assert report.kill_adds_acknowledged >= 4  # killed with adds still in flight
    assert report.kill_adds_kept == report.kill_adds_acknowledged
    # Prompt, thread and chat language, each used on the other replica than set it.
    assert report.conversations == report.conversations_kept == 7
    logs = "".join(p.read_text() for p in tmp_path.glob("bot-*.log"))
    assert "Traceback" not in logs
