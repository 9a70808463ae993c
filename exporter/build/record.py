"""The build record: what each output was made from, so that a build with nothing changed is instant.

`<out>/.exporter-record.json` holds, per output, a fingerprint of everything that decides its
bytes — every content file (by its bytes, not its date), the writer's own state file as the
build left it, the options as given on the command line, SOURCE_DATE_EPOCH, the exporter's own
files and the versions of the libraries that draw — and the size and modification time of each
file the writer wrote. A later build into the same folder skips a writer whose fingerprint is the
same and whose files are still as it wrote them.

The record is only a cache: a missing, damaged or foreign record costs one full build, and a
build records nothing when the content changed while it ran (an editor saving mid-build), so an
edit is never taken as built. Courses are never skipped: a course deck reads another writer's
state file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import exporter
from exporter.writers import WRITERS, WriteResult

RECORD_FILE = ".exporter-record.json"
RECORD_VERSION = 2
#: Writers whose output is never taken from the record (see the module's doc).
NEVER_SKIPPED = frozenset({"courses"})
#: The libraries whose versions change the bytes of an output.
DRAWING_LIBRARIES = ("reportlab", "uharfbuzz", "pyphen", "python-bidi", "babel", "pyyaml", "rl-accel")
_READ_LIMIT = 64 * 1024 * 1024


@dataclass(frozen=True)
class Recorded:
    """One output as the record remembers it."""

    fingerprint: str
    #: Path (relative to the output folder) -> [size, modification time in ns].
    files: dict[str, list[int]]
    summary: str
    #: What the writer warned about when it wrote them (said again while they stay unchanged).
    warnings: list[str] = field(default_factory=list)


def content_files(content_dir: Path) -> Iterator[tuple[str, Path]]:
    """(path relative to content_dir, path) of every regular file under it, hidden ones aside, in order."""
    for folder, subfolders, names in os.walk(content_dir):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in sorted(names):
            path = Path(folder) / name
            if not name.startswith(".") and path.is_file():
                yield path.relative_to(content_dir).as_posix(), path


def content_digests(content_dir: Path) -> dict[str, str]:
    """Every content file (see content_files) by a hash of its bytes."""
    return {relative: _file_digest(path) for relative, path in content_files(content_dir)}


def _file_digest(path: Path) -> str:
    hashed = hashlib.sha256()
    try:
        with open(path, "rb") as stream:
            while chunk := stream.read(1 << 20):
                hashed.update(chunk)
                if stream.tell() > _READ_LIMIT:
                    return "too-large"
    except OSError:
        return "unreadable"
    return hashed.hexdigest()


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """The exporter's own files (names, sizes, dates) and the drawing libraries' versions."""
    package = Path(exporter.__file__).resolve().parent
    parts = [exporter.__version__, sys.version]
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            stat = path.stat()
            parts.append(f"{path.relative_to(package).as_posix()}:{stat.st_size}:{stat.st_mtime_ns}")
    for name in DRAWING_LIBRARIES:
        with contextlib.suppress(metadata.PackageNotFoundError):
            parts.append(f"{name}=={metadata.version(name)}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def cache_salt() -> str:
    """What the per-item caches beside the output add to every key (BuildOptions.cache_salt)."""
    return hashlib.sha256(f"{code_fingerprint()}:{os.environ.get('SOURCE_DATE_EPOCH', '')}".encode()).hexdigest()


def state_files() -> set[str]:
    return {spec.state_file for spec in WRITERS.values() if spec.state_file}


def fingerprint(name: str, digests: dict[str, str], arguments: dict[str, object]) -> str:
    """What decides writer name's output: content (its own state file only), arguments, code, environment."""
    own_state = WRITERS[name].state_file
    others = state_files() - {own_state} if own_state else state_files()
    content = {path: digest for path, digest in digests.items() if path not in others}
    data = {
        "writer": name,
        "content": content,
        "arguments": arguments,
        "code": code_fingerprint(),
        "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", ""),
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def without_state(digests: dict[str, str]) -> dict[str, str]:
    states = state_files()
    return {path: digest for path, digest in digests.items() if path not in states}


class BuildRecord:
    """The record of one output folder."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.path = out_dir / RECORD_FILE
        self.outputs: dict[str, Recorded] = {}
        self.warnings: list[str] = []
        self._read()

    def _read(self) -> None:
        try:
            if not self.path.is_file() or self.path.stat().st_size > _READ_LIMIT:
                return
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") != RECORD_VERSION:
                return
            self.outputs = {name: Recorded(**entry) for name, entry in data["outputs"].items()}
            self.warnings = [str(line) for line in data.get("warnings", [])]
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            self.outputs, self.warnings = {}, []  # a damaged record is no record

    def fresh(self, name: str, digests: dict[str, str], arguments: dict[str, object]) -> Recorded | None:
        """The recorded output if writer name would write exactly what is there now."""
        recorded = self.outputs.get(name)
        if name in NEVER_SKIPPED or recorded is None or not recorded.files:
            return None
        if recorded.fingerprint != fingerprint(name, digests, arguments):
            return None
        return recorded if all(self._unchanged(path, stamp) for path, stamp in recorded.files.items()) else None

    def _unchanged(self, relative: str, stamp: list[int]) -> bool:
        try:
            stat = (self.out_dir / relative).stat()
        except OSError:
            return False
        return [stat.st_size, stat.st_mtime_ns] == stamp

    def remember(
        self, results: list[WriteResult], digests: dict[str, str], arguments: dict[str, object], warnings: list[str]
    ) -> None:
        """Record what this build wrote (fingerprints from the content as it is now) and save."""
        for result in results:
            if result.name in NEVER_SKIPPED:
                continue
            files: dict[str, list[int]] = {}
            for path in result.paths:
                with contextlib.suppress(OSError, ValueError):
                    stat = path.stat()
                    files[path.relative_to(self.out_dir).as_posix()] = [stat.st_size, stat.st_mtime_ns]
            self.outputs[result.name] = Recorded(
                fingerprint(result.name, digests, arguments), files, result.summary, list(result.warnings)
            )
        self.warnings = warnings
        self._save()

    def forget(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink()

    def _save(self) -> None:
        data = {
            "version": RECORD_VERSION,
            "outputs": {name: vars(entry) for name, entry in sorted(self.outputs.items())},
            "warnings": self.warnings,
        }
        temporary = self.path.with_name(f"{RECORD_FILE}.{os.getpid()}.tmp")
        try:
            temporary.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError:  # only a cache: the next build is a full one
            with contextlib.suppress(OSError):
                temporary.unlink()
