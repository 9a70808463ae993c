"""What the incremental-build and watch tests share: a build's user-visible files, a fixed
release time, and running a `watch` process and reading its output line by line."""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from exporter.build.record import RECORD_FILE
from exporter.files.output_cache import CACHE_DIR

#: SOURCE_DATE_EPOCH for builds compared byte for byte.
EPOCH = "1796541000"


def outputs(out_dir: Path) -> dict[str, bytes]:
    """Every file a user gets (the record and the caches aside)."""
    return {
        p.relative_to(out_dir).as_posix(): p.read_bytes()
        for p in sorted(out_dir.rglob("*"))
        if p.is_file() and p.name != RECORD_FILE and CACHE_DIR not in p.relative_to(out_dir).parts
    }


def leftovers(*folders: Path) -> list[str]:
    """Hidden files and folders a build may leave only while it runs (temporary files, journal, lock):
    every hidden entry but the build record and the cache, which a finished build keeps."""
    return sorted(
        str(p)
        for folder in folders
        for p in folder.rglob(".*")
        if p.name not in (RECORD_FILE, CACHE_DIR) and CACHE_DIR not in p.relative_to(folder).parts
    )


def read_line(process: subprocess.Popen[str], wanted: str, seconds: float) -> str:
    """The first line the process prints containing wanted, within seconds (a process that prints
    nothing more fails the test when the time is up, instead of blocking it)."""
    deadline = time.monotonic() + seconds
    lines = _printed_lines(process)
    while (remaining := deadline - time.monotonic()) > 0:
        try:
            line = lines.get(timeout=remaining)
        except queue.Empty:
            break
        if wanted in line:
            return line
        if not line:  # the process closed its output
            break
    raise AssertionError(f"no line with {wanted!r} within {seconds} s")


@contextlib.contextmanager
def watching(
    content: Path, out: Path, env: dict[str, str], stderr: int, stop_seconds: float
) -> Iterator[subprocess.Popen[str]]:
    """`exporter watch` on content, a real subprocess in a session of its own. Leaving the block
    stops it as a person does (Ctrl-C: it must say so and exit with 0); a failed check kills it."""
    command = [sys.executable, "-m", "exporter", "watch", "--content", str(content), "--out", str(out)]
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
        env={**env, "PYTHONUNBUFFERED": "1"},
        start_new_session=True,
    )
    try:
        yield process
        process.send_signal(signal.SIGINT)
        read_line(process, "Stopped watching.", stop_seconds)
        assert process.wait(stop_seconds) == 0
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


_PRINTED: dict[int, queue.Queue[str]] = {}


def _printed_lines(process: subprocess.Popen[str]) -> queue.Queue[str]:
    """The process's output lines as a thread reads them ("" once it ends)."""
    if process.pid not in _PRINTED:
        lines: queue.Queue[str] = queue.Queue()
        assert process.stdout is not None
        stream = process.stdout

        def pump() -> None:
            for line in stream:
                lines.put(line)
            lines.put("")

        threading.Thread(target=pump, daemon=True).start()
        _PRINTED[process.pid] = lines
    return _PRINTED[process.pid]
