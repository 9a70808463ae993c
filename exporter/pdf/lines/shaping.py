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
from exporter.pdf.glyphs.glyphcodes import glyph_advance, glyph_char, harfbuzz_font, is_glyph_code

#: The faces whose kerning and ligature tables are kept (tools/cut_fonts.py).
SHAPED_FACES = frozenset(BODY_FACES)

_shaped_words: dict[tuple[str, str], str] = {}
_CACHE_LIMIT = 200_000


def shaped(text: str, font: str) -> str:
    """text as the characters that draw it kerned and with its ligatures, in font.

    Text in any other font (emoji, symbols, Hebrew and Arabic, which bidi shapes) comes back as it is.
    """
    if font not in SHAPED_FACES or len(text) < 2:
        return text
    if " " not in text:
        return _shaped_word(text, font)
    return " ".join(_shaped_word(word, font) if len(word) > 1 else word for word in text.split(" "))


def _shaped_word(word: str, font: str) -> str:
    key = (font, word)
    found = _shaped_words.get(key)
    if found is None:
        if len(_shaped_words) > _CACHE_LIMIT:
            _shaped_words.clear()
        found = _shaped_words[key] = "".join(
            part if is_glyph_code(part[0]) or len(part) < 2 else _shape_plain(part, font) for part in _plain_parts(word)
        )
    return found


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
    if any(info.codepoint == 0 for info in infos) or any(p.x_offset or p.y_offset for p in positions):
        return text  # a character the face lacks, or a mark placed off the pen: drawn as written
    cmap = pdfmetrics.getFont(font).face.charToGlyph
    scale = 1000.0 / hb_font.face.upem
    starts = [info.cluster for info in infos]
    out: list[str] = []
    for index, (info, position) in enumerate(zip(infos, positions, strict=True)):
        start = info.cluster
        if index and start == starts[index - 1]:
            # A second glyph of one cluster: it stands for no character of its own.
            out.append(glyph_char(font, info.codepoint, "", position.x_advance * scale))
            continue
        end = next((s for s in starts[index + 1 :] if s != start), len(text))
        chars = text[start:end]
        advance = position.x_advance * scale
        if len(chars) == 1 and cmap.get(ord(chars)) == info.codepoint:
            if abs(glyph_advance(font, info.codepoint) - advance) < 0.01:
                out.append(chars)
            else:
                out.append(glyph_char(font, info.codepoint, chars, advance))
        else:
            out.append(glyph_char(font, info.codepoint, chars, advance))
    return "".join(out)
