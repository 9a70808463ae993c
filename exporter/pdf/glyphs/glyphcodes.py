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

from functools import lru_cache
from typing import Any

FIRST_CODE = 0xF0000
LAST_CODE = 0xFFFFD

_codes: dict[tuple[str, int, str, float | None], int] = {}
_texts: dict[int, str] = {}


def glyph_char(font_name: str, glyph: int, text: str, width: float | None = None) -> str:
    """A character that draws glyph of font_name and stands for text in the text layer.

    width (thousandths of an em) overrides the glyph's advance, e.g. HarfBuzz's zero advance
    for a combining mark.
    """
    key = (font_name, glyph, text, None if width is None else round(width, 3))
    code = _codes.get(key)
    if code is None:
        from reportlab.pdfbase import pdfmetrics

        code = FIRST_CODE + len(_codes)
        if code > LAST_CODE:
            raise RuntimeError("too many distinct glyph sequences in one process")
        face = pdfmetrics.getFont(font_name).face
        face.charToGlyph[code] = glyph
        if width is None:
            width = glyph_advance(font_name, glyph)
        face.charWidths[code] = width
        _codes[key] = code
        _texts[code] = text
    return chr(code)


#: Characters whose glyph is empty (some fonts draw a visible mark for ZWJ): a zero-width copy
#: of one carries text alone.
_EMPTY_CHARACTERS = (0x20, 0x200B)


def carrier_char(font_name: str, text: str) -> str:
    """An invisible, zero-width glyph that stands for text in the text layer.

    Text extractors reverse right-to-left lines glyph by glyph; a glyph standing for several
    characters (a lam-alef ligature) would come out with them reversed. Giving each character
    but the first its own zero-width glyph lets every extractor put them back in order.
    """
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(font_name).face
    glyph = next((face.charToGlyph[c] for c in _EMPTY_CHARACTERS if c in face.charToGlyph), 0)
    return glyph_char(font_name, glyph, text, width=0.0)


@lru_cache(maxsize=16)
def harfbuzz_font(font_name: str) -> Any:
    """The registered font's file as a HarfBuzz font (shaping, glyph advances), loaded once."""
    import uharfbuzz
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(font_name).face
    return uharfbuzz.Font(uharfbuzz.Face(uharfbuzz.Blob.from_file_path(face.filename)))


def glyph_advance(font_name: str, glyph: int) -> float:
    """A glyph's advance in thousandths of an em.

    Read with HarfBuzz: ReportLab's own table holds the advances of glyphs past the font's last
    explicit metric (every emoji of a monospaced emoji font) already scaled, i.e. wrong.
    """
    font = harfbuzz_font(font_name)
    advance: float = font.get_glyph_h_advance(glyph) * 1000.0 / font.face.upem
    return advance


def text_of(code: int) -> str | None:
    """The text a private code point stands for (None for any other code point)."""
    return _texts.get(code)


def is_glyph_code(char: str) -> bool:
    return ord(char) >= FIRST_CODE
