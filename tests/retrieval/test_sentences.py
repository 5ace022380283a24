import itertools
from concurrent.futures import ThreadPoolExecutor

import pytest

from retrieval import parse_article, spans_intact, split_body
from retrieval.sentences import WINDOW, split_sentences


def sentences(text: str) -> list[str]:
    return [s.text for s in parse_article(text).sentences]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The U.S. is leaving Syria. Officials confirmed it.",
            ["The U.S. is leaving Syria.", "Officials confirmed it."],
        ),
        (
            "Troops returned after Hamas' Oct. 7 attack on Israel. Numbers fell later.",
            ["Troops returned after Hamas' Oct. 7 attack on Israel.", "Numbers fell later."],
        ),
        (
            '"We are leaving. It is over," the official said. Others disagreed.',
            ['"We are leaving. It is over," the official said.', "Others disagreed."],
        ),
        (
            "The letter was signed by J. R. Smith and Mr. Jones. It arrived Monday.",
            ["The letter was signed by J. R. Smith and Mr. Jones.", "It arrived Monday."],
        ),
        (
            "It cost $1.5 billion in Washington, D.C. last year. Prices rose 3.5%.",
            ["It cost $1.5 billion in Washington, D.C. last year.", "Prices rose 3.5%."],
        ),
    ],
)
def test_news_abbreviations_and_quotes_do_not_break_sentences(text, expected):
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        (
            "你们应该支付更高的价格，这样才是公平的。比如 十 倍以上。”",
            ["你们应该支付更高的价格，这样才是公平的。", "比如 十 倍以上。”"],
        ),
        ("他获得了公司奖。 。", ["他获得了公司奖。 。"]),
        ("包括一个用于Linux的实现.。", ["包括一个用于Linux的实现.。"]),
    ],
)
def test_a_stray_closing_mark_stays_with_its_sentence(paragraph, expected):
    """A closing quote or a doubled full stop is no sentence: quoted alone it would answer
    nothing, and the multilingual model found "”" near most questions."""
    assert [paragraph[a:b] for a, b in split_sentences(paragraph, "zh")] == expected


@pytest.mark.parametrize(
    ("language", "paragraph", "expected"),
    [
        (  # English rules cut after "Проф." and "м."
            "uk",
            "Проф. Іваненко з м. Києва назвав рішення запізнілим. Уряд не відповів.",
            ["Проф. Іваненко з м. Києва назвав рішення запізнілим.", "Уряд не відповів."],
        ),
        (  # English rules know no "।": the paragraph was one sentence
            "bn",
            "সরকার ন্যূনতম মজুরি বাড়ানোর ঘোষণা দিয়েছে। এই নিয়ম ১ অক্টোবর থেকে কার্যকর হবে।",
            ["সরকার ন্যূনতম মজুরি বাড়ানোর ঘোষণা দিয়েছে।", "এই নিয়ম ১ অক্টোবর থেকে কার্যকর হবে।"],
        ),
        (  # pysbd's Arabic rules end a sentence at every colon and comma
            "ar",
            "قال الرئيس: «لن نتراجع». وأضاف أن الحكومة، التي تولت السلطة في 2020، ستواصل الإصلاحات.",
            [
                "قال الرئيس: «لن نتراجع».",
                "وأضاف أن الحكومة، التي تولت السلطة في 2020، ستواصل الإصلاحات.",
            ],
        ),
        (  # pysbd's Hindi rules left the closing quote to open the next sentence
            "hi",
            'उन्होंने कहा, "हम पीछे नहीं हटेंगे।" सरकार ने डॉ. शर्मा को नियुक्त किया।',
            ['उन्होंने कहा, "हम पीछे नहीं हटेंगे।"', "सरकार ने डॉ. शर्मा को नियुक्त किया।"],
        ),
        (
            "pt",
            "O Sr. Silva disse que a taxa subiu. O governo não comentou.",
            ["O Sr. Silva disse que a taxa subiu.", "O governo não comentou."],
        ),
        (  # no mark ends a Thai sentence, a space does; and one parts the name from its surname
            "th",
            "มาเรีย โอคาฟอร์ ประธานการท่าเรือ กล่าวว่า เรารับฟังข้อคัดค้านทุกข้อแล้ว "
            "รัฐบาลระดับภูมิภาคจะจ่ายค่าใช้จ่ายสองในสาม",
            [
                "มาเรีย โอคาฟอร์ ประธานการท่าเรือ กล่าวว่า เรารับฟังข้อคัดค้านทุกข้อแล้ว",
                "รัฐบาลระดับภูมิภาคจะจ่ายค่าใช้จ่ายสองในสาม",
            ],
        ),
    ],
)
def test_each_language_is_split_by_rules_that_fit_it(language, paragraph, expected):
    assert [paragraph[a:b] for a, b in split_sentences(paragraph, language)] == expected


def test_thai_paragraphs_split_on_threads_at_once_give_the_serial_sentences():
    """CRFCut's tagger is one per process."""
    texts = [
        f"การท่าเรืออนุมัติท่าเรือแห่งที่ {i} เมื่อวันจันทร์ ชาวประมงในท้องถิ่นคัดค้านแผนนี้อย่างหนัก " * 20
        for i in range(8)
    ]
    split_sentences.cache_clear()
    serial = [split_sentences(t, "th") for t in texts]
    split_sentences.cache_clear()
    with ThreadPoolExecutor(4) as pool:
        concurrent = list(pool.map(lambda t: split_sentences(t, "th"), texts))
    assert concurrent == serial
    assert all(len(spans) >= 20 for spans in serial)


def test_seed_keeps_oct_7_and_us_inside_their_sentences(seed_article):
    texts = [s.text for s in seed_article.sentences]
    assert any("Hamas' Oct. 7 attack on Israel" in t for t in texts)
    assert texts[0].startswith("The U.S. is preparing") and texts[0].endswith("on Wednesday.")


def test_repeated_sentences_get_distinct_spans():
    article = parse_article("No comment. No comment. No comment.")
    starts = [s.start for s in article.sentences]
    assert starts == [0, 12, 24]


LONG_PARAGRAPH = " ".join(
    f"The U.S. council met on Oct. {day} and voted {day} to 3 for the plan, said Dr. Ellis."
    for day in range(1, 41)
)


def test_a_paragraph_longer_than_the_window_splits_as_if_whole():
    assert len(LONG_PARAGRAPH) > WINDOW
    spans = split_sentences(LONG_PARAGRAPH)
    texts = [LONG_PARAGRAPH[start:end] for start, end in spans]
    assert len(texts) == 40
    assert (
        texts[6] == "The U.S. council met on Oct. 7 and voted 7 to 3 for the plan, said Dr. Ellis."
    )
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_a_dense_hostile_paragraph_is_split_into_exact_spans():
    text = "U.S. " * 16_000  # 80 KB of abbreviations: quadratic for pysbd as one piece
    spans = split_sentences(text)
    assert spans and spans[0][0] == 0 and spans[-1][1] == len(text.rstrip())
    assert all(text[start:end].strip() == text[start:end] for start, end in spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def _story(seed: int, sentences: int) -> str:
    return "\n".join(
        " ".join(
            f"Mayor {seed}-{p}-{i} said the U.S. budget for {2000 + i} rose by {i} percent."
            for i in range(10)
        )
        for p in range(sentences // 10)
    )


def test_splitting_on_many_threads_at_once_loses_no_sentence():
    # 400 sentences each: with one segmenter shared by the threads (the old bug) even 100
    # lost sentences in 5 runs of 5.
    texts = [_story(seed, 400) for seed in range(4)]
    split_sentences.cache_clear()
    serial = [parse_article(text).sentences for text in texts]
    split_sentences.cache_clear()
    with ThreadPoolExecutor(4) as pool:
        concurrent = list(pool.map(lambda text: parse_article(text).sentences, texts))
    assert [len(s) for s in concurrent] == [400] * 4
    assert concurrent == serial


def test_stored_spans_that_lost_sentences_are_told_apart_from_whole_ones():
    text = _story(0, 30)
    whole = split_body(text)
    assert spans_intact(text, whole)
    assert not spans_intact(text, whole[:5] + whole[6:])  # one sentence lost
    assert not spans_intact(text, whole[:10] + whole[20:])  # a whole paragraph left empty
    assert not spans_intact(text, [*whole, (len(text), len(text) + 3)])
