"""Total-fit line breaking (Knuth and Plass, 1981), as TeX and Typst break a paragraph.

The paragraph is a row of boxes (word pieces), glue (spaces that stretch and shrink) and
penalties (places to hyphenate). Every way of breaking it into lines is weighed at once, and
the one with the fewest demerits is taken: a loose or tight line, a hyphen, two hyphens in a
row, a loose line beside a tight one and a hyphen on the last line but one each cost demerits.
So a paragraph is set evenly, with few hyphens, where a first-fit breaker (ReportLab's) fills
each line as full as it can and leaves the next to cope.

The search runs in passes: first with lines no looser than a space may stretch, then with
any looseness. A hyphen costs as much as a very loose line, so it is taken only where a line
cannot do without one. None means no way at all (a word wider than the line): the caller
falls back on its own breaking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

BOX, GLUE, PENALTY = 0, 1, 2
#: A penalty this high forbids a break; this low forces one.
FORBIDDEN = 10_000.0
FORCED = -FORBIDDEN

LINE_PENALTY = 10.0
HYPHEN_PENALTY = 1000.0
#: Two hyphenated lines in a row, a hyphen on the last line but one, a very loose line beside a tight one.
DOUBLE_HYPHEN_DEMERITS = 3_000_000.0
FINAL_HYPHEN_DEMERITS = 5_000_000.0
ADJACENT_FITNESS_DEMERITS = 10_000.0

#: The passes: (the loosest stretch ratio a line may have, never three hyphens in a row). A hyphen costs as much
#: as a line at ratio 2: one is only taken where no line could do without it.
#: A ratio of 1.9 opens a space to about 0.56 em (a space is 0.26 em): never a hole in the line.
#: A last pass lets three hyphenated lines follow each other, where nothing else is possible.
PASSES: tuple[tuple[float, bool], ...] = ((1.9, True), (float("inf"), True), (float("inf"), False))


@dataclass(frozen=True)
class Items:
    """A paragraph as parallel lists: kind, width, stretch, shrink, penalty and flag of each item."""

    kinds: Sequence[int]
    widths: Sequence[float]
    stretches: Sequence[float]
    shrinks: Sequence[float]
    penalties: Sequence[float]
    flagged: Sequence[bool]


@dataclass(frozen=True)
class Break:
    """The end of one line: the item it breaks at and how far the line's spaces are stretched
    (positive) or shrunk (negative), as a share of what they may."""

    position: int
    ratio: float
    hyphenated: bool
    #: The line's natural width (its spaces neither stretched nor shrunk).
    natural: float = 0.0


@dataclass(slots=True)
class _Node:
    position: int
    line: int
    fitness: int
    demerits: float
    ratio: float
    previous: _Node | None
    #: Whether this break is at a hyphen, and the natural width of the line it ends.
    hyphenated: bool = False
    natural: float = 0.0


def break_paragraph(
    items: Items,
    first_width: float,
    width: float,
    line_stretch: float = 0.0,
    line_penalty: float = LINE_PENALTY,
    passes: tuple[tuple[float, bool], ...] = PASSES,
) -> list[Break] | None:
    """The best breaks of a paragraph whose last item is a forced break.

    first_width is the first line's measure, width every other's; line_stretch is stretch every
    line has beyond its spaces (ragged-right setting gives its spaces none and the line end some);
    line_penalty is what each line costs (a large one sets the paragraph in as few lines as it can).
    """
    for tolerance, strict in passes:
        found = _search(items, first_width, width, line_stretch, tolerance, strict, line_penalty)
        if found is not None:
            return found
    return None


def _search(
    items: Items,
    first_width: float,
    width: float,
    line_stretch: float,
    tolerance: float,
    strict: bool,
    line_penalty: float = LINE_PENALTY,
) -> list[Break] | None:
    kinds, widths, stretches, shrinks = items.kinds, items.widths, items.stretches, items.shrinks
    penalties, flagged = items.penalties, items.flagged
    count = len(kinds)
    # Running totals before each item, and where the line after a break at each item starts.
    total_width = [0.0] * (count + 1)
    total_stretch = [0.0] * (count + 1)
    total_shrink = [0.0] * (count + 1)
    for index in range(count):
        total_width[index + 1] = total_width[index] + (widths[index] if kinds[index] != PENALTY else 0.0)
        # Boxes may stretch too: a tracked line's letters (exporter.pdf.lines.tracking).
        total_stretch[index + 1] = total_stretch[index] + (stretches[index] if kinds[index] != PENALTY else 0.0)
        total_shrink[index + 1] = total_shrink[index] + (shrinks[index] if kinds[index] != PENALTY else 0.0)
    starts = _line_starts(kinds, penalties)
    active: list[_Node] = [_Node(0, 0, 1, 0.0, 0.0, None)]
    start_of = {0: 0}
    infinity = float("inf")
    for position in range(count):
        kind = kinds[position]
        if kind == BOX:
            continue
        if kind == GLUE:
            if kinds[position - 1] != BOX:
                continue
            penalty, extra, flag = 0.0, 0.0, False
        else:
            penalty = penalties[position]
            flag = flagged[position]
            if penalty >= FORBIDDEN:
                continue
            extra = widths[position]
        forced = penalty <= FORCED
        best: dict[int, tuple[float, _Node, float, float]] = {}
        survivors = []
        width_here = total_width[position] + extra
        stretch_here = total_stretch[position] + line_stretch
        shrink_here = total_shrink[position]
        for node in active:
            begin = start_of[node.position]
            natural = width_here - total_width[begin]
            room = first_width if node.line == 0 else width
            if natural < room:
                stretch = stretch_here - total_stretch[begin]
                ratio = (room - natural) / stretch if stretch > 0 else infinity
            elif natural > room:
                shrink = shrink_here - total_shrink[begin]
                ratio = (room - natural) / shrink if shrink > 0 else -infinity
            else:
                ratio = 0.0
            if ratio < -1:
                continue
            if not forced:
                survivors.append(node)
            if ratio > tolerance:
                continue
            badness = 100.0 * ratio * ratio * abs(ratio) if ratio != infinity else FORBIDDEN
            demerits = (line_penalty + min(badness, FORBIDDEN)) ** 2
            if penalty > 0:
                demerits += penalty * penalty
            elif penalty > FORCED:
                demerits -= penalty * penalty
            if node.hyphenated:
                if flag:
                    if strict and node.previous is not None and node.previous.hyphenated:
                        continue  # never three hyphens in a row while another way is left
                    demerits += DOUBLE_HYPHEN_DEMERITS
                if forced:
                    demerits += FINAL_HYPHEN_DEMERITS
            fitness = 0 if ratio < -0.5 else 1 if ratio <= 0.5 else 2 if ratio <= 1.0 else 3
            if abs(fitness - node.fitness) > 1:
                demerits += ADJACENT_FITNESS_DEMERITS
            demerits += node.demerits
            known = best.get(fitness)
            if known is None or demerits < known[0]:
                best[fitness] = (demerits, node, ratio, natural)
        active = survivors
        if best:
            # The best way to reach this break in each fitness class, as TeX keeps them.
            start_of[position] = starts[position]
            lowest = min(found[0] for found in best.values())
            for fitness, (demerits, node, ratio, natural) in sorted(best.items()):
                if demerits <= lowest + ADJACENT_FITNESS_DEMERITS:
                    active.append(_Node(position, node.line + 1, fitness, demerits, ratio, node, flag, natural))
        if not active:
            return None
    finals = [node for node in active if node.position == count - 1]
    if not finals:
        return None
    chosen: _Node | None = min(finals, key=lambda n: n.demerits)
    breaks: list[Break] = []
    while chosen is not None and chosen.previous is not None:
        breaks.append(Break(chosen.position, chosen.ratio, chosen.hyphenated, chosen.natural))
        chosen = chosen.previous
    return breaks[::-1]


def _line_starts(kinds: Sequence[int], penalties: Sequence[float]) -> list[int]:
    """For each item, where the next line starts if it breaks there: the next box (spaces and
    penalties after a break are dropped)."""
    count = len(kinds)
    starts = [count] * count
    following = count
    for index in range(count - 1, -1, -1):
        starts[index] = following
        if kinds[index] == BOX or (kinds[index] == PENALTY and penalties[index] <= FORCED):
            following = index
    return starts
