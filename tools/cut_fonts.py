"""Re-cut the bundled Noto Serif and Noto Sans subsets from upstream, keeping kerning and ligatures.

Run by hand when the upstream fonts change (needs `pip install fonttools`):

    apt-get download fonts-noto-core && dpkg-deb -x fonts-noto-core_*.deb noto
    python tools/cut_fonts.py noto/usr/share/fonts/truetype/noto exporter/pdf/glyphs/fonts

The source is Debian's fonts-noto-core 20201225-1 (Noto Serif and Noto Sans 2.004, SIL OFL 1.1).
Each face keeps the characters below (Latin with Vietnamese, Greek, Cyrillic, punctuation,
letterlike symbols, number forms) and of the OpenType layout only `kern` (GPOS) and `liga` (GSUB):
the exporter shapes Latin, Greek and Cyrillic with HarfBuzz and draws each shaped glyph at its
kerned advance (exporter.pdf.lines.shaping). Mark positioning is left out: it moves a glyph off
its pen position, which the exporter's way of drawing cannot express. Hinting is dropped, as PDF
viewers do not use it. The result is the same bytes for the same source.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

FACES = (
    "NotoSerif-Regular",
    "NotoSerif-Bold",
    "NotoSerif-Italic",
    "NotoSerif-BoldItalic",
    "NotoSans-Regular",
    "NotoSans-Bold",
)

#: The blocks kept; each face's character map decides which of their characters exist.
KEPT_RANGES = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x052F),  # Latin-1 to Latin Extended-B, IPA, spacing and combining marks, Greek, Cyrillic
    (0x1AB0, 0x1AFF),  # Combining Diacritical Marks Extended
    (0x1DC0, 0x1FFF),  # Combining marks supplement, Latin Extended Additional (Vietnamese), Greek Extended
    (0x2000, 0x20CF),  # General Punctuation, super- and subscripts, currency
    (0x2100, 0x218F),  # Letterlike Symbols, Number Forms
    (0xFB00, 0xFB06),  # Latin ligatures (ﬁ ﬂ ... as characters)
    (0xFEFF, 0xFEFF),
    (0xFFFD, 0xFFFD),
)

LAYOUT_FEATURES = ["kern", "liga"]


def subset_options() -> subset.Options:
    options = subset.Options()
    options.layout_features = LAYOUT_FEATURES
    options.hinting = False
    options.drop_tables += ["DSIG"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    return options


def cut_face(source: Path, target: Path) -> None:
    font = TTFont(source, recalcTimestamp=False)
    available = set(font.getBestCmap())
    unicodes = sorted(code for low, high in KEPT_RANGES for code in range(low, high + 1) if code in available)
    subsetter = subset.Subsetter(subset_options())
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    font.save(target)


def main(source_folder: str, target_folder: str) -> int:
    for face in FACES:
        cut_face(Path(source_folder) / f"{face}.ttf", Path(target_folder) / f"{face}.ttf")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
