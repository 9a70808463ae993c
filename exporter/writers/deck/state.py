"""The deck's memory between builds: when each Anki note last changed.

Anki's default import updates a note only when the incoming modification time is newer than
the one in the collection. The deck therefore needs, for every note, a time that moves forward
exactly when the note's content changes, and the same time on every other build. This module
keeps those times in a small JSON file beside the content (content/deck-state.json): per note a
fingerprint of what was shipped, its time, a fingerprint of its answer (to see items move in a
list without ids) and a short excerpt (what a retired card shows).

Times: a state starts at its `epoch`. A new state reads the clock once (or SOURCE_DATE_EPOCH)
and stores it, so even when both the state and the last deck are lost, the next deck's times
are newer than anything published before it; after that the clock is never read again, and the
same content and state give the same deck.

Note identities (GUIDs) never come from this file: losing it cannot re-key or duplicate notes.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import json
import shutil
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from exporter.errors import ExporterError
from exporter.files.atomic import atomic_output
from exporter.options import FIRST_MTIME, MAX_MTIME, release_time
from exporter.writers.deck.identity import (
    CHANGED_TAG,
    FIELDS,
    FIELDS_OF_MODEL,
    MODEL_ID,
    RETIRED_CARD_TAG,
    NoteVersion,
    content_hash,
    excerpt,
    note_guid,
    text_print,
)
from exporter.writers.deck.notes import esc

STATE_FORMAT = 2
#: About 2 KB per technique: 10,000 techniques stay far below this (a bigger file is not a state).
MAX_STATE_BYTES = 200_000_000
#: Format 1 (exporter 0.1) kept every field of every note; it is read and rewritten as format 2.
OLD_FORMATS = (1,)

RETIRED_TAG = "retired"


@dataclass(frozen=True, slots=True)
class Entry:
    """What the state keeps of a shipped note (one per note ever published: slots keep a large
    library's state small in memory)."""

    key: str
    technique: str
    hash: str
    mtime: int
    #: text_print() of the note's answer, and its first words.
    answer: str
    excerpt: str
    retired: bool = False


@dataclass(frozen=True)
class DeckState:
    """Every note ever published (by GUID), the note type's fingerprint and time, the epoch."""

    notes: dict[str, Entry] = field(default_factory=dict, hash=False)
    note_type_hash: str = ""
    note_type_mtime: int = FIRST_MTIME
    epoch: int = FIRST_MTIME
    #: Why this state is not the one saved last time ("" when it is): shown as a warning.
    started: str = ""


def next_mtime(previous: Entry | None, current: NoteVersion, epoch: int, release: int = 0) -> int:
    """The previous time when nothing changed, else a time strictly after it.

    `release` (SOURCE_DATE_EPOCH, when the publisher sets it) lifts the time of a changed note
    to at least the release time, so it also beats a trainee's own later edits or tags.
    """
    if previous is None:
        return max(epoch, release)
    if previous.hash == current.hash:
        return previous.mtime
    return max(previous.mtime + 1, release)


def note_type_mtime(state: DeckState, note_type_hash: str, release: int = 0) -> int:
    if not state.note_type_hash:
        return max(state.note_type_mtime, state.epoch, release)
    if state.note_type_hash == note_type_hash:
        return state.note_type_mtime
    return max(state.note_type_mtime + 1, release)


def entry_of(version: NoteVersion) -> Entry:
    """What the state keeps of a note: its answer's print and the excerpt a retired card shows."""
    if version.answer_text:
        answer, plain = esc(version.answer_text), version.answer_text  # as an unmarked answer field shows it
    else:
        answer = version.fields.get("Answer", "")
        plain = html.unescape(answer.replace("<br>", " "))
    return Entry(
        key=version.key,
        technique=version.technique,
        hash=version.hash,
        mtime=version.mtime,
        answer=text_print(answer),
        excerpt=excerpt(plain),
        retired=version.retired,
    )


# --- the state file -------------------------------------------------------------------------

DAMAGED_HELP = (
    "It records when each Anki note last changed. Restore it from version control "
    "(for example `git checkout -- {path}`) and build again. If no good copy exists, delete it: "
    "the next build rebuilds it from {deck} when that file is there, otherwise starts a new one. "
    "Notes never change identity, so nobody gets duplicate cards either way."
)

FRESH_HELP = (
    "{path} and {deck} were both missing, so exporter started a new deck state with times from "
    "{when}. If people imported an earlier version of this deck, their next import updates every "
    "card (reviews and scheduling are kept; their own edits to these cards, including 'My notes', "
    "are replaced). To avoid that, stop now and put back the last published deck.apkg as {deck} "
    "(or the committed {path}) and build again. Otherwise keep the new {path} with the content "
    "(commit it)."
)


def load_state(path: Path, previous_deck: Path, clock: Callable[[], int] | None = None) -> DeckState:
    """The saved state; when missing, one recovered from the last deck or started afresh.

    A damaged file stops the build with an explanation; it is never silently replaced.
    """
    if not path.exists():
        if previous_deck.is_file():
            state = recover_from_deck(previous_deck)
            started = (
                f"{path} was missing; note change times were recovered from {previous_deck}. "
                "Keep the new file with the content (commit it)."
            )
            return DeckState(state.notes, state.note_type_hash, state.note_type_mtime, state.epoch, started)
        epoch = (clock or _clock)()
        when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(epoch))
        started = FRESH_HELP.format(path=path, deck=previous_deck, when=when)
        return DeckState(epoch=epoch, note_type_mtime=epoch, started=started)
    if not path.is_file() or path.stat().st_size > MAX_STATE_BYTES:
        what = "is not a regular file" if not path.is_file() else f"is over {MAX_STATE_BYTES // 1_000_000} MB"
        help_text = DAMAGED_HELP.format(path=path, deck=previous_deck)
        raise ExporterError(f"{path}: the deck state file {what}, so it was not read. {help_text}")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return parse_state(raw)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, IndexError, RecursionError) as exc:
        reason = _reason(exc)
        help_text = DAMAGED_HELP.format(path=path, deck=previous_deck)
        raise ExporterError(f"{path}: the deck state file is damaged ({reason}). {help_text}") from exc


def state_path(content_dir: Path) -> Path:
    """Where a content folder keeps its deck state (the writer table names the file)."""
    from exporter.writers import WRITERS

    return content_dir / (WRITERS["deck"].state_file or "deck-state.json")


def start_state(content_dir: Path) -> None:
    """The empty state of a brand-new library (no deck ever published from it), so that its first
    build starts quietly: the warning about a lost state is kept for a library that had one."""
    path = state_path(content_dir)
    if not path.exists():
        epoch = max(release_time() or _clock(), FIRST_MTIME)
        save_state(path, DeckState(epoch=epoch, note_type_mtime=epoch))


def _clock() -> int:
    """The one read of the clock, for a state that starts from nothing."""
    return int(time.time())


def _reason(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    text = str(exc)
    return text[:200] if text else type(exc).__name__


def parse_state(raw: Any) -> DeckState:
    if not isinstance(raw, dict) or raw.get("format") not in (STATE_FORMAT, *OLD_FORMATS):
        raise ValueError(f"not a deck state file of format {STATE_FORMAT}")
    if raw["format"] == 1:
        return _parse_format_1(raw)
    notes: dict[str, Entry] = {}
    for technique, group in _mapping(raw["notes"], "notes").items():
        for rest, value in _mapping(group, f"notes.{technique}").items():
            # A note kept from a technique's earlier id is written with its whole key (a/b/c).
            key = rest if rest.count("/") == 2 or not technique else f"{technique}/{rest}"
            if not isinstance(value, list) or len(value) not in (4, 5):
                raise ValueError(f"note {key}: expected [hash, time, answer, excerpt]")
            entry = Entry(
                key=key,
                technique=technique,
                hash=_text(value[0], f"{key} hash"),
                mtime=_integer(value[1], f"{key} time"),
                answer=_text(value[2], f"{key} answer"),
                excerpt=_text(value[3], f"{key} excerpt"),
                retired=len(value) == 5 and value[4] == RETIRED_TAG,
            )
            notes[_guid(key)] = entry
    note_type = _mapping(raw["note_type"], "note_type")
    return DeckState(
        notes=notes,
        note_type_hash=_text(note_type["hash"], "note_type.hash"),
        note_type_mtime=_integer(note_type["mtime"], "note_type.mtime"),
        epoch=_integer(raw["epoch"], "epoch"),
    )


def _parse_format_1(raw: Mapping[str, Any]) -> DeckState:
    notes: dict[str, Entry] = {}
    for guid, entry in _mapping(raw["notes"], "notes").items():
        entry = _mapping(entry, f"note {guid}")
        fields = {_text(k, "fields"): _text(v, "fields") for k, v in _mapping(entry["fields"], "fields").items()}
        version = NoteVersion(
            key=_text(entry["key"], "key"),
            technique=_text(entry["technique"], "technique"),
            deck=_text(entry["deck"], "deck"),
            tags=tuple(_text(tag, "tags") for tag in entry["tags"]),
            fields=fields,
            mtime=_integer(entry["mtime"], "mtime"),
            retired=bool(entry.get("retired", False)),
        )
        if version.hash != entry["hash"]:
            raise ValueError(f"note {guid} ({version.key}) does not match its hash; the file was edited by hand")
        notes[guid] = entry_of(version)
    note_type = _mapping(raw["note_type"], "note_type")
    return DeckState(
        notes=notes,
        note_type_hash=_text(note_type["hash"], "note_type.hash"),
        note_type_mtime=_integer(note_type["mtime"], "note_type.mtime"),
    )


def _guid(key: str) -> str:
    return note_guid(key)


def state_json_lines(state: DeckState) -> Iterator[str]:
    """Deterministic, diff-friendly JSON, line by line: sorted keys, one note per line, grouped by
    technique. Yielded a line at a time: at 5,000 techniques the whole text is 14 MB."""
    groups: dict[str, dict[str, list[Any]]] = {}
    for entry in state.notes.values():
        technique, rest = entry.technique, entry.key
        if technique and entry.key.startswith(technique + "/"):
            rest = entry.key[len(technique) + 1 :]
        value: list[Any] = [entry.hash, entry.mtime, entry.answer, entry.excerpt]
        if entry.retired:
            value.append(RETIRED_TAG)
        groups.setdefault(technique, {})[rest] = value
    head = {
        "about": "Written by `exporter deck`: when each Anki note last changed. Commit it; do not edit.",
        "epoch": state.epoch,
        "format": STATE_FORMAT,
        "note_type": {"hash": state.note_type_hash, "mtime": state.note_type_mtime},
    }
    yield "{\n"
    for name, field_value in head.items():
        yield f" {_dumps(name)}: {_dumps(field_value)},\n"
    yield ' "notes": {\n'
    for technique in sorted(groups):
        notes = groups.pop(technique)
        yield f"  {_dumps(technique)}: {{\n"
        names = sorted(notes)
        for number, rest in enumerate(names):
            yield f"   {_dumps(rest)}: {_dumps(notes[rest])}{',' if number < len(names) - 1 else ''}\n"
        yield "  }" + (",\n" if groups else "\n")
    yield " }\n}\n"


def _dumps(value: Any) -> str:
    return _STATE_JSON.encode(value)


#: json.dumps(…, ensure_ascii=False, sort_keys=True, separators=(", ", ": ")), built once.
_STATE_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


class _Unchanged(Exception):
    """The state written is the one the file holds: the file is left as it was."""


def save_state(path: Path, state: DeckState) -> None:
    """Write the state atomically; an unchanged file is left untouched. Hashed and written a line
    at a time, in one pass, so a large library's state is never held whole in memory."""
    before = _file_digest(path) if path.is_file() else None
    digest = hashlib.sha256()
    with contextlib.suppress(_Unchanged), atomic_output(path) as temporary:
        with temporary.open("wb") as handle:
            for line in state_json_lines(state):
                encoded = line.encode("utf-8")
                digest.update(encoded)
                handle.write(encoded)
        if digest.digest() == before:
            raise _Unchanged  # atomic_output removes the new copy


def _file_digest(path: Path) -> bytes:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.digest()


def _mapping(value: Any, what: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{what}: expected a mapping")
    return value


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what}: expected text, got {type(value).__name__}")
    return value


def _integer(value: Any, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not FIRST_MTIME <= value <= MAX_MTIME:
        raise ValueError(f"{what}: expected a time between {FIRST_MTIME} and {MAX_MTIME}")
    return value


# --- recovery from the last deck that was built ----------------------------------------------


def recover_from_deck(deck_path: Path) -> DeckState:
    """The state as the last built deck.apkg shows it (fingerprints and times of its notes).

    A key is unknown there, so recovered notes carry their GUID as key until they are rebuilt.
    """
    problem = f"{deck_path}: cannot recover the deck state from this file"
    advice = "Delete it (or build with another --out) to start a new deck state."
    try:
        with zipfile.ZipFile(deck_path) as archive, tempfile.TemporaryDirectory() as folder:
            database = Path(folder) / "collection.anki2"
            with archive.open("collection.anki2") as packed, database.open("wb") as unpacked:
                shutil.copyfileobj(packed, unpacked, 1 << 20)
            return _read_collection(database)
    except _NotOurs as exc:
        raise ExporterError(f"{problem}: {exc}. {advice}") from exc
    except (OSError, zipfile.BadZipFile, KeyError, IndexError, TypeError, sqlite3.Error, ValueError) as exc:
        raise ExporterError(f"{problem} ({_reason(exc)}). {advice}") from exc


class _NotOurs(Exception):
    """The package was not written by exporter."""


def _read_collection(database: Path) -> DeckState:
    connection = sqlite3.connect(database)
    try:
        models_json, decks_json = connection.execute("SELECT models, decks FROM col").fetchone()
        models = json.loads(models_json)
        model = models.get(str(MODEL_ID)) if isinstance(models, dict) else None
        if not isinstance(model, dict) or len(model.get("flds", ())) != len(FIELDS):
            raise _NotOurs("it was not made by exporter (it has no 'Exporter technique card' note type)")
        ours = {mid: models[str(mid)] for mid in sorted(FIELDS_OF_MODEL) if isinstance(models.get(str(mid)), dict)}
        deck_names = {int(deck_id): deck["name"] for deck_id, deck in json.loads(decks_json).items()}
        marks = ", ".join("?" for _ in ours)
        rows = connection.execute(
            "SELECT n.guid, n.mod, n.tags, n.flds, n.mid, min(c.did) FROM notes n JOIN cards c ON c.nid = n.id "
            f"WHERE n.mid IN ({marks}) GROUP BY n.id",
            tuple(ours),
        )
        notes = {row[0]: _recovered_entry(row, deck_names) for row in rows}  # row by row, never all at once
    finally:
        connection.close()
    model_mtime = _integer(int(model["mod"]), "note type time")
    epoch = max([model_mtime, *(entry.mtime for entry in notes.values())])
    # Hashed as the writer hashes them (at the first time), so unchanged note types keep their time.
    for note_type in ours.values():
        note_type["mod"] = FIRST_MTIME
    return DeckState(notes=notes, note_type_hash=content_hash(*ours.values()), note_type_mtime=model_mtime, epoch=epoch)


def _recovered_entry(row: tuple[str, int, str, str, int, int], decks: dict[int, str]) -> Entry:
    guid, mtime, tags, flds, mid, deck_id = row
    tag_tuple = tuple(sorted(tag for tag in tags.split() if not tag.startswith(CHANGED_TAG + "::")))
    names = FIELDS_OF_MODEL[mid]
    values = flds.split("\x1f")
    if len(values) != len(names):
        raise ValueError(f"note {guid} has {len(values)} fields, not {len(names)}")
    version = NoteVersion(
        key=f"guid:{guid}",
        technique="",
        deck=decks[deck_id],
        tags=tag_tuple,
        fields=dict(zip(names, values, strict=True)),
        mtime=_integer(int(mtime), f"note {guid} time"),
        retired=RETIRED_TAG in tag_tuple or RETIRED_CARD_TAG in tag_tuple,
        model=mid,
    )
    return entry_of(version)
