"""Loading a shipped ONNX model: checked against its sha256, run on the CPU without spinning.

Both models (the embedding model, retrieval/semantic.py; the reader,
retrieval/reader.py) are files whose exact bytes decide every answer, so a
file that is not the expected one is refused rather than silently changing
answers, with a message saying how to get the right one back.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from retrieval.errors import RetrievalError


def verified_session(path: Path, expected_sha256: str | None, what: str, remedy: str) -> Any:
    """An onnxruntime session for ``path`` once its sha256 is ``expected_sha256`` (``None``:
    unchecked, for a file just exported); else ``RetrievalError`` naming ``what`` and ``remedy``."""
    import onnxruntime

    if expected_sha256 is not None:
        check_sha256(path, expected_sha256, what, remedy)
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3  # warnings about unused initialisers are noise
    # Idle workers would spin for a while after each run, taking the cores
    # numpy needs for the rest of the answer (p99 64 ms -> 20 ms without).
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def check_sha256(path: Path, expected: str, what: str, remedy: str) -> None:
    """Refuse a model file that is not the expected one, saying how to get it back."""
    found = hashlib.sha256(path.read_bytes()).hexdigest()
    if found != expected:
        raise RetrievalError(
            f"{path}: the {what} is not the expected file "
            f"(sha256 {found[:12]}..., expected {expected[:12]}...); {remedy}"
        )
