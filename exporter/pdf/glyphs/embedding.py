"""Embedding the body faces once per process instead of once per PDF (for 500 handouts).

ReportLab builds a font's subsets from the characters in the order a document first draws
them, then, when saving, cuts each subset out of the font file, compresses it and writes its
widths and its ToUnicode map. Handouts are many small documents from the same text, so:

- `seed_subsets` gives every document the same subsets from the start: every character the
  library's text uses, in code-point order (characters outside them still get added); the
  handbook and course packs seed every font with what it draws (exporter.pdf.pages.subsets);
- `EmbeddedFont` keeps what it made for a subset (font program, compressed stream, widths,
  ToUnicode map) and hands the same bytes to the next document with the same subset.

The PDF is byte for byte what ReportLab writes for those subsets; only the work is shared.
The fonts' names in the pages' resources are fixed (`resource_name`), not numbered by first use.
"""

from __future__ import annotations

import hashlib
import re
import struct
from collections.abc import Callable, Iterable, Mapping

from reportlab.pdfbase import pdfdoc, ttfonts

_FLATE = pdfdoc.PDFZCompress


class _Formatted(pdfdoc.PDFObject):  # type: ignore[misc]
    """A direct PDF object (an array of widths) already formatted."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, document: object) -> bytes:
        return self.data


class _Slot(pdfdoc.PDFObject):  # type: ignore[misc]
    """Stands for the index-th reference of an object while it is formatted into a template."""

    def __init__(self, index: int) -> None:
        self.index = index

    def format(self, document: object) -> bytes:
        return b"\x00slot%d\x00" % self.index


_SLOT = re.compile(rb"\x00slot(\d+)\x00")


class _Templated(pdfdoc.PDFObject):  # type: ignore[misc]
    """An object formatted once per process: the same bytes, with the references it holds
    (whose object numbers differ from document to document) filled in as it is written."""

    def __init__(self, pieces: list[bytes], order: list[int], references: list[object]) -> None:
        self.pieces = pieces
        self.order = order
        self.references = references

    def format(self, document: pdfdoc.PDFDocument) -> bytes:
        out = [self.pieces[0]]
        for index, piece in zip(self.order, self.pieces[1:], strict=True):
            out.append(pdfdoc.format(self.references[index], document))
            out.append(piece)
        return b"".join(out)


class _FormattedStream(pdfdoc.PDFObject):  # type: ignore[misc]
    """A stream object (font program, ToUnicode map) formatted once per process: it holds no
    references, so every document writes the same bytes."""

    __RefOnly__ = 1

    def __init__(self, key: object, make: Callable[[], pdfdoc.PDFStream]) -> None:
        self.key = key
        self.make = make

    def format(self, document: pdfdoc.PDFDocument) -> bytes:
        if not isinstance(document.encrypt, pdfdoc.NoEncryption):
            return bytes(self.make().format(document))
        found = _FORMATTED_STREAMS.get(self.key)
        if found is None:
            found = _FORMATTED_STREAMS[self.key] = bytes(self.make().format(document))
        return found


_FORMATTED_STREAMS: dict[object, bytes] = {}


class _TemplatedFont(_Templated):
    __RefOnly__ = 1  # a font is written as an object of its own, like pdfdoc.PDFTrueTypeFont


def _template(formatted: bytes) -> tuple[list[bytes], list[int]]:
    """The pieces of formatted bytes between the slots, and which slot sits between each two."""
    parts = _SLOT.split(formatted)
    return parts[0::2], [int(index) for index in parts[1::2]]


def subset_tag(face_name: bytes, number: int, program: bytes) -> bytes:
    """Six capital letters naming one subset (PDF/UA asks each subset for its own tag): from
    the face, the subset's number and its font program, so the same subset gets the same tag
    in every process (the characters' codes may not: glyphcodes numbers shaped glyphs as they
    come)."""
    digest = hashlib.sha256(b"%s/%d/" % (face_name, number) + program).digest()
    return bytes(65 + byte % 26 for byte in digest[:6])


class EmbeddedFont(ttfonts.TTFont):  # type: ignore[misc]
    """A TTFont that makes each distinct subset's objects once per process.

    resource_name is the font's name in every page's resources ("/B3+0" for its first subset):
    fixed, where ReportLab numbers fonts F1, F2... in the order a document first uses them, so
    a page names its fonts the same whatever the pages before it drew.
    """

    def __init__(self, name: str, filename: str, shapable: bool = True, resource_name: str | None = None) -> None:
        super().__init__(name, filename, shapable=shapable)
        self.resource_name = resource_name
        _unscale_trailing_advances(self.face)
        self._subsets: dict[tuple[int, ...], tuple[bytes, bytes]] = {}
        self._tags: dict[tuple[int, tuple[int, ...]], bytes] = {}
        self._cut_subset = self.face.makeSubset
        self.face.makeSubset = lambda subset: self._parts(tuple(subset))[0]

    def getSubsetInternalName(self, subset: int, doc: pdfdoc.PDFDocument) -> str:
        """As TTFont.getSubsetInternalName, with the font named resource_name."""
        state = self.state.get(doc)
        if self.resource_name is not None and (state is None or state.internalName is None):
            if state is None:
                state = self.state[doc] = ttfonts.TTFont.State(self._asciiReadable, self)
            state.internalName = self.resource_name
            doc.fontMapping[self.fontName] = "/" + self.resource_name
            doc.delayedFonts.append(self)
        name: str = super().getSubsetInternalName(subset, doc)
        return name

    def _parts(self, subset: tuple[int, ...]) -> tuple[bytes, bytes]:
        """(font program, formatted widths array) of one subset, made once."""
        found = self._subsets.get(subset)
        if found is None:
            program = self._cut_subset(list(subset))
            widths = pdfdoc.PDFArray(list(map(self.face.getCharWidth, subset))).format(None)
            found = self._subsets[subset] = (program, widths)
        return found

    def addObjects(self, doc: pdfdoc.PDFDocument) -> None:
        """As TTFont.addObjects, with each subset's pieces made once and compressed once."""
        try:
            state = self.state[doc]
        except KeyError:
            state = self.state[doc] = ttfonts.TTFont.State(self._asciiReadable)
        state.frozen = 1
        for n, subset in enumerate(state.subsets):
            internal_name = self.getSubsetInternalName(n, doc)[1:]
            tag = self._tags.get((n, tuple(subset)))
            if tag is None:
                tag = self._tags[(n, tuple(subset))] = subset_tag(self.face.name, n, self._parts(tuple(subset))[0])
            base_font_name = (b"".join((tag, b"+", self.face.name,
                                        self.face.subfontNameX))).decode("pdfdoc")  # fmt: skip
            key = tuple(subset)

            def cmap_stream(key: tuple[int, ...] = key, base_font_name: str = base_font_name) -> pdfdoc.PDFStream:
                stream = pdfdoc.PDFStream()
                stream.content = self._to_unicode(key, base_font_name)
                if doc.compression:
                    stream.filters = [_FLATE]
                return stream

            to_unicode = doc.Reference(
                _FormattedStream(("cmap", self.fontName, key, base_font_name, doc.compression), cmap_stream),
                "toUnicodeCMap:" + base_font_name,
            )
            descriptor = self._descriptor(doc, base_font_name, subset)
            pieces, order = self._font_template(doc, key, n, internal_name, base_font_name)
            pdf_font = _TemplatedFont(pieces, order, [to_unicode, descriptor])
            pdf_font.__Comment__ = f"Font {self.fontName} subset {n}"
            doc.Reference(pdf_font, internal_name)
            doc.idToObject["BasicFonts"].dict[internal_name] = pdf_font
        del self.state[doc]

    def _font_template(
        self, doc: pdfdoc.PDFDocument, subset: tuple[int, ...], n: int, internal_name: str, base_font_name: str
    ) -> tuple[list[bytes], list[int]]:
        """The font dictionary of a subset as pdfdoc.PDFTrueTypeFont writes it, made once."""
        cache: dict[tuple[object, ...], tuple[list[bytes], list[int]]] = self.__dict__.setdefault("_fonts", {})
        found = cache.get((subset, internal_name, base_font_name))
        if found is None:
            pdf_font = pdfdoc.PDFTrueTypeFont()
            pdf_font.Name = internal_name
            pdf_font.BaseFont = base_font_name
            pdf_font.FirstChar = 0
            pdf_font.LastChar = len(subset) - 1
            pdf_font.Widths = _Formatted(self._parts(subset)[1])
            pdf_font.ToUnicode = _Slot(0)
            pdf_font.FontDescriptor = _Slot(1)
            found = cache[(subset, internal_name, base_font_name)] = _template(pdf_font.format(doc))
        return found

    def _to_unicode(self, subset: tuple[int, ...], base_font_name: str) -> bytes:
        text = ttfonts.makeToUnicodeCMap(base_font_name, list(subset))
        return text.encode("utf8") if isinstance(text, str) else bytes(text)

    def _descriptor(self, doc: pdfdoc.PDFDocument, base_font_name: str, subset: list[int]) -> object:
        """As TTFontFace.addSubsetObjects, with the font program compressed once."""
        face = self.face

        def font_file() -> pdfdoc.PDFStream:
            stream = pdfdoc.PDFStream()
            stream.content = face.makeSubset(subset)
            stream.dictionary["Length1"] = len(stream.content)
            if doc.compression:
                stream.filters = [_FLATE]
            return stream

        key = ("program", self.fontName, tuple(subset), doc.compression)
        font_file_ref = doc.Reference(_FormattedStream(key, font_file), f"fontFile:{face.filename}({base_font_name})")
        cache: dict[str, tuple[list[bytes], list[int]]] = self.__dict__.setdefault("_descriptors", {})
        found = cache.get(base_font_name)
        if found is None:
            flags = (face.flags & ~ttfonts.FF_NONSYMBOLIC) | ttfonts.FF_SYMBOLIC
            dictionary = pdfdoc.PDFDictionary(
                {
                    "Type": "/FontDescriptor",
                    "Ascent": face.ascent,
                    "CapHeight": face.capHeight,
                    "Descent": face.descent,
                    "Flags": flags,
                    "FontBBox": pdfdoc.PDFArray(face.bbox),
                    "FontName": pdfdoc.PDFName(base_font_name),
                    "ItalicAngle": face.italicAngle,
                    "StemV": face.stemV,
                    "FontFile2": _Slot(0),
                    "MissingWidth": face.defaultWidth,
                }
            )
            found = cache[base_font_name] = _template(dictionary.format(doc))
        return doc.Reference(_Templated(*found, [font_file_ref]), "fontDescriptor:" + base_font_name)


#: A font's subset state right after seeding, per (font, characters): assignments, subsets, next code.
_SEEDED: dict[tuple[str, str], tuple[dict[int, int], list[list[int]], int] | None] = {}
_SEEDED_LIMIT = 256


def _unscale_trailing_advances(face: ttfonts.TTFontFace) -> None:
    """Give the glyphs after the font's last full metric their advance in font units again.

    ReportLab reads those (most emoji of the emoji font) with the last advance already scaled to
    thousandths of an em and writes that into each subset's hmtx; MuPDF then takes the emoji for
    half as wide as drawn and reads a space after one that is not followed by one.
    """
    full = struct.unpack(">H", face.get_table("hhea")[34:36])[0]
    if 0 < full < len(face.hmetrics):
        advance = face.hmetrics[full - 1][0]
        face.hmetrics[full:] = [(advance, lsb) for _, lsb in face.hmetrics[full:]]


def seed_subsets(fonts: Iterable[str], characters: str, doc: pdfdoc.PDFDocument) -> None:
    """Give doc's subsets of each font every character of characters it can draw, in the order
    given (code-point order from library_characters; see exporter.pdf.pages.subsets).

    The first document of a process is seeded character by character (TTFont.splitString);
    the next ones get a copy of the state that left, which is the same state, made at once.
    """
    from reportlab.pdfbase import pdfmetrics

    for name in fonts:
        font = pdfmetrics.getFont(name)
        key = (name, characters)
        if key not in _SEEDED or doc in font.state:
            drawable = "".join(c for c in characters if ord(c) in font.face.charToGlyph)
            fresh = doc not in font.state
            if drawable:
                font.splitString(drawable, doc)
            if fresh:
                state = font.state.get(doc)
                if len(_SEEDED) >= _SEEDED_LIMIT:  # course packs: one seed per pack and font
                    _SEEDED.clear()
                _SEEDED[key] = None if state is None else _snapshot(state)
            continue
        seeded = _SEEDED[key]
        if seeded is not None:
            state = font.state[doc] = ttfonts.TTFont.State(font._asciiReadable, font)
            assignments, subsets, next_code = seeded
            state.assignments = dict(assignments)
            state.subsets = [list(subset) for subset in subsets]
            state.nextCode = next_code


def seed_fonts(seed: Mapping[str, str], doc: pdfdoc.PDFDocument) -> None:
    """seed_subsets for each font with its own characters (see exporter.pdf.pages.subsets)."""
    for name, characters in seed.items():
        seed_subsets((name,), characters, doc)


def _snapshot(state: ttfonts.TTFont.State) -> tuple[dict[int, int], list[list[int]], int]:
    assert state.internalName is None and not state.frozen
    return dict(state.assignments), [list(subset) for subset in state.subsets], int(state.nextCode)
