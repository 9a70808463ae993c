"""Recorded parts of a PDF (exporter.pdf.pages.replay), kept beside the output for the next build.

`<out>/.exporter-cache/<name>.parts` holds each part as it was recorded, under a key: a hash
of everything that decides its pages, which the writer makes (exporter.writers.handbook.page_cache
says what goes into a handbook part's key). What a key cannot know (the fonts' subsets when the
part begins, and for a handbook part the open structure) the record states, and replaying checks it.

The file is written once per build, after the PDF, through the build's journal like an output
(exporter.files.atomic): a build that fails or is stopped leaves the file it found. It holds the
records the build used or made, so never more than one per part; a damaged file or record reads
as none, and deleting the file costs one full drawing of the PDF.
"""

from __future__ import annotations

import contextlib
import marshal
import tempfile
from pathlib import Path
from typing import IO

from exporter.files.atomic import atomic_output
from exporter.files.output_cache import CACHE_DIR, digest_of
from exporter.pdf.pages.replay import PartRecord

SUFFIX = ".parts"
_MAGIC = b"exporter recorded parts 1\n"
_INDEX_LIMIT = 64 * 1024 * 1024

#: key -> (offset, length) of its record in a pack's data.
Index = dict[str, tuple[int, int]]


class PartCache:
    """The recorded parts of one PDF in an output folder: those of the last build, to replay,
    and those this build replays or makes, to keep (`save`). shared goes into every key."""

    def __init__(self, out_dir: Path, name: str, shared: str) -> None:
        self.path = out_dir / CACHE_DIR / f"{name}{SUFFIX}"
        self.shared = shared
        self._old: IO[bytes] | None = None
        self._old_index: Index = {}
        self._old_data = 0
        self._open_old()
        self._new = tempfile.TemporaryFile(dir=out_dir)
        self._new_index: Index = {}
        self._new_end = 0
        #: The last build's records this build replayed: kept in the next file.
        self._kept: Index = {}
        #: Parts replayed from a record and parts drawn, in this build.
        self.replayed = 0
        self.drawn = 0

    def key(self, *parts: str) -> str:
        return digest_of(self.shared, *parts)

    def record(self, key: str) -> PartRecord | None:
        """The record the last build kept for key, if there is a sound one."""
        place = self._old_index.get(key)
        if place is None or self._old is None:
            return None
        data = self._read(self._old, self._old_data + place[0], place[1])
        found = None if data is None else PartRecord.from_bytes(data)
        if found is not None:
            self._kept[key] = place
        return found

    def replay_or_record(self, key: str) -> PartRecord | None:
        """record(key), counting the part as replayed or (without one) as drawn."""
        found = self.record(key)
        if found is None:
            self.drawn += 1
        else:
            self.replayed += 1
        return found

    def forget_counts(self) -> None:
        """The build starts again without replaying: nothing it replayed counts or is kept."""
        self.replayed = self.drawn = 0
        self._kept.clear()

    def store(self, key: str, record: PartRecord) -> None:
        """Keep record for key (written out by save)."""
        data = record.to_bytes()
        self._new.seek(self._new_end)
        self._new.write(data)
        self._new_index[key] = (self._new_end, len(data))
        self._new_end += len(data)

    def save(self) -> None:
        """Replace the file with the records this build replayed or made."""
        index: Index = {}
        pieces: list[tuple[IO[bytes], int, int]] = []
        end = 0
        # A part recorded again (its old record could not be replayed) keeps its new record.
        for source, start, entries in ((self._new, 0, self._new_index), (self._old, self._old_data, self._kept)):
            for key, (offset, length) in sorted(entries.items()):
                if source is not None and key not in index:
                    index[key] = (end, length)
                    pieces.append((source, start + offset, length))
                    end += length
        table = marshal.dumps(index)
        with atomic_output(self.path) as temporary, open(temporary, "wb") as out:
            out.write(_MAGIC + len(table).to_bytes(8, "big") + table)
            for source, offset, length in pieces:
                source.seek(offset)
                out.write(source.read(length))
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
                raise ValueError("not a pack of handbook parts")
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
