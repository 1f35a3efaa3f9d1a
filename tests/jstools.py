"""The npm tools the tests use (installed by tests/run.sh into tests/js/node_modules)."""

from __future__ import annotations

from pathlib import Path

NODE_MODULES = Path(__file__).resolve().parent / "js" / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = NODE_MODULES / "lighthouse" / "cli" / "index.js"


def require(path: Path) -> Path:
    """The tool's path; a missing tool fails the test (CI installs them), never skips it."""
    assert path.exists(), f"{path} is missing: run `npm ci --prefix tests/js` (tests/run.sh does)"
    return path
