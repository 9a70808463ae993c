"""Card sheets drawn once, then replayed: an edit to one card redraws only the pages it is on.

Each page of the cards PDF is a part (exporter.pdf.pages.replay) keyed by what it shows: the
cards placed on it (by the key they were fitted under), the sheet and its number, and what every
page shares (the library's own settings and labels, the sheet layout, the back offset, the
fonts' seed, the exporter's code).
A page whose record is kept in `<out>/.exporter-cache/cards.parts` and that starts with the
fonts in the state it was recorded in is not drawn: its structure operations and glyph codes
are done again in order and its stored stream is spooled, so the file is byte for byte what
drawing it gives. Any other page is drawn, and recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from exporter.files.output_cache import digest_of
from exporter.model import Library
from exporter.pdf.glyphs.glyphcodes import seed_identity
from exporter.pdf.pages.part_cache import PartCache
from exporter.pdf.pages.replay import (
    FONT_OPERATIONS,
    FontStates,
    PageRecord,
    PartRecord,
    StaleRecord,
    document_operations,
    font_states,
    replay_font_operation,
)
from exporter.pdf.pages.saving import PageSpool
from exporter.pdf.tagging.journal import Journal, OuterElements
from exporter.pdf.tagging.structure import Element, StructureTree
from exporter.pdf.tagging.writing import finish_page
from exporter.writers.cards.fit_cache import PlannedCards
from exporter.writers.cards.plan import CardPlan, PagePlan

PACK_NAME = "cards"


def cards_cache(out_dir: Path, salt: str, library: Library, plan: CardPlan, seed: Mapping[str, str]) -> PartCache:
    """The recorded pages of the cards in out_dir. The fonts' seed is in every key: a glyph new to
    the library, or one swapped for another, moves the subset codes every page draws with."""
    own = repr(replace(library, techniques=(), courses=()))
    shared = digest_of(salt, own, repr(plan.sheet), repr(plan.back_offset), seed_identity(seed))
    return PartCache(out_dir, PACK_NAME, shared)


def page_key(plan: CardPlan, page: PagePlan, sheets: int) -> tuple[str, ...]:
    """What decides one page's drawing besides what every page shares: the page plan, the cards
    on it (by the key they were fitted under, without decoding them) and the number of sheets."""
    cards = plan.cards
    if isinstance(cards, PlannedCards):
        shown = [cards.identity(placement.card) for placement in page.placements]
    else:
        shown = [repr(cards[placement.card]) for placement in page.placements]
    return (repr(page), repr(shown), str(sheets))


class SheetPages:
    """Ends each page of a cards PDF drawn on canvas, drawing or replaying it (with a cache)."""

    def __init__(
        self, canvas: Canvas, tree: StructureTree, sections: Sequence[Element], cache: PartCache | None, folder: Path
    ) -> None:
        self.canvas = canvas
        self.tree = tree
        self.sections = OuterElements(sections)
        self.cache = cache
        self.spool = PageSpool(folder)
        self._replayed: bytes | None = None
        self._recording: tuple[str, Journal, FontStates, tuple[int, int]] | None = None
        canvas.setPageCallBack(self._finished)

    def page(self, key: tuple[str, ...], draw: Callable[[], None]) -> None:
        """The next page: replayed from its record, or drawn by draw() (and recorded)."""
        cache = self.cache
        if cache is None:
            draw()
            self.canvas.showPage()
            return
        digest = cache.key(*key)
        record = cache.record(digest)
        fonts, version = font_states(self.canvas._doc), tuple(self.canvas._doc._pdfVersion)
        page = (
            self._page_of(record)
            if record is not None and record.before == (tuple(sorted(fonts.items())), version)
            else None
        )
        if page is not None:
            cache.replayed += 1
            self._replay(page)
        else:
            cache.drawn += 1
            journal = Journal(self.tree, recording=True, outer=self.sections)
            self.tree.journal = journal
            self._recording = (digest, journal, fonts, version)
            draw()
        self.canvas.showPage()

    def close(self) -> None:
        self.spool.close()

    @staticmethod
    def _page_of(record: PartRecord) -> PageRecord | None:
        try:
            return record.page(0)
        except StaleRecord:
            return None  # a damaged record is no record

    def _replay(self, page: PageRecord) -> None:
        journal = Journal(self.tree, recording=False, outer=self.sections)
        self.tree.journal = journal
        try:
            for operation in page.operations:
                if operation[0] in FONT_OPERATIONS:
                    replay_font_operation(self.canvas, operation)
                else:
                    journal.replay(operation)
        finally:
            self.tree.journal = None
        self._replayed = page.stream

    def _finished(self, number: int) -> None:
        finish_page(self.canvas)
        replayed, self._replayed = self._replayed, None
        stream = self.spool.page_finished(self.canvas, replayed)
        if self._recording is None:
            return
        digest, journal, fonts, version = self._recording
        self._recording = None
        self.tree.journal = None
        pdf = self.canvas._doc
        operations = [*journal.operations, *document_operations(pdf, fonts, version)]
        journal.operations = []  # the page's elements keep their journal until they are written
        canvas = self.canvas
        plain = not (canvas._colorsUsed or canvas._shadingUsed or canvas._extgstate.getState() or canvas._formsinuse)
        if self.cache is None or stream is None or journal.spoiled or not plain or canvas._annotationrefs:
            return
        page = PageRecord(tuple(operations), stream, (), "", "").to_bytes()
        before = (tuple(sorted(fonts.items())), version)
        self.cache.store(digest, PartRecord(before, (page,), (0, 0.0, True, 0.0)))
