from retrieval import ArticleIndex, parse_article
from retrieval.bm25 import BM25Scorer
from retrieval.ranking import rank


def test_term_in_most_sentences_keeps_a_small_positive_weight():
    docs = [["syria", f"word{i}"] for i in range(14)] + [["other"]]
    scorer = BM25Scorer(docs)
    common, rare = scorer.idf("syria"), scorer.idf("word3")
    assert 0 < common < rare
    # Plain BM25Okapi would give "syria" (in 14 of 15) a negative IDF, floored arbitrarily.
    assert scorer.scores(["syria"])[0] > 0
    assert scorer.scores(["syria"])[14] == 0


def test_common_term_does_not_swamp_a_rare_one():
    docs = [["syria", "syria", "troop"] for _ in range(10)] + [["ceasefire", "syria"]]
    scores = BM25Scorer(docs).scores(["syria", "ceasefire"])
    assert scores.argmax() == 10


def test_unknown_terms_score_nothing_and_weigh_most():
    scorer = BM25Scorer([["a1"], ["b1"]])
    assert list(scorer.scores(["zzz"])) == [0.0, 0.0]
    assert scorer.idf("zzz") > scorer.idf("a1")


def test_ranking_lists_every_sentence_best_first(seed_index):
    ranked = rank(seed_index, "How many troops are in Syria?").ranked
    assert len(ranked) == 15
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)
    assert ranked[0].sentence.number == 13


def test_paragraph_context_lifts_a_sentence_whose_subject_is_in_its_paragraph():
    article = parse_article(
        "The Panthers finished the season strong. They defeated the Cardinals in the final.\n"
        "Another team defeated a rival in a different game entirely."
    )
    ranking = rank(ArticleIndex(article), "Who did the Panthers defeat?")
    order = [r.sentence.number for r in ranking.ranked]
    # Both later sentences say "defeated"; only the second sits beside the Panthers.
    assert order.index(2) < order.index(3)


def test_answer_type_prefers_a_sentence_with_a_new_number():
    article = parse_article(
        "Troops in Syria were discussed at length by the officials.\n"
        "There are 900 troops in Syria today."
    )
    ranked = rank(ArticleIndex(article), "How many troops are in Syria?").ranked
    assert ranked[0].sentence.number == 2


def test_article_of_stop_words_only_can_still_be_indexed():
    index = ArticleIndex(parse_article("It is what it is."))
    ranking = rank(index, "anything")
    assert [r.sentence.number for r in ranking.ranked] == [1]
    assert not ranking.answers
