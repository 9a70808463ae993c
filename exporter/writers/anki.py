"""The Anki deck: output/deck.apkg, one note (one card) per step, phrase and warning.

Identity rules, which keep a trainee's review history across rebuilds:
- a note's GUID comes from technique id + kind + the item's `id` (else its position);
- the note type has a fixed id, fixed field and template names and ids;
- every deck id is derived from the deck's name;
- a note's modification time changes only when its content changes (see deck_state.py).
The package is written without reading the clock (times come from the state file, or from
SOURCE_DATE_EPOCH when the publisher sets it), so the same content and state give the same bytes.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import os
import re
import sqlite3
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from exporter.deck_state import (
    FIRST_MTIME,
    DeckState,
    NoteVersion,
    content_hash,
    load_state,
    next_mtime,
    note_type_mtime,
    retire,
    save_state,
)
from exporter.errors import ExporterError
from exporter.model import Item, Library, Technique
from exporter.outputs import atomic_output
from exporter.writers import BuildOptions, WriteResult

DECK_FILE = "deck.apkg"

#: Never change these: Anki recognises the note type and its parts by them.
MODEL_ID = 1_736_512_837_401
MODEL_NAME = "Exporter technique card"
TEMPLATE_NAME = "Recall"
#: The first field (the header, e.g. "Category > Technique · Step 3 of 7") is what Anki's browser
#: lists and checks for duplicates, so it is the most specific one.
FIELDS = ("Header", "Prompt", "Answer", "Context", "StepMap", "Technique", "Kind", "Source", "Status", "Extra")

#: New cards of retired notes come after every active card.
RETIRED_DUE_OFFSET = 1_000_000

RETIRED_NOTICE = (
    "Retired: this item is no longer in the handbook. You can suspend or delete this card (search for tag:retired)."
)


@dataclass(frozen=True)
class NoteKind:
    section: str
    slug: str
    label: str
    #: The situation when an item has no cue: "What is a key phrase …?"
    some: str
    #: The question when a cue gives the situation.
    ask: str


STEP = NoteKind("steps", "step", "Step", "a step", "")
PHRASE_KINDS = (
    NoteKind("key_phrases", "key-phrase", "Key phrase", "a key phrase", "What could you say?"),
    NoteKind(
        "follow_up_questions", "follow-up-question", "Follow-up question", "a follow-up question", "What could you ask?"
    ),
    NoteKind(
        "alternative_phrasings",
        "alternative-phrasing",
        "Alternative phrasing",
        "an alternative phrasing",
        "How else could you put it?",
    ),
)
WARNING = NoteKind("warnings", "warning", "Warning", "a warning", "")

_ENTITIES = str.maketrans({"{": "&#123;", "}": "&#125;", "[": "&#91;", "]": "&#93;"})


def esc(text: str) -> str:
    """Content text as inert HTML: no tags, no template fields or clozes ({{…}}), no [sound:…]."""
    return html.escape(text, quote=True).translate(_ENTITIES).replace("\n", "<br>")


def shorten(text: str, limit: int) -> str:
    """The first sentence, cut at a word boundary to at most `limit` characters."""
    text = " ".join(text.split())
    sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:—–- ")
    return cut + "…"


def slug(text: str) -> str:
    """A tag-safe form of a name: lowercase words joined by '-' (no spaces, no '::')."""
    return "-".join(re.findall(r"\w+", text.casefold())) or "x"


def note_key(technique: Technique, kind: NoteKind, item: Item, position: int) -> str:
    return f"{technique.id}/{kind.slug}/{item.id}" if item.id else f"{technique.id}/{kind.slug}/#{position}"


def note_guid(key: str) -> str:
    """The note's GUID: a hash of its stable key (never of its text)."""
    digest = hashlib.sha256(f"exporter-note:{key}".encode()).digest()
    return base64.urlsafe_b64encode(digest[:9]).decode("ascii")


def stable_id(name: str) -> int:
    """A positive id below 2**53 derived from a name (deck, field and template ids)."""
    digest = hashlib.sha256(f"exporter-id:{name}".encode()).digest()
    return (1 << 40) + int.from_bytes(digest[:6], "big") % (1 << 52)


def deck_name(*parts: str) -> str:
    # "::" nests decks in Anki; a title that contains it, or starts or ends with ":", must stay one level.
    return "::".join(_deck_level(part) for part in parts)


def _deck_level(part: str) -> str:
    return " ".join(re.sub(":{2,}", ":", part).split()).strip(": ") or "-"


def retired_deck_name(library: Library) -> str:
    """Outside the library's deck: only people importing for the first time get cards here."""
    return f"{deck_name(library.title)} (retired)"


# --- notes -----------------------------------------------------------------------------------


def technique_notes(library: Library, technique: Technique) -> list[tuple[str, NoteVersion]]:
    """The notes of one technique in handbook order: steps, phrases, warnings."""
    category = technique.categories[0]
    deck = deck_name(library.title, category, technique.title)
    where = f"{esc(category)} &gt; {esc(technique.title)}"
    base_tags = {technique.id, *(slug(name) for name in technique.categories)}

    def make(kind: NoteKind, item: Item, position: int, fields: dict[str, str]) -> tuple[str, NoteVersion]:
        key = note_key(technique, kind, item, position)
        full = {name: "" for name in FIELDS}
        full.update(Technique=esc(technique.title), Kind=kind.label, **fields)
        tags = tuple(sorted(base_tags | {kind.slug}))
        return note_guid(key), NoteVersion(key=key, technique=technique.id, deck=deck, tags=tags, fields=full)

    notes = []
    steps = technique.steps
    for index, item in enumerate(steps):
        number = index + 1
        if index == 0:
            context = _labelled("Purpose", esc(shorten(technique.summary, 160)))
        else:
            context = _labelled("Previous step", esc(steps[index - 1].text))
        if item.cue:
            context += _labelled("Cue", esc(item.cue))
        notes.append(
            make(
                STEP,
                item,
                number,
                {
                    "Header": f"{where} · Step {number} of {len(steps)}",
                    "Context": context,
                    "Prompt": f"What is step {number}?",
                    "Answer": esc(item.text),
                    "StepMap": _step_map(steps, index),
                },
            )
        )
    for kind in PHRASE_KINDS:
        for index, item in enumerate(technique.items(kind.section)):
            notes.append(
                make(
                    kind,
                    item,
                    index + 1,
                    {
                        "Header": f"{where} · {kind.label}",
                        "Context": _labelled("Situation", esc(item.cue)) if item.cue else "",
                        "Prompt": kind.ask if item.cue else f"What is {kind.some} in {esc(technique.title)}?",
                        "Answer": esc(item.text),
                    },
                )
            )
    for index, item in enumerate(technique.warnings):
        notes.append(
            make(
                WARNING,
                item,
                index + 1,
                {
                    "Header": f"{where} · Warning",
                    "Context": _labelled("Situation", esc(item.cue)) if item.cue else "",
                    "Prompt": f"What must you avoid in {esc(technique.title)}"
                    + (" here, and why?" if item.cue else "?"),
                    "Answer": esc(item.text),
                    "Source": "<br>".join(esc(source) for source in technique.sources),
                },
            )
        )
    return notes


def _labelled(label: str, text: str) -> str:
    return f'<span class="xc-label">{label}</span> {text}'


def _step_map(steps: tuple[Item, ...], current: int) -> str:
    entries = []
    for index, step in enumerate(steps):
        css = ' class="xc-current"' if index == current else ""
        entries.append(f"<li{css}>{esc(shorten(step.text, 60))}</li>")
    return "<ol>" + "".join(entries) + "</ol>"


def library_notes(library: Library) -> dict[str, NoteVersion]:
    """Every active note by GUID, in handbook order."""
    notes: dict[str, NoteVersion] = {}
    for technique in library.ordered_techniques():
        for guid, version in technique_notes(library, technique):
            if guid in notes:
                raise ExporterError(
                    f"{technique.path}: two Anki notes share the key {version.key}; make the item ids unique"
                )
            notes[guid] = version
    return notes


def publish(
    library: Library, previous: DeckState, partial: bool, release: int = 0
) -> tuple[dict[str, NoteVersion], dict[str, NoteVersion]]:
    """The notes to ship (active in handbook order, then retired) and the state entries to keep.

    A note of a removed item is retired, never dropped. In a partial build the notes of the
    techniques left out are neither shipped nor retired: they stay in the state as they were.
    """
    active = {
        guid: replace(version, mtime=next_mtime(previous.notes.get(guid), version, release))
        for guid, version in library_notes(library).items()
    }
    built = {t.id for t in library.techniques}
    retired_deck = retired_deck_name(library)
    retired: dict[str, NoteVersion] = {}
    untouched: dict[str, NoteVersion] = {}
    for guid, old in sorted(previous.notes.items(), key=lambda entry: (entry[1].key, entry[0])):
        if guid in active:
            continue
        if partial and old.technique not in built:
            untouched[guid] = old
            continue
        gone = retire(old, retired_deck, "Status", RETIRED_NOTICE)
        retired[guid] = replace(gone, mtime=next_mtime(old, gone, release))
    return {**active, **retired}, untouched


# --- note type -------------------------------------------------------------------------------

FRONT = """<div class="xc tex2jax_ignore" dir="auto">
<div class="xc-header" dir="auto">{{Header}}</div>
{{#Status}}<div class="xc-status" dir="auto">{{Status}}</div>{{/Status}}
{{#Context}}<div class="xc-context" dir="auto">{{Context}}</div>{{/Context}}
<div class="xc-prompt" dir="auto">{{Prompt}}</div>
</div>"""

BACK = """{{FrontSide}}
<hr id="answer">
<div class="xc tex2jax_ignore" dir="auto">
<div class="xc-answer" dir="auto">{{Answer}}</div>
{{#StepMap}}<div class="xc-map" dir="auto">{{StepMap}}</div>{{/StepMap}}
{{#Source}}<div class="xc-source" dir="auto"><span class="xc-label">Source</span> {{Source}}</div>{{/Source}}
{{#Extra}}<div class="xc-extra" dir="auto">{{Extra}}</div>{{/Extra}}
</div>"""

CSS = """.card {
  --fg: #1d2330; --muted: #5b6475; --bg: #fdfcf8; --box: #eef2f8; --accent: #4a6fa5;
  --mark: #fff1b8; --alert-bg: #fbe3e3; --alert-fg: #7a1f1f; --rule: #d9dde5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
  font-size: 20px; line-height: 1.45; text-align: start; color: var(--fg); background: var(--bg);
  margin: 0; padding: 16px; overflow-wrap: break-word;
}
.card.nightMode, .card.night_mode, .nightMode .card, .night_mode .card {
  --fg: #e6e8ec; --muted: #a9b1bf; --bg: #1e2127; --box: #2a303a; --accent: #7fa3d6;
  --mark: #4a4020; --alert-bg: #4a2626; --alert-fg: #f3c6c6; --rule: #3a404b;
}
.xc { max-width: 34em; margin: 0 auto; }
.xc-header { font-size: 0.72em; color: var(--muted); border-bottom: 1px solid var(--rule); padding-bottom: 6px; }
.xc-context {
  background: var(--box); border-inline-start: 4px solid var(--accent); border-radius: 6px;
  padding: 8px 12px; margin: 12px 0;
}
.xc-label { display: block; font-size: 0.65em; letter-spacing: 0.06em; text-transform: uppercase; color: var(--muted); }
.xc-prompt { font-size: 1.15em; font-weight: 600; margin: 14px 0; }
.xc-answer { font-size: 1.1em; }
.xc-map ol { margin: 14px 0 0; padding-inline-start: 1.6em; font-size: 0.78em; color: var(--muted); }
.xc-map li { margin: 2px 0; }
.xc-map li.xc-current { color: var(--fg); font-weight: 700; background: var(--mark); border-radius: 4px; }
.xc-source { font-size: 0.72em; color: var(--muted); margin-top: 16px; }
.xc-status {
  background: var(--alert-bg); color: var(--alert-fg); border-radius: 6px;
  padding: 6px 10px; margin: 10px 0; font-size: 0.8em;
}
.xc-extra { font-size: 0.85em; margin-top: 12px; }
hr#answer { border: 0; border-top: 1px solid var(--rule); margin: 16px 0; }
@media (max-width: 480px) { .card { font-size: 18px; padding: 10px; } .xc-prompt { font-size: 1.08em; } }
"""


def note_type_json(mtime: int) -> dict[str, Any]:
    """The note type in the package's (schema 11) form, with fixed ids for fields and template."""
    fields = [
        {
            "name": name,
            "ord": index,
            "id": stable_id(f"field:{name}"),
            "font": "Arial",
            "size": 20,
            "rtl": False,
            "sticky": False,
            "media": [],
        }
        for index, name in enumerate(FIELDS)
    ]
    template = {
        "name": TEMPLATE_NAME,
        "ord": 0,
        "id": stable_id(f"template:{TEMPLATE_NAME}"),
        "qfmt": FRONT,
        "afmt": BACK,
        "bqfmt": "",
        "bafmt": "",
        "bfont": "",
        "bsize": 0,
        "did": None,
    }
    return {
        "id": MODEL_ID,
        "name": MODEL_NAME,
        "type": 0,
        "mod": mtime,
        "usn": -1,
        "sortf": 0,
        "did": None,
        "tmpls": [template],
        "flds": fields,
        "css": CSS,
        "latexPre": "",
        "latexPost": "",
        "latexsvg": False,
        "req": [[0, "any", [FIELDS.index(name) for name in ("Prompt", "Header", "Context", "Status")]]],
        "tags": [],
        "vers": [],
    }


def note_type_hash() -> str:
    return content_hash(note_type_json(FIRST_MTIME))


# --- the package -----------------------------------------------------------------------------


NOTE_SQL = """INSERT INTO notes (id, guid, mid, mod, usn, tags, flds, sfld, csum, flags, data)
VALUES (?, ?, ?, ?, -1, ?, ?, ?, 0, 0, '')"""
CARD_SQL = """INSERT INTO cards (id, nid, did, ord, mod, usn, type, queue, due, ivl, factor, reps, lapses, left,
odue, odid, flags, data) VALUES (?, ?, ?, 0, ?, -1, 0, 0, ?, 0, 0, 0, 0, 0, 0, 0, 0, '')"""


def package_bytes(library: Library, notes: dict[str, NoteVersion], model_mtime: int) -> bytes:
    """A legacy .apkg (collection.anki2 + media) with no wall-clock time anywhere."""
    from genanki.apkg_col import APKG_COL
    from genanki.apkg_schema import APKG_SCHEMA

    connection = sqlite3.connect(":memory:")
    try:
        connection.executescript(APKG_SCHEMA)
        connection.executescript(APKG_COL)
        decks = json.loads(connection.execute("SELECT decks FROM col").fetchone()[0])
        decks.update(_decks_json(library, notes))
        models = {str(MODEL_ID): note_type_json(model_mtime)}
        connection.execute(
            "UPDATE col SET decks = ?, models = ?",
            (json.dumps(decks, sort_keys=True), json.dumps(models, sort_keys=True)),
        )
        base = FIRST_MTIME * 1000
        position = 0
        for index, (guid, note) in enumerate(notes.items()):
            note_id = base + 2 * index
            fields = "\x1f".join(note.fields.get(name, "") for name in FIELDS)
            tags = " " + " ".join(note.tags) + " "
            connection.execute(NOTE_SQL, (note_id, guid, MODEL_ID, note.mtime, tags, fields, note.fields["Header"]))
            # A new card's due is its position: Anki shows new cards in this order.
            due = RETIRED_DUE_OFFSET + index if note.retired else position
            position += 0 if note.retired else 1
            connection.execute(CARD_SQL, (note_id + 1, note_id, stable_id(f"deck:{note.deck}"), note.mtime, due))
        connection.commit()
        database = connection.serialize()
    finally:
        connection.close()
    return _zip({"collection.anki2": database, "media": b"{}"})


def _decks_json(library: Library, notes: dict[str, NoteVersion]) -> dict[str, Any]:
    descriptions = {
        deck_name(library.title): esc(library.disclaimer),
        retired_deck_name(library): "Cards of items that are no longer in the handbook.",
    }
    for technique in library.techniques:
        descriptions[deck_name(library.title, technique.categories[0], technique.title)] = esc(technique.summary)
    names: set[str] = set()
    for note in notes.values():
        parts = note.deck.split("::")
        names.update("::".join(parts[: depth + 1]) for depth in range(len(parts)))
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


def _zip(members: dict[str, bytes]) -> bytes:
    """A zip with fixed entry dates and permissions, so equal content gives equal bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


# --- the writer ------------------------------------------------------------------------------


def write_deck(library: Library, out_dir: Path, options: BuildOptions) -> WriteResult:
    target = out_dir / DECK_FILE
    warnings: list[str] = []
    previous = DeckState()
    if options.deck_state is not None:
        previous, warning = load_state(options.deck_state, target)
        if warning:
            warnings.append(warning)
    release = release_time()
    notes, untouched = publish(library, previous, options.partial, release)
    type_hash = note_type_hash()
    model_mtime = note_type_mtime(previous, type_hash, release)
    data = package_bytes(library, notes, model_mtime)
    with atomic_output(target) as temporary:
        temporary.write_bytes(data)
    if options.deck_state is not None:
        state = DeckState(notes={**notes, **untouched}, note_type_hash=type_hash, note_type_mtime=model_mtime)
        save_state(options.deck_state, state)
    return WriteResult("deck", (target,), _summary(notes), tuple(warnings))


def release_time() -> int:
    """SOURCE_DATE_EPOCH (the reproducible-builds convention) when set: see the README."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return 0
    if not value.isdigit():
        raise ExporterError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not {value!r}")
    return int(value)


def _summary(notes: dict[str, NoteVersion]) -> str:
    counts: dict[str, int] = {}
    retired = 0
    for note in notes.values():
        if note.retired:
            retired += 1
            continue
        kind = "phrase" if note.fields["Kind"] in {k.label for k in PHRASE_KINDS} else note.fields["Kind"].lower()
        counts[kind] = counts.get(kind, 0) + 1
    text = (
        f"{counts.get('step', 0)} step, {counts.get('phrase', 0)} phrase and {counts.get('warning', 0)} warning cards"
    )
    return text + (f", {retired} retired" if retired else "")
