import numpy as np
import pytest

from retrieval import ArticleIndex, brief, parse_article
from retrieval.briefing import DAMPING, _textrank


def test_briefing_leads_with_the_news_and_keeps_article_order(seed_index):
    citations = brief(seed_index, 3)
    numbers = [c.sentence for c in citations]
    assert len(numbers) == 3
    assert numbers == sorted(numbers)
    assert numbers[0] == 1  # the lead: the U.S. is preparing to pull out


def test_briefing_skips_sentences_that_cannot_stand_alone(seed_index):
    texts = [c.text for c in brief(seed_index, 5)]
    assert not any(t.startswith(("It ", "They ", "The move")) for t in texts)


def test_briefing_is_shorter_than_requested_when_the_article_is(seed_index):
    assert len(brief(ArticleIndex(parse_article("Just one sentence here today.")), 5)) == 1


def test_briefing_does_not_repeat_itself():
    article = parse_article(
        "Troops leave Syria this week, officials said.\n"
        "Troops leave Syria this week, officials said again.\n"
        "A ceasefire with Kurdish forces holds in the northeast.\n"
    )
    numbers = [c.sentence for c in brief(ArticleIndex(article), 2)]
    assert numbers in ([1, 3], [2, 3])


def test_briefing_needs_at_least_one_sentence(seed_index):
    with pytest.raises(ValueError):
        brief(seed_index, 0)


def _dense_textrank(index: ArticleIndex) -> np.ndarray:
    """The walk over the full n x n matrix, as briefing computed it before: the reference."""
    size = len(index.article.sentences)
    similarity = index.similarity()
    similarity = (similarity + similarity.T) / 2.0
    np.fill_diagonal(similarity, 0.0)
    lead = 1.0 / np.sqrt(np.arange(1, size + 1))
    restart = lead / lead.sum()
    sums = similarity.sum(axis=1, keepdims=True)
    transition = np.where(sums > 0, similarity / np.where(sums > 0, sums, 1), restart)
    rank = restart.copy()
    for _ in range(100):
        rank = (1 - DAMPING) * restart + DAMPING * rank @ transition
    return rank


@pytest.mark.parametrize(
    "text",
    [
        None,  # the seed
        "A lone sentence shares nothing.\n\nThe tram line costs money. The tram line opens soon."
        "\n\nZebras graze quietly.",
    ],
)
def test_the_linear_walk_ranks_sentences_exactly_as_the_full_matrix_did(seed_article, text):
    index = ArticleIndex(seed_article if text is None else parse_article(text), semantic=False)
    assert np.allclose(_textrank(index), _dense_textrank(index), atol=1e-9)


def test_a_very_long_article_is_briefed_without_a_sentence_by_sentence_matrix():
    text = " ".join(
        f"Harbour board meeting {i} discussed berths and the ferry timetable again."
        for i in range(8000)
    )
    index = ArticleIndex(parse_article(text), semantic=False)
    assert len(index.article.sentences) == 8000
    # 8,000 near-repeats: the lead, and nothing that says the same again.
    (citation,) = brief(index)
    assert citation.sentence == 1
