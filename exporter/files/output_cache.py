"""The per-item cache of a writer that writes one file per piece (a handout per technique).

(`read_entries` and `save_entries` also keep a writer's data that is not a file: the pocket
cards' fitted cards, exporter.writers.cards.fit_cache.)

`<out>/.exporter-cache/<writer>.json` maps a key — a hash of everything that decides one file's
bytes — to that file (relative to the output folder), a hash of the bytes it had when written,
a short note the writer keeps for its summary (a handout's page count) and the file's signature
then (file_signature: its inode, size and times), which spares reading it while it is unchanged.
A later build that computes the same key and finds the file still holding exactly those bytes
leaves it as it is instead of making it again.

The output itself is the store, so the cache cannot give wrong bytes whatever stopped a build:
a build rolled back puts the previous bytes back, and their hash no longer matches an entry
that promised the new ones (and the other way round). Each save keeps only the entries the
build used, so the cache never grows beyond one entry per file; deleting the folder costs one
full build of the writer.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from exporter.errors import ExporterError
from exporter.files.atomic import atomic_output

CACHE_DIR = ".exporter-cache"
CACHE_VERSION = 1
_READ_LIMIT = 64 * 1024 * 1024


def digest_of(*parts: str) -> str:
    """One key from the parts (each is kept apart from the next, so ("ab", "c") != ("a", "bc"))."""
    hashed = hashlib.sha256()
    for part in parts:
        encoded = part.encode("utf-8", "surrogatepass")
        hashed.update(len(encoded).to_bytes(8, "big"))
        hashed.update(encoded)
    return hashed.hexdigest()


def file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def file_signature(path: Path) -> str:
    """The file as the file system knows it: any write, or another file put in its place (a build
    rolled back puts the previous one back), changes it. An entry whose file still has the
    signature it was written with is not read again; any other is checked by its bytes."""
    try:
        found = path.stat()
    except OSError:
        return ""
    return f"{found.st_ino}:{found.st_size}:{found.st_mtime_ns}:{found.st_ctime_ns}"


class OutputCache:
    """One writer's entries in one output folder. An empty salt turns the cache off (partial
    builds, courses and direct calls of a writer neither use nor change it)."""

    def __init__(self, out_dir: Path, writer: str, salt: str) -> None:
        self.out_dir = out_dir
        self.path = out_dir / CACHE_DIR / f"{writer}.json"
        self.salt = salt
        self.entries: dict[str, list[str]] = self._read() if salt else {}
        self.used: dict[str, list[str]] = {}

    @property
    def enabled(self) -> bool:
        return bool(self.salt)

    def key(self, *parts: str) -> str:
        return digest_of(self.salt, *parts)

    def reusable(self, key: str, target: Path) -> bool:
        """Whether target holds exactly the bytes key made (then it is kept as used)."""
        entry = self.entries.get(key)
        if not self.enabled or entry is None or entry[0] != self._relative(target):
            return False
        signature = file_signature(target)
        if entry[3:] != [signature] and file_digest(target) != entry[1]:
            return False
        self.used[key] = [*entry[:3], signature]
        return True

    def made(self, key: str, target: Path, note: str = "") -> None:
        """target has just been written from key."""
        digest = file_digest(target)
        if self.enabled and digest is not None:
            self.used[key] = [self._relative(target), digest, note, file_signature(target)]

    def note(self, key: str) -> str:
        return self.used[key][2]

    def _relative(self, target: Path) -> str:
        return target.relative_to(self.out_dir).as_posix()

    def _read(self) -> dict[str, list[str]]:
        entries = read_entries(self.out_dir, self.path.stem).items()
        return {
            key: [str(part) for part in entry]
            for key, entry in entries
            if isinstance(entry, list) and len(entry) in (3, 4)
        }


def read_entries(out_dir: Path, writer: str) -> dict[str, Any]:
    """writer's saved entries; none when the file is missing, damaged or of another version."""
    path = out_dir / CACHE_DIR / f"{writer}.json"
    try:
        if not path.is_file() or path.stat().st_size > _READ_LIMIT:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["entries"] if data.get("version") == CACHE_VERSION else {}
        return {str(key): entry for key, entry in entries.items()} if isinstance(entries, dict) else {}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}  # a damaged cache is no cache


def save_entries(out_dir: Path, writer: str, entries: Mapping[str, object]) -> None:
    """Replace writer's cache with entries (the ones this build used), atomically and inside the
    build's journal (a build rolled back leaves the cache it found); a failure only costs the next
    build its reuse."""
    path = out_dir / CACHE_DIR / f"{writer}.json"
    data = {"version": CACHE_VERSION, "entries": dict(sorted(entries.items()))}
    with contextlib.suppress(OSError, ExporterError), atomic_output(path) as temporary:
        temporary.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True), encoding="utf-8")
