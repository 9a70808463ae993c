"""A part of a long PDF (a handbook chapter) drawn once, then put into later builds unchanged.

A chapter's pages depend only on the chapter and a few things the document set before it
(exporter.writers.handbook.page_cache makes the key). While such a part
is drawn it is recorded: each page's compressed content stream, the forms it shows, its running
header, and every operation its drawing made on the document in order: structure-tree changes
(exporter.pdf.tagging.journal), links, anchors, page-number forms and forms defined. A later
build whose part has the same key neither lays it out nor draws it: `replayed_part` gives one
flowable per page that does the operations again and hands the stored stream to the page
spool. Everything that gets an object number gets it in the same order as in a fresh drawing,
so the file is the same, byte for byte.

Where the part starts is not in its key: a chapter moved on by an earlier one that grew a page
is replayed too. The only thing on its pages that knows their place is the footer's page
number, a form named by the number (exporter.pdf.pages.pagerefs); a moved page's stream is
inflated, given the forms of its new numbers, and deflated again as a fresh drawing does it.

A part is recorded only if nothing it drew is outside what a replay does again: it must not
define a form ReportLab writes, use colour spaces or transparency, or reach a structure element
another part made. Glyphs a page gave new subset codes (text the library's seed lacks, such as
a running header cut short) are given them again, in the same order. Replaying checks that the
document is in the state the recording began in (fonts, open containers, forms, running
header); if not, `StaleRecord` is raised and the writer builds again without replaying.
"""

from __future__ import annotations

import marshal
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfdoc import PDFDocument, xObjectName
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import ActionFlowable, BaseDocTemplate, Flowable, PageBreak

from exporter.pdf.pages.forms import define_form, defined_forms
from exporter.pdf.pages.links import add_link
from exporter.pdf.tagging.journal import Journal, Operation
from exporter.pdf.tagging.marking import link_annotation, tree_of

RECORD_FORMAT = 3
_TREE_OPERATIONS = frozenset("KECIDM")


class StaleRecord(Exception):
    """A recorded part met a document in another state than it was recorded in."""


@dataclass(frozen=True)
class PageRecord:
    operations: tuple[Operation, ...]
    stream: bytes
    forms: tuple[str, ...]
    header: str
    page_header: str

    def to_bytes(self) -> bytes:
        return marshal.dumps((self.operations, self.stream, self.forms, self.header, self.page_header))

    @classmethod
    def from_bytes(cls, data: bytes) -> PageRecord:
        """The page data holds (StaleRecord if it is damaged)."""
        try:
            operations, stream, forms, header, page_header = marshal.loads(data)
            if not isinstance(stream, bytes) or not isinstance(operations, tuple):
                raise TypeError("not a page record")
            return cls(operations, stream, tuple(forms), str(header), str(page_header))
        except (ValueError, TypeError, EOFError) as exc:
            raise StaleRecord("a damaged page record") from exc


@dataclass(frozen=True)
class PartRecord:
    """A recorded part: the state it began in, its pages, and where the last one ends
    (the planner's position). Each page is kept as data (PageRecord.to_bytes) and read when it
    is replayed: a part of a thousand pages (a large index) is held compactly."""

    before: tuple[Any, ...]
    pages: tuple[bytes, ...]
    #: The planner's position after the part: pages advanced, height used, at top, space after.
    end: tuple[int, float, bool, float]

    def page(self, index: int) -> PageRecord:
        return PageRecord.from_bytes(self.pages[index])

    def to_bytes(self) -> bytes:
        return record_head(self.before) + b"".join(_piece(page) for page in self.pages) + record_tail(self.end)

    @classmethod
    def from_bytes(cls, data: bytes) -> PartRecord | None:
        """The record data holds; None if it is damaged or of another format."""
        try:
            pieces = _pieces(data)
            version, before = marshal.loads(pieces[0])
            end = marshal.loads(pieces[-1])
            pages = tuple(pieces[1:-1])
            if version != RECORD_FORMAT or not pages:
                return None
            return cls(tuple(before), pages, tuple(end))
        except (ValueError, TypeError, EOFError):
            return None


# A record is a run of pieces, each its length (4 bytes) and its bytes: the head (format and
# starting state), one piece per page, the tail (the planner's end position). A part's pages are
# written out one by one as they finish (PartSink), so a part of a thousand pages is never held.


def _piece(data: bytes) -> bytes:
    return len(data).to_bytes(4, "big") + data


def _pieces(data: bytes) -> list[bytes]:
    pieces, at = [], 0
    while at < len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        if at + 4 + length > len(data):
            raise ValueError("a record cut short")
        pieces.append(data[at + 4 : at + 4 + length])
        at += 4 + length
    if len(pieces) < 3:
        raise ValueError("a record without pages")
    return pieces


def record_head(before: tuple[Any, ...]) -> bytes:
    return _piece(marshal.dumps((RECORD_FORMAT, before)))


def record_page(page: PageRecord) -> bytes:
    return _piece(page.to_bytes())


def record_tail(end: tuple[int, float, bool, float]) -> bytes:
    return _piece(marshal.dumps(end))


class PartSink(Protocol):
    """Where a recorded part's bytes go as they are made (exporter.pdf.pages.part_cache)."""

    def write(self, data: bytes) -> None: ...

    def finish(self) -> None: ...

    def abandon(self) -> None: ...


#: Per font with subsets in a document: (whether a page has named it yet, its next free code).
FontStates = dict[str, tuple[bool, int]]


def font_states(pdf: PDFDocument) -> FontStates:
    states: FontStates = {}
    for name, font in sorted(pdfmetrics._fonts.items()):
        state = getattr(font, "state", None)
        state = state.get(pdf) if state is not None else None
        if state is not None:
            states[name] = (state.internalName is not None, int(state.nextCode))
    return states


def font_operations(pdf: PDFDocument, before: FontStates, after: FontStates) -> list[Operation]:
    """What a page did to the fonts between the two states: a font named for the first time,
    glyphs given codes (in the order of their codes, which is the order they were given)."""
    operations: list[Operation] = []
    for name, (named, next_code) in after.items():
        was_named, was_next = before.get(name, (False, -1))
        if next_code != was_next:
            assignments = pdfmetrics.getFont(name).state[pdf].assignments
            new = sorted((code, char) for char, code in assignments.items() if code >= max(was_next, 0))
            operations.append(("glyphs", name, "".join(chr(char) for _, char in new)))
        if named and not was_named:
            operations.append(("font", name))
    return operations


FONT_OPERATIONS = frozenset({"glyphs", "font", "version"})


def document_operations(pdf: PDFDocument, fonts: FontStates, version: tuple[int, int]) -> list[Operation]:
    """What drawing did to the document since its fonts and PDF version were as given."""
    return [*font_operations(pdf, fonts, font_states(pdf)), *version_operations(pdf, version)]


def version_operations(pdf: PDFDocument, before: tuple[int, int]) -> list[Operation]:
    """The PDF version a page raised (transparency, even of an opaque colour, asks for 1.4)."""
    return [] if tuple(pdf._pdfVersion) == tuple(before) else [("version", tuple(pdf._pdfVersion))]


def replay_font_operation(canv: Canvas, operation: Operation) -> None:
    """Do again what font_operations or version_operations found a page did."""
    if operation[0] == "version":
        canv._doc._pdfVersion = max(tuple(canv._doc._pdfVersion), tuple(operation[1]))
        return
    font = pdfmetrics.getFont(operation[1])
    if operation[0] == "glyphs":
        font.splitString(operation[2], canv._doc)
    else:
        font.getSubsetInternalName(0, canv._doc)


def document_state(document: Any) -> tuple[Any, ...]:
    """What a part's drawing depends on besides its own content and first page: the fonts'
    subsets so far, the open structure containers, the forms defined, the running header."""
    pdf: PDFDocument = document.canv._doc
    fonts = tuple(sorted(font_states(pdf).items()))
    tree = tree_of(document.canv)
    containers = () if tree is None else tuple(key for key, _ in tree.open_containers)
    return (fonts, containers, defined_forms(pdf), document.header, tuple(pdf._pdfVersion))


class PartRecorder:
    """Records the part being drawn on document's canvas, page by page; done(record) gets it
    once its last page is finished (unless something in it cannot be replayed)."""

    def __init__(self, document: Any, sink: PartSink) -> None:
        tree = tree_of(document.canv)
        if tree is None:
            raise ValueError("only a tagged document's parts are recorded")
        self.document = document
        self.sink = sink
        self.journal = Journal(tree, recording=True)
        tree.journal = self.journal
        self.before = document_state(document)
        self.fonts = font_states(document.canv._doc)
        self.version = tuple(document.canv._doc._pdfVersion)
        sink.write(record_head(self.before))
        self.ending = False
        #: The planner's position at the end of the part (set with ending).
        self.end: tuple[int, float, bool, float] = (0, 0.0, True, 0.0)

    def page_finished(self, canv: Canvas, stream: bytes | None) -> bool:
        """Keep the page just finished; return whether the part is over (the recording stopped)."""
        journal = self.journal
        fonts = font_states(canv._doc)
        journal.operations += document_operations(canv._doc, self.fonts, self.version)
        self.fonts, self.version = fonts, tuple(canv._doc._pdfVersion)
        plain = not (canv._colorsUsed or canv._shadingUsed or canv._extgstate.getState())
        if stream is None or not plain:
            journal.spoiled = True
        elif not journal.spoiled:
            self.sink.write(record_page(PageRecord(
                tuple(journal.operations), stream, tuple(canv._formsinuse),
                self.document.header, self.document.page_header,
            )))  # fmt: skip
        journal.operations = []
        if not self.ending:
            return False
        journal.tree.journal = None
        if journal.spoiled:
            self.sink.abandon()
        else:
            self.sink.write(record_tail(self.end))
            self.sink.finish()
        return True


class StartRecording(ActionFlowable):  # type: ignore[misc]
    """Begins recording the part that follows (it starts at the top of a page) into a sink."""

    def __init__(self, sink: Callable[[], PartSink]) -> None:
        super().__init__()
        self.sink = sink

    def apply(self, doc: BaseDocTemplate) -> None:
        doc.recorder = PartRecorder(doc, self.sink())


class EndRecording(ActionFlowable):  # type: ignore[misc]
    """The recorded part ends with the page it is on; end is the planner's position there."""

    def __init__(self, end: tuple[int, float, bool, float]) -> None:
        super().__init__()
        self.end = end

    def apply(self, doc: BaseDocTemplate) -> None:
        if doc.recorder is not None:
            doc.recorder.ending = True
            doc.recorder.end = self.end


class _Replay:
    """One part being replayed: its record and the elements its operations have made."""

    def __init__(self, document: Any, record: PartRecord) -> None:
        self.document = document
        self.record = record
        self.journal: Journal | None = None
        #: The page-number forms the page being replayed shows under a new name: old -> new.
        self.renamed: dict[str, str] = {}

    def page(self, canv: Canvas, index: int) -> None:
        document, page = self.document, self.record.page(index)
        tree = tree_of(canv)
        if tree is None:
            raise StaleRecord("the document is not tagged")
        if index == 0:
            if document_state(document) != self.record.before:
                raise StaleRecord("the document is not in the state the part was recorded in")
            self.journal = Journal(tree, recording=False)
        assert self.journal is not None
        tree.journal = self.journal
        journal, replay_in_tree = self.journal, tree.replay
        try:
            for operation in page.operations:
                if operation[0] in _TREE_OPERATIONS:  # most of them: straight to the tree
                    replay_in_tree(journal, operation)
                else:
                    self._do(canv, operation)
        except (ValueError, IndexError, KeyError, TypeError) as exc:
            raise StaleRecord(f"a recorded operation does not fit the document: {exc}") from exc
        finally:
            tree.journal = None
        if index == len(self.record.pages) - 1:
            self.journal.made.clear()  # the part is over: nothing names its elements any more
        canv._formsinuse = list(page.forms)
        document.header, document.page_header = page.header, page.page_header
        document.replayed_stream = page.stream
        if self.renamed:
            self._rename_forms(canv)

    def _own_number(self, canv: Canvas, operation: Operation) -> None:
        """A page's own number in its footer (a form named by the number): on a part that now
        starts on another page, the page shows the form of its new number."""
        template, key, page, *shown = operation[1:]
        numbers = self.document.numbers
        if key is not None or page == canv.getPageNumber():
            numbers.register_recorded(template, key, page, *shown)
            return
        old = numbers.name_of_recorded(template, key, page, *shown)
        self.renamed[old] = numbers.register_recorded(template, key, canv.getPageNumber(), *shown)

    def _rename_forms(self, canv: Canvas) -> None:
        """The recorded stream with each renamed form's new name (compressed as it was made)."""
        renamed, self.renamed = self.renamed, {}
        code = zlib.decompress(self.document.replayed_stream)
        for old, new in renamed.items():
            old_name, new_name = xObjectName(old).encode("ascii"), xObjectName(new).encode("ascii")
            if b"/" + old_name + b" Do" not in code:
                raise StaleRecord("a recorded page does not draw the page-number form it names")
            code = code.replace(b"/" + old_name + b" Do", b"/" + new_name + b" Do")
        self.document.replayed_stream = zlib.compress(code)
        canv._formsinuse = [renamed.get(name, name) for name in canv._formsinuse]

    def _do(self, canv: Canvas, operation: Operation) -> None:
        assert self.journal is not None
        kind = operation[0]
        if kind in _TREE_OPERATIONS:
            self.journal.replay(operation)
        elif kind == "link":
            add_link(canv, operation[1], operation[2])
        elif kind == "L":
            link_annotation(canv, self.journal.element(operation[1]), operation[2])
        elif kind == "anchor":
            self.document.numbers.record(operation[1], canv.getPageNumber())
            canv.bookmarkPage(operation[1])
        elif kind == "number":
            self._own_number(canv, operation)
        elif kind == "form":
            define_form(canv, *operation[1:])
        elif kind in FONT_OPERATIONS:
            replay_font_operation(canv, operation)
        else:
            raise StaleRecord(f"unknown page operation {kind!r}")


class _ReplayedPage(Flowable):  # type: ignore[misc]
    """One recorded page, put on the page it lands on (which it fills: a page break follows)."""

    def __init__(self, replay: _Replay, index: int) -> None:
        super().__init__()
        self.replay = replay
        self.index = index

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        return 0.0, 0.0

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        self.replay.page(canvas, self.index)


def replayed_part(document: Any, record: PartRecord) -> list[Flowable]:
    """The flowables that put record's pages into document, one page each."""
    replay = _Replay(document, record)
    flowables: list[Flowable] = []
    for index in range(len(record.pages)):
        if index:
            flowables.append(PageBreak())
        flowables.append(_ReplayedPage(replay, index))
    return flowables
