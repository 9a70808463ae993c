"""Print craft, measured on the PDFs as a typographer would: hyphens at line ends, word gaps,
language rules, one type size, pages worth turning to.

Built once per module: the generated 200-technique library (A4 and Letter, handbook and every
handout; with the soak tests, `pytest -m soak`) and the Russian, Hebrew and Arabic samples
(handbook and handouts, A4; in every run).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import FIXTURES
from pdf_lines import Craft, Page, measure, merged, read_pages
from pypdf import PdfReader

from exporter.content.techniques import read_library
from exporter.model import Library
from exporter.options import BuildOptions
from exporter.pdf.pages.document import OnePassDocument
from exporter.pdf.pages.flowables import WarningPanel
from exporter.pdf.pages.styles import MEASURE, make_styles, side_margin
from exporter.testing.synthetic import write_synthetic_content
from exporter.writers.handbook import write_handbook
from exporter.writers.handouts import write_handouts

GENERATED = 200
DOCUMENTS = ("generated-a4", "generated-letter", "ru", "he", "ar")

HYPHEN_SHARE = 0.06
WIDE_GAP_SHARE = 0.005
HALF_EMPTY_SHARE = 0.10
#: A two-page handout's first page is this full at least (a heading kept with its first lines may
#: move a few lines over), and its second holds at least this much (a few lines).
FIRST_PAGE_FULL = 0.85
LAST_PAGE_LEAST = 0.05


GENERATED_DOCUMENTS = ("generated-a4", "generated-letter")
#: Targets not met yet, by test and document: expected to fail (strict: a target met flips it).
NOT_YET: dict[str, tuple[str, ...]] = {}


@pytest.fixture(autouse=True)
def _targets_not_met_yet(request: pytest.FixtureRequest) -> None:
    callspec = getattr(request.node, "callspec", None)
    document = callspec.params.get("document") if callspec else None
    if document in NOT_YET.get(request.node.originalname, ()):
        request.applymarker(pytest.mark.xfail(strict=True, reason="target not met yet"))


@dataclass
class Measured:
    name: str
    library: Library
    handbook: Craft
    handouts: Craft
    #: How full each chapter page of the handbook is (0-1).
    chapter_fills: list[float]
    #: Each handout's pages (their fills, 0-1).
    handout_fills: list[list[float]]


def body_box(library: Library, paper: str, footer_text: str | None) -> tuple[float, float]:
    document = OnePassDocument(
        Path("unused.pdf"), library, paper, make_styles(library.language), "", "", footer_text=footer_text
    )
    return float(document.bottomMargin), float(document.bottomMargin + document.height)


def edges(paper: str) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """Where the lines of a justified paragraph start and end: the text block's edges, and a
    warning panel's inner ones (its bar on the left or on the right)."""
    left = side_margin(paper)
    right = left + MEASURE
    inner = WarningPanel.PAD_X + WarningPanel.BAR
    return (left, left + inner, left + WarningPanel.PAD_X), (right, right - WarningPanel.PAD_X, right - inner)


def chapter_range(path: Path) -> range:
    """The chapter pages: from the first technique's bookmark to the next part after the last."""
    reader = PdfReader(path)
    top, nested = [], []
    for item in reader.outline:
        if isinstance(item, list):
            nested += [reader.get_destination_page_number(child) + 1 for child in item if not isinstance(child, list)]
        else:
            top.append(reader.get_destination_page_number(item) + 1)
    last = max(nested)
    after = [page for page in top if page > last]
    return range(min(nested), min(after) if after else len(reader.pages) + 1)


def measured(name: str, content: Path, out: Path) -> Measured:
    paper = name.split("-")[1] if "-" in name else "a4"
    library, _ = read_library(content)
    options = BuildOptions(paper=paper)
    write_handbook(library, out, options)
    handbook_pdf = out / "handbook.pdf"
    pages = read_pages(handbook_pdf, body_box(library, paper, None))
    cyrillic = library.language in ("ru", "uk", "bg")
    chapters = chapter_range(handbook_pdf)
    handbook = measure([p for p in pages if p.number in chapters], edges(paper), cyrillic)
    result = write_handouts(library, out, options)
    box = body_box(library, paper, library.disclaimer)
    crafts, fills = [], []
    for path in sorted(result.paths):
        handout: list[Page] = read_pages(path, box)
        craft = measure(handout, edges(paper), cyrillic)
        crafts.append(craft)
        fills.append([page.fill for page in handout])
    chapter_fills = [page.fill for page in pages if page.number in chapters]
    return Measured(name, library, handbook, merged(crafts), chapter_fills, fills)


@pytest.fixture(scope="module")
def generated_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_synthetic_content(tmp_path_factory.mktemp("synthetic"), GENERATED, 2026)


#: The generated library's two builds take most of a minute: they run with the soak tests
#: (`pytest -m soak`, which .ci/run runs), the samples in every run.
PARAMS = [pytest.param(name, marks=pytest.mark.soak) if name in GENERATED_DOCUMENTS else name for name in DOCUMENTS]


@pytest.fixture(scope="module", params=PARAMS)
def document(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Measured:
    name = request.param
    content = (
        request.getfixturevalue("generated_content") if name.startswith("generated") else FIXTURES / "libraries" / name
    )
    return measured(name, content, tmp_path_factory.mktemp(name))


def both(document: Measured) -> list[tuple[str, Craft]]:
    return [("handbook", document.handbook), ("handouts", document.handouts)]


def test_few_lines_end_in_a_hyphen(document: Measured) -> None:
    for kind, craft in both(document):
        assert craft.lines > (1000 if document.name.startswith("generated") else 15), (kind, craft.lines)
        assert craft.hyphen_share <= HYPHEN_SHARE, (kind, craft.hyphen_share)


def test_never_three_hyphenated_lines_in_a_row(document: Measured) -> None:
    for kind, craft in both(document):
        if document.name.startswith("generated"):
            # Enough hyphenated lines that a run of three could have occurred (73 in the handouts).
            assert craft.hyphenated > 50, (kind, craft.hyphenated)
        assert craft.longest_hyphen_run <= 2, (kind, craft.longest_hyphen_run)


def test_no_paragraph_ends_on_a_short_word_tail(document: Measured) -> None:
    for kind, craft in both(document):
        assert not craft.short_tails, (kind, craft.short_tails[:5])


def test_justified_lines_have_no_wide_word_gaps(document: Measured) -> None:
    for kind, craft in both(document):
        assert craft.justified > (1000 if document.name.startswith("generated") else 0), (kind, craft.justified)
        assert craft.wide_gap_share <= WIDE_GAP_SHARE, (kind, craft.wide_gap_share, craft.wide_gaps[:5])


def test_no_one_letter_word_ends_a_russian_line(document: Measured) -> None:
    for kind, craft in both(document):
        assert not craft.one_letter_ends, (kind, craft.one_letter_ends[:5])


def test_no_line_starts_with_a_dash(document: Measured) -> None:
    for kind, craft in both(document):
        assert not craft.dash_starts, (kind, craft.dash_starts[:5])


def test_one_body_size_in_the_handbook_and_in_every_handout(document: Measured) -> None:
    assert len(document.handbook.body_sizes) == 1, document.handbook.justified_sizes
    assert len(document.handouts.body_sizes) == 1, document.handouts.justified_sizes


def test_few_chapter_pages_are_less_than_half_full(document: Measured) -> None:
    if not document.name.startswith("generated"):
        pytest.skip("measured on the generated library")
    fills = document.chapter_fills
    half_empty = [fill for fill in fills if fill < 0.5]
    assert len(half_empty) <= HALF_EMPTY_SHARE * len(fills), (len(half_empty), len(fills))


def test_every_handout_is_one_page_or_two_with_the_first_full_and_the_second_more_than_a_few_lines(
    document: Measured,
) -> None:
    """Lines used to be moved over to half-fill the second page, which left a third of the
    first blank; a short second page is what a handout of a page and a bit should have."""
    if not document.name.startswith("generated"):
        pytest.skip("measured on the generated library")
    two = [fills for fills in document.handout_fills if len(fills) == 2]
    assert all(len(fills) <= 2 for fills in document.handout_fills)
    assert two, "the generated library has two-page handouts"
    wasteful = [fills for fills in two if fills[0] < FIRST_PAGE_FULL or fills[1] < LAST_PAGE_LEAST]
    assert not wasteful, (len(wasteful), len(two), wasteful[:5])
