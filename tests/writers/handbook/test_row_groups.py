"""Lists divided between pages only between rows (exporter.pdf.pages.groups), as page planning sees them."""

from __future__ import annotations

from reportlab.platypus import Flowable, Spacer

from exporter.pdf.pages.fitting import Pager, fit_part, paginate
from exporter.pdf.pages.groups import RowGroup

LINE = 10.0


def rows(count: int) -> list[Flowable]:
    return [Spacer(100, LINE) for _ in range(count)]


def test_a_group_divides_between_rows_and_opens_the_next_page_with_its_continued_head() -> None:
    head, continued = Spacer(100, LINE), Spacer(100, LINE)
    group = RowGroup(head, rows(15), continued, min_rows=3)
    parts = group.split(100, 10 * LINE)
    assert [len(part.rows) for part in parts] == [9, 6]
    assert parts[0].head is head and parts[1].head is continued


def test_a_division_never_leaves_fewer_than_min_rows_on_either_side() -> None:
    group = RowGroup(Spacer(100, LINE), rows(10), min_rows=3)
    first, rest = group.split(100, 10 * LINE)  # room for the head and 9 rows: 1 would be left over
    assert (len(first.rows), len(rest.rows)) == (7, 3)
    assert RowGroup(Spacer(100, LINE), rows(10), min_rows=3).split(100, 3 * LINE) == []  # 2 rows: move on


def test_a_last_page_holding_one_line_after_a_group_gets_rows_of_the_group() -> None:
    """The contents of a large library: its last category's entries fill a page, and "Sources"
    alone would go over. The plan moves the category's last rows (under their continued head)
    to that page instead, so the last page is worth turning to."""
    pager = Pager(width=100, height=20 * LINE)
    flowables: list[Flowable] = [
        RowGroup(Spacer(100, LINE), rows(19), Spacer(100, LINE), min_rows=3),
        Spacer(100, LINE),
    ]
    _, end = paginate(flowables, pager)
    assert (end.page, end.used) == (2, LINE)  # as it was: one line on the last page
    fitted = fit_part(lambda level: flowables, pager, min_last=4.6 * LINE, tighten_below=0, levels=1)
    assert fitted.pager.page == 2 and fitted.pager.used >= 4.6 * LINE
    landings, _ = paginate(fitted.flowables, pager)
    assert landings[0].page == 1 and landings[-1].page == 2
