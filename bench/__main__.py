"""``make bench``: every benchmark in bench/ with its short defaults, one after the other, then a summary table.

.venv/bin/python -m bench [--only routing,scale]

A benchmark is any module of bench/ that runs as ``python -m bench.<name>`` (it has a ``__main__``
guard) and is not a helper (harness and report have no such guard; fleet has one for its builder).
Each benchmark rewrites its own section of docs/benchmarks.md (figures, date, machine, command); this
runner adds the summary section on top.
Each runs in a process of its own, so one that fails does not stop the others (the exit status tells).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from bench.report import record, section_lines

BENCH_DIR = Path(__file__).resolve().parent
# Cheap ones first; the fleet of 1,000 municipalities (scale, adoption, migrate) last.
ORDER = ("onboarding", "pages", "routing", "submit", "scale", "adoption", "migrate", "tenant_cost")
HELPERS = ("fleet",)


def discover() -> list[str]:
    """Names of the benchmark modules, in a sensible running order."""
    names = [
        path.stem
        for path in BENCH_DIR.glob("*.py")
        if not path.stem.startswith("_")
        and path.stem not in HELPERS
        and 'if __name__ == "__main__":' in path.read_text()
    ]
    return sorted(names, key=lambda name: (ORDER.index(name) if name in ORDER else len(ORDER), name))


def headline(name: str) -> str:
    """The lines of a benchmark's section that state a goal (else its last line)."""
    lines = section_lines(name)
    goals = [line for line in lines if "goal" in line]
    return " | ".join(goals or lines[-1:]) or "(no figures recorded)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", default="", help="comma-separated benchmark names (default: all)")
    args = parser.parse_args()
    names = discover()
    if args.only:
        wanted = {name.strip() for name in args.only.split(",")}
        names = [name for name in names if name in wanted]
    rows: list[tuple[str, str, float]] = []
    for name in names:
        print(f"\n=== bench.{name} ===", flush=True)
        started = time.perf_counter()
        returncode = subprocess.run([sys.executable, "-m", f"bench.{name}"], cwd=BENCH_DIR.parent).returncode
        rows.append((name, "ok" if returncode == 0 else f"FAILED (exit {returncode})", time.perf_counter() - started))

    width = max(len(name) for name, _status, _seconds in rows)
    table = [f"{'benchmark':<{width}}  {'status':<16} {'took':>7}  result"]
    for name, status, seconds in rows:
        result = headline(name) if status == "ok" else "see the output above"
        table.append(f"{name:<{width}}  {status:<16} {seconds:6.0f}s  {result}")
    table.append(f"total: {sum(seconds for _name, _status, seconds in rows):.0f} s")
    print("\n" + "\n".join(table))
    command = f"python -m bench --only {args.only}" if args.only else "make bench"
    record("summary", command, table, first=True)
    if any(status != "ok" for _name, status, _seconds in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
