"""Planning pages before they are drawn: where each flowable lands, and how full the last page is.

`Pager` follows the rules of ReportLab's Frame (space before dropped at the top of a page,
space after and before overlapping, a flowable that does not fit is split or moved on), page
after page, without drawing anything. Paragraphs remember their line breaks (flowables.Para),
so when the document is then really laid out, no paragraph is broken into lines twice.

`fit_part` uses it to keep a part of the document (a chapter, the contents, an index) from
leaving three or four lines on a page of their own: first it sets the part a little tighter
(spacing, then paragraphs in as few lines as they can take; never smaller type); if that does
not pull the lines back, it moves a few more lines onto the last page, so that page is worth
turning to.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, replace

from reportlab.platypus import ActionFlowable, Flowable, PageBreak

_FUZZ = 1e-6

#: A page holding less than this many lines of body text is not left at the end of a part.
MIN_LAST_LINES = 4.6
#: A chapter whose last page holds fewer lines than this is first tried a little tighter.
TIGHTEN_BELOW_LINES = 9.0


@dataclass(frozen=True)
class Pager:
    """A position in a run of equal frames: page number and the height already used on it."""

    width: float
    height: float
    page: int = 1
    used: float = 0.0
    at_top: bool = True
    space_after: float = 0.0

    def new_page(self) -> Pager:
        return replace(self, page=self.page + 1, used=0.0, at_top=True, space_after=0.0)

    def room(self, flowable: Flowable) -> tuple[float, float]:
        """(space before the flowable here, height left for it)."""
        before = 0.0
        if not self.at_top:
            before = max(float(flowable.getSpaceBefore()) - self.space_after, 0.0)
        return before, self.height - self.used - before

    def placed(self, before: float, height: float, after: float) -> Pager:
        moved = before + height + after
        return replace(self, used=self.used + moved, at_top=self.at_top and moved == 0, space_after=after)


@dataclass(frozen=True)
class Landing:
    """Where one top-level flowable starts: its page, and the height used above it there."""

    page: int
    used: float


def paginate(flowables: list[Flowable], pager: Pager) -> tuple[list[Landing], Pager]:
    """Where each flowable starts, and the position after the last one (nothing is drawn)."""
    landings: list[Landing] = []
    for flowable in flowables:
        pager, landing = _place(flowable, pager)
        landings.append(landing)
    return landings, pager


def _measure(
    flowables: list[Flowable | None], pager: Pager, release: bool = False
) -> tuple[list[Landing], list[Pager], Pager]:
    """paginate(), with the position before each flowable too; with release, each flowable is let
    go once placed (with what placing it cached)."""
    landings: list[Landing] = []
    positions: list[Pager] = []
    for index, flowable in enumerate(flowables):
        assert flowable is not None
        positions.append(pager)
        pager, landing = _place(flowable, pager)
        landings.append(landing)
        if release:
            flowables[index] = None
    return landings, positions, pager


def _place(flowable: Flowable, pager: Pager) -> tuple[Pager, Landing]:
    if isinstance(flowable, PageBreak):
        return pager.new_page(), Landing(pager.page, pager.used)
    if isinstance(flowable, ActionFlowable):
        return pager, Landing(pager.page, pager.used)
    landing: Landing | None = None
    pending = [flowable]
    while pending:
        current = pending.pop(0)
        before, room = pager.room(current)
        height = None
        if room > 0:
            _, height = current.wrap(pager.width, room)
            if height > room + _FUZZ:
                height = None
        if height is not None:
            landing = landing or Landing(pager.page, pager.used)
            pager = pager.placed(before, height, float(current.getSpaceAfter()))
            continue
        parts = current.split(pager.width, room) if room > 0 else []
        if parts:
            pending[0:0] = parts
            continue
        if pager.at_top:
            raise ValueError(f"{type(current).__name__} is taller than a page and cannot be split")
        pager = pager.new_page()
        pending.insert(0, current)
    return pager, landing or Landing(pager.page, pager.used)


@dataclass(frozen=True)
class Fitted:
    """The flowables chosen for a part, and the position after them."""

    flowables: list[Flowable]
    pager: Pager


def fit_part(
    build: Callable[[int], list[Flowable]],
    pager: Pager,
    min_last: float,
    tighten_below: float,
    levels: int = 3,
) -> Fitted:
    """The part built at the loosest level whose last page is not a near-empty one.

    build(level) makes the part's flowables at a tightness level (0 as designed). A part
    whose last page would hold less than tighten_below is tried tighter, level by level, and
    the first level that saves that page is taken. Otherwise, if less than min_last of the
    last page is used, a page break goes before a late flowable, so enough lines move with it.

    A part with one level (the contents, an index) is measured letting go of each flowable once
    placed, and handed over freshly built: planned, a 10,000-entry index held its every line.
    """
    start = pager
    if levels <= 1:
        landings, positions, end = _measure(list(build(0)), start, release=True)
        flowables = build(0)
    else:
        flowables = build(0)
        landings, positions, end = _measure(list(flowables), start)
        if end.page > start.page and 0 < end.used < tighten_below:
            for level in range(1, levels):
                tighter = build(level)
                _, tight_end = paginate(tighter, start)
                if tight_end.page < end.page or (tight_end.page == end.page and tight_end.used == 0):
                    return Fitted(tighter, tight_end)
            flowables = build(0)  # a builder may have respaced the same flowables: set them back
    if _fine(end, start, min_last):
        return Fitted(flowables, end)
    pulled = _pull_over(flowables, landings, positions, end, min_last)
    return pulled or Fitted(flowables, end)


class PartLayout(list[Flowable]):
    """A document's flowables, planned part by part just before they are drawn (the handbook
    and the course packs are laid out this way).

    Parts are queued as steps; platypus asks the list's length before it takes each flowable,
    and the length plans the next steps while fewer than a few flowables are waiting. So only
    the part being drawn is held in memory, not every chapter planned so far, and the pages
    come out exactly as if everything had been planned first: planning follows its own
    position (`pager`) and never looks at what was drawn.
    """

    #: Flowables kept ready before the next step is planned.
    LOOKAHEAD = 4

    def __init__(self, pager: Pager, body_leading: float) -> None:
        super().__init__()
        self.pager = pager
        self.steps: deque[Callable[[], None]] = deque()
        self.min_last = MIN_LAST_LINES * body_leading
        self.tighten_below = TIGHTEN_BELOW_LINES * body_leading

    def __len__(self) -> int:
        while list.__len__(self) < self.LOOKAHEAD and self.steps:
            self.steps.popleft()()
        return list.__len__(self)

    def __bool__(self) -> bool:
        return len(self) > 0

    def later(self, step: Callable[[], None]) -> None:
        """Run step (which plans and appends flowables) when drawing reaches it, in queue order."""
        self.steps.append(step)

    def new_page(self) -> None:
        """A page break after what is queued so far."""
        self.later(self.break_page)

    def part(self, build: Callable[[int], list[Flowable]], new_page: bool = True, levels: int = 1) -> None:
        """A part fitted onto its pages (see fit_part) after what is queued so far."""
        self.later(lambda: self.plan_part(build, new_page, levels))

    def break_page(self) -> None:
        """A page break now (inside a step)."""
        self.append(PageBreak())
        self.pager = self.pager.new_page()

    def plan_part(self, build: Callable[[int], list[Flowable]], new_page: bool, levels: int) -> None:
        """Fit a part now (inside a step)."""
        if new_page:
            self.break_page()
        fitted = fit_part(build, self.pager, self.min_last, self.tighten_below, levels)
        self.extend(fitted.flowables)
        self.pager = fitted.pager


def _fine(end: Pager, start: Pager, min_last: float) -> bool:
    """The part ends on its first page (nothing to fix), or its last page is well filled."""
    return end.page == start.page or end.used >= min_last or end.used == 0


def _pull_over(
    flowables: list[Flowable], landings: list[Landing], positions: list[Pager], end: Pager, min_last: float
) -> Fitted | None:
    """Break the page before a flowable of the page before last, or inside a list that runs
    onto it (contents entries under a category), so the last page holds more.

    A trial is paginated from the position before the flowable it changes (positions[index]):
    what comes before lands where it did."""
    previous = end.page - 1
    for index in range(len(flowables) - 1, -1, -1):
        landing = landings[index]
        if landing.page < previous:
            return _pull_rows_over(flowables, index, positions[index], end, min_last)
        if landing.page != previous:
            continue
        movable = index > 0 and landing.used >= min_last
        if movable and not isinstance(flowables[index], (PageBreak, ActionFlowable)):
            _, trial_end = paginate([PageBreak(), *flowables[index:]], positions[index])
            if trial_end.page == end.page and trial_end.used >= min_last:
                return Fitted([*flowables[:index], PageBreak(), *flowables[index:]], trial_end)
        pulled = _pull_rows_over(flowables, index, positions[index], end, min_last)
        if pulled is not None:
            return pulled
    return None


def _pull_rows_over(
    flowables: list[Flowable], index: int, position: Pager, end: Pager, min_last: float
) -> Fitted | None:
    """Move the fewest last rows of flowables[index] (a groups.RowGroup) to a new page that
    makes the last page well filled; None if it cannot be divided or no division helps."""
    pull_apart = getattr(flowables[index], "pulled_apart", None)
    if pull_apart is None:
        return None
    for moved in range(1, len(getattr(flowables[index], "rows", ()))):
        pieces = pull_apart(moved)
        if pieces is None:
            continue
        changed = [pieces[0], PageBreak(), pieces[1], *flowables[index + 1 :]]
        trial_landings, trial_end = paginate(changed, position)
        if trial_end.page > end.page:
            return None
        page_before_kept = trial_landings[1].used >= min_last  # the page the break ends
        if trial_end.page == end.page and trial_end.used >= min_last and page_before_kept:
            return Fitted([*flowables[:index], *changed], trial_end)
    return None
