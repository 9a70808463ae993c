"""Where pocket cards go on a printed sheet: card sizes, grid, mirrored backs, cut marks.

Pure geometry in PDF points (origin bottom-left, y up); no ReportLab. The writer draws what
this module places, and the tests read the same records to check the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass

from exporter.errors import ExporterError
from exporter.options import CARD_SIZES, DUPLEX_MODES, PAPERS

MM = 72.0 / 25.4

PAPER_SIZES_MM: dict[str, tuple[float, float]] = {name: paper.size_mm for name, paper in PAPERS.items()}
#: Width x height of a card as it is read (index cards and business cards lie landscape).
CARD_SIZES_MM: dict[str, tuple[float, float]] = {name: size.size_mm for name, size in CARD_SIZES.items()}

#: Office printers cannot print this close to the sheet edge, so nothing goes there.
SHEET_MARGIN_MM = 5.0
#: Text stays this far inside the cut line, so a slightly crooked cut never touches it.
SAFE_INSET_MM = 3.0
MIN_GUTTER_MM = 2.5
MAX_GUTTER_MM = 8.0
#: Cut marks start this far from a card corner, so they never touch the card.
MARK_GAP_MM = 0.5
MAX_MARK_MM = 5.0
#: Band at the bottom of every front sheet for the 50 mm ruler and "print at 100%".
LEGEND_HEIGHT_MM = 6.0
RULER_MM = 50.0


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def top(self) -> float:
        return self.y + self.height

    def inset(self, distance: float) -> Rect:
        return Rect(self.x + distance, self.y + distance, self.width - 2 * distance, self.height - 2 * distance)

    def shifted(self, dx: float, dy: float) -> Rect:
        return Rect(self.x + dx, self.y + dy, self.width, self.height)

    def contains(self, x0: float, y0: float, x1: float, y1: float, tolerance: float = 0.0) -> bool:
        """Whether the box (x0, y0)-(x1, y1) lies inside this rectangle."""
        return (
            x0 >= self.x - tolerance
            and y0 >= self.y - tolerance
            and x1 <= self.right + tolerance
            and y1 <= self.top + tolerance
        )

    def touches_inside(self, line: Line) -> bool:
        """Whether a straight line passes through the interior of this rectangle."""
        if line.x0 == line.x1:
            low, high = sorted((line.y0, line.y1))
            return self.x < line.x0 < self.right and low < self.top and high > self.y
        low, high = sorted((line.x0, line.x1))
        return self.y < line.y0 < self.top and low < self.right and high > self.x


@dataclass(frozen=True)
class Line:
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class SheetLayout:
    """One sheet design, repeated for every sheet of the document.

    `fronts[k]` is slot k on the front page; `backs[k]` is where the back of that same card
    is drawn: on the back page for long-edge/short-edge, beside the front for fold.
    """

    paper: str
    card_size: str
    duplex: str
    width: float
    height: float
    printable: Rect
    legend: Rect
    card_width: float
    card_height: float
    columns: int
    rows: int
    gutter: float
    fronts: tuple[Rect, ...]
    backs: tuple[Rect, ...]
    #: Per slot: the cut marks around that card (or fold pair); drawn only for used slots.
    cut_marks: tuple[tuple[Line, ...], ...]
    #: Per slot, fold mode only: ticks showing where the pair is folded.
    fold_marks: tuple[tuple[Line, ...], ...]

    @property
    def portrait(self) -> bool:
        return self.height > self.width

    @property
    def cards_per_sheet(self) -> int:
        return len(self.fronts)

    @property
    def has_back_page(self) -> bool:
        return self.duplex in ("long-edge", "short-edge")


def card_size_points(card_size: str) -> tuple[float, float]:
    if card_size not in CARD_SIZES_MM:
        raise ExporterError(f"unknown card size {card_size!r}; choose from {', '.join(CARD_SIZES_MM)}")
    width, height = CARD_SIZES_MM[card_size]
    return width * MM, height * MM


def paper_size_points(paper: str) -> tuple[float, float]:
    if paper not in PAPER_SIZES_MM:
        raise ExporterError(f"unknown paper {paper!r}; choose from {', '.join(PAPER_SIZES_MM)}")
    width, height = PAPER_SIZES_MM[paper]
    return width * MM, height * MM


def mirrors_columns(duplex: str, portrait: bool) -> bool:
    """Whether the back page mirrors columns (else rows) for this flip and sheet orientation.

    The flip is about the sheet's physical long or short edge; on a landscape sheet the long
    edge runs across the page, so a long-edge flip there mirrors rows.
    """
    return (duplex == "long-edge") == portrait


def back_rect(front: Rect, page_width: float, page_height: float, duplex: str, offset: tuple[float, float]) -> Rect:
    """Where the back of a card goes on the back page so that it lands behind `front`."""
    portrait = page_height > page_width
    if mirrors_columns(duplex, portrait):
        mirrored = Rect(page_width - front.right, front.y, front.width, front.height)
    else:
        mirrored = Rect(front.x, page_height - front.top, front.width, front.height)
    return mirrored.shifted(*offset)


def back_point(x: float, y: float, page_width: float, page_height: float, duplex: str) -> tuple[float, float]:
    """The point on the back page behind (x, y) on the front page."""
    if mirrors_columns(duplex, page_height > page_width):
        return page_width - x, y
    return x, page_height - y


def _fit_count(available: float, unit: float, gutter: float) -> int:
    """How many units fit with a gutter between them and at both ends."""
    return max(0, int((available - gutter) // (unit + gutter)))


def _sheet_area(page_width: float, page_height: float) -> tuple[Rect, Rect, Rect]:
    """(printable area, legend band, area left for the card grid)."""
    margin = SHEET_MARGIN_MM * MM
    printable = Rect(margin, margin, page_width - 2 * margin, page_height - 2 * margin)
    legend = Rect(printable.x, printable.y, printable.width, LEGEND_HEIGHT_MM * MM)
    grid = Rect(printable.x, legend.top, printable.width, printable.height - legend.height)
    return printable, legend, grid


def layout_sheet(
    paper: str,
    card_size: str,
    duplex: str,
    back_offset_mm: tuple[float, float] = (0.0, 0.0),
) -> SheetLayout:
    """The card grid for this paper and card size, in the orientation that holds more cards."""
    if duplex not in DUPLEX_MODES:
        raise ExporterError(f"unknown duplex mode {duplex!r}; choose from {', '.join(DUPLEX_MODES)}")
    card_width, card_height = card_size_points(card_size)
    short, long = sorted(paper_size_points(paper))
    unit_width = card_width * (2 if duplex == "fold" else 1)
    min_gutter = MIN_GUTTER_MM * MM

    best: tuple[int, float, float, int, int] | None = None
    for page_width, page_height in ((short, long), (long, short)):
        _, _, grid = _sheet_area(page_width, page_height)
        columns = _fit_count(grid.width, unit_width, min_gutter)
        rows = _fit_count(grid.height, card_height, min_gutter)
        if best is None or columns * rows > best[0]:
            best = (columns * rows, page_width, page_height, columns, rows)
    assert best is not None
    count, page_width, page_height, columns, rows = best
    if count == 0:
        raise ExporterError(
            f"a {card_size} card{' pair (fold)' if duplex == 'fold' else ''} does not fit on {paper} paper "
            f"inside the {SHEET_MARGIN_MM:g} mm printer margin; choose a smaller --card-size"
        )

    printable, legend, grid = _sheet_area(page_width, page_height)
    gutter = min(
        MAX_GUTTER_MM * MM,
        (grid.width - columns * unit_width) / (columns + 1),
        (grid.height - rows * card_height) / (rows + 1),
    )
    grid_width = columns * unit_width + (columns - 1) * gutter
    grid_height = rows * card_height + (rows - 1) * gutter
    left = grid.x + (grid.width - grid_width) / 2
    top = grid.top - (grid.height - grid_height) / 2

    units = [
        Rect(
            left + column * (unit_width + gutter), top - (row + 1) * card_height - row * gutter, unit_width, card_height
        )
        for row in range(rows)
        for column in range(columns)
    ]
    fronts = tuple(Rect(u.x, u.y, card_width, card_height) for u in units)
    offset = (back_offset_mm[0] * MM, back_offset_mm[1] * MM)
    if duplex == "fold":
        backs = tuple(Rect(u.x + card_width, u.y, card_width, card_height) for u in units)
    elif duplex == "none":
        backs = ()
    else:
        backs = tuple(back_rect(f, page_width, page_height, duplex, offset) for f in fronts)

    bounds = Rect(printable.x, legend.top, printable.width, printable.top - legend.top)
    cut_marks = tuple(_corner_marks(unit, units, bounds) for unit in units)
    fold_marks = tuple(_fold_marks(unit, units, card_width, bounds) for unit in units) if duplex == "fold" else ()
    return SheetLayout(
        paper=paper,
        card_size=card_size,
        duplex=duplex,
        width=page_width,
        height=page_height,
        printable=printable,
        legend=legend,
        card_width=card_width,
        card_height=card_height,
        columns=columns,
        rows=rows,
        gutter=gutter,
        fronts=fronts,
        backs=backs,
        cut_marks=cut_marks,
        fold_marks=fold_marks,
    )


def _free_run(x: float, y: float, dx: float, dy: float, units: list[Rect], bounds: Rect) -> float:
    """How far one can go from (x, y) in direction (dx, dy) before a card or the bounds."""
    if dx:
        limit = bounds.right - x if dx > 0 else x - bounds.x
        for unit in units:
            if unit.y <= y <= unit.top:
                gap = unit.x - x if dx > 0 else x - unit.right
                if gap > 0:
                    limit = min(limit, gap)
    else:
        limit = bounds.top - y if dy > 0 else y - bounds.y
        for unit in units:
            if unit.x <= x <= unit.right:
                gap = unit.y - y if dy > 0 else y - unit.top
                if gap > 0:
                    limit = min(limit, gap)
    return limit


def _mark(x: float, y: float, dx: float, dy: float, units: list[Rect], bounds: Rect) -> Line | None:
    gap = MARK_GAP_MM * MM
    length = min(MAX_MARK_MM * MM, _free_run(x, y, dx, dy, units, bounds) - 2 * gap)
    if length <= 0:
        return None
    start = (x + dx * gap, y + dy * gap)
    return Line(start[0], start[1], start[0] + dx * length, start[1] + dy * length)


def _corner_marks(unit: Rect, units: list[Rect], bounds: Rect) -> tuple[Line, ...]:
    """Two short lines at each corner continuing the card's edges outward, off the card."""
    marks = []
    for x, y, dx, dy in (
        (unit.x, unit.top, -1, 0), (unit.x, unit.top, 0, 1),
        (unit.right, unit.top, 1, 0), (unit.right, unit.top, 0, 1),
        (unit.x, unit.y, -1, 0), (unit.x, unit.y, 0, -1),
        (unit.right, unit.y, 1, 0), (unit.right, unit.y, 0, -1),
    ):  # fmt: skip
        mark = _mark(x, y, dx, dy, units, bounds)
        if mark is not None:
            marks.append(mark)
    return tuple(marks)


def _fold_marks(unit: Rect, units: list[Rect], card_width: float, bounds: Rect) -> tuple[Line, ...]:
    """Ticks above and below a pair where it is folded (between its front and back)."""
    fold_x = unit.x + card_width
    marks = (_mark(fold_x, y, 0, dy, units, bounds) for y, dy in ((unit.top, 1), (unit.y, -1)))
    return tuple(mark for mark in marks if mark is not None)
