"""Reranking by meaning: when the model is asked, and what it changes for a reader."""

from retrieval import ArticleIndex, answer, parse_article, search
from retrieval.index import DECISIVE_LEAD, RERANK_CANDIDATES


def test_a_paraphrase_without_the_articles_words_is_answered(seed_index):
    # "America", "withdrawing", "soldiers": the article says "U.S.", "pullout", "troops".
    question = "Is America withdrawing its soldiers?"
    assert answer(seed_index, question, rerank=False).abstained
    result = answer(seed_index, question)
    assert not result.abstained
    assert result.ranked[0].sentence in {1, 2, 3}


def test_a_clear_winner_on_words_is_kept_without_asking_the_model(seed_index):
    result = answer(seed_index, "Who did Marco Rubio meet?")
    assert result.ranked[0].sentence == 10
    assert result.ranked[0].score == 1.0  # BM25's share of the best, no similarity added
    assert result.ranked[1].score <= 1.0 - DECISIVE_LEAD


def test_a_close_call_is_reranked_and_scores_still_follow_the_order(seed_index):
    ranked = search(seed_index, "Who told The Hill about the pullout?", k=15)
    scores = [c.score for c in ranked]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > 1.0  # similarity was added
    assert ranked[0].sentence in {1, 3}


def test_only_bm25_candidates_are_reordered():
    cities = ["Paris", "Berlin", "Madrid", "Rome", "Vienna", "Prague", "Warsaw", "Lisbon"]
    text = "\n".join(
        f"The council of {city} met on day {day} to discuss the harbour budget."
        for day in range(1, 5)
        for city in cities
    )
    index = ArticleIndex(parse_article(text, name="councils"))
    question = "What did the Paris council discuss?"
    words = index.rank(question)
    assert words[1].score > (1.0 - DECISIVE_LEAD) * words[0].score  # a close call
    both = index.rerank(question, words)
    assert {r.sentence.number for r in both[:RERANK_CANDIDATES]} == {
        r.sentence.number for r in words[:RERANK_CANDIDATES]
    }
    assert [r.sentence.number for r in both[RERANK_CANDIDATES:]] == [
        r.sentence.number for r in words[RERANK_CANDIDATES:]
    ]
    assert "Paris" in both[0].sentence.text


def test_an_index_without_the_model_answers_on_words(seed_article):
    index = ArticleIndex(seed_article, semantic=False)
    assert answer(index, "Is America withdrawing its soldiers?").abstained
    assert answer(index, "How many troops are in Syria?").ranked[0].sentence == 13
