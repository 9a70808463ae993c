"""The deck's memory between builds: when each Anki note last changed.

Anki's default import updates a note only when the incoming modification time is newer than
the one in the collection. The deck therefore needs, for every note, a time that moves forward
exactly when the note's content changes, and the same time on every other build. This module
keeps those times in a small JSON file beside the content (content/deck-state.json), together
with each note's last published fields, so that a removed item can still be shipped as a
"retired" note.

Note identities (GUIDs) never come from this file: losing it cannot re-key or duplicate notes.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import tempfile
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from exporter.errors import ExporterError
from exporter.outputs import write_bytes_atomic

STATE_FORMAT = 1

#: The modification time of every note's first version: 2026-01-01 00:00:00 UTC. A later
#: version gets the previous time + 1 s; the wall clock is never read, so the same content and
#: state always give the same deck.
FIRST_MTIME = 1_767_225_600

RETIRED_TAG = "retired"


def content_hash(*parts: Any) -> str:
    """A short, stable fingerprint of JSON-able values."""
    data = json.dumps(parts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class NoteVersion:
    """A note as published: what Anki receives, plus when it last changed."""

    key: str
    #: Id of the technique the note belongs to ("" when recovered from a built deck).
    technique: str
    deck: str
    tags: tuple[str, ...]
    fields: dict[str, str] = field(hash=False)
    mtime: int = FIRST_MTIME
    retired: bool = False

    @property
    def hash(self) -> str:
        return content_hash(self.deck, list(self.tags), self.fields)


@dataclass(frozen=True)
class DeckState:
    """Every note ever published (by GUID) and the note type's fingerprint and time."""

    notes: dict[str, NoteVersion] = field(default_factory=dict, hash=False)
    note_type_hash: str = ""
    note_type_mtime: int = FIRST_MTIME


def next_mtime(previous: NoteVersion | None, current: NoteVersion, release: int = 0) -> int:
    """The previous time when nothing changed, else a time strictly after it.

    `release` (SOURCE_DATE_EPOCH, when the publisher sets it) lifts the time of a changed note
    to at least the release time, so it also beats a trainee's own later edits or tags.
    """
    if previous is None:
        return max(FIRST_MTIME, release)
    if previous.hash == current.hash:
        return previous.mtime
    return max(previous.mtime + 1, release)


def note_type_mtime(state: DeckState, note_type_hash: str, release: int = 0) -> int:
    if not state.note_type_hash:
        return max(state.note_type_mtime, release)
    if state.note_type_hash == note_type_hash:
        return state.note_type_mtime
    return max(state.note_type_mtime + 1, release)


def retire(version: NoteVersion, deck: str, notice_field: str, notice: str) -> NoteVersion:
    """The note of a removed item: its last fields with a notice, the "retired" tag, and the
    deck of retired notes (which only people importing the deck for the first time see)."""
    if version.retired:
        return version
    fields = dict(version.fields)
    fields[notice_field] = notice
    tags = tuple(sorted({*version.tags, RETIRED_TAG}))
    return replace(version, deck=deck, fields=fields, tags=tags, retired=True)


# --- the state file -------------------------------------------------------------------------

DAMAGED_HELP = (
    "It records when each Anki note last changed. Restore it from version control "
    "(for example `git checkout -- {path}`) and build again. If no good copy exists, delete it: "
    "the next build rebuilds it from {deck} when that file is there, otherwise starts a new one. "
    "Notes never change identity, so nobody gets duplicate cards either way."
)


def load_state(path: Path, previous_deck: Path) -> tuple[DeckState, str | None]:
    """The saved state, and a warning when it had to be recovered or started afresh.

    A damaged file stops the build with an explanation; it is never silently replaced.
    """
    if not path.exists():
        if previous_deck.is_file():
            state = recover_from_deck(previous_deck)
            return state, (
                f"{path} was missing; note change times were recovered from {previous_deck}. "
                "Keep the new file with the content (commit it)."
            )
        return DeckState(), f"{path} did not exist; started it. Keep it with the content (commit it)."
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return parse_state(raw), None
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc) or type(exc).__name__
        help_text = DAMAGED_HELP.format(path=path, deck=previous_deck)
        raise ExporterError(f"{path}: the deck state file is damaged ({reason}). {help_text}") from exc


def parse_state(raw: Any) -> DeckState:
    if not isinstance(raw, dict) or raw.get("format") != STATE_FORMAT:
        raise ValueError(f"not a deck state file of format {STATE_FORMAT}")
    notes: dict[str, NoteVersion] = {}
    for guid, entry in _mapping(raw["notes"], "notes").items():
        entry = _mapping(entry, f"note {guid}")
        version = NoteVersion(
            key=_text(entry["key"], "key"),
            technique=_text(entry["technique"], "technique"),
            deck=_text(entry["deck"], "deck"),
            tags=tuple(_text(tag, "tags") for tag in entry["tags"]),
            fields={_text(k, "fields"): _text(v, "fields") for k, v in _mapping(entry["fields"], "fields").items()},
            mtime=_integer(entry["mtime"], "mtime"),
            retired=bool(entry.get("retired", False)),
        )
        if version.hash != entry["hash"]:
            raise ValueError(f"note {guid} ({version.key}) does not match its hash; the file was edited by hand")
        notes[guid] = version
    note_type = _mapping(raw["note_type"], "note_type")
    return DeckState(
        notes=notes,
        note_type_hash=_text(note_type["hash"], "note_type.hash"),
        note_type_mtime=_integer(note_type["mtime"], "note_type.mtime"),
    )


def state_json(state: DeckState) -> str:
    """Deterministic, diff-friendly JSON: sorted keys, one field per line."""
    notes = {
        guid: {
            "key": version.key,
            "technique": version.technique,
            "hash": version.hash,
            "mtime": version.mtime,
            "deck": version.deck,
            "tags": list(version.tags),
            "fields": version.fields,
            **({"retired": True} if version.retired else {}),
        }
        for guid, version in state.notes.items()
    }
    document = {
        "format": STATE_FORMAT,
        "about": "Written by `exporter deck`: when each Anki note last changed. Commit it; do not edit.",
        "note_type": {"hash": state.note_type_hash, "mtime": state.note_type_mtime},
        "notes": notes,
    }
    return json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def save_state(path: Path, state: DeckState) -> None:
    """Write the state atomically; an unchanged file is left untouched."""
    data = state_json(state).encode("utf-8")
    if path.is_file() and path.read_bytes() == data:
        return
    write_bytes_atomic(path, data)


def _mapping(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{what}: expected a mapping")
    return value


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what}: expected text, got {type(value).__name__}")
    return value


def _integer(value: Any, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < FIRST_MTIME:
        raise ValueError(f"{what}: expected a time of {FIRST_MTIME} or later")
    return value


# --- recovery from the last deck that was built ----------------------------------------------


def recover_from_deck(deck_path: Path) -> DeckState:
    """The state as the last built deck.apkg shows it (fields, tags, decks and times).

    A key is unknown there, so recovered notes carry their GUID as key until they are rebuilt.
    """
    try:
        with zipfile.ZipFile(deck_path) as archive, tempfile.TemporaryDirectory() as folder:
            database = Path(folder) / "collection.anki2"
            database.write_bytes(archive.read("collection.anki2"))
            return _read_collection(database)
    except (OSError, zipfile.BadZipFile, KeyError, sqlite3.Error, ValueError) as exc:
        raise ExporterError(
            f"{deck_path}: cannot recover the deck state from this file ({exc}). "
            "Delete it (or build with another --out) to start a new deck state."
        ) from exc


def _read_collection(database: Path) -> DeckState:
    connection = sqlite3.connect(database)
    try:
        models_json, decks_json = connection.execute("SELECT models, decks FROM col").fetchone()
        models = json.loads(models_json)
        deck_names = {int(deck_id): deck["name"] for deck_id, deck in json.loads(decks_json).items()}
        field_names = {int(model_id): [f["name"] for f in model["flds"]] for model_id, model in models.items()}
        rows = connection.execute(
            "SELECT n.guid, n.mid, n.mod, n.tags, n.flds, c.did FROM notes n JOIN cards c ON c.nid = n.id"
        ).fetchall()
    finally:
        connection.close()
    notes: dict[str, NoteVersion] = {}
    for guid, model_id, mtime, tags, flds, deck_id in rows:
        tag_tuple = tuple(sorted(tags.split()))
        notes[guid] = NoteVersion(
            key=guid,
            technique="",
            deck=deck_names[deck_id],
            tags=tag_tuple,
            fields=dict(zip(field_names[model_id], flds.split("\x1f"), strict=True)),
            mtime=int(mtime),
            retired=RETIRED_TAG in tag_tuple,
        )
    model = next(iter(models.values()))
    mtime = int(model["mod"])
    # Hashed as the writer hashes it (at the first time), so an unchanged note type keeps its time.
    model["mod"] = FIRST_MTIME
    return DeckState(notes=notes, note_type_hash=content_hash(model), note_type_mtime=mtime)
