"""Saving object by object (exporter.pdf.pages.saving) writes the file ReportLab writes."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from exporter.pdf.pages.saving import save_streamed


def _draw(path: Path) -> Canvas:
    canvas = Canvas(str(path), invariant=1, pageCompression=1)
    canvas.setTitle("Three pages & a link")
    canvas.beginForm("frame")
    canvas.line(10, 10, 200, 10)
    canvas.endForm()
    for number in range(1, 4):
        canvas.bookmarkPage(f"page-{number}")
        canvas.addOutlineEntry(f"Page {number}", f"page-{number}", level=0)
        canvas.doForm("frame")
        canvas.drawString(72, 720, f"Page {number}: <text> & more")
        canvas.linkRect("", "page-1", (72, 700, 200, 712), relative=0)
        canvas.showPage()
    canvas.drawString(72, 720, "Left on the last page, unshown")
    return canvas


def test_an_untagged_document_is_written_byte_for_byte_as_reportlab_writes_it(tmp_path: Path) -> None:
    _draw(tmp_path / "reportlab.pdf").save()
    save_streamed(_draw(tmp_path / "streamed.pdf"), tmp_path / "streamed.pdf")
    assert (tmp_path / "streamed.pdf").read_bytes() == (tmp_path / "reportlab.pdf").read_bytes()
    reader = PdfReader(tmp_path / "streamed.pdf")
    assert len(reader.pages) == 4 and "unshown" in reader.pages[3].extract_text()
    assert [entry.title for entry in reader.outline] == ["Page 1", "Page 2", "Page 3"]
