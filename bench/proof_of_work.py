"""How long the browser works on the anti-spam challenge: core/js/pow.js in headless Chromium, per difficulty.

Run: python -m bench.proof_of_work --samples 10
Challenges are signed by the server code (no database needed); the page is served from a route on
http://localhost (a secure context, so SubtleCrypto is available, as on the HTTPS portals).
"""

from __future__ import annotations

import argparse
import os
import statistics

from bench.harness import PROJECT_ROOT
from bench.report import record

SCRIPT = PROJECT_ROOT / "platform" / "amtsplatz" / "core" / "static" / "core" / "js" / "pow.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]


def _challenges(bits: int, samples: int) -> list[str]:
    import secrets

    from django.core import signing

    from participation.antispam import CHALLENGE_SALT

    return [
        signing.dumps({"r": secrets.token_hex(8), "b": bits, "s": "bench"}, salt=CHALLENGE_SALT)
        for _sample in range(samples)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--bits", type=int, nargs="+", default=[12, 14, 16, 18])
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amtsplatz.settings")
    import django

    django.setup()
    from playwright.sync_api import sync_playwright

    lines = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.route("http://localhost/pow", lambda route: route.fulfill(
            content_type="text/html", body=f"<!DOCTYPE html><script>{SCRIPT.read_text()}</script>"))  # fmt: skip
        page.goto("http://localhost/pow")
        for bits in args.bits:
            timings = [
                page.evaluate(
                    "async (c) => { const t = performance.now(); await AmtsplatzProofOfWork.solve(c, "
                    "AmtsplatzProofOfWork.difficulty(c)); return performance.now() - t; }",
                    challenge,
                )
                for challenge in _challenges(bits, args.samples)
            ]
            lines.append(
                f"{bits:2d} bits: median {statistics.median(timings):7.0f} ms, max {max(timings):7.0f} ms"
                f"   ({args.samples} challenges, expected {2**bits:,} hashes each)"
            )
            print(lines[-1], flush=True)
        browser.close()
    record("proof_of_work", f"python -m bench.proof_of_work --samples {args.samples}", lines)


if __name__ == "__main__":
    main()
