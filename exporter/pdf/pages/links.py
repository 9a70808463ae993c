"""Internal links that cost little memory until the file is written.

A handbook of 10,000 techniques has about 100,000 links (contents, quick reference, index,
sources, "see p."). ReportLab's LinkAnnotation keeps a dictionary, a border array and its
options for each until save; `Link` keeps only its rectangle and destination, and formats
as the same LinkAnnotation when the file is written (the same bytes).
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase.pdfdoc import LinkAnnotation, PDFArray, PDFObject
from reportlab.pdfgen.canvas import Canvas

from exporter.pdf.tagging.marking import recording


class Link(PDFObject):  # type: ignore[misc]
    """A link annotation to a named destination, with no visible border.

    In a tagged PDF it also has a description (`contents`) and its key in the parent tree
    (`struct_parent`, exporter.pdf.tagging.marking.link_annotation).
    """

    __slots__ = ("rect", "destination", "contents", "struct_parent", "__InternalName__")

    def __init__(self, rect: tuple[float, float, float, float], destination: Any) -> None:
        self.rect = rect
        self.destination = destination
        self.contents = ""
        self.struct_parent: int | None = None

    def format(self, document: Any) -> bytes:
        annotation = LinkAnnotation(self.rect, self.contents, self.destination, Border=PDFArray([0, 0, 0]))
        if self.struct_parent is None:
            return bytes(annotation.format(document))
        entries = annotation.Dict()
        entries.dict["StructParent"] = self.struct_parent
        return bytes(entries.format(document))


def link_box(canv: Canvas, key: str, width: float, height: float) -> None:
    """Make the box (0, 0, width, height) in the current coordinates a link to key's destination,
    as canv.linkRect("", key, box, relative=1, thickness=0) would."""
    rect = canv._absRect((0, 0, width, height), 1)
    journal = recording(canv)
    if journal is not None:
        journal.note("link", tuple(rect), key)
    add_link(canv, rect, key)


def add_link(canv: Canvas, rect: tuple[float, float, float, float], key: str) -> None:
    """A link annotation on the current page: rect (page coordinates) to key's destination."""
    canv._addAnnotation(Link(rect, canv._bookmarkReference(key)), None, 1)
