"""Booklets: pages set at half the paper (A5 on A4, half-letter on Letter) imposed two to a
sheet side for saddle-stitching, printed two-sided, flipped on the short edge.

With N pages padded with blanks at the end to a multiple of four, sheet s (from 0) carries on
its front pages N-2s (left) and 2s+1 (right), on its back 2s+2 (left) and N-2s-1 (right),
counting pages from 1: fold the stack in the middle and the pages read in order. Pages are
placed at their own size, never scaled, so the type stays the size it was set at.
"""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter, Transformation

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


def impose_booklet(pdf: bytes) -> bytes:
    """The PDF's pages imposed as a saddle-stitched booklet on sheets twice their width."""
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    width, height = float(box.width), float(box.height)
    writer = PdfWriter()
    for left, right in sheet_sides(len(reader.pages)):
        side = writer.add_blank_page(2 * width, height)
        for number, shift in ((left, 0.0), (right, width)):
            if number <= len(reader.pages):
                side.merge_transformed_page(reader.pages[number - 1], Transformation().translate(shift, 0))
    writer._ID = fixed_id(pdf)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
