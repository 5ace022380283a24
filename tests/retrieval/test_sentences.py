import pytest

from retrieval import parse_article


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


def test_seed_keeps_oct_7_and_us_inside_their_sentences(seed_article):
    texts = [s.text for s in seed_article.sentences]
    assert any("Hamas' Oct. 7 attack on Israel" in t for t in texts)
    assert texts[0].startswith("The U.S. is preparing") and texts[0].endswith("on Wednesday.")


def test_repeated_sentences_get_distinct_spans():
    article = parse_article("No comment. No comment. No comment.")
    starts = [s.start for s in article.sentences]
    assert starts == [0, 12, 24]
