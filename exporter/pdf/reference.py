"""The handbook's finding aids: the quick-reference table at the front, the situation index at the back.

A trainer asks "what do I do when the client goes silent?": the situation index lists every
"When to use" item of every technique, with the page it is on; the quick reference gives each
technique in one row (name, categories, what it is for, page).
"""

from __future__ import annotations

import re

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from exporter.collation import collation_key
from exporter.labels import Labels
from exporter.model import Library, Technique
from exporter.pdf.chapter import situation_key, technique_key
from exporter.pdf.flowables import KeepWithNext, PageRefRow, Para
from exporter.pdf.fonts import para_text
from exporter.pdf.pagerefs import PageNumbers
from exporter.pdf.styles import LEADER, RULE, Styles

#: Column shares of the quick-reference table (title, categories, purpose); the page is fixed.
COLUMNS = (0.31, 0.21, 0.48)
PAGE_COLUMN = 26.0
COLUMN_GAP = 8.0
PURPOSE_CHARACTERS = 150

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s")


def purpose(technique: Technique) -> str:
    """What the technique is for in one sentence: the summary's first, shortened at a word."""
    first = _SENTENCE_END.split(technique.summary.strip(), maxsplit=1)[0].strip()
    if len(first) <= PURPOSE_CHARACTERS:
        return first
    cut = first[:PURPOSE_CHARACTERS].rsplit(" ", 1)[0].rstrip(",;:—– ")
    return cut + " …"


class TableRow(Flowable):  # type: ignore[misc]
    """One row of the quick reference: three wrapped cells and a linked page number."""

    PAD = 3.5

    def __init__(
        self, cells: list[Flowable], numbers: PageNumbers | None, key: str, number_style: ParagraphStyle
    ) -> None:
        super().__init__()
        self.cells = cells
        self.numbers = numbers
        self.key = key
        self.number_style = number_style
        self._heights: list[float] = []
        self._xs: list[float] = []
        self.width = 0.0
        self.height = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._heights and self.width == availWidth:
            return availWidth, self.height
        room = availWidth - PAGE_COLUMN - COLUMN_GAP * len(self.cells)
        self._xs, self._heights = [], []
        x = 0.0
        for cell, share in zip(self.cells, COLUMNS, strict=True):
            width = room * share
            _, height = cell.wrap(width, availHeight)
            self._xs.append(x)
            self._heights.append(height)
            x += width + COLUMN_GAP
        self.width = availWidth
        self.height = max(self._heights) + 2 * self.PAD
        return availWidth, self.height

    def draw(self) -> None:
        canv = self.canv
        top = self.height - self.PAD
        for cell, x, height in zip(self.cells, self._xs, self._heights, strict=True):
            cell.drawOn(canv, x, top - height)
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.4)
        canv.line(0, 0, self.width, 0)
        canv.restoreState()
        if self.numbers is None:
            return
        style = self.number_style
        self.numbers.draw_right(
            canv,
            self.width,
            top - style.fontSize,
            "{page}",
            font_name=style.fontName,
            font_size=style.fontSize,
            colour=style.textColor,
            key=self.key,
        )
        canv.linkRect("", self.key, (0, 0, self.width, self.height), relative=1, thickness=0)


def quick_reference(
    library: Library, labels: Labels, styles: Styles, numbers: PageNumbers, heading: Flowable
) -> list[Flowable]:
    """The heading, an introduction, the column heads and one row per technique, by title."""
    head = TableRow(
        [
            Para(para_text(labels(f"handbook.column_{name}")), styles.table_head)
            for name in ("technique", "categories", "purpose")
        ],
        None,
        "",
        styles.table_head,
    )
    intro = Para(para_text(labels("handbook.quick_reference_intro")), styles.body)
    rows: list[Flowable] = []
    by_title = collation_key(library.language)
    for technique in sorted(library.techniques, key=lambda t: (by_title(t.title), t.id)):
        categories = ", ".join(technique.categories)
        rows.append(
            TableRow(
                [
                    Para(para_text(technique.title), styles.table_title),
                    Para(para_text(categories), styles.table_note),
                    Para(para_text(purpose(technique)), styles.table_cell),
                ],
                numbers,
                technique_key(technique),
                styles.table_title,
            )
        )
    return [KeepWithNext(heading, KeepWithNext(intro, KeepWithNext(head, rows[0]))), *rows[1:]]


def situation_index(
    library: Library, labels: Labels, styles: Styles, numbers: PageNumbers, heading: Flowable
) -> list[Flowable]:
    """Every "When to use" item under its technique's name (by title), each with its page."""
    by_title = collation_key(library.language)
    intro = Para(para_text(labels("handbook.situations_intro")), styles.body)
    flowables: list[Flowable] = []
    for technique in sorted(library.techniques, key=lambda t: (by_title(t.title), t.id)):
        if not technique.when_to_use:
            continue
        entries = [
            PageRefRow(
                item.text,
                styles.index_entry,
                numbers,
                situation_key(technique, index),
                number_width=30,
                leaders=True,
                leader_colour=LEADER,
            )
            for index, item in enumerate(technique.when_to_use)
        ]
        group = Para(para_text(technique.title), styles.index_group)
        flowables += [KeepWithNext(group, entries[0]), *entries[1:]]
    if not flowables:
        return []
    return [KeepWithNext(heading, KeepWithNext(intro, flowables[0])), *flowables[1:]]


def has_situations(library: Library) -> bool:
    return any(technique.when_to_use for technique in library.techniques)
