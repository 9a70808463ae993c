"""Each technique's notes, kept beside the deck for the next build into the same folder.

Making a technique's notes (the fronts of its steps, phrases and warnings, every field escaped
and laid out) is most of the deck writer's time besides writing the collection. The notes of a
technique depend only on the technique, the library's own fields (title, language, labels,
categories) and the keys its items have (`Continuity.keys`, which follow moves and renames
since the deck state), under the exporter's code: `<out>/.exporter-cache/deck-notes.parts` (a
exporter.files.byte_pack) keeps each technique's notes, pickled, under a hash of all of that. A
later build takes the notes of an unchanged technique from there; the deck is then written from
them exactly as from new ones (times and places are given after, by the publication).

The pack is written through the build's journal after the deck and holds the entries this build
used (one per technique); the salt is in every key, and a damaged entry is no entry. Entries wait
in a temporary file, not in memory: the single pickle of every entry that rounds before kept
(`deck-notes.pickle`, removed by the first build that saves the pack) held them all twice over
while it was written, 500 MB at 5,000 techniques.
"""

from __future__ import annotations

import contextlib
import pickle
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from exporter.files.byte_pack import BytePack
from exporter.files.output_cache import digest_of
from exporter.model import Library, Technique
from exporter.writers.deck.identity import NoteVersion

CACHE_NAME = "deck-notes"
#: Where rounds before the pack kept the notes.
_OLD_CACHE = "deck-notes.pickle"

Notes = list[tuple[str, NoteVersion]]


class NoteCache:
    """The technique notes of the last build into out_dir, and those of this build."""

    def __init__(
        self, out_dir: Path | None, salt: str, library: Library, keys: dict[tuple[str, str, int], str]
    ) -> None:
        self.out_dir = out_dir if salt else None
        self.shared = digest_of(salt, repr(replace(library, techniques=(), courses=())))
        self._keys: dict[str, list[tuple[tuple[str, str, int], str]]] = defaultdict(list)
        for place, key in keys.items():
            self._keys[place[0]].append((place, key))
        self.pack = self._open_pack()
        self._techniques: dict[str, tuple[Technique, str]] = {}

    def _open_pack(self) -> BytePack | None:
        if self.out_dir is None:
            return None
        try:
            # Its new entries wait where the collection is built: the output's disk has to hold
            # the new deck beside the old one, and nothing more.
            return BytePack(self.out_dir, CACHE_NAME, self.shared, scratch_beside_output=False)
        except OSError:  # an output folder without room even for a temporary file: keep nothing
            return None

    def notes(self, technique: Technique, make: Callable[[], Notes], kind: str = "") -> Notes:
        """technique's notes (of kind: "" its steps, phrases and warnings, else what the caller
        names, keys included): kept from the last build, or made now."""
        if self.pack is None:
            return make()
        key = digest_of(self._technique_key(technique), kind)
        kept = self.pack.get(key)
        found: Notes | None = None
        if kept is not None:
            with contextlib.suppress(Exception):  # a damaged entry is no entry
                found = pickle.loads(kept)  # noqa: S301 (exporter's own file, checked by its salt)
        if isinstance(found, list):
            return found
        self.pack.discard(key)
        made = make()
        for _, version in made:  # computed before pickling, they are kept with the note
            version.hash  # noqa: B018
            version.header_checksum  # noqa: B018
        try:
            self.pack.put(key, pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:  # no room beside the output: this build keeps nothing, the deck says why
            self.pack.close()
            self.pack = None
        return made

    def _technique_key(self, technique: Technique) -> str:
        """What names technique's notes of every kind (its repr, made once: it is long)."""
        found = self._techniques.get(technique.id)
        if found is None or found[0] is not technique:
            keys = repr(sorted(self._keys.get(technique.id, ())))
            found = self._techniques[technique.id] = (technique, digest_of(self.shared, repr(technique), keys))
        return found[1]

    def save(self) -> None:
        """Keep this build's entries (a failure only costs the next build its reuse)."""
        if self.pack is not None:
            self.pack.save(replaces=_OLD_CACHE)

    def close(self) -> None:
        if self.pack is not None:
            self.pack.close()
