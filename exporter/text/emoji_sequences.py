"""The emoji sequences the bundled emoji font draws as one glyph: Unicode data, no PDF code.

emoji-sequences.tsv lists every emoji up to Emoji 17.0 (so all of Unicode 15.1) as written on
phones (fully qualified, and the forms without their variation selectors) with the one glyph the
font draws for it; tools/emoji_table.py makes it from the font with HarfBuzz. So a ZWJ sequence
(🧘‍♀️), a skin tone (👩🏽‍⚕️), a flag (🇺🇦) or a keycap (1️⃣) is looked up, never drawn as its parts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SEQUENCE_FILE = Path(__file__).parent / "emoji-sequences.tsv"

VS16 = "\ufe0f"
#: Characters that only continue an emoji sequence: selectors, joiner, keycap, skin tones, tags.
CONTINUATIONS = frozenset([0xFE0E, 0xFE0F, 0x200D, 0x20E3, *range(0x1F3FB, 0x1F400), *range(0xE0020, 0xE0080)])
#: Of those, the ones with nothing to draw when they are left over outside a sequence.
INVISIBLE = frozenset([0xFE0E, 0xFE0F, 0x200D, *range(0xE0020, 0xE0080)])


@dataclass(frozen=True)
class EmojiTable:
    #: Sequence (two or more code points) -> glyph id in the emoji font.
    sequences: dict[str, int]
    #: Single code points drawn as emoji by default (no VS16 needed), e.g. 🧩.
    presentation: frozenset[int]
    #: First characters of the sequences, and the longest sequence's length.
    starters: frozenset[str]
    longest: int


@lru_cache(maxsize=1)
def emoji_table() -> EmojiTable:
    sequences: dict[str, int] = {}
    singles: set[int] = set()
    for line in SEQUENCE_FILE.read_text(encoding="utf-8").splitlines():
        codes, glyph = line.split("\t")
        text = "".join(chr(int(code, 16)) for code in codes.split())
        if len(text) == 1:
            singles.add(ord(text))
        else:
            sequences[text] = int(glyph)
    # A character with a VS16 form is a text symbol by default (☺); the others are emoji (🧩).
    with_selector = {ord(text[0]) for text in sequences if len(text) == 2 and text[1] == VS16}
    return EmojiTable(
        sequences=sequences,
        presentation=frozenset(singles - with_selector),
        starters=frozenset(text[0] for text in sequences),
        longest=max(map(len, sequences)),
    )


def emoji_sequences() -> Iterator[str]:
    """Every sequence that prints as one glyph (for tests and the README's count)."""
    table = emoji_table()
    yield from (chr(code) for code in sorted(table.presentation))
    yield from table.sequences
