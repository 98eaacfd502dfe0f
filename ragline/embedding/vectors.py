"""What every backend returns: float32 ``(n, dimension)`` rows, L2-normalised."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


def normalise(vectors: npt.NDArray[Any]) -> Vectors:
    """Each row scaled to length 1 (a zero row stays zero), as float32."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    normalised: Vectors = (vectors / np.maximum(norms, 1e-12)).astype(np.float32)
    return normalised


def no_vectors(dimension: int) -> Vectors:
    """The answer to embedding no texts."""
    return np.zeros((0, dimension), dtype=np.float32)
