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


def _pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"<!-- bench:{re.escape(name)} -->.*?<!-- /bench:{re.escape(name)} -->", re.S)


def section_lines(name: str) -> list[str]:
    """The result lines of section ``name`` as last recorded (empty when there is none)."""
    text = BENCHMARKS_MD.read_text() if BENCHMARKS_MD.exists() else ""
    match = _pattern(name).search(text)
    if match is None:
        return []
    return [line[4:] for line in match.group(0).splitlines() if line.startswith("    ")]


def record(name: str, command: str, lines: list[str], *, first: bool = False) -> None:
    """Replace (or add: at the end, or right after the header when ``first``) the section ``name``."""
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
    pattern = _pattern(name)
    if pattern.search(text):
        text = pattern.sub(lambda _match: body, text)
    elif first and text.startswith(HEADER):
        text = HEADER + "\n" + body + "\n\n" + text[len(HEADER) :].lstrip()
    else:
        text = text.rstrip() + "\n\n" + body
    BENCHMARKS_MD.parent.mkdir(parents=True, exist_ok=True)
    BENCHMARKS_MD.write_text(text.rstrip() + "\n")
