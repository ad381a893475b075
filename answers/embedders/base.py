"""What every embedder offers."""

from __future__ import annotations

from typing import Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]


class Embedder(Protocol):
    name: str  # stored with every vector: vectors of another model are recomputed, never compared
    dim: int

    def queries(self, texts: list[str]) -> Vectors:
        """Vectors of search questions, shape (len(texts), dim), L2-normalised."""

    def passages(self, texts: list[str]) -> Vectors:
        """Vectors of documents, shape (len(texts), dim), L2-normalised."""


def to_bytes(vectors: Vectors) -> bytes:
    return np.ascontiguousarray(vectors, dtype=np.float32).tobytes()


def from_bytes(data: bytes | memoryview, dim: int) -> Vectors:
    array = np.frombuffer(bytes(data), dtype=np.float32)
    return array.reshape(-1, dim) if array.size else np.zeros((0, dim), dtype=np.float32)
