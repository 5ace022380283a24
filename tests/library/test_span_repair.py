"""Articles stored while sentence splitting was not thread-safe: found, split again from
their intact text at start-up, and never a reason for the backfill to stop."""

from __future__ import annotations

import json

from library.articles import SPAN_REPAIR
from library.service import Library
from retrieval import split_body
from retrieval.vectors import model_id

CHAT = 42
STORY = "\n".join(
    " ".join(
        f"Harbour officer {p}-{i} said the ferry fare would rise by {i + 2} percent in {2020 + p}."
        for i in range(6)
    )
    for p in range(8)
)
OTHER = (
    "The regional library opened a new reading room on Monday.\n"
    "It holds 4,000 books about the sea and is open every day."
)


def _lose_sentences(library: Library, article_id: int) -> list[list[int]]:
    """Store the article's spans as the race left them: sentences gone, a paragraph empty."""
    (row,) = library.store._read("SELECT sentence_spans FROM articles WHERE id = ?", (article_id,))
    whole = json.loads(row[0])
    broken = whole[:3] + whole[5:6] + whole[12:]  # paragraph 2 left with no sentence
    library.store._write(
        "UPDATE articles SET sentence_spans = ? WHERE id = ?", (json.dumps(broken), article_id)
    )
    library.store._write("DELETE FROM upkeep")
    return whole


def test_broken_spans_are_split_again_by_the_backfill_and_answer_again(database):
    library = Library.open(database)
    try:
        story = library.articles.add(CHAT, STORY).article_id
        whole = _lose_sentences(library, story)
    finally:
        library.close()
    reopened = Library.open(database)
    try:
        assert len(reopened.articles.article(story).sentences) == 40  # as stored: eight lost
        assert reopened.articles.backfill() == 1  # split again, then embedded afresh
        assert [list(s) for s in split_body(STORY)] == whole
        assert len(reopened.articles.article(story).sentences) == 48
        assert reopened.store.upkeep_done(SPAN_REPAIR)
        assert reopened.store.without_vectors([model_id()], 10) == []
        reply = reopened.asking.ask(
            CHAT, "How much would the ferry fare rise according to officer 1-4?"
        )
        assert "Harbour officer 1-4 said" in reply.answer.ranked[0].text
    finally:
        reopened.close()


def test_the_check_runs_once_per_database(database):
    library = Library.open(database)
    try:
        story = library.articles.add(CHAT, STORY).article_id
        _lose_sentences(library, story)
        assert library.articles.repair_sentence_spans() == 1
        assert library.articles.repair_sentence_spans() == 0  # done: not read again
    finally:
        library.close()


def test_an_article_that_cannot_be_embedded_does_not_stop_the_backfill(tmp_path):
    library = Library.open(tmp_path / "bot.db")
    try:
        broken = library.articles.add(CHAT, STORY).article_id
        fine = library.articles.add(CHAT, OTHER).article_id
        _lose_sentences(library, broken)
        library.store.mark_upkeep_done(SPAN_REPAIR)  # as if the repair had missed it
        library.articles._indexes.forget(broken)
        assert library.articles.backfill() == 1
        assert library.articles.index(fine).has_vectors
        assert library.store.without_vectors([model_id()], 10) == [broken]
    finally:
        library.close()
