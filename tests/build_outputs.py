"""What the incremental-build and watch tests share: a build's user-visible files, a fixed
release time, and reading a `watch` process's output line by line."""

from __future__ import annotations

import subprocess
import time
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
    """The first line the process prints containing wanted, within seconds."""
    deadline = time.monotonic() + seconds
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if wanted in line:
            return line
        if not line and process.poll() is not None:
            break
    raise AssertionError(f"no line with {wanted!r} within {seconds} s")
