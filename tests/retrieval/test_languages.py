"""Articles in other languages are analysed in their own language: stop words, stems,
and character pairs for scripts without spaces; English is analysed as it always was."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrieval import ArticleIndex, answer, parse_article, question_terms
from retrieval.analysis import analyze
from retrieval.answer_types import DATE, NUMBER, AnswerType, answer_type
from retrieval.cues import CUE_NAMES, QuestionCues
from retrieval.language import question_languages

TRANVIA = (
    "El ayuntamiento aprobó el martes una nueva línea de tranvía para la ciudad. "
    "Los tranvías costarán 420 millones de euros, dijo la alcaldesa. "
    "Las obras empezarán en marzo de 2027 y durarán cuatro años."
)


def test_a_question_s_inflection_finds_the_article_s_in_spanish():
    # "costará" (will cost) and "costarán" (they will cost) share a stem; "el" is no term.
    assert analyze("¿Cuánto costará el tranvía?", "es") == ["cost", "tranvi"]
    assert "cost" in analyze("Los tranvías costarán 420 millones.", "es")


def test_russian_function_words_are_stop_words():
    assert analyze("Где больше не применяют телесные наказания?", "ru") == [
        "применя",
        "телесн",
        "наказан",
    ]


def test_a_russian_adjective_s_forms_share_one_stem():
    # "й" folded to "и" made "футбольный" "футбольныи", stemmed "футбольны", never
    # "футбольн" as "футбольная" (football's) is.
    assert analyze("футбольный футбольной футбольная футбольные", "ru") == ["футбольн"] * 4


def test_chinese_is_cut_into_words():
    # "迫使" (forced) and "掉球" (fumbles) are words; pairs also made "次迫" and "使掉".
    assert analyze("几次迫使掉球", "zh") == ["几次", "迫使", "掉球"]


def test_japanese_is_cut_into_character_pairs():
    assert analyze("首都東京", "ja") == ["首都", "都東", "東京"]


def test_hindi_words_keep_their_vowel_signs():
    # Split at its vowel signs, "राष्ट्रपति" (president) was "र" and "षटरपत", and "ने",
    # "कि" (function words) were "न", "क": matched everywhere, never dropped.
    assert analyze("राष्ट्रपति ने कहा कि सेना लौटेगी।", "hi") == ["राष्ट्रपत", "सेन", "लौट"]


def test_vietnamese_keeps_its_tones():
    # Folded, "cá" (fish) was the stop word "cả" (all), and "Hà Nội" was lost.
    assert analyze("Cá là món ăn của Hà Nội.", "vi") == ["cá", "món", "ăn", "hà", "nội"]


def test_thai_is_paired_by_letters_with_their_vowels_and_tones():
    assert analyze("เมือง", "th") == ["เมื", "มือ", "อง"]


def test_a_turkish_name_s_case_ending_is_no_word_of_its_own():
    # "Ankara'da" (in Ankara) is Ankara; "da" and "nin" were terms matching any such name.
    assert analyze("Türkiye'nin başkenti Ankara'da.", "tr") == analyze(
        "Türkiye başkenti Ankara", "tr"
    )


def test_digits_of_every_script_are_one_number():
    assert analyze("في عام ٢٠١٨ قتل ١٬٠٠٠ شخص", "ar") == analyze("في عام 2018 قتل 1000 شخص", "ar")
    assert "2018" in analyze("वर्ष २०१८ में", "hi")


def test_chinese_words_that_are_stop_words_are_dropped():
    # "他们" (they), "是" (is) and "什么" (what) match any article; "球队" (team) does not.
    assert analyze("他们是什么球队", "zh") == ["球队"]


def test_a_spanish_article_answers_a_spanish_question_and_declines_another():
    index = ArticleIndex(parse_article(TRANVIA, title="Tranvía"), semantic=False)
    assert index.article.language == "es"
    cost = answer(index, "¿Cuánto costarán los tranvías?")
    assert cost.ranked[0].text.startswith("Los tranvías costarán 420 millones")
    assert answer(index, "¿Quién ganó la Super Bowl?").abstained


def test_a_question_in_another_language_is_looked_up_in_english_and_in_its_own():
    terms = question_terms("¿Cuánto costarán los tranvías?")
    assert "cost" in terms and "tranvi" in terms
    assert question_terms("How much will the trams cost?") == analyze(
        "How much will the trams cost?"
    )


def test_a_question_the_detector_is_torn_on_is_looked_up_in_both_languages():
    # Named Nepali at 0.42, Hindi at 0.40: a library's Hindi articles are found by its
    # Hindi terms too ("किसने", who, is a Hindi stop word, not a Nepali one).
    question = "परियोजना का विरोध किसने किया?"
    assert question_languages(question) == ["ne", "hi"]
    assert set(analyze(question, "hi")) <= set(question_terms(question))
    # In Latin letters the runner-up is a misread name: one language, as ever.
    assert question_languages("What did Lady Gaga sing?") == ["jv"]


@given(
    st.text(max_size=200),
    st.sampled_from(["es", "de", "ru", "zh", "ja", "hi", "vi", "th", "ar", "xx"]),
)
def test_any_text_in_any_language_gives_terms_without_spaces(text, language):
    assert all(term and not any(c.isspace() for c in term) for term in analyze(text, language))


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (  # German dates and abbreviations end no sentence
            "Am 3. Oktober 2019 kam er an. Die Kosten betrugen ca. 5 Mio. Euro, z. B. für den "
            "Bau. Das ist alles, sagte der Bürgermeister.",
            3,
        ),
        ("В 2019 г. на ул. Тверской открыли кафе. Мэр города был доволен открытием.", 2),
        ("超级碗50是一场美式橄榄球比赛。丹佛野马队击败了卡罗来纳黑豹队！比赛在加州举行。", 3),
    ],
)
def test_sentences_are_split_by_the_rules_of_the_article_s_language(text, sentences):
    article = parse_article(text)
    assert len(article.sentences) == sentences, [s.text for s in article.sentences]


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("¿Cuántos tranvías habrá?", AnswerType.NUMBER),
        ("Wie viel kostet die Linie?", AnswerType.NUMBER),
        ("Сколько будет стоить строительство?", AnswerType.NUMBER),
        ("比赛有多少观众？", AnswerType.NUMBER),
        ("¿Cuándo empiezan las obras?", AnswerType.DATE),
        ("Wann beginnt der Bau?", AnswerType.DATE),
        ("Когда начнётся строительство?", AnswerType.DATE),
        ("Wer hat den Plan abgelehnt?", AnswerType.NAME),
        ("Кто выступил против плана?", AnswerType.NAME),
        ("Quem pagará a obra?", AnswerType.NAME),
        ("कितने लोग मारे गए?", AnswerType.NUMBER),  # Hindi
        ("सेना कब लौटेगी?", AnswerType.DATE),
        ("परियोजना का विरोध किसने किया?", AnswerType.NAME),
        ("Có bao nhiêu người chết?", AnswerType.NUMBER),  # Vietnamese
        ("Khi nào việc xây dựng bắt đầu?", AnswerType.DATE),
        ("Chủ tịch thành phố là ai?", AnswerType.NAME),
        ("มีกี่คน", AnswerType.NUMBER),  # Thai
        ("ใครคัดค้านแผนนี้", AnswerType.NAME),
        ("Πόσοι στρατιώτες έμειναν;", AnswerType.NUMBER),  # Greek
        ("Πότε άρχισαν τα έργα;", AnswerType.DATE),
        ("Câți soldați au rămas?", AnswerType.NUMBER),  # Romanian
        ("Cine a câștigat alegerile?", AnswerType.NAME),
        ("いつ始まりましたか", AnswerType.DATE),  # Japanese
        ("What is AI?", None),  # not Vietnamese "ai" (who)
        ("¿Qué estrella de cine cantó?", None),  # not Romanian "cine" (who)
    ],
)
def test_question_words_of_other_languages_say_what_kind_of_answer_is_wanted(question, kind):
    assert answer_type(question) is kind


def test_dates_in_other_languages_are_recognised_in_sentences():
    for sentence in (
        "Las obras empezarán en marzo.",
        "Строительство начнётся 3 октября.",
        "比赛于2016年2月7日举行。",
        "Lucrările încep în martie.",
        "Τα έργα αρχίζουν στις 3 Μαρτίου.",
        "تبدأ الأعمال في مارس.",
        "निर्माण कार्य मार्च में शुरू होगा।",
    ):
        assert DATE.search(sentence), sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Die Linie kostet 1.000,5 Millionen Euro.",  # German grouping
        "The line costs 1,000.5 million euros.",
        "Линия обойдётся в четыреста миллионов евро.",  # number words only
        "Las obras costarán tres mil millones.",
        "بلغت الكلفة ١٢٠ مليون دولار.",  # Arabic-Indic digits
        "工程耗资三亿元。",
    ],
)
def test_amounts_in_other_languages_and_scripts_are_recognised_in_sentences(sentence):
    assert NUMBER.search(sentence)


def test_a_year_in_arabic_indic_digits_answers_when():
    cues = QuestionCues("متى انسحبت القوات؟").cues("انسحبت القوات في عام ٢٠١٨.", frozenset())
    assert cues[CUE_NAMES.index("offers_date")] == 1.0


def test_words_that_are_also_common_words_are_not_amounts():
    for sentence in ("Il y a un chat dans la maison.", "Um gato está na casa.", "这是一个问题。"):
        assert not NUMBER.search(sentence), sentence
