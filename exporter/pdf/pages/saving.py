"""How a long PDF is kept and written without holding the whole file in memory.

ReportLab keeps every finished page's drawing as text until save(), then collects the whole
file in memory and joins it before writing: a 24,000-page handbook held its content three
times over. Here each page's content stream is compressed when the page is finished and kept
in a temporary file (`PageSpool`), and save writes each object to the file as it is
formatted (`save_streamed`), then a tagged document's structure objects from their own spool
(exporter.pdf.tagging.objects), then the cross-reference table. An untagged document's bytes
are exactly what canvas.save() writes.
"""

from __future__ import annotations

import tempfile
import zlib
from array import array
from pathlib import Path
from typing import Any, BinaryIO

from reportlab import rl_config
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFZCompress
from reportlab.pdfgen.canvas import Canvas

from exporter.pdf.pages.object_bytes import page_bytes
from exporter.pdf.tagging.marking import structure_objects_of
from exporter.pdf.tagging.objects import StructureObjects, make_room


class _SpooledStream(PDFStream):  # type: ignore[misc]
    """A compressed page stream whose bytes wait in the spool until the file is written."""

    def __init__(self, spool: PageSpool, offset: int, length: int) -> None:
        super().__init__(PDFDictionary({"Filter": PDFArray([PDFName(PDFZCompress.pdfname)])}))
        self.__Comment__ = "page stream"
        self.spool = spool
        self.offset = offset
        self.length = length

    def format(self, document: Any) -> bytes:
        self.content = self.spool.read(self.offset, self.length)
        try:
            return bytes(super().format(document))
        finally:
            self.content = None  # type: ignore[assignment]


class PageSpool:
    """Finished pages' compressed content streams, in a nameless temporary file beside the output."""

    def __init__(self, folder: Path) -> None:
        self._file = tempfile.TemporaryFile(dir=folder)
        self._end = 0

    def page_finished(self, canv: Canvas, compressed: bytes | None = None) -> bytes | None:
        """Compress the page canv has just finished (or take its stream compressed, as a replayed
        page brings it), spool it, and drop its text; return the compressed stream."""
        page = canv._doc.Pages.pages[-1]
        if not page.compression or page.Contents or not page.stream:
            return None
        if compressed is None:
            text = page.stream.encode("utf8") if isinstance(page.stream, str) else page.stream
            compressed = zlib.compress(text)  # as ReportLab's FlateDecode filter does it
        self._file.seek(self._end)
        self._file.write(compressed)
        page.Contents = _SpooledStream(self, self._end, len(compressed))
        page.stream = None
        self._end += len(compressed)
        return compressed

    def read(self, offset: int, length: int) -> bytes:
        self._file.seek(offset)
        return self._file.read(length)

    def close(self) -> None:
        self._file.close()


class _ReleasedOnceWritten(pdfdoc.PDFIndirectObject):  # type: ignore[misc]
    """An object written to the file, then let go: the document's table keeps its name (for
    references) but not the object, and a written page lets go of its resources, which ReportLab
    makes while writing the page and writes at the end. Every object is written exactly once."""

    def format(self, document: Any) -> bytes:
        if type(self.content) is pdfdoc.PDFPage:
            number, version = document.idToObjectNumberAndVersion[self.name]
            formatted = b"%d %d obj\n" % (number, version) + page_bytes(self.content, document) + b"\nendobj\n"
        else:
            formatted = bytes(super().format(document))
        if isinstance(self.content, pdfdoc.PDFPage):
            self.content.Resources = None
        document.idToObject[self.name] = None
        return formatted


class _Output:
    """The file being written, and where each object starts in it: places, by object number,
    holds 1 + its offset (a structure object's entry, negative, is its place in the spool)."""

    def __init__(self, file: BinaryIO, places: array[int]) -> None:
        self._file = file
        self.offset = 0
        self.places = places

    def add(self, data: bytes) -> int:
        """Write data; return where it starts."""
        start = self.offset
        self._file.write(data)
        self.offset += len(data)
        return start

    def place(self, number: int, offset: int) -> None:
        make_room(self.places, number)
        self.places[number] = offset + 1


def save_compact(canv: Canvas, target: Path) -> None:
    """save_streamed as exporter's PDFs are saved: the fonts in a fixed order (by their resource
    names), not in the order the pages first used them (which fonts a file holds depends on its
    pages, their order not), and streams compressed but not ASCII85-encoded (which makes them a
    quarter bigger and costs time)."""
    canv._doc.delayedFonts.sort(key=lambda font: str(getattr(font, "resource_name", "") or font.fontName))
    saved_a85 = rl_config.useA85
    rl_config.useA85 = 0
    try:
        save_streamed(canv, target)
    finally:
        rl_config.useA85 = saved_a85


def save_streamed(canv: Canvas, target: Path) -> None:
    """canv.save(), writing each PDF object to target as soon as it is formatted; a tagged
    document's structure objects come from their spool (exporter.pdf.tagging.objects)."""
    if len(canv._code):
        canv.showPage()
    document = canv._doc
    # What PDFDocument.GetPDFData does before format().
    for font in document.delayedFonts:
        font.addObjects(document)
    document.info.invariant = document.invariant
    document.info.digest(document.signature)
    document.Reference(document.Catalog)
    document.Reference(document.info)
    document.Outlines.prepare(document, canv)
    if document.Outlines.ready < 0:
        document.Catalog.Outlines = None
    with open(target, "wb") as file:
        structure = structure_objects_of(canv)
        _write_document(document, _Output(file, array("q") if structure is None else structure.places), structure)


def _write_document(document: Any, out: _Output, structure: StructureObjects | None) -> None:
    """PDFDocument.format(), each object written as it is formatted: ReportLab's objects in
    number order, then the structure's, then the cross-reference table and the trailer."""
    if not isinstance(document.encrypt, pdfdoc.NoEncryption) or getattr(document, "_digiSigs", None):
        raise ValueError("exporter's PDFs are neither encrypted nor signed")
    document.encrypt.prepare(document)
    catalog, info = document.Catalog, document.info
    document.Reference(catalog)
    document.Reference(info)
    out.add(pdfdoc.PDFFile(document._pdfVersion).format(document))
    names = document.numberToId
    comments = not rl_config.invariant and rl_config.pdfComments
    number = 0
    while number < document.objectcounter:  # objects made while formatting come last
        number += 1
        name = names.get(number)
        if name is None:
            continue  # a structure object
        content = document.idToObject[name]
        if comments:
            out.add(pdfdoc.pdfdocEnc(f"% {name!a}: class {content.__class__.__name__[:50]} \n"))
        out.place(number, out.add(_ReleasedOnceWritten(name, content).format(document)))
    spooled = out.offset
    if structure is not None:
        structure.copy_to(out.add)
    count = document.objectcounter
    places = out.places
    if len(places) <= count or 0 in places[1 : count + 1]:
        raise ValueError("an object of the document was never written")
    start = out.add(b"xref\n0 %d\n0000000000 65535 f \n" % (count + 1))
    for first in range(1, count + 1, 4096):
        entries = places[first : min(first + 4096, count + 1)]
        out.add(b"".join(b"%010d 00000 n \n" % (p - 1 if p > 0 else spooled - p - 1) for p in entries))
    trailer = pdfdoc.PDFTrailer(
        startxref=start,
        Size=count + 1,
        Root=document.Reference(catalog),
        Info=document.Reference(info),
        ID=document.ID(),
    )
    out.add(trailer.format(document))
