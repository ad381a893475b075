"""Lighthouse SEO score and layout shift (CLS) of each demo municipality's home and one service page.

.venv/bin/python -m bench.lighthouse [--port 8771] [--desktop]

Seeds the demo (``seed_demo``: Gera, Wurzen, Augustusburg) in a dedicated bench database, serves it with
gunicorn and runs Lighthouse from npm (``node_modules/.bin/lighthouse``, installed by ``make install``)
offline against Debian's Chromium (``CHROME_PATH``), headless. Lighthouse's default is a throttled
mobile run; ``--desktop`` uses its desktop preset. Goals: SEO ≥ 95 and CLS < 0.1 on every page.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
from dataclasses import dataclass

from bench.harness import PROJECT_ROOT, django_ready, gunicorn_start, gunicorn_stop
from bench.report import record

LIGHTHOUSE = PROJECT_ROOT / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-dev-shm-usage"
SEO_GOAL = 95
CLS_GOAL = 0.1


@dataclass(frozen=True)
class Figures:
    url: str
    seo: int
    cls: float
    failed_seo_audits: tuple[str, ...]

    def line(self) -> str:
        verdict = "ok" if self.seo >= SEO_GOAL and self.cls < CLS_GOAL else "MISSED"
        failed = f"   failed: {', '.join(self.failed_seo_audits)}" if self.failed_seo_audits else ""
        return f"{self.url:<58} SEO {self.seo:3d}   CLS {self.cls:.3f}   {verdict}{failed}"


def lighthouse(url: str, *, desktop: bool) -> Figures:
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} is missing: run `make install` (npm ci) first.")
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        "--output-path=stdout",
        "--only-categories=seo,performance",
        f"--chrome-flags={CHROME_FLAGS}",
        "--quiet",
        *(["--preset=desktop"] if desktop else []),
    ]
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
    if result.returncode != 0:
        raise SystemExit(f"lighthouse failed on {url} (exit {result.returncode}):\n{result.stderr[-2000:]}")
    report = json.loads(result.stdout)
    seo = report["categories"]["seo"]
    failed = tuple(
        ref["id"]
        for ref in seo["auditRefs"]
        if ref["weight"] > 0 and (report["audits"][ref["id"]].get("score") or 0) < 1
    )
    return Figures(
        url=url,
        seo=round(seo["score"] * 100),
        cls=float(report["audits"]["cumulative-layout-shift"]["numericValue"]),
        failed_seo_audits=failed,
    )


def _demo_pages() -> list[tuple[str, str]]:
    """(host, path) of the home page and the first adopted service of each demo municipality."""
    from demo.seed import DEMO_MUNICIPALITIES

    return [
        (demo.domain, path)
        for demo in DEMO_MUNICIPALITIES
        for path in ("/", f"/leistungen/{next(iter(demo.services))}/")
    ]


def main() -> list[Figures]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8771)
    parser.add_argument("--desktop", action="store_true", help="Lighthouse's desktop preset instead of mobile")
    args = parser.parse_args()

    os.environ["AMTSPLATZ_PORTAL_PORT"] = str(args.port)  # the sites' port, read by the settings
    django_ready("amtsplatz_bench_lighthouse")
    from django.core.management import call_command

    print("Seeding the demo municipalities (seed_demo) …", flush=True)
    call_command("seed_demo", verbosity=0)
    pages = _demo_pages()
    server = gunicorn_start(args.port, pages[0][0], {**os.environ})
    figures = []
    try:
        for number, (host, path) in enumerate(pages, start=1):
            url = f"http://{host}:{args.port}{path}"
            print(f"[{number}/{len(pages)}] lighthouse {url} …", flush=True)
            figures.append(lighthouse(url, desktop=args.desktop))
    finally:
        gunicorn_stop(server)
    mode = "desktop" if args.desktop else "mobile (default throttling)"
    worst_seo, worst_cls = min(item.seo for item in figures), max(item.cls for item in figures)
    lines = [
        f"Lighthouse {mode}, worst of {len(figures)} pages: SEO {worst_seo}, CLS {worst_cls:.3f} "
        f"(goals SEO ≥ {SEO_GOAL}, CLS < {CLS_GOAL})",
        *[item.line() for item in figures],
    ]
    print("\n".join(lines))
    name = "lighthouse-desktop" if args.desktop else "lighthouse"
    record(name, f".venv/bin/python -m bench.lighthouse{' --desktop' if args.desktop else ''}", lines)
    return figures


if __name__ == "__main__":
    main()
