"""A heading and its rows, divided between pages only between rows, the heading said again on
the next page: contents entries under their category, index entries under their technique,
quick-reference rows under their column heads. A reader who opens the next page knows what
its first rows belong to.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from exporter.pdf.pages.flowables import frame_gap


class RowGroup(Flowable):  # type: ignore[misc]
    """head, then rows; split between rows, the part after a page break opens with `continued`.

    The heading goes with at least min_rows rows and at least min_rows rows go on (fewer rows
    than that move as one). Rows are flowables that are not split themselves (table rows,
    contents and index lines); the space between two of them is what a Frame would leave.
    """

    def __init__(self, head: Flowable, rows: list[Flowable], continued: Flowable | None = None, min_rows: int = 2):
        super().__init__()
        self.head = head
        self.rows = rows
        self.continued = continued or head
        self.min_rows = min_rows
        self.width = 0.0
        self.height = 0.0
        self._heights: list[float] = []

    def parts(self) -> list[Flowable]:
        """What the document looks at after drawing (anchors, marked rows), in order."""
        return [self.head, *self.rows]

    def getSpaceBefore(self) -> float:
        return float(self.head.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.rows[-1].getSpaceAfter()) if self.rows else float(self.head.getSpaceAfter())

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._heights = [float(item.wrap(availWidth, availHeight)[1]) for item in self.parts()]
        gaps = [frame_gap(before, after) for before, after in zip(self.parts(), self.parts()[1:], strict=False)]
        self.width, self.height = availWidth, sum(self._heights) + sum(gaps)
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        used = float(self.head.wrap(availWidth, availHeight)[1])
        previous = self.head
        fitting = 0
        for row in self.rows:
            used += frame_gap(previous, row) + float(row.wrap(availWidth, availHeight)[1])
            if used > availHeight + 1e-6:
                break
            fitting += 1
            previous = row
        if 0 < len(self.rows) - fitting < self.min_rows:
            fitting = len(self.rows) - self.min_rows
        if fitting < min(self.min_rows, len(self.rows)) or fitting >= len(self.rows):
            return []
        first = RowGroup(self.head, self.rows[:fitting], self.continued, self.min_rows)
        return [first, RowGroup(self.continued, self.rows[fitting:], self.continued, self.min_rows)]

    def pulled_apart(self, moved: int) -> tuple[RowGroup, RowGroup] | None:
        """The group as two, its last `moved` rows under `continued`; None if either part would
        hold fewer than min_rows rows."""
        kept = len(self.rows) - moved
        if moved < self.min_rows or kept < self.min_rows:
            return None
        first = RowGroup(self.head, self.rows[:kept], self.continued, self.min_rows)
        return first, RowGroup(self.continued, self.rows[kept:], self.continued, self.min_rows)

    def draw(self) -> None:
        top = self.height
        items = self.parts()
        for index, (item, height) in enumerate(zip(items, self._heights, strict=True)):
            if index:
                top -= frame_gap(items[index - 1], item)
            top -= height
            item.drawOn(self.canv, 0, top)
