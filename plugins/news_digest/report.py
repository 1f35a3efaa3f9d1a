"""The build report: what a build published, skipped and kept, for the editor's
terminal and for tools (``api/build-report.json``).

The JSON describes the site, not the build's actions (no times, no "posts written"),
so rebuilding the same seeds writes the same bytes; the terminal also says what
this build changed."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .files import write_if_changed
from .posts import SyncReport
from .seo import html_safe


def build_report(
    published: int,
    seeds_read: int,
    problems: Sequence[tuple[str, str]],
    sync: SyncReport,
    vocabulary_problem: str | None,
) -> dict[str, Any]:
    return {
        "stories_published": published,
        "seeds_read": seeds_read,
        "seeds_skipped": [{"seed": rel, "reason": reason} for rel, reason in sorted(problems)],
        "seeds_skipped_by_editor": sorted(sync.skipped),
        "hand_edited_posts_kept": sorted(set(sync.kept_hand_edited)),
        "vocabulary_problem": vocabulary_problem,
    }


def changes(sync: SyncReport) -> str:
    """What this build changed in the posts folder."""
    return f"{len(sync.written)} posts written, {len(sync.removed)} removed"


def summary(report: dict[str, Any], changed: str) -> str:
    """One line for the terminal, then one line per skipped seed."""
    lines = [
        f"news_digest: {report['stories_published']} stories published; "
        f"{len(report['seeds_skipped'])} seeds skipped, "
        f"{len(report['seeds_skipped_by_editor'])} skipped by the editor; "
        f"{len(report['hand_edited_posts_kept'])} hand-edited kept; {changed}"
    ]
    lines += [f"  skipped {s['seed']}: {s['reason']}" for s in report["seeds_skipped"]]
    if report["vocabulary_problem"]:
        lines.append(f"  vocabulary ignored: {report['vocabulary_problem']}")
    return "\n".join(lines)


def write_report(report: dict[str, Any], path: Path) -> None:
    write_if_changed(path, html_safe(json.dumps(report, ensure_ascii=False, indent=1)) + "\n")
