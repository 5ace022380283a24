"""The shared citation vocabulary: markers and article names."""

from __future__ import annotations

import pytest

from retrieval import article_marker, article_name, marker


def test_markers_name_the_sentence_and_in_a_library_the_article():
    assert marker(13) == "[13]"
    assert marker(13, 2) == "[2:13]"
    assert article_marker(2) == "[2]"


@pytest.mark.parametrize(
    ("title", "text", "name"),
    [
        (" Tram  line approved ", "The council voted.", "Tram line approved"),
        (None, "The council voted.", "The council voted."),
        (
            None,
            "The U.S. is preparing for a pullout of all troops stationed in Syria, officials said.",
            "The U.S. is preparing for a pullout of all troops stationed\u2026",
        ),
        (
            None,
            "A bakery in Dunmore won the national bread award on Saturday.\nThe judges praised it.",
            "A bakery in Dunmore won the national bread award on Saturday.",
        ),
        (None, "x" * 100, "x" * 60 + "\u2026"),
    ],
)
def test_an_article_is_named_by_its_title_else_its_lead_cut_at_a_word(title, text, name):
    assert article_name(title, text) == name
