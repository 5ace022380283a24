"""The reader: one pass over ``[CLS] question [SEP] sentence [SEP] context [SEP]`` gives a
relevance logit (does this sentence answer the question?) and, over the sentence's
tokens, where the answer phrase starts and ends.

The context is the sentence before it (its last tokens), so "It rose to 40 %"
can be read with what "it" is; the sentence comes first, so truncation only
ever shortens the context.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from training.bases import MINILM, Base
from training.encoder import HIDDEN, Encoder

MAX_TOKENS = 128
QUESTION_TOKENS = 32
CONTEXT_TOKENS = 24


class Reader(nn.Module):
    def __init__(self, base: Base = MINILM) -> None:
        super().__init__()
        self.base = base
        self.encoder = Encoder(base.layers, base.vocab)
        self.dropout = nn.Dropout(0.1)
        self.relevance = nn.Linear(HIDDEN, 1)
        self.span = nn.Linear(HIDDEN, 2)
        #: The logit of "no sentence here answers": what a candidate must beat.
        self.null = nn.Parameter(torch.zeros(()))

    def forward(
        self, ids: torch.Tensor, types: torch.Tensor, mask: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Relevance (batch,) as a logit against ``null``, start and end logits (batch, length)."""
        return self.from_words(self.encoder.words(ids), types, mask)

    def from_words(
        self, words: torch.Tensor, types: torch.Tensor, mask: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """``forward`` from the word vectors (batch, length, 384) on."""
        states = self.encoder.states(words, types, mask)
        relevance = self.relevance(self.dropout(states[:, 0])).squeeze(-1) - self.null
        start, end = self.span(states).unbind(-1)
        return relevance, start, end


@dataclass
class Pair:
    ids: list[int]
    sentence_from: int  #: first position of the sentence's tokens
    sentence_to: int  #: one past the last


def pair(
    question: np.ndarray, sentence: np.ndarray, context: np.ndarray | None, base: Base = MINILM
) -> Pair:
    """The reader's input for one question and one candidate sentence."""
    CLS, SEP = base.opens, base.separates
    q = [int(t) for t in question[:QUESTION_TOKENS]]
    room = MAX_TOKENS - len(q) - 4
    s = [int(t) for t in sentence[: max(room, 1)]]
    ids = [CLS, *q, SEP, *s, SEP]
    left = MAX_TOKENS - len(ids) - 1
    if context is not None and len(context) and left > 0:
        ids += [int(t) for t in context[-min(CONTEXT_TOKENS, left) :]] + [SEP]
    return Pair(ids, len(q) + 2, len(q) + 2 + len(s))


def batch(pairs: list[Pair]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """ids, token types, attention mask, and a mask of sentence tokens; padded to the longest."""
    width = max(len(p.ids) for p in pairs)
    ids = torch.zeros((len(pairs), width), dtype=torch.long)
    types = torch.zeros_like(ids)
    mask = torch.zeros_like(ids)
    inside = torch.zeros((len(pairs), width), dtype=torch.bool)
    for row, p in enumerate(pairs):
        ids[row, : len(p.ids)] = torch.tensor(p.ids)
        types[row, p.sentence_from : len(p.ids)] = 1
        mask[row, : len(p.ids)] = 1
        inside[row, p.sentence_from : p.sentence_to] = True
    return ids, types, mask, inside
