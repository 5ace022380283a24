"""Stored vectors: compact, faithful, refused when they belong to another model or article."""

import io

import numpy as np
import pytest

from retrieval import ArticleIndex, parse_article
from retrieval.errors import EmbeddingStopped
from retrieval.semantic import shared_encoder
from retrieval.vectors import ArticleVectors, embed_article, model_id, passages

#: On one xdist worker: ``seed_vectors`` embeds the whole seed article.
pytestmark = pytest.mark.xdist_group("seed-vectors")


@pytest.fixture(scope="module")
def seed_vectors(seed_index):
    return seed_index.embed_all()


def test_vectors_survive_the_stored_form(seed_article, seed_vectors):
    again = ArticleVectors.from_bytes(seed_vectors.to_bytes(), len(seed_article.sentences))
    assert again is not None
    assert np.min(np.sum(again.context * seed_vectors.context, axis=1)) > 0.999
    assert np.min(np.sum(again.passage * seed_vectors.passage, axis=1)) > 0.999
    ids, tokens = again.sentence_tokens(12)
    assert ids[0] == 101 and ids[-1] == 102  # [CLS] ... [SEP]
    assert np.allclose(np.linalg.norm(tokens, axis=1), 1.0, atol=0.02)


def test_the_stored_form_is_compact(seed_article, seed_vectors):
    per_sentence = len(seed_vectors.to_bytes()) / len(seed_article.sentences)
    # int8 with per-row scales; the seed's sentences are long (about 42 tokens each).
    assert per_sentence < 8_000


def test_vectors_of_another_model_are_refused(seed_article, seed_vectors):
    buffer = io.BytesIO()
    with np.load(io.BytesIO(seed_vectors.to_bytes())) as data:
        arrays = dict(data)
    arrays["model"] = np.frombuffer(b"some-other-model", dtype=np.uint8)
    np.savez(buffer, **arrays)
    assert ArticleVectors.from_bytes(buffer.getvalue(), len(seed_article.sentences)) is None


@pytest.mark.parametrize("blob", [b"", b"not numpy at all", b"PK\x03\x04broken zip"])
def test_damaged_blobs_are_refused_not_raised(seed_article, blob):
    assert ArticleVectors.from_bytes(blob, len(seed_article.sentences)) is None


def test_vectors_that_do_not_fit_the_article_are_refused(seed_vectors):
    assert ArticleVectors.from_bytes(seed_vectors.to_bytes(), 14) is None


def test_the_model_id_names_the_projection():
    assert model_id().startswith("all-MiniLM-L6-v2-int8+pca128-")


def test_one_sentence_paragraphs_are_read_with_their_neighbours():
    article = parse_article(
        "First sentence alone.\nSecond alone too.\nThird one. Fourth one. Fifth one.\nSixth."
    )
    lengths = shared_encoder().token_count([s.text for s in article.sentences])
    found = passages(article, lengths)
    assert found[0] == (0, 2, [0])  # first: itself and the next
    assert found[1] == (0, 3, [1])  # second: the one before and after
    assert found[2] == (2, 5, [2, 3, 4])  # a paragraph of three, read whole
    assert found[3] == (4, 6, [5])  # last: the one before


def test_a_long_paragraph_is_read_in_windows_of_whole_sentences():
    sentence = "The committee examined every detail of the budget proposal once again. "
    article = parse_article(sentence * 30)
    lengths = shared_encoder().token_count([s.text for s in article.sentences])
    found = passages(article, lengths)
    assert len(found) > 1
    assert [i for _, _, owners in found for i in owners] == list(range(30))
    assert all(sum(lengths[a:b]) <= 254 for a, b, _ in found)


def test_a_sentence_read_in_context_knows_what_it_refers_to():
    article = parse_article(
        "Singlet oxygen forms from water during photosynthesis. "
        "It is much more reactive towards organic molecules than ordinary oxygen."
    )
    vectors = embed_article(article, shared_encoder())
    alone = shared_encoder().encode([article.sentences[1].text])[0]
    query = shared_encoder().encode(["How reactive is singlet oxygen?"])[0]
    assert vectors.context[1] @ query > alone @ query


def test_an_index_given_vectors_does_not_embed_again(seed_article, seed_vectors):
    index = ArticleIndex(seed_article, vectors=seed_vectors)
    assert index.has_vectors and index.vectors is seed_vectors


def test_each_question_token_is_found_in_the_paragraphs_that_use_it():
    index = ArticleIndex(parse_article("The tram is new. It runs late.\n\nThe bus is old."))
    index.embed_all()
    tram, bus, zebra = (shared_encoder().token_ids(word)[0] for word in ("tram", "bus", "zebra"))
    found = index.token_paragraphs(np.array([tram, bus, zebra]))
    assert found.tolist() == [[True, False], [False, True], [False, False]]


def test_embedding_asked_to_stop_keeps_nothing(seed_article):
    index = ArticleIndex(seed_article)
    with pytest.raises(EmbeddingStopped):
        index.embed_all(stop=lambda: True)
    assert not index.has_vectors


class _CountingEncoder:
    """The shipped encoder, counting the tokens the model is given to read."""

    def __init__(self) -> None:
        self.encoder = shared_encoder()
        self.tokens = 0

    def token_count(self, texts):
        return self.encoder.token_count(texts)

    def token_states(self, texts, **options):
        readings = self.encoder.token_states(texts, **options)
        self.tokens += sum(len(r.ids) for r in readings)
        return readings


@pytest.mark.parametrize(
    "text",
    ["U.S. " * 2_000, "a. " * 2_000, "Ja. Nein. " * 800],
    ids=["no-sentence-end", "one-letter-sentences", "short-sentences"],
)
def test_dense_text_costs_no_more_tokens_per_character_than_prose(text):
    prose = " ".join(
        f"The council said the harbour budget for {2000 + i} would rise by {i} percent."
        for i in range(len(text) // 75)
    )
    costs = []
    for body in (prose, text):
        encoder = _CountingEncoder()
        vectors = embed_article(parse_article(body), encoder)  # type: ignore[arg-type]
        assert vectors.size == len(parse_article(body).sentences)
        costs.append(encoder.tokens / len(body))
    assert costs[1] <= costs[0] * 1.1


def test_dense_text_is_still_answered_by_meaning():
    text = "U.S. " * 600 + "The ferry fare will rise by 12 percent in May."
    index = ArticleIndex(parse_article(text))
    assert index.vectors is not None
    assert index.vectors.size == len(index.article.sentences)
