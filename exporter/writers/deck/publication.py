"""Which notes a build ships, and what it keeps of them: active notes in handbook order, then
the notes of removed items as retired cards (never dropped)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from exporter.errors import ExporterError
from exporter.labels import Labels
from exporter.model import Library
from exporter.writers.deck.identity import FIELDS, KINDS, NoteVersion, note_key
from exporter.writers.deck.notes import KeyOf, deck_name, esc, technique_notes
from exporter.writers.deck.state import RETIRED_TAG, DeckState, Entry, entry_of, next_mtime


def retired_deck_name(library: Library, labels: Labels) -> str:
    """Outside the library's deck: only people importing for the first time get cards here."""
    return labels("deck.retired_deck", library=deck_name(library.title))


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
    #: The key of every item, following moves and renames since the state (continuity.follow).
    key_of: KeyOf = note_key
    untouched: dict[str, Entry] = field(default_factory=dict)

    def notes(self) -> Iterator[tuple[str, NoteVersion]]:
        labels, previous = self.library.labels(), self.previous
        shipped: set[str] = set()
        for technique in self.library.ordered_techniques():
            for guid, version in technique_notes(self.library, technique, labels, self.key_of):
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
