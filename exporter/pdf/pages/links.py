"""Internal links that cost little memory until the file is written.

A handbook of 10,000 techniques has about 100,000 links (contents, quick reference, index,
sources, "see p."). ReportLab's LinkAnnotation keeps a dictionary, a border array and its
options for each until save; `Link` keeps only its rectangle and destination, and formats
as the same LinkAnnotation when the file is written (the same bytes).
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import PDFObject
from reportlab.pdfgen.canvas import Canvas

from exporter.pdf.pages.object_bytes import text_string
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
        """The bytes ReportLab's LinkAnnotation(rect, contents, destination, Border=[0 0 0])
        writes (keys sorted, a line break after every sixth entry), without building it: a
        handbook formats thousands of links, each through a dozen generic calls."""
        entries = [
            b"/Border [ 0 0 0 ]",
            b"/Contents " + text_string(self.contents, document),
            b"/Dest " + _destination(self.destination, document),
            b"/Rect [ " + " ".join(fp_str(value) for value in self.rect).encode("ascii") + b" ]",
        ]
        if self.struct_parent is not None:
            entries.append(b"/StructParent %d" % self.struct_parent)
        entries += (b"/Subtype /Link", b"/Type /Annot")
        if len(entries) > 6:
            entries.insert(6, b"\n ")
        return b"<<\n" + b" ".join(entries) + b"\n>>"


def _destination(destination: Any, document: Any) -> bytes:
    """pdfdoc.format(destination, document); a whole-page destination ("Fit") written at once."""
    if type(destination) is pdfdoc.Destination and type(destination.fmt) is pdfdoc.PDFDestinationFit:
        page = destination.page
        if page is not None:
            destination.fmt.page = page
            number, version = document.idToObjectNumberAndVersion[document.Reference(page).name]
            return b"[ %d %d R /Fit ]" % (number, version)
    return bytes(pdfdoc.format(destination, document))


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
