"""Build a real site from a temporary copy of the project (used by the site and browser tests)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Site:
    """A throw-away project: its own seeds/, content/ and output/, the real plugin and theme."""

    root: Path

    @property
    def seeds(self) -> Path:
        return self.root / "seeds"

    @property
    def output(self) -> Path:
        return self.root / "output"

    @property
    def posts(self) -> Path:
        return self.root / "content" / "digest"

    def build(self, *settings: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run Pelican as the editor's build does; ``settings`` are KEY=JSON overrides."""
        extra = ["-e", *settings] if settings else []  # Pelican keeps only the last -e
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pelican",
                "content",
                "-s",
                "pelicanconf.py",
                "-o",
                "output",
                *extra,
            ],
            cwd=self.root,
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": "random", "COLUMNS": "200"},
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"build failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
            )
        return result

    def invoke(self, *args: str) -> subprocess.CompletedProcess:
        """Run an editor's command (``invoke build`` ...) in this project."""
        return subprocess.run(
            [sys.executable, "-m", "invoke", *args], cwd=self.root, capture_output=True, text=True
        )

    def write_seed(self, name: str, data: str | bytes, sidecar: str | None = None) -> Path:
        path = self.seeds / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            data = data.encode("utf-8")
        path.write_bytes(data)
        if sidecar is not None:
            Path(str(path) + ".meta.toml").write_text(sidecar, encoding="utf-8")
        return path

    def page(self, rel: str) -> str:
        return (self.output / rel).read_text(encoding="utf-8")

    def tree(self) -> dict[str, str]:
        """Every output file and the hash of its bytes."""
        return {
            p.relative_to(self.output).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(self.output.rglob("*"))
            if p.is_file()
        }


def make_site(dest: Path, with_sample_seeds: bool = True) -> Site:
    """Copy what a site needs (settings, theme, plugin, pages) into ``dest``."""
    for name in ("pelicanconf.py", "publishconf.py", "tasks.py"):
        shutil.copy2(ROOT / name, dest / name)
    shutil.copytree(ROOT / "theme", dest / "theme")
    shutil.copytree(
        ROOT / "plugins", dest / "plugins", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(ROOT / "content" / "pages", dest / "content" / "pages")
    shutil.copy2(ROOT / "content" / "entities.toml", dest / "content" / "entities.toml")
    if with_sample_seeds:
        shutil.copytree(ROOT / "seeds", dest / "seeds")
    else:
        (dest / "seeds").mkdir()
    return Site(dest)


def visible_name(element) -> str:
    """An element's text without its visually hidden label (a chip's "Person: ")."""
    return "".join(
        s
        for s in element.find_all(string=True)
        if not any("visually-hidden" in (p.get("class") or []) for p in s.parents)
    ).strip()
