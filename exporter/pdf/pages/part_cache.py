"""Recorded parts of a PDF (exporter.pdf.pages.replay), kept beside the output for the next build.

`<out>/.exporter-cache/<name>.parts` (a exporter.files.byte_pack) holds each part as it was
recorded, under a key: a hash of everything that decides its pages, which the writer makes
(exporter.writers.handbook.page_cache says what goes into a handbook part's key). What a key
cannot know (the fonts' subsets when the part begins, and for a handbook part the open
structure) the record states, and replaying checks it. A damaged record reads as none.
"""

from __future__ import annotations

from pathlib import Path

from exporter.files.byte_pack import SUFFIX, BytePack
from exporter.messages import counted
from exporter.pdf.pages.replay import PartRecord

__all__ = ["SUFFIX", "PartCache"]


class PartCache(BytePack):
    """The recorded parts of one PDF in an output folder, and how many this build replayed."""

    def __init__(self, out_dir: Path, name: str, shared: str) -> None:
        super().__init__(out_dir, name, shared)
        #: Parts replayed from a record and parts drawn, in this build.
        self.replayed = 0
        self.drawn = 0

    def record(self, key: str) -> PartRecord | None:
        """The record the last build kept for key, if there is a sound one."""
        data = self.get(key)
        found = None if data is None else PartRecord.from_bytes(data)
        if found is None:
            self.discard(key)
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
        self.forget_kept()

    def replayed_note(self, piece: str) -> str:
        """For a writer's summary: how many pieces (parts, pages) this build drew, when it
        replayed the others ("; 1 part drawn again, 503 replayed"), else ""."""
        if not self.replayed:
            return ""
        return f"; {counted(self.drawn, piece)} drawn again, {self.replayed} replayed"

    def store(self, key: str, record: PartRecord) -> None:
        """Keep record for key (written out by save)."""
        self.put(key, record.to_bytes())

    def sink(self, key: str) -> _Sink:
        """Where a part recorded for key is written, page by page as it is drawn."""
        return _Sink(self, key)


class _Sink:
    """One part's record, appended to the pack as it is made; kept only once finished."""

    def __init__(self, pack: PartCache, key: str) -> None:
        self.pack = pack
        self.key = key
        self.start = pack.appended_end

    def write(self, data: bytes) -> None:
        self.pack.append(data)

    def finish(self) -> None:
        self.pack.put_appended(self.key, self.start)

    def abandon(self) -> None:
        """The part cannot be replayed: what was written is left unused (and not saved)."""
