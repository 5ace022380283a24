import pytest

from retrieval.analysis import analyze


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Syria\u2019s forces", "Syria's forces"),  # curly and straight apostrophes
        ("al-Sharaa's government", "al-Sharaa government"),  # possessive
        ("Hamas' attack", "Hamas attack"),  # plural-style possessive
        ("Kurdish-led militias", "Kurdish led militias"),  # hyphenated compounds
        ("fewer than 1,000 troops", "fewer than 1000 troops"),  # thousands separator
        ("Pok\u00e9mon", "Pokemon"),  # accents
        ("\uff11\uff10\uff10\uff10", "1000"),  # full-width digits (NFKC)
        ("officials told", "officials tell"),  # irregular past
        ("withdrawing troops", "withdraw troop"),  # stemming
    ],
)
def test_variants_a_reader_might_type_analyse_the_same(left, right):
    assert analyze(left) == analyze(right)


def test_stop_words_are_dropped_but_acronyms_are_kept():
    assert analyze("What does the U.S. want?") == ["us", "want"]
    assert analyze("What does the US want?") == ["us", "want"]
    assert analyze("what does it want") == ["want"]
    assert analyze("the IT department") == ["it", "depart"]  # capitals: an acronym


def test_question_made_only_of_stop_words_or_emoji_has_no_terms():
    assert analyze("What is it?") == []
    assert analyze("\U0001f600\U0001f680") == []
    assert analyze("") == []


def test_numbers_keep_their_decimals():
    assert analyze("3.5% of 2,500.75") == ["3.5", "2500.75"]
