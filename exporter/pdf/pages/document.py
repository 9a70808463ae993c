"""The page frame every long PDF shares: running header, footer with "page x of y", one-pass build.

The document is laid out exactly once. Page numbers that are not known while a page is drawn
(the total in the footer, the table of contents, "see p. N") are PDF forms filled in at the end
(exporter.pdf.pages.pagerefs), so there is no second layout pass as with multiBuild.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import ActionFlowable, BaseDocTemplate, Flowable, Frame, PageTemplate

from exporter import __version__
from exporter.model import Library
from exporter.pdf.glyphs.fonts import HEADING, HEADING_REGULAR, REGULAR, para_text, register_fonts
from exporter.pdf.lines import forget_set_text
from exporter.pdf.lines.paragraphs import Paragraph
from exporter.pdf.lines.runs import draw_text, fit_text, text_width
from exporter.pdf.pages.fitting import Pager
from exporter.pdf.pages.flowables import Anchor, Marked
from exporter.pdf.pages.forms import end_form
from exporter.pdf.pages.pagerefs import PageNumbers
from exporter.pdf.pages.replay import PartRecorder
from exporter.pdf.pages.saving import PageSpool, save_compact
from exporter.pdf.pages.styles import (
    BOTTOM_MARGIN,
    FOOTER_GAP,
    HEADER_GAP,
    MUTED,
    RULE,
    TOP_MARGIN,
    Styles,
    paper_size,
    side_margin,
)
from exporter.pdf.tagging.marking import artifact, recording, start_tagging, stop_tagging
from exporter.pdf.tagging.writing import finish_document, finish_page
from exporter.text.languages import is_rtl_language

COVER = "cover"
BODY = "body"
FOOTER_SIZE = 7.5
HEADER_SIZE = 8.5
FOOTER_NUMBER_ROOM = 70.0
PAGE_FRAME_FORM = "pageframe"
#: From this many pages a document lets go of its text-setting caches before it writes the file
#: (a handbook; not a handout, whose writer sets the next one with them).
LONG_DOCUMENT_PAGES = 200

#: (title, destination key, level) of one bookmark.
OutlineEntry = tuple[str, str, int]


@lru_cache(maxsize=8)
def _footer_note(text: str, style: ParagraphStyle, width: float) -> Paragraph:
    """The footer's disclaimer, wrapped once per process (every handout has the same one)."""
    note = Paragraph(para_text(text), style)
    note.wrap(width - FOOTER_NUMBER_ROOM, 1000)
    return note


class BlankPage(ActionFlowable):  # type: ignore[misc]
    """Marks the page it lands on as intentionally blank: no running header or footer."""

    def apply(self, doc: BaseDocTemplate) -> None:
        doc.blank_page = True


class OnePassDocument(BaseDocTemplate):  # type: ignore[misc]
    """A PDF with a running header (the current part's title) and a footer on every body page.

    Anchors (chapter titles, contents, sources) become named destinations and, with
    `outline`, entries of the PDF outline; their pages are recorded for page references.
    """

    def __init__(
        self,
        target: Path,
        library: Library,
        paper: str,
        styles: Styles,
        title: str,
        subject: str,
        header_right: str = "",
        outline: bool = False,
        cover_page: bool = False,
        footer_text: str | None = None,
        page_of: str = "page {page} of {total}",
        seed: Mapping[str, str] | None = None,
        keywords: Sequence[str] | None = None,
    ) -> None:
        """keywords: the document's keywords (default: the library's categories)."""
        register_fonts()
        width, height = paper_size(paper)
        margin = side_margin(paper)
        footer_note = _footer_note(footer_text or library.footer_disclaimer(), styles.small, width - 2 * margin)
        note_height = float(footer_note.height)
        super().__init__(
            str(target),
            pagesize=(width, height),
            leftMargin=margin,
            rightMargin=margin,
            topMargin=TOP_MARGIN + HEADER_GAP,
            # A long footer note takes more lines; the body never runs into it.
            bottomMargin=BOTTOM_MARGIN + max(FOOTER_GAP, note_height + 8),
            title=title,
            author=library.organisation or library.title,
            subject=subject,
            keywords=list(keywords) if keywords is not None else [category.name for category in library.categories],
            creator=f"exporter {__version__}",
            invariant=1,
            lang=library.language or "en",
            initialFontName=REGULAR,
            initialFontSize=10,
            initialLeading=12,
            displayDocTitle=1,
        )
        self.library = library
        self.styles = styles
        self.rtl = is_rtl_language(library.language)
        self.numbers = PageNumbers()
        self.header = ""
        #: The running header of the page being laid out: the part in force at its top.
        self.page_header = ""
        self.header_right = header_right
        self.outline = outline
        #: The bookmarks, in order, written once every destination exists (set by the writer).
        self.outline_entries: list[OutlineEntry] = []
        self.page_of = page_of
        #: Font name -> the characters its subsets start with (exporter.pdf.pages.subsets).
        self.seed = dict(seed or {})
        self.blank_page = False
        self.footer_note = footer_note
        self.spool: PageSpool | None = None
        #: The part being recorded, and the stream of the page being replayed (exporter.pdf.pages.replay).
        self.recorder: PartRecorder | None = None
        self.replayed_stream: bytes | None = None
        self._header_room = float(self.width)
        if header_right:
            # The library's title at the other end of the header, and a gap, as the frame draws it.
            shown = fit_text(header_right, HEADER_SIZE, self.width * 0.4, HEADING_REGULAR)
            self._header_room -= text_width(shown, HEADER_SIZE, HEADING_REGULAR) + 12
        self._fitted_headers: dict[str, str] = {}
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        templates = [
            PageTemplate(id=COVER, frames=[frame], pagesize=(width, height)),
            PageTemplate(
                id=BODY, frames=[frame], pagesize=(width, height), onPage=self._begin_page, onPageEnd=self.decorate_page
            ),
        ]
        # The first template is the first page's: the cover, or straight into the body.
        self.addPageTemplates(templates if cover_page else templates[::-1])

    def build_once(self, flowables: list[Flowable]) -> int:
        """Lay the flowables out in one pass, fill in the page numbers, save; return the page count.

        The list is consumed: platypus pops each flowable as it is laid out, so handing it the
        caller's list (not a copy) lets laid-out pages be freed; this halves peak memory.
        """
        self._doSave = 0
        try:
            return self._build_and_save(flowables)
        finally:
            if self.spool is not None:
                self.spool.close()
            if hasattr(self, "canv"):
                stop_tagging(self.canv)

    def _build_and_save(self, flowables: list[Flowable]) -> int:
        self.build(flowables)
        pages = int(self.canv.getPageNumber()) - 1
        self.numbers.define_forms(self.canv, pages)
        if self.outline:
            for title, key, level in self.outline_entries:
                self.canv.addOutlineEntry(title, key, level=level)
            self.canv.showOutline()
        if pages >= LONG_DOCUMENT_PAGES:
            forget_set_text()
        finish_document(self.canv, self.title)
        save_compact(self.canv, Path(self.filename))
        return pages

    def beforeDocument(self) -> None:
        self.spool = PageSpool(Path(self.filename).parent)
        start_tagging(self.canv, self.library.language or "en")
        if self.rtl:
            self.canv.setViewerPreference("Direction", "R2L")

        def page_finished(number: int) -> None:
            finish_page(self.canv)
            replayed, self.replayed_stream = self.replayed_stream, None
            stream = None if self.spool is None else self.spool.page_finished(self.canv, replayed)
            if self.recorder is not None and self.recorder.page_finished(self.canv, stream):
                self.recorder = None

        self.canv.setPageCallBack(page_finished)
        if self.seed:
            from exporter.pdf.glyphs.embedding import seed_fonts

            seed_fonts(self.seed, self.canv._doc)

    def pager(self) -> Pager:
        """A planning position at the top of the first page of this document's body frame."""
        return Pager(float(self.width), float(self.height))

    def afterFlowable(self, flowable: Flowable) -> None:
        parts = getattr(flowable, "parts", None)
        if parts is not None:
            for part in parts():
                self.afterFlowable(part)
            return
        if not isinstance(flowable, (Anchor, Marked)) or not flowable.key or flowable.key in self.numbers.pages:
            return
        self._anchor(flowable.key)
        if isinstance(flowable, Anchor):
            for alias in flowable.aliases:
                self._anchor(alias)
            if flowable.header is not None:
                self.header = flowable.header
                if self._curPageFlowableCount <= 1:  # it opens this page, so the page is its
                    self.page_header = flowable.header

    def _anchor(self, key: str) -> None:
        """key's destination is the current page."""
        journal = recording(self.canv)
        if journal is not None:
            journal.note("anchor", key)
        self.numbers.record(key, self.canv.getPageNumber())
        self.canv.bookmarkPage(key)

    def _begin_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        self.page_header = self.header

    def decorate_page(self, canv: Canvas, doc: BaseDocTemplate) -> None:
        """Running header and footer, drawn when the page is complete (its header is known):
        page furniture, an artifact, never read as content."""
        if self.blank_page:
            self.blank_page = False
            return
        if self.replayed_stream is not None:
            return  # a replayed page's stream holds its header and footer
        with artifact(canv):
            self._decorate(canv)

    def _decorate(self, canv: Canvas) -> None:
        if not canv.hasForm(PAGE_FRAME_FORM):
            self._define_page_frame(canv)
        canv.doForm(PAGE_FRAME_FORM)
        # A right-to-left page is mirrored: the part's title at the top right, the page number
        # at the bottom left (the library's title and the footer note sit opposite, in the frame).
        left, right = self.leftMargin, self.leftMargin + self.width
        header = self.page_header
        if header:
            if header not in self._fitted_headers:
                self._fitted_headers[header] = fit_text(header, HEADER_SIZE, self._header_room, HEADING)
            canv.setFillColor(MUTED)
            draw_text(
                canv, right if self.rtl else left, self.pagesize[1] - TOP_MARGIN, self._fitted_headers[header],
                HEADER_SIZE, HEADING, align="right" if self.rtl else "left",
            )  # fmt: skip
        self.numbers.draw_right(
            canv,
            left if self.rtl else right,
            BOTTOM_MARGIN,
            self.page_of,
            font_name=HEADING_REGULAR,
            font_size=FOOTER_SIZE,
            colour=MUTED,
            page=canv.getPageNumber(),
            align="left" if self.rtl else "right",
        )

    def _define_page_frame(self, canv: Canvas) -> None:
        """What every body page repeats (rules, library title, footer note), drawn once as a form."""
        left, right = self.leftMargin, self.leftMargin + self.width
        top = self.pagesize[1] - TOP_MARGIN
        canv.beginForm(PAGE_FRAME_FORM)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.setFillColor(MUTED)
        if self.header_right:
            library_title = fit_text(self.header_right, HEADER_SIZE, self.width * 0.4, HEADING_REGULAR)
            x, align = (left, "left") if self.rtl else (right, "right")
            draw_text(canv, x, top, library_title, HEADER_SIZE, HEADING_REGULAR, align=align)
        canv.line(left, top - 3.5, right, top - 3.5)
        note = self.footer_note
        note_height = note.height
        note_bottom = BOTTOM_MARGIN - 2.5
        rule_y = note_bottom + note_height + 3
        canv.line(left, rule_y, right, rule_y)
        note.drawOn(canv, left + FOOTER_NUMBER_ROOM if self.rtl else left, note_bottom)
        end_form(canv)
