"""Which notes a build ships, and what it keeps of them: active notes, then the notes of removed
items as retired cards (never dropped); today's kinds first, then the later kinds (practice.py),
so the rows of today's notes stay where they were. Every new card is numbered in handbook order
across all kinds (NoteVersion.due): the order Anki shows new cards in."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial

from exporter.content.fronts import closed_quotes
from exporter.errors import ExporterError
from exporter.labels import Labels
from exporter.model import PHRASE_FIELDS, Library, Technique
from exporter.writers.deck.identity import (
    FIELDS_OF_MODEL,
    KINDS,
    MODEL_ID,
    MODEL_OF_KIND,
    PRACTICE_KINDS,
    RETIRED_CARD_TAG,
    SEQUENCE_MODEL_ID,
    NoteVersion,
    note_guid,
    note_key,
    tag,
)
from exporter.writers.deck.note_cache import Notes
from exporter.writers.deck.notes import KeyOf, deck_name, esc, technique_notes
from exporter.writers.deck.package import card_count
from exporter.writers.deck.practice import (
    PracticeMaker,
    Situation,
    Switches,
    cloze_text,
    later_card_count,
    situations_by_technique,
)
from exporter.writers.deck.state import DeckState, Entry, entry_of, next_mtime


def retired_deck_name(library: Library, labels: Labels) -> str:
    """Outside the library's deck: only people importing for the first time get cards here."""
    return labels("deck.retired_deck", library=deck_name(library.title))


def retired_version(entry: Entry, deck: str, labels: Labels) -> NoteVersion:
    """The note of a removed item, as its state entry describes it: the retired notice, the
    item's first words, and the deck of retired notes."""
    technique, _, rest = entry.key.partition("/")
    kind_slug = rest.split("/")[0] if entry.technique else ""
    kind = next((k for k in (*KINDS, *PRACTICE_KINDS) if k.slug == kind_slug), None)
    kind_name = labels(f"deck.kind.{kind.label}") if kind else ""
    model = MODEL_OF_KIND.get(kind_slug, MODEL_ID)
    fields = {name: "" for name in FIELDS_OF_MODEL[model]}
    words = closed_quotes(entry.excerpt)
    fields.update(
        Header=esc(labels("deck.retired_header", technique=technique or "-", kind=kind_name, text=words)),
        Kind=esc(kind_name),
        Status=esc(labels("deck.retired")),
    )
    if model == SEQUENCE_MODEL_ID:  # a cloze note needs a cloze to stay a note
        fields["Text"] = "{{c1::" + cloze_text(words) + "}}"
    else:
        fields["Answer"] = esc(words)
    tags = tuple(sorted({RETIRED_CARD_TAG, *((tag("technique", technique), tag("kind", kind_slug)) if kind else ())}))
    return NoteVersion(
        key=entry.key, technique=entry.technique, deck=deck, tags=tags, fields=fields, retired=True, model=model
    )


def item_count(technique: Technique) -> int:
    """How many notes of today's kinds a technique has (one per step, phrase and warning)."""
    return len(technique.steps) + sum(len(technique.items(name)) for name in PHRASE_FIELDS) + len(technique.warnings)


def is_later_kind(key: str) -> bool:
    parts = key.split("/")
    return len(parts) > 2 and parts[1] in MODEL_OF_KIND


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
    #: The key of a technique's note about all of it (step order, step sequence): continuity.whole_key.
    whole_key: Callable[[str, str], str] = lambda technique, kind: f"{technique}/{kind}/all"
    untouched: dict[str, Entry] = field(default_factory=dict)
    #: Gives a technique's notes, from a cache or by calling make (writers/deck/note_cache.py).
    #: ("" for its steps, phrases and warnings; another name for other notes of it).
    kept_notes: Callable[[Technique, Callable[[], Notes], str], Notes] = field(default=lambda t, make, kind: make())

    def notes(self) -> Iterator[tuple[str, NoteVersion]]:
        labels = self.library.labels()
        switches = Switches.of(self.library)
        ordered = self.library.ordered_techniques()
        situations = situations_by_technique(self.library) if switches.situations else {}
        places, place = {}, 0
        for technique in ordered:
            places[technique.id] = place
            place += item_count(technique) + later_card_count(
                technique, len(situations.get(technique.id, ())), switches
            )
        shipped: set[str] = set()
        for technique in ordered:
            made = partial(technique_notes, self.library, technique, labels, self.key_of)
            for offset, (guid, version) in enumerate(self.kept_notes(technique, made, "")):
                yield self._shipped(technique, guid, version, places[technique.id] + offset, shipped)
        practice = PracticeMaker(self.library, labels, switches, self.key_of, self.whole_key)
        yield from self._retired(shipped, later=False, skip=self._later_guids(practice, ordered, situations))
        for technique in ordered:
            place = places[technique.id] + item_count(technique)
            for guid, version in self._practice_notes(practice, technique, situations.get(technique.id, [])):
                yield self._shipped(technique, guid, version, place, shipped)
                place += card_count(version)
        yield from self._retired(shipped, later=True)

    def _practice_notes(
        self, practice: PracticeMaker, technique: Technique, situations: list[Situation]
    ) -> Iterator[tuple[str, NoteVersion]]:
        """The technique's notes of the later kinds: its step order and step sequence (kept
        between builds like its other notes), then its situations."""
        order_key, sequence_key, _ = practice.keys(technique, situations)
        whole = partial(practice.whole_notes, technique, order_key, sequence_key)
        yield from self.kept_notes(technique, whole, f"whole:{order_key}:{sequence_key}")
        yield from practice.situation_notes(technique, situations)

    def _later_guids(
        self, practice: PracticeMaker, ordered: list[Technique], situations: dict[str, list[Situation]]
    ) -> set[str]:
        """The GUIDs the later kinds will ship, when the state has notes recovered from a deck (their
        kind unknown): none of them is retired before it is shipped. Other notes tell by their key."""
        if not any(entry.key.startswith("guid:") for entry in self.previous.notes.values()):
            return set()
        later: set[str] = set()
        for technique in ordered:
            order_key, sequence_key, situation_keys = practice.keys(technique, situations.get(technique.id, []))
            later.update(note_guid(key) for key in (order_key, sequence_key, *situation_keys) if key)
        return later

    def _shipped(
        self, technique: Technique, guid: str, version: NoteVersion, place: int, shipped: set[str]
    ) -> tuple[str, NoteVersion]:
        if guid in shipped:
            raise ExporterError(
                f"{technique.path}: two Anki notes share the key {version.key}; make the item ids unique"
            )
        shipped.add(guid)
        mtime = next_mtime(self.previous.notes.get(guid), version, self.previous.epoch, self.release)
        return guid, version.placed(mtime, place)

    def _retired(
        self, shipped: set[str], later: bool, skip: frozenset[str] | set[str] = frozenset()
    ) -> Iterator[tuple[str, NoteVersion]]:
        """The notes of removed items (of today's kinds, or then all the others), as retired cards;
        `skip`: GUIDs still to be shipped. Each retired note is added to `shipped`."""
        previous = self.previous
        built = {t.id for t in self.library.techniques}
        retired_deck = retired_deck_name(self.library, self.library.labels())
        for guid, old in sorted(previous.notes.items(), key=lambda entry: (entry[1].key, entry[0])):
            if guid in shipped or guid in skip or (is_later_kind(old.key) and not later):
                continue
            if self.partial and old.technique not in built:
                self.untouched[guid] = old
                continue
            gone = retired_version(old, retired_deck, self.library.labels())
            shipped.add(guid)
            yield guid, gone.placed(next_mtime(old, gone, previous.epoch, self.release))


def state_entry(version: NoteVersion, previous: Entry | None) -> Entry:
    """What the state keeps of a shipped note (a retired note keeps its last answer's excerpt)."""
    if version.retired and previous is not None:
        return replace(previous, hash=version.hash, mtime=version.mtime, retired=True)
    if previous is not None and _unchanged(previous, version):
        return previous  # the same entry: a rebuild holds one copy of the state, not two
    return entry_of(version)


def _unchanged(entry: Entry, version: NoteVersion) -> bool:
    """The note is the one the entry describes, with the same content and time."""
    same_note = entry.key == version.key and entry.technique == version.technique
    return same_note and not entry.retired and entry.hash == version.hash and entry.mtime == version.mtime
