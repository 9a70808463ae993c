"""Booklets: pages set at half the paper (A5 on A4, half-letter on Letter) imposed two to a
sheet side for saddle-stitching, printed two-sided, flipped on the short edge.

With N pages padded with blanks at the end to a multiple of four, sheet s (from 0) carries on
its front pages N-2s (left) and 2s+1 (right), on its back 2s+2 (left) and N-2s-1 (right),
counting pages from 1: fold the stack in the middle and the pages read in order. Pages are
placed at their own size, never scaled, so the type stays the size it was set at.

A booklet is a print imposition: its page order is the sheets', not the reading order, and
its pages are another file's pages placed on sheets, so it makes no claim to be tagged (no
structure tree, no /MarkInfo); its title says it is the print booklet. The accessible copy is
the unimposed pack written beside it (see exporter.writers.courses).
"""

from __future__ import annotations

import io
from collections.abc import Callable

from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import BooleanObject, NameObject, TextStringObject

from exporter.writers.courses.stamping import fixed_id


def padded_count(pages: int) -> int:
    """The booklet's page count: pages rounded up to a multiple of four."""
    return -(-pages // 4) * 4


def sheet_sides(pages: int) -> list[tuple[int, int]]:
    """(left, right) page numbers (from 1) of every sheet side in printing order: front, back,
    front, back... A number above `pages` is a blank page."""
    total = padded_count(pages)
    sides: list[tuple[int, int]] = []
    for sheet in range(total // 4):
        sides.append((total - 2 * sheet, 2 * sheet + 1))
        sides.append((2 * sheet + 2, total - 2 * sheet - 1))
    return sides


def page_origins(sheet_width: float, page_width: float) -> tuple[float, float]:
    """Where the left and right pages start on a sheet side: either side of the fold, in the
    middle (two A5 pages are 296 mm, an A4 sheet 297 mm: the half millimetre is outside)."""
    middle = sheet_width / 2
    return middle - page_width, middle


def impose_booklet(pdf: bytes, sheet: tuple[float, float], title_of: Callable[[str], str] = str) -> bytes:
    """The PDF's pages imposed as a saddle-stitched booklet on sheets of this (landscape) size,
    titled title_of(the PDF's title), in the PDF's language."""
    reader = PdfReader(io.BytesIO(pdf))
    origins = page_origins(sheet[0], float(reader.pages[0].mediabox.width))
    writer = PdfWriter()
    for left, right in sheet_sides(len(reader.pages)):
        side = writer.add_blank_page(*sheet)
        for number, shift in zip((left, right), origins, strict=True):
            if number <= len(reader.pages):
                side.merge_transformed_page(reader.pages[number - 1], Transformation().translate(shift, 0))
    _describe(writer, reader, title_of)
    writer._ID = fixed_id(pdf)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _describe(writer: PdfWriter, reader: PdfReader, title_of: Callable[[str], str]) -> None:
    """The booklet's title (shown instead of its file name) and language, from the PDF's."""
    title = reader.metadata.title if reader.metadata is not None else None
    if title:
        writer.add_metadata({"/Title": title_of(str(title))})
        writer.create_viewer_preferences()[NameObject("/DisplayDocTitle")] = BooleanObject(True)
    language = reader.root_object.get("/Lang")
    if language:
        writer._root_object[NameObject("/Lang")] = TextStringObject(str(language))
