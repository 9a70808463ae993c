"""Each technique's notes, kept beside the deck for the next build into the same folder.

Making a technique's notes (the fronts of its steps, phrases and warnings, every field escaped
and laid out) is most of the deck writer's time besides writing the collection. The notes of a
technique depend only on the technique, the library's own fields (title, language, labels,
categories) and the keys its items have (`Continuity.keys`, which follow moves and renames
since the deck state), under the exporter's code: `<out>/.exporter-cache/deck-notes.pickle`
keeps them under a hash of all of that. A later build takes the notes of an unchanged technique
from there; the deck is then written from them exactly as from new ones (times and places are
given after, by the publication).

The file is written through the build's journal after the deck, holds the entries this build
used (one per technique), and is read only under the same cache salt; a damaged file is no file.
"""

from __future__ import annotations

import contextlib
import pickle
from collections import defaultdict
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from exporter.errors import ExporterError
from exporter.files.atomic import atomic_output
from exporter.files.output_cache import CACHE_DIR, digest_of
from exporter.model import Library, Technique
from exporter.writers.deck.identity import NoteVersion

CACHE_FILE = "deck-notes.pickle"
_READ_LIMIT = 256 * 1024 * 1024

Notes = list[tuple[str, NoteVersion]]


class NoteCache:
    """The technique notes of the last build into out_dir, and those of this build."""

    def __init__(
        self, out_dir: Path | None, salt: str, library: Library, keys: dict[tuple[str, str, int], str]
    ) -> None:
        self.path = None if out_dir is None or not salt else out_dir / CACHE_DIR / CACHE_FILE
        self.salt = salt
        self.shared = digest_of(salt, repr(replace(library, techniques=(), courses=())))
        self._keys: dict[str, list[tuple[tuple[str, str, int], str]]] = defaultdict(list)
        for place, key in keys.items():
            self._keys[place[0]].append((place, key))
        self._entries: dict[str, bytes] = self._read() if self.path is not None else {}
        #: This build's entries, pickled (each technique's notes on their own: one pickling of
        #: all held a table of every object, and the notes themselves are let go once shipped).
        self._used: dict[str, bytes] = {}
        self._techniques: dict[str, tuple[Technique, str]] = {}

    def notes(self, technique: Technique, make: Callable[[], Notes], kind: str = "") -> Notes:
        """technique's notes (of kind: "" its steps, phrases and warnings, else what the caller
        names, keys included): kept from the last build, or made now."""
        if self.path is None:
            return make()
        key = digest_of(self._technique_key(technique), kind)
        kept = self._entries.pop(key, None)
        found: Notes | None = None
        if kept is not None:
            with contextlib.suppress(Exception):  # a damaged entry is no entry
                found = pickle.loads(kept)  # noqa: S301 (exporter's own file, checked by its salt)
        if isinstance(found, list) and kept is not None:
            self._used[key] = kept
            return found
        made = make()
        for _, version in made:  # computed before pickling, they are kept with the note
            version.hash  # noqa: B018
            version.header_checksum  # noqa: B018
        self._used[key] = pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL)
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
        if self.path is None:
            return
        data = {"salt": self.salt, "entries": self._used}
        with contextlib.suppress(OSError, ExporterError), atomic_output(self.path) as temporary:
            temporary.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))

    def _read(self) -> dict[str, bytes]:
        assert self.path is not None
        try:
            if not self.path.is_file() or self.path.stat().st_size > _READ_LIMIT:
                return {}
            with open(self.path, "rb") as file:
                data: Any = pickle.load(file)  # noqa: S301 (exporter's own file, checked by its salt)
            if not isinstance(data, dict) or data.get("salt") != self.salt or not isinstance(data["entries"], dict):
                return {}
            return dict(data["entries"])
        except Exception:  # noqa: BLE001 (a damaged cache is no cache, whatever unpickling raised)
            return {}
