"""Content text drawn straight on a canvas (headers, footers, chips), with the icon-font fallback."""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from exporter.pdf.fonts import ICONS, REGULAR, font_runs

ELLIPSIS = "…"


def _runs(text: str, face: str) -> list[tuple[str, str]]:
    """font_runs with the body runs drawn in face (bold, italic) instead of the regular face.

    Canvas text is one line: line breaks and tabs (no glyph of their own) become spaces.
    """
    return [(ICONS if font == ICONS else face, run) for font, run in font_runs(" ".join(text.split()))]


def text_width(text: str, size: float, face: str = REGULAR) -> float:
    return float(sum(stringWidth(run, font, size) for font, run in _runs(text, face)))


def fit_text(text: str, size: float, max_width: float, face: str = REGULAR) -> str:
    """text, shortened with an ellipsis if it would be wider than max_width."""
    if text_width(text, size, face) <= max_width:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if text_width(text[:middle].rstrip() + ELLIPSIS, size, face) <= max_width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ELLIPSIS


def draw_text(
    canv: Canvas, x: float, y: float, text: str, size: float, face: str = REGULAR, align: str = "left"
) -> float:
    """Draw text at baseline y (align left, right or centre on x); return its width."""
    runs = _runs(text, face)
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
