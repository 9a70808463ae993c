"""Form XObjects written straight out, and formatted once per process for the same drawing.

The PDFs draw what repeats as forms: every page's frame (rules, running title, footer note),
each category chip, and every page number that is known only at the end (exporter.pdf.pages.pagerefs).
A handbook has thousands of page-number forms and each of 500 handouts has its own frame and
chips with the same drawing. ReportLab's form object builds and formats its dictionaries
generically for each one (a quarter of a millisecond), so these are written here instead: the
same dictionary ReportLab writes (bounding box, matrix, the document's fonts, the procedure
sets), formatted once per distinct drawing, with only the fonts' object number filled in.
"""

from __future__ import annotations

import zlib

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfdoc import (
    BasicFonts,
    NoEncryption,
    PDFDocument,
    PDFObject,
    PDFObjectReference,
    pdfdocEnc,
    xObjectName,
)
from reportlab.pdfbase.pdfdoc import format as pdf_format
from reportlab.pdfgen.canvas import Canvas

from exporter.pdf.tagging.marking import recording

Box = tuple[float, float, float, float]
#: The document's attribute listing the forms defined so far.
DEFINED_FORMS = "_exporter_defined_forms"

#: (before the fonts' reference, after it) per (box, drawing, compressed).
_FORMATTED: dict[tuple[Box, bytes, bool], tuple[bytes, bytes]] = {}
#: Enough for the frames and chips every handout repeats; a handbook's tens of thousands of
#: page-number forms, each drawn once, are formatted without being kept.
_FORMATTED_LIMIT = 2048


class FastForm(PDFObject):  # type: ignore[misc]
    """A form XObject that draws text, lines and fills with the document's fonts."""

    __RefOnly__ = 1

    def __init__(self, box: Box, code: bytes, compress: bool) -> None:
        self.box = box
        self.code = code
        self.compress = compress

    def format(self, document: PDFDocument) -> bytes:
        fonts = bytes(pdf_format(PDFObjectReference(BasicFonts), document))
        if not isinstance(document.encrypt, NoEncryption):
            before, after = _formatted(self.box, document.encrypt.encode(self._content()), self.compress)
            return before + fonts + after
        key = (self.box, self.code, self.compress)
        found = _FORMATTED.get(key)
        if found is None:
            found = _formatted(self.box, self._content(), self.compress)
            if len(_FORMATTED) < _FORMATTED_LIMIT:
                _FORMATTED[key] = found
        return found[0] + fonts + found[1]

    def _content(self) -> bytes:
        return zlib.compress(self.code) if self.compress else self.code


def _formatted(box: Box, content: bytes, compressed: bool) -> tuple[bytes, bytes]:
    flate = b"/Filter [ /FlateDecode ] " if compressed else b""
    before = b"<< /BBox [ %s ] %s/FormType 1 /Length %d /Matrix [ 1 0 0 1 0 0 ] /Resources << /Font " % (
        fp_str(*box).encode("ascii"),
        flate,
        len(content),
    )
    after = b" /ProcSet [ /PDF /Text /ImageB /ImageC /ImageI ] >> /Subtype /Form /Type /XObject >>\nstream\n"
    return before, after + content + b"\nendstream\n"


def define_form(canv: Canvas, name: str, box: Box, code: bytes, compress: bool | None = None) -> None:
    """Register a form whose drawing (content-stream operators) is already made."""
    if compress is None:
        compress = bool(canv._pageCompression)
    journal = recording(canv)
    if journal is not None:
        journal.note("form", name, tuple(box), code, compress)
    canv._doc.Reference(FastForm(box, code, compress), xObjectName(name))
    _defined(canv, name)


def _defined(canv: Canvas, name: str) -> None:
    names: list[str] = getattr(canv._doc, DEFINED_FORMS, [])
    names.append(name)
    setattr(canv._doc, DEFINED_FORMS, names)


def defined_forms(document: PDFDocument) -> tuple[str, ...]:
    """The forms defined in document so far, in order."""
    return tuple(getattr(document, DEFINED_FORMS, ()))


def end_form(canv: Canvas) -> None:
    """canv.endForm() for a form begun with canv.beginForm, written as a FastForm.

    A form that uses other forms, links, colour spaces or transparency is left to ReportLab.
    """
    if canv._formsinuse or canv._annotationrefs or canv._colorsUsed or canv._shadingUsed or canv._extgstate.getState():
        journal = recording(canv)
        if journal is not None:
            journal.spoiled = True  # a form ReportLab writes is not replayed
        name = canv._formData[0]
        canv.endForm()
        _defined(canv, name)
        return
    name, lowerx, lowery, upperx, uppery = canv._formData
    width, height = canv._pagesize
    box = (lowerx, lowery, width if upperx is None else upperx, height if uppery is None else uppery)
    code = bytes(pdfdocEnc("\n".join([canv._preamble, *canv._code])))
    define_form(canv, name, box, code)
    canv._doc.inObject = None
    canv._restartAccumulators()
    canv.pop_state_stack()
