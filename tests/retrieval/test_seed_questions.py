"""Questions a reader might ask about the seed article, paraphrased, not copied from it.

Each names the sentence(s) that answer it; the answer's best-ranked sentence
must be one of them and the answer text must quote it with its marker.
"""

import pytest

from retrieval import answer

#: Measurements of the answers' quality; the code they run is covered by other tests, and
#: coverage's tracing would make them 40 % slower.
pytestmark = pytest.mark.no_cover

ANSWERABLE = [
    ("Who told The Hill about the pullout?", {1}),
    ("When did officials tell The Hill about the withdrawal?", {1, 3}),
    ("Which bases has the military already left?", {2}),
    ("What happened at the al-Tanf base?", {2}),
    ("Where is Al-Shaddadi?", {2}),
    ("How does the administration describe the transition?", {3}),
    ("Are American personnel leaving Syria?", {3}),
    ("Will US forces still respond to ISIS threats?", {4}),
    ("Why is a large US presence no longer needed?", {4}),
    ("What did the Pentagon say?", {5}),
    ("Did Central Command comment?", {5}),
    ("Which newspaper reported the pullout first?", {6}),
    ("How did Republicans react to earlier withdrawal reports?", {7}),
    ("Who did al-Sharaa\u2019s military attack last month?", {8}),
    ("What are the Syrian Democratic Forces?", {8}),
    ("Who captured the oil fields?", {8}),
    ("What ceasefire was agreed with the SDF?", {9}),
    ("Will the Kurdish militias join Syria's defense ministry?", {9}),
    ("Who did Marco Rubio meet?", {10}),
    ("Where did Rubio meet al-Shaibani?", {10}),
    ("What did Trump want during his first term?", {11}),
    ("Why did Jim Mattis resign?", {11}),
    ("How many troops did the Defense Department start pulling last year?", {12}),
    ("Why did troop numbers go up after October 7?", {12}),
    ("How many troops are in Syria?", {13}),
    ("What is Trump committed to in Syria?", {14}),
    ("What must Syria not become?", {15}),
]

OFF_TOPIC = [
    "Who won the Super Bowl?",
    "What is the capital of France?",
    "How do I bake sourdough bread?",
    "What is the weather tomorrow in London?",
    "Which team won the World Cup in 2018?",
    "What is the price of Bitcoin?",
    "Who wrote Hamlet?",
    "What is it?",
]


def test_reader_questions_are_answered_from_the_right_sentence(seed_index):
    # Measured at shipping: 26 of 27. The miss: "Who told The Hill about the pullout?" is
    # answered, as a near miss, by "The Wall Street Journal reported on the pullout earlier."
    misses = []
    for question, expected in ANSWERABLE:
        result = answer(seed_index, question)
        best = result.ranked[0]
        if result.abstained or best.sentence not in expected:
            misses.append(f"{question} -> [{best.sentence}] {best.text}")
        else:
            assert f"{best.text} [{best.sentence}]" in result.text
    assert len(misses) <= 1, "\n".join(misses)


@pytest.mark.parametrize("question", OFF_TOPIC)
def test_questions_the_article_does_not_cover_are_declined(seed_index, question):
    result = answer(seed_index, question)
    assert result.abstained
    assert result.abstained and result.text == ""
    assert len(result.ranked) >= 3  # rankings stay available to scoring tools
