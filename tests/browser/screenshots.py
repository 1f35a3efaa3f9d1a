"""Screenshots of the built site: home, a story, an entity page, at phone and desktop
widths, light and dark. Run by `invoke screenshots`; written to screenshots/ (ignored).

    python tests/browser/screenshots.py [OUTPUT_DIR] [SCREENSHOT_DIR]
"""

from __future__ import annotations

import functools
import http.server
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = {
    "home": "/",
    "story": "/stories/us-will-have-no-military-cooperation-with-russia-in-syria-mattis/",
    "entity": "/people/vladimir-putin/",
}
WIDTHS = {"phone": 390, "desktop": 1280}


def main() -> None:
    root = Path(__file__).resolve().parents[2]
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "output"
    shots = Path(sys.argv[2]) if len(sys.argv) > 2 else root / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(output))
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for scheme in ("light", "dark"):
            for width_name, width in WIDTHS.items():
                context = browser.new_context(
                    viewport={"width": width, "height": 900}, color_scheme=scheme
                )
                page = context.new_page()
                for name, path in PAGES.items():
                    page.goto(base + path)
                    target = shots / f"{name}-{width_name}-{scheme}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target)
                context.close()
        browser.close()
    httpd.shutdown()


if __name__ == "__main__":
    main()
