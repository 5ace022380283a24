"""The shipped reader: refused when changed, and deciding answers a reader would notice."""

import hashlib
import shutil
from dataclasses import replace

import pytest

from retrieval import ArticleIndex, RetrievalError, answer, parse_article
from retrieval.analysis import analyze
from retrieval.answers import NEAR_MISS_BELOW, compose
from retrieval.ranking import rank
from retrieval.reader import (
    MODEL_PATH,
    MULTILINGUAL_PATH,
    MULTILINGUAL_SHA256,
    SHA256,
    Reader,
    shared_reader,
)
from retrieval.reader_fusion import READ, STAGES, reread, shipped_reader_models

STORY = parse_article(
    "The city council approved the new tram line on Tuesday. "
    "The line will cost 420 million euros, paid by the region and the state. "
    "Construction starts in March 2027 and should last three years.\n\n"
    "The mayor, Claire Dubois, called the vote historic. "
    "Opponents said the money would be better spent on buses."
)


@pytest.mark.parametrize(
    ("shipped", "expected"), [(MODEL_PATH, SHA256), (MULTILINGUAL_PATH, MULTILINGUAL_SHA256)]
)
def test_a_changed_model_file_is_refused_with_a_clear_error(tmp_path, shipped, expected):
    changed = tmp_path / shipped.name
    shutil.copyfile(shipped, changed)
    with changed.open("r+b") as stream:
        stream.seek(-1, 2)
        last = stream.read(1)
        stream.seek(-1, 2)
        stream.write(bytes([last[0] ^ 1]))
    with pytest.raises(RetrievalError, match="the reader model is not the expected file"):
        Reader(changed, expected)


@pytest.mark.parametrize(
    ("shipped", "expected"), [(MODEL_PATH, SHA256), (MULTILINGUAL_PATH, MULTILINGUAL_SHA256)]
)
def test_the_published_checksum_is_the_shipped_files(shipped, expected):
    published = shipped.with_suffix(".onnx.sha256").read_text().split()[0]
    assert published == expected == hashlib.sha256(shipped.read_bytes()).hexdigest()
    assert shipped.stat().st_size <= 30_000_000  # the budget a shipped model may weigh


def test_the_sentence_that_answers_scores_above_the_ones_that_share_its_words():
    sentences = [s.text for s in STORY.sentences]
    reading = shared_reader().read(
        "How much will the tram line cost?", sentences, [None, *sentences[:-1]]
    )
    assert reading.logits.argmax() == 1
    start, end = reading.spans[1] or (0, 0)
    assert "420 million euros" in sentences[1][start:end]


def test_a_reworded_question_about_the_seed_finds_the_troop_count(seed_index):
    result = answer(seed_index, "How many US troops are in Syria now?")
    assert not result.abstained
    assert result.ranked[0].sentence == 13
    assert "fewer than 1,000 troops" in result.text


def test_the_answer_phrase_is_bolded_for_a_number_question():
    result = answer(ArticleIndex(STORY), "How much will the tram line cost?")
    assert result.highlight is not None
    assert result.highlight.text_in(STORY.sentences[1].text) == "420 million euros"


def test_a_near_miss_quotes_its_sentence_without_bolding_a_phrase():
    # Quoted as "the closest the article comes", a bold phrase would claim to be the answer.
    index = ArticleIndex(STORY)
    question = "How much will the tram line cost?"
    terms = analyze(question)
    sure = reread(STORY, question, rank(index, question, terms))
    best = sure.ranked[0]
    assert best.score >= NEAR_MISS_BELOW and compose(index, question, terms, sure).highlight
    unsure = replace(sure, ranked=[replace(best, score=0.4), *sure.ranked[1:]])
    result = compose(index, question, terms, unsure)
    assert result.near_miss and not result.abstained
    assert "420 million euros" in result.text
    assert result.highlight is None


@pytest.mark.parametrize(
    "question",
    ["Who won the 1998 World Cup?", "What is the boiling point of mercury?"],
)
def test_questions_the_story_does_not_answer_are_declined(question):
    result = answer(ArticleIndex(STORY), question)
    assert result.abstained
    assert result.text == ""


def test_the_reader_can_be_switched_off_for_comparison(seed_index):
    first_pass = answer(seed_index, "How many troops are in Syria?", read=False)
    assert first_pass.ranked[0].sentence == 13
    assert first_pass.highlight is None


#: The shipped models, reading every stage whatever the reader says.
ALWAYS = replace(shipped_reader_models(), early={})


class CountingReader(Reader):
    """The shipped reader, counting the sentences it is given."""

    def __init__(self) -> None:
        super().__init__()
        self.sentences_read = 0

    def read(self, question, sentences, before):
        self.sentences_read += len(sentences)
        return super().read(question, sentences, before)


@pytest.mark.parametrize(
    ("question", "read", "best"),
    [
        # The first pass's best is a sure answer: nothing else is read.
        ("How many troops are in Syria?", STAGES[0], 13),
        # Not sure of the first alone, sure of the best of the first 4.
        ("How many US troops are in Syria now?", STAGES[1], 13),
    ],
)
def test_a_sure_answer_is_taken_without_reading_on(seed_index, question, read, best):
    first = rank(seed_index, question)
    staged = reread(seed_index.article, question, first)
    always = reread(seed_index.article, question, first, models=ALWAYS)
    assert len(staged.logits) == read
    assert len(always.logits) == READ
    assert staged.ranked[0].sentence.number == always.ranked[0].sentence.number == best
    assert staged.answers and always.answers


def test_an_unsure_question_reads_on_as_if_it_always_read_eight(seed_index):
    question = "What did critics say?"
    first = rank(seed_index, question)
    staged = reread(seed_index.article, question, first)
    always = reread(seed_index.article, question, first, models=ALWAYS)
    assert len(staged.logits) == READ
    assert staged.answers == always.answers
    # Read in three calls rather than one, the int8 model quantises each call's activations
    # on their own range, so the figures may differ in the last places.
    assert staged.confidence == pytest.approx(always.confidence, abs=0.02)
    assert staged.ranked[0].sentence == always.ranked[0].sentence


def test_a_question_the_article_shares_nothing_with_is_declined_unread(seed_index):
    question = "Who will fill the vacuum?"
    ranking = reread(seed_index.article, question, rank(seed_index, question))
    assert ranking.logits == {}
    assert not ranking.answers
    assert answer(seed_index, question).abstained


def test_what_a_glance_read_is_not_read_again():
    question = "How much will the tram line cost?"
    index = ArticleIndex(STORY)
    first = rank(index, question)
    reader = CountingReader()
    glance = reread(STORY, question, first, depth=3, models=ALWAYS, reader=reader)
    assert reader.sentences_read == 3
    whole = reread(STORY, question, first, models=ALWAYS, reader=reader, known=glance)
    assert reader.sentences_read == len(whole.logits) == len(STORY.sentences)
    assert STORY.sentences[whole.ranked[0].sentence.number - 1].text.startswith(
        "The line will cost"
    )


def test_a_library_winner_sure_from_its_glance_is_not_read_on():
    # A library question glances at each candidate's best sentence; a sure one is the answer.
    question = "How much will the tram line cost?"
    first = rank(ArticleIndex(STORY), question)
    reader = CountingReader()
    glance = reread(STORY, question, first, depth=1, reader=reader)
    whole = reread(STORY, question, first, reader=reader, known=glance)
    assert reader.sentences_read == len(whole.logits) == 1
    assert whole.answers
    assert STORY.sentences[whole.ranked[0].sentence.number - 1].text.startswith(
        "The line will cost"
    )
