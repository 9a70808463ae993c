"""Items that moved inside a list without ids, seen by comparing the content with the deck state.

A card of an item without `id` is keyed by its position. When an item is inserted or removed in
the middle of such a list, every later card silently takes over the review history of another
item. The state keeps a fingerprint of each card's answer, so the build can see the shift and say
which technique and list it is, and which ids would prevent it.
"""

from __future__ import annotations

import re

from exporter.model import Item, Library, Technique
from exporter.writers.deck.identity import KINDS, NoteKind, excerpt, note_guid, text_print
from exporter.writers.deck.notes import esc
from exporter.writers.deck.state import DeckState


def shifted_lists(library: Library, state: DeckState) -> list[str]:
    """One warning per list whose id-less items moved since the state was written."""
    warnings = []
    for technique in library.ordered_techniques():
        for kind in KINDS:
            warning = _shift_in(technique, kind, state)
            if warning:
                warnings.append(warning)
    return warnings


def _shift_in(technique: Technique, kind: NoteKind, state: DeckState) -> str | None:
    items = technique.items(kind.section)
    now = {position: text_print(esc(item.text)) for position, item in enumerate(items, 1) if not item.id}
    before: dict[int, str] = {}
    for position in range(1, len(items) + 2):
        entry = state.notes.get(note_guid(f"{technique.id}/{kind.slug}/#{position}"))
        if entry is not None and not entry.retired:
            before[position] = entry.answer
    where = {fingerprint: position for position, fingerprint in now.items()}
    moves = [
        (old, where[fingerprint])
        for old, fingerprint in sorted(before.items())
        if now.get(old) != fingerprint and fingerprint in where
    ]
    if not moves:
        return None
    old, new = moves[0]
    verb = "inserted" if new > old else "removed"
    moved = excerpt(items[new - 1].text)
    line = technique.line_of(kind.section)
    return (
        f"{technique.path}:{line}: {kind.section}: an item was {verb} in the middle of a list without ids: "
        f"“{moved}” was item {old} and is now item {new}, so {len(moves)} card(s) of {technique.id} now show "
        "another item with that item's review history. To keep each card with its item, put new items at "
        "the end of the list, or give every item an id (their cards then start afresh once), for example: "
        + ", ".join(f"id: {name}" for name in suggested_ids(items))
    )


def suggested_ids(items: tuple[Item, ...]) -> list[str]:
    """An id for each item from its first words, unique within the list."""
    names: list[str] = []
    for item in items:
        words = [w for w in re.findall(r"[a-z0-9]+", item.text.casefold()) if len(w) > 2][:3] or ["item"]
        name = "-".join(words)
        candidate, number = name, 2
        while candidate in names:
            candidate, number = f"{name}-{number}", number + 1
        names.append(item.id or candidate)
    return names
