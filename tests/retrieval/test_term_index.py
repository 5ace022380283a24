"""Choosing candidate articles: article BM25 over the chat's articles, best first."""

from retrieval import TermIndex


def _index() -> TermIndex:
    rows = [
        (1, 7, "tram airport cost council"),
        (2, 7, "tram"),
        (3, 8, "tram tram airport"),  # another chat's: never a candidate for chat 7
        (4, 7, "tram"),  # the same score as article 2: ties go to the older article
        (5, 0, "tram airport"),  # a shared article: every chat sees it
        (6, 7, "flood river levee"),
    ]
    return TermIndex.build(rows)


def test_articles_are_ranked_by_bm25_among_the_chats_and_shared_ones():
    index = _index()
    assert index.search((0, 7), ["tram", "airport"], 10) == [5, 1, 2, 4]
    assert sorted(index.search((0, 8), ["tram", "airport"], 10)) == [3, 5]


def test_the_limit_keeps_the_best_and_breaks_ties_by_age():
    index = _index()
    full = index.search((0, 7), ["tram"], 10)
    for limit in range(1, len(full) + 1):
        assert index.search((0, 7), ["tram"], limit) == full[:limit]
    assert index.search((0, 7), ["tram"], 2) == [2, 4]  # short "tram" articles score best


def test_words_no_article_holds_match_nothing():
    assert _index().search((0, 7), ["volcano"], 5) == []


def test_an_article_analysed_again_is_found_by_its_new_terms_only():
    index = _index()
    index.replace(6, 7, "flood river levee".split(), {"lũ": 2, "sông": 1})
    assert index.search((0, 7), ["flood"], 5) == []
    assert index.search((0, 7), ["sông"], 5) == [6]
    once = index.to_bytes()
    index.replace(6, 7, "flood river levee".split(), {"lũ": 2, "sông": 1})  # a replica replays it
    assert index.to_bytes() == once
    assert index.search((0, 7), ["tram"], 10) == _index().search((0, 7), ["tram"], 10)
