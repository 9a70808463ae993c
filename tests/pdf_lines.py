"""Reading the lines of a PDF page as a typographer measures them: every glyph with its
position, size and face (pdfium), grouped into lines by baseline, and the figures of
print craft worked out from them (hyphens at line ends, word gaps, page fill)."""

from __future__ import annotations

import ctypes
import re
import statistics
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

#: The faces of body text (headings, bullets and page furniture are set in others).
BODY_FACES = frozenset({"NotoSerif-Regular", "NotoSerif-Italic", "NotoSansHebrew-Regular", "NotoSansArabic-Regular"})
HYPHENS = "-\u00ad\u2010\ufffe\x02"
DASHES = "\u2014\u2013"
#: A word gap wider than this (in ems of the line's type size) reads as a hole in the line.
WIDE_GAP_EM = 0.6
#: A line ending this close to the text block's edge (points) is a justified one.
JUSTIFIED_TOLERANCE = 0.3


@dataclass(frozen=True)
class Glyph:
    char: str
    left: float
    right: float
    baseline: float
    size: float
    face: str


@dataclass
class Line:
    """One line of body text: its glyphs from left to right (spaces included)."""

    page: int
    glyphs: list[Glyph] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs).strip()

    @property
    def baseline(self) -> float:
        return self.glyphs[0].baseline

    @property
    def size(self) -> float:
        return statistics.mode(round(g.size, 2) for g in self.inked)

    @property
    def inked(self) -> list[Glyph]:
        return [g for g in self.glyphs if not g.char.isspace()]

    @property
    def rtl(self) -> bool:
        """Mostly Hebrew or Arabic letters: the line is set from the right."""
        letters = [g.char for g in self.inked if g.char.isalpha()]
        return sum("\u0590" <= c <= "\u08ff" for c in letters) * 2 > len(letters)

    @property
    def left(self) -> float:
        return min(g.left for g in self.inked)

    @property
    def right(self) -> float:
        return max(g.right for g in self.inked)

    def word_gaps(self) -> list[float]:
        """The gaps between words, in ems of the line's size (from one glyph's advance to the next's)."""
        gaps = []
        previous: Glyph | None = None
        spaced = False
        for glyph in self.glyphs:
            if glyph.char.isspace():
                spaced = previous is not None
                continue
            if previous is not None and spaced:
                gaps.append((glyph.left - previous.right) / glyph.size)
            previous, spaced = glyph, False
        return gaps


def _font_name(text_page: object, index: int, buffer: ctypes.Array[ctypes.c_char]) -> str:
    length = pdfium_c.FPDFText_GetFontInfo(text_page, index, buffer, len(buffer), None)
    return buffer.value.decode("latin-1") if length else ""


def page_glyphs(page: object, bottom: float, top: float) -> list[Glyph]:
    """Every glyph whose baseline lies between bottom and top (pdfium's generated characters left out)."""
    text_page = page.get_textpage()  # type: ignore[attr-defined]
    raw = text_page.raw
    buffer = ctypes.create_string_buffer(128)
    box = pdfium_c.FS_RECTF()
    x, y = ctypes.c_double(), ctypes.c_double()
    glyphs = []
    try:
        for index in range(pdfium_c.FPDFText_CountChars(raw)):
            if pdfium_c.FPDFText_IsGenerated(raw, index):
                continue
            code = pdfium_c.FPDFText_GetUnicode(raw, index)
            if code in (10, 13):
                continue
            pdfium_c.FPDFText_GetCharOrigin(raw, index, ctypes.byref(x), ctypes.byref(y))
            if not bottom <= y.value <= top:
                continue
            # The loose box spans the glyph's advance (as pdfplumber's x0 and x1 do), not its ink.
            pdfium_c.FPDFText_GetLooseCharBox(raw, index, ctypes.byref(box))
            glyphs.append(
                Glyph(
                    chr(code),
                    box.left,
                    box.right,
                    round(y.value, 1),
                    pdfium_c.FPDFText_GetFontSize(raw, index),
                    _font_name(raw, index, buffer),
                )
            )
    finally:
        text_page.close()
    return glyphs


def body_lines(glyphs: list[Glyph], page: int) -> list[Line]:
    """The lines set in the body face, top to bottom, each from left to right."""
    by_baseline: dict[float, list[Glyph]] = {}
    for glyph in glyphs:
        by_baseline.setdefault(glyph.baseline, []).append(glyph)
    lines = []
    for baseline in sorted(by_baseline, reverse=True):
        row = sorted(by_baseline[baseline], key=lambda g: g.left)
        inked = [g for g in row if not g.char.isspace()]
        body = [g for g in inked if g.face in BODY_FACES]
        if inked and len(body) * 2 > len(inked):
            lines.append(Line(page, row))
    return lines


@dataclass
class Page:
    number: int
    lines: list[Line]
    #: How much of the body frame's height is used, 0-1 (from its top to the lowest ink).
    fill: float


def read_pages(path: Path, box: tuple[float, float]) -> list[Page]:
    """Every page's body lines and fill, for a body frame from box[0] up to box[1] (points)."""
    bottom, top = box
    pages = []
    document = pdfium.PdfDocument(str(path))
    try:
        for number, page in enumerate(document, 1):
            glyphs = page_glyphs(page, bottom - 1, top + 1)
            lowest = min((g.baseline for g in glyphs if not g.char.isspace()), default=top)
            pages.append(Page(number, body_lines(glyphs, number), (top - lowest) / (top - bottom)))
            page.close()
    finally:
        document.close()
    return pages


def ends_in_hyphen(line: Line, following: Line | None) -> bool:
    """A word broken at the line's end: a hyphen after a letter, and a letter opens the next line."""
    text = line.text
    return (
        len(text) > 1
        and text[-1] in HYPHENS
        and text[-2].isalpha()
        and following is not None
        and following.text[:1].isalpha()
    )


def reading_order(pages: list[Page]) -> Iterator[tuple[Line, Line | None, Line | None]]:
    """Each body line with the next two a reader reads (None past the end)."""
    lines = [line for page in pages for line in page.lines]
    for index, line in enumerate(lines):
        yield line, *(lines[later] if later < len(lines) else None for later in (index + 1, index + 2))  # type: ignore[misc]


@dataclass
class Craft:
    """The figures a test asserts, for one document or a set of them."""

    lines: int = 0
    hyphenated: int = 0
    longest_hyphen_run: int = 0
    short_tails: list[str] = field(default_factory=list)
    justified: int = 0
    wide_gaps: list[str] = field(default_factory=list)
    one_letter_ends: list[str] = field(default_factory=list)
    dash_starts: list[str] = field(default_factory=list)
    #: How many justified lines are set at each type size.
    justified_sizes: Counter[float] = field(default_factory=Counter)

    @property
    def hyphen_share(self) -> float:
        return self.hyphenated / max(1, self.lines)

    @property
    def body_sizes(self) -> set[float]:
        """The sizes of the justified lines, leaving out a stray flush-left line (a source set
        smaller) that happens to end at the margin: a size of fewer than 1 in 200 lines."""
        return {size for size, count in self.justified_sizes.items() if count * 200 > self.justified}

    @property
    def wide_gap_share(self) -> float:
        return len(self.wide_gaps) / max(1, self.justified)


_WORD = re.compile(r"\w+")


def measure(pages: list[Page], edges: tuple[tuple[float, ...], tuple[float, ...]], cyrillic: bool = False) -> Craft:
    """Print-craft figures of the body lines of pages.

    edges are (left, right) edges where a line of a justified paragraph may start and end (the
    text block's, a panel's inner edges): a line reaching the far one of them (the right for
    left-to-right text, the left for right-to-left) and followed by a line of its paragraph is
    a justified line.
    """
    craft = Craft()
    run = 0
    for line, following, after in reading_order(pages):
        craft.lines += 1
        text = line.text
        if ends_in_hyphen(line, following):
            craft.hyphenated += 1
            run += 1
            craft.longest_hyphen_run = max(craft.longest_hyphen_run, run)
            assert following is not None
            tail = following.text
            words = _WORD.findall(tail)
            if len(words) == 1 and len(words[0]) < 4 and not _continues(following, after):
                craft.short_tails.append(f"{text[-20:]} / {tail}")
        else:
            run = 0
        if text[:1] in DASHES:
            craft.dash_starts.append(text)
        last = _WORD.findall(text)[-1:] if text[-1:].isalpha() else []
        if cyrillic and last and len(last[0]) == 1 and "\u0400" <= last[0] <= "\u04ff":
            craft.one_letter_ends.append(text[-30:])
        far = (line.left, edges[0]) if line.rtl else (line.right, edges[1])
        if any(abs(far[0] - edge) < JUSTIFIED_TOLERANCE for edge in far[1]) and _continues(line, following):
            craft.justified += 1
            craft.justified_sizes[line.size] += 1
            if any(gap > WIDE_GAP_EM for gap in line.word_gaps()):
                craft.wide_gaps.append(text)
    return craft


def _continues(line: Line, following: Line | None) -> bool:
    """The next line is the same paragraph's: on the same page, one leading below."""
    return (
        following is not None
        and following.page == line.page
        and 0 < line.baseline - following.baseline <= line.size * 1.55
    )


def merged(crafts: list[Craft]) -> Craft:
    total = Craft()
    for craft in crafts:
        total.lines += craft.lines
        total.hyphenated += craft.hyphenated
        total.longest_hyphen_run = max(total.longest_hyphen_run, craft.longest_hyphen_run)
        total.short_tails += craft.short_tails
        total.justified += craft.justified
        total.wide_gaps += craft.wide_gaps
        total.one_letter_ends += craft.one_letter_ends
        total.dash_starts += craft.dash_starts
        total.justified_sizes += craft.justified_sizes
    return total
