"""A ReportLab paragraph's words (exporter.pdf.lines.words) broken by
exporter.pdf.lines.breaking into the line structure ReportLab draws
(exporter.pdf.lines.line_structure).

`set_lines` measures the words, sets a paragraph that sets evenly line by line without a search
(exporter.pdf.lines.first_fit), and breaks any other all at once: first on whole words, then
with hyphens. A justified paragraph of one font may track its lines a little
(exporter.pdf.lines.tracking): its letters stretch and shrink with its spaces.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth

from exporter.pdf.lines.breaking import (
    BOX,
    FORBIDDEN,
    FORCED,
    GLUE,
    HYPHEN_PENALTY,
    LINE_PENALTY,
    PASSES,
    PENALTY,
    Break,
    Items,
)
from exporter.pdf.lines.breaking import break_paragraph as knuth_plass
from exporter.pdf.lines.first_fit import Slack, even_lines
from exporter.pdf.lines.hyphenation import drawn_head
from exporter.pdf.lines.line_structure import MakeLine, SetLines, frag_line, lines_of, one_font_line
from exporter.pdf.lines.shaping import shaped
from exporter.pdf.lines.tracking import PASSES as TRACKED_PASSES
from exporter.pdf.lines.tracking import SHRINK_EM, STRETCH_EM, UNTRACKED, Letters
from exporter.pdf.lines.words import (
    LANGUAGE_ATTRIBUTE,
    PARAGRAPHS_KEPT,
    Word,
    can_set,
    look,
    may_break_before,
    skeleton_of,
    word_rules,
    words_of,
)

#: Names other modules take from here.
__all__ = [
    "LANGUAGE_ATTRIBUTE",
    "SetLines",
    "Word",
    "can_set",
    "frag_line",
    "may_break_before",
    "one_font_line",
    "set_lines",
    "skeleton_of",
    "word_rules",
    "words_of",
]

#: Style attribute asking for as few lines as the paragraph can be set in (a chapter fitted
#: to save a page): TeX's looseness -1, by a line penalty that outweighs a looser line.
FEWEST_LINES_ATTRIBUTE = "exporter_fewest_lines"
FEWEST_LINES_PENALTY = 2_000.0
#: Style attribute of a flush-left paragraph broken as a justified one (list items): the lines a
#: justified paragraph would have, a line that must shrink shrunk to the measure, a line that
#: would stretch left at its natural spacing. No hole can open, so a line may be as loose as a
#: hyphen would cost (FLUSH_LEFT_PASSES) before the breaker takes one.
BROKEN_AS_JUSTIFIED_ATTRIBUTE = "exporter_broken_as_justified"
#: Passes of such a paragraph (see breaking.PASSES): the first, on whole words only, takes lines
#: up to a ratio of 2 (a hyphen would cost more); then any looseness, weighed against hyphens.
FLUSH_LEFT_PASSES: tuple[tuple[float, bool], ...] = ((2.0, True), (float("inf"), True), (float("inf"), False))
#: How far a space may stretch and shrink, as a share of its width (about TeX's proportions).
SPACE_STRETCH = 0.6
SPACE_SHRINK = 0.4
#: How far a space of a flush-left paragraph broken as a justified one may shrink: its short
#: lines cost nothing to see, a tight one does ("Do not justify yourself, even if the reaction
#: looks out of proportion" squeezed to the measure in an A5 booklet read as one word).
FLUSH_LEFT_SHRINK = 0.2


def space_shrink(unstretched: bool) -> float:
    """How far a space may shrink, as a share of its width: less in a flush-left paragraph
    broken as a justified one (`unstretched`)."""
    return FLUSH_LEFT_SHRINK if unstretched else SPACE_SHRINK


#: Ragged-right lines: spaces fixed, the line end may fall this many ems short without cost.
RAGGED_STRETCH_EM = 3.0
_FILL = 1e6

#: What an item stands for: a word (its index) and, for a hyphen, the character offset.
_Place = tuple[int, int]
#: How wide a word's pieces are drawn (right-to-left words are measured shaped).
WidthOf = Callable[[list[tuple[Any, str]]], float]


#: One item: kind, width, stretch, shrink, penalty, flagged.
_Row = tuple[int, float, float, float, float, bool]
#: A hyphenated word's items and the character offset each stands at, by its text, font, size,
#: hyphenation points and letter slack: a library repeats its words thousands of times.
_word_items: dict[tuple[str, str, float, tuple[int, ...], Letters], tuple[tuple[_Row, ...], tuple[int, ...]]] = {}


def _hyphenated_word_items(
    text: str, font: str, size: float, hyphens: tuple[int, ...], letters: Letters
) -> tuple[tuple[_Row, ...], tuple[int, ...]]:
    key = (text, font, size, hyphens, letters)
    found = _word_items.get(key)
    if found is None:
        hyphen = measure("-", font, size)
        cuts = [0, *hyphens, len(text)]
        rows: list[_Row] = []
        offsets: list[int] = []
        for number in range(len(cuts) - 1):
            start, stop = cuts[number], cuts[number + 1]
            if number:
                added = hyphen if drawn_head(text[:start]) != text[:start] else 0.0
                rows.append((PENALTY, added, 0.0, 0.0, HYPHEN_PENALTY, True))
                offsets.append(start)
            length = stop - start
            # Each piece as the shaped word's prefix grows: a head ends where it is drawn,
            # kerned and ligated, and the pieces of an unbroken word add up to the word.
            piece = measure(text[:stop], font, size) - (measure(text[:start], font, size) if start else 0.0)
            rows.append((BOX, piece, length * letters.stretch, length * letters.shrink, 0.0, False))
            offsets.append(0)
        if len(_word_items) > 100_000:
            _word_items.clear()
        found = _word_items[key] = (tuple(rows), tuple(offsets))
    return found


def _items(
    words: list[Word], measured: _Measured, ragged: bool, letters: Letters, hyphenate: bool = True
) -> tuple[Items, list[_Place]]:
    kinds: list[int] = []
    widths: list[float] = []
    stretches: list[float] = []
    shrinks: list[float] = []
    penalties: list[float] = []
    flagged: list[bool] = []
    places: list[_Place] = []

    def add(row: _Row, place: _Place) -> None:
        kinds.append(row[0])
        widths.append(row[1])
        stretches.append(row[2])
        shrinks.append(row[3])
        penalties.append(row[4])
        flagged.append(row[5])
        places.append(place)

    for index, word in enumerate(words):
        if index:
            if not word.breakable:
                add((PENALTY, 0.0, 0.0, 0.0, FORBIDDEN, False), (index, 0))
            add(
                (GLUE, measured.spaces[index], measured.space_stretch[index], measured.space_shrink[index], 0.0, False),
                (index, 0),
            )
        if word.hyphens and hyphenate:
            frag, text = word.pieces[0]
            word_rows, offsets = _hyphenated_word_items(text, frag.fontName, frag.fontSize, word.hyphens, letters)
            for row, offset in zip(word_rows, offsets, strict=True):
                add(row, (index, offset))
        else:
            add(
                (BOX, measured.widths[index], measured.word_stretch[index], measured.word_shrink[index], 0.0, False),
                (index, 0),
            )
    # The paragraph's end, as TeX's: no break before the filling space, a forced one after it.
    end = (len(words), 0)
    add((PENALTY, 0.0, 0.0, 0.0, FORBIDDEN, False), end)
    add((GLUE, 0.0, _FILL, 0.0, 0.0, False), end)
    add((PENALTY, 0.0, 0.0, 0.0, FORCED, False), end)
    return Items(kinds, widths, stretches, shrinks, penalties, flagged), places


@dataclass(frozen=True)
class _Measured:
    """A paragraph's words measured once: each word's width and the space before it, and how
    far each may stretch and shrink."""

    widths: list[float]
    spaces: list[float]
    word_stretch: list[float]
    word_shrink: list[float]
    space_stretch: list[float]
    space_shrink: list[float]

    @property
    def natural(self) -> float:
        return sum(self.widths) + sum(self.spaces)


def _measured_words(
    words: list[Word], width_of: WidthOf, ragged: bool, letters: Letters, frag: Any = None, shrink: float = SPACE_SHRINK
) -> _Measured:
    """frag: the one frag the paragraph is in, if it is (its words are measured from one table);
    shrink: how far a space may shrink, as a share of its width."""
    if frag is not None and width_of is _pieces_width:
        table = width_table(frag.fontName, frag.fontSize)
        texts = [word.pieces[0][1] for word in words]
        widths = [table[text] if text in table else measure(text, frag.fontName, frag.fontSize) for text in texts]
        spaces = [0.0] + [_space_width(frag)] * (len(words) - 1)
    else:
        widths = [width_of(word.pieces) for word in words]
        spaces = [0.0, *(_space_width(word.space or word.pieces[0][0]) for word in words[1:])]
    stretch_share, shrink_share = (0.0, 0.0) if ragged else (SPACE_STRETCH, shrink)
    if letters.stretch or letters.shrink:
        lengths = [len(word.pieces[0][1]) for word in words]
        word_stretch = [length * letters.stretch for length in lengths]
        word_shrink = [length * letters.shrink for length in lengths]
    else:
        word_stretch = word_shrink = [0.0] * len(words)
    space_stretch = [space * stretch_share + letters.stretch for space in spaces]
    space_shrink = [space * shrink_share + letters.shrink for space in spaces]
    return _Measured(widths, spaces, word_stretch, word_shrink, space_stretch, space_shrink)


_measured: dict[tuple[str, float], dict[str, float]] = {}


def width_table(font: str, size: float) -> dict[str, float]:
    table = _measured.get((font, size))
    if table is None:
        table = _measured[(font, size)] = {}
    return table


def measure(text: str, font: str, size: float) -> float:
    """The width of text as drawn (kerned, with ligatures), remembered: a library repeats its
    words thousands of times."""
    table = width_table(font, size)
    found = table.get(text)
    if found is None:
        if len(table) > 100_000:
            table.clear()
        found = table[text] = float(stringWidth(shaped(text, font), font, size))
    return found


def _space_width(frag: Any) -> float:
    return measure(" ", frag.fontName, frag.fontSize)


def _pieces_width(pieces: list[tuple[Any, str]]) -> float:
    if len(pieces) == 1:
        frag, text = pieces[0]
        return measure(text, frag.fontName, frag.fontSize)
    return sum(measure(text, frag.fontName, frag.fontSize) for frag, text in pieces)


def set_lines(
    words: list[Word],
    style: ParagraphStyle,
    widths: list[float],
    justify: bool | None = None,
    width_of: WidthOf | None = None,
    make_line: MakeLine | None = None,
) -> SetLines | None:
    """The paragraph broken into lines of widths[0], then widths[1]...; None if it cannot be
    (a word wider than the line), and ReportLab's own breaking must do. justify: whether the
    lines are justified (by default, the style's alignment says). A justified paragraph of one
    font, drawn by ReportLab, may track its lines a little (exporter.pdf.lines.tracking)."""
    if not words:
        return None
    ragged = not (style.alignment == TA_JUSTIFY if justify is None else justify)
    # Broken as justified, drawn flush left: loose lines are not stretched.
    unstretched = ragged and justify is None and broken_as_justified(style)
    ragged = ragged and not unstretched
    first, rest = widths[0], widths[-1]
    line_penalty = FEWEST_LINES_PENALTY if getattr(style, FEWEST_LINES_ATTRIBUTE, False) else LINE_PENALTY
    frag = _one_frag(words) if make_line is None and width_of is None else None
    letters = UNTRACKED
    if frag is not None and not ragged:
        letters = Letters(STRETCH_EM * frag.fontSize, SHRINK_EM * frag.fontSize)
    key = None
    if frag is not None:
        signature = tuple((word.pieces[0][1], word.breakable, word.hyphens) for word in words)
        key = (frag.fontName, frag.fontSize, ragged, unstretched, line_penalty, first, rest, signature)
    if key is not None and key in _breaks_made:
        found = _breaks_made[key]
    else:
        passes = FLUSH_LEFT_PASSES if unstretched else TRACKED_PASSES if letters.stretch else PASSES
        setting = (ragged, line_penalty, passes)
        found = _breaks(words, style, (first, rest), setting, width_of or _pieces_width, (letters, frag))
        if key is not None:
            if len(_breaks_made) > PARAGRAPHS_KEPT:
                _breaks_made.clear()
            _breaks_made[key] = found
    if found is None:
        return None
    return lines_of(words, found[0], found[1], (first, rest), make_line, (letters, frag), stretched=not unstretched)


#: A paragraph's breaks, by its words, font and measure: a handbook sets the same paragraph
#: again as it fits a chapter, and for its handouts.
_breaks_made: dict[tuple[Any, ...], tuple[list[_Place], list[Break]] | None] = {}


def broken_as_justified(style: ParagraphStyle) -> bool:
    """Whether a flush-left paragraph is broken as a justified one (BROKEN_AS_JUSTIFIED_ATTRIBUTE)."""
    return style.alignment != TA_JUSTIFY and bool(getattr(style, BROKEN_AS_JUSTIFIED_ATTRIBUTE, False))


def _one_frag(words: list[Word]) -> Any:
    """The frag a paragraph is set in, when every word and space is in one font, size and colour
    (ReportLab's parser may leave such a paragraph in several frags); None otherwise."""
    frag = words[0].pieces[0][0]
    same = look(frag)
    for word in words:
        if len(word.pieces) != 1:
            return None
        for other in (word.pieces[0][0], word.space):
            if other is not None and other is not frag and look(other) != same:
                return None
    return frag


def _breaks(
    words: list[Word],
    style: ParagraphStyle,
    widths: tuple[float, float],
    setting: tuple[bool, float, tuple[tuple[float, bool], ...]],
    width_of: WidthOf,
    font: tuple[Letters, Any],
) -> tuple[list[_Place], list[Break]] | None:
    """Where the paragraph's lines end (None: nowhere, a word is wider than a line).
    setting: whether the lines are ragged right, what each line costs and the breaker's passes;
    font: how far letters may be tracked, and the one frag of the paragraph (None if it has several)."""
    ragged, line_penalty, passes = setting
    letters, frag = font
    first, rest = widths
    measured = _measured_words(words, width_of, ragged, letters, frag, space_shrink(passes is FLUSH_LEFT_PASSES))
    natural = measured.natural
    if natural <= first:  # most headings, rows and short items
        return [(len(words), 0)], [Break(0, 0.0, False, natural)]
    line_stretch = RAGGED_STRETCH_EM * style.fontSize if ragged else 0.0
    if line_penalty == LINE_PENALTY and len(words) < len(_WORD_PLACES):
        slack = Slack(
            measured.word_stretch, measured.word_shrink, measured.space_stretch, measured.space_shrink, line_stretch
        )
        breakable = [word.breakable for word in words]
        even = even_lines(measured.widths, measured.spaces, breakable, first, rest, slack)
        if even is not None:
            return _WORD_PLACES[: len(words) + 1], even
    # Most paragraphs set well without a hyphen: try that first, on the words alone (a hyphen
    # would cost more than the loosest line this pass allows, so it would not have been taken).
    items, places = _items(words, measured, ragged, letters, hyphenate=False)
    breaks = knuth_plass(items, first, rest, line_stretch, line_penalty, passes[:1])
    if breaks is None and any(word.hyphens for word in words):
        items, places = _items(words, measured, ragged, letters)
        # A flush-left paragraph's loose lines open no holes: they are weighed against hyphens at once.
        hyphen_passes = passes[1:] if passes is FLUSH_LEFT_PASSES else passes
        breaks = knuth_plass(items, first, rest, line_stretch, line_penalty, hyphen_passes)
    elif breaks is None:
        breaks = knuth_plass(items, first, rest, line_stretch, line_penalty, passes[1:])
    if breaks is None:
        return None
    return places, breaks


#: Places of a paragraph broken only between words: a break at i starts the next line at word i.
_WORD_PLACES: list[_Place] = [(index, 0) for index in range(5000)]
