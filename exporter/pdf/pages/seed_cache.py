"""The font seed of a library, kept beside a writer's output between builds.

Seeding shapes every word of the library in every body face (exporter.pdf.pages.subsets), a
fifth of a second at 500 techniques in each process that draws a library: the handbook's and
the pocket cards'. A seed is the union of its texts' parts, one for the library's own fields,
one per technique and one for the labels, so `<out>/.exporter-cache/<writer>-seed.json` keeps
each part under a digest of its texts and the cache salt (the code, the bundled fonts with
it). After an edit only the edited technique's part is made again.

A part's glyph codes are private to the process that made them; the file names each by what
it draws (glyphcodes.portable_chars) and the next process gives it its own code for the same
glyph. The file holds the parts this build used; a damaged file or part is made again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from exporter.files.output_cache import digest_of, read_entries, save_entries
from exporter.model import Library
from exporter.pdf.glyphs.glyphcodes import FIRST_CODE, portable_chars, restored_chars
from exporter.pdf.pages.subsets import FontSeed, SeedPart, font_seed, library_text_groups, merged_seed, seed_part

#: Glyph codes the file describes at most before its table is made anew.
MOST_CODES = 4096
FIRST_CHAR = chr(FIRST_CODE)


def kept_library_seed(library: Library, out_dir: Path, salt: str, writer: str) -> FontSeed:
    """library_seed(library), from the parts kept by the last build into out_dir where their
    texts did not change; an empty salt keeps nothing."""
    groups = library_text_groups(library)
    if not salt:
        return font_seed(text for group in groups for text in group)
    name = f"{writer}-seed"
    kept = _Kept(read_entries(out_dir, name))
    parts: dict[str, SeedPart] = {}
    made: dict[str, SeedPart] = {}
    for texts in groups:
        key = digest_of(salt, *texts)
        part = kept.part(key)
        if part is None:
            part = made[key] = seed_part(texts)
        parts[key] = part
    if made or parts.keys() != kept.keys():
        save_entries(out_dir, name, kept.with_parts(list(parts), made))
    return merged_seed(parts.values())


class _Kept:
    """The parts a file holds, read as they are asked for: the glyph codes they share are
    described once in the file ("codes") and given in this process once."""

    def __init__(self, entries: dict[str, Any]) -> None:
        parts = entries.get("parts")
        self._parts: dict[str, Any] = parts if isinstance(parts, dict) else {}
        self._codes: str | None = None
        self._described = entries.get("codes")

    def keys(self) -> set[str]:
        return set(self._parts)

    def part(self, key: str) -> SeedPart | None:
        """The part kept under key; None for none or a damaged one."""
        entry = self._parts.get(key)
        if not isinstance(entry, dict):
            return None
        try:
            codes = self._given_codes()
            glyphs = {
                str(font): frozenset(plain) | frozenset(codes[index] for index in indexes)
                for font, (plain, indexes) in entry["glyphs"].items()
            }
            beyond_ascii, right_to_left = entry["beyond_ascii"], entry["right_to_left"]
            if not isinstance(beyond_ascii, str) or not isinstance(right_to_left, bool):
                return None
            return SeedPart(glyphs, frozenset(beyond_ascii), right_to_left)
        except (ValueError, KeyError, TypeError, AttributeError, IndexError):
            return None

    def with_parts(self, keys: list[str], made: dict[str, SeedPart]) -> dict[str, Any]:
        """The file's data for the parts of keys: the kept ones as the file had them, the made
        ones added (with the glyph codes they add to "codes"). The table of codes is made anew
        once it has grown to MOST_CODES (codes of parts no longer kept stay in it until then)."""
        described = self._described if isinstance(self._described, list) else []
        if made.keys() == set(keys) or len(described) >= MOST_CODES:
            return _portable({key: made.get(key) or self.part(key) for key in keys})
        index_of = {char: index for index, char in enumerate(self._given_codes())}
        described = list(described)
        entries = {key: self._parts[key] for key in keys if key not in made}
        for key, part in made.items():
            entries[key] = _portable_part(part, index_of, described)
        return {"codes": described, "parts": {key: entries[key] for key in keys}}

    def _given_codes(self) -> str:
        if self._codes is None:
            if not isinstance(self._described, list):
                raise ValueError("no glyph codes described")
            self._codes = restored_chars(self._described)
        return self._codes


def _portable(parts: dict[str, SeedPart | None]) -> dict[str, Any]:
    """The parts as JSON data: each font's glyphs as its plain characters (one string) and the
    indexes of its glyph codes in "codes", where each is described once."""
    index_of: dict[str, int] = {}
    described: list[Any] = []
    portable = {key: _portable_part(part, index_of, described) for key, part in parts.items() if part is not None}
    return {"codes": described, "parts": portable}


def _portable_part(part: SeedPart, index_of: dict[str, int], described: list[Any]) -> dict[str, Any]:
    """One part as JSON data; a glyph code not in index_of is added to it and to described."""
    glyphs: dict[str, Any] = {}
    for font, chars in sorted(part.glyphs.items()):
        plain = "".join(sorted(char for char in chars if char < FIRST_CHAR))
        codes = []
        for char in chars:
            if char >= FIRST_CHAR:
                index = index_of.get(char)
                if index is None:
                    index = index_of[char] = len(described)
                    described += portable_chars(char)
                codes.append(index)
        glyphs[font] = [plain, sorted(codes)]
    return {"glyphs": glyphs, "beyond_ascii": "".join(sorted(part.beyond_ascii)), "right_to_left": part.right_to_left}
