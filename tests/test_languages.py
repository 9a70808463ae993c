"""A library in German, Russian, Hebrew or Arabic gets every word of every output in its own language.

The writers' own tests check their section of the catalogue; this one builds the whole sample
library through the CLI, as a trainer would, and reads back all four outputs together. Hebrew and
Arabic PDFs are read with pdftotext, which gives right-to-left words back in reading order (pypdf
gives them in visual order).
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from anki.collection import Collection
from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest
from click.testing import CliRunner
from conftest import FIXTURES
from label_check import english_labels_left
from pypdf import PdfReader

from exporter.cli import main
from exporter.labels import catalogue_language, labels_for

SAMPLE_LIBRARIES = FIXTURES / "libraries"
#: The catalogue sections whose words end up in the outputs (importer words are read, not printed).
PRINTED_SECTIONS = ["common.", "handbook.", "handouts.", "cards.", "deck."]


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def _deck_text(package: Path, tmp_path: Path) -> str:
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        request = ImportAnkiPackageRequest(package_path=str(package), options=ImportAnkiPackageOptions())
        col.import_anki_package(request)
        texts: list[str] = []
        model_ids = set()
        for card_id in col.find_cards(""):
            card = col.get_card(card_id)
            model_ids.add(card.note().mid)
            for side in (card.question(), card.answer()):
                texts.append(html.unescape(re.sub(r"<style>.*?</style>|<[^>]+>", " ", side, flags=re.S)))
        for model_id in model_ids:  # the deck's own note type, not Anki's stock ones
            model = col.models.get(model_id)
            assert model is not None
            texts += [model["name"], *(f["name"] for f in model["flds"])]
        texts += [name.name for name in col.decks.all_names_and_ids()]
        # "tag:retired" is Anki search syntax for the tag, not a word to translate.
        return "\n".join(texts).replace("tag:retired", "")
    finally:
        col.close()


@pytest.fixture(scope="module", params=["de", "ru"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, Path]:
    language = str(request.param)
    root = tmp_path_factory.mktemp(f"lang-{language}")
    content = root / "content"
    shutil.copytree(SAMPLE_LIBRARIES / language, content)
    out = root / "output"
    result = CliRunner().invoke(main, ["build", "--content", str(content), "--out", str(out), "--quiet", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return language, out, root


def test_no_english_label_is_left_in_any_pdf(built: tuple[str, Path, Path]) -> None:
    language, out, _ = built
    pdfs = [out / "handbook.pdf", out / "pocket-cards.pdf", *sorted((out / "handouts").glob("*.pdf"))]
    for pdf in pdfs:
        assert english_labels_left(_pdf_text(pdf), language, PRINTED_SECTIONS) == [], pdf.name


def test_no_english_label_is_left_in_the_deck(built: tuple[str, Path, Path]) -> None:
    language, out, root = built
    assert english_labels_left(_deck_text(out / "deck.apkg", root), language, PRINTED_SECTIONS) == []


def test_an_override_in_library_yaml_is_printed_where_the_label_was(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(SAMPLE_LIBRARIES / "de", content)
    library_yaml = content / "library.yaml"
    library_yaml.write_text(
        library_yaml.read_text(encoding="utf-8") + "labels:\n  handbook.contents: Übersicht der Techniken\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["handbook", "--content", str(content), "--out", str(tmp_path / "out"), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    reader = PdfReader(tmp_path / "out" / "handbook.pdf")
    text = "\n".join(page.extract_text() or "" for page in reader.pages[:3])
    assert "Übersicht der Techniken" in text
    assert "Inhalt" not in text


# Right to left: Hebrew and Arabic ------------------------------------------------------------

RIGHT_TO_LEFT = ["he", "ar"]
#: Direction marks pdftotext puts around right-to-left lines.
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e]")
#: One label each output prints, to see the language's own wording there (not only no English).
PRINTED = {
    "handbook.pdf": "handbook.contents",
    "pocket-cards.pdf": "cards.cut_along_marks",
    "handouts": "handbook.section.steps",
    "deck.apkg": "deck.field.my_notes",
}


@pytest.fixture(scope="module", params=RIGHT_TO_LEFT)
def rtl_built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    language = str(request.param)
    root = tmp_path_factory.mktemp(f"lang-{language}")
    content = root / "content"
    shutil.copytree(SAMPLE_LIBRARIES / language, content)
    args = ["build", "--content", str(content), "--out", str(root / "output"), "--calibration", "--quiet"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return language, root / "output"


def _pdftotext(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True).stdout
    return " ".join(BIDI_MARKS.sub(" ", text.decode("utf-8")).split())


def _assert_own_wording_printed(text: str, language: str, output: str) -> None:
    key = PRINTED[output]
    wording = labels_for(language)(key).strip(" .")
    assert wording != labels_for("en")(key).strip(" .")
    assert wording in text, (key, wording)


@pytest.mark.parametrize("language", RIGHT_TO_LEFT)
def test_each_right_to_left_language_has_its_own_catalogue(language: str) -> None:
    assert catalogue_language(language) == language


@pytest.mark.parametrize("output", ["handbook.pdf", "pocket-cards.pdf", "handouts"])
def test_a_right_to_left_pdf_has_no_english_label_left(rtl_built: tuple[str, Path], output: str) -> None:
    language, out = rtl_built
    pdfs = sorted((out / output).glob("*.pdf")) if output == "handouts" else [out / output]
    assert pdfs
    for pdf in pdfs:
        text = _pdftotext(pdf)
        assert english_labels_left(text, language, PRINTED_SECTIONS) == [], pdf.name
        _assert_own_wording_printed(text, language, output)


def test_a_right_to_left_deck_has_no_english_label_left(rtl_built: tuple[str, Path], tmp_path: Path) -> None:
    language, out = rtl_built
    text = _deck_text(out / "deck.apkg", tmp_path)
    assert english_labels_left(text, language, PRINTED_SECTIONS) == []
    _assert_own_wording_printed(text, language, "deck.apkg")


@pytest.mark.parametrize("output", ["handbook.pdf", "handouts"])
def test_a_right_to_left_footer_prints_its_page_words(rtl_built: tuple[str, Path], output: str) -> None:
    language, out = rtl_built
    pdf = out / "handbook.pdf" if output == "handbook.pdf" else sorted((out / "handouts").glob("*.pdf"))[0]
    key = "handbook.page_of" if output == "handbook.pdf" else "handouts.page_of"
    template = labels_for(language).entries[key]
    assert isinstance(template, str)
    words = [word for word in re.split(r"\{[^}]*\}", template) if word.strip()]
    text = _pdftotext(pdf)
    for word in words:
        assert word.strip() in text, (key, word)


def test_right_to_left_body_text_is_set_from_the_right_margin(rtl_built: tuple[str, Path]) -> None:
    """Every right-to-left line of a chapter ends at the right margin or starts after the left one:
    none is set flush left with a ragged right edge, as left-to-right text would be."""
    import pdfplumber

    _, out = rtl_built
    with pdfplumber.open(out / "handbook.pdf") as pdf:
        page = pdf.pages[3]  # the first chapter
        lines = page.extract_text_lines()
    body = [line for line in lines if BIDI_RTL.search(line["text"]) and 80 < line["top"] < page.height - 90]
    assert len(body) >= 8
    left_edge = min(line["x0"] for line in body)
    right_edge = max(line["x1"] for line in body)
    flush_left_ragged = [line["text"] for line in body if line["x0"] - left_edge < 2 and right_edge - line["x1"] > 20]
    assert flush_left_ragged == []


BIDI_RTL = re.compile("[\u0590-\u05ff\u0600-\u06ff]")


def test_the_right_to_left_cover_sets_its_disclaimer_heading_in_bold(rtl_built: tuple[str, Path]) -> None:
    import pdfplumber

    _, out = rtl_built
    with pdfplumber.open(out / "handbook.pdf") as pdf:
        page = pdf.pages[0]
        foot = [c for c in page.chars if c["top"] > page.height * 0.75 and c["text"].strip()]
    lines: dict[int, set[str]] = {}
    for char in foot:  # the disclaimer at the foot of the cover: its heading, then its text
        lines.setdefault(round(char["top"]), set()).add(char["fontname"].split("+")[-1])
    heading, *text = [lines[top] for top in sorted(lines)]
    assert text and all("Bold" in name for name in heading), heading
    assert all("Bold" not in name for line in text for name in line), text


def test_a_right_to_left_page_is_mirrored_header_footer_and_page_columns(rtl_built: tuple[str, Path]) -> None:
    """The part's title at the top right and the library's title at the top left; the page number
    at the bottom left; the page numbers of the contents and the quick reference in a column at
    the left (a Hebrew or Arabic reader starts at the right)."""
    import pdfplumber

    from exporter.content.techniques import read_library

    language, out = rtl_built
    library, _ = read_library(SAMPLE_LIBRARIES / language)
    labels = labels_for(language)
    with pdfplumber.open(out / "handbook.pdf") as pdf:
        for number in (2, 3):  # the contents, the quick reference
            page = pdf.pages[number - 1]
            middle = page.width / 2
            header = [c for c in page.chars if c["top"] < 70 and c["text"].strip()]
            left = {c["text"] for c in header if c["x1"] < middle}
            right = {c["text"] for c in header if c["x0"] > middle}
            part = labels("handbook.contents" if number == 2 else "handbook.quick_reference")
            assert left and left <= set(library.title), left
            assert right and right <= set(part), right
            footer = [c for c in page.chars if c["top"] > page.height - 80 and c["text"].isdigit()]
            assert footer and all(c["x1"] < middle for c in footer)
            body = [c for c in page.chars if 70 < c["top"] < page.height - 80]
            digits = [c for c in body if c["text"].isdigit() and c["fontname"].split("+")[-1].startswith("Noto")]
            assert digits and all(c["x1"] < page.width * 0.35 for c in digits), number


def test_an_english_source_in_a_right_to_left_library_hangs_from_the_left(rtl_built: tuple[str, Path]) -> None:
    """An English source is set as its own script reads (#22): its first line starts at the left
    margin and its following lines 14 pt in, in a Hebrew or Arabic handbook as in any other."""
    import pdfplumber

    from exporter.pdf.pages.styles import side_margin

    _, out = rtl_built
    with pdfplumber.open(out / "handbook.pdf") as pdf:
        page = pdf.pages[-1]  # the sources
        chars = [c for c in page.chars if "Serif" in c["fontname"] and c["text"].strip()]
    lines: dict[int, float] = {}
    for char in chars:
        top = round(char["top"])
        lines[top] = min(lines.get(top, page.width), char["x0"])
    starts = [lines[top] for top in sorted(lines)]
    left = side_margin("a4")
    assert len(starts) >= 2
    assert abs(starts[0] - left) < 1.5, (starts, left)
    assert abs(starts[1] - (left + 14)) < 1.5, (starts, left)
