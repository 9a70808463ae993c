"""Booklets: which page lands on which half of which sheet side, read back from the imposed PDF,
checked against a stack of sheets folded in the middle; blanks at the end; type at full size."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from conftest import BUNDLED_CONTENT
from reportlab.pdfgen.canvas import Canvas

from exporter.cli import main
from exporter.options import BOOKLET_PAGES, PAPERS
from exporter.writers.courses.booklet import impose_booklet

A5 = BOOKLET_PAGES["a4"].size_pt
A4_LANDSCAPE = PAPERS["a4"].size_pt[::-1]
LABEL_SIZE = 14


def numbered_pages(count: int) -> bytes:
    """An A5 document whose page n says "P<n>" in 14 pt."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A5, invariant=1)
    for number in range(1, count + 1):
        canvas.setFont("Helvetica", LABEL_SIZE)
        canvas.drawCentredString(A5[0] / 2, A5[1] / 2, f"P{number}")
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def folded_order(pages: int) -> list[tuple[int, str, str]]:
    """(sheet, side, half) of pages 1, 2, 3... when the sheets are stacked, folded in the middle
    and read like a book: the first half of the pages on the right of fronts and left of backs,
    going inwards; the second half coming back out."""
    sheets = -(-pages // 4)
    order = []
    for sheet in range(sheets):
        order += [(sheet, "front", "right"), (sheet, "back", "left")]
    for sheet in reversed(range(sheets)):
        order += [(sheet, "back", "right"), (sheet, "front", "left")]
    return order


def read_sides(pdf: bytes) -> list[dict[str, str]]:
    """Each sheet side's label on its left and right half ("" for a blank half), and checks the
    sheet is the A4 landscape the booklet is printed on, with the labels at their own size."""
    sides = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            assert (page.width, page.height) == pytest.approx(A4_LANDSCAPE)
            halves = {"left": "", "right": ""}
            for word in page.extract_words(extra_attrs=["size"]):
                assert word["size"] == pytest.approx(LABEL_SIZE)
                assert abs(word["x0"] + word["x1"] - page.width) == pytest.approx(A5[0], abs=0.5)  # centre of a half
                halves["left" if word["x0"] < page.width / 2 else "right"] += word["text"]
            sides.append(halves)
    return sides


@pytest.mark.parametrize("pages", [8, 10, 16])
def test_every_page_lands_where_the_folded_booklet_reads_it(pages: int) -> None:
    sides = read_sides(impose_booklet(numbered_pages(pages), A4_LANDSCAPE))
    total = -(-pages // 4) * 4
    assert len(sides) == total // 2
    for number, (sheet, side, half) in enumerate(folded_order(pages), start=1):
        printed = sides[2 * sheet + (side == "back")][half]
        assert printed == (f"P{number}" if number <= pages else ""), (number, sheet, side, half)


def test_an_eight_page_booklet_as_a_printer_lays_it_out() -> None:
    sides = read_sides(impose_booklet(numbered_pages(8), A4_LANDSCAPE))
    assert [(s["left"], s["right"]) for s in sides] == [("P8", "P1"), ("P2", "P7"), ("P6", "P3"), ("P4", "P5")]


def test_a_ten_page_booklet_has_its_two_blanks_at_the_end() -> None:
    sides = read_sides(impose_booklet(numbered_pages(10), A4_LANDSCAPE))
    blanks = [(index, half) for index, side in enumerate(sides) for half in ("left", "right") if not side[half]]
    # Pages 11 and 12 are the last two of the booklet: the outer sheet's front left and back right.
    assert blanks == [(0, "left"), (1, "right")]


def body_sizes(path: Path) -> set[float]:
    with pdfplumber.open(path) as document:
        return {round(char["size"], 1) for page in document.pages[2:] for char in page.chars}


def test_a_course_booklet_is_set_at_a5_with_the_packs_own_type_sizes(tmp_path: Path) -> None:
    runner = CliRunner()
    for flags, out in (([], tmp_path / "flat"), (["--booklet"], tmp_path / "booklet")):
        result = runner.invoke(
            main, ["course", "first-steps", "--content", str(BUNDLED_CONTENT), "--out", str(out), *flags]
        )
        assert result.exit_code == 0, result.output
    flat = tmp_path / "flat/courses/first-steps/course-pack.pdf"
    booklet = tmp_path / "booklet/courses/first-steps/course-pack-booklet.pdf"
    assert "A5 booklets on A4" in result.output
    with pdfplumber.open(booklet) as document:
        assert len(document.pages) % 2 == 0
        assert all(round(p.width) == 842 and round(p.height) == 595 for p in document.pages)
    assert min(body_sizes(booklet)) >= 7
    assert body_sizes(booklet) <= body_sizes(flat) | {7.5}


def test_a_booklet_has_its_pack_in_reading_order_beside_it_and_claims_no_tags(tmp_path: Path) -> None:
    """A folded booklet's pages are in sheet order: the tagged copy a screen reader reads is the
    unimposed A5 pack written beside it; the booklet's title says it is for printing."""
    from pdf_structure import walk_pdf
    from pypdf import PdfReader

    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["course", "first-steps", "--booklet", "--content", str(BUNDLED_CONTENT), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    folder = out / "courses/first-steps"
    handouts = sorted(folder.glob("session-1-*/0*.pdf"))
    assert [p.name for p in handouts] == [
        "01-not-knowing-stance-booklet.pdf",
        "01-not-knowing-stance.pdf",
        "02-stop-rewind-explore-booklet.pdf",
        "02-stop-rewind-explore.pdf",
    ]
    pack, booklet = PdfReader(folder / "course-pack.pdf"), PdfReader(folder / "course-pack-booklet.pdf")
    assert all(p.mediabox.width == pytest.approx(A5[0]) for p in pack.pages)
    assert pack.root_object["/MarkInfo"]["/Marked"]
    walk = walk_pdf(folder / "course-pack.pdf")
    assert walk.untagged_text == 0 and walk.marked == walk.referenced
    assert "/MarkInfo" not in booklet.root_object and "/StructTreeRoot" not in booklet.root_object
    assert booklet.metadata is not None and pack.metadata is not None
    assert booklet.metadata.title == f"{pack.metadata.title} (print booklet, pages in sheet order)"
    assert booklet.root_object["/Lang"] == pack.root_object["/Lang"] == "en"
    assert len(booklet.pages) == -(-len(pack.pages) // 4) * 2
