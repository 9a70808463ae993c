"""Kerning and ligatures (HarfBuzz) in every PDF, read back as a reader sees them.

A small library whose cover title and texts hold the pairs a typographer looks at ("Te", "To",
"AV") and words with "fi" and "fl" is built with the real command line; the PDFs are read with
pdfplumber (where each glyph stands) and pdftotext (what copying gives back).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
import uharfbuzz
from click.testing import CliRunner
from conftest import LIBRARY, technique, write_content
from pdf_reading import contains_in_order, item_texts

from exporter.cli import main
from exporter.content.techniques import read_library
from exporter.pdf.glyphs.fallback import FONT_DIR

REPO = Path(__file__).resolve().parents[2]
TITLE = "Techniques Toward AVID Listening"
#: A long justified paragraph of long words: some of its lines end in a hyphen.
SUMMARY = (
    "Tea, Tomatoes and AVocado: a first reflection on the office flow of a Technique, Today. "
    "Therapists affirm the client's reflective functioning, clarify conflicting feelings, "
    "and keep the fine, unhurried flow of the conversation; the clinician's affirmation of "
    "difficult, ambivalent, self-reflective observations strengthens the therapeutic "
    "relationship. Overinterpretation, misattunement and premature confrontation undermine "
    "collaborative, mentalizing understanding; fluctuating attentiveness, inflexible "
    "formulations and superficial reassurance likewise interfere with epistemic trust."
)
STEPS = ["Reflect on the flow of the first minutes", "Take Tomorrow's plan AVailable to both", "Find the conflict"]
PAIRS = ("Te", "To", "AV")


def build_kerned_library(root: Path) -> Path:
    """Every output of a one-technique library full of kerned pairs, built under root."""
    content = write_content(
        root,
        [technique("alpha", title="Tending To AVID Listeners", summary=SUMMARY, steps=STEPS)],
        library={**LIBRARY, "title": TITLE},
    )
    out = root / "output"
    result = CliRunner().invoke(main, ["build", "--content", str(content), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_kerned_library(tmp_path_factory.mktemp("shaping"))


@cache
def nominal_advance(font_file: str, char: str) -> float:
    """A character's advance without kerning, in thousandths of an em, from the bundled font."""
    font = uharfbuzz.Font(uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(FONT_DIR / font_file))))
    glyph = font.get_nominal_glyph(ord(char))
    return float(font.get_glyph_h_advance(glyph)) * 1000.0 / font.face.upem


def font_file(char: dict[str, Any]) -> str:
    return str(char["fontname"]).split("+")[-1] + ".ttf"


def kerned_pairs(chars: list[dict[str, Any]], pair: str) -> list[float]:
    """For each place where pair's letters stand side by side on one line: how much closer the
    second is to the first than the first letter's own advance (points; > 0 is kerned)."""
    found = []
    for first, second in zip(chars, chars[1:], strict=False):
        if (first["text"], second["text"]) == (pair[0], pair[1]) and abs(first["top"] - second["top"]) < 0.5:
            advance = nominal_advance(font_file(first), pair[0]) * float(first["size"]) / 1000.0
            found.append(advance - (float(second["x0"]) - float(first["x0"])))
    return found


def body_chars(pdf: Path, low: float, high: float) -> list[dict[str, Any]]:
    with pdfplumber.open(pdf) as document:
        return [c for page in document.pages for c in page.chars if low <= float(c["size"]) <= high]


def pdftotext(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True
    ).stdout.decode()


def words_of(text: str) -> list[str]:
    """Words as a reader compares them: a hyphen at a line's end joins its word again, and
    hyphens inside words are dropped on both sides ("Not-Knowing" may break at its hyphen)."""
    joined = re.sub(r"-\s*\n\s*", "", unicodedata.normalize("NFC", text)).replace("-", "")
    return re.findall(r"\w+", joined)


@pytest.mark.parametrize("pair", PAIRS)
def test_the_cover_title_is_kerned(built: Path, pair: str) -> None:
    chars = body_chars(built / "handbook.pdf", 20, 100)
    closer = kerned_pairs(chars, pair)
    assert closer and all(amount > 0.1 for amount in closer), (pair, closer)


@pytest.mark.parametrize("pair", PAIRS)
@pytest.mark.parametrize("output", ["handbook.pdf", "handouts/alpha.pdf"])
def test_body_text_is_kerned(built: Path, output: str, pair: str) -> None:
    chars = body_chars(built / output, 9, 11)
    closer = kerned_pairs(chars, pair)
    assert closer and all(amount > 0.05 for amount in closer), (pair, closer)


def test_pocket_cards_are_kerned(built: Path) -> None:
    chars = body_chars(built / "pocket-cards.pdf", 6, 12)
    closer = kerned_pairs(chars, "To")
    assert closer and all(amount > 0.05 for amount in closer), closer


@pytest.mark.parametrize("output", ["handbook.pdf", "handouts/alpha.pdf", "pocket-cards.pdf"])
def test_fi_and_fl_are_one_ligature_glyph_that_reads_as_its_letters(built: Path, output: str) -> None:
    with pdfplumber.open(built / output) as document:
        chars = [c for page in document.pages for c in page.chars if "NotoSerif" in c["fontname"]]
        text = "\n".join(page.extract_text() for page in document.pages)
    ligatures = {c["text"] for c in chars if len(c["text"]) > 1}
    # One glyph each, standing for both letters in the text layer.
    assert {"fi", "fl"} <= ligatures
    assert "first" in text and "flow" in text
    assert {"Reflect", "conflict", "flow", "first"} <= set(words_of(pdftotext(built / output)))


def test_a_justified_hyphenated_paragraph_copies_back_word_for_word(built: Path) -> None:
    with pdfplumber.open(built / "handouts" / "alpha.pdf") as document:
        plumbed = "\n".join(page.extract_text() for page in document.pages)
    # The paragraph is long enough that some of its justified lines end in a hyphen.
    assert re.search(r"[a-z]-\n[a-z]", plumbed)
    assert contains_in_order(words_of(plumbed), words_of(SUMMARY))
    assert contains_in_order(words_of(pdftotext(built / "handouts" / "alpha.pdf")), words_of(SUMMARY))


def test_the_bundled_handbook_copies_back_every_text(tmp_path: Path) -> None:
    out = tmp_path / "output"
    content = REPO / "content"
    result = CliRunner().invoke(main, ["handbook", "--content", str(content), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    library, _ = read_library(content)
    extracted = words_of(pdftotext(out / "handbook.pdf"))
    for technique_ in library.techniques:
        for text in item_texts(technique_):
            assert contains_in_order(extracted, words_of(text)), text


def test_shaped_text_rebuilds_to_the_same_bytes(built: Path, tmp_path: Path) -> None:
    out = build_kerned_library(tmp_path)
    for pdf in sorted(built.rglob("*.pdf")):
        assert pdf.read_bytes() == (out / pdf.relative_to(built)).read_bytes(), pdf.name


@pytest.mark.parametrize(
    "word",
    ["Χ̈", "AV̈", "To\u0301", "e\u0301fi", "office", "Тест", "ΑΥΤΟ", "ffl", "a\u00a0To", "T\u200dV"],
)
def test_every_shaped_word_reads_back_as_written(word: str) -> None:
    from exporter.pdf.glyphs.fonts import REGULAR, register_fonts
    from exporter.pdf.glyphs.glyphcodes import text_of
    from exporter.pdf.lines.shaping import shaped

    register_fonts()
    drawn = shaped(word, REGULAR)
    # Each drawn character stands for its own text: together they give the word back in order.
    assert "".join(text_of(ord(char)) or char for char in drawn) == word
    assert shaped(drawn, REGULAR) == drawn  # shaping twice changes nothing
