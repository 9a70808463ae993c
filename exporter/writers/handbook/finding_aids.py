"""The handbook's finding aids: the quick-reference table at the front, the situation index at the back.

A trainer asks "what do I do when the client goes silent?": the situation index lists every
"When to use" item of every technique, with the page it is on; the quick reference gives each
technique in one row (name, categories, what it is for, page).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from exporter.labels import Labels
from exporter.model import Library, Technique
from exporter.pdf.glyphs.fonts import para_text
from exporter.pdf.lines.bidi import has_rtl
from exporter.pdf.lines.paragraphs import is_rtl_style
from exporter.pdf.lines.runs import draw_text, fit_text, text_width
from exporter.pdf.pages.chapter import situation_key, technique_key
from exporter.pdf.pages.flowables import KeepWithNext, PageRefRow, Para
from exporter.pdf.pages.groups import RowGroup
from exporter.pdf.pages.links import link_box
from exporter.pdf.pages.pagerefs import PageNumbers
from exporter.pdf.pages.styles import LEADER, RULE, Styles
from exporter.pdf.tagging.marking import artifact, content, link_annotation, link_row, list_path, tree_of, with_tag
from exporter.pdf.tagging.structure import Container, Element, StructureTree, Tag
from exporter.text.collation import collation_key

#: Share of the quick-reference row for the title (the categories take the rest); the page is fixed.
COLUMNS = (0.55,)
PAGE_COLUMN = 26.0
COLUMN_GAP = 8.0

#: The quick reference's and the situation index's sections in the structure tree.
QUICK_REFERENCE_PART = "quick-reference-part"
SITUATIONS_PART = "situations-part"

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s")


def purpose(technique: Technique) -> str:
    """What the technique is for: the first sentence of its summary (the row shows one line)."""
    return _SENTENCE_END.split(technique.summary.strip(), maxsplit=1)[0].strip()


class QuickRow(Flowable):  # type: ignore[misc]
    """One row of the quick reference, drawn straight on the canvas: the title (bold) with the
    categories beside it and the linked page at the right, and under them what the technique
    is for, on one line (cut at a word with "…" when longer). A title too long for its column
    wraps (a Paragraph, never hyphenated); every other row costs no Paragraph at all."""

    PAD = 3.0

    def __init__(
        self,
        title: str,
        categories: list[str],
        purpose: str,
        styles: Styles,
        numbers: PageNumbers | None = None,
        key: str = "",
        head: bool = False,
        page_heading: str = "",
    ) -> None:
        super().__init__()
        self.title, self.categories, self.purpose = title, categories, purpose
        self.page_heading = page_heading
        self.styles = styles
        self.numbers = numbers
        self.key = key
        self.head = head
        self.title_paragraph: Para | None = None
        #: The row (TR) in the table: its cells are TH in the head row, TD in the others.
        self.tag: Tag | None = None
        self.width = 0.0
        self.height = 0.0
        self._shown = ""
        self._category_lines: list[str] = []
        self._title_height = 0.0

    def _title_style(self) -> ParagraphStyle:
        return self.styles.table_head if self.head else self.styles.table_title

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self.width == availWidth and self.height:
            return availWidth, self.height
        style, note, cell = self._title_style(), self.styles.table_note, self.styles.table_cell
        column = (availWidth - PAGE_COLUMN) * COLUMNS[0]
        title_height = float(style.leading)
        if text_width(self.title, style.fontSize, style.fontName) > column:
            self.title_paragraph = Para(para_text(self.title), style)
            _, title_height = self.title_paragraph.wrap(column, availHeight)
        room = availWidth - PAGE_COLUMN - column - COLUMN_GAP
        self._category_lines = _joined_lines(self.categories, note, room)
        self._shown = _cut_at_word(
            self.purpose, fit_text(self.purpose, cell.fontSize, availWidth - PAGE_COLUMN, cell.fontName)
        )
        self._title_height = title_height
        top = max(title_height, len(self._category_lines) * float(note.leading))
        self.width = availWidth
        self.height = top + float(cell.leading) + 2 * self.PAD
        return availWidth, self.height

    def draw(self) -> None:
        tree = tree_of(self.canv)
        if tree is None or self.tag is None:
            self._draw_cells(lambda: None)
        elif self.tag.element is not None:
            # The column heads repeated at the top of a following page are page furniture.
            with artifact(self.canv):
                self._draw_cells(lambda: None)
        else:
            row = tree.element_of(self.tag)
            self._draw_cells(lambda: tree.child(row, "TH" if self.head else "TD"))

    def _draw_cells(self, cell_element: Callable[[], Element | None]) -> None:
        """The row's cells (title, categories, purpose, page), each its own cell element."""
        canv = self.canv
        style, note, cell = self._title_style(), self.styles.table_note, self.styles.table_cell
        column = (self.width - PAGE_COLUMN) * COLUMNS[0]
        first = self.height - self.PAD - style.fontSize
        purpose = self._shown
        # A right-to-left row is mirrored: the title at the right, the page at the left.
        rtl = is_rtl_style(style)
        start, align = (self.width, "right") if rtl else (0.0, "left")
        canv.setFillColor(style.textColor)
        with content(canv, described(tree_of(canv), cell_element(), self.title)):
            if self.title_paragraph is None:
                draw_text(canv, start, first, self.title, style.fontSize, style.fontName, align=align)
            else:
                below_title = self.height - self.PAD - self._title_height
                self.title_paragraph.drawOn(canv, self.width - column if rtl else 0, below_title)
        canv.setFillColor(note.textColor)
        beside = self.width - column - COLUMN_GAP if rtl else column + COLUMN_GAP
        with content(canv, described(tree_of(canv), cell_element(), " ".join(self._category_lines))):
            for number, line in enumerate(self._category_lines):
                draw_text(canv, beside, first - number * note.leading, line, note.fontSize, note.fontName, align=align)
        # The head row names the second line in the heads' own small grey face, not as a row.
        second_style = note if self.head else cell
        canv.setFillColor(second_style.textColor)
        second = self.PAD + cell.leading - cell.fontSize
        with content(canv, described(tree_of(canv), cell_element(), purpose)):
            draw_text(canv, start, second, purpose, second_style.fontSize, second_style.fontName, align=align)
        with artifact(canv):
            canv.saveState()
            canv.setStrokeColor(RULE)
            canv.setLineWidth(0.4)
            canv.line(0, 0, self.width, 0)
            canv.restoreState()
        page_x, page_align = (0.0, "left") if rtl else (self.width, "right")
        page_cell = described(tree_of(canv), cell_element(), self.page_heading)
        if self.page_heading:
            canv.setFillColor(style.textColor)
            with content(canv, page_cell):
                draw_text(canv, page_x, first, self.page_heading, style.fontSize, style.fontName, align=page_align)
        if self.numbers is None:
            return
        tree = tree_of(canv)
        link = None if page_cell is None or tree is None else tree.child(page_cell, "Link")
        with content(canv, link):
            self.numbers.draw_right(
                canv, page_x, first, "{page}", font_name=style.fontName, font_size=style.fontSize,
                colour=style.textColor, key=self.key, align=page_align,
            )  # fmt: skip
        link_box(canv, self.key, self.width, self.height)
        link_annotation(canv, link, self.title)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []


def described(tree: StructureTree | None, element: Element | None, text: str) -> Element | None:
    """element, with text as what it reads (right-to-left text is drawn in visual order)."""
    if tree is not None and element is not None and has_rtl(text):
        tree.describe(element, " ".join(text.split()), "")
    return element


def _joined_lines(names: list[str], style: ParagraphStyle, width: float) -> list[str]:
    """Names joined with commas into lines of at most width, a line break only between two
    names; a name too long for a line of its own is shortened with "…"."""
    lines: list[str] = []
    for index, name in enumerate(names):
        piece = name + ("," if index < len(names) - 1 else "")
        joined = f"{lines[-1]} {piece}" if lines else piece
        if lines and text_width(joined, style.fontSize, style.fontName) <= width:
            lines[-1] = joined
        else:
            lines.append(fit_text(piece, style.fontSize, width, style.fontName))
    return lines


def _cut_at_word(text: str, fitted: str) -> str:
    """fitted (text cut to a width with "…") shortened to its last whole word."""
    if fitted == text or " " not in fitted:
        return fitted
    return fitted[:-1].rsplit(" ", 1)[0].rstrip(",;:—– ") + " …"


def quick_reference(
    library: Library, labels: Labels, styles: Styles, numbers: PageNumbers, heading: Flowable
) -> list[Flowable]:
    """The heading, an introduction, and one row per technique, by title, under column heads
    that are repeated on every page."""
    column = {name: labels(f"handbook.column_{name}") for name in ("technique", "categories", "purpose")}
    head = QuickRow(
        column["technique"], [column["categories"]], column["purpose"], styles, head=True,
        page_heading=labels("handbook.column_page"),
    )  # fmt: skip
    path: tuple[Container, ...] = ((QUICK_REFERENCE_PART, "Sect"),)
    table: tuple[Container, ...] = (*path, ("quick-reference-table", "Table"))
    with_tag(heading, "H1", path)
    with_tag(head, "TR", table)
    intro = with_tag(Para(para_text(labels("handbook.quick_reference_intro")), styles.body), "P", path)
    rows: list[Flowable] = []
    by_title = collation_key(library.language)
    for technique in sorted(library.techniques, key=lambda t: (by_title(t.title), t.id)):
        rows.append(
            with_tag(
                QuickRow(
                    technique.title,
                    list(technique.categories),
                    purpose(technique),
                    styles,
                    numbers,
                    technique_key(technique),
                ),
                "TR",
                table,
            )  # fmt: skip
        )
    # The column heads again at the top of every page; a last page holds three rows or more.
    return [KeepWithNext(heading, KeepWithNext(intro, RowGroup(head, rows, min_rows=3)))]


def situation_index(
    library: Library, labels: Labels, styles: Styles, numbers: PageNumbers, heading: Flowable
) -> list[Flowable]:
    """Every "When to use" item under its technique's name (by title), each with its page."""
    by_title = collation_key(library.language)
    path: tuple[Container, ...] = ((SITUATIONS_PART, "Sect"),)
    with_tag(heading, "H1", path)
    intro = with_tag(Para(para_text(labels("handbook.situations_intro")), styles.body), "P", path)
    flowables: list[Flowable] = []
    for technique in sorted(library.techniques, key=lambda t: (by_title(t.title), t.id)):
        if not technique.when_to_use:
            continue
        group_path = (*path, (f"situations-{technique.id}", "Sect"))
        entries = [
            link_row(
                PageRefRow(
                    item.text,
                    styles.index_entry,
                    numbers,
                    situation_key(technique, index),
                    number_width=30,
                    leaders=True,
                    leader_colour=LEADER,
                ),
                list_path(group_path, f"situations-{technique.id}-list"),
            )
            for index, item in enumerate(technique.when_to_use)
        ]
        group = with_tag(Para(para_text(technique.title), styles.index_group), "H2", group_path)
        continued = Para(para_text(labels("handbook.continued", section=technique.title)), styles.index_group)
        with_tag(continued, "Artifact")
        flowables.append(RowGroup(group, list(entries), continued))
    if not flowables:
        return []
    return [KeepWithNext(heading, KeepWithNext(intro, flowables[0])), *flowables[1:]]


def has_situations(library: Library) -> bool:
    return any(technique.when_to_use for technique in library.techniques)
