"""The glyph check on N techniques, against the check as it was before emoji sequences, Hebrew
and Arabic were drawn (kept here as the reference), in the same process.

    .venv/bin/python bench/glyph_check.py [N]
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path

from exporter.content.techniques import read_library
from exporter.model import Library
from exporter.pdf.glyphs.fonts import BOLD, ICONS, ITALIC, REGULAR, check_glyphs, register_fonts
from exporter.testing.synthetic import write_synthetic_content

SEED = 2026
ROUNDS = 7
_INVISIBLE = re.compile("[\ufe0e\ufe0f\u200d]")
_WHITESPACE = frozenset("\n\t\r ")


def reference_check(library: Library, body: frozenset[int], icons: frozenset[int]) -> list[str]:
    """The previous check: selectors stripped, then body and icon font coverage, line 1 for library.yaml."""
    found = []
    texts: list[tuple[str, str]] = [("title", library.title), ("disclaimer", library.disclaimer)]
    for index, category in enumerate(library.categories):
        texts += [(f"categories[{index}].name", category.name), (f"categories[{index}].icon", category.icon)]
    for technique in library.techniques:
        texts += list(technique.texts())
    for field, text in texts:
        drawn = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
        if body.issuperset(map(ord, drawn)):
            continue
        if any(ord(c) not in body and ord(c) not in icons and c not in _WHITESPACE for c in drawn):
            found.append(field)
    return found


def best_seconds(function: Callable[[], object], rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def glyph_check_seconds(size: int, work: Path) -> tuple[float, float]:
    """(seconds of today's check_glyphs, seconds of the reference check) on a library of size techniques."""
    from reportlab.pdfbase import pdfmetrics

    content = write_synthetic_content(work / f"glyphs-n{size}", size, SEED)
    library, _ = read_library(content)
    register_fonts()

    def cmap(name: str) -> frozenset[int]:
        return frozenset(pdfmetrics.getFont(name).face.charToGlyph)

    body = cmap(REGULAR) & cmap(BOLD) & cmap(ITALIC)
    icons = cmap(ICONS)
    check_glyphs(library)  # coverage tables built once, outside the timing (as a build does)
    return best_seconds(lambda: check_glyphs(library)), best_seconds(lambda: reference_check(library, body, icons))


def main() -> None:
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    with tempfile.TemporaryDirectory() as scratch:
        now, before = glyph_check_seconds(size, Path(scratch))
    print(f"glyph check N={size}: {now * 1000:.1f} ms, before {before * 1000:.1f} ms ({now / before:.2f}x)")


if __name__ == "__main__":
    main()
