"""The trained reader as the shipped file: ONNX, int8 weights, its sha256 beside it.

Dynamic int8 quantisation per channel (one scale per output row of each
weight matrix): per-tensor scales lost more top-1 on the prototype. The fp32
ONNX is written to the work folder only, never into the repository.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import torch

from training.evaluate import load_reader

log = logging.getLogger("training")

SHIPPED = "reader-int8.onnx"


class _Inference(torch.nn.Module):
    """The reader without dropout, returning the probability-ready logits."""

    def __init__(self, checkpoint: Path) -> None:
        super().__init__()
        self.reader = load_reader(checkpoint)

    def forward(self, input_ids, token_type_ids, attention_mask):
        return self.reader(input_ids, token_type_ids, attention_mask)


def export(checkpoint: Path, models: Path) -> Path:
    """Write ``models/reader-int8.onnx`` and ``.sha256``; return the file's path."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    work = checkpoint.parent
    fp32 = work / "reader-fp32.onnx"
    module = _Inference(checkpoint).eval()
    example = torch.tensor([[101, 2129, 2116, 102, 2045, 2024, 102]])
    torch.onnx.export(
        module,
        (example, torch.zeros_like(example), torch.ones_like(example)),
        str(fp32),
        input_names=["input_ids", "token_type_ids", "attention_mask"],
        output_names=["relevance", "start", "end"],
        dynamic_axes={
            "input_ids": {0: "batch", 1: "tokens"},
            "token_type_ids": {0: "batch", 1: "tokens"},
            "attention_mask": {0: "batch", 1: "tokens"},
            "relevance": {0: "batch"},
            "start": {0: "batch", 1: "tokens"},
            "end": {0: "batch", 1: "tokens"},
        },
        opset_version=17,
        dynamo=False,
    )
    shipped = models / SHIPPED
    quantize_dynamic(str(fp32), str(shipped), per_channel=True, weight_type=QuantType.QInt8)
    digest = hashlib.sha256(shipped.read_bytes()).hexdigest()
    shipped.with_suffix(".onnx.sha256").write_text(f"{digest}  {SHIPPED}\n")
    log.info("wrote %s (%.1f MB, sha256 %s)", shipped, shipped.stat().st_size / 1e6, digest[:12])
    return shipped
