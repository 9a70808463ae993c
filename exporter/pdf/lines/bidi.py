"""Right-to-left text: bidi levels (python-bidi), joined letters (HarfBuzz), visual order.

ReportLab's own bidi needs rlbidi, which cannot be installed here, and its shaping path drops
bidi for mixed-font paragraphs. So a line of text is handled here, before ReportLab sees it:
the Unicode bidi algorithm (UAX #9, python-bidi) gives each character its level, runs of one
font and level are shaped by HarfBuzz (Arabic letters joined, brackets mirrored) and reordered
(rule L2), and ReportLab draws the result left to right. Glyphs without a character of their
own are drawn through exporter.pdf.glyphs.glyphcodes, which also keeps the text layer in logical order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from exporter.pdf.glyphs.fallback import SHAPED_FONTS
from exporter.pdf.glyphs.glyphcodes import (
    carrier_char,
    glyph_advance,
    glyph_char,
    harfbuzz_font,
    is_glyph_code,
    text_of,
)

#: Hebrew, Arabic, Syriac, Thaana, NKo... and their presentation forms: strong right-to-left.
_RTL_CHARS = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff]")
#: Stand-in for a private glyph code (an emoji) when levels are worked out: a neutral symbol.
_NEUTRAL = "\u2605"
#: Bidi classes python-bidi drops from its result (rule X9): levelled as neutrals instead.
_REMOVED_CLASSES = frozenset({"RLE", "LRE", "RLO", "LRO", "PDF", "BN", ""})

Run = tuple[str, str]
Key = TypeVar("Key", bound=Hashable)


def has_rtl(text: str) -> bool:
    return _RTL_CHARS.search(text) is not None


def base_is_rtl(text: str, default_rtl: bool = False) -> bool:
    """The paragraph direction: its first strong character's (UAX #9 P2), else the default."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return False
        if kind in ("R", "AL"):
            return True
    return default_rtl


def levels(text: str, rtl: bool) -> list[int]:
    """The embedding level of every character of one paragraph (odd: right to left)."""
    from bidi import algorithm

    # Private glyph codes (emoji), characters newer than Python's Unicode tables (no class) and
    # the classes python-bidi would drop are levelled as neutral symbols, one for one.
    levelled = "".join(
        _NEUTRAL if is_glyph_code(c) or unicodedata.bidirectional(c) in _REMOVED_CLASSES else c for c in text
    )
    storage: dict[str, Any] = algorithm.get_empty_storage()
    storage["base_level"] = 1 if rtl else 0
    storage["base_dir"] = "R" if rtl else "L"
    algorithm.get_embedding_levels(levelled, storage, False, False)
    algorithm.explicit_embed_and_overrides(storage, False)
    algorithm.resolve_weak_types(storage, False)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    return [int(char["level"]) for char in storage["chars"]]


def visual_runs(runs: Sequence[Run], rtl: bool) -> list[Run]:
    """(font, text) runs of one line in reading order -> the same line in drawing order.

    Right-to-left runs come back shaped and reversed, and the runs reordered, so drawing them
    one after another from the left puts every character where a reader expects it.
    """
    return visual_pieces(runs, rtl, str)


def visual_pieces(pieces: Sequence[tuple[Key, str]], rtl: bool, font_of: Callable[[Key], str]) -> list[tuple[Key, str]]:
    """visual_runs for pieces owned by anything (a Paragraph frag); font_of names its font."""
    text = "".join(run for _, run in pieces)
    if not text:
        return []
    if not rtl and not has_rtl(text):
        return _merge(list(pieces))
    line_levels = levels(text, rtl)
    levelled: list[tuple[Key, str, int]] = []
    position = 0
    for key, run in pieces:
        start = position
        for end in range(position + 1, position + len(run) + 1):
            if end == position + len(run) or line_levels[end] != line_levels[end - 1]:
                levelled.append((key, text[start:end], line_levels[start]))
                start = end
        position += len(run)
    return _merge(_reorder(levelled, font_of))


def _reorder(pieces: list[tuple[Key, str, int]], font_of: Callable[[Key], str]) -> list[tuple[Key, str]]:
    """Rule L2 on whole runs: reverse every stretch at or above each level, highest first."""
    highest = max(level for _, _, level in pieces)
    odd_levels = [level for _, _, level in pieces if level % 2]
    if not odd_levels:
        return [(key, text) for key, text, _ in pieces]
    lowest_odd = min(odd_levels)
    order = list(range(len(pieces)))
    for level in range(highest, lowest_odd - 1, -1):
        index = 0
        while index < len(order):
            if pieces[order[index]][2] >= level:
                end = index
                while end < len(order) and pieces[order[end]][2] >= level:
                    end += 1
                order[index:end] = reversed(order[index:end])
                index = end
            else:
                index += 1
    result = []
    for number in order:
        key, text, level = pieces[number]
        reversed_run = level >= lowest_odd and (level - lowest_odd) % 2 == 0
        result.append((key, _right_to_left(font_of(key), text) if reversed_run else text))
    return result


def _merge(runs: list[tuple[Key, str]]) -> list[tuple[Key, str]]:
    merged: list[tuple[Key, str]] = []
    for key, text in runs:
        if merged and merged[-1][0] == key:
            merged[-1] = (key, merged[-1][1] + text)
        elif text:
            merged.append((key, text))
    return merged


def _right_to_left(font: str, text: str) -> str:
    """One right-to-left run in drawing order: shaped by HarfBuzz, or reversed and mirrored."""
    if font in SHAPED_FONTS:
        return shape_rtl(font, text)
    return "".join(
        _reading_glyphs(font, char)[::-1] if is_glyph_code(char) else _mirrored(font, char) for char in reversed(text)
    )


def _mirrored(font: str, char: str) -> str:
    """A bracket in right-to-left text: drawn mirrored, still the bracket written in the text layer."""
    mirror = _MIRRORED.get(char)
    if mirror is None:
        return char
    from reportlab.pdfbase import pdfmetrics

    glyph = pdfmetrics.getFont(font).face.charToGlyph.get(ord(mirror))
    return mirror if glyph is None else glyph_char(font, glyph, char)


def _reading_glyphs(font: str, char: str) -> str:
    """A glyph standing for several characters (an emoji sequence) as that glyph for the first
    and zero-width carriers for the rest, in reading order (see glyphcodes.carrier_char)."""
    from reportlab.pdfbase import pdfmetrics

    text = text_of(ord(char)) or ""
    if len(text) < 2:
        return char
    glyph = pdfmetrics.getFont(font).face.charToGlyph[ord(char)]
    return glyph_char(font, glyph, text[0]) + "".join(carrier_char(font, extra) for extra in text[1:])


@lru_cache(maxsize=8192)
def shape_rtl(font: str, text: str) -> str:
    """A right-to-left run of a shaped font as characters drawing its glyphs left to right."""
    import uharfbuzz
    from reportlab.pdfbase import pdfmetrics

    hb_font = harfbuzz_font(font)
    buffer = uharfbuzz.Buffer()
    buffer.add_str(text)
    buffer.direction = "rtl"
    buffer.guess_segment_properties()
    uharfbuzz.shape(hb_font, buffer, {})
    face = pdfmetrics.getFont(font).face
    units = hb_font.face.upem
    infos = buffer.glyph_infos
    positions = buffer.glyph_positions
    clusters = sorted({info.cluster for info in infos})
    cluster_end = {start: end for start, end in zip(clusters, [*clusters[1:], len(text)], strict=True)}
    glyphs_of: dict[int, list[_Glyph]] = {}
    for info, position in zip(infos, positions, strict=True):
        glyphs_of.setdefault(info.cluster, []).append(_Glyph(info.codepoint, position.x_advance, position.x_offset))
    drawn = []
    # In reading order: each cluster's characters go one to a glyph, the first glyphs first;
    # characters left over (a ligature's) ride on zero-width carriers after it.
    for cluster in clusters:
        chars = text[cluster : cluster_end[cluster]]
        # HarfBuzz gives right-to-left glyphs in drawing order: reversed, they are in reading order.
        reading: list[_Glyph] = []
        for glyph, own in _texts_of_glyphs(glyphs_of[cluster][::-1], chars, face.charToGlyph):
            reading.append(_Glyph(glyph.glyph, glyph.advance, glyph.offset, own[:1]))
            reading += [_Glyph(None, 0, 0, extra) for extra in own[1:]]
        drawn.append(_cluster_chars(font, face, reading[::-1], 1000.0 / units))
    return "".join(reversed(drawn))


def _texts_of_glyphs(glyphs: list[_Glyph], chars: str, cmap: dict[int, int]) -> list[tuple[_Glyph, str]]:
    """Which characters of a cluster each of its glyphs (in reading order) stands for.

    A glyph the font maps a character to takes that character (a Hebrew point its own mark);
    the others take the rest in order, the last glyph everything left (a ligature's letters).
    """
    left = list(chars)
    owned: list[list[str]] = [[] for _ in glyphs]
    for index, glyph in enumerate(glyphs):
        match = next((c for c in left if cmap.get(ord(c)) == glyph.glyph), None)
        if match is not None:
            owned[index].append(match)
            left.remove(match)
    for index in range(len(glyphs)):
        if not owned[index] and left:
            owned[index].append(left.pop(0))
    if left:
        owned[-1] += left
    return [(glyph, "".join(own)) for glyph, own in zip(glyphs, owned, strict=True)]


@dataclass(frozen=True)
class _Glyph:
    """A shaped glyph (None: a zero-width carrier), its advance and x offset in font units, its text."""

    glyph: int | None
    advance: int
    offset: int
    text: str = ""


def _cluster_chars(font: str, face: Any, glyphs: list[_Glyph], scale: float) -> str:
    """One cluster's glyphs, in drawing order, as characters.

    ReportLab draws each glyph where the previous one's advance ends; it has no per-glyph offset.
    A base letter with marks placed on it (Hebrew points) is drawn first with its advance cut at
    the first mark's offset, each mark then takes the advance up to the next, the last the rest:
    every glyph lands where HarfBuzz put it, and the cluster keeps its width.
    """
    bases = [g for g in glyphs if g.glyph is not None and g.advance > 0]
    marks = sorted((g for g in glyphs if g.glyph is not None and g.advance == 0 and g.offset), key=lambda g: g.offset)
    if len(bases) == 1 and marks and all(0 <= m.offset <= bases[0].advance for m in marks):
        base = bases[0]
        others = [g for g in glyphs if g is not base and g not in marks]
        cuts = [m.offset for m in marks] + [base.advance]
        placed = [_Glyph(base.glyph, cuts[0], 0, base.text)]
        placed += [_Glyph(m.glyph, cuts[n + 1] - cuts[n], 0, m.text) for n, m in enumerate(marks)]
        glyphs = others + placed
    result = []
    for glyph in glyphs:
        if glyph.glyph is None:
            result.append(carrier_char(font, glyph.text))
        elif len(glyph.text) == 1 and face.charToGlyph.get(ord(glyph.text)) == glyph.glyph:
            natural = glyph_advance(font, glyph.glyph)
            if abs(natural - glyph.advance * scale) < 0.01:
                result.append(glyph.text)
            else:
                result.append(glyph_char(font, glyph.glyph, glyph.text, glyph.advance * scale))
        else:
            result.append(glyph_char(font, glyph.glyph, glyph.text, glyph.advance * scale))
    return "".join(result)


def _mirror_table() -> dict[str, str]:
    from bidi.mirror import MIRRORED

    return dict(MIRRORED)


_MIRRORED = _mirror_table()
