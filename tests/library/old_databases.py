"""Databases as older versions of newsbot left them, for the migration tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from library import postgres
from library.db import MIGRATIONS

#: The one article such a database holds: id 7, two sentences.
OLD_ARTICLE_ID = 7


def write_old_database(path: Path, version: int, chat_id: int) -> None:
    """A database at schema ``version`` (no later migration applied) with one article of
    ``chat_id``, written with plain sqlite3 as that version would have."""
    raw = sqlite3.connect(path)
    for script in MIGRATIONS[:version]:
        for statement in script.split(";"):
            if statement.strip():
                raw.execute(statement)
    raw.execute(
        "INSERT INTO articles (id, chat_id, body, sentence_spans, content_hash, added_at)"
        " VALUES (7, ?, 'Old story about tides. It is short.', '[[0, 22], [23, 35]]', 'h', 'x')",
        (chat_id,),
    )
    raw.execute("INSERT INTO article_terms (rowid, terms) VALUES (7, 'old stori tide short')")
    if version >= 2:  # schema 2 numbers articles from a counter
        raw.execute("UPDATE counters SET value = 7 WHERE name = 'article_id'")
    raw.execute(f"PRAGMA user_version = {version}")
    raw.commit()
    raw.close()


def write_old_postgres(url: str, version: int, chat_id: int) -> None:
    """A PostgreSQL database at schema ``version`` holding the same one article, with its
    postings and counts written as that version wrote them (up to schema 5: each posting
    with its chat and document length, the library's term total in ``corpus``)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        for number, script in enumerate(postgres.MIGRATIONS[:version], start=1):
            for statement in script.split(";"):
                if statement.strip():
                    db.execute(statement.encode())
            db.execute("INSERT INTO schema_version VALUES (%s)", (number,))
        db.execute(
            "INSERT INTO articles (id, chat_id, body, sentence_spans, content_hash, added_at,"
            " term_count) VALUES (7, %s, 'Old story about tides. It is short.',"
            " '[[0, 22], [23, 35]]', 'h', 'x', 4)",
            (chat_id,),
        )
        for term in ("old", "stori", "tide", "short"):
            db.execute(
                "INSERT INTO postings (term, article_id, chat_id, tf, length)"
                " VALUES (%s, 7, %s, 1, 4)",
                (term, chat_id),
            )
        db.execute("UPDATE corpus SET articles = 1, terms = 4")
        db.execute(
            "INSERT INTO library_changes (article_id, chat_id, removed) VALUES (7, %s, FALSE)",
            (chat_id,),
        )
        db.execute("SELECT setval(pg_get_serial_sequence('articles', 'id'), 7)")
