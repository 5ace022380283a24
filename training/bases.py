"""The models a reader can be trained from: English MiniLM (shipped) or multilingual-e5-small.

A base is an encoder's shape, its tokeniser and where its weights come from;
the reader on top (training/reader.py), the groups (training/data.py) and the
loop (training/loop.py) are the same for both. ``minilm`` is the shipped
English reader's base; ``e5`` reads about 100 languages (training/e5.py).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from training.encoder import Encoder


@dataclass(frozen=True)
class Base:
    name: str
    layers: int
    vocab: int
    opens: int  #: the id that opens an input ([CLS], ``<s>``)
    separates: int  #: the id between its parts ([SEP], ``</s>``)

    def encode(self, texts: list[str]) -> list[Any]:
        """``tokenizers`` encodings (ids, character offsets), no special tokens."""
        if self.name == "e5":
            from retrieval.e5_words import e5_file

            return e5_file().encode(texts)
        return _minilm_tokenizer().encode_batch(texts, add_special_tokens=False)

    def load(self, encoder: Encoder) -> None:
        """Copy the base's weights into a freshly built encoder."""
        if self.name == "e5":
            encoder.load_e5()
        else:
            encoder.load_base()


@functools.cache
def _minilm_tokenizer():
    from training.data import tokenizer

    return tokenizer()


MINILM = Base("minilm", layers=6, vocab=30522, opens=101, separates=102)
E5 = Base("e5", layers=12, vocab=250037, opens=0, separates=2)
BASES = {base.name: base for base in (MINILM, E5)}
