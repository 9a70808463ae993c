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
code its own value once. Parts are folded into the seed as they come (SeedUnion) and written to
the new file as they come: none is held (the file is 2 MB a thousand techniques). The file holds
the parts this build used, and is left as it was when they are the ones it held; a damaged file
or part is made again. Once the table describes MOST_CODES codes it is started anew, with only
the codes of the parts written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, Any

from exporter.errors import ExporterError
from exporter.files.atomic import atomic_output
from exporter.files.output_cache import CACHE_DIR, CACHE_VERSION, digest_of, read_entries
from exporter.model import Library
from exporter.pdf.glyphs.glyphcodes import FIRST_CODE, portable_chars, restored_chars
from exporter.pdf.pages.subsets import FontSeed, SeedPart, SeedUnion, font_seed, library_text_groups, seed_part

#: Glyph codes a file describes at most before its table is started anew.
MOST_CODES = 4096
FIRST_CHAR = chr(FIRST_CODE)


def kept_library_seed(library: Library, out_dir: Path, salt: str, writer: str) -> FontSeed:
    """library_seed(library), from the parts kept by the last build into out_dir where their
    texts did not change; an empty salt keeps nothing."""
    groups = library_text_groups(library)
    if not salt:
        return font_seed(text for group in groups for text in group)
    name = f"{writer}-seed"
    kept = read_entries(out_dir, name)
    kept_parts = kept.get("parts")
    if not isinstance(kept_parts, dict):
        kept_parts = {}
    reading = _CodeTable(kept.get("codes"))
    writing = reading if len(reading.described) < MOST_CODES else _CodeTable([])
    union = SeedUnion()
    changed = False
    with _SeedFile(out_dir / CACHE_DIR / f"{name}.json") as file:
        written: set[str] = set()
        for texts in groups:
            key = digest_of(salt, *texts)
            text = kept_parts.get(key)
            part = reading.part(text)
            if part is None:
                part, changed = seed_part(texts), True
                text = writing.entry(part)
            elif writing is not reading:
                text = writing.entry(part)
            union.add(part)
            if key not in written:  # two techniques with the same texts are one part
                file.part(key, str(text))
                written.add(key)
        file.finish(writing.described, keep=changed or writing is not reading or written != kept_parts.keys())
    return union.seed()


class _SeedFile:
    """The new seed file, written part by part beside the old one; it replaces the old one only
    when finish(keep=True) (through the build journal, atomic_output). A failure to write it costs
    only the next build its reuse: the seed is made all the same."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._output: Any = None
        self._file: IO[str] | None = None
        self._first = True
        self._keep = False

    def __enter__(self) -> _SeedFile:
        try:
            output = atomic_output(self.path)
            temporary = output.__enter__()
            self._output = output
            self._file = temporary.open("w", encoding="utf-8")
            self._file.write('{"version":' + str(CACHE_VERSION) + ',"entries":{"parts":{')
        except (OSError, ExporterError):
            self._abandon()
        return self

    def part(self, key: str, text: str) -> None:
        if self._file is None:
            return
        try:
            self._file.write(("" if self._first else ",") + _json(key) + ":" + _json(text))
            self._first = False
        except OSError:
            self._abandon()

    def finish(self, described: list[Any], keep: bool) -> None:
        if self._file is None:
            return
        try:
            self._file.write('},"codes":' + _json(described) + "}}")
            self._file.close()
            self._keep = keep
        except OSError:
            self._abandon()

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if self._file is not None and not self._file.closed:
            self._file.close()
        if self._output is None:
            return
        stop = None if self._keep and kind is None else _Unchanged()
        try:
            self._output.__exit__(type(stop) if stop else kind, stop or error, trace)
        except (_Unchanged, OSError, ExporterError):
            pass  # left as it was, or not written: the next build makes the parts again

    def _abandon(self) -> None:
        if self._file is not None and not self._file.closed:
            self._file.close()
        self._file = None


class _Unchanged(Exception):
    """The seed file is not replaced (its parts are the ones it holds, or it could not be written)."""


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class _CodeTable:
    """The glyph codes a seed file describes, given in this process as they are first needed,
    and those that parts made now add."""

    def __init__(self, described: Any) -> None:
        self.described: list[Any] = list(described) if isinstance(described, list) else []
        self._chars: str | None = None
        self._index: dict[str, int] | None = None

    def part(self, text: Any) -> SeedPart | None:
        """The part a file's entry (JSON text) describes; None for no entry or a damaged one."""
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
        """part as a file's entry, JSON text: each font's plain characters as one string and its
        glyph codes as places in the table (a code not described yet is added)."""
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
