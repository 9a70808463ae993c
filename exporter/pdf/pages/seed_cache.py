"""The font seed of a library, kept beside a writer's output between builds.

Seeding shapes every word of the library in every body face (exporter.pdf.pages.subsets), a
fifth of a second at 500 techniques in each process that draws a library: the handbook's and
the pocket cards'. A seed is the union of its texts' parts, one for the library's own fields,
one per technique and one for the labels, so `<out>/.exporter-cache/<writer>-seed.json` keeps
each part under a digest of its texts and the cache salt (the code, the bundled fonts with
it). After an edit only the edited technique's part is made again.

A part's glyph codes are private to the process that made them. The file describes each code
once, by what it draws (glyphcodes.portable_chars), in "codes"; a part names its codes by their
place there, beside a string of its plain characters. The next process gives each described
code its own value once. Parts are folded into the seed as they come (SeedUnion): none is held,
so a library of 10,000 techniques costs a few megabytes here. The file holds the parts this
build used; a damaged file or part is made again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from exporter.files.output_cache import digest_of, read_entries, save_entries
from exporter.model import Library
from exporter.pdf.glyphs.glyphcodes import FIRST_CODE, portable_chars, restored_chars
from exporter.pdf.pages.subsets import FontSeed, SeedPart, SeedUnion, font_seed, library_text_groups, seed_part

#: Glyph codes the file describes at most before the ones no part uses are dropped.
MOST_CODES = 4096
FIRST_CHAR = chr(FIRST_CODE)


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def kept_library_seed(library: Library, out_dir: Path, salt: str, writer: str) -> FontSeed:
    """library_seed(library), from the parts kept by the last build into out_dir where their
    texts did not change; an empty salt keeps nothing."""
    groups = library_text_groups(library)
    if not salt:
        return font_seed(text for group in groups for text in group)
    name = f"{writer}-seed"
    kept = read_entries(out_dir, name)
    table = _CodeTable(kept.get("codes"))
    kept_parts = kept.get("parts")
    if not isinstance(kept_parts, dict):
        kept_parts = {}
    union = SeedUnion()
    entries: dict[str, str] = {}
    made = False
    for texts in groups:
        key = digest_of(salt, *texts)
        kept_entry = kept_parts.get(key)
        part = table.part(kept_entry)
        if part is None:
            part, made = seed_part(texts), True
            entries[key] = table.entry(part)
        else:
            entries[key] = str(kept_entry)  # it read as a part: JSON text
        union.add(part)
    if made or entries.keys() != kept_parts.keys():
        save_entries(out_dir, name, table.data(entries))
    return union.seed()


class _CodeTable:
    """The glyph codes a seed file describes, given in this process as they are first needed,
    and those that parts made now add."""

    def __init__(self, described: Any) -> None:
        self.described: list[Any] = list(described) if isinstance(described, list) else []
        self._chars: str | None = None
        self._index: dict[str, int] | None = None

    def part(self, text: Any) -> SeedPart | None:
        """The part a file's entry describes; None for no entry or a damaged one."""
        try:
            entry = json.loads(text) if isinstance(text, str) else None
            if not isinstance(entry, dict):
                return None
            chars = self._given()
            glyphs: dict[str, frozenset[str]] = {}
            for font, (plain, places) in entry["glyphs"].items():
                if not isinstance(plain, str) or not all(type(place) is int and place >= 0 for place in places):
                    return None
                glyphs[str(font)] = frozenset(plain) | frozenset(chars[place] for place in places)
            beyond_ascii, right_to_left = entry["beyond_ascii"], entry["right_to_left"]
            if not isinstance(beyond_ascii, str) or not isinstance(right_to_left, bool):
                return None
            return SeedPart(glyphs, frozenset(beyond_ascii), right_to_left)
        except (ValueError, KeyError, TypeError, AttributeError, IndexError):
            return None

    def entry(self, part: SeedPart) -> str:
        """part as a file's entry, JSON text (a library's entries are held until the file is
        written: as text they take a fraction of the memory): each font's plain characters as
        one string and its glyph codes as places in the table (a code not described yet is
        added)."""
        index = self._index_of()
        glyphs: dict[str, Any] = {}
        for font, chars in sorted(part.glyphs.items()):
            plain = "".join(sorted(char for char in chars if char < FIRST_CHAR))
            places = []
            for char in chars:
                if char >= FIRST_CHAR:
                    place = index.get(char)
                    if place is None:
                        place = index[char] = len(self.described)
                        self.described += portable_chars(char)
                    places.append(place)
            glyphs[font] = [plain, sorted(places)]
        beyond_ascii = "".join(sorted(part.beyond_ascii))
        return _json({"glyphs": glyphs, "beyond_ascii": beyond_ascii, "right_to_left": part.right_to_left})

    def data(self, entries: dict[str, str]) -> dict[str, Any]:
        """The file's data for entries; once the table has grown to MOST_CODES, the codes no
        entry names are dropped (and the entries' places renumbered)."""
        if len(self.described) < MOST_CODES:
            return {"codes": self.described, "parts": entries}
        read = {key: json.loads(entry) for key, entry in entries.items()}
        named = (places for entry in read.values() for _, places in entry["glyphs"].values())
        used = sorted({place for places in named for place in places})
        renumbered = {old: new for new, old in enumerate(used)}
        for entry in read.values():
            glyphs = entry["glyphs"].items()
            entry["glyphs"] = {
                font: [plain, [renumbered[place] for place in places]] for font, (plain, places) in glyphs
            }
        return {"codes": [self.described[place] for place in used], "parts": {k: _json(e) for k, e in read.items()}}

    def _given(self) -> str:
        """Each described code, given in this process (raises ValueError for a damaged table)."""
        if self._chars is None:
            self._chars = restored_chars(self.described)
        return self._chars

    def _index_of(self) -> dict[str, int]:
        if self._index is None:
            try:
                given = self._given()
            except ValueError:  # a damaged table: no kept part uses it, start a new one
                self.described, given = [], ""
                self._chars = given
            self._index = {char: place for place, char in enumerate(given)}
        return self._index
