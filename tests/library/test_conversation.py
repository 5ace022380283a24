"""Reading a follow-up: a sentence asked for by number, or a short question that leans on
the one before."""

from __future__ import annotations

import pytest

from library.conversation import sentence_reference, with_context


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("what about [2]?", 2),
        ("tell me more about 13", 13),
        ("[4]", 4),
        ("And 5?", 5),
        ("How many troops are in Syria?", None),
        ("what happened in 2019 and 2020?", None),
    ],
)
def test_a_sentence_is_asked_for_by_number(text, number):
    assert sentence_reference(text) == number


def test_a_short_follow_up_borrows_the_previous_questions_words():
    assert with_context("And where?", "Who did Marco Rubio meet?") == "And where? Marco Rubio meet"
    assert "troops" in with_context("how many of them?", "Where are the US troops?")


def test_a_full_question_stands_on_its_own():
    question = "What did the opposition councillors say about the buses?"
    assert with_context(question, "Who voted for the tram line?") == question
