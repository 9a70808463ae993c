"""Glyphs that stand for more than one character, given private code points ReportLab can draw.

ReportLab draws a font's glyph only through a character its cmap maps to it. An emoji sequence
(🧘‍♀️ is five code points, one glyph) or a joined Arabic letter form has no such character. Each
(font, glyph, text) gets a code point from Supplementary Private Use Area-A, added to that font's
character map and widths; the ToUnicode CMap (tounicode.py) then writes the text it stands for,
so copying from the PDF gives back the characters that were written, not the private code.

The private values never reach the PDF's bytes (fonts are embedded as subsets with their own
one-byte codes), so the order in which they are handed out does not affect rebuilds.
"""

from __future__ import annotations

FIRST_CODE = 0xF0000
LAST_CODE = 0xFFFFD

_codes: dict[tuple[str, int, str], int] = {}
_texts: dict[int, str] = {}


def glyph_char(font_name: str, glyph: int, text: str, width: float | None = None) -> str:
    """A character that draws glyph of font_name and stands for text in the text layer.

    width (thousandths of an em) overrides the glyph's advance, e.g. HarfBuzz's zero advance
    for a combining mark.
    """
    key = (font_name, glyph, text)
    code = _codes.get(key)
    if code is None:
        from reportlab.pdfbase import pdfmetrics

        code = FIRST_CODE + len(_codes)
        if code > LAST_CODE:
            raise RuntimeError("too many distinct glyph sequences in one process")
        face = pdfmetrics.getFont(font_name).face
        face.charToGlyph[code] = glyph
        if width is None:
            width = face.hmetrics[glyph][0] * 1000.0 / face.unitsPerEm
        face.charWidths[code] = width
        _codes[key] = code
        _texts[code] = text
    return chr(code)


def text_of(code: int) -> str | None:
    """The text a private code point stands for (None for any other code point)."""
    return _texts.get(code)


def is_glyph_code(char: str) -> bool:
    return ord(char) >= FIRST_CODE
