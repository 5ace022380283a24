"""One article-level BM25: a folder of files and the bot's database pick the same
candidate articles for a question, in the same order."""

from __future__ import annotations

from library.service import Library
from retrieval import ArticleIndex, Shelved, parse_article
from retrieval.collection import ArticleShelf

CHAT = -300
STORIES = [
    "The council approved a tram line to the airport. It will cost 420 million euros.",
    "A bakery in Hollins will close after 90 years. Energy bills doubled the cost of baking.",
    "The river burst its banks after three days of rain. About 400 homes were flooded.",
    "Thieves stole Roman gold coins from the museum. They came in through a skylight.",
    "The marathon was won in a course record. Around 28,000 runners took part in the race.",
    "A new bridge over the river opens in May. The bridge cost 80 million euros to build.",
    "The tram depot will be built next to the airport. Trams will run every six minutes.",
]
QUESTIONS = [
    "How much will the tram to the airport cost?",
    "What happened at the museum?",
    "How many homes did the river flood?",
    "When does the bridge open?",
]


def test_a_folder_and_a_database_choose_the_same_candidates(database):
    """Both backends: PostgreSQL computes the same BM25 in SQL."""
    shelf = ArticleShelf(
        [Shelved(n, ArticleIndex(parse_article(text))) for n, text in enumerate(STORIES, 1)]
    )
    library = Library.open(database)
    try:
        number = {
            library.articles.add(CHAT, text).article_id: n for n, text in enumerate(STORIES, 1)
        }
        for question in QUESTIONS:
            from_folder = [s.key for s in shelf.candidates(question, limit=3)]
            from_database = [number[i] for i in library.asking.candidates(CHAT, question, 3)]
            assert from_folder == from_database, question
            assert from_folder  # every question matches some article
        assert [s.key for s in shelf.candidates(QUESTIONS[0], limit=2)] == [1, 7]
    finally:
        library.close()
