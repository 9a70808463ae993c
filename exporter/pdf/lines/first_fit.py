"""Line by line first: most paragraphs set evenly without any search.

A paragraph whose every line can be set, one after the other, with its spaces neither much
stretched nor much shrunk and without a hyphen is set that way: the total-fit search
(exporter.pdf.lines.breaking) would choose those lines, or lines no better to the eye, and it
costs several times as much. Each line takes the break that leaves its spaces closest to their
natural width (shrunk or stretched), as the search would; a paragraph where some line would be
looser than `LOOSEST` or tighter than `TIGHTEST` goes to the search.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from exporter.pdf.lines.breaking import Break

#: The loosest and tightest line taken without a search, as a share of what spaces may stretch
#: or shrink (a space of 0.26 em stretches to about 0.49 em at 1.5).
LOOSEST = 1.5
TIGHTEST = -1.0


@dataclass(frozen=True)
class Slack:
    """How far each word, and the space before each word, may stretch and shrink (points)."""

    word_stretch: Sequence[float]
    word_shrink: Sequence[float]
    space_stretch: Sequence[float]
    space_shrink: Sequence[float]
    #: What every line may stretch beyond its words and spaces (a ragged-right line's end).
    line_stretch: float = 0.0


def even_lines(
    widths: Sequence[float],
    spaces: Sequence[float],
    breakable: Sequence[bool],
    first: float,
    rest: float,
    slack: Slack,
    loosest: float = LOOSEST,
) -> list[Break] | None:
    """Breaks before word indexes (Break.position: the first word of the next line, the word
    count for the last line), each line's ratio and natural width; None when a line would be
    set looser than LOOSEST or tighter than TIGHTEST (or a word is wider than a line).

    widths[i] is word i's width, spaces[i] the space before it (spaces[0] unused), breakable[i]
    whether a line may end before it; loosest: the loosest ratio taken.
    """
    count = len(widths)
    word_stretch, word_shrink = slack.word_stretch, slack.word_shrink
    space_stretch, space_shrink = slack.space_stretch, slack.space_shrink
    breaks: list[Break] = []
    start = 0
    room = first
    while start < count:
        natural = widths[start]
        stretch = word_stretch[start] + slack.line_stretch
        shrink = word_shrink[start]
        # The best break so far: (ratio, the next line's first word, natural width).
        under: tuple[float, int, float] | None = None
        chosen: tuple[float, int, float] | None
        index = start + 1
        while True:
            if index == count:
                if natural <= room:
                    breaks.append(Break(count, 0.0, False, natural))
                    return breaks
                chosen = _closer(under, _shrunk(natural, shrink, room), index, natural)
                break
            if breakable[index]:
                if natural <= room:
                    under = ((room - natural) / stretch if stretch > 0 else float("inf"), index, natural)
                else:
                    chosen = _closer(under, _shrunk(natural, shrink, room), index, natural)
                    break
            elif natural > room and _shrunk(natural, shrink, room) is None:
                chosen = under
                break
            natural += spaces[index] + widths[index]
            stretch += space_stretch[index] + word_stretch[index]
            shrink += space_shrink[index] + word_shrink[index]
            index += 1
        if chosen is None:
            return None
        ratio, start, natural = chosen
        if not TIGHTEST <= ratio <= loosest:
            return None
        breaks.append(Break(start, ratio, False, natural))
        room = rest
    return breaks


def _shrunk(natural: float, shrink: float, room: float) -> float | None:
    """The ratio of a line wider than room, shrunk; None if it cannot shrink enough."""
    if shrink <= 0 or natural - shrink > room:
        return None
    return (room - natural) / shrink


def _closer(
    under: tuple[float, int, float] | None, over: float | None, index: int, natural: float
) -> tuple[float, int, float] | None:
    """Of the looser break (before the last word) and the tighter one (after it), the one whose
    spaces are closer to their natural width."""
    if over is None:
        return under
    if under is None or -over < under[0]:
        return (over, index, natural)
    return under
