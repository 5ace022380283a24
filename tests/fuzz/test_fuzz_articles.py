"""Article parsing and the question analyser on any Unicode: never a crash, never lost text."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from hypothesis import given
from hypothesis import strategies as st

from retrieval import ArticleError, QuestionError, analyze, answer, parse_article, spans_intact
from retrieval.sentences import PYSBD_LANGUAGES, covers, split_sentences

#: Text as pasted: prose-like pieces mixed with anything Unicode has, some repeated long.
_pieces = st.sampled_from(
    ["U.S.", "Dr.", " ", "\n", "\r\n", "...", "?!", "“", "”", "1,000.5", "Oct. 7", "a.", "—",
     "м.", "проф.", "।", "ๆ", "ฯ", "การท่าเรือ", "มาเรีย", "।\u200d", "。"]
)  # fmt: skip
_texts = st.one_of(
    st.text(max_size=2_000),
    st.lists(st.one_of(_pieces, st.text(max_size=20)), max_size=300).map("".join),
    st.builds(
        lambda piece, times: piece * times, st.text(min_size=1, max_size=12), st.integers(1, 1_500)
    ),
)


def _parsed(text: str):
    try:
        return parse_article(text)
    except ArticleError:
        return None


@given(_texts)
def test_parsing_never_raises_and_every_span_slices_the_text_exactly(text):
    article = _parsed(text)
    if article is None:
        return
    assert article.sentences
    spans = [(s.start, s.end) for s in article.sentences]
    for sentence in article.sentences:
        assert article.text[sentence.start : sentence.end] == sentence.text
        assert sentence.text and sentence.text == sentence.text.strip()
    assert spans == sorted(spans)
    assert spans_intact(article.text, spans)  # no word of the text is left out


#: pysbd's languages, Thai (CRFCut), others (sentencex), and codes nobody has rules for.
_LANGUAGES = sorted(PYSBD_LANGUAGES | {"th", "uk", "bn", "pt", "km", "xx", "und"})


@given(_texts, st.sampled_from(_LANGUAGES))
def test_every_language_s_rules_split_any_text_leaving_nothing_out(text, language):
    spans = split_sentences(text, language)
    assert covers(text, spans)


@given(st.lists(_texts, min_size=2, max_size=4))
def test_splitting_on_threads_at_once_gives_the_serial_sentences(texts):
    split_sentences.cache_clear()
    serial = [_parsed(t) for t in texts]
    split_sentences.cache_clear()
    with ThreadPoolExecutor(len(texts)) as pool:
        concurrent = list(pool.map(_parsed, texts))
    assert concurrent == serial


@given(st.text(max_size=300))
def test_the_analyser_takes_any_question(question):
    terms = analyze(question)
    assert all(isinstance(t, str) and t for t in terms)


@given(st.text(max_size=600))
def test_any_question_gets_an_answer_from_the_article_or_a_polite_refusal(seed_index, question):
    try:
        result = answer(seed_index, question)
    except QuestionError:
        return
    texts = {s.text for s in seed_index.article.sentences}
    assert all(c.text in texts for c in result.quoted)
    assert result.abstained or result.quoted
