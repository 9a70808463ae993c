"""Total-fit line breaking (Knuth and Plass, 1981), as TeX and Typst break a paragraph.

The paragraph is a row of boxes (word pieces), glue (spaces that stretch and shrink) and
penalties (places to hyphenate). Every way of breaking it into lines is weighed at once, and
the one with the fewest demerits is taken: a loose or tight line, a hyphen, two hyphens in a
row, a loose line beside a tight one and a hyphen on the last line but one each cost demerits.
So a paragraph is set evenly, with few hyphens, where a first-fit breaker (ReportLab's) fills
each line as full as it can and leaves the next to cope.

The search runs in passes: first without hyphenation, with lines no looser than a normal
space's stretch; then with hyphenation and a wider tolerance; then with any looseness. None
means no way at all (a word wider than the line): the caller falls back on its own breaking.
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

#: The passes: (hyphenate, the loosest stretch ratio a line may have). A hyphen costs as much
#: as a line at ratio 2: one is only taken where no line could do without it.
#: A ratio of 1.45 opens a space to about 0.49 em (0.55 em from ink to ink): never a hole in the line.
PASSES: tuple[tuple[bool, float], ...] = ((False, 1.45), (True, 1.45), (True, float("inf")))


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


@dataclass
class _Node:
    position: int
    line: int
    fitness: int
    demerits: float
    ratio: float
    previous: _Node | None


def _fitness(ratio: float) -> int:
    if ratio < -0.5:
        return 0
    if ratio <= 0.5:
        return 1
    if ratio <= 1.0:
        return 2
    return 3


def break_paragraph(
    items: Items, first_width: float, width: float, line_stretch: float = 0.0, line_penalty: float = LINE_PENALTY
) -> list[Break] | None:
    """The best breaks of a paragraph whose last item is a forced break.

    first_width is the first line's measure, width every other's; line_stretch is stretch every
    line has beyond its spaces (ragged-right setting gives its spaces none and the line end some);
    line_penalty is what each line costs (a large one sets the paragraph in as few lines as it can).
    """
    for hyphenate, tolerance in PASSES:
        found = _search(items, first_width, width, line_stretch, hyphenate, tolerance, line_penalty)
        if found is not None:
            return found
    return None


def _search(
    items: Items,
    first_width: float,
    width: float,
    line_stretch: float,
    hyphenate: bool,
    tolerance: float,
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
        total_stretch[index + 1] = total_stretch[index] + (stretches[index] if kinds[index] == GLUE else 0.0)
        total_shrink[index + 1] = total_shrink[index] + (shrinks[index] if kinds[index] == GLUE else 0.0)
    starts = _line_starts(kinds, penalties)
    active: list[_Node] = [_Node(0, 0, 1, 0.0, 0.0, None)]
    start_of = {0: 0}
    for position in range(count):
        kind = kinds[position]
        if kind == BOX:
            continue
        if kind == GLUE:
            if position == 0 or kinds[position - 1] != BOX:
                continue
            penalty, extra = 0.0, 0.0
        else:
            penalty = penalties[position]
            if penalty >= FORBIDDEN or (flagged[position] and not hyphenate):
                continue
            extra = widths[position]
        forced = penalty <= FORCED
        best: dict[int, tuple[float, _Node, float]] = {}
        survivors = []
        for node in active:
            begin = start_of[node.position] if node.position else 0
            natural = total_width[position] - total_width[begin] + extra
            room = first_width if node.line == 0 else width
            if natural < room:
                stretch = total_stretch[position] - total_stretch[begin] + line_stretch
                ratio = (room - natural) / stretch if stretch > 0 else float("inf")
            elif natural > room:
                shrink = total_shrink[position] - total_shrink[begin]
                ratio = (room - natural) / shrink if shrink > 0 else float("-inf")
            else:
                ratio = 0.0
            if ratio >= -1 and not forced:
                survivors.append(node)
            if ratio < -1 or ratio > tolerance:
                continue
            badness = 100.0 * abs(ratio) ** 3 if ratio != float("inf") else FORBIDDEN
            demerits = (line_penalty + min(badness, FORBIDDEN)) ** 2
            if penalty > 0:
                demerits += penalty**2
            elif penalty > FORCED:
                demerits -= penalty**2
            previous_flagged = node.position and kinds[node.position] == PENALTY and flagged[node.position]
            if previous_flagged and flagged[position]:
                demerits += DOUBLE_HYPHEN_DEMERITS
            if previous_flagged and forced:
                demerits += FINAL_HYPHEN_DEMERITS
            fitness = _fitness(ratio)
            if abs(fitness - node.fitness) > 1:
                demerits += ADJACENT_FITNESS_DEMERITS
            demerits += node.demerits
            if fitness not in best or demerits < best[fitness][0]:
                best[fitness] = (demerits, node, ratio)
        active = survivors
        if best:
            start_of[position] = starts[position]
            lowest = min(demerits for demerits, _, _ in best.values())
            for fitness, (demerits, node, ratio) in sorted(best.items()):
                if demerits <= lowest + ADJACENT_FITNESS_DEMERITS:
                    active.append(_Node(position, node.line + 1, fitness, demerits, ratio, node))
        if not active:
            return None
    finals = [node for node in active if node.position == count - 1]
    if not finals:
        return None
    chosen: _Node | None = min(finals, key=lambda n: n.demerits)
    breaks: list[Break] = []
    while chosen is not None and chosen.previous is not None:
        hyphenated = kinds[chosen.position] == PENALTY and bool(flagged[chosen.position])
        breaks.append(Break(chosen.position, chosen.ratio, hyphenated))
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
