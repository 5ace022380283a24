import pytest

from retrieval import ArticleIndex, QuestionError, answer, parse_article, search


def test_back_reference_brings_the_sentence_it_points_to(seed_index):
    result = answer(seed_index, "Which bases has the military already left?")
    # Sentence 2 opens "The move comes as ..."; sentence 1 says what the move is.
    assert [c.sentence for c in result.quoted] == [1, 2]
    assert result.text.index("[1]") < result.text.index("[2]")


def test_quotation_without_speaker_brings_its_attribution(seed_index):
    result = answer(seed_index, "What must Syria not become?")
    assert [c.sentence for c in result.quoted] == [14, 15]
    assert "the administration officials said" in result.quoted[0].text


def test_attribution_clause_stays_with_the_quote(seed_index):
    result = answer(seed_index, "Will US forces still respond to ISIS threats?")
    assert "the administration officials said" in result.text


def test_answer_sentences_are_in_article_order_and_ranked_best_first(seed_index):
    result = answer(seed_index, "How many troops did the Defense Department start pulling?")
    numbers = [c.sentence for c in result.quoted]
    assert numbers == sorted(numbers)
    scores = [c.score for c in result.ranked]
    assert scores == sorted(scores, reverse=True)


def test_abstaining_offers_the_closest_sentence_only_when_close(seed_index):
    far = answer(seed_index, "Who won the Super Bowl?")
    assert far.abstained and far.closest is None


@pytest.mark.parametrize("question", ["", "   ", "\n\t"])
def test_empty_question_is_refused_politely(seed_index, question):
    with pytest.raises(QuestionError, match="the question is empty"):
        answer(seed_index, question)


def test_overlong_question_is_refused(seed_index):
    with pytest.raises(QuestionError, match="please keep it under 4,096"):
        answer(seed_index, "troops " * 1000)


def test_longest_allowed_question_is_answered(seed_index):
    question = ("How many troops are in Syria? " * 200)[:4096]
    assert answer(seed_index, question).ranked[0].sentence == 13


@pytest.mark.parametrize("question", ["\U0001f600\U0001f680", "<b>&amp;</b>", "*_`[]()~"])
def test_junk_questions_abstain_without_crashing(seed_index, question):
    assert answer(seed_index, question).abstained


def test_search_returns_k_scored_sentences(seed_index):
    found = search(seed_index, "ceasefire", 2)
    assert [c.sentence for c in found] == [10, 9] or [c.sentence for c in found] == [9, 10]
    assert all(c.score > 0 for c in found)


def test_single_sentence_article_answers_with_at_least_what_it_has():
    index = ArticleIndex(parse_article("Only one sentence about troops."))
    result = answer(index, "troops?")
    assert [c.sentence for c in result.quoted] == [1]
    assert len(result.ranked) == 1
