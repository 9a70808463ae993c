"""The handbook and handouts as a typographer checks them, read back from the PDFs.

On the bundled content and on a generated library of 200 techniques, A4 and Letter: no heading
at the foot of a page, no page with three lines or fewer, body lines of 55-75 characters, no
hyphenation that leaves fewer than 2 letters before or 3 after the break, every category in the
contents and bookmarks, and a quick reference and a situation index that give the right pages.
One build per library and paper size (module-scoped fixtures).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
from conftest import BUNDLED_CONTENT
from pypdf import PdfReader
from test_handbook import (
    CONTINUED,
    Built,
    back_matter_page,
    chapter_pages,
    chapter_starts,
    collapse,
    expected_contents,
    hyphen_breaks,
    links,
    part_page,
    sources_page,
    squash,
)

from exporter.content.techniques import read_library
from exporter.model import Library
from exporter.options import BuildOptions
from exporter.pdf.pages.document import OnePassDocument
from exporter.pdf.pages.styles import make_styles, paper_size, side_margin
from exporter.testing.synthetic import write_synthetic_content
from exporter.text.collation import collation_key
from exporter.writers.handbook import listings, write_handbook
from exporter.writers.handouts import write_handouts

PAPERS = ("a4", "letter")
GENERATED = 200
#: Handouts of this many of the generated techniques (each handout is its own small PDF).
GENERATED_HANDOUTS = 40
MIN_LINES = 4
MEASURE_RANGE = (55, 75)


@dataclass
class Handouts:
    library: Library
    paths: list[Path]
    bodies: list[list[str]]


def body_box(library: Library, paper: str, footer_text: str | None) -> tuple[float, float]:
    """(bottom, top) of the body frame of a page, as the document lays it out."""
    document = OnePassDocument(
        Path("unused.pdf"), library, paper, make_styles(library.language), "", "", footer_text=footer_text
    )
    return float(document.bottomMargin), float(document.bottomMargin + document.height)


def _pdfium_text(text: str) -> str:
    # pdfium joins a hyphenated line to the next and marks the break with U+FFFE (U+0002 in a box).
    return text.replace("\r\n", "\n").replace("\ufffe", "-\n").replace("\x02", "-\n")


def page_bodies(path: Path, box: tuple[float, float]) -> tuple[list[str], list[str]]:
    """(the text inside the body frame, the whole text) of every page, read with pdfium (fast)."""
    bottom, top = box
    bodies, texts = [], []
    document = pdfium.PdfDocument(str(path))
    try:
        for page in document:
            width = page.get_width()
            text_page = page.get_textpage()
            bodies.append(_pdfium_text(text_page.get_text_bounded(0, bottom - 2, width, top + 2)))
            texts.append(_pdfium_text(text_page.get_text_range()))
            text_page.close()
            page.close()
    finally:
        document.close()
    return bodies, texts


def read_built(library: Library, path: Path, paper: str) -> Built:
    bodies, texts = page_bodies(path, body_box(library, paper, None))
    return Built(library, path, PdfReader(path), bodies, texts, [""] * len(texts))


def build_handbook_of(content: Path, out: Path, paper: str) -> Built:
    library, _ = read_library(content)
    write_handbook(library, out, BuildOptions(paper=paper))
    return read_built(library, out / "handbook.pdf", paper)


def build_handouts_of(content: Path, out: Path, paper: str, limit: int | None = None) -> Handouts:
    library, _ = read_library(content)
    if limit is not None:
        chosen = {t.id for t in library.ordered_techniques()[:limit]}
        library = library.subset(chosen, None)
    result = write_handouts(library, out, BuildOptions(paper=paper))
    paths = sorted(result.paths)
    box = body_box(library, paper, library.disclaimer)
    return Handouts(library, paths, [page_bodies(path, box)[0] for path in paths])


@pytest.fixture(scope="module")
def generated_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_synthetic_content(tmp_path_factory.mktemp("synthetic"), GENERATED, 2026)


@pytest.fixture(scope="module", params=[f"{kind}-{paper}" for kind in ("bundled", "generated") for paper in PAPERS])
def handbook(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    kind, paper = request.param.split("-")
    content = BUNDLED_CONTENT if kind == "bundled" else request.getfixturevalue("generated_content")
    return build_handbook_of(content, tmp_path_factory.mktemp(request.param), paper)


@pytest.fixture(scope="module", params=[f"{kind}-{paper}" for kind in ("bundled", "generated") for paper in PAPERS])
def handouts(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Handouts:
    kind, paper = request.param.split("-")
    content = BUNDLED_CONTENT if kind == "bundled" else request.getfixturevalue("generated_content")
    limit = None if kind == "bundled" else GENERATED_HANDOUTS
    return build_handouts_of(content, tmp_path_factory.mktemp(f"handouts-{request.param}"), paper, limit)


def lines_of(body: str) -> list[str]:
    return [line.strip() for line in body.splitlines() if line.strip()]


def headings_of(library: Library) -> set[str]:
    """Every text set as a heading: section titles, category labels, technique titles, marks."""
    labels = library.labels()
    names = ("summary", "steps", "when_to_use", "key_phrases", "follow_up_questions", "alternative_phrasings")
    names += ("warnings", "sources", "similar")
    found = {labels(f"handbook.section.{name}") for name in names} | {CONTINUED}
    for category in library.categories:
        label = f"{category.icon} {category.name}".strip()
        found |= {label, label.upper()}
    found |= {collapse(t.title) for t in library.techniques}
    return found


def test_no_heading_is_the_last_line_of_a_handbook_page(handbook: Built) -> None:
    headings = headings_of(handbook.library)
    for number, body in enumerate(handbook.bodies, 1):
        lines = lines_of(body)
        assert lines and collapse(lines[-1]) not in headings, (number, lines[-3:])


def test_no_handbook_page_holds_three_lines_or_fewer(handbook: Built) -> None:
    short = [(n, lines_of(body)) for n, body in enumerate(handbook.bodies, 1) if len(lines_of(body)) < MIN_LINES]
    assert not short


def test_handouts_have_no_lonely_heading_and_no_near_empty_page(handouts: Handouts) -> None:
    headings = headings_of(handouts.library)
    for path, bodies in zip(handouts.paths, handouts.bodies, strict=True):
        for number, body in enumerate(bodies, 1):
            lines = lines_of(body)
            assert len(lines) >= MIN_LINES, (path.name, number, lines)
            assert collapse(lines[-1]) not in headings, (path.name, number, lines[-3:])


#: How far short of the right edge a full line may end (points: about an em of body text).
FULL_LINE_SHORT = 10


def full_lines(path: Path, pages: range, paper: str) -> list[str]:
    """The body-face lines that run the whole measure (not a paragraph's short last line).

    pdfium gives a rectangle per run of text on a line; a run from the left edge of the text
    (or a list item's indent) to within an em of the right edge is a full line (a flush-left
    list item's lines end up to a word short of it).
    """
    width, _ = paper_size(paper)
    left, right = side_margin(paper), width - side_margin(paper)
    found = []
    document = pdfium.PdfDocument(str(path))
    try:
        for number in pages:
            text_page = document[number - 1].get_textpage()
            for index in range(text_page.count_rects()):
                x0, bottom, x1, top = text_page.get_rect(index)
                if x0 <= left + 20 and x1 >= right - FULL_LINE_SHORT and 9 <= top - bottom <= 16:
                    found.append(_pdfium_text(text_page.get_text_bounded(x0, bottom, x1, top)).strip())
    finally:
        document.close()
    return found


def test_body_lines_hold_55_to_75_characters(handbook: Built) -> None:
    starts = chapter_starts(handbook)
    pages = range(min(starts.values()), min(min(starts.values()) + 8, back_matter_page(handbook)))
    paper = "letter" if float(handbook.reader.pages[0].mediabox.width) == 612 else "a4"
    lengths = [len(line) for line in full_lines(handbook.path, pages, paper)]
    assert len(lengths) > 20
    assert MEASURE_RANGE[0] <= statistics.median(lengths) <= MEASURE_RANGE[1], statistics.median(lengths)


def test_handout_lines_hold_55_to_75_characters(handouts: Handouts) -> None:
    paper = "letter" if float(PdfReader(handouts.paths[0]).pages[0].mediabox.width) == 612 else "a4"
    lengths = [len(line) for path in handouts.paths for line in full_lines(path, range(1, 2), paper)]
    assert MEASURE_RANGE[0] <= statistics.median(lengths) <= MEASURE_RANGE[1], statistics.median(lengths)


def test_hyphenation_leaves_two_letters_before_and_three_after(handbook: Built) -> None:
    breaks = hyphen_breaks(handbook)
    assert all(len(head) >= 2 and len(tail) >= 3 for head, tail in breaks), [b for b in breaks if len(b[1]) < 3]


def test_every_category_with_techniques_is_in_the_contents_and_the_bookmarks(handbook: Built) -> None:
    rows = expected_contents(handbook)
    pages = range(2, part_page(handbook, "Quick reference"))
    assert [t for p in pages for t in links(handbook.reader, p)] == [page for _, _, page in rows]
    outline = [item.title for item in handbook.reader.outline if not isinstance(item, list)]
    categories = [category.name for category, _ in listings(handbook.library)]
    assert categories == [c.name for c in handbook.library.categories if any(
        c.name in t.categories for t in handbook.library.techniques)]  # fmt: skip
    assert outline[3 : 3 + len(categories)] == categories


def test_quick_reference_gives_every_technique_its_page(handbook: Built) -> None:
    starts = chapter_starts(handbook)
    by_title = collation_key(handbook.library.language)
    ordered = sorted(handbook.library.techniques, key=lambda t: (by_title(t.title), t.id))
    pages = range(part_page(handbook, "Quick reference"), min(starts.values()))
    assert [t for p in pages for t in links(handbook.reader, p)] == [starts[t.id] for t in ordered]
    text = collapse(" ".join(handbook.texts[p - 1] for p in pages))
    for technique in ordered:
        assert collapse(technique.title) in text


def test_every_quick_reference_page_opens_with_the_column_heads(handbook: Built) -> None:
    labels = handbook.library.labels()
    heads = [labels(f"handbook.column_{name}") for name in ("technique", "categories", "purpose", "page")]
    first = part_page(handbook, "Quick reference")
    pages = range(first, min(chapter_starts(handbook).values()))
    for page in pages:
        lines = [line.strip() for line in handbook.bodies[page - 1].splitlines() if line.strip()]
        if page == first:  # under the part's heading and its introduction
            lines = lines[next(i for i, line in enumerate(lines) if line.startswith(heads[0])) :]
        assert all(head in " ".join(lines[:3]) for head in heads), (page, lines[:3])
    # A page the rows run onto holds at least three of them (each row links to its chapter).
    assert len(pages) == 1 or len(links(handbook.reader, pages[-1])) >= 3


def first_body_line(built: Built, page: int) -> str:
    return next((collapse(line) for line in built.bodies[page - 1].splitlines() if line.strip()), "")


def test_a_contents_or_index_page_opens_with_what_its_rows_belong_to(handbook: Built) -> None:
    """A page the contents or the situation index runs onto opens with the heading its first
    rows belong to: a category (or "Category, continued"), a technique (or "Title, continued")."""
    labels = handbook.library.labels()
    contents = range(3, part_page(handbook, "Quick reference"))
    names = [category.name for category, _ in listings(handbook.library)]
    for page in contents:
        line = first_body_line(handbook, page)
        assert any(name in line for name in names), (page, line)
    titles = {collapse(t.title) for t in handbook.library.techniques}
    heads = titles | {collapse(labels("handbook.continued", section=title)) for title in titles}
    index = range(part_page(handbook, "Situation index") + 1, sources_page(handbook))
    for page in index:
        assert first_body_line(handbook, page) in heads, (page, first_body_line(handbook, page))
    if handbook.library.techniques and len(handbook.library.techniques) > 100:
        assert len(contents) > 1 and len(index) > 1  # the generated library does run onto more pages


def situation_pages(built: Built) -> list[int]:
    """The page each "When to use" item starts on, found from the chapter text."""
    starts = chapter_starts(built)
    by_title = collation_key(built.library.language)
    found = []
    for technique in sorted(built.library.techniques, key=lambda t: (by_title(t.title), t.id)):
        pages = list(chapter_pages(built, starts, technique.id))
        texts = [squash(built.bodies[p - 1]) for p in pages]
        ends = [sum(map(len, texts[: i + 1])) for i in range(len(texts))]
        joined = "".join(texts)
        after = joined.index(squash(built.library.labels()("handbook.section.when_to_use")))
        for item in technique.when_to_use:
            at = joined.index(squash(item.text), after)
            found.append(next(p for p, end in zip(pages, ends, strict=True) if at < end))
    return found


def test_situation_index_gives_the_page_of_every_when_to_use_item(handbook: Built) -> None:
    pages = range(part_page(handbook, "Situation index"), sources_page(handbook))
    assert [t for p in pages for t in links(handbook.reader, p)] == situation_pages(handbook)
    text = collapse(" ".join(handbook.bodies[p - 1] for p in pages))
    for technique in handbook.library.techniques:
        for item in technique.when_to_use:
            assert squash(item.text) in squash(text)


def test_a_warning_panel_that_breaks_says_it_continues(handbook: Built, request: pytest.FixtureRequest) -> None:
    """Every page a chapter's warnings run onto opens with "Warnings, continued", and the mark is
    nowhere else. (Found from the text: a warning that ends on a later page than the panel began.)"""
    starts = chapter_starts(handbook)
    continued_pages = []
    for technique in handbook.library.techniques:
        if not technique.warnings:
            continue
        pages = list(chapter_pages(handbook, starts, technique.id))
        bodies = {page: squash(handbook.bodies[page - 1]) for page in pages}
        opening = squash(technique.warnings[0].text)[:24]
        panel_starts = next(page for page in pages if opening in bodies[page])
        for page in pages[pages.index(panel_starts) + 1 :]:
            if any(squash(warning.text)[-24:] in bodies[page] for warning in technique.warnings):
                continued_pages.append(page)
                assert handbook.bodies[page - 1].startswith(CONTINUED), (technique.id, page)
    for page, body in enumerate(handbook.bodies, 1):
        if CONTINUED in body:
            assert page in continued_pages and body.startswith(CONTINUED)
    if "generated" in request.node.callspec.id:
        assert continued_pages, "the generated library has split panels: the check must see them"


def test_similar_rows_wrap_under_their_text_and_are_not_hyphenated(handbook: Built) -> None:
    for body in handbook.bodies:
        for line, following in zip(lines_of(body), lines_of(body)[1:], strict=False):
            if line.startswith("→"):
                assert not line.endswith("-") or re.match(r"see p\.", following)
