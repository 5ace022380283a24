"""Databases as older versions of newsbot left them, for the migration tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path

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
