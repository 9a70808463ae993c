"""The keys of replayed parts name the fonts' seed by what it draws, never by the private values a
process gave its glyph codes (they depend on what the process shaped first): the same library
gives the same key in any process, so an edit does not make every card page look new."""

from __future__ import annotations

import subprocess
import sys

from conftest import FIXTURES

PROGRAM = """
import sys
from pathlib import Path
from exporter.build.pipeline import load_checked
from exporter.pdf.glyphs.glyphcodes import seed_identity
from exporter.pdf.lines.runs import text_width
from exporter.pdf.pages.subsets import library_seed
if sys.argv[2] == "shaped-first":  # as the cards writer fits an edited technique before seeding
    text_width("Vowels Tov AVAWAY fine office Wałęsa", 9)
library, _ = load_checked(Path(sys.argv[1]), False, True)
print(seed_identity(library_seed(library)))
"""


def _identity(content: str, history: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM, content, history], capture_output=True, text=True, timeout=300, check=True
    )
    return result.stdout


def test_the_seed_is_named_the_same_whatever_the_process_shaped_before() -> None:
    content = str(FIXTURES / "libraries" / "de")
    plain, shaped = _identity(content, "plain"), _identity(content, "shaped-first")
    assert plain == shaped and len(plain) > 100
