"""Screenshots of the built site: home, a story, an entity page, at phone and desktop
widths, light and dark. Run by `invoke screenshots`; written to screenshots/ (ignored).

    python tests/browser/screenshots.py [OUTPUT_DIR] [SCREENSHOT_DIR]
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chromium import ARGS, CHROMIUM, serve  # noqa: E402

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

    with serve(output) as base, sync_playwright() as p:
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


if __name__ == "__main__":
    main()
