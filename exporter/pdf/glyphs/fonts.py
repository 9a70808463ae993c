"""The fonts every PDF writer uses, which characters they can draw, and safe Paragraph markup.

ReportLab has no font fallback: a character missing from the font is drawn as a blank box and
written into the text layer as NUL, silently. So text is split into runs here: the body faces,
or a fallback font (exporter.pdf.glyphs.fallback: emoji, Hebrew, Arabic, symbols), with every emoji
sequence drawn as the one glyph the emoji font has for it (exporter.pdf.glyphs.emoji). Any character
no font covers is reported before layout as a content problem naming the file, line and field.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from xml.sax.saxutils import escape

from exporter.errors import Problem
from exporter.model import Library
from exporter.pdf.glyphs.emoji import needs_emoji_pass, split_emoji
from exporter.pdf.glyphs.fallback import (
    ARABIC,
    EMOJI,
    FONT_DIR,
    HEBREW,
    SEARCH_ORDER,
    SYMBOLS,
    fallback_coverage,
    member,
    register_fallback_fonts,
)
from exporter.pdf.glyphs.glyphcodes import FIRST_CODE
from exporter.pdf.lines.bidi import has_rtl
from exporter.text.emoji_sequences import CONTINUATIONS, emoji_table

RTL_FONTS = frozenset({HEBREW, ARABIC})

# The body and heading faces: Noto Serif for reading, Noto Sans (its sans companion, same
# proportions and x-height) for headings and page furniture. Subset to Latin with Vietnamese,
# Greek (with polytonic) and Cyrillic; see fonts/LICENSE-Noto.txt and docs/notes/typeset.md.
REGULAR = "ExporterSerif"
BOLD = "ExporterSerif-Bold"
ITALIC = "ExporterSerif-Italic"
BOLD_ITALIC = "ExporterSerif-BoldItalic"
HEADING = "ExporterSans-Bold"
HEADING_REGULAR = "ExporterSans"
#: The symbol font of earlier versions, still the last fallback (kept under its old name).
ICONS = SYMBOLS

_BODY_FONT_FILES = {
    REGULAR: "NotoSerif-Regular.ttf",
    BOLD: "NotoSerif-Bold.ttf",
    ITALIC: "NotoSerif-Italic.ttf",
    BOLD_ITALIC: "NotoSerif-BoldItalic.ttf",
    HEADING: "NotoSans-Bold.ttf",
    HEADING_REGULAR: "NotoSans-Regular.ttf",
}

#: The body and heading faces, for exporter.pdf.glyphs.embedding.seed_subsets.
BODY_FACES = tuple(_BODY_FONT_FILES)

_WHITESPACE = frozenset("\n\t\r ")
#: SEARCH_ORDER for a character whose default presentation is text, not emoji.
_TEXT_SEARCH_ORDER = tuple(sorted(SEARCH_ORDER, key=lambda font: font == EMOJI))

#: Bidi classes of letters: a letter keeps the font of its own script.
_STRONG = frozenset({"L", "R", "AL"})


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Register the bundled fonts with ReportLab once per process (idempotent)."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics

    from exporter.pdf.glyphs.embedding import EmbeddedFont

    for number, (name, file_name) in enumerate(_BODY_FONT_FILES.items(), start=1):
        # Embedded through a per-process cache (many handouts, same subsets), named B1...B6 in
        # every page's resources whatever order a document uses them in.
        pdfmetrics.registerFont(EmbeddedFont(name, str(FONT_DIR / file_name), resource_name=f"B{number}"))
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
    from exporter.pdf.glyphs.tounicode import install_utf16_to_unicode_cmap

    install_utf16_to_unicode_cmap()
    register_fallback_fonts()


@lru_cache(maxsize=1)
def _coverage() -> tuple[frozenset[int], frozenset[int]]:
    """(code points the body faces draw as they are, code points some font can draw).

    Hebrew and Arabic always come from their own fonts (they are shaped and ordered there),
    and emoji drawn as emoji by default always from the emoji font.
    """
    register_fonts()
    from reportlab.pdfbase import pdfmetrics

    def cmap(name: str) -> frozenset[int]:
        font = pdfmetrics.getFont(name)
        return frozenset(font.face.charToGlyph)

    body = frozenset.intersection(*(cmap(name) for name in _BODY_FONT_FILES))
    body = frozenset(code for code in body if code < FIRST_CODE and not has_rtl(chr(code)))
    plain = body - CONTINUATIONS - emoji_table().presentation
    everything = body.union(CONTINUATIONS, map(ord, _WHITESPACE), *fallback_coverage().values())
    return plain, everything


def drawable(text: str) -> str:
    """Text as the PDF's text layer gives it back: NFC, emoji sequences whole, stray selectors gone."""
    text = unicodedata.normalize("NFC", text)
    if not needs_emoji_pass(text, _coverage()[0]):
        return text
    return "".join(piece for piece, _ in split_emoji(text))


def plain_characters(text: str) -> set[str] | None:
    """The characters drawable(text) is made of, when the body faces draw them all as they are
    (then no emoji pass changes them); None otherwise. Lines joined into one text give their
    characters in one pass: normalization composes nothing across a line break."""
    used = set(unicodedata.normalize("NFC", text))
    used.discard("\n")
    return used if _coverage()[0].issuperset(map(ord, used)) else None


def font_runs(text: str) -> Iterator[tuple[str, str]]:
    """Split text into (font name, run) pairs: REGULAR for the body faces, else a fallback font.

    An emoji sequence becomes one character of the emoji font (a private code for its glyph).
    A character that no font covers stays in the body run; check_glyphs reports it first.
    """
    plain = _coverage()[0]
    text = unicodedata.normalize("NFC", text)
    if not needs_emoji_pass(text, plain):
        if text:
            yield REGULAR, text
        return
    fallbacks = fallback_coverage()
    chars: list[tuple[str, str]] = []
    for piece, glyph in split_emoji(text):
        chars += [(glyph, EMOJI)] if glyph is not None else [(c, _font_for(c, plain, fallbacks)) for c in piece]
    if has_rtl(text):
        chars = _punctuation_with_its_script(chars, fallbacks)
    current = REGULAR
    run: list[str] = []
    for char, font in chars:
        if font != current and run:
            yield current, "".join(run)
            run = []
        current = font
        run.append(char)
    if run:
        yield current, "".join(run)


def _punctuation_with_its_script(
    chars: list[tuple[str, str]], fallbacks: dict[str, frozenset[int]]
) -> list[tuple[str, str]]:
    """Punctuation and digits next to Hebrew or Arabic letters take the letters' font.

    Text extractors (pdftotext) split words where the font changes; a comma in another font
    than its word comes back on the wrong side of the space.
    """
    result = list(chars)
    for index, (_char, font) in enumerate(result):
        if font not in RTL_FONTS:
            continue
        for step in (-1, 1):
            other = index + step
            while 0 <= other < len(result):
                neighbour, neighbour_font = result[other]
                if (
                    neighbour_font != REGULAR
                    or neighbour in _WHITESPACE
                    or unicodedata.bidirectional(neighbour) in _STRONG
                    or ord(neighbour) not in fallbacks[font]
                ):
                    break
                result[other] = (neighbour, font)
                other += step
    return result


def _font_for(char: str, plain: frozenset[int], fallbacks: dict[str, frozenset[int]]) -> str:
    code = ord(char)
    if code in plain or char in _WHITESPACE:
        return REGULAR
    # A symbol shown as text by default (⚠, ✓, →) comes from the symbol font, not as an emoji.
    order = SEARCH_ORDER if code in emoji_table().presentation else _TEXT_SEARCH_ORDER
    for font in order:
        if code in fallbacks[font]:
            return font
    return REGULAR


def para_text(text: str, bold: bool = False) -> str:
    """Content text as ReportLab Paragraph markup that prints exactly the characters given.

    Paragraph text is XML-like markup: `<b>`, `&` or `</para>` in content would be parsed.
    Escaping here, in one place, makes content data and never markup. Right-to-left text stays
    in reading order: exporter.pdf.lines.paragraphs.Paragraph orders it line by line. bold is for text
    that goes inside `<b>`: a `<font>` tag resets the weight, so fallback runs name their bold font.
    """
    parts = []
    for font, run in font_runs(text):
        escaped = escape(run)
        name = member(font, True) if bold else font
        parts.append(escaped if font == REGULAR else f'<font name="{name}">{escaped}</font>')
    return "".join(parts)


def missing_characters(text: str) -> list[str]:
    """Characters of text that no bundled font can draw, each once."""
    everything = _coverage()[1]
    drawn = unicodedata.normalize("NFC", text)
    if everything.issuperset(map(ord, set(drawn))):  # almost all text: C-level checks, not a loop per character
        return []
    return list(dict.fromkeys(char for char in drawn if ord(char) not in everything))


def check_glyphs(library: Library) -> list[Problem]:
    """Every character of the content that the bundled fonts cannot draw, as problems."""
    files = _texts_by_file(library)
    every_text = (text for _, _, fields in files for _, text in fields)
    if not missing_characters("\n".join(every_text)):  # the usual case, in one pass
        return []
    problems: list[Problem] = []
    for path, line_of, fields in files:
        problems += _problems_for(path, line_of, fields)
    return problems


def _texts_by_file(library: Library) -> list[tuple[str, Callable[[str], int], list[tuple[str, str]]]]:
    """Each content file's path, how to find a field's line, and its (field, text) pairs."""
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
    files: list[tuple[str, Callable[[str], int], list[tuple[str, str]]]] = [
        (library.path or "library.yaml", lambda field: _library_line(library, field), header)
    ]
    files += [(technique.path, technique.line_of_text, list(technique.texts())) for technique in library.techniques]
    files += [(course.path, course.line_of_text, list(course.texts())) for course in library.courses]
    return files


def _library_line(library: Library, field_path: str) -> int:
    """The line of a library.yaml field as check_glyphs names it ("title", "categories[3].icon")."""
    name, _, rest = field_path.partition("[")
    if name == "categories" and rest:
        index_text, _, key = rest.partition("].")
        category = library.categories[int(index_text)]
        return category.field_lines.get(key) or category.line or library.field_lines.get(name, 1)
    return library.field_lines.get(name, 1)


def _problems_for(path: str, line_for: Callable[[str], int], texts: Iterable[tuple[str, str]]) -> list[Problem]:
    texts = list(texts)
    if not missing_characters("\n".join(text for _, text in texts)):  # a line break joins no two texts' marks
        return []
    problems = []
    for field_path, text in texts:
        missing = missing_characters(text)
        if missing:
            names = ", ".join(f"'{c}' (U+{ord(c):04X} {unicodedata.name(c, 'unnamed')})" for c in missing)
            line = line_for(field_path)
            problems.append(Problem(path, line, field_path, f"the fonts cannot draw {names}"))
    return problems
