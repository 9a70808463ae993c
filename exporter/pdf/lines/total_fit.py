"""A ReportLab paragraph's words broken by exporter.pdf.lines.breaking, with the language's rules.

`words_of` turns a paragraph's fragments into words (pieces of text in their fonts, and where
each may be hyphenated); `set_lines` breaks them and returns the line structure ReportLab's
Paragraph draws and splits (its `blPara`), so drawing, justification and page splitting stay
ReportLab's own. Rules every break keeps:

- no break after a one-letter word in the languages whose typesetting forbids it (Russian
  "в доме", Czech "k domu"): the space still stretches;
- a number stays with the word before it ("phase 1"), and no line starts with a dash;
- a hyphen leaves at least two letters before it and three after it, and the last word of a
  paragraph keeps at least four letters on the last line (no "cli-/ent.").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus.paragraph import FragLine, ParaLines

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
from exporter.pdf.lines.tracking import PASSES as TRACKED_PASSES
from exporter.pdf.lines.tracking import SHRINK_EM, STRETCH_EM, line_tracking

#: Style attribute naming the library's language (for its line-breaking rules).
LANGUAGE_ATTRIBUTE = "exporter_language"
#: Style attribute asking for as few lines as the paragraph can be set in (a chapter fitted
#: to save a page): TeX's looseness -1, by a line penalty that outweighs a looser line.
FEWEST_LINES_ATTRIBUTE = "exporter_fewest_lines"
FEWEST_LINES_PENALTY = 2_000.0
#: Languages whose typesetting never leaves a one-letter word at the end of a line.
NO_ONE_LETTER_AT_LINE_END = frozenset({"ru", "uk", "be", "bg", "cs", "sk", "pl", "sl", "sr", "hr", "mk"})
#: How far a space may stretch and shrink, as a share of its width (about TeX's proportions).
SPACE_STRETCH = 0.6
SPACE_SHRINK = 0.4
#: Ragged-right lines: spaces fixed, the line end may fall this many ems short without cost.
RAGGED_STRETCH_EM = 3.0
#: The last word of a paragraph keeps this many letters on its line when it is hyphenated.
LAST_WORD_TAIL = 4
_FILL = 1e6

_BREAKABLE_SPACE = re.compile("[ \t\n\r]")
_DASHES = "\u2014\u2013\u2012\u2015"
_PLAIN_FRAG_ATTRIBUTES = ("cbDefn", "lineBreak", "backColor", "link", "us_lines", "rise")


@dataclass(slots=True)
class Word:
    """A word: its pieces (frag, text), the frag of the space before it, whether a line may
    break at that space, and where inside the word a hyphen may go (character offsets)."""

    pieces: list[tuple[Any, str]] = field(default_factory=list)
    space: Any = None
    breakable: bool = True
    hyphens: tuple[int, ...] = ()

    @property
    def text(self) -> str:
        return "".join(text for _, text in self.pieces)


def can_set(frags: list[Any], style: ParagraphStyle) -> bool:
    """Whether the paragraph is plain text in a justified or flush-left style (all body text is)."""
    if style.alignment not in (TA_JUSTIFY, TA_LEFT) or getattr(style, "endDots", None) or style.wordWrap:
        return False
    for frag in frags:
        if not hasattr(frag, "text") or any(getattr(frag, name, None) for name in _PLAIN_FRAG_ATTRIBUTES):
            return False
    return bool(frags)


def words_of(frags: list[Any], style: ParagraphStyle) -> list[Word]:
    """The paragraph's words, with the language's no-break rules and hyphenation points."""
    language, hyphenate, shortest = word_rules(style)
    if len(frags) == 1:  # most paragraphs: one font throughout
        frag = frags[0]
        skeleton = skeleton_of(frag.text, language, hyphenate, shortest)
        words = [Word([(frag, text)], frag, breakable, hyphens) for text, breakable, hyphens in skeleton]
        if words:
            words[0].space = None
        return words
    words = [Word()]
    for frag in frags:
        for index, part in enumerate(_BREAKABLE_SPACE.split(frag.text)):
            if index and words[-1].pieces:
                words.append(Word(space=frag))
            if part:
                _add_piece(words[-1], frag, part)
    words = [word for word in words if word.pieces]
    _spaces_in_own_face(words, style.fontName)
    _rules(words, language, hyphenate, shortest)
    return words


Hyphenate = Callable[[str], Iterator[tuple[str, str]]]


def word_rules(style: ParagraphStyle) -> tuple[str, Hyphenate | None, int]:
    """The style's language (for its no-break rules), hyphenator and shortest hyphenated word."""
    language = str(getattr(style, LANGUAGE_ATTRIBUTE, "") or "").split("-")[0].split("_")[0]
    hyphenate = style.hyphenationLang if callable(style.hyphenationLang) else None
    return language, hyphenate, int(getattr(style, "hyphenationMinWordLength", 5))


#: A one-frag paragraph's words (text, whether a line may end before it, hyphenation points),
#: by its text and language: a handbook sets a technique's text again for its handout.
_skeletons: dict[tuple[Any, ...], list[tuple[str, bool, tuple[int, ...]]]] = {}


def skeleton_of(
    text: str, language: str, hyphenate: Hyphenate | None, shortest: int
) -> list[tuple[str, bool, tuple[int, ...]]]:
    """A one-frag paragraph's words: (text, whether a line may end before it, hyphenation points)."""
    key = (text, language, id(hyphenate), shortest)
    found = _skeletons.get(key)
    if found is None:
        parts = [part for part in _BREAKABLE_SPACE.split(text) if part]
        last = len(parts) - 1
        found = []
        for index, part in enumerate(parts):
            breakable = not index or may_break_before(parts[index - 1], part, language)
            hyphens: tuple[int, ...] = ()
            if hyphenate is not None and len(part) >= shortest:
                hyphens = _hyphen_offsets(hyphenate, part, LAST_WORD_TAIL if index == last else 0)
            found.append((part, breakable, hyphens))
        if len(_skeletons) > 20_000:
            _skeletons.clear()
        _skeletons[key] = found
    return found


def _rules(
    words: list[Word], language: str, hyphenate: Callable[[str], Iterator[tuple[str, str]]] | None, shortest: int
) -> None:
    """Where a line may end before each word, and where each may be hyphenated."""
    previous = ""
    last = len(words) - 1
    for index, word in enumerate(words):
        text = word.pieces[0][1] if len(word.pieces) == 1 else word.text
        if index:
            word.breakable = may_break_before(previous, text, language)
        previous = text
        if hyphenate is not None and len(word.pieces) == 1 and len(text) >= shortest:
            word.hyphens = _hyphen_offsets(hyphenate, text, LAST_WORD_TAIL if index == last else 0)


def _add_piece(word: Word, frag: Any, text: str) -> None:
    """Text in a frag added to a word: joined to the word's last piece when that is in the same
    font, size and colour (ReportLab's parser leaves "R&D" in three frags)."""
    if word.pieces:
        last, before = word.pieces[-1]
        if last is frag or _look(last) == _look(frag):
            word.pieces[-1] = (last, before + text)
            return
    word.pieces.append((frag, text))


def _look(frag: Any) -> tuple[Any, ...]:
    return (frag.fontName, frag.fontSize, frag.textColor)


_NO_BREAK_SPACE = re.compile("(\u00a0)")


def _spaces_in_own_face(words: list[Word], face: str) -> None:
    """Spaces inside a run of a fallback font (between two emoji, a no-break space before a
    symbol) are drawn in the paragraph's own face: the emoji and symbol fonts have none."""
    clones: dict[int, Any] = {}

    def own(frag: Any) -> Any:
        if id(frag) not in clones:
            clones[id(frag)] = frag.clone(fontName=face)
        return clones[id(frag)]

    for word in words:
        if word.space is not None and word.space.fontName != face:
            word.space = own(word.space)
        if any(frag.fontName != face and "\u00a0" in text for frag, text in word.pieces):
            pieces = []
            for frag, text in word.pieces:
                if frag.fontName == face or "\u00a0" not in text:
                    pieces.append((frag, text))
                    continue
                for part in _NO_BREAK_SPACE.split(text):
                    if part:
                        pieces.append((own(frag) if part == "\u00a0" else frag, part))
            word.pieces = pieces


_offsets: dict[tuple[int, str, int], tuple[int, ...]] = {}


def _hyphen_offsets(hyphenate: Callable[[str], Iterator[tuple[str, str]]], text: str, tail: int) -> tuple[int, ...]:
    """Where text may take a hyphen, in order, leaving at least tail letters after it."""
    key = (id(hyphenate), text, tail)
    found = _offsets.get(key)
    if found is None:
        if len(_offsets) > 100_000:
            _offsets.clear()
        pairs = _pairs(hyphenate, text)
        found = _offsets[key] = tuple(
            sorted(len(head) for head, rest in pairs if not tail or sum(c.isalpha() for c in rest) >= tail)
        )
    return found


def _pairs(hyphenate: Callable[[str], Iterator[tuple[str, str]]], text: str) -> list[tuple[str, str]]:
    return [(head, tail) for head, tail in hyphenate(text) if head + tail == text]


def may_break_before(previous: str, word: str, language: str) -> bool:
    """Whether a line may end between two words (no dash opens a line, no number leaves its
    word, no one-letter word ends a line in the languages that forbid it)."""
    if word[:1] in _DASHES:
        return False
    if word[:1].isdigit() and previous[-1:].isalpha():
        return False  # "phase 1", "step 3"
    one_letter = len(previous) == 1 and previous.isalpha()
    return not (one_letter and language in NO_ONE_LETTER_AT_LINE_END)


#: What an item stands for: a word (its index) and, for a hyphen, the character offset.
_Place = tuple[int, int]


#: One item: kind, width, stretch, shrink, penalty, flagged.
_Row = tuple[int, float, float, float, float, bool]
#: A hyphenated word's items and the character offset each stands at, by its text, font, size,
#: hyphenation points and letter slack: a library repeats its words thousands of times.
_word_items: dict[tuple[str, str, float, tuple[int, ...], Letters], tuple[tuple[_Row, ...], tuple[int, ...]]] = {}


@dataclass(frozen=True)
class Letters:
    """How far each character of a tracked line may open and close (points; 0 for untracked lines)."""

    stretch: float = 0.0
    shrink: float = 0.0


UNTRACKED = Letters()


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
                rows.append((PENALTY, hyphen, 0.0, 0.0, HYPHEN_PENALTY, True))
                offsets.append(start)
            length = stop - start
            piece = measure(text[start:stop], font, size)
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
    words: list[Word], width_of: WidthOf, ragged: bool, letters: Letters, frag: Any = None
) -> _Measured:
    """frag: the one frag the paragraph is in, if it is (its words are measured from one table)."""
    if frag is not None and width_of is _pieces_width:
        table = width_table(frag.fontName, frag.fontSize)
        texts = [word.pieces[0][1] for word in words]
        widths = [table[text] if text in table else measure(text, frag.fontName, frag.fontSize) for text in texts]
        spaces = [0.0] + [_space_width(frag)] * (len(words) - 1)
    else:
        widths = [width_of(word.pieces) for word in words]
        spaces = [0.0, *(_space_width(word.space or word.pieces[0][0]) for word in words[1:])]
    stretch_share, shrink_share = (0.0, 0.0) if ragged else (SPACE_STRETCH, SPACE_SHRINK)
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
    """stringWidth, remembered: a library repeats its words thousands of times."""
    table = width_table(font, size)
    found = table.get(text)
    if found is None:
        if len(table) > 100_000:
            table.clear()
        found = table[text] = float(stringWidth(text, font, size))
    return found


def _space_width(frag: Any) -> float:
    return measure(" ", frag.fontName, frag.fontSize)


def _pieces_width(pieces: list[tuple[Any, str]]) -> float:
    if len(pieces) == 1:
        frag, text = pieces[0]
        return measure(text, frag.fontName, frag.fontSize)
    return sum(measure(text, frag.fontName, frag.fontSize) for frag, text in pieces)


@dataclass(frozen=True)
class SetLines:
    """A paragraph's lines as ReportLab draws them, and the words each line starts with (for
    the part of a split paragraph that goes on to the next page)."""

    para_lines: Any
    #: The paragraph's words, or how to make them (a paragraph set before, from the cache).
    words: list[Word] | Callable[[], list[Word]]
    #: Where each line starts (a word, and an offset into it after a hyphen).
    starts: list[_Place]

    def part(self, start: int, stop: int | None = None) -> SetLines:
        """Lines start to stop, as the part of a paragraph split across pages."""
        lines = self.para_lines.lines[start:stop]
        if self.para_lines.kind == 0:
            para_lines = self.para_lines.clone(lines=lines)
        else:
            para_lines = ParaLines(kind=1, lines=lines)
        return SetLines(para_lines, self.words, self.starts[start:stop])

    def rest(self, line: int) -> list[Word]:
        """The words from the start of a line to the paragraph's end (the first cut at a hyphen)."""
        words = self.words if isinstance(self.words, list) else self.words()
        return _cut(words, self.starts[line])


#: How wide a word's pieces are drawn, and one line of words as a ReportLab FragLine (for
#: right-to-left lines, which are measured and drawn shaped and in drawing order).
WidthOf = Callable[[list[tuple[Any, str]]], float]
MakeLine = Callable[[list[Word], float], Any]


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
    first, rest = widths[0], widths[-1]
    line_penalty = FEWEST_LINES_PENALTY if getattr(style, FEWEST_LINES_ATTRIBUTE, False) else LINE_PENALTY
    frag = _one_frag(words) if make_line is None and width_of is None else None
    letters = UNTRACKED
    if frag is not None and not ragged:
        letters = Letters(STRETCH_EM * frag.fontSize, SHRINK_EM * frag.fontSize)
    key = None
    if frag is not None:
        signature = tuple((word.pieces[0][1], word.breakable, word.hyphens) for word in words)
        key = (frag.fontName, frag.fontSize, ragged, line_penalty, first, rest, signature)
    if key is not None and key in _breaks_made:
        found = _breaks_made[key]
    else:
        found = _breaks(words, style, (first, rest), (ragged, line_penalty), width_of or _pieces_width, (letters, frag))
        if key is not None:
            if len(_breaks_made) > 20_000:
                _breaks_made.clear()
            _breaks_made[key] = found
    if found is None:
        return None
    return _lines(words, found[0], found[1], (first, rest), make_line, (letters, frag))


#: A paragraph's breaks, by its words, font and measure: a handbook sets the same paragraph
#: again as it fits a chapter, and for its handouts.
_breaks_made: dict[tuple[Any, ...], tuple[list[_Place], list[Break]] | None] = {}


def _one_frag(words: list[Word]) -> Any:
    """The frag a paragraph is set in, when every word and space is in one font, size and colour
    (ReportLab's parser may leave such a paragraph in several frags); None otherwise."""
    frag = words[0].pieces[0][0]
    look = _look(frag)
    for word in words:
        if len(word.pieces) != 1:
            return None
        for other in (word.pieces[0][0], word.space):
            if other is not None and other is not frag and _look(other) != look:
                return None
    return frag


def _breaks(
    words: list[Word],
    style: ParagraphStyle,
    widths: tuple[float, float],
    setting: tuple[bool, float],
    width_of: WidthOf,
    font: tuple[Letters, Any],
) -> tuple[list[_Place], list[Break]] | None:
    """Where the paragraph's lines end (None: nowhere, a word is wider than a line).
    setting: whether the lines are ragged right, and what each line costs; font: how far letters
    may be tracked, and the one frag of the paragraph (None if it has several)."""
    ragged, line_penalty = setting
    letters, frag = font
    first, rest = widths
    measured = _measured_words(words, width_of, ragged, letters, frag)
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
    passes = TRACKED_PASSES if letters.stretch else PASSES
    items, places = _items(words, measured, ragged, letters, hyphenate=False)
    breaks = knuth_plass(items, first, rest, line_stretch, line_penalty, passes[:1])
    if breaks is None and any(word.hyphens for word in words):
        items, places = _items(words, measured, ragged, letters)
        breaks = knuth_plass(items, first, rest, line_stretch, line_penalty, passes)
    elif breaks is None:
        breaks = knuth_plass(items, first, rest, line_stretch, line_penalty, passes[1:])
    if breaks is None:
        return None
    return places, breaks


#: Places of a paragraph broken only between words: a break at i starts the next line at word i.
_WORD_PLACES: list[_Place] = [(index, 0) for index in range(5000)]


def _cut(words: list[Word], start: _Place) -> list[Word]:
    """The words from a place on (a word begun at a hyphen keeps only its tail)."""
    word, offset = start
    if word >= len(words):
        return []
    head = words[word]
    if not offset:
        return [Word(head.pieces, None, True, head.hyphens), *words[word + 1 :]]
    frag, text = head.pieces[0]
    tail = Word([(frag, text[offset:])], None, True, tuple(h - offset for h in head.hyphens if h > offset))
    return [tail, *words[word + 1 :]]


def _lines(
    words: list[Word],
    places: list[_Place],
    breaks: list[Break],
    widths: tuple[float, float],
    make_line: MakeLine | None,
    font: tuple[Letters, Any],
) -> SetLines:
    letters, frag = font
    single = make_line is None and frag is not None
    tracked = single and (letters.stretch or letters.shrink)
    size = words[0].pieces[0][0].fontSize
    lines: list[Any] = []
    starts: list[_Place] = []
    start: _Place = (0, 0)
    last = len(breaks) - 1
    for number, found in enumerate(breaks):
        end = places[found.position] if found.hyphenated else (places[found.position][0], 0)
        first, offset = start
        line_words = words[first : end[0] + (1 if found.hyphenated else 0)]
        if offset or found.hyphenated:
            line_words = list(line_words)
            if offset:
                head = line_words[0]
                line_words[0] = Word([(head.pieces[0][0], head.pieces[0][1][offset:])], None)
            if found.hyphenated:
                frag, text = words[end[0]].pieces[0]
                keep = text[offset if first == end[0] else 0 : end[1]]
                line_words[-1] = Word([(frag, keep + "-")], line_words[-1].space)
        starts.append(start)
        width = widths[0] if number == 0 else widths[1]
        if make_line is not None:
            lines.append(make_line(line_words, width))
        elif single:
            # The last line is set at its natural width unless it had to shrink.
            ratio = found.ratio if number < last or found.ratio < 0 else 0.0
            lines.append(
                _one_font_line(line_words, width, found.natural, line_tracking(ratio, size) if tracked else 0.0)
            )
        else:
            lines.append(_line(line_words, width, found.natural))
        start = end
    template = words[0].pieces[0][0]
    if single:
        ascent, descent = getAscentDescent(template.fontName, template.fontSize)
        para_lines = template.clone(kind=0, lines=lines, ascent=ascent, descent=descent, fontSize=template.fontSize)
    else:
        para_lines = ParaLines(kind=1, lines=lines)
    return SetLines(para_lines, words, starts)


def _one_font_line(words: list[Word], width: float, natural: float, tracking: float) -> Any:
    return one_font_line([word.pieces[0][1] for word in words], width, natural, tracking)


def one_font_line(texts: list[str], width: float, natural: float, tracking: float) -> Any:
    """A line of a one-font paragraph as ReportLab draws it: (the room its spaces share, its
    words), and its character spacing when it is tracked (TrackedText draws it)."""
    if not tracking:
        return (width - natural, texts)
    characters = sum(len(text) for text in texts) + len(texts) - 1
    return (width - natural - tracking * (characters - 1), texts, tracking)


def _line(words: list[Word], width: float, natural: float) -> Any:
    frags: list[Any] = []

    def put(frag: Any, text: str) -> None:
        last = frags[-1] if frags else None
        if last is not None and (last.fontName, last.fontSize, last.textColor) == (
            frag.fontName,
            frag.fontSize,
            frag.textColor,
        ):
            last.text += text
        else:
            frags.append(frag.clone(text=text))

    for index, word in enumerate(words):
        if index:
            put(word.space or word.pieces[0][0], " ")  # the space in the font it was written in
        for frag, text in word.pieces:
            put(frag, text)
    return frag_line(frags, len(words), width - natural, width)


def frag_line(frags: list[Any], word_count: int, extra: float, width: float) -> Any:
    """A ReportLab line of several fragments (extra: the room its spaces share when justified)."""
    sizes = [frag.fontSize for frag in frags]
    metrics = [getAscentDescent(frag.fontName, frag.fontSize) for frag in frags]
    return FragLine(
        extraSpace=extra,
        wordCount=word_count,
        lineBreak=False,
        words=frags,
        fontSize=max(sizes),
        ascent=max(a for a, _ in metrics),
        descent=min(d for _, d in metrics),
        maxWidth=width,
        sFW=0,
    )
