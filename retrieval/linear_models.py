"""Linear models over named evidence columns, as the shipped rankers and abstainers store them.

They are plain numbers in JSON (``models/ranker.json``, ``models/reader.json``)
so that a change of weights is a readable diff, and the runtime needs no
learning library.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True, eq=False)
class LinearModel:
    """``features . weights + bias`` over named columns."""

    features: tuple[str, ...]
    weights: np.ndarray
    bias: float

    def score(self, rows: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
        columns = [names.index(f) for f in self.features]
        return rows[:, columns] @ self.weights + self.bias

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "weights": [round(float(w), 6) for w in self.weights],
            "bias": round(self.bias, 6),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LinearModel:
        return cls(tuple(data["features"]), np.array(data["weights"], float), float(data["bias"]))


def regime(mode: str, *, short: bool) -> str:
    """The key of the abstainer for ``mode`` and an article of this size."""
    return f"{mode}, short" if short else mode


def sigmoid(x: np.ndarray) -> np.ndarray:
    """Log-odds to probability: the abstainer's scores are logistic."""
    return 1.0 / (1.0 + np.exp(-x))
