import os
import threading
from pathlib import Path

import pytest

from retrieval import ArticleError, load_article, parse_article
from retrieval.article import MAX_ARTICLE_BYTES


def test_seed_article_carries_only_known_metadata(seed_article):
    assert seed_article.source == "The Hill"
    assert seed_article.title is None
    assert seed_article.url is None
    assert seed_article.published is None


def test_seed_article_has_numbered_sentences_and_paragraphs(seed_article):
    assert len(seed_article.sentences) == 15
    assert [s.number for s in seed_article.sentences] == list(range(1, 16))
    assert (
        seed_article.sentence(13).text == "Currently, there are fewer than 1,000 troops in Syria."
    )
    assert seed_article.sentence(13).paragraph == 10
    assert len(seed_article.paragraph_spans) == 11


def test_sentence_spans_point_at_the_sentence_text(seed_article):
    for sentence in seed_article.sentences:
        assert seed_article.text[sentence.start : sentence.end] == sentence.text
        start, end = seed_article.paragraph_spans[sentence.paragraph - 1]
        assert start <= sentence.start < sentence.end <= end


def test_plain_file_without_front_matter_works(tmp_path: Path):
    path = tmp_path / "plain.txt"
    path.write_text("First paragraph here.\n\n\nSecond one. It has two sentences.\n", "utf-8")
    article = load_article(path)
    assert [s.paragraph for s in article.sentences] == [1, 2, 2]
    assert article.source is None and article.name == "plain.txt"


def test_front_matter_gives_metadata(tmp_path: Path):
    path = tmp_path / "a.md"
    path.write_text(
        "---\ntitle: Troops leave\nsource: The Hill\nurl: https://example.org/a\n"
        "published: 2026-02-18\n---\nBody sentence.\n",
        "utf-8",
    )
    article = load_article(path)
    assert (article.title, article.source, article.url, article.published) == (
        "Troops leave",
        "The Hill",
        "https://example.org/a",
        "2026-02-18",
    )
    assert article.text == "Body sentence.\n"


def test_unknown_front_matter_key_is_named(tmp_path: Path):
    path = tmp_path / "bad.txt"
    path.write_text("---\ntitel: Oops\n---\nBody.\n", "utf-8")
    with pytest.raises(ArticleError, match=r"bad.txt: line 2 of the front matter"):
        load_article(path)


def test_byte_order_mark_is_ignored(tmp_path: Path):
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeff---\nsource: X\n---\nHello there.\n".encode())
    assert load_article(path).source == "X"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "has no text"),
        (b"\n\n   \n", "has no text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
        ("caf\u00e9 au lait.".encode("latin-1"), "not UTF-8"),
    ],
)
def test_unusable_files_get_a_clear_error_naming_the_file(tmp_path: Path, content, message):
    path = tmp_path / "broken.txt"
    path.write_bytes(content)
    with pytest.raises(ArticleError, match=message) as error:
        load_article(path)
    assert "broken.txt" in str(error.value)


def test_huge_file_is_refused_before_reading(tmp_path: Path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(MAX_ARTICLE_BYTES + 1)
    with pytest.raises(ArticleError, match=r"huge\.txt: the file is .* bytes"):
        load_article(path)


def test_endless_device_is_read_only_up_to_the_cap():
    # /dev/zero reports size 0 and never ends; reading it whole would exhaust memory.
    with pytest.raises(ArticleError, match=r"/dev/zero: more than 2,000,000 bytes"):
        load_article("/dev/zero")


def test_pipe_is_read_only_up_to_the_cap(tmp_path: Path):
    fifo = tmp_path / "stream.txt"
    os.mkfifo(fifo)
    writer = threading.Thread(target=_feed_until_closed, args=(fifo,), daemon=True)
    writer.start()
    with pytest.raises(ArticleError, match="more than 2,000,000 bytes"):
        load_article(fifo)


def _feed_until_closed(fifo: Path) -> None:
    chunk = b"The council met again. " * 4096
    try:
        with fifo.open("wb") as pipe:
            while True:
                pipe.write(chunk)
    except BrokenPipeError:
        pass  # the reader stopped at the cap, as it should


def test_missing_file_and_directory_are_named(tmp_path: Path):
    with pytest.raises(ArticleError, match=r"nope\.txt: no such file"):
        load_article(tmp_path / "nope.txt")
    with pytest.raises(ArticleError, match="is a directory"):
        load_article(tmp_path)


def test_keyword_metadata_overrides_front_matter():
    article = parse_article("---\nsource: A\n---\nText.", source="B", title="T")
    assert (article.source, article.title) == ("B", "T")
