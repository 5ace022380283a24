import pytest

from retrieval import ArticleIndex, brief, parse_article


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
