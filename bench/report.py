"""Writes a benchmark's latest figures into its own section of docs/benchmarks.md."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

from bench.harness import machine

BENCHMARKS_MD = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"
HEADER = (
    "# Benchmarks\n\n"
    "Latest figures, written by the benchmarks themselves (never typed by hand). "
    "Each section names the command that produced it and the machine it ran on.\n"
)


def record(name: str, command: str, lines: list[str]) -> None:
    """Replace (or add) the section ``name`` with the given result lines."""
    text = BENCHMARKS_MD.read_text() if BENCHMARKS_MD.exists() else HEADER
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    body = "\n".join(
        [
            f"<!-- bench:{name} -->",
            f"## {name}",
            "",
            f"- command: `{command}`",
            f"- measured: {stamp}",
            f"- machine: {machine()}",
            "",
            *[f"    {line}" for line in lines],
            f"<!-- /bench:{name} -->",
        ]
    )
    pattern = re.compile(rf"<!-- bench:{re.escape(name)} -->.*?<!-- /bench:{re.escape(name)} -->", re.S)
    text = pattern.sub(lambda _match: body, text) if pattern.search(text) else text.rstrip() + "\n\n" + body
    BENCHMARKS_MD.parent.mkdir(parents=True, exist_ok=True)
    BENCHMARKS_MD.write_text(text.rstrip() + "\n")
