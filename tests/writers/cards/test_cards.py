"""Pocket cards: sheet geometry, backs behind fronts, text inside the safe area, nothing clipped."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from click.testing import CliRunner
from conftest import BUNDLED_CONTENT, technique, write_content
from pypdf import PdfReader

from exporter.cli import main
from exporter.content.techniques import read_library
from exporter.errors import ExporterError
from exporter.model import Library
from exporter.options import BuildOptions
from exporter.pdf.glyphs.fonts import drawable
from exporter.writers import WriteResult
from exporter.writers.cards import write_cards
from exporter.writers.cards.drawing import calibration_points, calibration_scale_centres
from exporter.writers.cards.plan import MIN_SIZE, CardPlan, CardSide, Placement, plan_cards
from exporter.writers.cards.sheet import (
    CARD_SIZES_MM,
    MM,
    PAPER_SIZES_MM,
    RULER_MM,
    SHEET_MARGIN_MM,
    Rect,
    back_point,
    layout_sheet,
)

TOLERANCE = 0.1 * MM
MARKUP_STEP = 'Say <b>not bold</b> & "quoted" {{c1::cloze}} </para> exactly'
MARKUP_WARNING = "Do not <i>ignore</i> A&B <br/> — because it matters"
LONG_SENTENCE = (
    "Slow down and describe, in plain and careful words, what you notice in the client's face, "
    "posture and voice, then check whether your reading matches what they feel right now"
)


def overflow_technique() -> dict[str, Any]:
    return technique(
        "overflow",
        title="Overflowing Technique",
        steps=[f"Step {n}: {LONG_SENTENCE} ({n})." for n in range(1, 16)],
        warnings=[f"Do not rush warning {n} — {LONG_SENTENCE} ({n})." for n in range(1, 5)],
    )


TECHNIQUES = [
    technique("alpha", steps=[MARKUP_STEP, "Second step of alpha", "Third step of alpha"], warnings=[MARKUP_WARNING]),
    technique("beta", title="Beta — Ψυχή и душа", categories=["Interpersonal", "Problem processing"]),
    overflow_technique(),
    technique("gamma", sources=["https://example.org/a/very/long/address/without/any/spaces/" + "x" * 80]),
]

CONFIGS: dict[str, dict[str, Any]] = {
    "a7-long": dict(paper="a4", card_size="a7", duplex="long-edge", calibration=True),
    "business-short": dict(paper="letter", card_size="business", duplex="short-edge"),
    "poker-fold": dict(paper="a4", card_size="poker", duplex="fold"),
    "index-offset": dict(paper="letter", card_size="index-3x5", duplex="long-edge", back_offset_mm=(1.5, -2.0)),
    "a6-short": dict(paper="a4", card_size="a6", duplex="short-edge", calibration=True, back_offset_mm=(-1.0, 0.5)),
    "a7-none": dict(paper="letter", card_size="a7", duplex="none"),
}


class Build:
    def __init__(self, library: Library, out_dir: Path, options: BuildOptions) -> None:
        self.library = library
        self.options = options
        self.result: WriteResult = write_cards(library, out_dir, options)
        self.path = out_dir / "pocket-cards.pdf"
        self.plan: CardPlan = plan_cards(library, options)
        self.pdf = pdfplumber.open(self.path)


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    content = write_content(tmp_path_factory.mktemp("content"), techniques=TECHNIQUES)
    lib, _ = read_library(content)
    return lib


@pytest.fixture(scope="module")
def builds(library: Library, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Build]]:
    built = {}
    for name, settings in CONFIGS.items():
        built[name] = Build(library, tmp_path_factory.mktemp(name), BuildOptions(**settings))
    yield built
    for build in built.values():
        build.pdf.close()


def squash(text: str) -> str:
    """Text without spaces and hyphens, so a word hyphenated at a line end still matches."""
    return re.sub(r"[\s\-\u00ad]+", "", drawable(text))


def char_box(char: dict[str, Any], page_height: float) -> tuple[float, float, float, float]:
    """A pdfplumber char as (x0, y0, x1, y1) in PDF coordinates (y up)."""
    return char["x0"], page_height - char["bottom"], char["x1"], page_height - char["top"]


def text_in(page: Any, rect: Rect, slack: float = 0.5) -> str:
    box = (rect.x - slack, page.height - rect.top - slack, rect.right + slack, page.height - rect.y + slack)
    return str(page.within_bbox(box).extract_text())


def side_text(page: Any, placement: Placement, side: CardSide) -> str:
    """A card side's text as read from the PDF: the title band, then each column top to bottom."""
    safe = placement.safe
    text_top = safe.top - side.header_height
    parts = [text_in(page, Rect(safe.x, text_top, safe.width, safe.top - text_top))]
    for number in range(len(side.columns)):
        x = safe.x + number * (side.column_width + side.column_gap)
        parts.append(text_in(page, Rect(x, safe.y, side.column_width, text_top - safe.y)))
    return " ".join(parts)


def card_texts(build: Build, technique_id: str) -> tuple[str, str]:
    """All text on the fronts and on the backs of a technique's cards, read from the PDF."""
    fronts: list[str] = []
    backs: list[str] = []
    for number, page in enumerate(build.plan.pages):
        for placement in page.placements:
            card = build.plan.cards[placement.card]
            if card.technique_id == technique_id:
                side = card.front if placement.side == "front" else card.back
                text = side_text(build.pdf.pages[number], placement, side)
                (fronts if placement.side == "front" else backs).append(text)
    return squash(" ".join(fronts)), squash(" ".join(backs))


# Sheet geometry (pure layout) ---------------------------------------------------------------


@pytest.mark.parametrize("paper", sorted(PAPER_SIZES_MM))
@pytest.mark.parametrize("card_size", sorted(CARD_SIZES_MM))
@pytest.mark.parametrize("duplex", ["long-edge", "short-edge", "fold"])
def test_cards_sit_inside_the_printable_area_at_their_nominal_size(paper: str, card_size: str, duplex: str) -> None:
    sheet = layout_sheet(paper, card_size, duplex)
    width_mm, height_mm = CARD_SIZES_MM[card_size]
    margin = SHEET_MARGIN_MM * MM
    printable = Rect(margin, margin, sheet.width - 2 * margin, sheet.height - 2 * margin)
    cards = list(sheet.fronts) + list(sheet.backs)
    assert sheet.cards_per_sheet >= 1
    for rect in cards:
        assert rect.width == pytest.approx(width_mm * MM) and rect.height == pytest.approx(height_mm * MM)
        assert printable.contains(rect.x, rect.y, rect.right, rect.top, tolerance=1e-6)
    on_one_page = list(sheet.fronts) + (list(sheet.backs) if duplex == "fold" else [])
    assert all(rect.y >= sheet.legend.top - 1e-6 for rect in on_one_page), "a card over the ruler band"
    for i, a in enumerate(on_one_page):
        for b in on_one_page[i + 1 :]:
            assert a.right <= b.x + 1e-6 or b.right <= a.x + 1e-6 or a.top <= b.y + 1e-6 or b.top <= a.y + 1e-6
    for marks in list(sheet.cut_marks) + list(sheet.fold_marks):
        for line in marks:
            assert printable.contains(
                min(line.x0, line.x1), min(line.y0, line.y1), max(line.x0, line.x1), max(line.y0, line.y1)
            )
            assert not any(card.touches_inside(line) for card in on_one_page)
            assert min(line.y0, line.y1) >= sheet.legend.top - 1e-6
    assert all(len(marks) == 8 for marks in sheet.cut_marks)


@pytest.mark.parametrize(
    ("paper", "card_size", "expected"),
    [("a4", "a7", 4), ("a4", "poker", 9), ("a4", "business", 9), ("a4", "a6", 2), ("letter", "index-3x5", 4)],
)
def test_cards_per_sheet_follow_from_sizes_and_margin(paper: str, card_size: str, expected: int) -> None:
    assert layout_sheet(paper, card_size, "long-edge").cards_per_sheet == expected


@pytest.mark.parametrize("paper", sorted(PAPER_SIZES_MM))
@pytest.mark.parametrize("card_size", sorted(CARD_SIZES_MM))
@pytest.mark.parametrize("duplex", ["long-edge", "short-edge"])
@pytest.mark.parametrize("offset", [(0.0, 0.0), (1.5, -2.25)])
def test_back_of_each_card_lies_behind_its_front(
    paper: str, card_size: str, duplex: str, offset: tuple[float, float]
) -> None:
    sheet = layout_sheet(paper, card_size, duplex, offset)
    long_edge_is_vertical = sheet.portrait
    mirror_columns = (duplex == "long-edge") == long_edge_is_vertical
    for front, back in zip(sheet.fronts, sheet.backs, strict=True):
        if mirror_columns:
            expected = Rect(sheet.width - front.right, front.y, front.width, front.height)
        else:
            expected = Rect(front.x, sheet.height - front.top, front.width, front.height)
        assert abs(back.x - (expected.x + offset[0] * MM)) < TOLERANCE
        assert abs(back.y - (expected.y + offset[1] * MM)) < TOLERANCE
        assert (back.width, back.height) == (front.width, front.height)


def test_fold_pairs_put_the_back_beside_the_front() -> None:
    sheet = layout_sheet("a4", "a7", "fold")
    for front, back, folds in zip(sheet.fronts, sheet.backs, sheet.fold_marks, strict=True):
        assert back.x == pytest.approx(front.right) and back.y == pytest.approx(front.y)
        assert len(folds) == 2
        assert all(line.x0 == line.x1 == pytest.approx(front.right) for line in folds)


# The PDF itself ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_media_box_is_the_paper_size(builds: dict[str, Build], name: str) -> None:
    build = builds[name]
    width_mm, height_mm = PAPER_SIZES_MM[build.options.paper]
    for page in PdfReader(build.path).pages:
        size = sorted((float(page.mediabox.width), float(page.mediabox.height)))
        assert size == pytest.approx(sorted((width_mm * MM, height_mm * MM)), abs=0.01)


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_every_glyph_is_inside_its_cards_safe_area(builds: dict[str, Build], name: str) -> None:
    build = builds[name]
    sheet = build.plan.sheet
    assert len(build.pdf.pages) == len(build.plan.pages)
    for page, page_plan in zip(build.pdf.pages, build.plan.pages, strict=True):
        if page_plan.kind.startswith("calibration"):
            continue
        safe_areas = [p.safe for p in page_plan.placements]
        chars = page.chars
        assert chars
        for char in chars:
            box = char_box(char, page.height)
            inside = any(safe.contains(*box, tolerance=0.01) for safe in safe_areas)
            in_legend = page_plan.kind != "back" and sheet.legend.contains(*box, tolerance=0.01)
            assert inside or in_legend, f"{char['text']!r} at {box} on a {page_plan.kind} page is outside every card"


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_nothing_is_printed_near_the_sheet_edge(builds: dict[str, Build], name: str) -> None:
    build = builds[name]
    if build.options.back_offset_mm != (0.0, 0.0):
        pytest.skip("a back offset moves backs on purpose")
    margin = SHEET_MARGIN_MM * MM - 0.01
    for page in build.pdf.pages:
        for item in page.chars + page.lines + page.curves + page.rects:
            assert item["x0"] >= margin and item["top"] >= margin
            assert item["x1"] <= page.width - margin and item["bottom"] <= page.height - margin


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_cut_marks_are_on_fronts_only_and_never_cross_a_card(builds: dict[str, Build], name: str) -> None:
    build = builds[name]
    for page, page_plan in zip(build.pdf.pages, build.plan.pages, strict=True):
        if page_plan.kind.startswith("calibration"):
            continue
        cards = [p.rect for p in page_plan.placements]
        marks = [
            line for line in page.lines
            if line["stroking_color"] in ((0, 0, 0), (0,), [0, 0, 0]) and abs(line["linewidth"] - 0.25) < 0.01
        ]  # fmt: skip
        if page_plan.kind == "back":
            assert marks == []
            continue
        assert marks, "a front page without cut marks"
        for line in marks:
            x0, x1 = line["x0"], line["x1"]
            y0, y1 = page.height - line["bottom"], page.height - line["top"]
            for card in cards:
                overlap_x = min(x1, card.right) - max(x0, card.x)
                overlap_y = min(y1, card.top) - max(y0, card.y)
                assert overlap_x <= 0.01 or overlap_y <= 0.01, f"cut mark {line['pts']} crosses a card"


@pytest.mark.parametrize("name", ["a7-long", "business-short", "index-offset", "a6-short"])
def test_backs_in_the_pdf_sit_behind_their_fronts(builds: dict[str, Build], name: str) -> None:
    """The coloured rule under each title, read from the PDF, is mirrored (plus the offset)."""
    build = builds[name]
    sheet = build.plan.sheet
    dx, dy = (v * MM for v in build.options.back_offset_mm)
    pages = [(page, plan) for page, plan in zip(build.pdf.pages, build.plan.pages, strict=True)
             if plan.kind in ("front", "back")]  # fmt: skip
    assert len(pages) % 2 == 0
    for (front_page, front_plan), (back_page, back_plan) in zip(pages[::2], pages[1::2], strict=True):
        assert (front_plan.kind, back_plan.kind) == ("front", "back")
        assert len(front_plan.placements) == len(back_plan.placements)
        front_rules = sorted(_rules(front_page), key=lambda r: (r[1], r[0]))
        for x0, y, x1 in front_rules:
            bx0, _ = back_point(x1, y, sheet.width, sheet.height, sheet.duplex)
            bx1, by = back_point(x0, y, sheet.width, sheet.height, sheet.duplex)
            low, high = sorted((bx0, bx1))
            candidates = [r for r in _rules(back_page) if abs(r[0] - (low + dx)) < TOLERANCE]
            assert candidates, f"no back behind the card at x={x0:.1f}"
            assert any(abs(r[2] - (high + dx)) < TOLERANCE for r in candidates)
            # the back's rule sits lower on its card than the front's, so compare whole cards instead
            front_card = next(
                p.rect for p in front_plan.placements if p.rect.x <= x0 <= p.rect.right and p.rect.y <= y <= p.rect.top
            )
            card_index = next(p.card for p in front_plan.placements if p.rect == front_card)
            back_card = next(p.rect for p in back_plan.placements if p.card == card_index)
            corner = back_point(front_card.x, front_card.y, sheet.width, sheet.height, sheet.duplex)
            other = back_point(front_card.right, front_card.top, sheet.width, sheet.height, sheet.duplex)
            assert abs(min(corner[0], other[0]) + dx - back_card.x) < TOLERANCE
            assert abs(min(corner[1], other[1]) + dy - back_card.y) < TOLERANCE
            assert any(back_card.contains(r[0], r[1], r[2], r[1]) for r in _rules(back_page))


def _rules(page: Any) -> list[tuple[float, float, float]]:
    """The title rules (0.8 pt lines) on a page as (x0, y, x1) in PDF coordinates."""
    return [
        (line["x0"], page.height - line["top"], line["x1"])
        for line in page.lines
        if abs(line["linewidth"] - 0.8) < 0.01
    ]


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_every_step_warning_and_phrase_is_on_its_card(builds: dict[str, Build], name: str, library: Library) -> None:
    build = builds[name]
    for technique_record in library.techniques:
        front, back = card_texts(build, technique_record.id)
        assert squash(technique_record.title) in front
        everything = front + back
        first_step = squash(technique_record.steps[0].text)
        assert first_step in front, f"{technique_record.id}: the steps do not start on a front"
        for step in technique_record.steps:
            assert squash(step.text) in everything, f"{technique_record.id}: step missing: {step.text}"
        if build.options.duplex == "none":
            assert back == ""
            continue
        for item in technique_record.key_phrases + technique_record.warnings:
            assert squash(item.text) in everything, f"{technique_record.id}: missing: {item.text}"
        assert squash(technique_record.title) in back
        for source in technique_record.sources:
            assert squash(source) in everything
        assert everything.count("\u26a0") == len(technique_record.warnings)


def test_markup_characters_print_literally(builds: dict[str, Build]) -> None:
    front, back = card_texts(builds["a7-long"], "alpha")
    assert squash(MARKUP_STEP) in front
    assert squash(MARKUP_WARNING) in back


def test_overflow_continues_on_numbered_cards_without_clipping(builds: dict[str, Build]) -> None:
    build = builds["a7-long"]
    parts = [c for c in build.plan.cards if c.technique_id == "overflow"]
    assert len(parts) >= 2
    assert [c.marker for c in parts] == [f"{n}/{len(parts)}" for n in range(1, len(parts) + 1)]
    assert any("overflow" in w and f"{len(parts)} cards" in w for w in build.result.warnings)
    assert all(c.front.size >= MIN_SIZE and c.back.size >= MIN_SIZE for c in build.plan.cards)
    steps_per_card = [sum(b.role == "step" for b in c.front.blocks + c.back.blocks) for c in parts]
    assert sum(steps_per_card) == 15 and steps_per_card[0]
    for number, page_plan in enumerate(build.plan.pages):
        for placement in page_plan.placements:
            card = build.plan.cards[placement.card]
            if card.technique_id == "overflow":
                assert squash(card.marker) in squash(text_in(build.pdf.pages[number], placement.rect))
    # every glyph on every page, calibration sheet included, at a readable size
    for pdf_page in build.pdf.pages:
        assert min(char["size"] for char in pdf_page.chars) >= MIN_SIZE - 0.01


def test_a_technique_that_cannot_fit_fails_with_its_name(make_content: Any, tmp_path: Path) -> None:
    huge = technique("giant", title="Giant Step", steps=[" ".join([LONG_SENTENCE] * 8)])
    library, _ = read_library(make_content(techniques=[technique("fine"), huge]))
    with pytest.raises(ExporterError) as caught:
        write_cards(library, tmp_path / "out", BuildOptions(card_size="business"))
    message = caught.value.message
    assert re.match(r".*giant\.yaml:\d+: steps\[0\]: too long for a business pocket card", message), message
    assert "'giant'" in message
    assert not (tmp_path / "out" / "pocket-cards.pdf").exists()


def test_a_title_too_long_for_any_card_fails_with_its_name(make_content: Any, tmp_path: Path) -> None:
    library, _ = read_library(make_content(techniques=[technique("wordy")]))
    # longer than validation allows, to check the writer's own guard
    wordy = dataclasses.replace(library.techniques[0], title=" ".join([LONG_SENTENCE] * 5))
    library = dataclasses.replace(library, techniques=(wordy,))
    with pytest.raises(ExporterError) as caught:
        write_cards(library, tmp_path, BuildOptions(card_size="business"))
    assert "wordy.yaml" in caught.value.message and ": title: too long" in caught.value.message


@pytest.mark.parametrize(
    ("name", "duplex"),
    [
        ("a7-long", "/DuplexFlipLongEdge"),
        ("business-short", "/DuplexFlipShortEdge"),
        ("poker-fold", "/Simplex"),
        ("a7-none", "/Simplex"),
    ],
)
def test_viewer_preferences_ask_for_no_scaling_and_the_right_duplex(
    builds: dict[str, Build], name: str, duplex: str
) -> None:
    preferences = PdfReader(builds[name].path).trailer["/Root"]["/ViewerPreferences"]
    assert preferences["/PrintScaling"] == "/None"
    assert preferences["/Duplex"] == duplex


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_pages_fonts_and_order(builds: dict[str, Build], name: str, library: Library) -> None:
    build = builds[name]
    reader = PdfReader(build.path)
    if build.options.duplex in ("long-edge", "short-edge"):
        assert len(reader.pages) % 2 == 0
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    assert fonts <= {
        "NotoSerif-Regular",
        "NotoSerif-Bold",
        "NotoSerif-Italic",
        "NotoSans-Bold",
        "NotoSans-Regular",
        "Symbola",
        "NotoEmoji-Bold",
    }
    order = list(dict.fromkeys(c.technique_id for c in build.plan.cards))
    assert order == [t.id for t in library.ordered_techniques()]


@pytest.mark.parametrize("name", ["a7-long", "poker-fold", "a7-none"])
def test_each_sheet_has_a_50_mm_ruler_and_says_print_at_100(builds: dict[str, Build], name: str) -> None:
    build = builds[name]
    for page, page_plan in zip(build.pdf.pages, build.plan.pages, strict=True):
        if page_plan.kind == "back" or page_plan.kind == "calibration-back":
            continue
        lengths = [line["x1"] - line["x0"] for line in page.lines if abs(line["top"] - line["bottom"]) < 0.01]
        assert any(abs(length - RULER_MM * MM) < 0.01 for length in lengths)
        assert "Printat100%" in squash(page.extract_text())


@pytest.mark.parametrize("name", ["a7-long", "a6-short"])
def test_calibration_sheet_scales_sit_behind_the_front_crosses(builds: dict[str, Build], name: str) -> None:
    build = builds[name]
    sheet = build.plan.sheet
    assert [p.kind for p in build.plan.pages[:2]] == ["calibration-front", "calibration-back"]
    front, back = build.pdf.pages[0], build.pdf.pages[1]
    reach = 20 * MM

    def crossings(page: Any) -> set[tuple[float, float]]:
        found = set()
        for line in page.lines:
            if abs((line["x1"] - line["x0"]) - reach) < 0.01 and abs(line["top"] - line["bottom"]) < 0.01:
                found.add((round((line["x0"] + line["x1"]) / 2, 1), round(page.height - line["top"], 1)))
        return found

    expected_front = {(round(x, 1), round(y, 1)) for x, y in calibration_points(sheet)}
    assert crossings(front) == expected_front
    centres = calibration_scale_centres(sheet, build.options.back_offset_mm)
    for (fx, fy), (bx, by) in zip(calibration_points(sheet), centres, strict=True):
        mx, my = back_point(fx, fy, sheet.width, sheet.height, sheet.duplex)
        assert abs(bx - mx - build.options.back_offset_mm[0] * MM) < TOLERANCE
        assert abs(by - my - build.options.back_offset_mm[1] * MM) < TOLERANCE
    assert crossings(back) == {(round(x, 1), round(y, 1)) for x, y in centres}
    assert "--back-offset" in back.extract_text()


@pytest.mark.parametrize("name", ["a7-long", "a6-short"])
def test_calibration_sheet_prints_the_option_whole_and_mentions_no_cut_marks(
    builds: dict[str, Build], name: str
) -> None:
    build = builds[name]
    front, back = build.pdf.pages[0], build.pdf.pages[1]
    offset = " ".join(f"{value:g}" for value in build.options.back_offset_mm)
    lines = back.extract_text().splitlines()
    assert any(f"--back-offset {offset}" in line.replace("\u00a0", " ") for line in lines), lines
    assert not any(line.rstrip().endswith("-") for line in lines), lines
    assert "Cut along the marks" not in front.extract_text()
    # The sheets of cards still say it.
    card_front = next(n for n, p in enumerate(build.plan.pages) if p.kind == "front")
    assert "Cut along the marks" in build.pdf.pages[card_front].extract_text()


def test_card_titles_break_between_words_only() -> None:
    from exporter.pdf.glyphs.fonts import BOLD, register_fonts
    from exporter.writers.cards.lines import LineSetter

    register_fonts()
    setter = LineSetter("en")
    title = "Embodied Mentalization Practice"
    assert setter.lines(title, BOLD, 11, 80, hyphenate=False) == ("Embodied", "Mentalization", "Practice")
    assert any(line.endswith("-") for line in setter.lines("Mentalization " * 3, BOLD, 11, 60))


def test_card_lines_keep_the_russian_rules() -> None:
    from exporter.pdf.glyphs.fonts import REGULAR, register_fonts
    from exporter.writers.cards.lines import LineSetter

    register_fonts()
    setter = LineSetter("ru")
    text = "Спросите о том, что клиент чувствует в данный момент и в теле — не торопитесь с выводом"
    for width in range(70, 200, 7):
        lines = setter.lines(text, REGULAR, 8.5, width)
        assert " ".join(lines).replace("- ", "").replace("-", "") == text.replace("-", ""), lines
        for line in lines:
            last = line.split()[-1]
            assert not (len(last) == 1 and last.isalpha()), lines
            assert not line.startswith("—"), lines


def test_calibration_is_left_out_without_two_sided_printing(library: Library, tmp_path: Path) -> None:
    result = write_cards(library, tmp_path, BuildOptions(duplex="fold", calibration=True))
    assert any("--calibration" in w for w in result.warnings)
    assert "calibration" not in PdfReader(tmp_path / "pocket-cards.pdf").pages[0].extract_text().lower()


def test_two_builds_are_byte_identical(library: Library, tmp_path: Path) -> None:
    options = BuildOptions(card_size="poker", duplex="short-edge", calibration=True)
    write_cards(library, tmp_path / "one", options)
    write_cards(library, tmp_path / "two", options)
    assert (tmp_path / "one" / "pocket-cards.pdf").read_bytes() == (tmp_path / "two" / "pocket-cards.pdf").read_bytes()


def test_cards_command_builds_the_bundled_content(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["cards", "--content", str(BUNDLED_CONTENT), "--out", str(tmp_path), "--quiet"])
    assert result.exit_code == 0, result.output
    library, _ = read_library(BUNDLED_CONTENT)
    text = squash(" ".join(page.extract_text() for page in PdfReader(tmp_path / "pocket-cards.pdf").pages))
    for technique_record in library.techniques:
        assert all(squash(step.text) in text for step in technique_record.steps)


def test_a_back_with_nothing_to_show_stays_blank(make_content: Any, tmp_path: Path) -> None:
    bare = technique("bare", steps=["Only step"], key_phrases=[], warnings=[], sources=[],
                     follow_up_questions=[], when_to_use=[])  # fmt: skip
    library, _ = read_library(make_content(techniques=[bare]))
    write_cards(library, tmp_path, BuildOptions(card_size="a7", duplex="long-edge"))
    pages = PdfReader(tmp_path / "pocket-cards.pdf").pages
    assert "Only step" in pages[0].extract_text()
    assert pages[1].extract_text().strip() == ""


def test_validate_finds_every_text_too_long_for_a_card_before_a_build_would(make_content: Any, tmp_path: Path) -> None:
    """`exporter validate` passes only what `exporter cards` can build: each text no card can hold, with its line."""
    from click.testing import CliRunner

    from exporter.cli import main

    giants = [
        technique(name, title=f"Giant {name}", steps=["Fine.", " ".join([LONG_SENTENCE] * 8)]) for name in ("aa", "bb")
    ]
    content = make_content(techniques=[technique("fine"), *giants])
    result = CliRunner().invoke(main, ["validate", "--content", str(content)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert [line.split(": too long")[0].rsplit("/", 1)[1] for line in lines[:-1]] == [
        f"{name}.yaml:{line}: steps[1]"
        for name, line in (("aa", giants_line(content, "aa")), ("bb", giants_line(content, "bb")))
    ]
    assert lines[-1] == "Error: 2 problems in the content; nothing was written"


def giants_line(content: Path, name: str) -> int:
    text = (content / "techniques" / f"{name}.yaml").read_text(encoding="utf-8").splitlines()
    steps = next(n for n, line in enumerate(text, 1) if line.startswith("steps:"))
    return steps + 2


def test_a_section_the_back_shows_only_in_part_says_how_much_it_shows(tmp_path: Path) -> None:
    """A card back left out follow-up questions that did not fit, and nothing said so."""
    library, _ = read_library(BUNDLED_CONTENT)
    write_cards(library, tmp_path, BuildOptions(paper="a4"))
    with pdfplumber.open(tmp_path / "pocket-cards.pdf") as pdf:
        page = pdf.pages[1]
        halves = [
            page.crop((0, 0, page.width / 2, page.height)),
            page.crop((page.width / 2, 0, page.width, page.height)),
        ]
        back = " ".join(" ".join(half.extract_text().split()) for half in halves)  # the cards side by side, each whole
    partly = [
        t for t in library.techniques
        if len(t.items("follow_up_questions")) == 2
        and t.items("follow_up_questions")[0].text in back
        and t.items("follow_up_questions")[1].text not in back
    ]  # fmt: skip
    assert len(partly) >= 1
    assert back.count("Follow-up questions (1 of 2)") == len(partly)
    assert "(2 of 2)" not in back  # a section shown whole says nothing
