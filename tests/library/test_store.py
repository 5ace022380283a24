"""The store, on both backends (SQLite and PostgreSQL): adds, duplicates, visibility per
chat, search, persistence; and SQLite's own schema, migration and damaged-file checks."""

from __future__ import annotations

import sqlite3

import pytest

from library.backend import open_store
from library.db import MIGRATIONS
from library.errors import LibraryError, MissingArticle, StoreError
from library.rows import SHARED, now
from library.service import Library
from library.store import SqliteStore as Store
from retrieval import ArticleError
from tests.library.old_databases import write_old_database

CHAT = -1001
OTHER = -2002
STORY = (
    "The city council approved a new tram line on Tuesday.\n"
    "Construction starts in March, the mayor said. It will cost 40 million euros."
)


@pytest.fixture
def library(database):
    """Articles enter through the Library (parsed once); the store is checked directly."""
    opened = Library.open(database)
    yield opened
    opened.close()


def test_added_article_loads_back_with_sentences_and_metadata(library):
    result = library.articles.add(
        CHAT, STORY, added_by=7, title="Tram line approved", url="https://x.test/a"
    )
    assert not result.duplicate
    article = library.store.load(result.article_id)
    assert article.title == "Tram line approved"
    assert article.url == "https://x.test/a"
    assert [s.text for s in article.sentences] == [
        "The city council approved a new tram line on Tuesday.",
        "Construction starts in March, the mayor said.",
        "It will cost 40 million euros.",
    ]
    assert article.sentence(2).paragraph == 2


def test_same_text_or_same_url_is_recognised_as_a_duplicate(library):
    first = library.articles.add(CHAT, STORY, url="https://x.test/a")
    again = library.articles.add(
        CHAT, "  " + STORY.upper() + "\n\n"
    )  # same words, other case and spacing
    same_url = library.articles.add(CHAT, "Different words entirely here.", url="https://x.test/a")
    assert again.duplicate and again.article_id == first.article_id
    assert same_url.duplicate and same_url.article_id == first.article_id
    assert library.store.count() == 1


def test_another_chat_may_add_the_same_article_for_itself(library):
    mine = library.articles.add(CHAT, STORY)
    theirs = library.articles.add(OTHER, STORY)
    assert not theirs.duplicate and theirs.article_id != mine.article_id


def test_chats_see_shared_articles_and_only_their_own(library):
    shared = library.articles.add(SHARED, "Shared seed story about ports. It has two sentences.")
    mine = library.articles.add(CHAT, STORY)
    library.articles.add(OTHER, "Other chat's story about bridges.")
    assert [r.id for r in library.store.visible(CHAT)] == [shared.article_id, mine.article_id]
    assert library.store.row(OTHER, mine.article_id) is None
    assert library.store.row(CHAT, shared.article_id).shared


def test_remove_deletes_own_articles_but_never_shared_ones(library):
    shared = library.articles.add(SHARED, "Shared seed story about ports.")
    mine = library.articles.add(CHAT, STORY)
    assert not library.store.remove(CHAT, shared.article_id)
    assert not library.store.remove(OTHER, mine.article_id)
    assert library.store.remove(CHAT, mine.article_id)
    assert [r.id for r in library.store.visible(CHAT)] == [shared.article_id]
    assert (
        library.asking.candidates(CHAT, "tram line", 5) == []
    )  # gone from the full-text index too


def test_removing_the_active_article_unsets_it(library):
    mine = library.articles.add(CHAT, STORY)
    library.store.set_active(CHAT, mine.article_id)
    library.store.remove(CHAT, mine.article_id)
    assert library.store.active_article(CHAT) is None


def test_search_finds_the_matching_articles_of_the_chat_only(library):
    tram = library.articles.add(CHAT, STORY)
    library.articles.add(CHAT, "Farmers protested against new rules on fertiliser in Brussels.")
    library.articles.add(OTHER, "A tram derailed in Lisbon; nobody was hurt.")
    assert library.asking.candidates(CHAT, "When does the tram construction start?", 5) == [
        tram.article_id
    ]
    assert library.asking.candidates(CHAT, "the of and", 5) == []  # stop words only


def test_bad_article_text_is_refused_and_nothing_is_stored(library):
    with pytest.raises(ArticleError):
        library.articles.add(CHAT, "   \n\n  ")
    assert library.store.count() == 0


def test_articles_and_settings_survive_reopening(database):
    first = Library.open(database)
    added = first.articles.add(CHAT, STORY, title="Tram line approved")
    first.articles.use(CHAT, added.article_id)
    first.briefings.set_schedule(CHAT, "08:30", "Europe/Berlin")
    first.close()
    reopened = open_store(database)
    try:
        assert reopened.load(added.article_id).title == "Tram line approved"
        assert reopened.active_article(CHAT) == added.article_id
        (schedule,) = reopened.schedules()
        assert (schedule.chat_id, schedule.time, schedule.tz) == (CHAT, "08:30", "Europe/Berlin")
    finally:
        reopened.close()


def test_schema_version_is_recorded_and_wal_is_on(tmp_path):
    path = tmp_path / "news.db"
    Store.open(path).close()
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        raw.close()


def test_database_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "news.db"
    raw = sqlite3.connect(path)
    raw.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    raw.close()
    with pytest.raises(StoreError, match="newer version"):
        Store.open(path)


def test_file_that_is_not_a_database_is_refused_untouched(tmp_path):
    path = tmp_path / "news.db"
    path.write_bytes(b"not a database at all\n" * 100)
    with pytest.raises(StoreError, match="not a usable SQLite database"):
        Store.open(path)
    assert path.read_bytes() == b"not a database at all\n" * 100


def test_daily_briefing_window_takes_each_article_once(library):
    library.briefings.set_schedule(CHAT, "08:00", "UTC")
    added = library.articles.add(CHAT, STORY)
    cut = now()
    late = library.articles.add(CHAT, "A late story about ferries arriving after the cut-off.")
    first = library.briefings.due(CHAT, cut)
    assert first.article_ids == (added.article_id,)
    library.briefings.sent(CHAT, first)
    second = library.briefings.due(CHAT, now())
    assert second.article_ids == (late.article_id,)
    library.briefings.sent(CHAT, second)
    nothing = library.briefings.due(CHAT, now())
    assert nothing.article_ids == () and not nothing.quiet  # "nothing new", said once
    library.briefings.sent(CHAT, nothing)
    assert library.briefings.due(CHAT, now()).quiet
    library.briefings.clear_schedule(CHAT)
    assert not library.briefings.due(CHAT, now()).scheduled


def test_a_discussion_group_shares_its_channel_s_library_and_briefs_from_it(library):
    channel, group = CHAT, OTHER
    assert library.chats.library_of(group) == group
    story = library.articles.add(channel, STORY)
    library.briefings.set_schedule(group, "08:00", "UTC")  # the group keeps its own settings
    assert library.chats.share_library(group, channel)
    assert not library.chats.share_library(group, channel)  # told again: nothing to write
    assert library.chats.library_of(group) == channel
    assert library.briefings.due(group, now()).article_ids == (story.article_id,)
    assert library.store.schedule(channel) is None
    assert library.chats.share_library(group, group)  # back to a library of its own
    assert library.chats.library_of(group) == group


def test_article_numbers_are_never_reused_after_a_remove(library):
    first = library.articles.add(CHAT, STORY)
    library.store.remove(CHAT, first.article_id)
    second = library.articles.add(CHAT, "Another story about a new ferry line to the islands.")
    assert second.article_id == first.article_id + 1
    assert library.asking.candidates(CHAT, "tram", 5) == []


def test_search_sees_articles_added_and_removed_after_it_was_built(library):
    tram = library.articles.add(CHAT, STORY)
    assert library.asking.candidates(CHAT, "tram", 5) == [tram.article_id]  # builds the term index
    ferry = library.articles.add(CHAT, "A ferry line to the islands opens in June.")
    assert library.asking.candidates(CHAT, "When does the ferry open?", 5) == [ferry.article_id]
    library.store.remove(CHAT, tram.article_id)
    assert library.asking.candidates(CHAT, "tram", 5) == []


def test_search_ranks_the_article_that_matches_more_of_the_question_first(library):
    library.articles.add(CHAT, "The tram depot was repainted. Trams are green now.")
    best = library.articles.add(CHAT, STORY)
    found = library.asking.candidates(CHAT, "When does construction of the tram line start?", 5)
    assert found[0] == best.article_id and len(found) == 2


def test_database_from_schema_1_is_migrated_keeping_its_articles(tmp_path):
    path = tmp_path / "old.db"
    write_old_database(path, 1, CHAT)
    library = Library.open(path)
    try:
        assert library.store.load(7).sentence(2).text == "It is short."
        assert library.asking.candidates(CHAT, "tides", 5) == [7]
        assert library.articles.add(CHAT, STORY).article_id == 8
    finally:
        library.close()


def test_database_from_schema_6_keeps_its_terms_without_the_full_text_table(tmp_path):
    """Schema 7 moves each article's terms out of the FTS5 table nothing searched."""
    path = tmp_path / "old.db"
    write_old_database(path, 6, CHAT)
    library = Library.open(path)
    try:
        assert library.asking.candidates(CHAT, "Which tides?", 5) == [7]
        added = library.articles.add(CHAT, STORY)
        assert library.asking.candidates(CHAT, "tram line", 5) == [added.article_id]
        assert library.articles.remove(CHAT, 7)
        assert library.asking.candidates(CHAT, "Which tides?", 5) == []
    finally:
        library.close()
    raw = sqlite3.connect(path)
    try:
        tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
        assert "article_terms" not in tables
        # The removed article's terms went with it; a restart rebuilds from what is left.
        assert raw.execute("SELECT article_id FROM article_term_lists").fetchall() == [
            (added.article_id,)
        ]
    finally:
        raw.close()
    reopened = Library.open(path)
    try:
        assert reopened.asking.candidates(CHAT, "tram line", 5) == [added.article_id]
    finally:
        reopened.close()


def test_loading_an_article_that_is_not_there_is_a_library_error(library):
    with pytest.raises(MissingArticle, match="no article 999 is stored"):
        library.store.load(999)
    assert issubclass(MissingArticle, LibraryError)


def test_an_added_article_is_answered_as_stored(library):
    added = library.articles.add(CHAT, STORY, title="Tram line approved")
    fresh = library.articles.index(added.article_id).article  # kept from the add, not re-read
    stored = library.store.load(added.article_id)
    assert fresh.name == stored.name == f"article {added.article_id}"
    assert [s.text for s in fresh.sentences] == [s.text for s in stored.sentences]
    assert fresh.title == stored.title == "Tram line approved"


def test_articles_keep_their_language_and_older_ones_read_it_from_their_opening(library):
    spanish = library.articles.add(
        CHAT,
        "El ayuntamiento aprobó el martes una nueva línea de tranvía. Costará 420 millones.",
    )
    by_id = {row.id: row for row in library.articles.visible(CHAT)}
    assert by_id[spanish.article_id].language == "es"
    assert by_id[spanish.article_id].stored_language == "es"
    library.store._write("UPDATE articles SET language = NULL")  # as stored before schema 11
    assert {row.id: row.language for row in library.articles.visible(CHAT)}[
        spanish.article_id
    ] == "es"
