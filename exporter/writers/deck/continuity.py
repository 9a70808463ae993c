"""Which published note each item is, so a trainee's review history follows the content.

A note's GUID is the hash of its key and never changes (identity.note_guid). An item with an `id`
has the key technique/kind/id; an item without one got technique/kind/#n when it was first
published, n its place then. The deck state remembers, for every key, a fingerprint of the answer
and its first words, so each build gives every item back the key of the note it was:

1. the note whose answer is exactly the item's text (the item moved, or items were inserted or
   deleted around it);
2. else the note whose answer it closely resembles (it was reworded a little);
3. else the note that was at its place, if no other item claimed it (rewritten there: the build
   says so, with an `id:` to give it if it is really a new item);
4. else a new key, #n with the first n this list never used: a new card, with no one's history.

A technique whose id changed (its file was renamed) is recognised the same way, by the texts of
its items, and keeps its notes. Where two old notes fit an item equally, nothing is guessed: the
item falls back to its place and the build names the item and an `id:` that settles it.
With no state (a new library) every item keeps #n of its place, as the first release did.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from exporter.errors import ExporterError
from exporter.messages import counted
from exporter.model import Item, Library, Technique
from exporter.writers.deck.identity import KINDS, SITUATION, NoteKind, excerpt, text_print
from exporter.writers.deck.notes import esc
from exporter.writers.deck.state import DeckState, Entry, load_state

#: Two first-words excerpts at least this alike are the same item, reworded a little.
CLOSE = 0.6
#: A second candidate this close to the best one makes the choice a guess: nothing is followed.
MARGIN = 0.1
#: A renamed technique: at least this share of its items, and two of them, found under the old id.
RENAMED_SHARE = 0.5


def answer_print(item: Item) -> str:
    """The fingerprint the state keeps of a note's answer (the item's text as the card shows it)."""
    return text_print(esc(item.text))


@dataclass
class Continuity:
    """The key of every item of the library, and what was followed to find it."""

    keys: dict[tuple[str, str, int], str] = field(default_factory=dict)
    #: Keys of items found at another place than their note's first one (moved, or not since).
    moved_keys: set[str] = field(default_factory=set)
    reworded: int = 0
    renamed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: (technique id, kind slug) -> the key of the technique's own note of that kind (step order,
    #: step sequence) as published, under the id the technique had then.
    whole_keys: dict[tuple[str, str], str] = field(default_factory=dict)

    def whole_key(self, technique_id: str, kind_slug: str) -> str:
        """The key of a note about a whole technique: the one it had, else <id>/<kind>/all."""
        return self.whole_keys.get((technique_id, kind_slug), f"{technique_id}/{kind_slug}/all")

    def key(self, technique: Technique, kind: NoteKind, item: Item, position: int) -> str:
        return self.keys[(technique.id, kind.slug, position)]

    def summary(self, changed: set[str]) -> str:
        """ "2 items moved, 1 technique renamed: history kept", or "" when nothing was followed;
        changed: the keys of the notes this build changed (an item moved long ago is not news)."""
        parts = []
        moved = len(self.moved_keys & changed)
        if moved:
            parts.append(f"{counted(moved, 'item')} moved")
        if self.reworded:
            parts.append(f"{counted(self.reworded, 'item')} reworded")
        if self.renamed:
            renames = ", ".join(f"{old} → {new}" for old, new in self.renamed)
            parts.append(f"{counted(len(self.renamed), 'technique')} renamed ({renames})")
        return ", ".join(parts) + ": history kept" if parts else ""


def follow(library: Library, state: DeckState) -> Continuity:
    """Every item's key, following moves, rewordings and renamed techniques since the state."""
    owned = _entries_by_owner(state)
    continuity = Continuity()
    renamed = _renamed_techniques(library, owned)
    for old, new in sorted(renamed.items(), key=lambda pair: pair[1]):
        continuity.renamed.append((old, new))
    owner_of = {new: old for old, new in renamed.items()}
    for technique in library.ordered_techniques():
        entries = owned.get(owner_of.get(technique.id, technique.id), [])
        for entry in sorted(entries, key=lambda e: (e.retired, e.key)):
            if entry.key.endswith("/all"):
                continuity.whole_keys.setdefault((technique.id, _slug(entry)), entry.key)
        for kind in (*KINDS, SITUATION):
            _follow_list(technique, kind, [e for e in entries if _slug(e) == kind.slug], continuity)
    return continuity


def _entries_by_owner(state: DeckState) -> dict[str, list[Entry]]:
    """The state's notes by the technique that published them (notes recovered from a deck,
    whose keys are unknown, are left out: they match by GUID alone)."""
    owned: dict[str, list[Entry]] = defaultdict(list)
    for entry in sorted(state.notes.values(), key=lambda e: e.key):
        if entry.technique and entry.key.count("/") >= 2:
            owned[entry.technique].append(entry)
    return owned


def _slug(entry: Entry) -> str:
    return entry.key.split("/")[1]


def _renamed_techniques(library: Library, owned: dict[str, list[Entry]]) -> dict[str, str]:
    """old id -> new id, for techniques that have no notes of their own but whose items are
    mostly the live notes of a technique that is gone."""
    present = {t.id for t in library.techniques}
    gone = {
        old: entries for old, entries in owned.items() if old not in present and any(not e.retired for e in entries)
    }
    scored: list[tuple[float, str, str]] = []
    for technique in library.techniques:
        if technique.id in owned:
            continue
        prints = [(kind.slug, answer_print(item)) for kind in KINDS for item in technique.items(kind.section)]
        for old, entries in gone.items():
            published = {(_slug(e), e.answer) for e in entries if not e.retired}
            found = sum(1 for pair in prints if pair in published)
            if found >= 2 and found >= RENAMED_SHARE * len(prints):
                scored.append((found / len(prints), old, technique.id))
    renamed: dict[str, str] = {}
    for _, old, new in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if old not in renamed and new not in renamed.values():
            renamed[old] = new
    return renamed


def _follow_list(technique: Technique, kind: NoteKind, entries: list[Entry], continuity: Continuity) -> None:
    matcher = _ListMatcher(technique, kind, entries, continuity)
    matcher.own_ids()
    matcher.same_text()
    matcher.close_wording()
    matcher.place_or_new()
    for position, key in matcher.found.items():
        continuity.keys[(technique.id, kind.slug, position)] = key


@dataclass
class _ListMatcher:
    """One list of one technique against the notes its items had."""

    technique: Technique
    kind: NoteKind
    entries: list[Entry]
    continuity: Continuity
    claimed: set[str] = field(default_factory=set)
    #: position (1-based) -> key
    found: dict[int, str] = field(default_factory=dict)

    @property
    def items(self) -> tuple[Item, ...]:
        return self.technique.items(self.kind.section)

    def unplaced(self) -> list[tuple[int, Item]]:
        return [(p, item) for p, item in enumerate(self.items, 1) if p not in self.found]

    def claim(self, position: int, key: str) -> None:
        self.found[position] = key
        self.claimed.add(key)

    def free(self, item: Item) -> list[Entry]:
        return [e for e in self.entries if e.key not in self.claimed and _takes(e, item)]

    def own_ids(self) -> None:
        """Items with an id keep their own note, wherever it was."""
        for position, item in self.unplaced():
            own = next((e for e in self.entries if item.id and e.key.endswith(f"/{self.kind.slug}/{item.id}")), None)
            if own is not None:
                self.claim(position, own.key)

    def same_text(self) -> None:
        """Step 1: the same text; of several notes with it, the one nearest the item's place."""
        for position, item in self.unplaced():
            fingerprint = answer_print(item)
            same = [e for e in self.free(item) if e.answer == fingerprint]
            if same:
                best = min(same, key=lambda e: (e.retired, abs(_place(e) - position), e.key))
                self.claim(position, best.key)
                if _place(best) != position:
                    self.continuity.moved_keys.add(best.key)

    def close_wording(self) -> None:
        """Step 2: a close rewording of one note, and clearly of that one alone."""
        for position, item in self.unplaced():
            words = excerpt(item.text)
            scores = sorted(
                ((SequenceMatcher(None, words, e.excerpt).ratio(), e) for e in self.free(item) if not e.retired),
                key=lambda pair: (-pair[0], pair[1].key),
            )
            if not scores or scores[0][0] < CLOSE:
                continue
            if len(scores) > 1 and scores[1][0] >= CLOSE and scores[0][0] - scores[1][0] < MARGIN:
                self.continuity.warnings.append(self.ambiguous(position, item, scores[0][1], scores[1][1]))
                continue
            self.claim(position, scores[0][1].key)
            self.continuity.reworded += 1

    def place_or_new(self) -> None:
        """Steps 3 and 4: the note that was at the item's place, else a new key."""
        for position, item in self.unplaced():
            at_place = next((e for e in self.free(item) if not item.id and _place(e) == position), None)
            if at_place is not None and not at_place.retired:
                self.claim(position, at_place.key)
                if at_place.answer != answer_print(item):
                    self.continuity.warnings.append(self.rewritten(position, item, at_place))
            else:
                self.claim(position, self.new_key(item, position))

    def new_key(self, item: Item, position: int) -> str:
        prefix = f"{self.technique.id}/{self.kind.slug}/"
        if item.id:
            return prefix + item.id
        used = {key.rsplit("/", 1)[1] for key in (*(e.key for e in self.entries), *self.claimed)}
        number = position
        while f"#{number}" in used:
            number += 1
        return f"{prefix}#{number}"

    def where(self, position: int, item: Item) -> str:
        line = item.line or self.technique.line_of(self.kind.section)
        return f"{self.technique.path}:{line}: {self.kind.section}[{position - 1}]"

    def rewritten(self, position: int, item: Item, old: Entry) -> str:
        return (
            f"{self.where(position, item)}: “{excerpt(item.text)}” took over the card of “{old.excerpt}” (the "
            "same place, other words) with its review history; if it is a different item, give it an id "
            f"(id: {suggested_id(item, self.items)}) and the old card is retired"
        )

    def ambiguous(self, position: int, item: Item, a: Entry, b: Entry) -> str:
        return (
            f"{self.where(position, item)}: “{excerpt(item.text)}” is as close to “{a.excerpt}” as to "
            f"“{b.excerpt}”, so its card stays with its place; to be sure which card it keeps, give it an id "
            f"(id: {suggested_id(item, self.items)})"
        )


def _takes(entry: Entry, item: Item) -> bool:
    """A note an item may take over: one keyed by place (an id-less item), or the item's own id."""
    last = entry.key.rsplit("/", 1)[1]
    return last.startswith("#") or (item.id is not None and last == item.id)


def _place(entry: Entry) -> int:
    last = entry.key.rsplit("/", 1)[1]
    return int(last[1:]) if last[1:].isdigit() else 0


def suggested_id(item: Item, items: tuple[Item, ...]) -> str:
    """An id from the item's first words, unique within its list."""
    taken = {other.id for other in items if other.id}
    words = [w for w in re.findall(r"[a-z0-9]+", item.text.casefold()) if len(w) > 2][:3] or ["item"]
    name = candidate = "-".join(words)
    number = 2
    while candidate in taken:
        candidate, number = f"{name}-{number}", number + 1
    return candidate


#: A state knows too little of a library when less than this share of its techniques are the
#: library's AND less than this share of the library's techniques are the state's.
FOREIGN_BELOW = 0.5


def refuse_another_librarys_state(path: Path, state: DeckState, library: Library) -> None:
    """Stop before anything is written when the state file cannot be this library's: a copied
    folder or another branch would otherwise retire every card of every trainee.

    Both sides are asked, so ordinary edits pass: deleting most techniques leaves the library's
    own techniques known to the state; importing many new ones leaves the state's techniques in
    the library. A library that shares a few texts with another library's state is still refused."""
    owned = {
        owner: entries for owner, entries in _entries_by_owner(state).items() if any(not e.retired for e in entries)
    }
    if not owned or not library.techniques:
        return
    renamed = _renamed_techniques(library, owned)
    ids = {technique.id for technique in library.techniques}
    state_side = sum(1 for owner in owned if owner in ids or owner in renamed) / len(owned)
    library_side = sum(1 for t in library.techniques if t.id in owned or t.id in renamed.values()) / len(ids)
    if state_side >= FOREIGN_BELOW or library_side >= FOREIGN_BELOW:
        return
    live = sum(1 for entries in owned.values() for entry in entries if not entry.retired)
    owners = sorted(owned)
    sample = ", ".join(owners[:3]) + (f" and {len(owners) - 3} more" if len(owners) > 3 else "")
    raise ExporterError(
        f"{path}: this deck state is another library's: its {counted(live, 'card')} belong to techniques this "
        f"library does not have (it has {sample}), and this library's techniques are new to it. Building on it "
        f"would retire every card of every trainee. Put back this library's own {path.name} (for example "
        f"`git checkout -- {path}`); if no deck was ever published from this library, delete the file and build again"
    )


def check_state_file(path: Path, library: Library) -> None:
    """What `exporter validate` checks of the deck state: it reads, and it is this library's."""
    if path.is_file():
        refuse_another_librarys_state(path, load_state(path, path.with_name("deck.apkg")), library)
