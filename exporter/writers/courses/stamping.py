"""Each trainee's copy of a PDF: the same bytes, with "Prepared for <name>" at the foot of every page.

Nothing is laid out again per trainee. The stamps of every trainee are drawn once, one page
each, into a small "stamp sheet" (so their glyphs share one font subset), and every PDF is
prepared once: its pages draw a form (`/ExporterStamp`) at their foot, whose content stream is a
fixed-length placeholder. A trainee's copy is then the prepared bytes with that placeholder
replaced by the trainee's stamp content, padded with spaces to the same length: the offsets of
every object stay valid, and two copies differ only inside that stream.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    PdfObject,
)
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from exporter.pdf.glyphs.fonts import HEADING_REGULAR, register_fonts
from exporter.pdf.lines.runs import draw_text, fit_text
from exporter.pdf.pages.styles import MUTED

STAMP_SIZE = 7.5
#: The stamp's band: its height, and how far above the paper's bottom edge its baseline is.
STAMP_HEIGHT = 12.0
STAMP_BASELINE = 3.5
STAMP_BOTTOM = 8 * mm
STAMP_SIDE = 18 * mm
FORM_NAME = "/ExporterStamp"
MARKER = b"%exporter-stamp-placeholder"


def fixed_id(data: bytes) -> ArrayObject:
    """A PDF /ID from the content (pypdf would otherwise write a random one)."""
    digest = ByteStringObject(hashlib.md5(data, usedforsecurity=False).digest())
    return ArrayObject([digest, digest])


@dataclass(frozen=True)
class StampSheet:
    """Every trainee's stamp, drawn once: their content streams and the fonts they use."""

    reader: PdfReader
    contents: tuple[bytes, ...]
    width: float

    @property
    def longest(self) -> int:
        return max(len(content) for content in self.contents)


def draw_stamp_sheet(texts: list[str], width: float, rtl: bool) -> StampSheet:
    """One page per stamp text, width wide: the texts centred, fitted, in the footer's type."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, STAMP_HEIGHT), invariant=1, pageCompression=0)
    room = width - 2 * STAMP_SIDE
    for text in texts:
        canvas.setFillColor(MUTED)
        fitted = fit_text(text, STAMP_SIZE, room, HEADING_REGULAR)
        draw_text(canvas, width / 2, STAMP_BASELINE, fitted, STAMP_SIZE, HEADING_REGULAR, align="centre", rtl=rtl)
        canvas.showPage()
    canvas.save()
    reader = PdfReader(io.BytesIO(buffer.getvalue()))
    contents = tuple(bytes(page.get_contents().get_data()) for page in reader.pages)  # type: ignore[union-attr]
    return StampSheet(reader, contents, width)


@dataclass(frozen=True)
class Prepared:
    """A PDF whose pages draw the stamp form, with the form's content left as a placeholder."""

    data: bytes
    offset: int
    length: int

    def copy_for(self, content: bytes) -> bytes:
        """The PDF with this stamp content in the form (the same length: nothing else moves)."""
        if len(content) > self.length:
            raise ValueError("a stamp is longer than the room prepared for it")
        padded = content + b" " * (self.length - len(content))
        return self.data[: self.offset] + padded + self.data[self.offset + self.length :]


def prepare(pdf: bytes, sheet: StampSheet, origins: tuple[float, ...] = (0.0,)) -> Prepared:
    """pdf with the stamp form drawn at the foot of every page: at each of origins (the left
    edges of the pages on a sheet side: one, or two on a booklet's sheet)."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    fonts = DictionaryObject()
    for page in sheet.reader.pages:
        found = _dictionary(page["/Resources"]).get("/Font")
        if found is not None:
            for name, font in _dictionary(found).items():
                fonts.setdefault(name, font)
    resources = DictionaryObject({NameObject("/Font"): fonts.clone(writer)})
    form = DecodedStreamObject()
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(sheet.width),
                                              FloatObject(STAMP_HEIGHT)]),
            NameObject("/Resources"): resources,
        }
    )  # fmt: skip
    length = sheet.longest + 16
    form.set_data(MARKER + b" " * (length - len(MARKER) - 1) + b"\n")
    form_ref = writer._add_object(form)
    for page in writer.pages:
        _draw_form_on(writer, page, form_ref, origins)
    writer._ID = fixed_id(pdf)
    buffer = io.BytesIO()
    writer.write(buffer)
    data = buffer.getvalue()
    offset = data.find(MARKER)
    if offset < 0 or data.find(MARKER, offset + 1) >= 0:
        raise ValueError("the stamp placeholder must occur exactly once")
    return Prepared(data, offset, length)


def _draw_form_on(writer: PdfWriter, page: DictionaryObject, form_ref: PdfObject, origins: tuple[float, ...]) -> None:
    resources = _dictionary(page["/Resources"])
    if "/XObject" not in resources:
        resources[NameObject("/XObject")] = DictionaryObject()
    _dictionary(resources["/XObject"])[NameObject(FORM_NAME)] = form_ref
    before, after = DecodedStreamObject(), DecodedStreamObject()
    before.set_data(b"q\n")
    draws = b"".join(b"q 1 0 0 1 %.2f %.2f cm %s Do Q\n" % (x, STAMP_BOTTOM, FORM_NAME.encode()) for x in origins)
    after.set_data(b"Q\n" + draws)
    contents = page["/Contents"]
    resolved = contents.get_object()
    existing = list(resolved) if isinstance(resolved, ArrayObject) else [contents]
    page[NameObject("/Contents")] = ArrayObject([writer._add_object(before), *existing, writer._add_object(after)])


def _dictionary(value: object) -> DictionaryObject:
    resolved = value.get_object() if hasattr(value, "get_object") else value
    assert isinstance(resolved, DictionaryObject)
    return resolved


def stamped_copies(prepared: Prepared, sheet: StampSheet) -> list[bytes]:
    """Every trainee's copy, in the order of the stamp sheet."""
    return [prepared.copy_for(content) for content in sheet.contents]


def write_zip(target: Path, entries: dict[str, bytes]) -> None:
    """A zip with its entries sorted, a fixed date and fixed permissions: same files, same bytes."""
    import zipfile

    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, entries[name], compresslevel=6)
