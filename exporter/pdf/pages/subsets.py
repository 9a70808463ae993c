"""Font subsets fixed before the first page, so that a page's bytes depend only on that page.

ReportLab gives each character the next free code of the font's subset the first time a
document draws it, so the codes written in a page (and which subset, /B1+0 or /B1+1, it comes
from) depend on every page drawn before it. A long document (the handbook, a course pack) is
seeded instead: every face starts with every glyph the library's text can draw in it, as
drawn, in an order that depends only on the set (exporter.pdf.glyphs.glyphcodes.in_seed_order):

- the body and heading faces: every character beyond ASCII (ASCII keeps its own codes), every
  kerned or ligated glyph code of every word, shaped in each face (a word's face is decided by
  its style, which is not known here), brackets mirrored when the library has right-to-left
  text, and the blank that ends a line (line_ends);
- each fallback font (emoji, Hebrew, Arabic, symbols) and its bold member: what font_runs
  gives it, right-to-left runs shaped as bidi draws them.

The texts are the library's, in the cases the pages print them (category names in capitals),
and the signs the pages add (bullets, arrows, the ellipsis). A text cut short ("behav…" in a
running header) or a right-to-left run split differently by a line end may still draw a glyph
the seed lacks: it gets the next free code, after every seeded one, as before.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from exporter.model import Library
from exporter.pdf.glyphs.fallback import SHAPED_FONTS, member
from exporter.pdf.glyphs.fonts import BODY_FACES, REGULAR, font_runs, register_fonts
from exporter.pdf.glyphs.glyphcodes import as_drawn, in_seed_order
from exporter.pdf.lines.bidi import has_rtl, shape_rtl, visual_runs
from exporter.pdf.lines.line_ends import line_end_space
from exporter.pdf.lines.runs import ELLIPSIS
from exporter.pdf.lines.shaping import shaped_all
from exporter.pdf.pages.chapter import BULLET, SEE_ALSO, WARNING_SIGN

#: Font name -> the characters its subsets start with, in seeding order.
FontSeed = dict[str, str]

#: What the pages draw of their own: list bullets, the warning sign, the "see also" arrow, the
#: ellipsis that ends a shortened text.
PAGE_SIGNS = (BULLET, WARNING_SIGN, SEE_ALSO, ELLIPSIS)


def library_texts(library: Library) -> Iterator[str]:
    """Every text of the library a page can print: its own fields, categories, techniques, labels."""
    for group in library_text_groups(library):
        yield from group


def library_text_groups(library: Library) -> Iterator[list[str]]:
    """library_texts in groups that change apart, one at a time: the library's own fields and
    categories, each technique's texts, the labels and the signs the pages add."""
    own = [library.title, library.subtitle, library.organisation, library.edition]
    own += [library.disclaimer, library.short_disclaimer]
    for category in library.categories:
        # A part opens with its category's name in capitals (writers/handbook.chapters); the
        # quick reference lists the names with commas.
        own += [category.name, category.icon, f"{category.icon} {category.name}".upper(), f"{category.name},"]
    yield own
    for technique in library.techniques:
        yield [text for _, text in technique.texts()]
    entries = library.labels().entries.values()
    yield [*(entry if isinstance(entry, str) else " ".join(entry.values()) for entry in entries), *PAGE_SIGNS]


@dataclass(frozen=True)
class SeedPart:
    """What some texts add to a seed: glyphs by font (a body face's: the characters beyond ASCII
    and the glyph codes of each word shaped in it), characters beyond ASCII in body text, and
    whether any text is right to left. A seed is the union of its texts' parts (merged_seed), so
    the part of texts that did not change can be kept (exporter.pdf.pages.seed_cache)."""

    glyphs: dict[str, frozenset[str]]
    beyond_ascii: frozenset[str]
    right_to_left: bool


def seed_part(texts: Iterable[str]) -> SeedPart:
    register_fonts()
    drawn: dict[str, set[str]] = {}
    words: set[str] = set()
    plain: set[str] = set()
    right_to_left = False
    for text in texts:
        right_to_left = right_to_left or has_rtl(text)
        for font, run in font_runs(text):
            if font == REGULAR:
                words.update(run.split())
                plain.update(run)
                continue
            for name in dict.fromkeys((member(font, False), member(font, True))):
                drawn.setdefault(name, set()).update(_fallback_glyphs(name, run))
    ordered_words = sorted(words)
    beyond_ascii = {char for char in plain if ord(char) > 127}
    for face in BODY_FACES:
        # A word broken at a hyphen draws its letters unkerned where it is cut.
        glyphs = drawn.setdefault(face, set(beyond_ascii))
        for word in shaped_all(ordered_words, face):
            glyphs.update(char for char in word if ord(char) > 127)
    return SeedPart({name: frozenset(glyphs) for name, glyphs in drawn.items()}, frozenset(beyond_ascii), right_to_left)


class SeedUnion:
    """Parts added one at a time (none of them held), and the seed they make together."""

    def __init__(self) -> None:
        self.drawn: dict[str, set[str]] = {}
        self.beyond_ascii: set[str] = set()
        self.right_to_left = False

    def add(self, part: SeedPart) -> None:
        for name, found in part.glyphs.items():
            self.drawn.setdefault(name, set()).update(found)
        self.beyond_ascii.update(part.beyond_ascii)
        self.right_to_left = self.right_to_left or part.right_to_left

    def seed(self) -> FontSeed:
        """The seed of all the parts' texts, in seeding order (fonts with no glyph left out)."""
        drawn = {name: set(glyphs) for name, glyphs in self.drawn.items()}
        if self.right_to_left:
            for face in BODY_FACES:
                drawn.setdefault(face, set()).update(_mirrored(face, self.beyond_ascii | set(string.punctuation)))
        for name, glyphs in drawn.items():
            if glyphs:
                glyphs.add(line_end_space(name))
        return {name: in_seed_order(glyphs) for name, glyphs in sorted(drawn.items()) if glyphs}


def merged_seed(parts: Iterable[SeedPart]) -> FontSeed:
    """The seed of all the parts' texts (SeedUnion.seed)."""
    union = SeedUnion()
    for part in parts:
        union.add(part)
    return union.seed()


def font_seed(texts: Iterable[str]) -> FontSeed:
    """The glyphs each registered font draws for texts, in seeding order (fonts with none left out)."""
    return merged_seed([seed_part(texts)])


def _mirrored(face: str, chars: set[str]) -> set[str]:
    """The glyph codes of chars set inside right-to-left text (brackets drawn mirrored)."""
    found: set[str] = set()
    for char in chars:
        found.update(next(run for _, run in visual_runs([(face, char)], True)))
    return {char for char in found if ord(char) > 127}


def _fallback_glyphs(font: str, run: str) -> str:
    """What drawing run in a fallback font can put in the font's subsets."""
    pieces = [run]
    if font in SHAPED_FONTS:
        pieces += [shape_rtl(font, piece) for piece in (run, *run.split())]
    return as_drawn("".join(pieces))


def library_seed(library: Library, more_texts: Iterable[str] = ()) -> FontSeed:
    """font_seed of the library's texts and more_texts."""
    return font_seed(text for text in (*library_texts(library), *more_texts) if text)
