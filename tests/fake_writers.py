"""Stand-in writers for the build tests: they keep the writer contract and fail or stall on demand.

Register one with `monkeypatch.setitem(WRITERS, "titles", FAKE_WRITERS["titles"])`;
worker processes are forked, so they see the same registration.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from exporter.errors import ContentError, ExporterError, Problem
from exporter.files.atomic import atomic_output
from exporter.model import Library
from exporter.options import BuildOptions
from exporter.writers import WriteResult, WriterSpec

FAKE_WRITERS = {
    "titles": WriterSpec("fake_writers:write_titles"),
    "step-counts": WriterSpec("fake_writers:write_step_counts"),
    "failing": WriterSpec("fake_writers:write_failing"),
    "rejecting": WriterSpec("fake_writers:write_rejecting"),
    "stalling": WriterSpec("fake_writers:write_stalling"),
    "stalling-too": WriterSpec("fake_writers:write_stalling_too"),
    "replace-then-stall": WriterSpec("fake_writers:write_replace_then_stall"),
    "oom-killed": WriterSpec("fake_writers:write_then_get_killed"),
}


#: Runs the real command with the fake writers registered, as a separate process.
DRIVER = (
    "import sys, exporter.writers as w, fake_writers as f; w.WRITERS.update(f.FAKE_WRITERS); "
    "from exporter.cli import main; main(sys.argv[1:], prog_name='exporter')"
)


def register(monkeypatch: pytest.MonkeyPatch) -> None:
    """Add the fake writers to WRITERS for one test."""
    from exporter.writers import WRITERS

    for name, target in FAKE_WRITERS.items():
        monkeypatch.setitem(WRITERS, name, target)


#: Where a stalling writer reports its process id, so a test knows it is mid-write.
STALL_MARKER_DIR = "EXPORTER_TEST_STALL_DIR"


def write_titles(library: Library, out_dir: Path, options: BuildOptions) -> WriteResult:
    """titles.txt: the options it was given, then one line per technique in handbook order."""
    target = out_dir / "titles.txt"
    lines = [f"paper={options.paper} card_size={options.card_size} duplex={options.duplex}"]
    lines += [f"{t.id}\t{t.title}" for t in library.ordered_techniques()]
    with atomic_output(target) as temporary:
        temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return WriteResult("titles", (target,), f"{len(library.techniques)} titles", ("one title is long",))


def write_step_counts(library: Library, out_dir: Path, options: BuildOptions) -> WriteResult:
    """step-counts.txt: how many steps each technique has, in handbook order."""
    target = out_dir / "step-counts.txt"
    with atomic_output(target) as temporary:
        temporary.write_text(
            "".join(f"{t.id} {len(t.steps)}\n" for t in library.ordered_techniques()), encoding="utf-8"
        )
    return WriteResult("step-counts", (target,), f"{len(library.techniques)} counts")


def write_failing(library: Library, out_dir: Path, options: BuildOptions) -> WriteResult:
    with atomic_output(out_dir / "failing.txt") as temporary:
        temporary.write_text("half of it", encoding="utf-8")
        raise ExporterError("the failing writer gave up halfway")


def write_rejecting(library: Library, out_dir: Path, options: BuildOptions) -> WriteResult:
    technique = library.ordered_techniques()[0]
    with atomic_output(out_dir / "rejecting.txt") as temporary:
        temporary.write_text("half of it", encoding="utf-8")
        raise ContentError([Problem(technique.path, technique.line_of("steps"), "steps[0]", "too long for a card")])


def write_stalling(library: Library, out_dir: Path, options: BuildOptions) -> WriteResult:
    return _stall("stalling.txt", out_dir)


def write_stalling_too(library: Library, out_dir: Path, options: BuildOptions) -> WriteResult:
    return _stall("stalling-too.txt", out_dir)


def write_replace_then_stall(library: Library, out_dir: Path, options: BuildOptions) -> WriteResult:
    """Replaces replaced.txt (which a rollback must undo), then stalls halfway through late.txt."""
    with atomic_output(out_dir / "replaced.txt") as temporary:
        temporary.write_text("written by the build that is stopped", encoding="utf-8")
    return _stall("late.txt", out_dir)


def write_then_get_killed(library: Library, out_dir: Path, options: BuildOptions) -> WriteResult:
    """Replaces killed.txt, then dies as the OOM killer would end it (SIGKILL, no clean-up)."""
    with atomic_output(out_dir / "killed.txt") as temporary:
        temporary.write_text("written by a worker that was then killed", encoding="utf-8")
    os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError("unreachable")


def _stall(name: str, out_dir: Path) -> WriteResult:
    target = out_dir / name
    with atomic_output(target) as temporary:
        temporary.write_text("half of it", encoding="utf-8")
        marker = Path(os.environ[STALL_MARKER_DIR]) / f"{name}.{os.getpid()}"
        marker.with_suffix(".part").write_text(str(os.getpid()), encoding="utf-8")
        marker.with_suffix(".part").rename(marker)  # a test never reads a half-written marker
        time.sleep(120)
    return WriteResult(name, (target,), "never")
