"""Content text drawn straight on a canvas (headers, footers, chips), with font fallback and bidi."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from exporter.pdf.glyphs.fallback import member
from exporter.pdf.glyphs.fonts import REGULAR, font_runs
from exporter.pdf.lines.bidi import base_is_rtl, visual_runs
from exporter.pdf.lines.line_ends import line_end_space, wraps_at_space
from exporter.pdf.lines.shaping import shaped

ELLIPSIS = "…"


@lru_cache(maxsize=64)
def is_bold(face: str) -> bool:
    """Whether a registered face is a bold one (its fallback runs then use bold members)."""
    from reportlab.lib.fonts import ps2tt

    try:
        return bool(ps2tt(face)[1])
    except ValueError:
        return False


def line_runs(text: str, face: str = REGULAR, rtl: bool | None = None) -> list[tuple[str, str]]:
    """One line of text as (font, run) pairs in drawing order, body runs in face.

    Canvas text is one line: line breaks and tabs (no glyph of their own) become spaces.
    rtl is the line's base direction; by default its first strong character decides.
    """
    text = " ".join(text.split())
    bold = is_bold(face)
    runs = [(face if font == REGULAR else member(font, bold), run) for font, run in font_runs(text)]
    return visual_runs(runs, base_is_rtl(text) if rtl is None else rtl)


def drawn_runs(text: str, face: str = REGULAR, rtl: bool | None = None) -> list[tuple[str, str]]:
    """line_runs as drawn: each run kerned and with its ligatures (exporter.pdf.lines.shaping)."""
    return [(font, shaped(run, font)) for font, run in line_runs(text, face, rtl)]


def text_width(text: str, size: float, face: str = REGULAR, rtl: bool | None = None) -> float:
    return float(sum(stringWidth(run, font, size) for font, run in drawn_runs(text, face, rtl)))


def fit_text(text: str, size: float, max_width: float, face: str = REGULAR) -> str:
    """text, shortened with an ellipsis if it would be wider than max_width: at the end of a
    word ("Embodied Mentalization…", never "Embodi…"), unless not even its first word fits (or
    the words that fit are only punctuation: never a lone "…")."""
    if text_width(text, size, face) <= max_width:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if text_width(text[:middle].rstrip() + ELLIPSIS, size, face) <= max_width:
            low = middle
        else:
            high = middle - 1
    cut = low if low < len(text) and text[low].isspace() else text.rfind(" ", 0, low)
    if cut > 0 and any(character.isalnum() for character in text[:cut]):
        low = cut
    return text[:low].rstrip(" ,;:–—-") + ELLIPSIS


def draw_text(
    canv: Canvas,
    x: float,
    y: float,
    text: str,
    size: float,
    face: str = REGULAR,
    align: str = "left",
    rtl: bool | None = None,
) -> float:
    """Draw text at baseline y (align left, right or centre on x); return its width.

    rtl is the line's direction when it is part of a right-to-left (True) or left-to-right
    (False) paragraph; by default the line's own first strong letter decides.
    """
    runs = drawn_runs(text, face, rtl)
    width = sum(stringWidth(run, font, size) for font, run in runs)
    if align == "right":
        x -= width
    elif align == "centre":
        x -= width / 2
    # One text object for all runs, so the text layer reads as one line, not one per font.
    text_object = canv.beginText(x, y)
    for font, run in runs:
        text_object.setFont(font, size)
        text_object.textOut(run)
    canv.drawText(text_object)
    return float(width)


def draw_left_lines(
    canv: Canvas, x: float, y: float, lines: Sequence[str], size: float, leading: float, face: str = REGULAR
) -> None:
    """Left-to-right lines of one text flush left at x, the first on baseline y, in one text object (a
    card holds thousands of lines: one object per line would cost a third of the drawing).

    A line that wraps at a space ends with one, unseen, for the text layer (see line_ends)."""
    text_object = canv.beginText(x, y)
    current = ""
    for number, line in enumerate(lines):
        if number:
            text_object.setTextOrigin(x, y - number * leading)
        for font, run in drawn_runs(line, face, False):
            if font != current:
                text_object.setFont(font, size)
                current = font
            text_object.textOut(run)
        if number < len(lines) - 1 and wraps_at_space(line.rstrip()) and current:
            text_object.textOut(line_end_space(current))
    canv.drawText(text_object)
