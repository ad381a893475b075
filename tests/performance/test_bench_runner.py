"""``make bench`` finds every benchmark module and keeps each one's section of docs/benchmarks.md its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import __main__ as runner
from bench import report


def test_every_benchmark_module_is_found_and_no_helper() -> None:
    names = runner.discover()
    assert {"onboarding", "pages", "routing", "scale", "submit", "adoption"} <= set(names)
    assert not {"harness", "report", "fleet", "__init__", "__main__"} & set(names)
    assert names.index("routing") < names.index("scale") < names.index("adoption")  # the fleet ones last


def test_a_benchmark_rewrites_only_its_own_section(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report, "BENCHMARKS_MD", tmp_path / "benchmarks.md")
    monkeypatch.setattr(report, "machine", lambda: "test machine")
    report.record("routing", "python -m bench.routing", ["ratio 0.90   (goal >= 0.95)"])
    report.record("scale", "python -m bench.scale", ["ratio 0.99   (goal >= 0.95)"])
    report.record("routing", "python -m bench.routing", ["ratio 0.97   (goal >= 0.95)"])
    report.record("summary", "make bench", ["table"], first=True)
    text = (tmp_path / "benchmarks.md").read_text()
    assert text.startswith(report.HEADER)
    assert text.index("bench:summary") < text.index("bench:routing") < text.index("bench:scale")
    assert report.section_lines("routing") == ["ratio 0.97   (goal >= 0.95)"]
    assert "0.90" not in text and text.count("<!-- bench:routing -->") == 1
    assert "- machine: test machine" in text and "- command: `python -m bench.scale`" in text
