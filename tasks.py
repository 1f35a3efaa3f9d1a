"""The editor's commands (invoke): build, rebuild, serve, livereload, clean, test,
eval-entities, bench, bench-crosslinks, lighthouse, screenshots.

Builds are atomic: Pelican writes into a staging folder next to ``output/``, which
replaces ``output/`` only when the build succeeded, so a failed build leaves the
last good site in place. Pages that did not change are hard links to the live
site's (the plugin writes every file by atomic replace, so the live site is never
written through them). The replaced site is kept (``.output.previous/``) as the next
build's staging folder, where the plugin links again only what differs.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import importlib.util
import json
import multiprocessing
import os
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from invoke import Exit, task

ROOT = Path(__file__).resolve().parent
CONFIG = {
    "settings_base": "pelicanconf.py",
    "settings_publish": "publishconf.py",
    "output": "output",
    "host": "127.0.0.1",
    "port": 8000,
}


# Pelican's command line, then, once it has succeeded, an exit that skips freeing the
# build's millions of objects one by one (3.5 s at 10,000 stories): everything is
# written and closed by then. A failure exits as Pelican does, with its code; an
# interrupted build (which Pelican reports but exits 0 from) exits 130, so that its
# staging folder never replaces the site.
_RUN_PELICAN = """
import logging, os, signal, sys
from pelican import main
interrupted = []
def interrupt(signum, frame):
    interrupted.append(signum)
    raise KeyboardInterrupt
signal.signal(signal.SIGINT, interrupt)
sys.argv[0] = "pelican"
main()
if interrupted:
    sys.exit(130)
logging.shutdown()
sys.stdout.flush()
sys.stderr.flush()
os._exit(0)
"""


def _pelican(c, settings: str, output: str, *extra: str) -> None:
    """Run Pelican with this terminal. A plain child process, not ``c.run``: invoke's
    threads that relay a command's output and input poll every 10 ms, which cost
    about 4% of a core for as long as a build runs."""
    args = ["-c", _RUN_PELICAN, "content", "-s", settings, "-o", output, *extra]
    process = subprocess.Popen([sys.executable, *args], cwd=c.cwd or None)
    try:
        code = process.wait()
    except KeyboardInterrupt:
        # Ctrl-C at a terminal reached Pelican too, and it stops on its own; a SIGINT
        # sent to this process alone did not: pass it on. Either way Pelican stops
        # its side jobs and exits before the staging folder is set aside.
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGINT)
            process.wait()
        raise
    if code:
        raise Exit(f"Pelican failed (exit code {code}).", code=code)


# What a build reads: when none of it changed since the last build and output/ is
# as that build left it, there is nothing to do.
INPUTS = ("seeds", "content", "theme", "plugins")
PACKAGES = ("pelican", "markdown", "jinja2", "feedgen", "pagefind", "trafilatura", "beautifulsoup4")
LAST_BUILD = ROOT / "cache" / "last-build.json"


def _plugin_files():
    """The plugin's ``files.py`` (stat stamps, the racily-clean window), loaded on its
    own: importing the plugin's package would import Pelican into every command."""
    path = ROOT / "plugins" / "news_digest" / "files.py"
    spec = importlib.util.spec_from_file_location("news_digest_files", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FILES = _plugin_files()


def _tree(root: Path, prefix: str = "") -> Iterator[tuple[str, os.stat_result | None]]:
    """(relative path, stat) of every file under ``root`` and (relative path + "/",
    None) of every folder, in a fixed order, each path starting with ``prefix``;
    symlinked folders are not entered (as ``Path.rglob``), symlinked files are
    followed. ``os.scandir`` and plain strings: pathlib and ``os.walk`` cost seconds on
    a site of 100,000 files."""

    def walk(folder: str, prefix: str) -> Iterator[tuple[str, os.stat_result | None]]:
        try:
            with os.scandir(folder) as found:
                entries = sorted(found, key=lambda e: e.name)
        except (FileNotFoundError, NotADirectoryError):
            return
        for entry in entries:
            rel = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                yield rel + "/", None
                yield from walk(entry.path, rel + "/")
                continue
            try:
                st = entry.stat()
            except OSError:  # a dangling symlink
                continue
            if stat.S_ISREG(st.st_mode):
                yield rel, st

    yield from walk(str(root), prefix)


def _inputs_state(settings: str, extra: list[str], last: dict | None = None) -> dict:
    """The state of what a build reads: each input folder's files (see
    :func:`_folder_state`), and a digest of the settings files, the command's options
    and the versions of the packages that build the site. ``last``: the state recorded
    by the last build, to compare with (its racily clean files are compared by bytes)."""
    versions = []
    for name in PACKAGES:
        try:
            versions.append(importlib.metadata.version(name))
        except importlib.metadata.PackageNotFoundError:
            versions.append(None)
    digest = hashlib.blake2b(
        repr((settings, extra, sys.version, versions)).encode(), digest_size=20
    )
    for name in ("pelicanconf.py", "publishconf.py", "tasks.py"):
        if (ROOT / name).is_file():
            digest.update(f"\0{name}\0".encode())
            digest.update((ROOT / name).read_bytes())
    racy = {n: (last or {}).get(n, {}).get("racy", {}) for n in INPUTS}
    return {
        "settings": digest.hexdigest(),
        **{n: _folder_state(ROOT / n, racy[n]) for n in INPUTS},
    }


def _folder_state(folder: Path, racy: dict[str, str] | None = None) -> dict:
    """Every file under ``folder`` by its stat, as git's index: size, modification and
    change times, inode (the change time cannot be set back, so any write shows).

    A file changed less than ``RACY_NS`` before the scan could change again in the same
    clock tick without its stat showing it (git's "racily clean" entries): it counts
    by its bytes, then and in the next comparison (``racy``, as last recorded)."""
    racy = racy or {}
    now = time.time_ns()
    digest = hashlib.blake2b(digest_size=20)
    by_bytes = {}
    for rel, st in _tree(folder):
        if st is None or "__pycache__" in rel.split("/"):
            continue
        if rel in racy or not FILES.settled(st, now):
            by_bytes[rel] = hashlib.blake2b((folder / rel).read_bytes(), digest_size=20).hexdigest()
            digest.update(f"{rel}\0bytes\n".encode())
        else:
            digest.update(f"{rel}\0{FILES.stat_stamp(st)}\n".encode())
    return {"stat": digest.hexdigest(), "racy": by_bytes}


def _output_state(output: Path) -> str:
    """A digest of every output file's path, size and modification time (a hard link
    changes a file's change time, not what it holds).

    The top-level folders are listed on two cores: most of the time goes to listing
    25,000 folders at 10,000 stories, and a second process halves it (1.0 to 0.5 s),
    after every build."""
    try:
        with os.scandir(output) as found:
            top = [(e.path, e.name) for e in sorted(found, key=lambda e: e.name)]
    except (FileNotFoundError, NotADirectoryError):
        top = []
    chunks = None
    if (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods():
        # No shared memory for the counter (a container without /dev/shm), or no fork
        # to be had: all in this process. Both fail before anything is listed.
        with contextlib.suppress(OSError):
            chunks = _listed_on_two_cores(top)
    if chunks is None:
        chunks = [_state_lines(entry) for entry in top]
    return hashlib.blake2b("".join(chunks).encode(), digest_size=20).hexdigest()


def _listed_on_two_cores(top: list[tuple[str, str]]) -> list[str]:
    """:func:`_state_lines` of each of ``top``, here and in a forked process, each
    taking the next entry as it is done (the folders differ widely in size). What the
    fork did not send is listed here."""
    ctx = multiprocessing.get_context("fork")
    taken = ctx.Value("i", 0)
    reader, writer = ctx.Pipe(duplex=False)

    def take() -> Iterator[int]:
        while True:
            with taken.get_lock():
                at, taken.value = taken.value, taken.value + 1
            if at >= len(top):
                return
            yield at

    def fork() -> None:
        reader.close()
        writer.send({at: _state_lines(top[at]) for at in take()})

    process = ctx.Process(target=fork, daemon=True)
    process.start()
    writer.close()
    chunks = {at: _state_lines(top[at]) for at in take()}
    with contextlib.suppress(EOFError, OSError):  # the fork failed: listed below
        chunks.update(reader.recv())
    process.join()
    return [chunks[at] if at in chunks else _state_lines(top[at]) for at in range(len(top))]


def _state_lines(entry: tuple[str, str]) -> str:
    """The lines of :func:`_output_state` for one entry of the output folder (its path
    and name): a file, or a folder and everything in it, as :func:`_tree` has them."""
    path, name = entry
    if os.path.isdir(path) and not os.path.islink(path):
        found = [(f"{name}/", None), *_tree(Path(path), f"{name}/")]
    else:
        try:
            st = os.stat(path)
        except OSError:  # a dangling symlink
            return ""
        found = [(name, st)] if stat.S_ISREG(st.st_mode) else []
    return "".join(
        f"{rel}\n" if st is None else f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\n"
        for rel, st in found
    )


def _up_to_date(settings: str, extra: list[str], output: Path) -> tuple[bool, dict | None]:
    """Whether nothing the last build read changed, and output/ is as it left it; and
    the state of the inputs found, when it is the one a build records (the last build
    left no racily clean file to compare by its bytes), so that a build need not walk
    the inputs a second time (half a second at 10,000 seeds)."""
    try:
        last = json.loads(LAST_BUILD.read_text(encoding="utf-8"))
        inputs = _inputs_state(settings, extra, last["inputs"])
        reusable = not any(inputs[n]["racy"] for n in INPUTS)
        if not output.is_dir() or inputs != last["inputs"]:
            return False, inputs if reusable else None
        return last["output"] == _output_state(output), None
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return False, None  # none, or not one this version wrote: build


def _build(c, settings: str, strict: bool) -> None:
    output = ROOT / CONFIG["output"]
    staging = output.with_name(f"{output.name}.staging")
    # The site before the last, which the last build kept for this one to start from.
    kept = output.with_name(f".{output.name}.previous")
    # Pages that did not change are hard-linked from the live site, not rendered again.
    # One -e for all: Pelican keeps only the last -e it is given.
    # The staging folder ends up holding only what the build makes: Pelican must not
    # empty it as well (publishconf.py asks it to), beside the plugin's linking.
    extra = ["-e", f'DIGEST_PREVIOUS_OUTPUT="{CONFIG["output"]}"', "DELETE_OUTPUT_DIRECTORY=false"]
    extra += ["DIGEST_STRICT=true"] if strict else []
    fresh, inputs = _up_to_date(settings, extra, output)
    if fresh:
        print(f"Nothing changed since the last build: {output.name}/ is up to date.")
        return
    LAST_BUILD.unlink(missing_ok=True)
    # As the build finds them: an edit made while it runs still counts next time.
    inputs = inputs or _inputs_state(settings, extra)
    # The staging folder starts as the kept site (or as a crashed build left it): the
    # plugin links again only the pages that differ from the live site's, and clears
    # the rest (incremental.clone_previous). Faster than linking every page into an
    # empty folder and deleting the replaced site, at 100,000 files.
    if not output.is_dir():  # nothing live to link from (deleted by hand): start empty
        for folder in (staging, kept):
            if folder.exists():
                _set_aside(folder)
    elif kept.is_dir():
        if staging.exists():
            _set_aside(kept)
        else:
            os.replace(kept, staging)
    try:
        _pelican(c, settings, str(staging), *extra)
    except BaseException:
        _keep(staging, kept)
        print(f"Build failed; {output} is unchanged.", file=sys.stderr)
        raise
    old = output.with_name(f".{output.name}.old-{os.getpid()}")
    if output.exists():
        os.replace(output, old)
    os.replace(staging, output)
    if old.exists():
        _keep(old, kept)
    _delete_in_background(output)
    # content/ again: the build wrote posts there.
    inputs["content"] = _folder_state(ROOT / "content")
    state = {"inputs": inputs, "output": _output_state(output)}
    LAST_BUILD.parent.mkdir(parents=True, exist_ok=True)
    LAST_BUILD.write_text(json.dumps(state) + "\n", encoding="utf-8")


def _keep(folder: Path, kept: Path) -> None:
    """Keep ``folder`` as the next build's starting point (``kept``), or set it aside."""
    try:
        os.replace(folder, kept)
    except OSError:
        _set_aside(folder)


def _set_aside(folder: Path) -> None:
    """Move ``folder`` out of the way, to be deleted in the background."""
    aside = folder.with_name(f".{CONFIG['output']}.old-{os.getpid()}-{time.time_ns()}")
    try:
        os.replace(folder, aside)
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)
        return
    _delete_in_background(folder)


def _delete_in_background(near: Path) -> None:
    """Remove the replaced sites nobody keeps (``.output.old-*`` beside ``near``: a
    crash between the renames leaves one) without waiting for them.

    Removing tens of thousands of folders can take minutes on file systems that
    discard freed blocks; the new site is already in place, so nobody needs to wait.
    At the lowest priority: the next build, if the editor starts one, goes first.
    """
    leftovers = [str(p) for p in near.parent.glob(f".{CONFIG['output']}.old-*") if p.is_dir()]
    if not leftovers:
        return
    code = (
        "import os, shutil, sys\n"
        "os.nice(19)\n"
        "for p in sys.argv[1:]: shutil.rmtree(p, ignore_errors=True)"
    )
    subprocess.Popen(
        [sys.executable, "-c", code, *leftovers],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


@task(help={"strict": "fail the build when any seed could not be published"})
def build(c, strict=False):
    """Turn seeds/ into posts and build the site into output/."""
    with c.cd(str(ROOT)):
        _build(c, CONFIG["settings_base"], strict)


@task
def clean(c):
    """Remove the generated site."""
    output = CONFIG["output"]
    leftovers = [ROOT / f".{output}.previous", *ROOT.glob(f".{output}.old-*")]
    for folder in [ROOT / output, ROOT / f"{output}.staging", *leftovers]:
        shutil.rmtree(folder, ignore_errors=True)


@task(pre=[clean])
def rebuild(c, strict=False):
    """Build from scratch."""
    build(c, strict=strict)


@task
def serve(c):
    """Serve output/ at http://127.0.0.1:8000/."""
    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

    server = RootedHTTPServer(
        str(ROOT / CONFIG["output"]), (CONFIG["host"], CONFIG["port"]), ComplexHTTPRequestHandler
    )
    print(f"Serving the digest at http://{CONFIG['host']}:{CONFIG['port']}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        server.server_close()


@task
def livereload(c):
    """Build, serve, and rebuild when seeds, content, theme, plugin or settings change."""
    from livereload import Server

    build(c)
    server = Server()
    for pattern in (
        "seeds/**/*",
        "content/pages/**/*",
        "theme/**/*",
        "plugins/**/*.py",
        CONFIG["settings_base"],
    ):
        server.watch(str(ROOT / pattern), lambda: build(c))
    server.serve(host=CONFIG["host"], port=CONFIG["port"], root=str(ROOT / CONFIG["output"]))


@task
def publish(c, strict=False):
    """Build for publishing (publishconf.py: absolute SITEURL from $DIGEST_SITEURL)."""
    with c.cd(str(ROOT)):
        _build(c, CONFIG["settings_publish"], strict)


@task(name="eval-entities", help={"errors": "also list every miss and wrong tag"})
def eval_entities(c, errors=False):
    """Score the entity tagger on the annotated development set, and time it."""
    with c.cd(str(ROOT)):
        args = [sys.executable, "benchmarks/eval_entities.py", *(["--errors"] if errors else [])]
        c.run(shlex.join(args))


@task(name="bench-crosslinks")
def bench_crosslinks(c):
    """Time the cross-linking stage on generated corpora of 1,000 and 10,000 stories."""
    with c.cd(str(ROOT)):
        c.run(shlex.join([sys.executable, "benchmarks/bench_crosslinks.py"]))


@task(
    help={
        "n": "seeds in the generated corpus (1000: about two minutes)",
        "check": "also compare the rebuilt site with a cold build",
        "repeat": "runs of each measurement, the fastest counting (default 2)",
    }
)
def bench(c, n=1000, check=False, repeat=2):
    """Cold build, rebuilds and peak memory against plain Pelican on a generated corpus
    (each measured ``repeat`` times, the fastest counting)."""
    with c.cd(str(ROOT)):
        args = [
            sys.executable,
            "benchmarks/bench.py",
            "--n",
            str(n),
            "--repeat",
            str(repeat),
            *(["--check"] if check else []),
        ]
        c.run(shlex.join(args))


@task
def screenshots(c):
    """Build, then photograph home, story and entity pages (phone/desktop, light/dark)."""
    build(c)
    with c.cd(str(ROOT)):
        c.run(shlex.join([sys.executable, "tests/browser/screenshots.py"]))


@task
def lighthouse(c):
    """Lighthouse scores of the home and a story page (needs `npm ci --prefix tests/js`)."""
    with c.cd(str(ROOT)):
        c.run(shlex.join([sys.executable, "benchmarks/lighthouse.py"]))


@task(help={"k": "only tests matching this expression"})
def test(c, k=""):
    """Run the whole test suite."""
    with c.cd(str(ROOT)):
        c.run(shlex.join([sys.executable, "-m", "pytest", *(["-k", k] if k else [])]))
