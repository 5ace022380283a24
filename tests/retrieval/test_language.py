"""Every article and question has a language, named by its code."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrieval import detect_language, parse_article
from retrieval.language import question_language, script
from tests.cli import run_retrieval


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("How many troops are in Syria now?", "en"),
        ("¿Cuánto costará el nuevo tranvía de la ciudad?", "es"),
        ("Wie viel kostet die neue Straßenbahn der Stadt?", "de"),
        ("Сколько будет стоить новый трамвай?", "ru"),
        ("托马斯·戴维斯有多少次迫使掉球？", "zh"),  # py3langid says "wuu": folded into zh
        ("Quanto custará o novo bonde da cidade?", "pt"),
        ("واش كاين شي جديد؟", "ar"),  # py3langid says "ary" (Moroccan): folded into ar
        ("12:30 — 4,5 %", "und"),
    ],
)
def test_questions_are_named_their_language(text, code):
    assert detect_language(text) == code


def test_an_article_knows_its_language_from_its_body():
    article = parse_article(
        "El ayuntamiento aprobó el martes una nueva línea de tranvía. "
        "Costará 420 millones de euros, dijo la alcaldesa.",
        title="Tranvía aprobado",
    )
    assert article.language == "es"


def test_ask_json_names_the_article_s_and_the_question_s_language():
    data = json.loads(run_retrieval("ask", "--json", "¿Cuántas tropas hay en Siria?").stdout)
    assert data["source"]["language"] == "en"
    assert data["question_language"] == "es"


def test_a_question_s_language_is_as_sure_as_its_varieties_together():
    # Mandarin 0.51, Wu 0.27, Cantonese 0.21: one analyser reads them all.
    language, probability = question_language("工程要花多少钱？")
    assert language == "zh" and probability > 0.99


@given(st.text(max_size=300))
def test_any_text_gets_a_code(text):
    code = detect_language(text)
    assert isinstance(code, str) and 2 <= len(code) <= 3 and code.isascii()


@pytest.mark.parametrize(
    ("text", "written_in"),
    [
        ("How many troops are in Syria now?", "LATIN"),
        ("¿Cuánto costará el nuevo tranvía?", "LATIN"),
        ("Сколько будет стоить новый трамвай?", "CYRILLIC"),
        ("工程要花多少钱？", "CJK"),
        ("كم ستبلغ تكلفة البناء؟", "ARABIC"),
        ("12:30 — 4,5 %", ""),
    ],
)
def test_a_question_s_script_is_the_one_most_of_its_letters_are_in(text, written_in):
    """What the cross-language abstainer weighs: Spanish and English share one."""
    assert script(text) == written_in


@given(st.text(max_size=300))
def test_any_text_gets_a_script(text):
    assert isinstance(script(text), str)
