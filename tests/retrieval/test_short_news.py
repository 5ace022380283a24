"""Short news stories written for this project: the right sentence, or an honest decline.

The whole set is a benchmark (``python -m benchmarks.short_news``); here it
guards against regressions at the level measured when the ranker was
shipped, and a few stories pin behaviour a reader would notice.
"""

import functools

import pytest

from benchmarks.short_news import Verdicts, judge, load_short_news
from retrieval import ArticleIndex, answer

#: Every test here on one xdist worker: ``verdicts`` asks all ~400 questions, and two
#: workers would each ask them (``--dist loadgroup`` in pyproject.toml).
pytestmark = pytest.mark.xdist_group("short-news")

STORIES = {story.article.name: story for story in load_short_news()}


@functools.cache
def _verdicts() -> Verdicts:
    """Every story's questions, asked once per worker (the group keeps them on one).

    Asked inside the tests, not in a fixture, so that ``no_cover`` spares them coverage's
    tracing (pytest-cov pauses it for a test's call only): ~400 answers are a measurement of
    quality, and the code they run is covered by the example tests.
    """
    return judge(list(STORIES.values()))


def test_the_set_is_what_the_issue_asked_for():
    assert len(STORIES) >= 30
    for story in STORIES.values():
        assert 3 <= len(story.article.sentences) <= 12
        for _, phrase in story.questions:
            holding = [s for s in story.article.sentences if phrase in s.text]
            assert len(holding) == 1, f"{story.article.name}: {phrase!r} must be in one sentence"


@pytest.mark.no_cover
def test_most_questions_are_answered_from_the_right_sentence():
    verdicts = _verdicts()
    # Measured at shipping: 0.883 right, 0.922 off-topic declined (docs/retrieval.md has the
    # figures; before the reader: 0.867 and 0.844).
    right = sum(verdicts.answered_right) / len(verdicts.answered_right)
    assert right >= 0.87, "\n".join(verdicts.misses)


@pytest.mark.no_cover
def test_most_off_topic_questions_are_declined():
    verdicts = _verdicts()
    declined = sum(verdicts.declined_off_topic) / len(verdicts.declined_off_topic)
    assert declined >= 0.90, "\n".join(verdicts.misses)


@pytest.mark.parametrize(
    ("story", "question", "phrase"),
    [
        ("tram-line", "How much will the new tram cost?", "420 million euros"),
        ("hospital-strike", "How many operations were postponed?", "2,000"),
        ("drug-trial", "What is the drug called?", "lerenumab"),
        ("court-ruling", "Who brought the case?", "Save Wyre Valley"),
    ],
)
def test_the_answer_is_the_sentence_that_holds_it_not_the_one_sharing_more_words(
    story, question, phrase
):
    result = answer(ArticleIndex(STORIES[story].article), question)
    assert not result.abstained
    assert phrase in result.ranked[0].text


@pytest.mark.parametrize(
    ("story", "question"),
    [
        ("tram-line", "Who won the mayoral election?"),
        ("museum-theft", "Who painted the Mona Lisa?"),
        ("river-flood", "How many people died in the earthquake?"),
    ],
)
def test_a_question_about_something_else_is_declined(story, question):
    # Known miss, left visible in the benchmark: "How much will the new bridge
    # cost?" asked of the tram story differs from an answerable question by
    # one word, and is answered with the tram's cost.
    assert answer(ArticleIndex(STORIES[story].article), question).abstained
