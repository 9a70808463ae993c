"""Emoji sequences drawn as single glyphs of the bundled emoji font (the table: text.emoji_sequences)."""

from __future__ import annotations

from collections.abc import Iterator

from exporter.pdf.glyphs.fallback import EMOJI
from exporter.text.emoji_sequences import INVISIBLE, emoji_table


def split_emoji(text: str) -> Iterator[tuple[str, str | None]]:
    """text as (piece, emoji glyph character or None): sequences found, plain text between.

    A sequence yields the character that draws its glyph in the emoji font; an emoji that is one
    code point yields itself. Selectors and joiners left over outside a sequence are dropped.
    """
    table = emoji_table()
    plain: list[str] = []
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        if char in table.starters:
            for size in range(min(table.longest, length - index), 1, -1):
                candidate = text[index : index + size]
                glyph = table.sequences.get(candidate)
                if glyph is not None:
                    if plain:
                        yield "".join(plain), None
                        plain = []
                    yield candidate, glyph_character(candidate, glyph)
                    index += size
                    break
            else:
                glyph = None
            if glyph is not None:
                continue
        code = ord(char)
        if code in table.presentation:
            if plain:
                yield "".join(plain), None
                plain = []
            yield char, char
        elif code not in INVISIBLE:
            plain.append(char)
        index += 1
    if plain:
        yield "".join(plain), None


def glyph_character(sequence: str, glyph: int) -> str:
    from exporter.pdf.glyphs.glyphcodes import glyph_char

    return glyph_char(EMOJI, glyph, sequence)


def needs_emoji_pass(text: str, plain: frozenset[int]) -> bool:
    """False when every character is drawn by the body faces and none joins a sequence."""
    return not plain.issuperset(map(ord, text))
