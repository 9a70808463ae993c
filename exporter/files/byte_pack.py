"""A pack of byte strings under keys, kept beside the output from one build to the next.

`<out>/.exporter-cache/<name>.parts` holds an index (key, offset, length, as `marshal` data) and
the entries. A build reads the entries it needs from the last build's file, puts new ones, and
writes the file once at the end (`save`) through the build's journal like an output
(exporter.files.atomic): a build that fails or is stopped leaves the file it found. The file
holds only the entries the build used or put, so it never grows beyond one build's worth; a
damaged file reads as empty, and deleting it only costs the next build its reuse. The replayed
PDF parts (exporter.pdf.pages.part_cache) and the pocket cards' fitted cards are kept this way.
"""

from __future__ import annotations

import contextlib
import marshal
import tempfile
from pathlib import Path
from typing import IO

from exporter.errors import ExporterError
from exporter.files.atomic import atomic_output, remove_output
from exporter.files.output_cache import CACHE_DIR, digest_of

SUFFIX = ".parts"
_MAGIC = b"exporter recorded parts 1\n"
_INDEX_LIMIT = 64 * 1024 * 1024

#: key -> (offset, length) of its entry in a pack's data.
Index = dict[str, tuple[int, int]]


class BytePack:
    """The entries of one pack in an output folder: those of the last build, to reuse, and
    those this build reuses or makes, to keep (`save`). shared goes into every key."""

    def __init__(self, out_dir: Path, name: str, shared: str, scratch_beside_output: bool = True) -> None:
        """scratch_beside_output=False puts the new entries, until save, in the system's temporary
        folder (where the deck writer builds its collection) instead of on the output's disk."""
        self.path = out_dir / CACHE_DIR / f"{name}{SUFFIX}"
        self.shared = shared
        self._old: IO[bytes] | None = None
        self._old_index: Index = {}
        self._old_data = 0
        self._open_old()
        self._new = tempfile.TemporaryFile(dir=out_dir if scratch_beside_output else None)
        self._new_index: Index = {}
        self._new_end = 0
        #: The last build's entries this build used: kept in the next file.
        self._kept: Index = {}

    def key(self, *parts: str) -> str:
        return digest_of(self.shared, *parts)

    def get(self, key: str) -> bytes | None:
        """The bytes the last build kept for key (kept again, unless `discard`ed)."""
        place = self._old_index.get(key)
        if place is None or self._old is None:
            return None
        data = self._read(self._old, self._old_data + place[0], place[1])
        if data is not None:
            self._kept[key] = place
        return data

    def discard(self, key: str) -> None:
        """Do not keep key's old entry (it could not be used)."""
        self._kept.pop(key, None)

    def forget_kept(self) -> None:
        """Keep none of the last build's entries (only what this build puts)."""
        self._kept.clear()

    def put(self, key: str, data: bytes) -> None:
        """Keep data for key (written out by save)."""
        start = self._new_end
        self.append(data)
        self.put_appended(key, start)

    def append(self, data: bytes) -> None:
        """Add data to the entry being written piece by piece (one at a time; see put_appended)."""
        self._new.seek(self._new_end)
        self._new.write(data)
        self._new_end += len(data)

    @property
    def appended_end(self) -> int:
        """Where the next appended piece starts."""
        return self._new_end

    def put_appended(self, key: str, start: int) -> None:
        """Keep for key what was appended since start (written out by save)."""
        self._new_index[key] = (start, self._new_end - start)

    def save(self, replaces: str = "") -> None:
        """Replace the file with the entries this build used or put (a failure, such as a full
        disk, only costs the next build its reuse: the outputs stand); replaces names the file
        in which an earlier round kept the same entries, removed once the pack is saved."""
        index: Index = {}
        pieces: list[tuple[IO[bytes], int, int]] = []
        end = 0
        # An entry put again (its old one could not be used) keeps the new bytes.
        for source, start, entries in ((self._new, 0, self._new_index), (self._old, self._old_data, self._kept)):
            for key, (offset, length) in sorted(entries.items()):
                if source is not None and key not in index:
                    index[key] = (end, length)
                    pieces.append((source, start + offset, length))
                    end += length
        table = marshal.dumps(index)
        try:
            with contextlib.suppress(OSError, ExporterError), atomic_output(self.path) as temporary:
                with open(temporary, "wb") as out:
                    out.write(_MAGIC + len(table).to_bytes(8, "big") + table)
                    for source, offset, length in pieces:
                        source.seek(offset)
                        out.write(source.read(length))
            earlier = self.path.parent / replaces
            if replaces and earlier.is_file():
                with contextlib.suppress(OSError, ExporterError):
                    remove_output(earlier)
        finally:
            self.close()

    def close(self) -> None:
        for handle in (self._old, self._new):
            if handle is not None:
                handle.close()
        self._old = None

    def _open_old(self) -> None:
        try:
            handle = open(self.path, "rb")  # noqa: SIM115 (read while the build runs, closed by close())
        except OSError:
            return
        try:
            head = handle.read(len(_MAGIC) + 8)
            size = int.from_bytes(head[len(_MAGIC) :], "big")
            if head[: len(_MAGIC)] != _MAGIC or size > _INDEX_LIMIT:
                raise ValueError("not a pack")
            index = marshal.loads(handle.read(size))
            if not isinstance(index, dict):
                raise ValueError("not an index")
            self._old_index = {str(k): (int(v[0]), int(v[1])) for k, v in index.items()}
        except (OSError, ValueError, TypeError, EOFError, IndexError):
            handle.close()
            return  # a damaged file is no file
        self._old, self._old_data = handle, len(_MAGIC) + 8 + size

    @staticmethod
    def _read(handle: IO[bytes], offset: int, length: int) -> bytes | None:
        with contextlib.suppress(OSError):
            handle.seek(offset)
            data = handle.read(length)
            if len(data) == length:
                return data
        return None
