"""Make the text layer give back what was written: ToUnicode entries as UTF-16, as PDF requires.

ReportLab writes each glyph's Unicode value as `<%04X>`, which for a character beyond the
Basic Multilingual Plane (every category emoji: 🔧 is U+1F527) gives five hex digits — not
valid UTF-16, so readers drop the icon from extracted or copied text and pypdf warns.
Glyphs drawn through a private code (emoji sequences, joined Arabic letters: see
exporter.pdf.glyphs.glyphcodes) are written as the characters they stand for; a text one entry
cannot hold for every reader (an emoji sequence: glyphcodes.entry_pieces) goes on in zero-width
carriers that the text object draws right after the glyph.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from exporter.pdf.glyphs.glyphcodes import as_drawn, text_of


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be", "surrogatepass").hex().upper()


@lru_cache(maxsize=1)
def install_utf16_to_unicode_cmap() -> None:
    """Replace ReportLab's ToUnicode CMap writer with one that encodes every code point in UTF-16."""
    from reportlab.pdfbase import ttfonts

    original = ttfonts.makeToUnicodeCMap

    def make_to_unicode_cmap(fontname: str, subset: list[int]) -> str:
        cmap: str = original(fontname, subset)
        if all(code <= 0xFFFF for code in subset):
            return cmap
        dropped = 0
        for index, code in enumerate(subset):
            if code > 0xFFFF:
                text = text_of(code)
                if text is None:
                    text = chr(code)
                # A glyph that only completes another's cluster (a second glyph) stands for nothing.
                replacement = f"\n<{index:02X}> <{_utf16_hex(text)}>\n" if text else "\n"
                dropped += not text
                cmap = cmap.replace(f"\n<{index:02X}> <{code:04X}>\n", replacement, 1)
        if dropped:
            count = len(subset)
            cmap = cmap.replace(f"\n{count} beginbfchar\n", f"\n{count - dropped} beginbfchar\n", 1)
        return cmap

    ttfonts.makeToUnicodeCMap = make_to_unicode_cmap
    _install_carrier_drawing()


def _install_carrier_drawing() -> None:
    """Every text object draws a long-text glyph as its glyph and carriers (as_drawn): as wide
    as the glyph, so the cursor, moved by the text's measured width, stays right."""
    from reportlab.pdfgen.textobject import PDFTextObject

    original = PDFTextObject._formatText

    def format_text(self: Any, text: str) -> str:
        return str(original(self, as_drawn(text) if isinstance(text, str) else text))

    PDFTextObject._formatText = format_text
