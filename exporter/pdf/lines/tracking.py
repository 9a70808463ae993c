"""Letter spacing: a justified line may be tracked a little, as a typesetter's letter-spacing
range (InDesign's 98-102 %, microtype's font expansion) lets a line take up some of its slack
in its letters instead of all of it in its spaces.

Each character of a line of one font may open by up to `STRETCH_EM` (at a stretch ratio of 1;
never more than `MOST_EM`) or close by up to `SHRINK_EM` of the type size. A space between
letters of 0.012 em is not seen as spacing; a word space of 0.26 em that had to take all the
slack alone would open to a hole. The breaker (exporter.pdf.lines.breaking) counts the
letters' stretch with the spaces'; the line is drawn with the PDF's character spacing (Tc)
for the letters and word spacing (Tw) for what is left to the spaces.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from exporter.pdf.lines.line_ends import LineEndText

#: How far each character may open at a stretch ratio of 1, and at most; how far it may close
#: at a shrink ratio of -1 (in ems of the type size).
STRETCH_EM = 0.012
MOST_EM = 0.02
SHRINK_EM = 0.008
#: The breaker's passes for a tracked paragraph (see breaking.PASSES): lines no looser than a
#: ratio of 1.7 (a word gap, tracking included, of about 0.57 em), then any looseness.
PASSES: tuple[tuple[float, bool], ...] = ((1.7, True), (float("inf"), True), (float("inf"), False))
#: Less tracking than this (points) is drawn as none.
NEGLIGIBLE = 0.001


@dataclass(frozen=True)
class Letters:
    """How far each character of a tracked line may open and close (points; 0 for untracked lines)."""

    stretch: float = 0.0
    shrink: float = 0.0


UNTRACKED = Letters()


def line_tracking(ratio: float, size: float) -> float:
    """The character spacing (points) of a line set at a stretch ratio (shrink when negative)."""
    if ratio >= 0:
        tracking = min(ratio * STRETCH_EM, MOST_EM) * size
    else:
        tracking = max(ratio, -1.0) * SHRINK_EM * size
    return tracking if abs(tracking) >= NEGLIGIBLE else 0.0


class TrackedText(LineEndText):
    """A text object that draws each line of a paragraph with its own character spacing (and,
    as every paragraph's text object does, a space after each line that ends at one and words in
    another language as Spans: LineEndText).

    ReportLab's paragraph drawing puts out one line of a one-font paragraph with one `_textOut`
    call; the trackings come in line order.
    """

    def __init__(self, canvas: Any, x: float, y: float, trackings: list[float], ends: Iterable[bool] = ()) -> None:
        super().__init__(canvas, x, y, ends)
        self._trackings = iter(trackings)
        self._tracking = 0.0

    def _textOut(self, text: str, TStar: int = 0) -> None:  # noqa: N802, N803 (ReportLab's names)
        tracking = next(self._trackings, 0.0)
        if tracking != self._tracking:
            self.setCharSpace(tracking)
            self._tracking = tracking
        super()._textOut(text, TStar)
