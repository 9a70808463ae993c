"""`exporter watch`: build, then build again whenever a content file is saved.

One line per build: when, which files changed, which outputs were redone (an output whose inputs
did not change is taken from the build record, exporter.build.record) and how long it took.
Content problems are printed as `path:line: field: message` and the watch goes on; the outputs
keep their last good version. Ctrl-C while waiting stops the watch (exit 0); Ctrl-C during a
build rolls that build back first, as for `exporter build`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import click

from exporter.build.record import content_files
from exporter.errors import ContentError
from exporter.messages import counted
from exporter.writers import WriteResult

#: Seconds between two looks at the content folder (a look at 500 files takes about 10 ms).
POLL_SECONDS = 0.15
#: A file must keep its size and date this long before it is built (an editor may write in steps).
SETTLE_SECONDS = 0.1

Stamps = dict[str, tuple[int, int]]


def content_stamps(content_dir: Path) -> Stamps:
    """Size and modification time of every content file (exporter.build.record.content_files)."""
    stamps: Stamps = {}
    for relative, path in content_files(content_dir):
        try:
            stat = path.stat()
        except OSError:
            continue
        stamps[relative] = (stat.st_size, stat.st_mtime_ns)
    return stamps


def changed_files(before: Stamps, after: Stamps) -> list[str]:
    return sorted(path for path in before.keys() | after.keys() if before.get(path) != after.get(path))


def watch(content_dir: Path, out_dir: Path, build: Callable[[], list[WriteResult]], state_files: set[str]) -> None:
    """Build now and after every change under content_dir, until Ctrl-C."""
    click.echo(f"Watching {content_dir}/ for changes; the outputs go to {out_dir}/. Press Ctrl-C to stop.")
    seen: Stamps = {}
    first = True
    try:
        while True:
            now = _settled(content_dir)
            changed = [path for path in changed_files(seen, now) if path not in state_files]
            if first or changed:
                _build_once(build, "first build" if first else _describe(changed))
                first = False
            # The stamps the build started from: a save during the build, or just after it, is
            # still a change next time round (the deck's own state file is left out above).
            seen = now
            time.sleep(POLL_SECONDS)
    except KeyboardInterrupt:
        click.echo("Stopped watching.")


def _settled(content_dir: Path) -> Stamps:
    """The folder's stamps once two looks SETTLE_SECONDS apart agree."""
    stamps = content_stamps(content_dir)
    while True:
        time.sleep(SETTLE_SECONDS)
        again = content_stamps(content_dir)
        if again == stamps:
            return stamps
        stamps = again


def _describe(changed: list[str]) -> str:
    shown = ", ".join(changed[:3])
    return shown + (f" and {counted(len(changed) - 3, 'more file')}" if len(changed) > 3 else "") + " changed"


def _build_once(build: Callable[[], list[WriteResult]], why: str) -> None:
    started = time.perf_counter()
    clock = time.strftime("%H:%M:%S")
    try:
        results = build()
    except ContentError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        errors = sum(1 for problem in error.problems if problem.severity == "error")
        click.echo(f"{clock}  {why}: {counted(errors or len(error.problems), 'problem')}; outputs not changed")
        return
    except click.ClickException as error:
        click.echo(f"{clock}  {why}: {error.format_message()}; outputs not changed")
        return
    seconds = time.perf_counter() - started
    redone = [result.name for result in results if not result.unchanged]
    kept = [result.name for result in results if result.unchanged]
    done = f"redone {', '.join(redone)}" if redone else "nothing to redo"
    click.echo(f"{clock}  {why}: {done}" + (f" ({', '.join(kept)} unchanged)" if kept and redone else "")
               + f" in {seconds:.1f} s")  # fmt: skip
