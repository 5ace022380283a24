"""An article as the model reads it: computed once when it is added, kept, never recomputed.

Three readings per sentence feed the ranker (retrieval/features.py):

* **context**: the sentence's tokens as the model reads them *inside its
  passage*, mean-pooled ("late chunking"). "It is much more reactive" then
  carries what "it" is, which a sentence read alone cannot.
* **passage**: the whole passage around the sentence, pooled. A passage is the
  sentence's paragraph; a one-sentence paragraph (most news paragraphs) is
  read with the sentences before and after it instead.
* **tokens**: the sentence read alone, one vector per WordPiece token, for
  late interaction: each question token finds its best match among them, so
  "soldiers" meets "troops" word by word.

Token vectors dominate the size, so they are projected from 384 to 128
dimensions (a PCA basis fitted on news text, ``models/token-projection.npz``,
made by ``python -m training.projection``) and stored as int8 with one
scale per token: about 4.6 kB per sentence. ``to_bytes``/``from_bytes`` give
the stored form; a blob from another model or projection is refused, so the
caller re-embeds instead of ranking with vectors that mean something else.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from retrieval.article import Article
from retrieval.semantic import DIMENSIONS, MAX_TOKENS, SentenceEncoder, TokenStates, unit
from retrieval.stored_arrays import read_archive

PROJECTION_PATH = Path(__file__).resolve().parent / "models" / "token-projection.npz"
#: Tokens a passage may hold, leaving room for [CLS] and [SEP].
PASSAGE_TOKENS = MAX_TOKENS - 2
#: Prose takes about 0.23 tokens a character (two special tokens a sentence included) and
#: is read twice (alone, in its passage): 0.45 a character. An article denser than this is
#: read in packed passages only, and never more than this many tokens a character in all
#: (``_embed_dense``).
DENSE_TOKENS_PER_CHARACTER = 0.4
#: Tokens a passage of dense text holds: shorter readings cost less per token.
DENSE_PASSAGE_TOKENS = 126


@cache
def _projection() -> tuple[np.ndarray, np.ndarray, str]:
    raw = PROJECTION_PATH.read_bytes()
    with np.load(io.BytesIO(raw), allow_pickle=False) as data:
        mean = data["mean"].astype(np.float32)
        basis = np.ascontiguousarray(data["basis"], dtype=np.float32)
    return mean, basis, hashlib.sha256(raw).hexdigest()[:12]


def model_id() -> str:
    """Names the model and projection that made a set of vectors; stored beside them."""
    return f"all-MiniLM-L6-v2-int8+pca{_projection()[1].shape[1]}-{_projection()[2]}"


def project_tokens(states: np.ndarray) -> np.ndarray:
    """Token states (n, 384) to unit vectors in the stored token space (n, 128)."""
    mean, basis, _ = _projection()
    return unit((unit(states) - mean) @ basis)


@dataclass(frozen=True, eq=False)
class ArticleVectors:
    """The stored readings of one article's sentences (see the module docstring)."""

    context: np.ndarray  #: (n, 384) float32, unit rows
    passage: np.ndarray  #: (n, 384) float32, unit rows
    tokens: np.ndarray  #: (T, 128) int8, every sentence's tokens in order
    scales: np.ndarray  #: (T,) float16: token vector = tokens * scale
    token_ids: np.ndarray  #: (T,) uint16 WordPiece ids
    bounds: np.ndarray  #: (n + 1,) int64: sentence i owns tokens bounds[i]:bounds[i + 1]

    @property
    def size(self) -> int:
        return len(self.context)

    def sentence_tokens(self, sentence: int) -> tuple[np.ndarray, np.ndarray]:
        """(ids, vectors) of one 0-based sentence's tokens, vectors as float32."""
        lo, hi = int(self.bounds[sentence]), int(self.bounds[sentence + 1])
        vectors = self.tokens[lo:hi].astype(np.float32) * self.scales[lo:hi, None]
        return self.token_ids[lo:hi], vectors

    def to_bytes(self) -> bytes:
        """The compact stored form: int8 vectors with per-row scales."""
        context, context_scales = _quantize(self.context)
        passage, passage_scales = _quantize(self.passage)
        buffer = io.BytesIO()
        np.savez(
            buffer,
            model=np.frombuffer(model_id().encode(), dtype=np.uint8),
            context=context,
            context_scales=context_scales,
            passage=passage,
            passage_scales=passage_scales,
            tokens=self.tokens,
            scales=self.scales,
            token_ids=self.token_ids,
            bounds=self.bounds,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, blob: bytes, sentences: int) -> ArticleVectors | None:
        """The vectors, or ``None`` when they are from another model or do not fit the article."""
        try:
            data = _arrays(blob)
            if bytes(data["model"]).decode() != model_id():
                return None
            vectors = cls(
                context=data["context"].astype(np.float32) * data["context_scales"][:, None],
                passage=data["passage"].astype(np.float32) * data["passage_scales"][:, None],
                tokens=data["tokens"],
                scales=data["scales"],
                token_ids=data["token_ids"],
                bounds=data["bounds"].astype(np.int64),
            )
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
            return None
        if vectors.size != sentences or int(vectors.bounds[-1]) != len(vectors.tokens):
            return None
        return vectors


def _arrays(blob: bytes) -> dict[str, np.ndarray]:
    """The stored arrays: read in place (``stored_arrays``), or by ``np.load`` for a blob
    that is not laid out as ``np.savez`` writes it."""
    try:
        return read_archive(blob)
    except ValueError:
        with np.load(io.BytesIO(blob), allow_pickle=False) as data:
            return {name: data[name] for name in data.files}


def embed_article(
    article: Article, encoder: SentenceEncoder, *, stop: Callable[[], bool] | None = None
) -> ArticleVectors:
    """Read every sentence alone and within its passage; about 1.5 s for a 30-sentence story.

    ``stop`` (asked between batches) ends it early with ``EmbeddingStopped``.

    Prose takes about one token per four characters. Text far denser in tokens
    ("U.S. U.S. ...", thousands of one-letter sentences, a script with a token
    per character) would cost several times more per character read that way,
    so it is read once, in packed passages only (``_embed_dense``): what an
    article costs to embed follows its length, whatever its punctuation.
    """
    texts = [s.text for s in article.sentences]
    counts = encoder.token_count(texts)
    if sum(counts) + 2 * len(counts) > DENSE_TOKENS_PER_CHARACTER * len(article.text):
        return _embed_dense(article, encoder, counts, stop)
    alone = encoder.token_states(texts, stop=stop)
    token_vectors, scales = _quantize(np.vstack([project_tokens(r.states) for r in alone]))
    bounds = np.cumsum([0] + [len(r.ids) for r in alone])
    context = np.zeros((len(texts), DIMENSIONS), np.float32)
    passage = np.zeros_like(context)
    spans = passages(article, [len(r.ids) - 2 for r in alone])
    readings = encoder.token_states(
        [
            article.text[article.sentences[a].start : article.sentences[b - 1].end]
            for a, b, _ in spans
        ],
        stop=stop,
    )
    for (first, _, owners), reading in zip(spans, readings, strict=True):
        passage_vector = reading.pooled()
        base = article.sentences[first].start
        for i in owners:
            sentence = article.sentences[i]
            inside = _tokens_within(reading, sentence.start - base, sentence.end - base)
            context[i] = reading.pooled(inside) if inside.any() else alone[i].pooled()
            passage[i] = passage_vector
    return ArticleVectors(
        context=context,
        passage=passage,
        tokens=token_vectors,
        scales=scales.astype(np.float16),
        token_ids=np.concatenate([r.ids for r in alone]).astype(np.uint16),
        bounds=bounds.astype(np.int64),
    )


def _embed_dense(
    article: Article,
    encoder: SentenceEncoder,
    lengths: Sequence[int],
    stop: Callable[[], bool] | None,
) -> ArticleVectors:
    """Each sentence's readings taken from one reading of its passage (late chunking), the
    passages packed from whole sentences of a paragraph: every token is read at most once,
    and no more tokens than ``DENSE_TOKENS_PER_CHARACTER`` a character in all. A sentence
    cut off keeps the tokens that were read, and one with none read keeps its passage's
    first ([CLS], the passage as a whole)."""
    spans = _packed(article, lengths)
    # Every token once is still more per character than prose costs when the text is
    # nearly all tokens ("a. a. a."): then each passage is cut to fit the prose budget.
    budget = DENSE_TOKENS_PER_CHARACTER * len(article.text)
    needed = sum(lengths) + 2 * len(spans)
    width = DENSE_PASSAGE_TOKENS + 2
    if needed > budget:
        width = max(8, min(width, int(budget / len(spans))))
    readings = encoder.token_states(
        [article.text[article.sentences[a].start : article.sentences[b - 1].end] for a, b in spans],
        stop=stop,
        max_tokens=width,
    )
    count = len(article.sentences)
    context = np.zeros((count, DIMENSIONS), np.float32)
    passage = np.zeros_like(context)
    ids: list[np.ndarray] = []
    states: list[np.ndarray] = []
    for (first, end), reading in zip(spans, readings, strict=True):
        base = article.sentences[first].start
        for i in range(first, end):
            sentence = article.sentences[i]
            inside = _tokens_within(reading, sentence.start - base, sentence.end - base)
            rows = np.flatnonzero(inside) if inside.any() else np.arange(1)
            ids.append(reading.ids[rows])
            states.append(reading.states[rows])
            context[i] = reading.pooled(rows)
            passage[i] = reading.pooled()
    token_vectors, scales = _quantize(project_tokens(np.vstack(states)))
    return ArticleVectors(
        context=context,
        passage=passage,
        tokens=token_vectors,
        scales=scales.astype(np.float16),
        token_ids=np.concatenate(ids).astype(np.uint16),
        bounds=np.cumsum([0] + [len(i) for i in ids]).astype(np.int64),
    )


def _packed(article: Article, lengths: Sequence[int]) -> list[tuple[int, int]]:
    """``(first, end)`` runs of consecutive sentences of one paragraph, each as many as fit
    in ``DENSE_PASSAGE_TOKENS`` (a longer sentence is a run of its own)."""
    runs: list[tuple[int, int]] = []
    first, used = 0, 0
    for i, sentence in enumerate(article.sentences):
        same_paragraph = i > first and sentence.paragraph == article.sentences[first].paragraph
        if i > first and (not same_paragraph or used + lengths[i] > DENSE_PASSAGE_TOKENS):
            runs.append((first, i))
            first, used = i, 0
        used += lengths[i]
    runs.append((first, len(article.sentences)))
    return runs


def passages(article: Article, lengths: Sequence[int]) -> list[tuple[int, int, list[int]]]:
    """``(first, end, owners)``: sentence ranges to read together, and whose context each gives.

    A paragraph of several sentences is read whole (in windows of whole
    sentences when it exceeds the model's length); a one-sentence paragraph is
    read with its neighbours, dropping the next, then the previous, when too long.
    """
    found: list[tuple[int, int, list[int]]] = []
    count = len(article.sentences)
    for number in range(1, len(article.paragraph_spans) + 1):
        members = [s.number - 1 for s in article.paragraph_sentences(number)]
        if len(members) == 1:
            i = members[0]
            first, end = max(0, i - 1), min(count, i + 2)
            if end - 1 > i and sum(lengths[first:end]) > PASSAGE_TOKENS:
                end = i + 1
            if first < i and sum(lengths[first:end]) > PASSAGE_TOKENS:
                first = i
            found.append((first, end, [i]))
            continue
        window: list[int] = []
        for i in members:
            if window and sum(lengths[window[0] : i + 1]) > PASSAGE_TOKENS:
                found.append((window[0], window[-1] + 1, window))
                window = []
            window.append(i)
        found.append((window[0], window[-1] + 1, window))
    return found


def _tokens_within(reading: TokenStates, start: int, end: int) -> np.ndarray:
    """Mask of the real (non-special) tokens whose characters lie in ``[start, end)``."""
    lo, hi = reading.offsets[:, 0], reading.offsets[:, 1]
    return (hi > lo) & (lo >= start) & (hi <= end)


def _quantize(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 rows and the per-row scale that restores them (max |x| maps to 127)."""
    peak = np.abs(rows).max(axis=1) if len(rows) else np.zeros(0, np.float32)
    scales = np.where(peak > 0, peak / 127.0, 1.0).astype(np.float32)
    return np.round(rows / scales[:, None]).astype(np.int8), scales
