"""Each trainee's copy of a PDF: the same bytes, with "Prepared for <name>" at the foot of every page.

Nothing is laid out again per trainee. The stamps of every trainee are drawn once, one page
each, into a small "stamp sheet" (so their glyphs share one font subset), and every PDF is
prepared once: an incremental update appended to it makes its pages draw a form
(`/ExporterStamp`) at their foot, whose content stream is a fixed-length placeholder. A
trainee's copy is then the prepared bytes with that placeholder replaced by the trainee's stamp
content, padded with spaces to the same length: the offsets of every object stay valid, and two
copies differ only inside that stream.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    EncodedStreamObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    PdfObject,
    StreamObject,
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
    canvas = Canvas(buffer, pagesize=(width, STAMP_HEIGHT), invariant=1, pageCompression=1)
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


class _Update:
    """The objects an incremental update adds or replaces, serialised, by object number."""

    def __init__(self, first_free: int) -> None:
        self.next = first_free
        self.bodies: dict[int, bytes] = {}

    def new(self) -> int:
        self.next += 1
        return self.next - 1

    def put(self, number: int, value: PdfObject) -> IndirectObject:
        buffer = io.BytesIO()
        value.write_to_stream(buffer)
        self.bodies[number] = buffer.getvalue()
        return IndirectObject(number, 0, None)


def prepare(pdf: bytes, sheet: StampSheet, origins: tuple[float, ...] = (0.0,)) -> Prepared:
    """pdf with the stamp form drawn at the foot of every page: at each of origins (the left
    edges of the pages on a sheet side: one, or two on a booklet's sheet).

    The form, its fonts and the changed pages are appended as an incremental update (PDF 1.7,
    7.5.6), so the original bytes stay as they are and nothing is parsed but the pages."""
    reader = PdfReader(io.BytesIO(pdf))
    update = _Update(_size(reader))
    copied: dict[int, int] = {}
    fonts = DictionaryObject()
    for page in sheet.reader.pages:
        found = _dictionary(page["/Resources"]).get("/Font")
        for name, font in _dictionary(found).items() if found is not None else ():
            if name not in fonts:
                fonts[NameObject(name)] = _copied(font, update, copied)
    form = DecodedStreamObject()
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(v) for v in (0, 0, sheet.width, STAMP_HEIGHT)),
            NameObject("/Resources"): DictionaryObject({NameObject("/Font"): fonts}),
        }
    )
    length = sheet.longest + 16
    form.set_data(MARKER + b" " * (length - len(MARKER) - 1) + b"\n")
    form_ref = update.put(update.new(), form)
    draws = b"".join(b"q 1 0 0 1 %.2f %.2f cm %s Do Q\n" % (x, STAMP_BOTTOM, FORM_NAME.encode()) for x in origins)
    # The stamp is page furniture in a tagged PDF: an artifact, outside the structure tree.
    draws = b"/Artifact BMC\n" + draws + b"EMC\n"
    before = update.put(update.new(), _stream(b"q\n"))
    after = update.put(update.new(), _stream(b"Q\n" + draws))
    for page in reader.pages:
        assert page.indirect_reference is not None
        update.put(page.indirect_reference.idnum, _stamped_page(page, form_ref, before, after))
    data = _appended(pdf, update, reader)
    offset = data.find(MARKER)
    if offset < 0 or data.find(MARKER, offset + 1) >= 0:
        raise ValueError("the stamp placeholder must occur exactly once")
    return Prepared(data, offset, length)


def _size(reader: PdfReader) -> int:
    size = reader.trailer["/Size"]
    assert isinstance(size, int)
    return size


def _stream(content: bytes) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(content)
    return stream


def _copied(value: PdfObject, update: _Update, copied: dict[int, int]) -> PdfObject:
    """value (from the stamp sheet) with every object it refers to copied into the update."""
    if isinstance(value, IndirectObject):
        if value.idnum not in copied:
            copied[value.idnum] = update.new()
            target = value.get_object()
            assert target is not None, f"the stamp sheet lacks object {value.idnum}"
            update.put(copied[value.idnum], _copied(target, update, copied))
        return IndirectObject(copied[value.idnum], 0, None)
    if isinstance(value, StreamObject):
        stream = EncodedStreamObject()
        stream._data = value._data
        for key, item in value.items():
            stream[NameObject(key)] = _copied(item, update, copied)
        return stream
    if isinstance(value, DictionaryObject):
        return DictionaryObject({NameObject(k): _copied(v, update, copied) for k, v in value.items()})
    if isinstance(value, ArrayObject):
        return ArrayObject(_copied(item, update, copied) for item in value)
    return value


def _stamped_page(
    page: DictionaryObject, form: IndirectObject, before: IndirectObject, after: IndirectObject
) -> DictionaryObject:
    """The page dictionary drawing the form after its own content (which keeps its state in q/Q)."""
    stamped = DictionaryObject(page)
    resources = DictionaryObject(_dictionary(page["/Resources"])) if "/Resources" in page else DictionaryObject()
    xobjects = resources.get("/XObject")
    xobjects = DictionaryObject(_dictionary(xobjects)) if xobjects is not None else DictionaryObject()
    xobjects[NameObject(FORM_NAME)] = form
    resources[NameObject("/XObject")] = xobjects
    stamped[NameObject("/Resources")] = resources
    contents = page.raw_get("/Contents") if "/Contents" in page else None  # a blank page has none
    resolved = contents.get_object() if isinstance(contents, IndirectObject) else contents
    existing = list(resolved) if isinstance(resolved, ArrayObject) else [contents] if contents is not None else []
    stamped[NameObject("/Contents")] = ArrayObject([before, *existing, after])
    return stamped


def _appended(pdf: bytes, update: _Update, reader: PdfReader) -> bytes:
    """pdf with the update's objects, a cross-reference section for them and a trailer after it."""
    out = bytearray(pdf if pdf.endswith(b"\n") else pdf + b"\n")
    offsets: dict[int, int] = {}
    for number in sorted(update.bodies):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + update.bodies[number] + b"\nendobj\n"
    xref = len(out)
    # The free head of the list first, as every writer does (readers check the first entry).
    out += b"xref\n0 1\n0000000000 65535 f \n"
    numbers = sorted(offsets)
    runs: list[list[int]] = []
    for number in numbers:
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    for run in runs:
        out += b"%d %d\n" % (run[0], len(run)) + b"".join(b"%010d 00000 n \n" % offsets[n] for n in run)
    previous = int(pdf[pdf.rindex(b"startxref") + 9 :].split()[0])
    trailer = DictionaryObject(
        {
            NameObject("/Size"): NumberObject(max(update.next, _size(reader))),
            NameObject("/Root"): reader.trailer.raw_get("/Root"),
            NameObject("/Prev"): NumberObject(previous),
            NameObject("/ID"): reader.trailer.raw_get("/ID") if "/ID" in reader.trailer else fixed_id(pdf),
        }
    )
    if "/Info" in reader.trailer:
        trailer[NameObject("/Info")] = reader.trailer.raw_get("/Info")
    buffer = io.BytesIO()
    trailer.write_to_stream(buffer)
    out += b"trailer\n" + buffer.getvalue() + b"\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def _dictionary(value: object) -> DictionaryObject:
    resolved = value.get_object() if hasattr(value, "get_object") else value
    assert isinstance(resolved, DictionaryObject)
    return resolved


def write_zip(target: Path, entries: dict[str, bytes]) -> None:
    """A zip with its entries sorted, a fixed date and fixed permissions: same files, same bytes.
    Stored, not deflated: the PDFs are compressed inside already, and deflating every copy of
    every PDF again would cost as much as laying the course out."""
    import zipfile

    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            archive.writestr(info, entries[name])
