"""Kerning and standard ligatures for left-to-right text in the body and heading faces (HarfBuzz).

ReportLab draws one glyph per character at its nominal advance. `shaped` turns a run of text
into the characters that draw it as HarfBuzz sets it: a letter whose advance the font kerns
against the next ("T" before "o") becomes a private code drawing the same glyph with the kerned
advance, a ligature ("fi") one private code standing for its letters (exporter.pdf.glyphs.glyphcodes:
the ToUnicode map gives the letters back). Every other character stays itself, so spaces stay
spaces (justification stretches them) and unkerned text is unchanged.

Each word is shaped on its own, once per face: line breakers measure the shaped words and
drawing draws them, so a line is drawn exactly as wide as it was measured. Shaping is
idempotent: characters already shaped are left as they are.
"""

from __future__ import annotations

from exporter.pdf.glyphs.fonts import BODY_FACES
from exporter.pdf.glyphs.glyphcodes import (
    FIRST_CODE,
    LAST_CODE,
    glyph_advance,
    glyph_char,
    harfbuzz_font,
    is_glyph_code,
    text_of,
)

#: The faces whose kerning and ligature tables are kept (tools/cut_fonts.py).
SHAPED_FACES = frozenset(BODY_FACES)

#: Shaped text by face: {face: {text: shaped}} (runs with spaces and single words alike).
_shaped_texts: dict[str, dict[str, str]] = {}
#: Whether HarfBuzz sets two characters side by side other than at their own advances, by face.
_active_pairs: dict[str, dict[str, bool]] = {}
#: Texts kept per face: enough for a library's words to be shaped once between clearings. The
#: one-line texts (titles, rows) hardly repeat: with 200,000 a face, the table grew with the
#: library (15 MB at 2,000 techniques, still growing).
_CACHE_LIMIT = 20_000
#: Private codes left to emoji sequences and right-to-left letters once kerning has used the rest.
_SPARE_CODES = (LAST_CODE - FIRST_CODE) // 4


def shaped(text: str, font: str) -> str:
    """text as the characters that draw it kerned and with its ligatures, in font.

    Text in any other font (emoji, symbols, Hebrew and Arabic, which bidi shapes) comes back as it is.
    """
    table = _shaped_texts.get(font)
    if table is None:
        table = _shaped_texts[font] = {}
    found = table.get(text)
    if found is None:
        found = _shaped_text(text, font, table)
    return found


def shaped_all(texts: list[str], font: str) -> list[str]:
    """shaped for many texts in one face (a line's words)."""
    if font not in SHAPED_FACES:
        return texts
    table = _shaped_texts.get(font)
    if table is None:
        table = _shaped_texts[font] = {}
    get = table.get
    return [get(text) or _shaped_text(text, font, table) for text in texts]


def _shaped_text(text: str, font: str, table: dict[str, str]) -> str:
    if len(table) > _CACHE_LIMIT:
        table.clear()
    if font not in SHAPED_FACES or len(text) < 2:
        found = text
    elif " " not in text:
        found = _shaped_word(text, font)
    else:
        found = " ".join(shaped(word, font) for word in text.split(" "))
    table[text] = found
    return found


def _shaped_word(word: str, font: str) -> str:
    return "".join(
        part if is_glyph_code(part[0]) or not _may_change(part, font) else _shape_plain(part, font)
        for part in _plain_parts(word)
    )


def _may_change(text: str, font: str) -> bool:
    """Whether shaping can change text: some pair of neighbours is kerned or ligated.

    Most words are not (seven in eight of a technique library's), and looking their pairs up is
    far cheaper than shaping them. The faces' kerning is by pairs and their ligatures start with
    a ligated pair ("ff", "fi", "fl"), so a word without such a pair is set as written.
    """
    pairs = _active_pairs.get(font)
    if pairs is None:
        pairs = _active_pairs[font] = {}
    for index in range(len(text) - 1):
        pair = text[index : index + 2]
        active = pairs.get(pair)
        if active is None:
            active = pairs[pair] = _shape_plain(pair, font) != pair
        if active:
            return True
    return False


def _plain_parts(word: str) -> list[str]:
    """The word cut at characters that are already glyph codes (each its own part)."""
    if not any(is_glyph_code(char) for char in word):
        return [word]
    parts: list[str] = []
    start = 0
    for index, char in enumerate(word):
        if is_glyph_code(char):
            if start < index:
                parts.append(word[start:index])
            parts.append(char)
            start = index + 1
    if start < len(word):
        parts.append(word[start:])
    return parts


def _shape_plain(text: str, font: str) -> str:
    import uharfbuzz
    from reportlab.pdfbase import pdfmetrics

    hb_font = harfbuzz_font(font)
    buffer = uharfbuzz.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    uharfbuzz.shape(hb_font, buffer, {})
    infos = buffer.glyph_infos
    positions = buffer.glyph_positions
    starts = [info.cluster for info in infos]
    if 0 in (info.codepoint for info in infos) or len(set(starts)) < len(starts):
        # A character the face lacks, or a letter with a mark on it (one cluster, two glyphs,
        # which text extraction would not give back whole): drawn as written.
        return text
    if any(p.x_offset or p.y_offset for p in positions):
        return text  # a glyph placed off the pen, which ReportLab cannot draw
    if text_of(LAST_CODE - _SPARE_CODES) is not None:
        return text  # a long-running process has used nearly every private code: kerning yields
    cmap = pdfmetrics.getFont(font).face.charToGlyph
    scale = 1000.0 / hb_font.face.upem
    out: list[str] = []
    for index, (info, position) in enumerate(zip(infos, positions, strict=True)):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        chars = text[info.cluster : end]
        advance = position.x_advance * scale
        if len(chars) == 1 and cmap.get(ord(chars)) == info.codepoint:
            if abs(glyph_advance(font, info.codepoint) - advance) < 0.01:
                out.append(chars)
            else:
                out.append(glyph_char(font, info.codepoint, chars, advance))
        else:
            out.append(glyph_char(font, info.codepoint, chars, advance))
    return "".join(out)
