"""How a long PDF is kept and written without holding the whole file in memory.

ReportLab keeps every finished page's drawing as text until save(), then collects the whole
file in memory and joins it before writing: a 24,000-page handbook held its content three
times over. Here each page's content stream is compressed when the page is finished and kept
in a temporary file (`PageSpool`), and save writes each object to the file as it is
formatted (`save_streamed`). The bytes are exactly what canvas.save() writes.
"""

from __future__ import annotations

import tempfile
import zlib
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFZCompress
from reportlab.pdfgen.canvas import Canvas


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

    def page_finished(self, canv: Canvas) -> None:
        """Compress the page canv has just finished, spool it, and drop its text."""
        page = canv._doc.Pages.pages[-1]
        if not page.compression or page.Contents or not page.stream:
            return
        text = page.stream.encode("utf8") if isinstance(page.stream, str) else page.stream
        compressed = zlib.compress(text)  # as ReportLab's FlateDecode filter does it
        self._file.seek(self._end)
        self._file.write(compressed)
        page.Contents = _SpooledStream(self, self._end, len(compressed))
        page.stream = None
        self._end += len(compressed)

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
        direct = getattr(self.content, "formatted_object", None)
        if direct is not None and isinstance(document.encrypt, pdfdoc.NoEncryption):
            # A plain dictionary by the hundred thousand (structure elements): written as
            # PDFIndirectObject writes it, without its generic dispatch.
            number = document.idToObjectNumberAndVersion[self.name][0]
            document.idToObject[self.name] = None
            return b"%d 0 obj\n%s\nendobj\n" % (number, direct(document))
        formatted = bytes(super().format(document))
        if isinstance(self.content, pdfdoc.PDFPage):
            self.content.Resources = None
        document.idToObject[self.name] = None
        return formatted


def save_streamed(canv: Canvas, target: Path) -> None:
    """canv.save(), writing each PDF object to target as soon as it is formatted."""
    if len(canv._code):
        canv.showPage()
    with open(target, "wb") as out:

        class WrittenThrough(pdfdoc.PDFFile):  # type: ignore[misc]
            def __init__(self, pdf_version: tuple[int, int]) -> None:
                super().__init__(pdf_version)
                header: list[bytes] = self.strings
                for piece in header:
                    out.write(piece)
                self.strings: list[bytes] = []
                self.write = out.write

            def format(self, document: object) -> bytes:
                return b""

        # PDFDocument.format() makes its collector and each object's wrapper by these module-level names.
        collector, wrapper = pdfdoc.PDFFile, pdfdoc.PDFIndirectObject
        pdfdoc.PDFFile, pdfdoc.PDFIndirectObject = WrittenThrough, _ReleasedOnceWritten
        try:
            canv._doc.GetPDFData(canv)
        finally:
            pdfdoc.PDFFile, pdfdoc.PDFIndirectObject = collector, wrapper
