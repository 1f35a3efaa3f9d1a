"""Lighthouse scores of the built sample site: home page and a story page.

    python benchmarks/lighthouse.py            # mobile (Lighthouse's default) and desktop

Builds the sample seeds with SITEURL set to the local server's address (as a
published site has it, so canonical links and robots.txt are real), serves the
site on localhost, and runs Lighthouse 12.8.2 (tests/js; pinned: 13 needs a newer
Node) with Debian's Chromium. Prints each category's score out of 100. Scores, not
a test: Lighthouse's performance figure moves with the load on this shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from chromium import ARGS, CHROMIUM, serve  # noqa: E402
from jstools import LIGHTHOUSE, require  # noqa: E402
from sitebuild import make_site  # noqa: E402

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = {
    "home": "/",
    "story": "/stories/us-will-have-no-military-cooperation-with-russia-in-syria-mattis/",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lighthouse(url: str, form_factor: str, out: Path) -> dict[str, int]:
    command = [
        "node",
        str(require(LIGHTHOUSE)),
        url,
        f"--chrome-flags={' '.join(['--headless=new', *ARGS])}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={out}",
        "--quiet",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM})
    report = json.loads(out.read_text(encoding="utf-8"))
    return {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--form-factor", choices=["mobile", "desktop"], action="append")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        site = make_site(Path(tmp))
        site.build(f'SITEURL="http://127.0.0.1:{port}"')
        with serve(site.output, port=port) as base:
            for form_factor in args.form_factor or ["mobile", "desktop"]:
                for name, path in PAGES.items():
                    scores = lighthouse(base + path, form_factor, Path(tmp) / "report.json")
                    low = [c for c, s in scores.items() if s < 95]
                    figures = ", ".join(f"{c} {s}" for c, s in scores.items())
                    verdict = "below 95: " + ", ".join(low) if low else "all ≥ 95"
                    print(f"{form_factor:>7} {name:<5} {figures} ({verdict})")


if __name__ == "__main__":
    main()
