"""Link annotations are written with the bytes ReportLab's LinkAnnotation gives (exporter writes
them itself, faster): every key, the sorted order, the line break and each value's form."""

from __future__ import annotations

import io
from typing import Any

import pytest
from reportlab.pdfbase.pdfdoc import LinkAnnotation, PDFArray
from reportlab.pdfgen.canvas import Canvas

from exporter.pdf.pages.links import Link


def reportlab_bytes(link: Link, document: Any) -> bytes:
    annotation = LinkAnnotation(link.rect, link.contents, link.destination, Border=PDFArray([0, 0, 0]))
    if link.struct_parent is None:
        return bytes(annotation.format(document))
    entries = annotation.Dict()
    entries.dict["StructParent"] = link.struct_parent
    return bytes(entries.format(document))


@pytest.mark.parametrize("contents", ["", "Quick reference", "Stop (and) rewind \\ 50%", "🧭 Problem solving", "Ωμέγα"])
@pytest.mark.parametrize("struct_parent", [None, 0, 12345])
@pytest.mark.parametrize("rect", [(124.7244, 700.5157, 470.5512, 715.0157), (0, 0, 10, 20.5), (1e-5, -3.25, 100.0, 2)])
def test_a_link_is_written_as_reportlab_writes_it(
    contents: str, struct_parent: int | None, rect: tuple[float, float, float, float]
) -> None:
    canvas = Canvas(io.BytesIO())
    canvas.bookmarkPage("chapter")
    canvas.showPage()
    link = Link(rect, canvas._bookmarkReference("chapter"))
    link.contents = contents
    link.struct_parent = struct_parent
    document = canvas._doc
    expected = reportlab_bytes(link, document)
    assert link.format(document) == expected
    assert b"/Subtype /Link" in expected and b" 0 R /Fit ]" in expected
