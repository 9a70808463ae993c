"""A space at the end of each line of a paragraph that wraps at a space, for the text layer.

A wrapped line's last word and the next line's first have nothing between them in the content,
so readers that join a paragraph's lines (poppler's structure text, read-aloud) glue them
("publishedresearch"). The space is drawn after the line's last glyph as a blank glyph of no
width that stands for a space (glyphcodes.carrier_char): nothing follows it on the line and
it takes no room, so no visible glyph moves and nothing reaches past the measure. A line that
ends in a hyphen gets none (no space in the middle of a word).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from reportlab.pdfbase import pdfmetrics

from exporter.pdf.glyphs.glyphcodes import carrier_char
from exporter.pdf.tagging.spans import LanguageSpans

#: What a line ends with where it breaks inside a word: a hyphen (added or written) or a dash
#: that is part of the word ("1990–"; a dash standing alone between spaces is a word).
_WORD_BREAKS = ("-", "\u00ad", "\u2010", "\u2013", "\u2014", "/")


def ends_at_space(paragraph: Any) -> list[bool]:
    """For each line of a laid-out paragraph, whether it ends where a space was.

    Not the paragraph's last line, unless what remains of it goes on in the next frame; not a
    right-to-left paragraph's lines (drawn in visual order; their element carries the text in
    reading order as ActualText).
    """
    if getattr(paragraph, "_rtl", False):
        return []
    para = paragraph.blPara
    texts = [_last_text(line, para.kind) for line in para.lines]
    ends = [wraps_at_space(text) for text in texts]
    if ends and not getattr(paragraph, "_continues", False):
        ends[-1] = False
    return ends


def wraps_at_space(text: str) -> bool:
    """Whether a line that ends with text (not the last) ended where a space was."""
    return bool(text) and not text[-1].isspace() and (len(text) == 1 or not text.endswith(_WORD_BREAKS))


def _last_text(line: Any, kind: int) -> str:
    """The text a line ends with ("" when it ends with a space already or has no text)."""
    if kind == 0:
        words = line[1]
        text = words[-1] if words else ""
    else:
        text = next((word.text for word in reversed(line.words) if getattr(word, "text", "")), "")
    return "" if text[-1:].isspace() else text


class LineEndText(LanguageSpans):
    """A text object that draws a space after each line that ends at one (and words in another
    language as Spans: LanguageSpans).

    ReportLab's paragraph drawing puts out the last piece of each line with T* (its TStar); the
    lines come in order.
    """

    def __init__(self, canvas: Any, x: float, y: float, ends: Iterable[bool]) -> None:
        super().__init__(canvas, x, y)
        self._ends = iter(ends)

    def _textOut(self, text: str, TStar: int = 0) -> None:  # noqa: N802, N803 (ReportLab's names)
        if TStar and next(self._ends, False):
            text += line_end_space(self._fontname)
        super()._textOut(text, TStar)


def line_end_space(font_name: str) -> str:
    """A character that draws nothing, takes no room and reads as a space, in font_name."""
    face = getattr(pdfmetrics.getFont(font_name), "face", None)
    if not hasattr(face, "charToGlyph"):  # a standard font: its own space
        return " "
    return carrier_char(font_name, " ")
