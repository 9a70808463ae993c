"""The fonts that draw what the body faces cannot: emoji, Hebrew, Arabic, other symbols.

Kept apart from the body faces (fonts.py) so either can change alone. Each fallback font has a
regular and a bold member; text set in a bold body face uses the bold member.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from exporter.pdf.glyphs.glyphcodes import FIRST_CODE

FONT_DIR = Path(__file__).parent / "fonts"

EMOJI = "ExporterEmoji"
HEBREW = "ExporterHebrew"
HEBREW_BOLD = "ExporterHebrew-Bold"
ARABIC = "ExporterArabic"
ARABIC_BOLD = "ExporterArabic-Bold"
#: Symbola: symbols outside the emoji set that the body faces lack (arrows, dingbats, maths).
SYMBOLS = "ExporterIcons"

FALLBACK_FILES: dict[str, str] = {
    EMOJI: "NotoEmoji-Bold.ttf",
    HEBREW: "NotoSansHebrew-Regular.ttf",
    HEBREW_BOLD: "NotoSansHebrew-Bold.ttf",
    ARABIC: "NotoSansArabic-Regular.ttf",
    ARABIC_BOLD: "NotoSansArabic-Bold.ttf",
    SYMBOLS: "SymbolaIcons.ttf",
}

#: Regular member -> bold member (fonts without a bold member draw bold text regular).
BOLD_MEMBER: dict[str, str] = {HEBREW: HEBREW_BOLD, ARABIC: ARABIC_BOLD}
REGULAR_MEMBER: dict[str, str] = {bold: regular for regular, bold in BOLD_MEMBER.items()}

#: Fonts whose right-to-left runs HarfBuzz shapes (joined Arabic letters, Hebrew marks, mirroring).
SHAPED_FONTS = frozenset({HEBREW, HEBREW_BOLD, ARABIC, ARABIC_BOLD})

#: Order in which fallback fonts are tried for a character the body faces lack.
SEARCH_ORDER: tuple[str, ...] = (HEBREW, ARABIC, EMOJI, SYMBOLS)


@lru_cache(maxsize=1)
def register_fallback_fonts() -> None:
    """Register every fallback font with ReportLab once per process."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics

    from exporter.pdf.glyphs.embedding import EmbeddedFont

    for number, (name, file_name) in enumerate(FALLBACK_FILES.items(), start=1):
        # ReportLab's own shaping is not used: exporter.pdf.lines.bidi shapes and orders runs itself.
        # Embedded through the per-process cache too: every handout draws its ⚠ and → from here.
        # Named X1...X6 in the pages' resources (the body faces are B1...B6).
        font = EmbeddedFont(name, str(FONT_DIR / file_name), shapable=False, resource_name=f"X{number}")
        pdfmetrics.registerFont(font)
    for name in (EMOJI, SYMBOLS, *BOLD_MEMBER):
        bold = BOLD_MEMBER.get(name, name)
        # No italic members: italic text uses the upright ones. The upright mappings go last, so
        # ReportLab reads each font name back as upright (its reverse map keeps the last one).
        addMapping(name, 0, 1, name)
        addMapping(name, 1, 1, bold)
        addMapping(name, 1, 0, bold)
        addMapping(name, 0, 0, name)


def member(font: str, bold: bool) -> str:
    """The regular or bold member of a fallback font's family."""
    if bold:
        return BOLD_MEMBER.get(font, font)
    return REGULAR_MEMBER.get(font, font)


@lru_cache(maxsize=1)
def fallback_coverage() -> dict[str, frozenset[int]]:
    """Code points each fallback font draws (regular and bold members agree)."""
    register_fallback_fonts()
    from reportlab.pdfbase import pdfmetrics

    covered = {}
    for name in SEARCH_ORDER:
        face = pdfmetrics.getFont(name).face
        codes = frozenset(code for code in face.charToGlyph if code < FIRST_CODE)  # not our private glyph codes
        bold = BOLD_MEMBER.get(name)
        if bold:
            codes &= frozenset(pdfmetrics.getFont(bold).face.charToGlyph)
        covered[name] = codes
    return covered
