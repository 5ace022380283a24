"""Articles: plain text in, numbered paragraphs and sentences with exact spans out.

An article file is UTF-8 text with one paragraph per line (blank lines are
ignored). An optional leading ``---`` block of ``key: value`` lines gives the
metadata that citations show (``title``, ``source``, ``url``, ``published``);
a file without it is used as is, and nothing is made up for what it lacks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from retrieval.errors import ArticleError
from retrieval.language import detect
from retrieval.sentences import covers, split_sentences

#: Largest article accepted, in bytes. News stories are 5-50 kB; a file this big
#: is almost certainly not one, and indexing it would stall whoever asked.
MAX_ARTICLE_BYTES = 2_000_000

METADATA_KEYS = ("title", "source", "url", "published")

_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(?P<block>.*?)^---[ \t]*(?:\r?\n|\Z)", re.S | re.M)
_PARAGRAPH = re.compile(r"[^\r\n]+")


@dataclass(frozen=True)
class Sentence:
    """One sentence, addressable by the number a citation shows."""

    number: int  #: 1-based position in the article, in document order
    paragraph: int  #: 1-based paragraph number
    start: int  #: character offset in ``Article.text``
    end: int  #: offset one past the last character
    text: str


@dataclass(frozen=True)
class Article:
    """An article's body text, metadata and sentence structure; never changes once built."""

    name: str  #: where it came from (file name or library id), for messages
    text: str  #: the body, after front matter; sentence spans index into it
    sentences: tuple[Sentence, ...]
    paragraph_spans: tuple[tuple[int, int], ...]
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None

    @cached_property
    def language(self) -> str:
        """The body's language code (retrieval/language.py), read once when first asked."""
        return detect(self.text)

    def sentence(self, number: int) -> Sentence:
        """Sentence by its 1-based number; ``IndexError`` outside ``1..len``."""
        if not 1 <= number <= len(self.sentences):
            raise IndexError(f"sentence {number} is not in 1..{len(self.sentences)}")
        return self.sentences[number - 1]

    def paragraph_text(self, number: int) -> str:
        start, end = self.paragraph_spans[number - 1]
        return self.text[start:end]

    def paragraph_sentences(self, number: int) -> tuple[Sentence, ...]:
        return tuple(s for s in self.sentences if s.paragraph == number)


def parse_article(text: str, *, name: str = "<text>", **metadata: str | None) -> Article:
    """Build an article from text; front matter is read, keyword metadata overrides it."""
    text = text.lstrip("\ufeff")
    found, body = _split_front_matter(text, name)
    for key, value in metadata.items():
        if key not in METADATA_KEYS:
            raise TypeError(f"unknown article metadata {key!r}")
        if value:
            found[key] = value
    sentences, paragraph_spans = _split(body)
    return _assemble(name, body, sentences, paragraph_spans, found)


def split_body(text: str) -> list[tuple[int, int]]:
    """The sentence spans ``parse_article`` finds in a body (no front matter read)."""
    return [(s.start, s.end) for s in _split(text)[0]]


def _split(body: str) -> tuple[list[Sentence], list[tuple[int, int]]]:
    """Paragraphs, and their sentences by the rules of the body's language."""
    language = detect(body)
    paragraph_spans: list[tuple[int, int]] = []
    sentences: list[Sentence] = []
    for match in _PARAGRAPH.finditer(body):
        if not match.group().strip():
            continue
        paragraph_spans.append(match.span())
        for start, end in split_sentences(match.group(), language):
            sentences.append(
                Sentence(
                    number=len(sentences) + 1,
                    paragraph=len(paragraph_spans),
                    start=match.start() + start,
                    end=match.start() + end,
                    text=match.group()[start:end],
                )
            )
    return sentences, paragraph_spans


def rebuild_article(
    text: str,
    sentence_spans: list[tuple[int, int]],
    *,
    name: str,
    **metadata: str | None,
) -> Article:
    """Rebuild an article from its body and stored sentence spans, skipping the splitter.

    Stores keep the spans ``parse_article`` found, because sentence splitting is
    the one expensive step of indexing; paragraphs are cheap to find again.
    """
    paragraph_spans = [m.span() for m in _PARAGRAPH.finditer(text) if m.group().strip()]
    sentences = []
    paragraph = 0
    for number, (start, end) in enumerate(sentence_spans, start=1):
        while paragraph < len(paragraph_spans) and paragraph_spans[paragraph][1] <= start:
            paragraph += 1
        if paragraph == len(paragraph_spans) or not 0 <= start < end <= len(text):
            raise ArticleError(f"{name}: stored sentence {number} does not fit the text")
        sentences.append(Sentence(number, paragraph + 1, start, end, text[start:end]))
    return _assemble(name, text, sentences, paragraph_spans, metadata)


def spans_intact(text: str, sentence_spans: list[tuple[int, int]]) -> bool:
    """Whether stored spans are a whole split of ``text``: every paragraph's words fall in
    its sentences. Spans stored while splitting was not thread-safe lost sentences (and
    left paragraphs empty); those fail here, and are split again from the intact text."""
    cursor = 0
    for match in _PARAGRAPH.finditer(text):
        if not match.group().strip():
            continue
        start, end = match.span()
        mine = []
        while cursor < len(sentence_spans) and sentence_spans[cursor][0] < end:
            first, last = sentence_spans[cursor]
            mine.append((first - start, last - start))
            cursor += 1
        if not mine or not covers(match.group(), mine):
            return False
    return cursor == len(sentence_spans)


def _assemble(
    name: str,
    text: str,
    sentences: list[Sentence],
    paragraph_spans: list[tuple[int, int]],
    metadata: Mapping[str, str | None],
) -> Article:
    """The article, refused when it has no sentence: nothing could answer from it."""
    if not sentences:
        raise ArticleError(f"{name}: the article has no text to answer from")
    return Article(
        name=name,
        text=text,
        sentences=tuple(sentences),
        paragraph_spans=tuple(paragraph_spans),
        **{k: v for k, v in metadata.items() if v},
    )


def article_paths(folder: Path) -> list[Path]:
    """The ``.txt``/``.md`` article files in ``folder``, sorted by name so numbering is stable."""
    return sorted(p for p in Path(folder).iterdir() if p.suffix in {".txt", ".md"} and p.is_file())


def load_article(path: str | Path) -> Article:
    """Read an article file, turning every way a file can be unusable into ``ArticleError``."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise ArticleError(
                f"{path}: the file is {size:,} bytes; articles are limited to "
                f"{MAX_ARTICLE_BYTES:,} bytes"
            )
        # The size on disk says nothing for /dev/zero, a pipe or a growing file: read one
        # byte past the cap and no further.
        with path.open("rb") as file:
            raw = file.read(MAX_ARTICLE_BYTES + 1)
        if len(raw) > MAX_ARTICLE_BYTES:
            raise ArticleError(
                f"{path}: more than {MAX_ARTICLE_BYTES:,} bytes; articles are limited to "
                f"{MAX_ARTICLE_BYTES:,} bytes"
            )
    except FileNotFoundError:
        raise ArticleError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ArticleError(f"{path}: is a directory, not an article file") from None
    except OSError as error:
        raise ArticleError(f"{path}: cannot be read ({error.strerror or error})") from None
    return parse_article(decode_article_bytes(raw, str(path)), name=path.name)


def decode_article_bytes(raw: bytes, name: str) -> str:
    """Decode UTF-8 article bytes, refusing binary data and other encodings by name."""
    if b"\x00" in raw:
        raise ArticleError(f"{name}: looks like a binary file, not UTF-8 text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArticleError(
            f"{name}: is not UTF-8 text (bad byte at offset {error.start}); "
            "save it as UTF-8 and try again"
        ) from None


def _split_front_matter(text: str, name: str) -> tuple[dict[str, str], str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    found: dict[str, str] = {}
    for number, line in enumerate(match.group("block").splitlines(), start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if not sep or key not in METADATA_KEYS:
            raise ArticleError(
                f"{name}: line {number} of the front matter should be one of "
                f"{', '.join(k + ': ...' for k in METADATA_KEYS)}"
            )
        value = value.strip().strip("\"'")
        if value:
            found[key] = value
    return found, text[match.end() :]
