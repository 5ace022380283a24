"""The queries SQLite and PostgreSQL run word for word, written once.

The two stores differ where the databases do: how an article's terms are kept
and searched, how vectors are stored, how a write is made durable. Listings,
conversations, chat settings, schedules and briefing claims are plain SQL that
both accept (``ON CONFLICT`` upserts, ``TRUE``/``FALSE``), so a fix to one of
them can no longer miss the other store. They are written with ``?``
placeholders; a store whose driver wants another (psycopg's ``%s``) says so in
``placeholder``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from contextlib import AbstractContextManager
from functools import lru_cache
from typing import Any

from library.rows import (
    ARTICLE_COLUMNS,
    FEED_COLUMNS,
    ROW_COLUMNS,
    SHARED,
    ArticleRow,
    FeedPoll,
    FeedRow,
    QuestionTally,
    Schedule,
    Thread,
    article_row,
    feed_row,
    now,
    stored_article,
)
from retrieval import Article

#: A publication date that sorts with ``added_at`` (pages also give "23 Nov 2026" and the like).
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@lru_cache(maxsize=256)
def _in_dialect(sql: str, placeholder: str) -> str:
    return sql if placeholder == "?" else sql.replace("?", placeholder)


class PortableQueries:
    """Mixed into each store, which supplies ``_reading`` (a connection that sees every
    commit) and ``_transaction`` (one that commits when its block ends)."""

    #: The driver's parameter placeholder.
    placeholder = "?"

    def _reading(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _transaction(self) -> AbstractContextManager[Any]:
        raise NotImplementedError

    def _run(self, db: Any, sql: str, args: Sequence[Any] = ()) -> Any:
        return db.execute(_in_dialect(sql, self.placeholder), args)

    def _read(self, sql: str, args: Sequence[Any] = ()) -> list[Any]:
        with self._reading() as db:
            return list(self._run(db, sql, args).fetchall())

    def _read_each(self, sql: str, values: Sequence[Any], before: Sequence[Any] = ()) -> list[Any]:
        """``sql``'s rows for all ``values``, whose placeholders go where it says
        ``{marks}``, 500 at a time (SQLite caps a statement's parameters)."""
        rows: list[Any] = []
        for start in range(0, len(values), 500):
            part = list(values[start : start + 500])
            rows += self._read(sql.format(marks=", ".join("?" * len(part))), (*before, *part))
        return rows

    def _write(self, sql: str, args: Sequence[Any] = ()) -> int:
        """One statement in a transaction of its own; the rows it changed."""
        with self._transaction() as db:
            return int(self._run(db, sql, args).rowcount)

    # -- articles -----------------------------------------------------------------

    def find_url(self, chat_id: int, url: str) -> int | None:
        with self._reading() as db:
            return self._find_duplicate(db, chat_id, url, None)

    def _find_duplicate(
        self, db: Any, chat_id: int, url: str | None, digest: str | None
    ) -> int | None:
        """The chat's (or a shared) article with this URL or text. Two indexed lookups:
        one query with "url = ? OR content_hash = ?" scanned every article of the chat,
        so each add got slower as the library grew."""
        row = self._run(
            db,
            "SELECT id FROM articles WHERE chat_id IN (?, ?) AND url = ?"
            " UNION SELECT id FROM articles WHERE chat_id IN (?, ?) AND content_hash = ?"
            " ORDER BY 1 LIMIT 1",
            (chat_id, SHARED, url, chat_id, SHARED, digest),
        ).fetchone()
        return int(row[0]) if row else None

    def load(self, article_id: int) -> Article:
        return self.load_with_vectors(article_id, None)[0]

    def load_with_vectors(self, article_id: int, model: str | None) -> tuple[Article, bytes | None]:
        """The article and, when ``model`` made them, its stored vectors: one query, since a
        library question loads several articles that are not cached."""
        rows = self._read(
            f"SELECT {ARTICLE_COLUMNS},"
            " (SELECT vectors FROM article_vectors WHERE article_id = a.id AND model = ?)"
            " FROM articles a WHERE id = ?",
            (model, article_id),
        )
        return stored_article(article_id, rows[0] if rows else None)

    def visible(self, chat_id: int) -> list[ArticleRow]:
        """The shared articles and the chat's own, oldest first."""
        rows = self._read(
            f"SELECT {ROW_COLUMNS} FROM articles WHERE chat_id IN (?, ?) ORDER BY id",
            (SHARED, chat_id),
        )
        return [article_row(row) for row in rows]

    def newest(self, chat_id: int, limit: int) -> list[ArticleRow]:
        """The chat's ``limit`` newest visible articles, newest first; cheap at any size."""
        rows = self._read(
            f"SELECT {ROW_COLUMNS} FROM articles WHERE chat_id IN (?, ?) ORDER BY id DESC LIMIT ?",
            (SHARED, chat_id, limit),
        )
        return [article_row(row) for row in rows]

    def in_other_languages(self, chat_id: int, language: str, limit: int) -> list[int]:
        """The chat's ``limit`` newest visible articles in neither English nor ``language``,
        newest first: those whose multilingual vectors are stored, which a question's words
        cannot find (a partial index keeps this cheap in a library of English articles)."""
        rows = self._read(
            "SELECT id FROM articles WHERE chat_id IN (?, ?) AND language IS NOT NULL"
            " AND language <> 'en' AND language <> ? ORDER BY id DESC LIMIT ?",
            (SHARED, chat_id, language, limit),
        )
        return [int(article_id) for (article_id,) in rows]

    def row(self, chat_id: int, article_id: int) -> ArticleRow | None:
        """The article if ``chat_id`` may see it."""
        rows = self._read(
            f"SELECT {ROW_COLUMNS} FROM articles WHERE id = ? AND chat_id IN (?, ?)",
            (article_id, SHARED, chat_id),
        )
        return article_row(rows[0]) if rows else None

    def added_between(self, chat_id: int, since: str | None, until: str) -> list[ArticleRow]:
        """The chat's own articles added in ``(since, until]``: one daily briefing's worth."""
        rows = self._read(
            f"SELECT {ROW_COLUMNS} FROM articles WHERE chat_id = ? AND added_at > ?"
            " AND added_at <= ? ORDER BY id",
            (chat_id, since or "", until),
        )
        return [article_row(row) for row in rows]

    # -- vectors ----------------------------------------------------------------------

    def vectors(self, article_id: int, model: str) -> bytes | None:
        """The article's stored vectors when ``model`` made them."""
        rows = self._read(
            "SELECT vectors FROM article_vectors WHERE article_id = ? AND model = ?",
            (article_id, model),
        )
        return bytes(rows[0][0]) if rows else None

    def meaning(self, article_id: int, model: str) -> bytes | None:
        """What ``model`` (the multilingual one) read in an English article, when stored."""
        rows = self._read(
            "SELECT vectors FROM article_meanings WHERE article_id = ? AND model = ?",
            (article_id, model),
        )
        return bytes(rows[0][0]) if rows else None

    def english_newest(self, chat_id: int, model: str, limit: int) -> list[tuple[int, bool]]:
        """The chat's ``limit`` newest visible English articles, newest first, each with
        whether ``model`` has read it for questions in other languages."""
        rows = self._read(
            "SELECT a.id, EXISTS (SELECT 1 FROM article_meanings m"
            " WHERE m.article_id = a.id AND m.model = ?)"
            " FROM articles a WHERE a.chat_id IN (?, ?) AND a.language = 'en'"
            " ORDER BY a.id DESC LIMIT ?",
            (model, SHARED, chat_id, limit),
        )
        return [(int(article_id), bool(read)) for article_id, read in rows]

    def reads_across(self, article_id: int, model: str) -> bool:
        """Whether the article's chat asks in other languages: ``model`` has read one of
        its own English articles for them (shared articles belong to no chat)."""
        rows = self._read(
            "SELECT 1 FROM articles a JOIN articles o ON o.chat_id = a.chat_id"
            " JOIN article_meanings m ON m.article_id = o.id"
            " WHERE a.id = ? AND a.chat_id <> ? AND m.model = ? LIMIT 1",
            (article_id, SHARED, model),
        )
        return bool(rows)

    def without_vectors(self, models: Sequence[str], limit: int) -> list[int]:
        """Ids of articles that have no vectors from any of ``models`` yet, oldest first."""
        marks = ", ".join("?" for _ in models)
        rows = self._read(
            "SELECT a.id FROM articles a LEFT JOIN article_vectors v"
            f" ON v.article_id = a.id AND v.model IN ({marks})"
            " WHERE v.article_id IS NULL ORDER BY a.id LIMIT ?",
            (*models, limit),
        )
        return [int(row[0]) for row in rows]

    # -- upkeep -------------------------------------------------------------------------

    def upkeep_done(self, name: str) -> bool:
        return bool(self._read("SELECT 1 FROM upkeep WHERE name = ?", (name,)))

    def mark_upkeep_done(self, name: str) -> None:
        self._write(
            "INSERT INTO upkeep (name, done_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
            (name, now()),
        )

    def stored_spans(self, after_id: int, limit: int) -> list[tuple[int, str, str]]:
        """``(id, body, sentence_spans JSON)`` of the next ``limit`` articles after ``after_id``."""
        rows = self._read(
            "SELECT id, body, sentence_spans FROM articles WHERE id > ? ORDER BY id LIMIT ?",
            (after_id, limit),
        )
        return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]

    def stored_in_other_languages(self, after_id: int, limit: int) -> list[tuple[int, str, str]]:
        """``stored_spans`` of the articles not known to be in English (those stored before
        their language was are read too)."""
        rows = self._read(
            "SELECT id, body, sentence_spans FROM articles WHERE id > ?"
            " AND (language IS NULL OR language <> 'en') ORDER BY id LIMIT ?",
            (after_id, limit),
        )
        return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]

    def replace_spans(self, article_id: int, spans: Sequence[tuple[int, int]]) -> None:
        """Store a new split of the article and drop its vectors, which were read from the
        old one (the backfill embeds it again)."""
        with self._transaction() as db:
            self._run(
                db,
                "UPDATE articles SET sentence_spans = ? WHERE id = ?",
                (json.dumps([list(span) for span in spans]), article_id),
            )
            self._forget_vectors(db, article_id)

    def _forget_vectors(self, db: Any, article_id: int) -> None:
        self._run(db, "DELETE FROM article_vectors WHERE article_id = ?", (article_id,))
        self._run(db, "DELETE FROM article_meanings WHERE article_id = ?", (article_id,))

    # -- "Ask about it" prompts -----------------------------------------------------------

    def remember_prompt(
        self, chat_id: int, message_id: int, payload: str, *, keep: int, forget_before: str
    ) -> None:
        """The bot asked for a question about ``payload`` in message ``message_id``; a chat
        keeps its ``keep`` newest prompts, none older than ``forget_before``."""
        with self._transaction() as db:
            self._run(
                db,
                "INSERT INTO pending_prompts (chat_id, message_id, payload, asked_at)"
                " VALUES (?, ?, ?, ?) ON CONFLICT (chat_id, message_id) DO UPDATE"
                " SET payload = excluded.payload, asked_at = excluded.asked_at",
                (chat_id, message_id, payload, now()),
            )
            self._run(
                db,
                "DELETE FROM pending_prompts WHERE chat_id = ? AND message_id NOT IN"
                " (SELECT message_id FROM pending_prompts WHERE chat_id = ?"
                " ORDER BY message_id DESC LIMIT ?)",
                (chat_id, chat_id, keep),
            )
            self._run(db, "DELETE FROM pending_prompts WHERE asked_at < ?", (forget_before,))

    # -- feeds ----------------------------------------------------------------------------

    def follow(self, chat_id: int, url: str, title: str | None, *, limit: int) -> FeedRow | None:
        """Follow ``url`` in the chat, due for its first poll now; ``None`` when the chat
        already follows ``limit`` feeds. Following one already followed returns it."""
        with self._transaction() as db:
            found = self._run(
                db,
                f"SELECT {FEED_COLUMNS} FROM feeds WHERE chat_id = ? AND url = ?",
                (chat_id, url),
            ).fetchall()
            if found:
                return feed_row(found[0])
            count = self._run(db, "SELECT count(*) FROM feeds WHERE chat_id = ?", (chat_id,))
            if int(count.fetchone()[0]) >= limit:
                return None
            row = self._run(
                db,
                "INSERT INTO feeds (chat_id, url, title, next_poll_at, added_at)"
                f" VALUES (?, ?, ?, ?, ?) RETURNING {FEED_COLUMNS}",
                (chat_id, url, title, now(), now()),
            ).fetchone()
            return feed_row(row)

    def followed(self, chat_id: int) -> list[FeedRow]:
        """The chat's feeds, oldest first (``/unfollow N`` counts in this order)."""
        return [
            feed_row(r)
            for r in self._read(
                f"SELECT {FEED_COLUMNS} FROM feeds WHERE chat_id = ? ORDER BY id", (chat_id,)
            )
        ]

    def unfollow(self, chat_id: int, feed_id: int) -> bool:
        return bool(
            self._write("DELETE FROM feeds WHERE id = ? AND chat_id = ?", (feed_id, chat_id))
        )

    def claim_feeds(self, *, until: str, limit: int) -> list[FeedRow]:
        """Take up to ``limit`` feeds due now for polling, held until ``until``: no other
        process polls them meanwhile, and a killed one's claim simply runs out. The claim
        is re-checked on the row itself, so two replicas never both take one."""
        moment = now()
        free = "NOT paused AND next_poll_at <= ? AND (claimed_until IS NULL OR claimed_until < ?)"
        with self._transaction() as db:
            rows = self._run(
                db,
                f"UPDATE feeds SET claimed_until = ? WHERE {free} AND id IN"
                f" (SELECT id FROM feeds WHERE {free} ORDER BY next_poll_at LIMIT ?)"
                f" RETURNING {FEED_COLUMNS}",
                (until, moment, moment, moment, moment, limit),
            ).fetchall()
        return [feed_row(r) for r in rows]

    def polled(self, feed_id: int, poll: FeedPoll) -> None:
        """Record a poll's outcome and free the feed's claim."""
        self._write(
            "UPDATE feeds SET next_poll_at = ?, etag = ?, last_modified = ?,"
            " title = COALESCE(?, title), failures = ?, failing_since = ?, error = ?,"
            " paused = ?, claimed_until = NULL WHERE id = ?",
            (
                poll.next_poll_at,
                poll.etag,
                poll.last_modified,
                poll.title,
                poll.failures,
                poll.failing_since,
                poll.error,
                poll.paused,
                feed_id,
            ),
        )

    def unseen(self, chat_id: int, keys: Sequence[Sequence[str]]) -> list[int]:
        """Which of the entries (each known by its ``keys``) the chat has not seen."""
        flat = sorted({k for entry in keys for k in entry})
        rows = self._read_each(
            "SELECT entry_key FROM feed_entries WHERE chat_id = ? AND entry_key IN ({marks})",
            flat,
            (chat_id,),
        )
        seen = {str(r[0]) for r in rows}
        return [n for n, entry in enumerate(keys) if not seen.intersection(entry)]

    def seen(self, chat_id: int, feed_id: int, keys: Sequence[str], *, article: bool) -> None:
        """Mark an entry seen by all its keys; ``article``: it became one of the chat's."""
        with self._transaction() as db:
            for key in keys:
                self._run(
                    db,
                    "INSERT INTO feed_entries (chat_id, entry_key, feed_id, seen_at)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT (chat_id, entry_key) DO NOTHING",
                    (chat_id, key, feed_id, now()),
                )
            if article:
                self._run(
                    db,
                    "UPDATE feeds SET items = items + 1, last_item_at = ? WHERE id = ?",
                    (now(), feed_id),
                )

    def article_dates(self, article_ids: Sequence[int]) -> dict[int, str]:
        """Each article's date: published where known as an ISO date, else added."""
        rows = self._read_each(
            "SELECT id, published, added_at FROM articles WHERE id IN ({marks})", article_ids
        )
        return {
            int(article_id): published if published and _ISO_DATE.match(published) else added_at
            for article_id, published, added_at in rows
        }

    def feed_names(self, article_ids: Sequence[int]) -> dict[int, str]:
        """The name of the feed that brought each of these articles (others are absent)."""
        rows = self._read_each(
            "SELECT a.id, f.title, f.url FROM articles a JOIN feeds f ON f.id = a.feed_id"
            " WHERE a.id IN ({marks})",
            article_ids,
        )
        return {int(article_id): title or url for article_id, title, url in rows}

    def added_today(self, chat_id: int, since: str) -> int:
        """Articles feeds brought the chat since ``since`` (the daily cap counts them)."""
        rows = self._read(
            "SELECT count(*) FROM articles WHERE chat_id = ? AND feed_id IS NOT NULL"
            " AND added_at >= ?",
            (chat_id, since),
        )
        return int(rows[0][0])

    def feed_articles_before(self, cutoff: str, limit: int) -> list[tuple[int, int]]:
        """(chat, article) of articles feeds brought before ``cutoff``, oldest first."""
        return [
            (int(c), int(a))
            for c, a in self._read(
                "SELECT chat_id, id FROM articles WHERE feed_id IS NOT NULL AND added_at < ?"
                " ORDER BY added_at LIMIT ?",
                (cutoff, limit),
            )
        ]

    def report_tally(self, tally: QuestionTally, *, forget_before: str) -> None:
        """Keep this process's tally, replacing its last report; processes silent since
        ``forget_before`` are dropped."""
        with self._transaction() as db:
            self._run(
                db,
                "INSERT INTO question_tallies (replica, started_at, questions, abstained,"
                " latencies, reported_at) VALUES (?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (replica) DO UPDATE SET questions = excluded.questions,"
                " abstained = excluded.abstained, latencies = excluded.latencies,"
                " reported_at = excluded.reported_at",
                (
                    tally.replica,
                    tally.started_at,
                    tally.questions,
                    tally.abstained,
                    json.dumps([round(ms, 2) for ms in tally.latencies]),
                    now(),
                ),
            )
            self._run(db, "DELETE FROM question_tallies WHERE reported_at < ?", (forget_before,))

    def tallies(self) -> list[QuestionTally]:
        """Every process's last report, oldest start first."""
        rows = self._read(
            "SELECT replica, started_at, questions, abstained, latencies"
            " FROM question_tallies ORDER BY started_at, replica"
        )
        return [
            QuestionTally(r, s, int(q), int(a), tuple(float(ms) for ms in json.loads(lat)))
            for r, s, q, a, lat in rows
        ]

    def prompt(self, chat_id: int, message_id: int) -> str | None:
        """What the bot's prompt ``message_id`` asked about, if it is still pending."""
        rows = self._read(
            "SELECT payload FROM pending_prompts WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        )
        return str(rows[0][0]) if rows else None

    # -- conversations ----------------------------------------------------------------

    def remember_answer(
        self,
        chat_id: int,
        message_ids: Sequence[int],
        article_id: int,
        question: str,
        *,
        forget_before: str,
    ) -> None:
        """Record that these messages of the bot answered ``question`` from the article, and
        forget answers sent before ``forget_before``, in one transaction (one fsync)."""
        sent_at = now()
        with self._transaction() as db:
            for message_id in message_ids:  # one or two messages: no batch API needed
                self._run(
                    db,
                    "INSERT INTO answers (chat_id, message_id, article_id, question, sent_at)"
                    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (chat_id, message_id) DO UPDATE"
                    " SET article_id = excluded.article_id, question = excluded.question,"
                    " sent_at = excluded.sent_at",
                    (chat_id, message_id, article_id, question, sent_at),
                )
            self._run(db, "DELETE FROM answers WHERE sent_at < ?", (forget_before,))

    def thread(self, chat_id: int, message_id: int) -> Thread | None:
        rows = self._read(
            "SELECT article_id, question FROM answers WHERE chat_id = ? AND message_id = ?",
            (chat_id, message_id),
        )
        return Thread(int(rows[0][0]), rows[0][1]) if rows else None

    # -- chat settings --------------------------------------------------------------

    def _ensure_chat(self, db: Any, chat_id: int) -> None:
        self._run(
            db, "INSERT INTO chat_settings (chat_id) VALUES (?) ON CONFLICT DO NOTHING", (chat_id,)
        )

    def active_article(self, chat_id: int) -> int | None:
        rows = self._read("SELECT active_article FROM chat_settings WHERE chat_id = ?", (chat_id,))
        return int(rows[0][0]) if rows and rows[0][0] is not None else None

    def watching(self, chat_id: int) -> bool:
        """Whether links posted in the chat become its articles (/watch)."""
        rows = self._read("SELECT watch_links FROM chat_settings WHERE chat_id = ?", (chat_id,))
        return bool(rows and rows[0][0])

    def set_watching(self, chat_id: int, on: bool) -> None:
        with self._transaction() as db:
            self._ensure_chat(db, chat_id)
            self._run(
                db, "UPDATE chat_settings SET watch_links = ? WHERE chat_id = ?", (on, chat_id)
            )

    def library_of(self, chat_id: int) -> int:
        """The chat whose library ``chat_id`` reads and adds to: its own, or the channel's
        when it is that channel's discussion group."""
        rows = self._read("SELECT library_chat FROM chat_settings WHERE chat_id = ?", (chat_id,))
        return int(rows[0][0]) if rows and rows[0][0] is not None else chat_id

    def share_library(self, chat_id: int, library_chat: int) -> None:
        with self._transaction() as db:
            self._ensure_chat(db, chat_id)
            self._run(
                db,
                "UPDATE chat_settings SET library_chat = ? WHERE chat_id = ?",
                (None if library_chat == chat_id else library_chat, chat_id),
            )

    def chat_language(self, chat_id: int) -> str | None:
        """The language chosen for the chat with /language (``None``: each person's own)."""
        rows = self._read("SELECT language FROM chat_settings WHERE chat_id = ?", (chat_id,))
        return str(rows[0][0]) if rows and rows[0][0] is not None else None

    def set_chat_language(self, chat_id: int, language: str | None) -> None:
        with self._transaction() as db:
            self._ensure_chat(db, chat_id)
            self._run(
                db, "UPDATE chat_settings SET language = ? WHERE chat_id = ?", (language, chat_id)
            )

    def set_active(self, chat_id: int, article_id: int | None) -> None:
        with self._transaction() as db:
            self._ensure_chat(db, chat_id)
            self._run(
                db,
                "UPDATE chat_settings SET active_article = ? WHERE chat_id = ?",
                (article_id, chat_id),
            )

    def set_schedule(self, chat_id: int, time: str, tz: str, *, first_since: str) -> None:
        """Schedule the chat's briefing; a chat never briefed before starts its first
        window at ``first_since`` (a chat briefed before keeps its window)."""
        with self._transaction() as db:
            self._ensure_chat(db, chat_id)
            self._run(
                db,
                "UPDATE chat_settings SET schedule_time = ?, schedule_tz = ?,"
                " last_briefed_at = COALESCE(last_briefed_at, ?), told_nothing_new = FALSE"
                " WHERE chat_id = ?",
                (time, tz, first_since, chat_id),
            )

    def clear_schedule(self, chat_id: int) -> bool:
        return bool(
            self._write(
                "UPDATE chat_settings SET schedule_time = NULL, schedule_tz = NULL"
                " WHERE chat_id = ? AND schedule_time IS NOT NULL",
                (chat_id,),
            )
        )

    def schedules(self) -> list[Schedule]:
        return self._schedules("", ())

    def schedule(self, chat_id: int) -> Schedule | None:
        found = self._schedules(" AND chat_id = ?", (chat_id,))
        return found[0] if found else None

    def _schedules(self, where: str, args: tuple[int, ...]) -> list[Schedule]:
        rows = self._read(
            "SELECT chat_id, schedule_time, schedule_tz, last_briefed_at, told_nothing_new"
            " FROM chat_settings WHERE schedule_time IS NOT NULL" + where,
            args,
        )
        return [Schedule(int(r[0]), r[1], r[2], r[3], bool(r[4])) for r in rows]

    def claim_briefing(self, chat_id: int, slot: str) -> bool:
        """Take the chat's daily briefing for ``slot`` (its local "YYYY-MM-DD HH:MM"); only
        one caller ever gets True for a slot, so a duplicate job or a second replica cannot
        send it twice."""
        return bool(
            self._write(
                "UPDATE chat_settings SET briefing_slot = ? WHERE chat_id = ?"
                " AND schedule_time IS NOT NULL"
                " AND (briefing_slot IS NULL OR briefing_slot < ?)",
                (slot, chat_id, slot),
            )
        )

    def mark_briefed(self, chat_id: int, *, until: str, nothing_new: bool) -> None:
        """Record a daily run; ``until`` is the cut-off its article query used, so an
        article added while the briefing was being sent goes into the next one."""
        if nothing_new:
            self._write(
                "UPDATE chat_settings SET told_nothing_new = TRUE WHERE chat_id = ?", (chat_id,)
            )
        else:
            self._write(
                "UPDATE chat_settings SET last_briefed_at = ?, told_nothing_new = FALSE"
                " WHERE chat_id = ?",
                (until, chat_id),
            )
