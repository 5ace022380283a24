"""The answering phrase inside the quoted sentence: the reader's span, bolded where it is
measured right often enough."""

import pytest

from retrieval import ArticleIndex, answer, parse_article
from retrieval.answer_types import AnswerType
from retrieval.highlight import with_qualifier
from retrieval.reader_fusion import shipped_reader_models

OPENING = "The council met on Monday to discuss several plans. "
CLOSING = " Critics said the plans were rushed."


def _bolded(question: str, sentence: str) -> str | None:
    result = answer(ArticleIndex(parse_article(OPENING + sentence + CLOSING)), question)
    assert not result.abstained
    found = result.highlight
    if found is None:
        return None
    (cited,) = [c for c in result.quoted if c.sentence == found.sentence]
    return found.text_in(cited.text)


def test_the_seed_troop_count_is_highlighted(seed_index):
    result = answer(seed_index, "How many troops are in Syria?")
    found = result.highlight
    assert found is not None and found.sentence == 13
    assert found.text_in(result.quoted[-1].text) == "fewer than 1,000"


@pytest.mark.parametrize(
    ("question", "sentence", "phrase"),
    [
        (
            "How much will the tram cost?",
            "The line will cost 420 million euros.",
            "420 million euros",
        ),
        (
            "How much did they raise?",
            "The committee raised over $40 million so far.",
            "over $40 million",
        ),
        # Two amounts in one sentence: the question decides which one answers.
        (
            "How many stops will it have?",
            "It will run for 14 kilometres and have nine stops.",
            "nine",
        ),
        (
            "How long will the line be?",
            "It will run for 14 kilometres and have nine stops.",
            "14 kilometres",
        ),
        ("When will construction start?", "Construction begins in March 2027.", "March 2027"),
        (
            "When was the game played?",
            "The game was played on February 7, 2016, at Levi's Stadium.",
            "February 7, 2016",
        ),
        (
            "When did the bridge open?",
            "The bridge, opened in 1961, carries 40,000 cars a day.",
            "1961",
        ),
    ],
)
def test_the_asked_amount_or_date_is_bolded(question, sentence, phrase):
    assert _bolded(question, sentence) == phrase


def test_open_questions_get_no_highlight(seed_index):
    assert answer(seed_index, "Why did Jim Mattis resign?").highlight is None


def test_only_measured_kinds_are_bolded():
    # benchmarks.squad_quality measures the reader's phrase per kind of question; only kinds
    # at >= 80 % precision are bolded (docs/retrieval.md has the figures).
    bolded = shipped_reader_models().bolded
    assert {AnswerType.NUMBER, AnswerType.DATE} <= bolded
    assert None not in bolded  # "why", "what", "how" questions: a phrase would be a guess
    who = _bolded("Who won the race?", "Ruth Chepngetich won the Lakeside Marathon on Sunday.")
    assert who == ("Ruth Chepngetich" if AnswerType.NAME in bolded else None)


@pytest.mark.parametrize(
    ("sentence", "span", "widened"),
    [
        ("Currently, there are fewer than 1,000 troops.", "1,000", "fewer than 1,000"),
        ("It cost about $5 million.", "$5 million", "about $5 million"),
        ("It has 12 stops.", "12", "12"),
        ("Nearly all of the 40 ships sank.", "40", "40"),
    ],
)
def test_a_qualifier_just_before_an_amount_joins_it(sentence, span, widened):
    start = sentence.index(span)
    a, b = with_qualifier(sentence, start, start + len(span))
    assert sentence[a:b] == widened
