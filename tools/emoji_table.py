"""Regenerate exporter/text/emoji-sequences.tsv: every emoji the font draws, and its glyph.

Run by hand when the emoji font is replaced (needs `pip install emoji uharfbuzz`):

    python tools/emoji_table.py exporter/pdf/glyphs/fonts/NotoEmoji-Bold.ttf > exporter/text/emoji-sequences.tsv

Each line is `code points (hex, space-separated) TAB glyph id`: the one glyph HarfBuzz draws for
the whole sequence. At run time exporter.pdf.glyphs.emoji maps each sequence straight to that glyph,
so no shaping is needed while building, and the table doubles as the list of emoji that print.
"""

from __future__ import annotations

import sys

import emoji
import uharfbuzz as hb

#: Noto Emoji 3.006 draws every emoji up to Emoji 17.0 as one glyph; a sequence that is not one
#: glyph is left out of the table and named on stderr.
LAST_VERSION = 17.0
#: emoji.EMOJI_DATA status values: 2 fully qualified, 3 minimally qualified, 4 unqualified.
WRITTEN_FORMS = (2, 3, 4)


def main(font_path: str) -> int:
    blob = hb.Blob.from_file_path(font_path)
    font = hb.Font(hb.Face(blob))
    missing = []
    rows = []
    for sequence, data in emoji.EMOJI_DATA.items():
        if data["E"] > LAST_VERSION or data["status"] not in WRITTEN_FORMS:
            continue
        glyphs = shaped_glyphs(font, sequence)
        if len(glyphs) != 1:
            missing.append(sequence)
            continue
        rows.append((tuple(ord(c) for c in sequence), glyphs[0]))
    for codes, glyph in sorted(rows):
        print(" ".join(f"{c:04X}" for c in codes), glyph, sep="\t")
    if missing:
        print(f"{len(missing)} sequences are not one glyph: {' '.join(missing)}", file=sys.stderr)
    return 0


def shaped_glyphs(font: hb.Font, text: str) -> list[int]:
    """The visible glyphs HarfBuzz draws for text (zero-width selector glyphs left out)."""
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    hb.shape(font, buffer, {})
    return [
        info.codepoint
        for info, position in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True)
        if position.x_advance and info.codepoint
    ]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
