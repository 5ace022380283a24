"""Opening the SQLite database safely, and migrating its schema by version number.

WAL mode lets readers work while an article is being added; ``synchronous=FULL``
makes a committed add survive power loss, so "added" in a reply means kept.
A file that is not a database, or fails SQLite's quick check, is refused with
a message naming it: the bot never starts over an existing file silently.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from library.errors import StoreError

MIGRATIONS: tuple[str, ...] = (
    # 1: articles, their full-text terms, per-chat settings.
    """
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        chat_id INTEGER NOT NULL,           -- 0 = shipped with the product, seen by every chat
        title TEXT, source TEXT, url TEXT, published TEXT,
        body TEXT NOT NULL,
        sentence_spans TEXT NOT NULL,       -- JSON [[start, end], ...]: splitting is costly
        content_hash TEXT NOT NULL,
        added_by INTEGER,
        added_at TEXT NOT NULL,             -- UTC ISO 8601
        UNIQUE (chat_id, content_hash)
    );
    CREATE INDEX articles_by_chat_url ON articles (chat_id, url);
    CREATE INDEX articles_by_chat_added ON articles (chat_id, added_at);
    CREATE VIRTUAL TABLE article_terms USING fts5 (terms);
    CREATE TABLE chat_settings (
        chat_id INTEGER PRIMARY KEY,
        active_article INTEGER REFERENCES articles (id) ON DELETE SET NULL,
        schedule_time TEXT,                 -- HH:MM
        schedule_tz TEXT,
        last_briefed_at TEXT,
        told_nothing_new INTEGER NOT NULL DEFAULT 0
    );
    """,
    # 2: article numbers are never reused: "/remove 5" then an add must not make a new 5
    # (SQLite reuses the largest rowid once it is deleted).
    """
    CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
    INSERT INTO counters (name, value) SELECT 'article_id', COALESCE(MAX(id), 0) FROM articles;
    """,
    # 3: what the embedding model read in each article (retrieval/vectors.py), so a restart or
    # a cache eviction never re-embeds. Articles stored before it are embedded in the
    # background after start-up (Library.backfill); until then they are ranked on words.
    """
    CREATE TABLE article_vectors (
        article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
        model TEXT NOT NULL,                -- which model and projection made them
        vectors BLOB NOT NULL               -- ArticleVectors.to_bytes(): int8 with scales
    );
    """,
    # 4: which article each of the bot's answers came from, so a reply to an answer continues
    # that conversation. Only what the reply chain needs, pruned after a week (Library).
    """
    CREATE TABLE answers (
        chat_id INTEGER NOT NULL,
        message_id INTEGER NOT NULL,        -- the bot's message holding the answer
        article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
        question TEXT NOT NULL,             -- what was asked, for follow-ups that lean on it
        sent_at TEXT NOT NULL,              -- UTC ISO 8601
        PRIMARY KEY (chat_id, message_id)
    );
    CREATE INDEX answers_by_age ON answers (sent_at);
    """,
    # 5: the last daily briefing slot taken, so a briefing is sent once per slot even when
    # two jobs (or, in PostgreSQL, two replicas) reach it.
    """
    ALTER TABLE chat_settings ADD COLUMN briefing_slot TEXT;
    """,
    # 6: "Ask about it" prompts waiting for their question, kept where every replica and a
    # restarted bot find them; and one-off upkeep already done (the sentence-span repair).
    """
    CREATE TABLE pending_prompts (
        chat_id INTEGER NOT NULL,
        message_id INTEGER NOT NULL,        -- the bot's "what would you like to know?"
        payload TEXT NOT NULL,              -- the shared link or text the question is about
        asked_at TEXT NOT NULL,             -- UTC ISO 8601
        PRIMARY KEY (chat_id, message_id)
    );
    CREATE INDEX pending_prompts_by_age ON pending_prompts (asked_at);
    CREATE TABLE upkeep (name TEXT PRIMARY KEY, done_at TEXT NOT NULL);
    """,
    # 7: each article's analysed terms feed the in-memory term index (retrieval.TermIndex)
    # when the store opens; nothing ever searched them in SQL, yet the FTS5 table indexed
    # every add. A plain table keeps the terms; removing an article removes them with it.
    """
    CREATE TABLE article_term_lists (
        article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
        terms TEXT NOT NULL                 -- analysed terms, space-separated, in order
    );
    INSERT INTO article_term_lists (article_id, terms)
        SELECT rowid, terms FROM article_terms WHERE rowid IN (SELECT id FROM articles);
    DROP TABLE article_terms;
    """,
    # 8: what /stats shows, per bot process, so that it counts every replica and survives
    # a restart (each process reports its tally once a minute and when asked).
    """
    CREATE TABLE question_tallies (
        replica TEXT PRIMARY KEY,           -- one bot process, named when it starts
        started_at TEXT NOT NULL,           -- UTC ISO 8601
        questions INTEGER NOT NULL,
        abstained INTEGER NOT NULL,         -- of those, how many the article did not answer
        latencies TEXT NOT NULL,            -- JSON: its latest answer times, in ms
        reported_at TEXT NOT NULL
    );
    """,
    # 9: news feeds a chat follows (library/following.py), and the entries already seen.
    """
    CREATE TABLE feeds (
        id INTEGER PRIMARY KEY,
        chat_id INTEGER NOT NULL,
        url TEXT NOT NULL,                  -- the feed itself (after autodiscovery)
        title TEXT,
        etag TEXT,                          -- what a conditional GET sends back
        last_modified TEXT,
        next_poll_at TEXT NOT NULL,         -- UTC ISO 8601
        claimed_until TEXT,                 -- a process is polling it until then
        failures INTEGER NOT NULL DEFAULT 0,
        failing_since TEXT,
        error TEXT,                         -- the last failure, as /feeds shows it
        paused INTEGER NOT NULL DEFAULT 0,
        items INTEGER NOT NULL DEFAULT 0,   -- articles it brought
        last_item_at TEXT,
        added_at TEXT NOT NULL,
        UNIQUE (chat_id, url)
    );
    CREATE INDEX feeds_by_next_poll ON feeds (next_poll_at);
    -- What each new entry was known by (guid, link, text), per chat: seen once is enough.
    CREATE TABLE feed_entries (
        chat_id INTEGER NOT NULL,
        entry_key TEXT NOT NULL,
        feed_id INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
        seen_at TEXT NOT NULL,
        PRIMARY KEY (chat_id, entry_key)
    );
    CREATE INDEX feed_entries_by_feed ON feed_entries (feed_id);
    -- Articles a feed brought are pruned after NEWSBOT_FEED_KEEP_DAYS (added by hand: never).
    ALTER TABLE articles ADD COLUMN feed_id INTEGER;
    """,
    # 10: /watch: links posted in the chat (a channel, or a group) become its articles.
    """
    ALTER TABLE chat_settings ADD COLUMN watch_links INTEGER NOT NULL DEFAULT 0;
    """,
    # 11: each article's language (retrieval/language.py); NULL for articles stored
    # before, whose listing reads it from their opening words.
    """
    ALTER TABLE articles ADD COLUMN language TEXT;
    """,
    # 12: a channel's discussion group reads and adds to the channel's library: the
    # chat whose library this chat shares (NULL: its own).
    """
    ALTER TABLE chat_settings ADD COLUMN library_chat INTEGER;
    """,
    # 13: the language the bot speaks in the chat, chosen with /language (NULL: each
    # person's Telegram app language).
    """
    ALTER TABLE chat_settings ADD COLUMN language TEXT;
    """,
    # 14: a library question's words cannot find articles in another language; the
    # newest of those (not English) are read for it by meaning (``in_other_languages``).
    """
    CREATE INDEX articles_not_in_english ON articles (chat_id, id)
        WHERE language IS NOT NULL AND language <> 'en';
    """,
    # 15: what the multilingual model read in an English article, beside the English
    # model's vectors, so a question in another language finds it (``read_across``); only
    # for chats that ask in other languages, since it costs four times the English model.
    """
    CREATE TABLE article_meanings (
        article_id INTEGER PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
        model TEXT NOT NULL,                -- retrieval.multilingual.MODEL_ID
        vectors BLOB NOT NULL               -- MeaningVectors.to_bytes(): float32
    );
    """,
)


def connect(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) and migrate the database at ``path``."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    except (OSError, sqlite3.Error) as error:
        raise StoreError(f"{path}: cannot open the database ({error})") from None
    try:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = FULL")
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("PRAGMA busy_timeout = 5000")
        verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
        if verdict != "ok":
            raise StoreError(f"{path}: the database is damaged ({verdict}); restore a backup")
        _migrate(connection, path)
        _check_writable(connection, path)
    except sqlite3.DatabaseError as error:
        connection.close()
        if isinstance(error, sqlite3.OperationalError) and _cannot_write(error):
            raise StoreError(
                f"{path}: the database or its folder is read-only ({error}); SQLite must write "
                "the file and its -wal and -shm files beside it: check the permissions and "
                "the mount, nothing was changed"
            ) from None
        raise StoreError(
            f"{path}: is not a usable SQLite database ({error}); "
            "move it aside or restore a backup, nothing was changed"
        ) from None
    except StoreError:
        connection.close()
        raise
    return connection


def _cannot_write(error: sqlite3.OperationalError) -> bool:
    """Whether SQLite failed for want of writing, not because the file is damaged: an
    existing file it opened (so it can read it) but cannot write, or whose folder cannot
    take the journal files (``CANTOPEN`` for the -wal file)."""
    name = getattr(error, "sqlite_errorname", "")
    return name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN")) or "readonly" in str(error)


def _check_writable(connection: sqlite3.Connection, path: Path) -> None:
    """Fail at start, not at the first /add: a read-only file opens and reads fine."""
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("UPDATE counters SET value = value WHERE name = 'article_id'")
        connection.execute("ROLLBACK")
    except sqlite3.OperationalError as error:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise StoreError(
            f"{path}: the database is not writable ({error}); check the file's and folder's "
            "permissions, nothing was changed"
        ) from None


def _migrate(connection: sqlite3.Connection, path: Path) -> None:
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version > len(MIGRATIONS):
        raise StoreError(
            f"{path}: was written by a newer version of newsbot (schema {version}); upgrade"
        )
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        connection.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(script):
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {number}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise


def _statements(script: str) -> list[str]:
    # executescript() would commit our transaction; split on ";" (no ";" inside our SQL).
    return [s.strip() for s in script.split(";") if s.strip()]
