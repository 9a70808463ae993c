"""Drawing a card plan on sheets: card sides where the imposition puts them, cut marks, the ruler.

Everything a side shows was measured and placed by exporter.writers.cards.plan; this module only turns
those positions into PDF operators (and draws the calibration sheet).
"""

from __future__ import annotations

import re
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from exporter.labels import Labels
from exporter.model import Library
from exporter.pdf.glyphs.embedding import seed_fonts
from exporter.pdf.glyphs.fonts import BOLD, REGULAR, register_fonts
from exporter.pdf.lines.bidi import base_is_rtl
from exporter.pdf.lines.runs import draw_left_lines, draw_text, fit_text
from exporter.pdf.pages.part_cache import PartCache
from exporter.pdf.pages.saving import save_compact
from exporter.pdf.pages.styles import MUTED, WARNING_INK, WARNING_RULE, WARNING_TINT
from exporter.pdf.pages.subsets import FontSeed, library_seed
from exporter.pdf.tagging.marking import artifact, content, start_tagging, stop_tagging, tree_of
from exporter.pdf.tagging.structure import Element
from exporter.pdf.tagging.writing import finish_document
from exporter.writers.cards.blocks import BOX_BAR, MIN_SIZE, CardSide, SetBlock, meta_height, rule_gap, small_size
from exporter.writers.cards.lines import LineSetter
from exporter.writers.cards.plan import CardPlan, PagePlan, Placement
from exporter.writers.cards.sheet import MM, RULER_MM, Line, SheetLayout, back_point
from exporter.writers.cards.sheet_replay import SheetPages, page_key

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

DUPLEX_PREFERENCE = {"long-edge": "DuplexFlipLongEdge", "short-edge": "DuplexFlipShortEdge"}
MARK_COLOUR = "#000000"
#: Half-length of the calibration scales and crosshairs.
CALIBRATION_REACH_MM = 10.0
#: The ruler note, sheet numbers and calibration labels: the smallest readable size.
NOTE_SIZE = MIN_SIZE
LEGEND_LEADING = 8.0


def draw_plan(
    plan: CardPlan, library: Library, path: Path, cache: PartCache | None = None, seed: FontSeed | None = None
) -> None:
    """Draw plan's pages into path; with a cache, pages recorded by an earlier build are
    replayed and the others recorded (exporter.writers.cards.sheet_replay)."""
    from reportlab.pdfbase import pdfdoc
    from reportlab.pdfgen.canvas import Canvas

    register_fonts()
    labels = library.labels()
    sheet = plan.sheet
    canvas = Canvas(
        str(path),
        pagesize=(sheet.width, sheet.height),
        invariant=1,
        pageCompression=1,
        initialFontName=REGULAR,
        initialFontSize=9,
    )
    canvas.setTitle(labels("cards.document_title", library=library.title))
    canvas.setAuthor(library.organisation or library.title)
    canvas.setSubject(labels("cards.document_subject"))
    canvas.setCreator("exporter")
    canvas.setViewerPreference("PrintScaling", "None")
    canvas.setViewerPreference("DisplayDocTitle", "true")
    canvas._doc.Catalog.Lang = pdfdoc.PDFString(library.language or "en")
    tree = start_tagging(canvas, library.language or "en")
    # Every glyph's code fixed before the first page: a page's bytes depend on it alone.
    seed_fonts(library_seed(library) if seed is None else seed, canvas._doc)
    # One section per card, in the cards' order; its front's content comes before its back's.
    sections = [tree.child(tree.root, "Sect") for _ in range(len(plan.cards))]
    pages = SheetPages(canvas, tree, sections, cache, path.parent)
    try:
        canvas.setViewerPreference("Duplex", DUPLEX_PREFERENCE.get(sheet.duplex, "Simplex"))
        sheets = max((page.sheet_number for page in plan.pages), default=0)
        for page in plan.pages:
            pages.page(page_key(plan, page, sheets), partial(draw_page, canvas, plan, page, sections, labels, sheets))
        finish_document(canvas, labels("cards.document_title", library=library.title))
        save_compact(canvas, path)
    finally:
        pages.close()
        stop_tagging(canvas)


def draw_page(
    canvas: Canvas, plan: CardPlan, page: PagePlan, sections: list[Element], labels: Labels, sheets: int
) -> None:
    """One page of the plan: calibration, or card sides with their cut marks and legend."""
    sheet = plan.sheet
    if page.kind == "calibration-front":
        with artifact(canvas):
            draw_calibration_front(canvas, sheet, labels)
    elif page.kind == "calibration-back":
        with artifact(canvas):
            draw_calibration_back(canvas, sheet, plan.back_offset, labels)
    else:
        for placement in page.placements:
            draw_card_side(canvas, plan, placement, sections[placement.card])
        if page.kind in ("front", "fold"):
            with artifact(canvas):
                draw_marks(canvas, sheet, page.slots)
                draw_legend(canvas, sheet, labels, labels("cards.sheet", number=page.sheet_number, total=sheets))


def draw_card_side(canvas: Canvas, plan: CardPlan, placement: Placement, section: Element | None = None) -> None:
    from reportlab.lib.colors import HexColor

    card = plan.cards[placement.card]
    side = card.front if placement.side == "front" else card.back
    if side.empty:
        return  # a technique of one short step and nothing else: a blank back, not a lone title
    safe = placement.safe
    size = side.size
    top = safe.top
    # A Hebrew or Arabic title: the card reads from the right (icons right, part marker left).
    rtl = base_is_rtl(card.title)
    if side.title is not None:
        canvas.setFillColor(HexColor("#000000"))
        # The back repeats the front's title: read once, with the front.
        tree = tree_of(canvas)
        title = None if section is None or tree is None or placement.side == "back" else tree.child(section, "H1")
        if title is not None and tree is not None and rtl:
            tree.describe(title, card.title, "")
        with content(canvas, title) if title is not None else artifact(canvas):
            draw_lines(canvas, side.title, safe.x, top, safe.width)
        top -= side.title.height
    if side.meta_row:
        baseline = top - meta_height(size) + 0.35 * size
        if placement.side == "front" and card.icons:
            canvas.setFillColor(HexColor(card.colour))
            icons = " ".join(card.icons)
            # The icons repeat the categories the card's chapter names: decoration here.
            with artifact(canvas):
                draw_text(
                    canvas, safe.right if rtl else safe.x, baseline, icons, size, align="right" if rtl else "left"
                )
        if card.marker:
            canvas.setFillColor(MUTED)
            marker_x, marker_align = (safe.x, "left") if rtl else (safe.right, "right")
            with artifact(canvas):
                draw_text(canvas, marker_x, baseline, card.marker, small_size(size), BOLD, align=marker_align)
        top -= meta_height(size)
    with artifact(canvas):
        canvas.setStrokeColor(HexColor(card.colour))
        canvas.setLineWidth(0.8)
        canvas.line(safe.x, top - 0.15 * size, safe.right, top - 0.15 * size)
    top -= rule_gap(size)
    draw_columns(canvas, side, safe.x, top, section)


def draw_columns(canvas: Canvas, side: CardSide, left: float, top: float, section: Element | None = None) -> None:
    for number, column in enumerate(side.columns):
        x = left + number * (side.column_width + side.column_gap)
        for placed in column:
            role = "H2" if placed.set_block.block.role == "heading" else "P"
            tree = tree_of(canvas)
            element = None if section is None or tree is None else tree.child(section, role)
            block = placed.set_block.block
            if element is not None and tree is not None and base_is_rtl(block.text):
                tree.describe(element, " ".join(f"{block.bullet or ''} {block.text}".split()), "")
            draw_block(canvas, placed.set_block, x, top - placed.top, side.column_width, element)


def draw_block(
    canvas: Canvas, set_block: SetBlock, x: float, top: float, width: float, element: Element | None = None
) -> None:
    from reportlab.lib.colors import HexColor

    role = set_block.block.role
    width = set_block.box_width or width
    rtl = base_is_rtl(set_block.block.text)
    if set_block.box_width:
        box_bottom = top - set_block.height
        with artifact(canvas):
            canvas.setFillColor(WARNING_TINT)
            canvas.rect(x, box_bottom, set_block.box_width, set_block.height, stroke=0, fill=1)
            canvas.setFillColor(WARNING_RULE)
            bar = BOX_BAR * set_block.size
            canvas.rect(x + width - bar if rtl else x, box_bottom, bar, set_block.height, stroke=0, fill=1)
    colour = WARNING_INK if role == "warning" else MUTED if role in ("heading", "source") else HexColor("#000000")
    canvas.setFillColor(colour)
    with content(canvas, element):
        _draw_block_text(canvas, set_block, x, top, width, rtl)


def _draw_block_text(canvas: Canvas, set_block: SetBlock, x: float, top: float, width: float, rtl: bool) -> None:
    role = set_block.block.role
    if set_block.block.bullet:
        face = BOLD if role == "step" else REGULAR
        baseline = top - set_block.first_baseline
        if rtl:
            draw_text(canvas, x + width - set_block.bullet_x, baseline, set_block.block.bullet, set_block.size, face,
                      align="right", rtl=True)  # fmt: skip
        else:
            draw_text(canvas, x + set_block.bullet_x, baseline, set_block.block.bullet, set_block.size, face)
    draw_lines(canvas, set_block, x, top, width)


def draw_lines(canvas: Canvas, set_block: SetBlock, x: float, top: float, width: float) -> None:
    """The block's lines; Hebrew or Arabic text is mirrored in its width: right-aligned, right to left."""
    baseline = top - set_block.first_baseline
    if not base_is_rtl(set_block.block.text):
        draw_left_lines(canvas, x + set_block.text_x, baseline, set_block.lines, set_block.size,
                        set_block.leading, set_block.face)  # fmt: skip
        return
    for line in set_block.lines:
        draw_text(canvas, x + width - set_block.text_x, baseline, line, set_block.size, set_block.face,
                  align="right", rtl=True)  # fmt: skip
        baseline -= set_block.leading


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


def draw_legend(canvas: Canvas, sheet: SheetLayout, labels: Labels, note: str, cut_note: bool = True) -> None:
    """The 50 mm ruler and the "print at 100%" line in the band at the bottom of the sheet, and
    "Cut along the marks." where the sheet has marks (not on the calibration sheet)."""
    from reportlab.lib.colors import HexColor

    band = sheet.legend
    x0, y0 = band.x, band.y + 1.0 * MM
    canvas.setStrokeColor(HexColor("#000000"))
    canvas.setLineWidth(0.3)
    canvas.line(x0, y0, x0 + RULER_MM * MM, y0)
    for mm in range(int(RULER_MM) + 1):
        tick = 3.0 if mm % 10 == 0 else 2.0 if mm % 5 == 0 else 1.0
        canvas.line(x0 + mm * MM, y0, x0 + mm * MM, y0 + tick * MM)
    canvas.setFillColor(HexColor("#000000"))
    start = x0 + (RULER_MM + 3) * MM
    note_width = draw_text(canvas, band.right, y0, note, NOTE_SIZE, align="right")
    room = band.right - note_width - 3 * MM - start
    setter = LineSetter(labels.language)
    check = list(setter.lines(labels("cards.ruler_check", length=f"{RULER_MM:g}"), REGULAR, NOTE_SIZE, room))
    lines: tuple[str, ...] = tuple(check)
    if cut_note:
        cut = labels("cards.cut_along_marks")
        # The cut note follows the check on its last line, or starts a line of its own.
        joined = f"{check[-1]} {cut}"
        lines = (*check[:-1], joined) if setter.width(joined, REGULAR, NOTE_SIZE) <= room else (*check, cut)
    # Two lines fit the band above the ruler's baseline; a longer note is shortened.
    if len(lines) > 2:
        lines = (lines[0], fit_text(" ".join(lines[1:]), NOTE_SIZE, room))
    # Hebrew or Arabic lines are set flush right, as their language reads.
    rtl = base_is_rtl(lines[0])
    for number, line in enumerate(lines):
        y = y0 + (len(lines) - 1 - number) * LEGEND_LEADING
        draw_text(canvas, start + room if rtl else start, y, line, NOTE_SIZE, align="right" if rtl else "left", rtl=rtl)


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


def _draw_paragraphs(canvas: Canvas, sheet: SheetLayout, labels: Labels, texts: list[str], top: float) -> None:
    setter = LineSetter(labels.language)
    x = sheet.printable.x + 3 * MM
    width = min(sheet.printable.width - 6 * MM, 150 * MM)
    for index, text in enumerate(texts):
        face, size = (BOLD, 11.0) if index == 0 else (REGULAR, 9.0)
        baseline = top - size
        rtl = base_is_rtl(text)
        for line in setter.lines(text, face, size, width):
            draw_text(canvas, x + width if rtl else x, baseline, line, size, face, "right" if rtl else "left", rtl)
            baseline -= 1.3 * size
        top = baseline - 0.3 * size


def draw_calibration_front(canvas: Canvas, sheet: SheetLayout, labels: Labels) -> None:
    reach = CALIBRATION_REACH_MM * MM
    canvas.setLineWidth(0.3)
    for x, y in calibration_points(sheet):
        canvas.line(x - reach, y, x + reach, y)
        canvas.line(x, y - reach, x, y + reach)
        canvas.circle(x, y, 2 * MM)
    texts = [labels("cards.calibration_front_title"), labels("cards.calibration_front_text")]
    _draw_paragraphs(canvas, sheet, labels, texts, sheet.printable.top - 3 * MM)
    draw_legend(canvas, sheet, labels, labels("cards.calibration_front_note"), cut_note=False)


def draw_calibration_back(
    canvas: Canvas, sheet: SheetLayout, back_offset_mm: tuple[float, float], labels: Labels
) -> None:
    reach = CALIBRATION_REACH_MM
    size = NOTE_SIZE
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
                # X numbers above the line, Y numbers left of it: they never meet near the centre.
                draw_text(canvas, x + at, y + 1.0 * MM, label, size, align="centre")
                draw_text(canvas, x - 2.3 * MM, y + at - size * 0.35, label, size, align="right")
        draw_text(canvas, x + (reach + 2.5) * MM, y - 3, "X", 8, BOLD)
        draw_text(canvas, x - 2, y + (reach + 1) * MM, "Y", 8, BOLD)
    offset = f"{back_offset_mm[0]:g} {back_offset_mm[1]:g}"
    text = _options_kept_whole(labels("cards.calibration_back_text", offset=offset))
    texts = [labels("cards.calibration_back_title"), text]
    _draw_paragraphs(canvas, sheet, labels, texts, sheet.printable.top - 3 * MM)


#: A command-line option and its values ("--back-offset 0 0", "--back-offset X Y").
_OPTION = re.compile(r"--[a-z][a-z-]*(?: (?:[XY]|[-+]?\d+(?:\.\d+)?)\b)*")


def _options_kept_whole(text: str) -> str:
    """text with each option joined to its values by no-break spaces: never split over lines."""
    return _OPTION.sub(lambda match: match.group(0).replace(" ", "\u00a0"), text)
