"""The line structure ReportLab's Paragraph draws and splits (its `blPara`), made from a
paragraph's words and the breaker's breaks: drawing, justification and page splitting stay
ReportLab's own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.pdfbase.pdfmetrics import getAscentDescent, stringWidth
from reportlab.platypus.paragraph import FragLine, ParaLines

from exporter.pdf.lines.breaking import Break
from exporter.pdf.lines.hyphenation import drawn_head
from exporter.pdf.lines.shaping import shaped, shaped_all
from exporter.pdf.lines.tracking import Letters, line_tracking
from exporter.pdf.lines.words import Word

#: What an item stands for: a word (its index) and, for a hyphen, the character offset.
Place = tuple[int, int]
#: One line of words as a ReportLab FragLine (for right-to-left lines, which are measured and
#: drawn shaped and in drawing order).
MakeLine = Callable[[list[Word], float], Any]


@dataclass(frozen=True)
class SetLines:
    """A paragraph's lines as ReportLab draws them, and the words each line starts with (for
    the part of a split paragraph that goes on to the next page)."""

    para_lines: Any
    #: The paragraph's words, or how to make them (a paragraph set before, from the cache).
    words: list[Word] | Callable[[], list[Word]]
    #: Where each line starts (a word, and an offset into it after a hyphen).
    starts: list[Place]

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


def _cut(words: list[Word], start: Place) -> list[Word]:
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


def lines_of(
    words: list[Word],
    places: list[Place],
    breaks: list[Break],
    widths: tuple[float, float],
    make_line: MakeLine | None,
    font: tuple[Letters, Any],
    stretched: bool = True,
) -> SetLines:
    """The paragraph's lines ending at breaks (places: the word and offset each item stands
    at); make_line makes each line (right-to-left ones), else a one-font paragraph's lines are
    ReportLab's simple lines, tracked as their ratios say, and any other's FragLines.
    stretched: whether a loose line is stretched (justified) or left at its natural spacing
    (a flush-left paragraph broken as a justified one; a tight line is shrunk either way)."""
    letters, frag = font
    single = make_line is None and frag is not None
    tracked = single and (letters.stretch or letters.shrink)
    size = words[0].pieces[0][0].fontSize
    lines: list[Any] = []
    starts: list[Place] = []
    start: Place = (0, 0)
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
                line_words[-1] = Word([(frag, drawn_head(keep))], line_words[-1].space)
        starts.append(start)
        width = widths[0] if number == 0 else widths[1]
        # A word's tail, or a head with its hyphen, is shaped on its own: measured as drawn.
        natural = _drawn_width(line_words) if offset or found.hyphenated else found.natural
        if make_line is not None:
            lines.append(make_line(line_words, width))
        elif single:
            # The last line is set at its natural width unless it had to shrink.
            ratio = found.ratio if (number < last and stretched) or found.ratio < 0 else 0.0
            lines.append(_one_font_line(line_words, width, natural, line_tracking(ratio, size) if tracked else 0.0))
        else:
            lines.append(_line(line_words, width, natural))
        start = end
    template = words[0].pieces[0][0]
    if single:
        ascent, descent = getAscentDescent(template.fontName, template.fontSize)
        para_lines = template.clone(kind=0, lines=lines, ascent=ascent, descent=descent, fontSize=template.fontSize)
    else:
        para_lines = ParaLines(kind=1, lines=lines)
    return SetLines(para_lines, words, starts)


def _one_font_line(words: list[Word], width: float, natural: float, tracking: float) -> Any:
    font = words[0].pieces[0][0].fontName
    return one_font_line([word.pieces[0][1] for word in words], font, width, natural, tracking)


def one_font_line(texts: list[str], font: str, width: float, natural: float, tracking: float) -> Any:
    """A line of a one-font paragraph as ReportLab draws it: (the room its spaces share, its
    words, shaped), and its character spacing when it is tracked (TrackedText draws it; a
    ligature is one character there, as it is one glyph on the page)."""
    texts = shaped_all(texts, font)
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
            put(frag, shaped(text, frag.fontName))
    return frag_line(frags, len(words), width - natural, width)


def _drawn_width(words: list[Word]) -> float:
    """A line's words and the spaces between them, as wide as they are drawn."""
    width = sum(
        stringWidth(shaped(text, frag.fontName), frag.fontName, frag.fontSize)
        for word in words
        for frag, text in word.pieces
    )
    spaces = (word.space or word.pieces[0][0] for word in words[1:])
    return float(width + sum(stringWidth(" ", frag.fontName, frag.fontSize) for frag in spaces))


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
