"""The fonts every PDF writer uses, which characters they can draw, and safe Paragraph markup.

ReportLab has no font fallback: a character missing from the font is drawn as a blank box and
written into the text layer as NUL, silently. So text is split into runs here (body font, or the
monochrome icon font for emoji and symbols), and any character neither covers is reported
before layout as a content problem naming the technique and field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from exporter.errors import Problem
from exporter.model import Library

FONT_DIR = Path(__file__).parent / "fonts"

# The body and heading faces: Noto Serif for reading, Noto Sans (its sans companion, same
# proportions and x-height) for headings and page furniture. Subset to Latin with Vietnamese,
# Greek (with polytonic) and Cyrillic; see fonts/LICENSE-Noto.txt and docs/notes/typeset.md.
REGULAR = "ExporterSerif"
BOLD = "ExporterSerif-Bold"
ITALIC = "ExporterSerif-Italic"
BOLD_ITALIC = "ExporterSerif-BoldItalic"
HEADING = "ExporterSans-Bold"
HEADING_REGULAR = "ExporterSans"
ICONS = "ExporterIcons"

_BODY_FONT_FILES = {
    REGULAR: "NotoSerif-Regular.ttf",
    BOLD: "NotoSerif-Bold.ttf",
    ITALIC: "NotoSerif-Italic.ttf",
    BOLD_ITALIC: "NotoSerif-BoldItalic.ttf",
    HEADING: "NotoSans-Bold.ttf",
    HEADING_REGULAR: "NotoSans-Regular.ttf",
}

#: The body and heading faces, for exporter.pdf.embedding.seed_subsets.
BODY_FACES = tuple(_BODY_FONT_FILES)

_FONT_FILES = {
    **_BODY_FONT_FILES,
    ICONS: "SymbolaIcons.ttf",
}

#: Characters dropped before drawing: emoji presentation selectors and joiners have no glyph
#: of their own and only choose how the character before them looks.
_INVISIBLE = re.compile("[\ufe0e\ufe0f\u200d]")

_WHITESPACE = frozenset("\n\t\r ")


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Register the bundled fonts with ReportLab once per process (idempotent)."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from exporter.pdf.embedding import EmbeddedFont

    for name, file_name in _FONT_FILES.items():
        # The body faces are embedded through a per-process cache (many handouts, same subsets).
        font_class = EmbeddedFont if name in _BODY_FONT_FILES else TTFont
        pdfmetrics.registerFont(font_class(name, str(FONT_DIR / file_name)))
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD_ITALIC)
    for face in (HEADING, HEADING_REGULAR):
        addMapping(face, 0, 0, face)
        addMapping(face, 1, 0, HEADING)
        addMapping(face, 0, 1, face)
        addMapping(face, 1, 1, HEADING)
    # Every PDF writer registers the fonts first, so all of them get the same (fixed) text layer.
    from exporter.pdf.tounicode import install_utf16_to_unicode_cmap

    install_utf16_to_unicode_cmap()


@lru_cache(maxsize=1)
def _coverage() -> tuple[frozenset[int], frozenset[int]]:
    """(code points every body face draws, code points the icon font draws)."""
    register_fonts()
    from reportlab.pdfbase import pdfmetrics

    def cmap(name: str) -> frozenset[int]:
        font = pdfmetrics.getFont(name)
        return frozenset(font.face.charToGlyph)

    body = frozenset.intersection(*(cmap(name) for name in _BODY_FONT_FILES))
    return body, cmap(ICONS)


def drawable(text: str) -> str:
    """Text as it will be drawn: NFC, without invisible emoji selectors."""
    return _INVISIBLE.sub("", unicodedata.normalize("NFC", text))


def font_runs(text: str) -> Iterator[tuple[str, str]]:
    """Split text into (font name, run) pairs: body font where it can, icon font otherwise.

    A character that no font covers stays in the body run; check_glyphs reports it first.
    """
    body, icons = _coverage()
    current = REGULAR
    run: list[str] = []
    for char in drawable(text):
        code = ord(char)
        font = ICONS if code not in body and code in icons and char not in _WHITESPACE else REGULAR
        if font != current and run:
            yield current, "".join(run)
            run = []
        current = font
        run.append(char)
    if run:
        yield current, "".join(run)


def para_text(text: str) -> str:
    """Content text as ReportLab Paragraph markup that prints exactly the characters given.

    Paragraph text is XML-like markup: `<b>`, `&` or `</para>` in content would be parsed.
    Escaping here, in one place, makes content data and never markup.
    """
    text = drawable(text)
    if _coverage()[0].issuperset(map(ord, text)):
        # The common case, one body-font run: skip the per-character split (same result).
        return escape(text)
    parts = []
    for font, run in font_runs(text):
        escaped = escape(run)
        parts.append(f'<font name="{ICONS}">{escaped}</font>' if font == ICONS else escaped)
    return "".join(parts)


def missing_characters(text: str) -> list[str]:
    body, icons = _coverage()
    drawn = drawable(text)
    if body.issuperset(map(ord, drawn)):  # almost all text: one C-level check, not a loop per character
        return []
    seen: dict[str, None] = {}
    for char in drawn:
        code = ord(char)
        if code not in body and code not in icons and char not in _WHITESPACE:
            seen[char] = None
    return list(seen)


def check_glyphs(library: Library) -> list[Problem]:
    """Every character of the content that the bundled fonts cannot draw, as problems."""
    problems: list[Problem] = []
    header: list[tuple[str, str]] = [
        ("title", library.title),
        ("subtitle", library.subtitle),
        ("organisation", library.organisation),
        ("edition", library.edition),
        ("disclaimer", library.disclaimer),
        ("short_disclaimer", library.short_disclaimer),
    ]
    for index, category in enumerate(library.categories):
        header.append((f"categories[{index}].name", category.name))
        header.append((f"categories[{index}].icon", category.icon))
    problems += _problems_for(library.path or "library.yaml", lambda _field: 1, header)
    for technique in library.techniques:
        problems += _problems_for(technique.path, technique.line_of_text, technique.texts())
    return problems


def _problems_for(path: str, line_for: Callable[[str], int], texts: Iterable[tuple[str, str]]) -> list[Problem]:
    problems = []
    for field_path, text in texts:
        missing = missing_characters(text)
        if missing:
            names = ", ".join(f"'{c}' (U+{ord(c):04X} {unicodedata.name(c, 'unnamed')})" for c in missing)
            line = line_for(field_path)
            problems.append(Problem(path, line, field_path, f"the fonts cannot draw {names}"))
    return problems
