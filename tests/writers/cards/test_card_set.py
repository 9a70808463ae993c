"""The card set as a trainer sees it: one design across the set, no idle sides, promises kept.

Checked on the bundled content and on a generated library of 200 techniques, for every card
size on A4: no side shows only its title, nothing is printed below 7 pt, at most two body sizes,
every continued side starts with its section heading. The README's printed promises (3 mm
inside the cut, 5 mm from the paper edge) are measured from the PDF against its cut marks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from conftest import BUNDLED_CONTENT, FIXTURES, LIBRARY, technique, write_content
from label_check import english_labels_left
from pypdf import PdfReader

from exporter.content.techniques import read_library
from exporter.model import Library
from exporter.options import BuildOptions
from exporter.testing.synthetic import write_synthetic_content
from exporter.writers.cards import write_cards
from exporter.writers.cards.drawing import draw_plan
from exporter.writers.cards.plan import BODY_SIZES, CardPlan, CardSide, plan_cards
from exporter.writers.cards.sheet import CARD_SIZES_MM, MM, Rect, back_point

#: The README's promises, as printed there: not the code's constants.
README_MIN_POINTS = 7.0
README_CUT_INSET_MM = 3.0
README_PAPER_EDGE_MM = 5.0

SIZES = sorted(CARD_SIZES_MM)
FONT_SIZE = re.compile(rb"([0-9.]+) Tf\b")


@pytest.fixture(scope="module")
def libraries(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Library]:
    generated = write_synthetic_content(tmp_path_factory.mktemp("generated"), 200)
    return {"bundled": read_library(BUNDLED_CONTENT)[0], "generated": read_library(generated)[0]}


class SetBuild:
    """A plan and the PDF drawn from it (the writer's two halves, run once)."""

    def __init__(self, library: Library, options: BuildOptions, path: Path) -> None:
        self.library = library
        self.options = options
        self.plan: CardPlan = plan_cards(library, options)
        self._path = path

    @property
    def path(self) -> Path:
        """The PDF, drawn the first time a test reads it."""
        if not self._path.exists():
            draw_plan(self.plan, self.library, self._path)
        return self._path


@pytest.fixture(scope="module")
def set_builds(libraries: dict[str, Library], tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    cache: dict[tuple[str, str, str], SetBuild] = {}
    folder = tmp_path_factory.mktemp("sets")

    def build(name: str, card_size: str, duplex: str = "long-edge") -> SetBuild:
        key = (name, card_size, duplex)
        if key not in cache:
            options = BuildOptions(paper="a4", card_size=card_size, duplex=duplex)
            cache[key] = SetBuild(libraries[name], options, folder / f"{name}-{card_size}-{duplex}.pdf")
        return cache[key]

    yield {"build": build}


def drawn_sides(plan: CardPlan) -> Iterator[tuple[int, str, CardSide]]:
    """(card index, side name, side) of every side that is printed, in reading order."""
    two_sided = plan.sheet.duplex != "none"
    for index, card in enumerate(plan.cards):
        yield index, "front", card.front
        if two_sided:
            yield index, "back", card.back


@pytest.mark.parametrize("name", ["bundled", "generated"])
@pytest.mark.parametrize("card_size", SIZES)
@pytest.mark.parametrize("duplex", ["long-edge", "none"])
def test_no_side_holds_only_its_title(set_builds: dict[str, Any], name: str, card_size: str, duplex: str) -> None:
    plan = set_builds["build"](name, card_size, duplex).plan
    for index, side_name, side in drawn_sides(plan):
        card = plan.cards[index]
        assert any(block.content for block in side.blocks), (
            f"{card.technique_id} {card.marker} {side_name}: only a title"
        )


@pytest.mark.parametrize("name", ["bundled", "generated"])
@pytest.mark.parametrize("card_size", SIZES)
def test_at_most_two_body_sizes_and_nothing_below_7_pt(set_builds: dict[str, Any], name: str, card_size: str) -> None:
    build = set_builds["build"](name, card_size)
    body_sizes = {side.size for _, _, side in drawn_sides(build.plan)}
    assert len(body_sizes) <= 2 and body_sizes <= set(BODY_SIZES[card_size])
    regular = BODY_SIZES[card_size][0]
    if name == "bundled" and card_size in ("a6", "a7"):
        assert body_sizes == {regular}, "the bundled techniques fit one card at the regular size"
    # Every font size set in the PDF, on every page: card text, marks, sources, ruler notes.
    for number, page in enumerate(PdfReader(build.path).pages):
        sizes = [float(found) for found in FONT_SIZE.findall(page.get_contents().get_data())]
        assert sizes, f"page {number + 1} sets no text"
        assert min(sizes) >= README_MIN_POINTS - 0.001, f"page {number + 1}: text at {min(sizes)} pt"


@pytest.mark.parametrize("name", ["bundled", "generated"])
@pytest.mark.parametrize("card_size", SIZES)
@pytest.mark.parametrize("duplex", ["long-edge", "none"])
def test_every_continued_side_starts_with_its_section_heading(
    set_builds: dict[str, Any], name: str, card_size: str, duplex: str
) -> None:
    build = set_builds["build"](name, card_size, duplex)
    labels = build.library.labels()
    previous_section = ""
    previous_technique = ""
    for index, side_name, side in drawn_sides(build.plan):
        card = build.plan.cards[index]
        blocks = side.columns[0]
        first = blocks[0].block
        if card.technique_id != previous_technique:
            assert first.role == "step" and first.text == build.library.technique(card.technique_id).steps[0].text
        else:
            assert first.role == "heading", f"{card.technique_id} {card.marker} {side_name} starts with {first.text!r}"
            if first.section == previous_section:
                heading = labels(f"cards.{first.section}", count=2)
                assert first.text == labels("cards.continued", heading=heading)
        previous_technique = card.technique_id
        previous_section = side.blocks[-1].section


def test_duplex_none_prints_no_blank_continuation_card(set_builds: dict[str, Any]) -> None:
    plan = set_builds["build"]("generated", "business", "none").plan
    assert all(card.back.empty for card in plan.cards)
    assert all(any(block.role == "step" for block in card.front.blocks) for card in plan.cards)


def test_index_cards_set_text_in_two_columns(set_builds: dict[str, Any]) -> None:
    build = set_builds["build"]("generated", "index-3x5")
    sides = [side for _, _, side in drawn_sides(build.plan)]
    assert all(len(side.columns) == 2 for side in sides)
    longest = max(len(line) for side in sides for column in side.columns for p in column for line in p.set_block.lines)
    assert longest <= 60, f"a line of {longest} characters"
    assert sum(1 for side in sides if side.columns[1]) > len(sides) / 2, "the second column is mostly empty"


def test_warnings_are_red_in_a_tinted_box(set_builds: dict[str, Any]) -> None:
    build = set_builds["build"]("bundled", "a7")
    with pdfplumber.open(build.path) as pdf:
        back = pdf.pages[1]
        signs = [char for char in back.chars if char["text"] == "\u26a0"]
        assert signs
        for sign in signs:
            assert sign["non_stroking_color"] == pytest.approx((0x8A / 255, 0x1C / 255, 0x12 / 255), abs=0.01)
        tints = [
            rect
            for rect in back.rects
            if rect["non_stroking_color"] == pytest.approx((0xFD / 255, 0xEC / 255, 0xEA / 255), abs=0.01)
        ]
        assert len(tints) == len(signs)
        text = back.extract_text()
    assert "?" not in "".join(line[:2] for line in text.splitlines()), "a bare question mark as a bullet"


# The README's printed promises, measured against the cut marks ------------------------------


CONFIGS = [
    ("a7", "long-edge"),
    ("business", "short-edge"),
    ("poker", "fold"),
    ("index-3x5", "long-edge"),
    ("a6", "none"),
]


def cut_rectangles(page: Any) -> list[Rect]:
    """The cards' cut outlines on a front page, read from its cut marks (solid 0.25 pt lines).

    Each mark continues a card edge, so the marks' x and y positions, sorted, pair up into the
    left/right and bottom/top edges of the cards. A fold pair is split at its dashed fold ticks.
    """
    marks = [line for line in page.lines if abs(line["linewidth"] - 0.25) < 0.01]
    solid = [line for line in marks if not line.get("dash")]
    xs = sorted({round(line["x0"], 2) for line in solid if abs(line["x0"] - line["x1"]) < 0.01})
    ys = sorted({round(page.height - line["top"], 2) for line in solid if abs(line["top"] - line["bottom"]) < 0.01})
    assert len(xs) % 2 == 0 and len(ys) % 2 == 0, (xs, ys)
    folds = sorted({round(line["x0"], 2) for line in marks if line.get("dash")})
    rects = []
    for left, right in zip(xs[::2], xs[1::2], strict=True):
        inner = [x for x in folds if left < x < right]
        edges = [left, *inner, right]
        for x0, x1 in zip(edges, edges[1:], strict=False):
            for bottom, top in zip(ys[::2], ys[1::2], strict=True):
                rects.append(Rect(x0, bottom, x1 - x0, top - bottom))
    return rects


def mirrored(rect: Rect, page: Any, duplex: str) -> Rect:
    x0, y0 = back_point(rect.x, rect.y, page.width, page.height, duplex)
    x1, y1 = back_point(rect.right, rect.top, page.width, page.height, duplex)
    return Rect(min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0))


@pytest.mark.parametrize(("card_size", "duplex"), CONFIGS)
def test_text_is_3_mm_inside_the_cut_and_5_mm_from_the_paper_edge(
    set_builds: dict[str, Any], card_size: str, duplex: str
) -> None:
    build = set_builds["build"]("bundled", card_size, duplex)
    width_mm, height_mm = CARD_SIZES_MM[card_size]
    inset = README_CUT_INSET_MM * 72 / 25.4
    edge = README_PAPER_EDGE_MM * 72 / 25.4
    with pdfplumber.open(build.path) as pdf:
        cuts: list[Rect] = []
        for page, page_plan in zip(pdf.pages, build.plan.pages, strict=True):
            if page_plan.kind == "back":
                cuts = [mirrored(rect, page, duplex) for rect in cuts]
            else:
                cuts = cut_rectangles(page)
                for rect in cuts:
                    assert rect.width / MM == pytest.approx(width_mm, abs=0.01)
                    assert rect.height / MM == pytest.approx(height_mm, abs=0.01)
            lowest_card = min(rect.y for rect in cuts)
            for char in (c for c in page.chars if c["text"].strip()):
                x0, y0, x1, y1 = char["x0"], page.height - char["bottom"], char["x1"], page.height - char["top"]
                card = next((rect for rect in cuts if rect.contains(x0, y0, x1, y1)), None)
                if card is None:
                    assert page_plan.kind != "back" and y1 < lowest_card, f"{char['text']!r} outside every card"
                else:
                    assert card.inset(inset).contains(x0, y0, x1, y1, tolerance=0.01), (
                        f"{char['text']!r} less than 3 mm inside the cut on page {page.page_number}"
                    )
            for item in page.chars + page.lines + page.rects + page.curves:
                assert item["x0"] >= edge - 0.01 and item["top"] >= edge - 0.01
                assert item["x1"] <= page.width - edge + 0.01 and item["bottom"] <= page.height - edge + 0.01


# Words of the library's language ------------------------------------------------------------


LONG_GERMAN_WORD = "Gegenübertragungsreaktionsmusterunterscheidungsfähigkeit"


def german_library(root: Path) -> Library:
    library = dict(LIBRARY, language="de", title="Mentalisieren üben")
    long_steps = [
        f"Schritt {n}: Achten Sie auf die {LONG_GERMAN_WORD} und benennen Sie, was Sie bemerken." for n in range(1, 13)
    ]
    techniques = [
        technique("kurz", title="Kurze Technik", steps=["Innehalten.", "Benennen.", "Nachfragen."],
                  key_phrases=["Was geht gerade in Ihnen vor?"],
                  warnings=["Nicht drängen — das schließt das Gespräch."],
                  follow_up_questions=["Was haben Sie bemerkt?"], when_to_use=["Wenn das Gespräch stockt."],
                  sources=["Autorin, A. (2020). Ein Buch. Verlag."]),
        technique("lang", title="Lange Technik", steps=long_steps,
                  warnings=[f"Nicht übereilen {n} — sonst geht die {LONG_GERMAN_WORD} verloren." for n in range(1, 7)]),
    ]  # fmt: skip
    content = write_content(root, techniques=techniques, library=library)
    return read_library(content)[0]


def test_a_german_library_prints_no_english_label(tmp_path: Path) -> None:
    library = german_library(tmp_path)
    options = BuildOptions(card_size="a7", duplex="long-edge", calibration=True)
    write_cards(library, tmp_path / "out", options)
    reader = PdfReader(tmp_path / "out" / "pocket-cards.pdf")
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert english_labels_left(text, "de", ["cards."]) == []
    for german in ("Warnhinweis", "(Fortsetzung)", "Bogen 1 von", "Kalibrierbogen", "Quelle"):
        assert german in text, german
    assert "1/2" in text
    assert "Taschenkarten" in str(reader.metadata.title)


SAMPLE_LIBRARIES = FIXTURES / "libraries"


@pytest.mark.parametrize(("language", "card_size"), [("de", "a7"), ("de", "business"), ("ru", "poker")])
def test_the_sample_libraries_cards_carry_only_their_own_labels(language: str, card_size: str, tmp_path: Path) -> None:
    library, _ = read_library(SAMPLE_LIBRARIES / language)
    write_cards(library, tmp_path, BuildOptions(card_size=card_size, calibration=True))
    text = "\n".join(page.extract_text() for page in PdfReader(tmp_path / "pocket-cards.pdf").pages)
    assert english_labels_left(text, language, ["cards."]) == []
    labels = library.labels()
    assert labels("cards.warnings", count=2) in text or labels("cards.warnings", count=1) in text


def test_long_words_break_with_a_hyphen_where_the_language_allows(tmp_path: Path) -> None:
    library = german_library(tmp_path)
    plan = plan_cards(library, BuildOptions(card_size="business"))
    lines = [line for card in plan.cards for side in (card.front, card.back)
             for column in side.columns for placed in column for line in placed.set_block.lines]  # fmt: skip
    broken = [line for line in lines if line.endswith("-") and LONG_GERMAN_WORD[:4] in line.split()[-1]]
    assert broken, "the long word was never hyphenated"
    for line in broken:
        head = line.split()[-1][:-1]
        assert LONG_GERMAN_WORD.startswith(head) and len(head) >= 2
        assert len(LONG_GERMAN_WORD) - len(head) >= 3
