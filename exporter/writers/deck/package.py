"""Writing the .apkg: a legacy Anki collection (SQLite) and an empty media list, zipped.

Notes are added one at a time into an SQLite file in a temporary folder and the file is
streamed into the zip, so memory stays flat however large the library is. Nothing here reads
the clock: note and card ids come from the notes' order, times from the notes themselves, and
zip entries carry a fixed date, so the same notes give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

from exporter.options import FIRST_MTIME
from exporter.writers.deck.empty_collection import APKG_COL, APKG_SCHEMA
from exporter.writers.deck.identity import FIELDS_OF_MODEL, SEQUENCE_MODEL_ID, NoteVersion

#: Deflate's fastest level: a deck of 5,000 techniques compresses in a third of the time of the
#: default level, for a file about a fifth larger.
ZIP_LEVEL = 1
#: New cards of retired notes come after every active card.
RETIRED_DUE_OFFSET = 1_000_000

NOTE_SQL = """INSERT INTO notes (id, guid, mid, mod, usn, tags, flds, sfld, csum, flags, data)
VALUES (?, ?, ?, ?, -1, ?, ?, ?, ?, 0, '')"""
CARD_SQL = """INSERT INTO cards (id, nid, did, ord, mod, usn, type, queue, due, ivl, factor, reps, lapses, left,
odue, odid, flags, data) VALUES (?, ?, ?, ?, ?, -1, 0, 0, ?, 0, 0, 0, 0, 0, 0, 0, 0, '')"""
#: Notes written to the collection at once.
ROWS_AT_ONCE = 500
#: Cards after a note's first (the steps of a step sequence) take ids from here on: below every
#: note-and-first-card id, which start at FIRST_MTIME * 1000.
MORE_CARDS_BASE = (FIRST_MTIME - 10_000_000) * 1000
_CLOZE = re.compile(r"\{\{c(\d+)::")


def stable_id(name: str) -> int:
    """A positive id below 2**53 derived from a name (deck, field and template ids)."""
    digest = hashlib.sha256(f"exporter-id:{name}".encode()).digest()
    return (1 << 40) + int.from_bytes(digest[:6], "big") % (1 << 52)


class PackageWriter:
    """One collection.anki2 being filled note by note."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "collection.anki2"
        self.connection = sqlite3.connect(self.path)
        self.connection.execute("PRAGMA journal_mode = OFF")
        self.connection.execute("PRAGMA synchronous = OFF")
        self.connection.executescript(APKG_SCHEMA)
        self.connection.executescript(APKG_COL)
        self.count = 0
        self.more_cards = 0
        #: Every deck a note is in, with its parents; the id of each deck a note is in.
        self.decks: set[str] = set()
        self.deck_ids: dict[str, int] = {}
        #: Rows not yet written (written ROWS_AT_ONCE notes at a time).
        self.note_rows: list[tuple[object, ...]] = []
        self.card_rows: list[tuple[int, ...]] = []

    def add(self, guid: str, note: NoteVersion, extra_tags: tuple[str, ...] = (), number: int | None = None) -> None:
        """Add a note; extra_tags are shipped but not part of its content (they never move its time).

        number is the note's place in the library's deck when this package is part of it (a
        course deck): its note and first card ids are then the library deck's own."""
        note_id = FIRST_MTIME * 1000 + 2 * (self.count if number is None else number)
        fields = "\x1f".join(note.fields.get(name, "") for name in FIELDS_OF_MODEL[note.model])
        tags = " " + " ".join(sorted({*note.tags, *extra_tags})) + " "
        header = note.fields["Header"]
        row = (note_id, guid, note.model, note.mtime, tags, fields, header, note.header_checksum)
        self.note_rows.append(row)
        # A new card's due is its place in handbook order: Anki shows new cards in this order.
        due = RETIRED_DUE_OFFSET + self.count if note.retired else note.due
        deck_id = self.deck_ids.get(note.deck)
        if deck_id is None:
            deck_id = self.deck_ids[note.deck] = stable_id(f"deck:{note.deck}")
            parts = note.deck.split("::")
            self.decks.update("::".join(parts[: depth + 1]) for depth in range(len(parts)))
        cards = [(note_id + 1, note_id, deck_id, 0, note.mtime, due)]
        cards += [(self._more_card_id(), note_id, deck_id, order, note.mtime, due + order)
                  for order in range(1, card_count(note))]  # fmt: skip
        self.card_rows += cards
        self.count += 1
        if len(self.note_rows) >= ROWS_AT_ONCE:
            self._flush()

    def _flush(self) -> None:
        self.connection.executemany(NOTE_SQL, self.note_rows)
        self.connection.executemany(CARD_SQL, self.card_rows)
        self.note_rows.clear()
        self.card_rows.clear()

    def _more_card_id(self) -> int:
        self.more_cards += 1
        return MORE_CARDS_BASE + self.more_cards

    def finish(self, descriptions: dict[str, str], note_types: dict[str, dict[str, Any]]) -> None:
        """Add the decks (with their descriptions) and the note types; close the database."""
        try:
            self._flush()
            decks = json.loads(self.connection.execute("SELECT decks FROM col").fetchone()[0])
            decks.update(decks_json(self.decks, descriptions))
            models = note_types
            self.connection.execute(
                "UPDATE col SET decks = ?, models = ?",
                (json.dumps(decks, sort_keys=True), json.dumps(models, sort_keys=True)),
            )
            self.connection.commit()
        finally:
            self.connection.close()

    def close(self) -> None:
        self.connection.close()

    def write_zip(self, target: Path) -> None:
        """The package: the collection and an empty media list, with fixed dates and permissions."""
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=ZIP_LEVEL) as archive:
            info = _entry("collection.anki2")
            info.file_size = self.path.stat().st_size
            with self.path.open("rb") as source, archive.open(info, "w") as destination:
                shutil.copyfileobj(source, destination, 1 << 20)
            archive.writestr(_entry("media"), b"{}")


def card_count(note: NoteVersion) -> int:
    """A step sequence has one card per cloze (c1, c2, ...); every other note one card."""
    if note.model != SEQUENCE_MODEL_ID:
        return 1
    return max((int(number) for number in _CLOZE.findall(note.fields.get("Text", ""))), default=1)


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = ZIP_LEVEL  # type: ignore[attr-defined]  # read by ZipFile.open(info)
    info.external_attr = 0o644 << 16
    return info


def decks_json(names: set[str], descriptions: dict[str, str]) -> dict[str, Any]:
    decks = {}
    for name in sorted(names):
        deck_id = stable_id(f"deck:{name}")
        decks[str(deck_id)] = {
            "id": deck_id,
            "name": name,
            "desc": descriptions.get(name, ""),
            "mod": FIRST_MTIME,
            "usn": -1,
            "conf": 1,
            "dyn": 0,
            "collapsed": False,
            "extendNew": 0,
            "extendRev": 50,
            "newToday": [0, 0],
            "revToday": [0, 0],
            "lrnToday": [0, 0],
            "timeToday": [0, 0],
        }
    return decks
