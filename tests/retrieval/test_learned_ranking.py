"""The learned ranker and abstainer: what they change for a reader, and that they load whole."""

import hashlib
import json

import numpy as np
import pytest

from retrieval import ArticleIndex, answer, parse_article, search
from retrieval.analysis import analyze
from retrieval.features import LEXICAL_FEATURES, SEMANTIC_FEATURES, gather
from retrieval.ranking import (
    ABSTAIN_LEXICAL,
    ABSTAIN_SEMANTIC,
    CROSSLINGUAL_FEATURES,
    MODELS_PATH,
    MULTILINGUAL_PATH,
    SHORT_ARTICLE,
    Models,
    abstention_features,
    rank,
    regime,
    shipped_models,
)

TRAM = parse_article(
    "The city council voted on Tuesday to build a new tram line to the airport.\n"
    "The tram line will cost 420 million euros.\n"
    "It will run for 14 kilometres and have nine stops.\n"
    "Work on the new line starts next spring.\n"
    "Opposition councillors said the money would be better spent on buses.",
    name="tram",
)


def test_the_shipped_weights_name_exactly_the_evidence_the_code_gathers(seed_index):
    models = shipped_models()
    question = "How many troops are in Syria?"
    for mode, semantic in (("semantic", True), ("lexical", False)):
        evidence = gather(seed_index, question, analyze(question), semantic=semantic)
        assert set(models.rankers[mode].features) == set(evidence.names)
        names, row = abstention_features(evidence)
        for short in (False, True):
            assert models.abstainers[regime(mode, short=short)].features == names
            assert 0.0 < models.thresholds[regime(mode, short=short)] < 1.0
        assert np.isfinite(row).all()
    assert evidence.names == LEXICAL_FEATURES
    assert set(SEMANTIC_FEATURES) <= set(models.rankers["semantic"].features)
    assert models.abstainers["semantic"].features == ABSTAIN_LEXICAL + ABSTAIN_SEMANTIC


def test_the_weights_file_round_trips_and_records_cross_validated_figures():
    document = json.loads(MODELS_PATH.read_text(encoding="utf-8"))
    again = Models.from_json(shipped_models().to_json())
    assert again.thresholds == shipped_models().thresholds
    modes = ("semantic", "lexical", "multilingual", "crosslingual")
    assert set(again.abstainers) == {k for m in modes for k in (m, f"{m}, short")}
    assert document["cross_validated"]["semantic"]["ranking_top1"] > 0.75
    multilingual = json.loads(MULTILINGUAL_PATH.read_text(encoding="utf-8"))
    assert multilingual["held_out"]["multilingual"]["ranking_top1"] > 0.65
    assert again.rankers["crosslingual"].features == CROSSLINGUAL_FEATURES
    # The crosslingual mode was fitted on the translations in the repository, as they are.
    translations_file = MODELS_PATH.parents[2] / "training" / "crosslingual_questions.json"
    translations = hashlib.sha256(translations_file.read_bytes()).hexdigest()
    assert multilingual["fitted"]["crosslingual"]["translations_sha256"] == translations


def test_a_cost_question_finds_the_cost_sentence_not_the_lead_that_shares_more_words():
    # The lead shares "new" and "tram"; only sentence 2 says what it costs.
    result = answer(ArticleIndex(TRAM), "How much will the new tram cost?")
    assert not result.abstained
    assert result.ranked[0].sentence == 2


def test_a_paraphrase_without_the_articles_words_is_answered(seed_index):
    # "American soldiers leaving": the article says "U.S. personnel are departing".
    result = answer(seed_index, "Are American soldiers leaving Syria?")
    assert not result.abstained
    assert result.ranked[0].sentence in {1, 2, 3}


def test_scores_are_the_rankers_probabilities_in_rank_order(seed_index):
    ranked = search(seed_index, "When did officials tell The Hill about the withdrawal?", k=15)
    scores = [c.score for c in ranked]
    assert scores == sorted(scores, reverse=True)
    assert 0.0 < sum(scores) <= 1.0 + 1e-9
    assert ranked[0].sentence in {1, 3}


def test_every_sentence_is_ranked_and_those_outside_the_candidates_score_zero():
    text = "\n".join(f"Council meeting {i} discussed the harbour budget." for i in range(1, 41))
    ranking = rank(ArticleIndex(parse_article(text), semantic=False), "harbour budget")
    assert len(ranking.ranked) == 40
    assert [r.score for r in ranking.ranked[30:]] == [0.0] * 10


def test_a_words_only_index_never_asks_the_model(seed_article):
    index = ArticleIndex(seed_article, semantic=False)
    ranking = rank(index, "How many troops are in Syria?")
    assert ranking.mode == "lexical"
    assert index.vectors is None
    assert ranking.ranked[0].sentence.number == 13


def test_without_embedding_an_index_without_vectors_is_ranked_on_words(seed_article):
    index = ArticleIndex(seed_article)
    result = answer(index, "How many troops are in Syria?", embed=False)
    assert not index.has_vectors  # nothing was embedded on the way
    assert result.ranked[0].sentence == 13


@pytest.mark.parametrize("question", ["Who won the Super Bowl?", "What is the capital of France?"])
def test_off_topic_confidence_is_below_the_threshold(seed_index, question):
    ranking = rank(seed_index, question)
    assert 0.0 <= ranking.confidence < ranking.threshold
    assert not ranking.answers


def test_an_answerable_question_is_confidently_answered(seed_index):
    ranking = rank(seed_index, "How many troops are in Syria?")
    assert ranking.answers and ranking.confidence > 0.5


def test_a_short_article_is_judged_by_the_short_abstainer_and_a_long_one_by_the_long():
    short = rank(ArticleIndex(TRAM), "How long will the tram line be?")
    models = shipped_models()
    assert short.threshold == models.thresholds[regime("semantic", short=True)]
    long_text = "\n\n".join(
        f"Council meeting {i} discussed the harbour budget." for i in range(SHORT_ARTICLE + 1)
    )
    ranking = rank(ArticleIndex(parse_article(long_text), semantic=False), "harbour budget")
    assert ranking.threshold == models.thresholds["lexical"]
