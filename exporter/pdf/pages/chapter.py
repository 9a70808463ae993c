"""One technique as a sequence of flowables: the chapter the handbook and the handouts share."""

from __future__ import annotations

import zlib
from collections.abc import Callable

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from exporter.labels import Labels
from exporter.model import PHRASE_FIELDS, Category, Item, Library, Technique
from exporter.pdf.glyphs.fonts import HEADING_REGULAR, para_text
from exporter.pdf.lines.bidi import has_rtl
from exporter.pdf.lines.runs import draw_text, text_width
from exporter.pdf.pages.flowables import Anchor, KeepWithNext, Para, WarningPanel, marked
from exporter.pdf.pages.forms import end_form
from exporter.pdf.pages.styles import WARNING_RULE, WARNING_TINT, Styles
from exporter.pdf.tagging.marking import artifact, content, tree_of
from exporter.pdf.tagging.structure import Container, Tag

WARNING_SIGN = "⚠"

#: Arrow before each similar technique (drawn from the icon font: the text face has none).
SEE_ALSO = "→"

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
        #: Each chip is a Figure whose Alt is the category's name (its icon is not read aloud).
        self.names = {label: c.name for label, c in zip((lbl for lbl, _ in self.labels), categories, strict=True)}
        self.tag_path: tuple[Container, ...] = ()
        self.rows: list[list[tuple[str, colors.Color, float]]] = []
        self.width = 0.0
        self.height = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.rows = [[]]
        used = 0.0
        for label, colour in self.labels:
            width = text_width(label, self.FONT_SIZE, HEADING_REGULAR) + 2 * self.PAD_X
            if self.rows[-1] and used + width > availWidth:
                self.rows.append([])
                used = 0.0
            self.rows[-1].append((label, colour, width))
            used += width + self.GAP
        self.width = availWidth
        self.height = len(self.rows) * (self.HEIGHT + self.GAP) - self.GAP
        return availWidth, self.height

    def getSpaceAfter(self) -> float:
        return 6.0

    def draw(self) -> None:
        canv = self.canv
        # Chips with Hebrew or Arabic names line up from the right, as their text reads.
        from_right = any(has_rtl(label) for label, _ in self.labels)
        for row_index, row in enumerate(self.rows):
            y = self.height - (row_index + 1) * self.HEIGHT - row_index * self.GAP
            x = self.width - sum(w for _, _, w in row) - self.GAP * (len(row) - 1) if from_right else 0.0
            for label, colour, width in reversed(row) if from_right else row:
                # Each distinct chip is drawn once as two forms (its box, an artifact, and its
                # label) and reused on every chapter's page.
                name = f"chip{zlib.crc32(f'{label}{colour.hexval()}{width}'.encode()):08x}"
                if not canv.hasForm(name):
                    self._define_chip(name, label, colour, width)
                canv.saveState()
                canv.translate(x, y)
                with artifact(canv):
                    canv.doForm(name + "box")
                tree = tree_of(canv)
                figure = (
                    None if tree is None else tree.child(tree.container(self.tag_path), "Figure", alt=self.names[label])
                )
                with content(canv, figure):
                    canv.doForm(name)
                canv.restoreState()
                x += width + self.GAP

    def _define_chip(self, name: str, label: str, colour: colors.Color, width: float) -> None:
        canv = self.canv
        canv.beginForm(name + "box", -1, -1, width + 1, self.HEIGHT + 1)
        tint = colors.Color(*(1 - 0.15 * (1 - c) for c in colour.rgb()))
        canv.setFillColor(tint)
        canv.setStrokeColor(colour)
        canv.setLineWidth(0.6)
        canv.roundRect(0, 0, width, self.HEIGHT, 4, stroke=1, fill=1)
        end_form(canv)
        canv.beginForm(name, -1, -1, width + 1, self.HEIGHT + 1)
        canv.setFillColor(colors.black)
        draw_text(canv, self.PAD_X, 4, label, self.FONT_SIZE, HEADING_REGULAR)
        end_form(canv)


class LevelledBuilder:
    """A part's flowables at each tightness level, making as few new ones as it can.

    Level 1 only tightens the spacing, so it re-styles the level-0 flowables in place (their
    line breaks stay valid: same faces, sizes and widths); build(0) sets them back. Level 2
    breaks paragraphs into as few lines as they can take, so it is made afresh.
    """

    def __init__(self, make: Callable[[Styles], list[Flowable]], styles_at: Callable[[int], Styles]) -> None:
        self.make = make
        self.styles_at = styles_at
        self._base: list[Flowable] | None = None
        self._level = 0

    def __call__(self, level: int) -> list[Flowable]:
        if level > 1:
            return self.make(self.styles_at(level))
        if self._base is None:
            self._base = self.make(self.styles_at(0))
        if level != self._level:
            _restyle(self._base, _style_map(self.styles_at(self._level), self.styles_at(level)))
            self._level = level
        return self._base


def _style_map(old: Styles, new: Styles) -> dict[int, ParagraphStyle]:
    return {
        id(getattr(old, name)): getattr(new, name)
        for name in old.__dataclass_fields__
        if isinstance(getattr(old, name), ParagraphStyle)
    }


def _restyle(flowables: list[Flowable], mapping: dict[int, ParagraphStyle]) -> None:
    for flowable in flowables:
        parts = getattr(flowable, "parts", None)
        if parts is not None:
            _restyle(parts(), mapping)
            if isinstance(flowable, WarningPanel):
                _restyle([flowable.continued], mapping)
        style = getattr(flowable, "style", None)
        if style is not None and id(style) in mapping:
            flowable.style = mapping[id(style)]
        inner = getattr(flowable, "paragraph", None)
        if inner is not None:
            _restyle([inner], mapping)


def situation_key(technique: Technique, index: int) -> str:
    """The page-reference key of a technique's index-th "When to use" item."""
    return f"situation-{technique.id}-{index}"


def section_title(labels: Labels, name: str) -> str:
    return labels(f"handbook.section.{name}")


def plain_similar_row(styles: Styles) -> SimilarRow:
    """Similar techniques as a plain list of titles (for documents without the other chapters)."""

    def row(other: Technique) -> Flowable:
        return Para(para_text(other.title), styles.ref, bulletText=SEE_ALSO)

    return row


def chapter_flowables(
    technique: Technique,
    library: Library,
    styles: Styles,
    similar_row: SimilarRow,
    mark_situations: bool = False,
    path: tuple[Container, ...] = (),
    level: int = 1,
) -> list[Flowable]:
    """Title, category chips, summary and every non-empty section of one technique.

    Every heading travels with what follows it (KeepWithNext); the title, the chips, the
    summary heading and the summary's first lines are one block. mark_situations records
    the page of each "When to use" item, for the handbook's situation index.
    """
    labels = library.labels()
    place = _Placing((*path, (technique_key(technique), "Sect")), level + 1)
    title = Anchor(
        para_text(technique.title),
        styles.title,
        key=technique_key(technique),
        header=technique.title,
    )
    title.tag = Tag(f"H{level}", place.path)
    summary_text = Para(para_text(technique.summary), styles.body)
    summary_text.tag = Tag("P", place.path)
    summary = KeepWithNext(place.heading(_heading("summary", labels, styles)), summary_text)
    chips = CategoryChips([library.category(name) for name in technique.categories])
    chips.tag_path = place.path
    flowables: list[Flowable] = [KeepWithNext(title, KeepWithNext(chips, summary))]
    flowables += _items_section("steps", technique, labels, styles, False, place)
    for name in ("when_to_use", "key_phrases", "follow_up_questions", "alternative_phrasings"):
        flowables += _items_section(name, technique, labels, styles, mark_situations and name == "when_to_use", place)
    flowables += _warnings_section(technique.warnings, labels, styles, place)
    if technique.sources:
        rows = [Para(para_text(source), styles.source) for source in technique.sources]
        flowables += _kept("sources", place.listed("sources", rows), labels, styles, place)
    similar = [similar_row(library.technique(other)) for other in technique.similar]
    if similar:
        flowables += _kept("similar", place.listed("similar", similar), labels, styles, place)
    return flowables


class _Placing:
    """Where a chapter's flowables go in the structure tree: its section, its headings' level."""

    def __init__(self, path: tuple[Container, ...], level: int) -> None:
        self.path = path
        self.level = level

    def heading(self, flowable: Flowable, path: tuple[Container, ...] | None = None) -> Flowable:
        flowable.tag = Tag(f"H{self.level}", self.path if path is None else path)
        return flowable

    def listed(self, name: str, items: list[Flowable], path: tuple[Container, ...] | None = None) -> list[Flowable]:
        """items as the items of one list (a row that links is a Link inside its item)."""
        inside = (*(self.path if path is None else path), (f"{self.path[-1][0]}-{name}", "L"))
        for item in items:
            if getattr(item, "key", "") and not isinstance(item, Para):
                item.tag = Tag("Link", inside, within=("LI", "LBody"))
            else:
                # A step's number and a warning's sign are read; a bullet or an arrow is not.
                item.tag = Tag("LI", inside, list_item=True, label=name in ("steps", "warnings"))
        return items


def _heading(name: str, labels: Labels, styles: Styles) -> Flowable:
    return Para(para_text(section_title(labels, name)), styles.section)


def _kept(name: str, body: list[Flowable], labels: Labels, styles: Styles, place: _Placing) -> list[Flowable]:
    """The section's heading held to its first entry, then the other entries."""
    return [KeepWithNext(place.heading(_heading(name, labels, styles)), body[0]), *body[1:]]


def _items_section(
    name: str, technique: Technique, labels: Labels, styles: Styles, mark: bool, place: _Placing
) -> list[Flowable]:
    items = technique.items(name)
    if not items:
        return []
    body: list[Flowable]
    if name == "steps":
        body = [Para(para_text(item.text), styles.step, bulletText=f"{n}.") for n, item in enumerate(items, 1)]
    elif mark:
        body = [
            marked(para_text(item.text), styles.bullet, situation_key(technique, index), BULLET)
            for index, item in enumerate(items)
        ]
    else:
        style = styles.phrase if name in PHRASE_FIELDS else styles.bullet
        body = [Para(para_text(item.text), style, bulletText=BULLET) for item in items]
    return _kept(name, place.listed(name, body), labels, styles, place)


def _warnings_section(items: tuple[Item, ...], labels: Labels, styles: Styles, place: _Placing) -> list[Flowable]:
    """All warnings in one panel; the part on a following page says it continues. In the
    structure tree the panel is a group (Div) of its heading and the list of warnings."""
    if not items:
        return []
    warnings: list[Flowable] = [Para(para_text(item.text), styles.warning, bulletText=WARNING_SIGN) for item in items]
    group = (*place.path, (f"{place.path[-1][0]}-warnings", "Div"))
    continued = Para(
        para_text(labels("handbook.continued", section=section_title(labels, "warnings"))), styles.warning_label
    )
    continued.tag = Tag("Artifact")
    panel = WarningPanel(place.listed("warnings", warnings, group), WARNING_TINT, WARNING_RULE, continued)
    return [KeepWithNext(place.heading(_heading("warnings", labels, styles), group), panel)]
