"""What reading and tagging each seed produced, kept between builds.

Reading a seed (HTML extraction above all) and tagging it are the costly per-seed
steps, and both depend only on the seed's bytes, its sidecar, the code and the
vocabulary. The cache maps a key of the bytes to the pickled :class:`Seed` (valid
while the reading code and settings are the same: ``reader_version``) and to the
pickled tagger analysis (valid while the tagging code, its data and the editor's
vocabulary are the same: ``vocabulary_version``). Entries are kept pickled, so
every build unpickles fresh objects that the corpus pass may change freely.

The cache is one file, replaced atomically. A missing, truncated or corrupted file
is not an error: the build warns and reads and tags every seed again.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Any

from .files import load_state, save_state

logger = logging.getLogger(__name__)

FORMAT = 2


def code_version(*paths: Path, extra: str = "") -> str:
    """A digest of source and data files (sorted by name) and ``extra`` settings."""
    digest = hashlib.sha256(extra.encode("utf-8"))
    for path in sorted(paths):
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()


PACKAGE = Path(__file__).resolve().parent


def reader_version(settings: Mapping[str, Any]) -> str:
    """What reading a seed depends on besides its bytes: the reader and its settings.
    trafilatura's version from its metadata: importing it costs 0.4 s."""
    keys = ("DIGEST_TEXT_EXTENSIONS", "DIGEST_HTML_EXTENSIONS", "DIGEST_SIDECAR_SUFFIX")
    values = [settings[k] for k in (*keys, "DIGEST_MAX_SEED_BYTES")]
    return code_version(PACKAGE / "seeds.py", extra=repr([*values, version("trafilatura")]))


def vocabulary_version(vocabulary_text: str) -> str:
    """What tagging depends on besides the seed: the tagger, its data, the editor's vocabulary."""
    entities = PACKAGE / "entities"
    files = [*entities.glob("*.py"), *(entities / "data").glob("*.t*")]
    return code_version(*files, extra=vocabulary_text)


def seed_key(rel: str, data: bytes, sidecar: bytes) -> str:
    """The cache key of one seed: its path (which decides its type), bytes and sidecar."""
    digest = hashlib.sha256(rel.encode("utf-8"))
    for part in (data, sidecar):
        digest.update(b"\0%d\0" % len(part))
        digest.update(part)
    return digest.hexdigest()


@dataclass
class TagCache:
    """Pickled seeds and analyses by seed key, for one reader and vocabulary version."""

    reader_version: str
    vocabulary_version: str
    seeds: dict[str, bytes] = field(default_factory=dict)
    analyses: dict[str, bytes] = field(default_factory=dict)
    # What each post was rendered from -> its Generator_hash (see posts.render_key).
    posts: dict[str, str] = field(default_factory=dict)
    # Seed path -> (stamps of the seed and its sidecar, its key): a seed whose stat is
    # unchanged is not read again to find its key (see files.stat_stamp).
    stats: dict[str, tuple] = field(default_factory=dict)
    changed: bool = False

    def keep_only(self, keys: set[str]) -> None:
        """Forget seeds that are gone, so the cache never outgrows the seeds folder."""
        for table in (self.seeds, self.analyses):
            for key in [k for k in table if k not in keys]:
                del table[key]
                self.changed = True


def load(path: Path, reader_version: str, vocabulary_version: str) -> TagCache:
    """The cache at ``path``, with entries of other versions dropped. Never raises:
    an unreadable cache is reported and replaced by an empty one."""
    stored = load_state(
        path,
        FORMAT,
        ("seeds", "analyses", "posts"),
        "tag cache",
        "re-reading and re-tagging every seed",
    )
    if stored is None:
        return TagCache(reader_version, vocabulary_version, changed=True)
    seeds, analyses, posts = stored["seeds"], stored["analyses"], stored["posts"]
    cache = TagCache(reader_version, vocabulary_version)
    # Keyed by everything a post is made of, a seed by its bytes' hash: valid while
    # the seed reader is the same (posts.render_key).
    cache.posts = posts if stored.get("reader_version") == reader_version else {}
    stats = stored.get("stats")
    cache.stats = stats if isinstance(stats, dict) else {}  # the bytes' key: always valid
    if stored.get("reader_version") == reader_version:
        cache.seeds = seeds
        if stored.get("vocabulary_version") == vocabulary_version:
            cache.analyses = analyses
    cache.changed = len(cache.seeds) != len(seeds) or len(cache.analyses) != len(analyses)
    return cache


def save(cache: TagCache, path: Path) -> None:
    """Write the cache atomically, only when it changed; a failure is only a warning."""
    if not cache.changed:
        return
    state = {
        "format": FORMAT,
        "reader_version": cache.reader_version,
        "vocabulary_version": cache.vocabulary_version,
        "seeds": cache.seeds,
        "analyses": cache.analyses,
        "posts": cache.posts,
        "stats": cache.stats,
    }
    save_state(path, state, "tag cache")
