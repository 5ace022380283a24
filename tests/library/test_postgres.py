"""What PostgreSQL adds: replicas sharing one library, one claim per briefing, shared
question counts, nearest-sentence candidates, and a clear line when it cannot be used.

Every test runs against a real PostgreSQL (testing/postgres_server.py) in a database of
its own; two ``Library`` objects on one database stand for two bot replicas.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from library.backend import open_store
from library.errors import StoreError
from library.postgres import MIGRATIONS, PostgresStore
from library.service import Library
from library.store import SqliteStore
from library.targets import redacted
from retrieval import analyze, model_id
from tests.library.old_databases import write_old_postgres
from tests.library.test_candidates import QUESTIONS, STORIES

CHAT = -1001
STORY = (
    "The city council approved a new tram line on Tuesday.\n"
    "The line will cost 420 million euros, the mayor said.\n"
    "Construction starts in March 2027."
)


@pytest.fixture(scope="module")
def lone_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A PostgreSQL server no other test worker uses. Snapshots and the change log are
    ordered by transaction ids, which are server-wide: on the shared server another
    worker's open transaction holds the oldest running id back, so "this snapshot is newer"
    and "the log was pruned" would depend on what else happens to run."""
    from testing.postgres_server import start, stop

    data = tmp_path_factory.mktemp("lone-pg") / "data"
    yield start(data)
    stop(data)


@pytest.fixture
def lone_postgres_url(lone_server: str) -> Iterator[str]:
    """A fresh, migrated database on ``lone_server``."""
    from testing.postgres_server import throwaway_database

    with throwaway_database(lone_server) as url:
        PostgresStore.open(url).close()
        yield url


@pytest.fixture
def replicas(postgres_url: str) -> Iterator[tuple[Library, Library]]:
    first, second = Library.open(postgres_url), Library.open(postgres_url)
    yield first, second
    first.close()
    second.close()


def test_an_add_on_one_replica_is_seen_by_the_other_at_once(replicas):
    first, second = replicas
    second.articles.visible(CHAT)  # the second replica has read the library before the add
    added = first.articles.add(CHAT, STORY, title="Tram line approved")
    assert [row.name for row in second.articles.visible(CHAT)] == ["Tram line approved"]
    assert second.asking.candidates(CHAT, "How much will the tram cost?", 5) == [added.article_id]
    reply = second.asking.ask(CHAT, "How much will the tram line cost?")
    assert reply.answer.ranked[0].text == "The line will cost 420 million euros, the mayor said."
    assert first.articles.remove(CHAT, added.article_id)
    assert second.articles.visible(CHAT) == []
    assert second.asking.candidates(CHAT, "tram", 5) == []


def test_an_article_analysed_again_on_one_replica_is_found_by_its_new_words_on_the_other(
    replicas, postgres_url
):
    first, second = replicas
    added = first.articles.add(CHAT, STORY).article_id
    old_words, new_words = analyze("tram cost"), ["tranvía", "coste"]
    assert second.store.search(CHAT, old_words, 5) == [added]  # its index is loaded
    assert first.store.replace_terms(added, [*new_words, "coste"])
    assert second.store.search(CHAT, old_words, 5) == []
    assert second.store.search(CHAT, new_words, 5) == [added]
    assert second.store.save_term_snapshot()
    assert first.store.replace_terms(added, new_words)  # after the snapshot: replayed
    third = PostgresStore.open(postgres_url)
    try:
        assert third.search(CHAT, ["tranvía"], 5) == [added]
        assert third.search(CHAT, old_words, 5) == []
        assert Counter(third.stored_terms(added) or []) == Counter(new_words)
    finally:
        third.close()


def test_the_same_article_added_on_both_replicas_at_once_is_stored_once(replicas):
    results = []
    barrier = threading.Barrier(2)

    def add(library: Library) -> None:
        barrier.wait()
        results.append(library.articles.add(CHAT, STORY))

    threads = [threading.Thread(target=add, args=(r,)) for r in replicas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.duplicate for r in results) == [False, True]
    assert results[0].article_id == results[1].article_id
    assert replicas[0].articles.count() == 1


def test_postgresql_picks_the_same_candidates_as_sqlite(postgres_url, tmp_path):
    """The same term index, fed from the change log: the backend never changes which
    articles are read."""
    postgres, sqlite = PostgresStore.open(postgres_url), SqliteStore.open(tmp_path / "x.db")
    try:
        for text in STORIES * 3:  # repeated texts in other chats shift the IDF alike
            for chat in (CHAT, CHAT - 1):
                article = Library(sqlite).articles.add_article(chat, _parse(text))
                assert article is not None
                postgres.add(chat, _parse(text), analyze(text))
        for question in [*QUESTIONS, "tram airport cost", "river"]:
            terms = analyze(question)
            assert postgres.search(CHAT, terms, 4) == sqlite.search(CHAT, terms, 4), question
    finally:
        postgres.close()
        sqlite.close()


@pytest.mark.xdist_group("lone-postgres")  # one worker starts ``lone_server``
def test_a_new_replica_starts_from_the_snapshot_and_the_changes_since(lone_postgres_url):
    first = PostgresStore.open(lone_postgres_url)
    kept = [first.add(CHAT, _parse(t), analyze(t)).article_id for t in STORIES]
    first.term_index()
    _settled(first)
    assert first.save_term_snapshot()
    later = first.add(CHAT, _parse(STORY), analyze(STORY)).article_id  # after the snapshot
    assert first.remove(CHAT, kept[0])  # "The council approved a tram line to the airport..."
    second = PostgresStore.open(lone_postgres_url)
    try:
        assert second.search(CHAT, analyze("tram airport cost"), 3)[0] == kept[-1]
        assert kept[0] not in second.search(CHAT, analyze("tram airport cost"), 10)
        assert second.search(CHAT, analyze("footbridge tram Tuesday mayor"), 1) == [later]
        assert second.search(CHAT, analyze("Roman gold coins"), 1) == [kept[3]]
    finally:
        first.close()
        second.close()


def test_an_add_that_commits_late_is_not_missed(postgres_url):
    """A replica's look at the change log can fall between a slow add's start and its
    commit, while a quicker add commits: the slow one must still be seen afterwards."""
    first, second = PostgresStore.open(postgres_url), PostgresStore.open(postgres_url)
    try:
        second.search(CHAT, analyze("anything"), 1)  # looked once already
        with psycopg.connect(postgres_url) as slow:  # one transaction, open until commit
            row = slow.execute(
                "INSERT INTO articles (chat_id, body, sentence_spans, content_hash, added_at,"
                " term_count) VALUES (%s, 'Walruses.', '[[0, 9]]', 'w', 'now', 1) RETURNING id",
                (CHAT,),
            ).fetchone()
            slow.execute("INSERT INTO postings VALUES ('walrus', %s, 1)", (row[0],))
            slow.execute(
                "INSERT INTO library_changes (article_id, chat_id, removed) VALUES (%s, %s, false)",
                (row[0], CHAT),
            )
            quick = first.add(CHAT, _parse(STORY), analyze(STORY)).article_id
            assert second.search(CHAT, analyze("tram"), 1) == [quick]
            assert second.search(CHAT, ["walrus"], 1) == []  # not committed yet
            slow.commit()
        assert second.search(CHAT, ["walrus"], 1) == [row[0]]
    finally:
        first.close()
        second.close()


def _parse(text: str):
    from retrieval import parse_article

    return parse_article(text)


def test_a_paraphrase_finds_its_article_through_the_nearest_sentences(postgres_url):
    library = Library.open(postgres_url)
    try:
        tram = library.articles.add(CHAT, STORY).article_id
        pier = library.articles.add(
            CHAT, "The harbour reopened the northern pier after repairs."
        ).article_id
        library.articles.embed(tram)
        library.articles.embed(pier)
        # No word in common with the tram story: only the sentence vectors can find it.
        assert (
            library.store.search(
                CHAT, analyze("When will building work on the streetcar begin?"), 5
            )
            == []
        )
        assert (
            library.asking.candidates(CHAT, "When will building work on the streetcar begin?", 5)[0]
            == tram
        )
        assert library.articles.remove(CHAT, tram)
        assert tram not in library.asking.candidates(
            CHAT, "When will building work on the streetcar begin?", 5
        )
    finally:
        library.close()


def test_a_daily_briefing_slot_is_claimed_by_one_replica_only(postgres_url):
    stores = [PostgresStore.open(postgres_url) for _ in range(4)]
    try:
        stores[0].set_schedule(CHAT, "08:00", "UTC", first_since="")
        wins: list[bool] = []
        barrier = threading.Barrier(len(stores))

        def claim(store: PostgresStore) -> None:
            barrier.wait()
            wins.append(store.claim_briefing(CHAT, "2026-11-26 08:00"))

        threads = [threading.Thread(target=claim, args=(s,)) for s in stores]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(wins) == [False, False, False, True]
        assert not stores[1].claim_briefing(CHAT, "2026-11-26 08:00")  # later, still taken
        assert stores[2].claim_briefing(CHAT, "2026-11-27 08:00")  # the next day's slot
        stores[0].clear_schedule(CHAT)
        assert not stores[3].claim_briefing(CHAT, "2026-11-28 08:00")  # unscheduled
    finally:
        for store in stores:
            store.close()


def test_question_counts_are_shared_and_the_user_is_told_once(postgres_url):
    first, second = PostgresStore.open(postgres_url), PostgresStore.open(postgres_url)
    try:
        asked = [s.count_question(42, 3600) for s in (first, second, first, second)]
        assert asked == [1, 2, 3, 4]  # the same user's questions, counted across replicas
        assert first.told_of_limit(42) is True
        assert second.told_of_limit(42) is False  # the other replica stays quiet
        assert first.count_question(7, 3600) == 1  # another user has a count of their own
    finally:
        first.close()
        second.close()


def test_an_unreachable_server_is_one_line_without_the_password():
    url = "postgresql://newsbot:s3cret-pw@127.0.0.1:9/newsbot"  # port 9: nothing listens
    with pytest.raises(StoreError) as raised:
        open_store(url)
    message = str(raised.value)
    assert "s3cret-pw" not in message and "\n" not in message
    assert message.startswith("postgresql://newsbot@127.0.0.1:9/newsbot: cannot connect")


def test_a_database_from_a_newer_version_is_refused(postgres_url):
    with psycopg.connect(postgres_url, autocommit=True) as db:
        db.execute("INSERT INTO schema_version VALUES (%s)", (len(MIGRATIONS) + 1,))
    with pytest.raises(StoreError, match="newer version of newsbot"):
        open_store(postgres_url)


def test_a_schema_5_database_loses_the_unused_columns_and_keeps_its_articles(
    bare_postgres_url,
):
    write_old_postgres(bare_postgres_url, 5, CHAT)
    library = Library.open(bare_postgres_url)
    try:
        assert library.store.load(7).sentence(2).text == "It is short."
        assert library.asking.candidates(CHAT, "Which tides?", 5) == [7]
        added = library.articles.add(CHAT, STORY)
        assert added.article_id == 8
        assert library.asking.candidates(CHAT, "tram line", 5) == [added.article_id]
        assert library.articles.remove(CHAT, 7)
        assert library.asking.candidates(CHAT, "Which tides?", 5) == []
        assert library.articles.count() == 1
    finally:
        library.close()
    with psycopg.connect(bare_postgres_url) as db:
        columns = {
            (table, column)
            for table, column in db.execute(
                "SELECT table_name, column_name FROM information_schema.columns"
                " WHERE table_name IN ('postings', 'corpus')"
            )
        }
        key = db.execute(
            "SELECT pg_get_indexdef(indexrelid) FROM pg_index"
            " WHERE indrelid = 'postings'::regclass AND indisprimary"
        ).fetchone()
    assert columns == {
        ("postings", "term"),
        ("postings", "article_id"),
        ("postings", "tf"),
        ("corpus", "one"),
        ("corpus", "articles"),
    }
    assert key is not None and "INCLUDE" not in key[0]


def test_replicas_starting_together_migrate_once(postgres_template, postgres_url):
    with psycopg.connect(postgres_url, autocommit=True) as db:
        db.execute("DROP SCHEMA public CASCADE")
        db.execute("CREATE SCHEMA public")
    opened: list[PostgresStore] = []
    threads = [
        threading.Thread(target=lambda: opened.append(PostgresStore.open(postgres_url)))
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(opened) == 3
    with psycopg.connect(postgres_url) as db:
        versions = [r[0] for r in db.execute("SELECT version FROM schema_version").fetchall()]
    assert sorted(versions) == list(range(1, len(MIGRATIONS) + 1))
    for store in opened:
        store.close()


def test_redacted_keeps_everything_but_the_password():
    assert redacted("postgresql://u:pw@db:5432/news?sslmode=require") == (
        "postgresql://u@db:5432/news?sslmode=require"
    )
    assert redacted("postgresql://db/news") == "postgresql://db/news"


def test_vectors_stored_by_one_replica_are_used_by_the_other(replicas):
    first, second = replicas
    tram = first.articles.add(CHAT, STORY).article_id
    assert not second.articles.index(tram).has_vectors  # cached on words before the embedding
    assert first.articles.embed(tram)
    assert second.articles.index(tram).has_vectors  # read back, not embedded again


def test_a_running_replica_stores_a_new_snapshot_every_so_many_changes(postgres_url, monkeypatch):
    """So a replica started weeks later replays a few changes, not every add since."""
    import library.postgres

    monkeypatch.setattr(library.postgres, "SNAPSHOT_AFTER", 3)
    store = PostgresStore.open(postgres_url)
    try:
        store.term_index()  # built from the (empty) postings: stored as the first snapshot
        store._snapshots.join()
        for text in STORIES[:3]:
            store.add(CHAT, _parse(text), analyze(text))
        store.search(CHAT, ["tram"], 1)  # applies the three adds, then snapshots
        store._snapshots.join()
        with psycopg.connect(postgres_url) as db:
            (blob,) = db.execute("SELECT blob FROM term_snapshots").fetchone()
        from retrieval import TermIndex

        assert len(TermIndex.from_bytes(bytes(blob))) == 3
    finally:
        store.close()


def _change_rows(url: str) -> int:
    with psycopg.connect(url) as db:
        return int(db.execute("SELECT count(*) FROM library_changes").fetchone()[0])


def _finds_each(store: PostgresStore, ids: list[int]) -> None:
    """Each of ``STORIES``' texts finds its own article first (``ids`` in the same order)."""
    for article_id, text in zip(ids, STORIES, strict=False):
        assert store.search(CHAT, analyze(text), 1) == [article_id]


def _settled(store: PostgresStore) -> None:
    """Wait for the snapshot a store saves in the background after building its term
    index from the postings: meanwhile it holds the snapshot lock."""
    if store._snapshots is not None:
        store._snapshots.join()


def _newcomer_finds_each(url: str, ids: list[int]) -> None:
    """A replica started now finds every article: nothing was lost from its start-up."""
    newcomer = PostgresStore.open(url)
    try:
        _finds_each(newcomer, ids)
    finally:
        newcomer.close()


@pytest.mark.xdist_group("lone-postgres")
def test_the_change_log_is_pruned_as_snapshots_are_stored(lone_postgres_url):
    store = PostgresStore.open(lone_postgres_url)
    try:
        ids = [store.add(CHAT, _parse(t), analyze(t)).article_id for t in STORIES[:2]]
        store.term_index()  # built from the postings and stored: the first snapshot
        store._snapshots.join()
        assert _change_rows(lone_postgres_url) == 2  # nothing older to prune yet
        ids.append(store.add(CHAT, _parse(STORIES[2]), analyze(STORIES[2])).article_id)
        store.term_index()
        _settled(store)
        assert store.save_term_snapshot()  # prunes below the first: its two adds
        assert _change_rows(lone_postgres_url) == 1
        _newcomer_finds_each(lone_postgres_url, ids)  # starts from the snapshot, replays none
    finally:
        store.close()


def test_a_replica_behind_the_pruned_log_reloads_and_misses_nothing(lone_postgres_url):
    idle, busy = PostgresStore.open(lone_postgres_url), PostgresStore.open(lone_postgres_url)
    try:
        idle.search(CHAT, analyze("anything"), 1)  # read the log once, then went quiet
        _settled(idle)
        added = []
        for text in STORIES[:3]:  # another replica adds and snapshots twice
            added.append(busy.add(CHAT, _parse(text), analyze(text)).article_id)
            busy.term_index()
            _settled(busy)
            assert busy.save_term_snapshot()
        assert _change_rows(lone_postgres_url) < 3  # pruned past where the idle replica stopped
        _finds_each(idle, added)
    finally:
        idle.close()
        busy.close()


def test_a_replica_behind_never_replaces_a_newer_snapshot(lone_postgres_url):
    behind, ahead = PostgresStore.open(lone_postgres_url), PostgresStore.open(lone_postgres_url)
    try:
        behind.search(CHAT, analyze("anything"), 1)  # read the log, then went quiet
        _settled(behind)
        added = [ahead.add(CHAT, _parse(t), analyze(t)).article_id for t in STORIES[:3]]
        ahead.term_index()
        _settled(ahead)
        assert ahead.save_term_snapshot()
        assert not behind.save_term_snapshot()  # older than the stored one: kept out
        _newcomer_finds_each(lone_postgres_url, added)
    finally:
        behind.close()
        ahead.close()


def test_a_snapshot_behind_the_pruned_log_is_passed_over_for_the_postings(postgres_url):
    store = PostgresStore.open(postgres_url)
    try:
        added = [store.add(CHAT, _parse(t), analyze(t)).article_id for t in STORIES[:2]]
        store.term_index()
        store._snapshots.join()  # the stored snapshot
        added.append(store.add(CHAT, _parse(STORIES[2]), analyze(STORIES[2])).article_id)
        with psycopg.connect(postgres_url, autocommit=True) as db:  # as if pruned past it
            db.execute("DELETE FROM library_changes")
            db.execute("UPDATE change_log_horizon SET pruned_below = pg_current_xact_id()")
        # The snapshot misses the third article and its change is gone: the postings.
        _newcomer_finds_each(postgres_url, added)
    finally:
        store.close()


def test_replicas_backfilling_together_embed_each_article_once(postgres_url):
    writer = PostgresStore.open(postgres_url)
    texts = [STORY, *STORIES[:3]]
    ids = [writer.add(CHAT, _parse(t), analyze(t)).article_id for t in texts]
    writer.close()
    first, second = Library.open(postgres_url), Library.open(postgres_url)
    try:
        with ThreadPoolExecutor(2) as pool:
            done = list(pool.map(lambda library: library.articles.backfill(), (first, second)))
        assert sum(done) == len(ids)  # nothing embedded twice
        assert first.store.without_vectors([model_id()], 10) == []
        assert all(second.articles.index(i).has_vectors for i in ids)
    finally:
        first.close()
        second.close()
