"""Pocket cards: one technique per card, steps on the front, what to say and avoid on the back.

`plan_cards` fits every technique onto cards (shrinking type to a readable minimum, then
continuing on more cards, never clipping) and places them on sheets; `write_cards` draws that
plan. The plan is also what the tests read to check the PDF's geometry.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from exporter.errors import ExporterError, Problem
from exporter.model import SECTION_TITLES, Library, Technique
from exporter.outputs import atomic_output
from exporter.pdf import text as canvas_text
from exporter.pdf.fonts import BOLD, ITALIC, REGULAR, para_text, register_fonts
from exporter.pdf.imposition import (
    MM,
    RULER_MM,
    SAFE_INSET_MM,
    Line,
    Rect,
    SheetLayout,
    back_point,
    layout_sheet,
)
from exporter.writers import BuildOptions, WriteResult

if TYPE_CHECKING:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen.canvas import Canvas

    from exporter.pdf.paragraphs import Paragraph

FILE_NAME = "pocket-cards.pdf"

#: Body type size a card starts with; smaller cards start smaller.
START_SIZES: dict[str, float] = {"a6": 11.0, "index-3x5": 10.0, "a7": 9.0, "poker": 9.0, "business": 8.5}
#: Below this body size text is no longer readable at arm's length: continue on another card.
MIN_SIZE = 7.0
SIZE_STEP = 0.5
#: Follow-up questions are optional: they go on the back only if the type need not shrink more.
OPTIONAL_SHRINK = 1.0

DUPLEX_PREFERENCE = {"long-edge": "DuplexFlipLongEdge", "short-edge": "DuplexFlipShortEdge"}
WARNING_SIGN = "\u26a0"
GREY = "#555555"
MARK_COLOUR = "#000000"
#: Half-length of the calibration scales and crosshairs.
CALIBRATION_REACH_MM = 10.0


@dataclass(frozen=True)
class Block:
    """One paragraph of a card side: a step, a phrase, a warning, a heading or the source."""

    role: str
    text: str
    bullet: str = ""
    #: Which field of the technique it shows, for messages ("steps[3]").
    field: str = ""


@dataclass(frozen=True)
class CardSide:
    size: float
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Card:
    technique_id: str
    title: str
    icons: tuple[str, ...]
    colour: str
    part: int
    parts: int
    front: CardSide
    back: CardSide

    @property
    def marker(self) -> str:
        return f"{self.part}/{self.parts}" if self.parts > 1 else ""


@dataclass(frozen=True)
class Placement:
    """One side of one card drawn on a page."""

    card: int
    side: str
    rect: Rect

    @property
    def safe(self) -> Rect:
        return self.rect.inset(SAFE_INSET_MM * MM)


@dataclass(frozen=True)
class PagePlan:
    #: "front", "back", "fold" (fronts and backs side by side), "calibration-front", "calibration-back".
    kind: str
    sheet_number: int
    placements: tuple[Placement, ...]
    #: Slots used on this sheet: their cut marks are drawn (front and fold pages only).
    slots: tuple[int, ...]


@dataclass(frozen=True)
class CardPlan:
    sheet: SheetLayout
    cards: tuple[Card, ...]
    pages: tuple[PagePlan, ...]
    back_offset: tuple[float, float]
    warnings: tuple[str, ...]


def write_cards(library: Library, out_dir: Path, options: BuildOptions) -> WriteResult:
    plan = plan_cards(library, options)
    target = out_dir / FILE_NAME
    with atomic_output(target) as temporary:
        draw_plan(plan, library, temporary)
    sheets = max((page.sheet_number for page in plan.pages), default=0)
    summary = (
        f"{len(plan.cards)} cards for {len(library.techniques)} techniques, {options.card_size} on "
        f"{options.paper}, {sheets} sheet(s), {len(plan.pages)} page(s), duplex {options.duplex}"
    )
    return WriteResult("cards", (target,), summary, plan.warnings)


# Fitting text onto cards ------------------------------------------------------------------


class _DoesNotFit(Exception):
    def __init__(self, block: Block | None) -> None:
        self.block = block


def plan_cards(library: Library, options: BuildOptions) -> CardPlan:
    """Fit every technique onto cards in handbook order and place the cards on sheets."""
    register_fonts()
    sheet = layout_sheet(options.paper, options.card_size, options.duplex, options.back_offset_mm)
    safe = Rect(0, 0, sheet.card_width, sheet.card_height).inset(SAFE_INSET_MM * MM)
    cards: list[Card] = []
    warnings: list[str] = []
    for technique in library.ordered_techniques():
        technique_cards = fit_technique(technique, library, options.card_size, safe.width, safe.height)
        if len(technique_cards) > 1:
            warnings.append(
                f"{technique.id} ({technique.title}) does not fit one {options.card_size} card even at "
                f"{MIN_SIZE:g} pt: continued on {len(technique_cards)} cards"
            )
        cards += technique_cards
    pages = _pages(sheet, len(cards), options.calibration)
    if options.calibration and not sheet.has_back_page:
        warnings.append(f"--calibration is for two-sided printing; left out with --duplex {options.duplex}")
    return CardPlan(sheet, tuple(cards), pages, options.back_offset_mm, tuple(warnings))


def _sizes(card_size: str) -> list[float]:
    start = START_SIZES.get(card_size, 9.0)
    count = int(round((start - MIN_SIZE) / SIZE_STEP))
    return [start - i * SIZE_STEP for i in range(count + 1)]


def front_blocks(technique: Technique) -> list[Block]:
    return [
        Block("step", item.text, f"{number}.", f"steps[{number - 1}]")
        for number, item in enumerate(technique.steps, start=1)
    ]


def back_blocks(technique: Technique, follow_ups: bool) -> list[Block]:
    blocks: list[Block] = []
    sections = [("key_phrases", "phrase", "\u2022")]
    if follow_ups:
        sections.append(("follow_up_questions", "phrase", "?"))
    sections.append(("warnings", "warning", WARNING_SIGN))
    for name, role, bullet in sections:
        items = technique.items(name)
        if items:
            blocks.append(Block("heading", SECTION_TITLES[name], field=name))
            blocks += [Block(role, item.text, bullet, f"{name}[{i}]") for i, item in enumerate(items)]
    blocks += [Block("source", source, field=f"sources[{i}]") for i, source in enumerate(technique.sources)]
    return blocks


def fit_technique(technique: Technique, library: Library, card_size: str, width: float, height: float) -> list[Card]:
    """The technique's cards: the largest type that fits, else continuation cards, else an error."""
    sizes = _sizes(card_size)
    front = front_blocks(technique)
    back = back_blocks(technique, follow_ups=False)
    title = technique.title
    try:
        parts = max(
            len(_paginate(front, MIN_SIZE, title, "front", width, height)),
            len(_paginate(back, MIN_SIZE, title, "back", width, height)),
        )
    except _DoesNotFit as exc:
        field = exc.block.field if exc.block else "title"
        problem = Problem(
            technique.path or technique.id,
            technique.line_of_text(field),
            field,
            f"too long for a {card_size} pocket card even at {MIN_SIZE:g} pt (technique '{technique.id}', "
            f"{title}); shorten it or choose a larger --card-size",
        )
        raise ExporterError(str(problem)) from exc
    if parts > 1:
        # One type size for every card of a continued technique, so the set reads as one.
        sizes = [_common_size(front, back, sizes, parts, title, width, height)]
    front_size, front_pages = _largest_fit(front, sizes, parts, title, "front", width, height)
    back_size, back_pages = _largest_fit(back, sizes, parts, title, "back", width, height)
    if technique.follow_up_questions:
        fuller = back_blocks(technique, follow_ups=True)
        allowed = [s for s in sizes if s >= back_size - OPTIONAL_SHRINK]
        try:
            back_size, back_pages = _largest_fit(fuller, allowed, parts, title, "back", width, height)
        except _DoesNotFit:
            pass
    categories = [library.category(name) for name in technique.categories]
    return [
        Card(
            technique_id=technique.id,
            title=title,
            icons=tuple(c.icon for c in categories if c.icon),
            colour=categories[0].colour if categories else "#4a6fa5",
            part=index + 1,
            parts=parts,
            front=CardSide(front_size, tuple(front_pages[index]) if index < len(front_pages) else ()),
            back=CardSide(back_size, tuple(back_pages[index]) if index < len(back_pages) else ()),
        )
        for index in range(parts)
    ]


def _common_size(
    front: list[Block], back: list[Block], sizes: list[float], parts: int, title: str, width: float, height: float
) -> float:
    """The largest size at which both sides fit on `parts` cards."""
    for size in sizes:
        try:
            if all(
                len(_paginate(blocks, size, title, side, width, height)) <= parts
                for blocks, side in ((front, "front"), (back, "back"))
            ):
                return size
        except _DoesNotFit:
            continue
    return MIN_SIZE


def _largest_fit(
    blocks: list[Block], sizes: list[float], parts: int, title: str, side: str, width: float, height: float
) -> tuple[float, list[list[Block]]]:
    """The largest size (sizes run large to small) at which the blocks fit on `parts` cards.

    Smaller type never needs more cards, so a binary search finds it in a few layouts.
    """

    def attempt(index: int) -> list[list[Block]] | None:
        try:
            pages = _paginate(blocks, sizes[index], title, side, width, height)
        except _DoesNotFit:
            return None
        return pages if len(pages) <= parts else None

    best_index = len(sizes) - 1
    best = attempt(best_index)
    if best is None:
        raise _DoesNotFit(None)
    low, high = 0, best_index - 1
    while low <= high:
        middle = (low + high) // 2
        pages = attempt(middle)
        if pages is None:
            low = middle + 1
        else:
            best_index, best = middle, pages
            high = middle - 1
    return sizes[best_index], best


def _paginate(
    blocks: list[Block], size: float, title: str, side: str, width: float, height: float
) -> list[list[Block]]:
    """Blocks split into cards at this size; a heading never ends a card."""
    capacity = height - header_height(title, side, size, width) - bottom_pad(size)
    if capacity <= 0:
        raise _DoesNotFit(Block("title", title, field="title"))
    heights = [block_height(block, size, width) for block in blocks]
    pages: list[list[Block]] = [[]]
    used = 0.0
    for index, block in enumerate(blocks):
        need = heights[index]
        if block.role == "heading" and index + 1 < len(blocks):
            need += gap_before(blocks[index + 1], size) + heights[index + 1]
        if pages[-1] and used + gap_before(block, size) + need > capacity:
            pages.append([])
            used = 0.0
        if not pages[-1] and need > capacity:
            raise _DoesNotFit(blocks[index + 1] if block.role == "heading" else block)
        if pages[-1]:
            used += gap_before(block, size)
        used += heights[index]
        pages[-1].append(block)
    return pages if pages[-1] else pages[:-1]


def gap_before(block: Block, size: float) -> float:
    return {"heading": 0.7, "source": 0.6}.get(block.role, 0.3) * size


def bottom_pad(size: float) -> float:
    """Room under the last line for descenders that reach below the line's leading."""
    return 0.25 * size


def meta_height(size: float) -> float:
    return 1.3 * size


def rule_gap(size: float) -> float:
    return 0.5 * size


@lru_cache(maxsize=65536)
def header_height(title: str, side: str, size: float, width: float) -> float:
    _, height = title_paragraph(title, side, size).wrap(width, 1e6)
    return float(height) + meta_height(size) + rule_gap(size)


@lru_cache(maxsize=65536)
def block_height(block: Block, size: float, width: float) -> float:
    """Height of the block's paragraph; raises _DoesNotFit if a line would stick out sideways."""
    paragraph = block_paragraph(block, size)
    _, height = paragraph.wrap(width, 1e6)
    widths = [*paragraph.getActualLineWidths0(), *drawn_line_widths(paragraph)]
    if widths and max(widths) > width + 0.01:
        raise _DoesNotFit(block)
    return float(height)


def drawn_line_widths(paragraph: Paragraph) -> list[float]:
    """Each wrapped line's width as it will be drawn, indent included.

    ReportLab's own line widths skip the space before a word of zero width (a combining mark
    standing alone), so a line can be drawn wider than it measured; this sums what is drawn.
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    style = paragraph.style
    lines = paragraph.blPara.lines
    if paragraph.blPara.kind == 0:
        drawn = [stringWidth(" ".join(words), style.fontName, style.fontSize) for _, words in lines]
    else:
        drawn = [sum(stringWidth(f.text, f.fontName, f.fontSize) for f in line.words) for line in lines]
    return [float(style.leftIndent + width) for width in drawn]


def _small(size: float) -> float:
    return max(6.0, size - 1.5)


def title_paragraph(title: str, side: str, size: float) -> Paragraph:
    from exporter.pdf.paragraphs import Paragraph

    role = "title" if side == "front" else "back-title"
    return Paragraph(para_text(title), paragraph_style(role, size))


def block_paragraph(block: Block, size: float) -> Paragraph:
    from exporter.pdf.paragraphs import Paragraph

    style = paragraph_style(block.role, size, "99." if block.role == "step" else block.bullet)
    return Paragraph(para_text(block.text), style, bulletText=block.bullet or None)


@cache
def paragraph_style(role: str, size: float, bullet: str = "") -> ParagraphStyle:
    """The style of one kind of card text; text is indented past its widest bullet."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register_fonts()
    font = {"title": BOLD, "back-title": BOLD, "heading": BOLD, "phrase": ITALIC}.get(role, REGULAR)
    font_size = {"title": size * 1.15, "heading": size * 0.9, "source": _small(size)}.get(role, size)
    bullet_font = BOLD if role == "step" else REGULAR
    # ReportLab wants 0.6 em after a bullet; less pushes the first line right of the others.
    indent = stringWidth(bullet, bullet_font, font_size) + 0.7 * font_size if bullet else 0.0
    return ParagraphStyle(
        f"card-{role}-{size:g}",
        fontName=font,
        fontSize=font_size,
        leading=font_size * 1.2,
        textColor=HexColor(GREY) if role in ("heading", "source") else HexColor("#000000"),
        leftIndent=indent,
        bulletIndent=0,
        bulletFontName=bullet_font,
        bulletFontSize=font_size,
        splitLongWords=1,
        spaceShrinkage=0,
        hyphenationLang="",
        allowWidows=1,
        allowOrphans=1,
    )


def _pages(sheet: SheetLayout, card_count: int, calibration: bool) -> tuple[PagePlan, ...]:
    pages: list[PagePlan] = []
    if calibration and sheet.has_back_page:
        pages += [PagePlan("calibration-front", 0, (), ()), PagePlan("calibration-back", 0, (), ())]
    per_sheet = sheet.cards_per_sheet
    for number, first in enumerate(range(0, card_count, per_sheet), start=1):
        cards = range(first, min(first + per_sheet, card_count))
        slots = tuple(card - first for card in cards)
        fronts = tuple(Placement(card, "front", sheet.fronts[card - first]) for card in cards)
        backs = tuple(Placement(card, "back", sheet.backs[card - first]) for card in cards) if sheet.backs else ()
        if sheet.duplex == "fold":
            pages.append(PagePlan("fold", number, fronts + backs, slots))
        else:
            pages.append(PagePlan("front", number, fronts, slots))
            if sheet.has_back_page:
                pages.append(PagePlan("back", number, backs, ()))
    return tuple(pages)


# Drawing -----------------------------------------------------------------------------------


def draw_plan(plan: CardPlan, library: Library, path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    register_fonts()
    sheet = plan.sheet
    canvas = Canvas(
        str(path),
        pagesize=(sheet.width, sheet.height),
        invariant=1,
        pageCompression=1,
        initialFontName=REGULAR,
        initialFontSize=9,
    )
    canvas.setTitle(f"{library.title} \u2014 pocket cards")
    canvas.setAuthor(library.organisation or library.title)
    canvas.setSubject("Pocket cards")
    canvas.setCreator("exporter")
    canvas.setViewerPreference("PrintScaling", "None")
    canvas.setViewerPreference("Duplex", DUPLEX_PREFERENCE.get(sheet.duplex, "Simplex"))
    sheets = max((page.sheet_number for page in plan.pages), default=0)
    for page in plan.pages:
        if page.kind == "calibration-front":
            draw_calibration_front(canvas, sheet)
        elif page.kind == "calibration-back":
            draw_calibration_back(canvas, sheet, plan.back_offset)
        else:
            for placement in page.placements:
                draw_card_side(canvas, plan.cards[placement.card], placement)
            if page.kind in ("front", "fold"):
                draw_marks(canvas, sheet, page.slots)
                draw_legend(canvas, sheet, f"sheet {page.sheet_number} of {sheets}")
        canvas.showPage()
    canvas.save()


def draw_text(canvas: Canvas, x: float, y: float, text: str, size: float, font: str = REGULAR) -> float:
    """Draw text at a baseline with the fallback fonts where needed; return the width drawn."""
    return canvas_text.draw_text(canvas, x, y, text, size, font)


def text_width(text: str, size: float, font: str = REGULAR) -> float:
    return canvas_text.text_width(text, size, font)


def draw_card_side(canvas: Canvas, card: Card, placement: Placement) -> None:
    from reportlab.lib.colors import HexColor

    safe = placement.safe
    side = card.front if placement.side == "front" else card.back
    size = side.size
    title = title_paragraph(card.title, placement.side, size)
    _, height = title.wrap(safe.width, 1e6)
    title.drawOn(canvas, safe.x, safe.top - height)
    cursor = safe.top - height

    small = _small(size)
    baseline = cursor - meta_height(size) + 0.3 * size
    canvas.setFillColor(HexColor(card.colour))
    if placement.side == "front" and card.icons:
        draw_text(canvas, safe.x, baseline, " ".join(card.icons), size)
    canvas.setFillColor(HexColor(GREY))
    if card.marker:
        draw_text(canvas, safe.right - text_width(card.marker, small, BOLD), baseline, card.marker, small, BOLD)
    cursor -= meta_height(size)
    canvas.setStrokeColor(HexColor(card.colour))
    canvas.setLineWidth(0.8)
    canvas.line(safe.x, cursor - 0.15 * size, safe.right, cursor - 0.15 * size)
    cursor -= rule_gap(size)
    canvas.setFillColor(HexColor("#000000"))

    flow = [b for b in side.blocks if b.role != "source"]
    for index, block in enumerate(flow):
        if index:
            cursor -= gap_before(block, size)
        paragraph = block_paragraph(block, size)
        _, height = paragraph.wrap(safe.width, 1e6)
        paragraph.drawOn(canvas, safe.x, cursor - height)
        cursor -= height
    bottom = safe.y + bottom_pad(size)
    for block in reversed([b for b in side.blocks if b.role == "source"]):
        paragraph = block_paragraph(block, size)
        _, height = paragraph.wrap(safe.width, 1e6)
        paragraph.drawOn(canvas, safe.x, bottom)
        bottom += height + gap_before(block, size)


def _stroke(canvas: Canvas, lines: tuple[Line, ...] | list[Line]) -> None:
    for line in lines:
        canvas.line(line.x0, line.y0, line.x1, line.y1)


def draw_marks(canvas: Canvas, sheet: SheetLayout, slots: tuple[int, ...]) -> None:
    from reportlab.lib.colors import HexColor

    canvas.setStrokeColor(HexColor(MARK_COLOUR))
    canvas.setLineWidth(0.25)
    for slot in slots:
        _stroke(canvas, sheet.cut_marks[slot])
    if sheet.fold_marks:
        canvas.setDash(2, 1.5)
        for slot in slots:
            _stroke(canvas, sheet.fold_marks[slot])
        canvas.setDash()


def draw_legend(canvas: Canvas, sheet: SheetLayout, note: str) -> None:
    """The 50 mm ruler and the "print at 100%" line in the band at the bottom of the sheet."""
    from reportlab.lib.colors import HexColor

    band = sheet.legend
    x0, y0 = band.x, band.y + 1.0 * MM
    canvas.setStrokeColor(HexColor("#000000"))
    canvas.setLineWidth(0.3)
    canvas.line(x0, y0, x0 + RULER_MM * MM, y0)
    for mm in range(int(RULER_MM) + 1):
        tick = 3.0 if mm % 10 == 0 else 2.0 if mm % 5 == 0 else 1.0
        canvas.line(x0 + mm * MM, y0, x0 + mm * MM, y0 + tick * MM)
    size = 6.5
    canvas.setFillColor(HexColor("#000000"))
    text = (
        f"This ruler must measure {RULER_MM:g} mm. Print at 100% (\u201cactual size\u201d), "
        "never \u201cfit to page\u201d. Cut along the marks."
    )
    draw_text(canvas, x0 + (RULER_MM + 3) * MM, y0, text, size)
    draw_text(canvas, band.right - text_width(note, size), y0, note, size)


# Calibration sheet ------------------------------------------------------------------------


def calibration_points(sheet: SheetLayout) -> list[tuple[float, float]]:
    """Crosshair centres on the calibration front: the middle and four points around it."""
    cx, cy = sheet.width / 2, sheet.height / 2
    dx, dy = sheet.width / 4, sheet.height / 4
    return [(cx, cy), (cx - dx, cy + dy), (cx + dx, cy + dy), (cx - dx, cy - dy), (cx + dx, cy - dy)]


def calibration_scale_centres(sheet: SheetLayout, back_offset_mm: tuple[float, float]) -> list[tuple[float, float]]:
    """Where the zero of each scale on the calibration back is drawn (offset included)."""
    ox, oy = back_offset_mm[0] * MM, back_offset_mm[1] * MM
    centres = []
    for x, y in calibration_points(sheet):
        bx, by = back_point(x, y, sheet.width, sheet.height, sheet.duplex)
        centres.append((bx + ox, by + oy))
    return centres


def _draw_paragraphs(canvas: Canvas, sheet: SheetLayout, texts: list[str], top: float) -> None:
    from exporter.pdf.paragraphs import Paragraph

    x = sheet.printable.x + 3 * MM
    width = min(sheet.printable.width - 6 * MM, 150 * MM)
    for index, text in enumerate(texts):
        style = paragraph_style("back-title" if index == 0 else "text", 9.0)
        paragraph = Paragraph(para_text(text), style)
        _, height = paragraph.wrap(width, 1e6)
        paragraph.drawOn(canvas, x, top - height)
        top -= height + 3


def draw_calibration_front(canvas: Canvas, sheet: SheetLayout) -> None:
    reach = CALIBRATION_REACH_MM * MM
    canvas.setLineWidth(0.3)
    for x, y in calibration_points(sheet):
        canvas.line(x - reach, y, x + reach, y)
        canvas.line(x, y - reach, x, y + reach)
        canvas.circle(x, y, 2 * MM)
    _draw_paragraphs(
        canvas,
        sheet,
        [
            "Duplex calibration sheet \u2014 front",
            "Print this page and the next one on the two sides of one sheet, at 100%, with the same "
            "two-sided setting you use for the cards. Hold the printed sheet against a window or lamp "
            "and look at the back: the crosses printed on this side shine through.",
        ],
        sheet.printable.top - 3 * MM,
    )
    draw_legend(canvas, sheet, "calibration sheet, front")


def draw_calibration_back(canvas: Canvas, sheet: SheetLayout, back_offset_mm: tuple[float, float]) -> None:
    reach = CALIBRATION_REACH_MM
    canvas.setLineWidth(0.3)
    for x, y in calibration_scale_centres(sheet, back_offset_mm):
        canvas.line(x - reach * MM, y, x + reach * MM, y)
        canvas.line(x, y - reach * MM, x, y + reach * MM)
        for half in range(-2 * int(reach), 2 * int(reach) + 1):
            at = half / 2 * MM
            tick = (2.0 if half % 10 == 0 else 1.4 if half % 2 == 0 else 0.7) * MM
            canvas.line(x + at, y, x + at, y - tick)
            canvas.line(x, y + at, x - tick, y + at)
            if half % 10 == 0 and half:
                label = f"{half // 2:+d}"
                draw_text(canvas, x + at - text_width(label, 5) / 2, y - 2.0 * MM - 5.5, label, 5)
                draw_text(canvas, x - 2.3 * MM - text_width(label, 5), y + at - 1.8, label, 5)
        draw_text(canvas, x + (reach + 1) * MM, y - 2, "X", 7, BOLD)
        draw_text(canvas, x - 2, y + (reach + 1) * MM, "Y", 7, BOLD)
    offset = f"{back_offset_mm[0]:g} {back_offset_mm[1]:g}"
    _draw_paragraphs(
        canvas,
        sheet,
        [
            "Duplex calibration sheet \u2014 back",
            "Look at this side against the light. Where the vertical line of a front cross meets the "
            "X scale, read X; where its horizontal line meets the Y scale, read Y (millimetres). "
            f"This sheet was printed with --back-offset {offset}. Add X and Y to those numbers and "
            "use the result as --back-offset X Y. If every cross sits on 0, your printer needs no offset.",
        ],
        sheet.printable.top - 3 * MM,
    )
