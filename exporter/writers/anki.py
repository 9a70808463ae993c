"""The Anki deck: output/deck.apkg, one note (one card) per step, phrase and warning.

Identity rules, which keep a trainee's review history across rebuilds and upgrades:
- a note's GUID comes from technique id + kind + the item's `id` (else its position);
- the note type has a fixed id; its fields and its template have fixed ids (derived from their
  first, English names), so Anki matches them by id even where their displayed names are
  translated; the fields never change in number or order;
- every deck id is derived from the deck's name;
- a note's modification time changes only when its content changes (see deck_state.py).
What the cards ask is designed in deck_notes.py. The package is written without reading the
clock (times come from the state file), so the same content and state give the same bytes.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from exporter.deck_shifts import shifted_lists
from exporter.deck_state import (
    FIRST_MTIME,
    MODEL_ID,
    RETIRED_TAG,
    DeckState,
    Entry,
    NoteVersion,
    content_hash,
    entry_of,
    load_state,
    next_mtime,
    note_type_mtime,
    release_time,
    save_state,
)
from exporter.errors import ExporterError
from exporter.labels import Labels
from exporter.model import Library
from exporter.outputs import atomic_output
from exporter.writers import BuildOptions, WriteResult
from exporter.writers.deck_notes import (
    FIELD_LABELS,
    FIELDS,
    KINDS,
    NOTES_FIELD,
    PHRASE_KINDS,
    STEP,
    WARNING,
    NoteKind,
    deck_name,
    esc,
    note_guid,
    note_key,
    slug,
    technique_notes,
)
from exporter.writers.deck_package import PackageWriter, stable_id

__all__ = ["FIELDS", "MODEL_ID", "PHRASE_KINDS", "STEP", "WARNING", "NoteKind", "note_guid", "note_key", "slug"]

DECK_FILE = "deck.apkg"

#: Never change these: Anki recognises the note type and its parts by them.
TEMPLATE_ID_NAME = "Recall"


#: Characters a field name cannot hold (Anki's template syntax uses them).
_NOT_IN_FIELD_NAMES = re.compile(r"[:{}\"#^/<>]")


def retired_deck_name(library: Library, labels: Labels) -> str:
    """Outside the library's deck: only people importing for the first time get cards here."""
    return labels("deck.retired_deck", library=deck_name(library.title))


# --- notes -----------------------------------------------------------------------------------


def retired_version(entry: Entry, deck: str, labels: Labels) -> NoteVersion:
    """The note of a removed item, as its state entry describes it: the retired notice, the
    item's first words, and the deck of retired notes."""
    technique, _, rest = entry.key.partition("/")
    kind_slug = rest.split("/")[0] if entry.technique else ""
    kind = next((k for k in KINDS if k.slug == kind_slug), None)
    kind_name = labels(f"deck.kind.{kind.label}") if kind else ""
    fields = {name: "" for name in FIELDS}
    fields.update(
        Header=esc(labels("deck.retired_header", technique=technique or "-", kind=kind_name, text=entry.excerpt)),
        Answer=esc(entry.excerpt),
        Kind=esc(kind_name),
        Status=esc(labels("deck.retired")),
    )
    tags = tuple(sorted({RETIRED_TAG, *((technique, kind_slug) if kind else ())}))
    return NoteVersion(key=entry.key, technique=entry.technique, deck=deck, tags=tags, fields=fields, retired=True)


@dataclass
class Publication:
    """The notes to ship, one at a time, and the state entries a build leaves alone.

    Active notes come in handbook order, then retired ones: a note of a removed item is retired,
    never dropped. In a partial build the notes of the techniques left out are neither shipped
    nor retired: they stay in the state as they were (`untouched`).
    """

    library: Library
    previous: DeckState
    partial: bool
    release: int = 0
    untouched: dict[str, Entry] = field(default_factory=dict)

    def notes(self) -> Iterator[tuple[str, NoteVersion]]:
        labels, previous = self.library.labels(), self.previous
        shipped: set[str] = set()
        for technique in self.library.ordered_techniques():
            for guid, version in technique_notes(self.library, technique, labels):
                if guid in shipped:
                    raise ExporterError(
                        f"{technique.path}: two Anki notes share the key {version.key}; make the item ids unique"
                    )
                shipped.add(guid)
                yield (
                    guid,
                    replace(version, mtime=next_mtime(previous.notes.get(guid), version, previous.epoch, self.release)),
                )
        built = {t.id for t in self.library.techniques}
        retired_deck = retired_deck_name(self.library, labels)
        for guid, old in sorted(previous.notes.items(), key=lambda entry: (entry[1].key, entry[0])):
            if guid in shipped:
                continue
            if self.partial and old.technique not in built:
                self.untouched[guid] = old
                continue
            gone = retired_version(old, retired_deck, labels)
            yield guid, replace(gone, mtime=next_mtime(old, gone, previous.epoch, self.release))


def state_entry(version: NoteVersion, previous: Entry | None) -> Entry:
    """What the state keeps of a shipped note (a retired note keeps its last answer's excerpt)."""
    if version.retired and previous is not None:
        return replace(previous, hash=version.hash, mtime=version.mtime, retired=True)
    return entry_of(version)


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
{{#Source}}<div class="xc-source" dir="auto">{{Source}}</div>{{/Source}}
{{#Extra}}<div class="xc-extra" dir="auto"><span class="xc-label">{{NOTES_LABEL}}</span> {{Extra}}</div>{{/Extra}}
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
.xc-source .xc-label { font-size: 0.85em; }
.xc-context br + .xc-label { margin-top: 8px; }
.xc-status {
  background: var(--alert-bg); color: var(--alert-fg); border-radius: 6px;
  padding: 6px 10px; margin: 10px 0; font-size: 0.8em;
}
.xc-extra { font-size: 0.85em; margin-top: 12px; border-top: 1px dashed var(--rule); padding-top: 8px; }
hr#answer { border: 0; border-top: 1px solid var(--rule); margin: 16px 0; }
@media (max-width: 480px) { .card { font-size: 18px; padding: 10px; } .xc-prompt { font-size: 1.08em; } }
"""


def field_names(labels: Labels) -> dict[str, str]:
    """The displayed name of each field, from the labels; the internal name where a label
    would not work as an Anki field name (empty, a template character, or a repeat)."""
    names: dict[str, str] = {}
    for internal in FIELDS:
        shown = " ".join(_NOT_IN_FIELD_NAMES.sub("", labels(f"deck.field.{FIELD_LABELS[internal]}")).split())
        names[internal] = shown if shown and shown not in names.values() else internal
    return names


def _template(text: str, names: dict[str, str], labels: Labels) -> str:
    """A template with each {{Field}} (and {{#Field}}, {{/Field}}) under its displayed name."""
    pattern = re.compile(r"\{\{([#/^]?)(" + "|".join(FIELDS) + r")\}\}")
    text = pattern.sub(lambda match: "{{" + match.group(1) + names[match.group(2)] + "}}", text)
    return text.replace("{{NOTES_LABEL}}", esc(names[NOTES_FIELD]))


def note_type_json(mtime: int, labels: Labels) -> dict[str, Any]:
    """The note type in the package's (schema 11) form, with fixed ids for fields and template."""
    names = field_names(labels)
    fields = [
        {
            "name": names[internal],
            "ord": index,
            "id": stable_id(f"field:{internal}"),
            "font": "Arial",
            "size": 20,
            "rtl": False,
            "sticky": False,
            "media": [],
            **({"description": labels("deck.my_notes_description")} if internal == NOTES_FIELD else {}),
        }
        for index, internal in enumerate(FIELDS)
    ]
    template = {
        "name": labels("deck.card_type"),
        "ord": 0,
        "id": stable_id(f"template:{TEMPLATE_ID_NAME}"),
        "qfmt": _template(FRONT, names, labels),
        "afmt": _template(BACK, names, labels),
        "bqfmt": "",
        "bafmt": "",
        "bfont": "",
        "bsize": 0,
        "did": None,
    }
    return {
        "id": MODEL_ID,
        "name": labels("deck.note_type"),
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


def note_type_hash(labels: Labels) -> str:
    return content_hash(note_type_json(FIRST_MTIME, labels))


# --- the package -----------------------------------------------------------------------------


def deck_descriptions(library: Library, labels: Labels) -> dict[str, str]:
    descriptions = {
        deck_name(library.title): esc(library.disclaimer),
        retired_deck_name(library, labels): esc(labels("deck.retired_deck_description")),
    }
    for technique in library.techniques:
        descriptions[deck_name(library.title, technique.categories[0], technique.title)] = esc(technique.summary)
    return descriptions


# --- the writer ------------------------------------------------------------------------------


def write_deck(library: Library, out_dir: Path, options: BuildOptions) -> WriteResult:
    target = out_dir / DECK_FILE
    warnings: list[str] = []
    release = release_time()
    previous = DeckState(epoch=max(FIRST_MTIME, release))
    if options.deck_state is not None:
        previous = load_state(options.deck_state, target, clock=(lambda: release) if release else None)
        if previous.started:
            warnings.append(previous.started)
        warnings += shifted_lists(library, previous)
    labels = library.labels()
    publication = Publication(library, previous, options.partial, release)
    entries: dict[str, Entry] = {}
    counts: Counter[str] = Counter()
    with tempfile.TemporaryDirectory(prefix="exporter-deck-") as folder:
        package = PackageWriter(Path(folder))
        try:
            for guid, note in publication.notes():
                package.add(guid, note)
                entries[guid] = state_entry(note, previous.notes.get(guid))
                counts["retired" if note.retired else note.key.split("/")[1]] += 1
        except BaseException:
            package.close()
            raise
        type_hash = note_type_hash(labels)
        model_mtime = note_type_mtime(previous, type_hash, release)
        package.finish(deck_descriptions(library, labels), note_type_json(model_mtime, labels))
        with atomic_output(target) as temporary:
            package.write_zip(temporary)
    if options.deck_state is not None:
        state = DeckState(
            notes={**entries, **publication.untouched},
            note_type_hash=type_hash,
            note_type_mtime=model_mtime,
            epoch=previous.epoch,
        )
        save_state(options.deck_state, state)
    return WriteResult("deck", (target,), _summary(counts), tuple(warnings))


def _summary(counts: Counter[str]) -> str:
    phrases = sum(counts[kind.slug] for kind in PHRASE_KINDS)
    text = f"{counts['step']} step, {phrases} phrase and {counts['warning']} warning cards"
    return text + (f", {counts['retired']} retired" if counts["retired"] else "")
