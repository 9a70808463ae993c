"""One technique as a sequence of flowables: the chapter the handbook and the handouts share."""

from __future__ import annotations

import zlib
from collections.abc import Callable

from reportlab.lib import colors
from reportlab.platypus import CondPageBreak, Flowable

from exporter.model import PHRASE_FIELDS, SECTION_TITLES, Category, Item, Library, Technique
from exporter.pdf.bidi import has_rtl
from exporter.pdf.flowables import Anchor
from exporter.pdf.fonts import REGULAR, para_text
from exporter.pdf.paragraphs import Paragraph
from exporter.pdf.styles import Styles, keep_room_for
from exporter.pdf.text import draw_text, text_width

WARNING_SIGN = "⚠"

#: Builds the row for one similar technique; the handbook makes it a link with "see p. N".
SimilarRow = Callable[[Technique], Flowable]

#: Steps are numbered; every other list has this bullet.
BULLET = "•"


def technique_key(technique: Technique) -> str:
    """The link target and outline key of a technique's chapter."""
    return f"technique-{technique.id}"


class CategoryChips(Flowable):  # type: ignore[misc]
    """The technique's categories as small tinted labels, each with its icon."""

    FONT_SIZE = 8.5
    PAD_X = 5.0
    HEIGHT = 14.0
    GAP = 5.0

    def __init__(self, categories: list[Category]) -> None:
        super().__init__()
        self.labels = [(f"{c.icon} {c.name}".strip(), colors.HexColor(c.colour)) for c in categories]
        self.rows: list[list[tuple[str, colors.Color, float]]] = []
        self.width = 0.0
        self.height = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.rows = [[]]
        used = 0.0
        for label, colour in self.labels:
            width = text_width(label, self.FONT_SIZE) + 2 * self.PAD_X
            if self.rows[-1] and used + width > availWidth:
                self.rows.append([])
                used = 0.0
            self.rows[-1].append((label, colour, width))
            used += width + self.GAP
        self.width = availWidth
        self.height = len(self.rows) * (self.HEIGHT + self.GAP)
        return availWidth, self.height

    def getSpaceAfter(self) -> float:
        return 4.0

    def draw(self) -> None:
        canv = self.canv
        # Chips with Hebrew or Arabic names line up from the right, as their text reads.
        from_right = any(has_rtl(label) for label, _ in self.labels)
        for row_index, row in enumerate(self.rows):
            y = self.height - (row_index + 1) * (self.HEIGHT + self.GAP) + self.GAP
            x = self.width - sum(w for _, _, w in row) - self.GAP * (len(row) - 1) if from_right else 0.0
            for label, colour, width in reversed(row) if from_right else row:
                # Each distinct chip is drawn once as a form and reused on every chapter's page.
                name = f"chip{zlib.crc32(f'{label}{colour.hexval()}{width}'.encode()):08x}"
                if not canv.hasForm(name):
                    self._define_chip(name, label, colour, width)
                canv.saveState()
                canv.translate(x, y)
                canv.doForm(name)
                canv.restoreState()
                x += width + self.GAP

    def _define_chip(self, name: str, label: str, colour: colors.Color, width: float) -> None:
        canv = self.canv
        canv.beginForm(name, -1, -1, width + 1, self.HEIGHT + 1)
        tint = colors.Color(*(1 - 0.15 * (1 - c) for c in colour.rgb()))
        canv.setFillColor(tint)
        canv.setStrokeColor(colour)
        canv.setLineWidth(0.6)
        canv.roundRect(0, 0, width, self.HEIGHT, 4, stroke=1, fill=1)
        canv.setFillColor(colors.black)
        draw_text(canv, self.PAD_X, 4, label, self.FONT_SIZE, REGULAR)
        canv.endForm()


def plain_similar_row(styles: Styles) -> SimilarRow:
    """Similar techniques as a plain list of titles (for documents without the other chapters)."""

    def row(other: Technique) -> Flowable:
        return Paragraph(para_text(other.title), styles.bullet, bulletText="→")

    return row


def chapter_flowables(
    technique: Technique,
    library: Library,
    styles: Styles,
    similar_row: SimilarRow,
) -> list[Flowable]:
    """Title, category chips, summary and every non-empty section of one technique."""
    flowables: list[Flowable] = [
        Anchor(
            para_text(technique.title),
            styles.title,
            key=technique_key(technique),
            outline_title=technique.title,
            outline_level=1,
            header=technique.title,
        ),
        CategoryChips([library.category(name) for name in technique.categories]),
        *_section_heading("summary", styles),
        Paragraph(para_text(technique.summary), styles.body),
    ]
    flowables += _items_section("steps", technique.steps, styles)
    for name in ("when_to_use", "key_phrases", "follow_up_questions", "alternative_phrasings"):
        flowables += _items_section(name, technique.items(name), styles)
    flowables += _warnings_section(technique.warnings, styles)
    if technique.sources:
        flowables += _section_heading("sources", styles)
        flowables += [Paragraph(para_text(source), styles.source) for source in technique.sources]
    similar = [library.technique(other) for other in technique.similar]
    if similar:
        flowables += _section_heading("similar", styles)
        flowables += [similar_row(other) for other in similar]
    return flowables


def _section_heading(name: str, styles: Styles) -> list[Flowable]:
    """The heading, after a page break if the page has no room for it and two lines more."""
    return [
        CondPageBreak(keep_room_for(styles.section, styles.body)),
        Paragraph(para_text(SECTION_TITLES[name]), styles.section),
    ]


def _items_section(name: str, items: tuple[Item, ...], styles: Styles) -> list[Flowable]:
    if not items:
        return []
    if name == "steps":
        body = [Paragraph(para_text(item.text), styles.step, bulletText=f"{n}.") for n, item in enumerate(items, 1)]
    else:
        style = styles.phrase if name in PHRASE_FIELDS else styles.bullet
        body = [Paragraph(para_text(item.text), style, bulletText=BULLET) for item in items]
    return [*_section_heading(name, styles), *body]


def _warnings_section(items: tuple[Item, ...], styles: Styles) -> list[Flowable]:
    if not items:
        return []
    warnings = [Paragraph(para_text(item.text), styles.warning, bulletText=WARNING_SIGN) for item in items]
    return [*_section_heading("warnings", styles), *warnings]
