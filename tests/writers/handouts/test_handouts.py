"""Handouts: one PDF per technique with its chapter, the library title, the disclaimer and the source."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from conftest import technique, write_content
from pdf_reading import MARKUP_TEXTS, MARKUP_TITLE, collapse, fonts_of, item_texts, squash
from pypdf import PdfReader

from exporter.content.techniques import read_library
from exporter.model import Library
from exporter.options import BuildOptions
from exporter.writers import WriteResult
from exporter.writers.handouts import write_handouts

TECHNIQUES = [
    technique("alpha", similar=["markup"]),
    technique("beta", title="Бета — Βήτα", categories=["Interpersonal"], steps=["Шаг один", "Βήμα δύο"]),
    technique("markup", title=MARKUP_TITLE, steps=MARKUP_TEXTS, sources=["R&D <Institute> (2021)."]),
]


@pytest.fixture(scope="module")
def handouts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Library, Path, WriteResult]:
    root = tmp_path_factory.mktemp("handouts")
    library, _ = read_library(write_content(root, TECHNIQUES))
    out = root / "out"
    return library, out, write_handouts(library, out, BuildOptions(paper="a4"))


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_one_handout_per_technique_named_by_id(handouts: tuple[Library, Path, WriteResult]) -> None:
    library, out, result = handouts
    expected = {out / "handouts" / f"{t.id}.pdf" for t in library.techniques}
    assert set(result.paths) == expected
    assert {p for p in (out / "handouts").iterdir()} == expected


def test_each_handout_has_its_chapter_title_disclaimer_and_source(handouts: tuple[Library, Path, WriteResult]) -> None:
    library, out, _ = handouts
    for technique_ in library.techniques:
        text = text_of(out / "handouts" / f"{technique_.id}.pdf")
        assert "\x00" not in text and "\ufffd" not in text
        for piece in item_texts(technique_):
            assert squash(piece) in squash(text), (technique_.id, piece)
        assert library.title in text
        assert collapse(library.disclaimer) in collapse(text)
        for other in library.techniques:
            if other.id != technique_.id and other.id not in technique_.similar:
                assert squash(other.title) not in squash(text)


def test_similar_techniques_are_named_without_page_numbers(handouts: tuple[Library, Path, WriteResult]) -> None:
    library, out, _ = handouts
    text = collapse(text_of(out / "handouts" / "alpha.pdf"))
    assert f"Similar techniques → {collapse(MARKUP_TITLE)}" in text
    assert "see p." not in text


def test_markup_prints_exactly(handouts: tuple[Library, Path, WriteResult]) -> None:
    _, out, _ = handouts
    text = collapse(text_of(out / "handouts" / "markup.pdf"))
    for piece in [MARKUP_TITLE, *MARKUP_TEXTS, "R&D <Institute> (2021)."]:
        assert collapse(piece) in text


def test_short_technique_fits_one_page_with_page_x_of_y(handouts: tuple[Library, Path, WriteResult]) -> None:
    _, out, _ = handouts
    reader = PdfReader(out / "handouts" / "beta.pdf")
    assert len(reader.pages) == 1
    assert reader.pages[0].extract_text().rstrip().endswith("page 1 of 1")


def test_fonts_embedded_no_helvetica(handouts: tuple[Library, Path, WriteResult]) -> None:
    _, out, _ = handouts
    for path in (out / "handouts").iterdir():
        reader = PdfReader(path)
        seen: set[int] = set()
        fonts = [font for page in reader.pages for font in fonts_of(page.get("/Resources"), seen)]
        assert fonts and all("/FontFile2" in f["/FontDescriptor"].get_object() for f in fonts)
        assert b"Helvetica" not in path.read_bytes()


def test_handouts_are_deterministic_and_follow_the_paper(
    handouts: tuple[Library, Path, WriteResult], tmp_path: Path
) -> None:
    library, out, _ = handouts
    again = write_handouts(library, tmp_path, BuildOptions(paper="a4"))
    for path in again.paths:
        assert path.read_bytes() == (out / "handouts" / path.name).read_bytes()
    letter = write_handouts(library, tmp_path / "letter", BuildOptions(paper="letter"))
    box = PdfReader(letter.paths[0]).pages[0].mediabox
    assert (float(box.width), float(box.height)) == (612.0, 792.0)


def _foot_blank(page: pdfplumber.page.Page, footer_word: str) -> float:
    """Points between the last line of the page's text and the footer (which starts with footer_word)."""
    words = page.extract_words()
    footer_top = min(word["top"] for word in words if word["text"] == footer_word)
    return footer_top - max(word["bottom"] for word in words if word["bottom"] < footer_top - 1)


@pytest.mark.parametrize("steps", [17, 20, 23, 26])
def test_a_two_page_handout_fills_its_first_page(tmp_path: Path, steps: int) -> None:
    """Lines were moved over to half-fill page 2, leaving a third of page 1 blank."""
    from conftest import LIBRARY

    sentence = "Notice what the client shows and say it back in a few plain words before you go on"
    long = technique("long", steps=[f"{sentence} ({number})." for number in range(steps)])
    library, _ = read_library(write_content(tmp_path, [long], {**LIBRARY, "disclaimer": "Zfooter only for teaching."}))
    write_handouts(library, tmp_path / "out", BuildOptions(paper="a4"))
    with pdfplumber.open(tmp_path / "out" / "handouts" / "long.pdf") as pdf:
        assert len(pdf.pages) == 2
        page = pdf.pages[0]
        assert _foot_blank(page, "Zfooter") < 0.12 * float(page.height)
        assert len(pdf.pages[1].extract_words()) > 20  # and page 2 is no near-empty page


def test_a_handouts_keywords_are_its_own_categories(handouts: tuple[Library, Path, WriteResult]) -> None:
    """Every handout listed all the library's categories as its keywords."""
    _, out, _ = handouts
    assert PdfReader(out / "handouts" / "beta.pdf").metadata["/Keywords"] == "Interpersonal"
    assert PdfReader(out / "handouts" / "alpha.pdf").metadata["/Keywords"] == "Problem processing"
