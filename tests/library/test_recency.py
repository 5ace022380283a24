"""Questions that ask for what is new are answered from the newest articles that answer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from library.recency import recency
from library.service import Library

CHAT = -1009
OLD = (
    "The city council approved a tram line to the airport in March. "
    "The tram line will cost 300 million euros, the mayor said then."
)
NEW = (
    "The council raised the tram line's budget on Monday. "
    "The tram line will now cost 420 million euros, the mayor said."
)
OTHER = "A bakery in Dunmore won the national bread award. Its sourdough impressed the judges."


@pytest.mark.parametrize(
    ("question", "days", "newest"),
    [
        ("What is the latest on the tram line?", None, True),
        ("What happened today?", 1.0, True),
        ("What did the council decide this week?", 7.0, True),
        ("How much will the tram line cost?", None, None),
    ],
)
def test_what_a_question_asks_of_dates(question, days, newest):
    found = recency(question)
    if newest is None:
        assert found is None
    else:
        assert found is not None and found.days == days and found.newest_first is newest


@pytest.fixture
def library(tmp_path):
    shelf = Library.open(tmp_path / "news.db")
    long_ago = (datetime.now(UTC) - timedelta(days=200)).date().isoformat()
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    shelf.articles.add(CHAT, OLD, title="Airport tram approved", published=long_ago)
    shelf.articles.add(CHAT, OTHER, title="Bread award")
    shelf.articles.add(CHAT, NEW, title="Tram budget raised", published=yesterday)
    yield shelf
    shelf.close()


def test_the_latest_answer_comes_from_the_newest_article_that_answers(library):
    found = library.asking.ask_across(CHAT, "What is the latest cost of the tram line?")
    assert found.best is not None and found.answer is not None
    assert found.best.index.article.title == "Tram budget raised"
    assert "420 million euros" in found.answer.quoted[0].text


def test_this_week_leaves_older_articles_out(library):
    found = library.asking.ask_across(
        CHAT, "How much will the tram line cost, as decided this week?"
    )
    assert found.best is not None
    assert found.best.index.article.title == "Tram budget raised"
    assert all(s.index.article.title != "Airport tram approved" for s, _ in found.ranked)


def test_a_question_asking_nothing_of_dates_is_answered_by_the_best_match(library):
    found = library.asking.ask_across(CHAT, "How much did the airport tram line cost in March?")
    assert found.best is not None
    assert found.best.index.article.title == "Airport tram approved"
