"""Right-to-left libraries in their own words: a Hebrew and an Arabic library build every output
(handbook, pocket cards with the calibration sheet, handouts, deck) with no English label left.

PDFs are read with pdftotext, which gives right-to-left words back in reading order (pypdf gives
them in visual order); the deck is imported into a real Anki collection and its cards rendered.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from anki.collection import Collection
from click.testing import CliRunner
from label_check import english_labels_left
from test_deck import exporter_note_types, import_deck

from exporter.cli import main
from exporter.labels import catalogue_language, labels_for

LIBRARIES = Path(__file__).parent / "fixtures" / "libraries"
SECTIONS = ["common.", "handbook.", "handouts.", "cards.", "deck."]
RIGHT_TO_LEFT = ["he", "ar"]
#: Direction marks pdftotext puts around right-to-left lines.
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e]")
#: One label each output prints, to see the language's own wording there (not only no English).
PRINTED = {
    "handbook.pdf": "handbook.contents",
    "pocket-cards.pdf": "cards.cut_along_marks",
    "handouts": "handbook.section.steps",
    "deck.apkg": "deck.card_type",
}


@pytest.fixture(scope="module", params=RIGHT_TO_LEFT)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    language: str = request.param
    root = tmp_path_factory.mktemp(language)
    content = root / "content"
    shutil.copytree(LIBRARIES / language, content)
    args = ["build", "--content", str(content), "--out", str(root / "output"), "--calibration", "--quiet"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return language, root / "output"


def pdftotext(pdf: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True).stdout
    return " ".join(BIDI_MARKS.sub(" ", text.decode("utf-8")).split())


def assert_own_wording_printed(text: str, language: str, output: str) -> None:
    key = PRINTED[output]
    wording = labels_for(language)(key).strip(" .")
    assert wording != labels_for("en")(key).strip(" .")
    assert wording in text, (key, wording)


def deck_texts(package: Path, collection: Path) -> list[str]:
    """What Anki shows of the deck: every card's question and answer, the note type's names."""
    col = Collection(str(collection))
    try:
        import_deck(col, package)
        cards = [col.get_card(cid) for cid in col.find_cards("")]
        rendered = [text for card in cards for text in (card.question(), card.answer())]
        texts = [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", r.split("</style>")[-1])).split()) for r in rendered]
        (model,) = exporter_note_types(col)
        return [*texts, model["name"], *(f["name"] for f in model["flds"]), model["tmpls"][0]["name"]]
    finally:
        col.close()


@pytest.mark.parametrize("language", RIGHT_TO_LEFT)
def test_each_right_to_left_language_has_its_own_catalogue(language: str) -> None:
    assert catalogue_language(language) == language


@pytest.mark.parametrize("output", ["handbook.pdf", "pocket-cards.pdf", "handouts"])
def test_a_right_to_left_pdf_has_no_english_label_left(built: tuple[str, Path], output: str) -> None:
    language, out = built
    pdfs = sorted((out / output).glob("*.pdf")) if output == "handouts" else [out / output]
    assert pdfs
    for pdf in pdfs:
        text = pdftotext(pdf)
        assert english_labels_left(text, language, SECTIONS) == [], pdf.name
        assert_own_wording_printed(text, language, output)


def test_a_right_to_left_deck_has_no_english_label_left(built: tuple[str, Path], tmp_path: Path) -> None:
    language, out = built
    texts = deck_texts(out / "deck.apkg", tmp_path / "collection.anki2")
    assert len(texts) > 10
    assert english_labels_left("\n".join(texts), language, SECTIONS) == []
    assert_own_wording_printed("\n".join(texts), language, "deck.apkg")
