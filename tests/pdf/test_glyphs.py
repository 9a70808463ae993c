"""Scripts and symbols: every emoji as one glyph, Hebrew and Arabic right to left, glyph problems.

The sample libraries live in tests/fixtures/libraries/{emoji,he,ar}; each is built once per
module with the real command line, and the PDFs are read back with pdfplumber and pdftotext.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
import uharfbuzz
import yaml
from click.testing import CliRunner
from conftest import FIXTURES, technique, write_content
from pdf_reading import contains_in_order

from exporter.cli import main
from exporter.pdf.glyphs.fallback import ARABIC, EMOJI, FALLBACK_FILES, FONT_DIR
from exporter.pdf.glyphs.fonts import drawable, font_runs, missing_characters, register_fonts
from exporter.pdf.glyphs.glyphcodes import MOST_UNITS, as_drawn, text_of
from exporter.pdf.pages.styles import side_margin
from exporter.text.emoji_sequences import emoji_sequences

LIBRARIES = FIXTURES / "libraries"
#: Direction marks pdftotext puts around right-to-left lines.
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e]")


def build_library(name: str, out: Path) -> Path:
    content = out / "content"
    shutil.copytree(LIBRARIES / name, content)
    result = CliRunner().invoke(main, ["build", "--content", str(content), "--out", str(out / "output"), "--quiet"])
    assert result.exit_code == 0, result.output
    return out / "output"


@pytest.fixture(scope="module")
def emoji_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_library("emoji", tmp_path_factory.mktemp("emoji"))


@pytest.fixture(scope="module")
def hebrew_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_library("he", tmp_path_factory.mktemp("he"))


@pytest.fixture(scope="module")
def arabic_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_library("ar", tmp_path_factory.mktemp("ar"))


def library_icons(name: str) -> list[str]:
    data = yaml.safe_load((LIBRARIES / name / "library.yaml").read_text(encoding="utf-8"))
    return [category["icon"] for category in data["categories"]]


def emoji_glyphs(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The visible glyphs of the emoji font among chars, each with the text of the zero-width
    carriers drawn after it (the rest of a sequence one ToUnicode entry cannot hold)."""
    glyphs: list[dict[str, Any]] = []
    for char in chars:
        if "NotoEmoji" not in char["fontname"] or char["text"] == " ":  # a space after a line (line_ends)
            continue
        if glyphs and char["x1"] - char["x0"] < 0.01 and abs(char["x0"] - glyphs[-1]["x1"]) < 0.01:
            glyphs[-1] = {**glyphs[-1], "text": glyphs[-1]["text"] + char["text"]}
        else:
            glyphs.append(char)
    return glyphs


def emoji_glyph_texts(pdf: Path) -> Counter[str]:
    """The text of every glyph drawn in the emoji font, as the PDF's text layer gives it."""
    texts: Counter[str] = Counter()
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            texts.update(glyph["text"] for glyph in emoji_glyphs(page.chars))
    return texts


# Every emoji, as one glyph --------------------------------------------------------------------


def test_every_emoji_up_to_emoji_17_is_one_glyph_of_the_emoji_font() -> None:
    """All of Unicode 15.1 and more: each sequence is drawn as the one glyph HarfBuzz picks."""
    register_fonts()
    from reportlab.pdfbase import pdfmetrics

    face = pdfmetrics.getFont(EMOJI).face
    blob = uharfbuzz.Blob.from_file_path(str(FONT_DIR / FALLBACK_FILES[EMOJI]))
    shaper = uharfbuzz.Font(uharfbuzz.Face(blob))
    sequences = list(emoji_sequences())
    assert len(sequences) > 4900
    assert {"🐦\u200d🔥", "🍋\u200d🟩", "⛓\ufe0f\u200d💥", "🙂\u200d↔\ufe0f", "🧑\u200d🧑\u200d🧒"} <= set(sequences)
    for sequence in sequences:
        runs = list(font_runs(sequence))
        assert len(runs) == 1 and runs[0][0] == EMOJI and len(runs[0][1]) == 1, sequence
        char = runs[0][1]
        # The text layer: the glyph's own entry, then its carriers' (see glyphcodes.entry_pieces).
        entries = [text_of(ord(c)) or c for c in as_drawn(char)]
        assert "".join(entries) == sequence
        # Entries MuPDF reads: one character, or up to MOST_UNITS of the Basic Multilingual Plane.
        assert all(len(e) == 1 or (len(e) <= MOST_UNITS and max(e) <= "\uffff") for e in entries), sequence
        buffer = uharfbuzz.Buffer()
        buffer.add_str(sequence)
        buffer.guess_segment_properties()
        uharfbuzz.shape(shaper, buffer, {})
        visible = [i.codepoint for i, p in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True) if p.x_advance]
        assert visible == [face.charToGlyph[ord(char)]], sequence
        assert drawable(sequence) == sequence
        assert not missing_characters(sequence)


def test_emoji_in_running_text_keep_their_neighbours_and_lose_stray_selectors() -> None:
    text = "Breathe 🧘🏽‍♀️ then \ufe0frest 1️⃣ and #"
    runs = list(font_runs(text))
    assert [font for font, _ in runs].count(EMOJI) == 2
    assert drawable(text) == "Breathe 🧘🏽‍♀️ then rest 1️⃣ and #"


def test_the_emoji_library_validates_and_builds_every_output(emoji_build: Path) -> None:
    assert (emoji_build / "handbook.pdf").stat().st_size > 0
    assert (emoji_build / "pocket-cards.pdf").stat().st_size > 0
    assert (emoji_build / "deck.apkg").stat().st_size > 0
    assert len(list((emoji_build / "handouts").glob("*.pdf"))) == 4


@pytest.mark.parametrize("output", ["handbook.pdf", "pocket-cards.pdf", "handouts/icon-sampler-3.pdf"])
def test_each_icon_is_drawn_as_one_glyph_whose_text_is_the_whole_emoji(emoji_build: Path, output: str) -> None:
    icons = library_icons("emoji")
    assert len(icons) == 40
    drawn = emoji_glyph_texts(emoji_build / output)
    # Every glyph of the emoji font stands for a whole emoji, never for a part of one.
    assert set(drawn) <= set(emoji_sequences()), set(drawn) - set(emoji_sequences())
    if output == "handouts/icon-sampler-3.pdf":
        icons = icons[20:30]
    missing = [icon for icon in icons if icon not in drawn]
    assert not missing


def test_a_chip_draws_its_icon_once_with_one_glyph(emoji_build: Path) -> None:
    with pdfplumber.open(emoji_build / "handouts" / "icon-sampler-1.pdf") as document:
        page = document.pages[0]
        emoji_chars = emoji_glyphs(page.chars)
    icons = library_icons("emoji")[:10]
    chip_glyphs = Counter(c["text"] for c in emoji_chars if c["size"] < 9)
    assert chip_glyphs == Counter(icons)


# Hebrew and Arabic ----------------------------------------------------------------------------


def pdftotext(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True).stdout
    return " ".join(BIDI_MARKS.sub(" ", text.decode("utf-8")).split())


def words_of(text: str) -> list[str]:
    """Words without punctuation: pdftotext puts a full stop between two right-to-left words on
    whichever side its own heuristics choose, so only letters and digits are compared."""
    return re.findall(r"\w+", unicodedata.normalize("NFC", text))


def technique_texts(library: str, technique_id: str) -> list[str]:
    data = yaml.safe_load((LIBRARIES / library / "techniques" / f"{technique_id}.yaml").read_text(encoding="utf-8"))
    texts = [data["title"], data["summary"], *data["steps"], *data.get("key_phrases", []), *data.get("warnings", [])]
    return [" ".join(unicodedata.normalize("NFC", t).split()) for t in texts]


@pytest.mark.parametrize(
    "library, technique_id",
    [("he", "pause-and-rewind"), ("he", "shared-curiosity"), ("ar", "slow-down"), ("ar", "repair")],
)
def test_pdftotext_gives_right_to_left_text_back_in_reading_order(
    request: pytest.FixtureRequest, library: str, technique_id: str
) -> None:
    out: Path = request.getfixturevalue("hebrew_build" if library == "he" else "arabic_build")
    extracted = words_of(pdftotext(out / "handouts" / f"{technique_id}.pdf"))
    for text in technique_texts(library, technique_id):
        words = words_of(text)
        assert contains_in_order(extracted, words), (text, " ".join(extracted))
        # Within a line the words are neighbours: the first two come back side by side.
        if len(words) > 1:
            assert any(extracted[i : i + 2] == words[:2] for i in range(len(extracted))), text


def test_a_hebrew_handbook_has_every_word_of_every_technique(hebrew_build: Path) -> None:
    extracted = words_of(pdftotext(hebrew_build / "handbook.pdf"))
    for technique_id in ("pause-and-rewind", "shared-curiosity"):
        for text in technique_texts("he", technique_id):
            assert contains_in_order(extracted, words_of(text)), text


def test_hebrew_lines_read_right_to_left_and_are_right_aligned(hebrew_build: Path) -> None:
    title = technique_texts("he", "pause-and-rewind")[0]
    first_word, last_word = title.split()[0], title.split()[-1]
    with pdfplumber.open(hebrew_build / "handouts" / "pause-and-rewind.pdf") as document:
        page = document.pages[0]
        words = [w for w in page.extract_words(extra_attrs=["size"]) if w["size"] > 15]
        line = [w for w in words if w["text"][::-1] in (first_word, last_word) or w["text"] in (first_word, last_word)]
        width = page.width
    assert len(line) >= 2
    first = next(w for w in line if first_word in (w["text"], w["text"][::-1]))
    last = next(w for w in line if last_word in (w["text"], w["text"][::-1]))
    # Reading order runs right to left: the first word is to the right of the last one...
    assert first["x0"] > last["x1"]
    # ...and the title ends at the right margin (18 mm), not the left one.
    assert abs(width - first["x1"] - side_margin("a4")) < 1.0


def test_arabic_letters_are_joined() -> None:
    register_fonts()
    from reportlab.pdfbase import pdfmetrics

    from exporter.pdf.lines.bidi import shape_rtl

    face = pdfmetrics.getFont(ARABIC).face
    isolated = face.charToGlyph[ord("ب")]
    shaped = shape_rtl(ARABIC, "ببب")
    glyphs = [face.charToGlyph[ord(c)] for c in shaped]
    # Initial, medial and final forms: three different glyphs, none the isolated letter.
    assert len(set(glyphs)) == 3 and isolated not in glyphs
    assert "".join(text_of(ord(c)) or c for c in reversed(shaped)) == "ببب"


def test_mixed_numbers_and_latin_words_keep_their_own_order() -> None:
    from exporter.pdf.lines.bidi import visual_runs

    runs = visual_runs([("ExporterHebrew", "שלב 12 של MBT"), ("ExporterSans", "")], rtl=True)
    # Letters kerned by HarfBuzz are drawn through private codes: read them back as their text.
    drawn = "".join(text_of(ord(char)) or char for _, text in runs for char in text)
    # Drawn left to right: the Latin word and the number read left to right, the Hebrew reversed.
    assert drawn.startswith("MBT")
    assert "12" in drawn and "21" not in drawn
    assert drawn.endswith("בלש")


@pytest.mark.parametrize("name", ["he", "ar", "emoji"])
def test_rebuilding_gives_identical_bytes(tmp_path: Path, name: str) -> None:
    first = build_library(name, tmp_path / "one")
    second = build_library(name, tmp_path / "two")
    for pdf in sorted(first.rglob("*.pdf")):
        assert pdf.read_bytes() == (second / pdf.relative_to(first)).read_bytes(), pdf.name


# The glyph check ------------------------------------------------------------------------------


def test_an_undrawable_icon_is_reported_on_its_own_line(tmp_path: Path) -> None:
    library = {
        "title": "Test",
        "disclaimer": "Not advice.",
        "categories": [
            {"name": "One", "icon": "🔧", "colour": "#b5651d"},
            {"name": "Two", "icon": "🧩", "colour": "#2e6f95"},
            {"name": "Three", "colour": "#2e6f95", "icon": "漢"},
        ],
    }
    content = write_content(tmp_path / "content", [technique("alpha", categories=["One"])], library=library)
    text = (content / "library.yaml").read_text(encoding="utf-8")
    icon_line = next(n for n, line in enumerate(text.splitlines(), 1) if "漢" in line)
    assert icon_line > 1
    result = CliRunner().invoke(main, ["validate", "--content", str(content)])
    assert result.exit_code == 1
    assert f"library.yaml:{icon_line}: categories[2].icon: the fonts cannot draw '漢' (U+6F22" in result.output
    assert "categories[1]" not in result.output


def test_scripts_and_symbols_that_print() -> None:
    samples = "Latin Ελληνικά Кириллица עברית العربية ✓ → ★ ⚠ ♀ 🧩 🫶 🐦‍🔥 🇺🇦 1️⃣ 👩🏽‍⚕️"
    assert missing_characters(samples) == []
    assert missing_characters("漢字 𓀀") == ["漢", "字", "𓀀"]


def test_hebrew_chips_and_bullets_sit_on_the_right(hebrew_build: Path) -> None:
    with pdfplumber.open(hebrew_build / "handouts" / "pause-and-rewind.pdf") as document:
        page = document.pages[0]
        margin = side_margin("a4")
        chars = page.chars
        chip_chars = [c for c in chars if 8 < c["size"] < 9 and "\u0590" <= c["text"] <= "\u05ff"]
        step_numbers = [c for c in chars if c["text"] == "1" and "Bold" in c["fontname"]]
        width = page.width
    # The chip row starts at the right margin (its border is 5 pt beyond the text)...
    assert chip_chars and width - margin - max(c["x1"] for c in chip_chars) < 12
    # ...and step 1's number stands right of its text, at the right margin.
    assert step_numbers and any(width - margin - c["x1"] < 12 for c in step_numbers)


def test_hebrew_vowel_points_sit_on_their_letter(tmp_path: Path) -> None:
    from reportlab.platypus import SimpleDocTemplate

    from exporter.pdf.glyphs.fonts import para_text
    from exporter.pdf.lines.paragraphs import Paragraph
    from exporter.pdf.pages.styles import make_styles

    target = tmp_path / "points.pdf"
    SimpleDocTemplate(str(target)).build([Paragraph(para_text("שָׁלוֹם"), make_styles("he").title)])
    with pdfplumber.open(target) as document:
        chars = document.pages[0].chars
    shin = next(c for c in chars if c["text"] == "ש")
    marks = [c for c in chars if c["text"] in ("\u05b8", "\u05c1")]  # qamats, shin dot
    assert len(marks) == 2
    # Drawn where HarfBuzz puts them: inside the shin's advance, not over the lamed beside it.
    shin_advance = 730 / 1000 * shin["size"]
    assert all(shin["x0"] <= mark["x0"] < shin["x0"] + shin_advance for mark in marks)
    qamats, shin_dot = (next(m for m in marks if m["text"] == t) for t in ("\u05b8", "\u05c1"))
    # The shin dot sits over the right arm, right of the qamats under the letter: each mark's
    # text in the PDF is its own glyph's.
    assert shin_dot["x0"] > qamats["x0"]


def test_every_emoji_survives_the_content_normalisation_whole() -> None:
    """The loader's invisible-character rule keeps every emoji's joiners and selectors, including
    sequences newer than Python's Unicode tables (🫨 is Unicode 15) or with a maths sign (🙂‍↔️)."""
    from exporter.text.invisible import clean_invisible, has_visible

    for sequence in emoji_sequences():
        assert clean_invisible(sequence) == sequence, sequence
        assert has_visible(sequence), sequence


def test_hebrew_card_steps_read_from_the_right(hebrew_build: Path) -> None:
    with pdfplumber.open(hebrew_build / "pocket-cards.pdf") as document:
        words = document.pages[0].extract_words(extra_attrs=["fontname", "size"])
    # A step's number reads from the right too: "1." with its full stop at the left.
    numbers = [w for w in words if w["text"] == ".1" and "Bold" in w["fontname"]]
    assert numbers
    card_width = 74 * 72 / 25.4  # a7
    for number in numbers[:1]:  # the first card of the sheet: nothing stands left of it
        line = [
            w
            for w in words
            if abs(w["top"] - number["top"]) < 1
            and w is not number
            and number["x1"] - card_width < w["x0"] < number["x1"]
        ]
        # The step's Hebrew words stand left of its number, on the same line, in the same card.
        assert line and all(w["x1"] <= number["x0"] + 0.5 for w in line)
