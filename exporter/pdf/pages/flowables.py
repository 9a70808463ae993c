"""Flowables the PDF writers share: link-target headings, page-citing rows, kept headings, panels."""

from __future__ import annotations

from reportlab.lib.colors import Color
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from exporter.pdf.glyphs.fonts import para_text
from exporter.pdf.lines.bidi import has_rtl
from exporter.pdf.lines.paragraphs import Paragraph, is_rtl_style
from exporter.pdf.lines.runs import draw_text, text_width
from exporter.pdf.pages.links import link_box
from exporter.pdf.pages.pagerefs import PageNumbers
from exporter.pdf.tagging.marking import artifact, link_annotation, open_element, plain_text, reading_order, tagged
from exporter.pdf.tagging.structure import Tag


def frame_gap(before: Flowable, after: Flowable) -> float:
    """The space a Frame leaves between two flowables (space after and before overlap)."""
    return max(float(before.getSpaceAfter()), float(after.getSpaceBefore()))


class Para(Paragraph):
    """A Paragraph that breaks its lines once per width.

    Pages are planned (exporter.pdf.pages.fitting) before they are drawn, and platypus wraps every
    flowable again when it places it: the second wrap at the same width reuses the lines.
    Pieces made by split() are Paras too (ReportLab builds them with self.__class__).
    """

    _wrapped_at: float | None = None
    #: What the paragraph is in the structure tree (a plain P where the document is tagged).
    tag: Tag | None = None

    def drawOn(self, canvas: object, x: float, y: float, _sW: float = 0) -> None:
        with tagged(canvas, self.tag, bool(self.bulletText), reading_order(self), plain_text(self)):
            super().drawOn(canvas, x, y, _sW)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._wrapped_at == availWidth and "blPara" in self.__dict__:
            return self.width, self.height
        width, height = super().wrap(availWidth, availHeight)
        self._wrapped_at = availWidth
        return float(width), float(height)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        # Planning splits a paragraph at a page foot exactly where the layout will: keep the
        # pieces (not yet drawn, already wrapped) and hand the same ones out again.
        key = (availWidth, round(availHeight, 4), id(self.style))
        done: dict[tuple[float, float, int], list[Flowable]] = self.__dict__.setdefault("_splits", {})
        if key in done:
            return list(done[key])
        lines = self.__dict__.get("blPara")
        parts: list[Flowable] = super().split(availWidth, availHeight)
        if lines is not None and "blPara" not in self.__dict__:
            self.blPara = lines  # a refused split forgets the lines; they are still right
        for part in parts:
            part.tag = self.tag
        done[key] = parts
        return list(parts)


class Anchor(Para):
    """A heading that starts a part of the document: a link target (the outline points at it).

    The document template notices it after it is drawn (afterFlowable) and records its page.
    `header` is the running-header text for the pages that follow (None keeps the current one).
    """

    def __init__(
        self,
        markup: str,
        style: ParagraphStyle,
        key: str,
        header: str | None = None,
        aliases: tuple[str, ...] = (),
    ) -> None:
        super().__init__(markup, style)
        self.key = key
        self.header = header
        #: More destination names for the same place: a PDF outline needs one per entry, and a
        #: cross-listed technique has an entry under each of its categories.
        self.aliases = aliases

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        # A split anchor would be recorded twice; headings are short, so move it whole.
        return []


class Marked(Para):
    """A paragraph whose page is recorded under `key` (the page its first line lands on)."""

    key = ""

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(availWidth, availHeight)
        if parts:
            parts[0].key = self.key
        return parts


def marked(markup: str, style: ParagraphStyle, key: str, bullet: str | None = None) -> Marked:
    paragraph = Marked(markup, style, bulletText=bullet)
    paragraph.key = key
    return paragraph


class KeepWithNext(Flowable):  # type: ignore[misc]
    """A heading and the flowable after it, so the heading is never the last thing on a page.

    If the page has room for the heading and the first piece the follower can be split into
    (two lines of a paragraph, or all of one that may not split), both go there; else both
    move on. What is left of the follower continues on the next page on its own.
    """

    def __init__(self, heading: Flowable, follower: Flowable) -> None:
        super().__init__()
        self.heading = heading
        self.follower = follower
        self._heights = (0.0, 0.0)

    def _gap(self) -> float:
        return frame_gap(self.heading, self.follower)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        _, head = self.heading.wrap(availWidth, availHeight)
        _, rest = self.follower.wrap(availWidth, availHeight)
        self._heights = (head, rest)
        self.width = availWidth
        self.height = head + self._gap() + rest
        return availWidth, self.height

    def getSpaceBefore(self) -> float:
        return float(self.heading.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.follower.getSpaceAfter())

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        head, _ = self._heights
        room = availHeight - head - self._gap()
        if room <= 0:
            return []
        parts = self.follower.split(availWidth, room)
        if not parts:
            return []
        first = parts[0]
        _, height = first.wrap(availWidth, room)
        if height > room + 1e-6:
            return []
        return [KeepWithNext(self.heading, first), *parts[1:]]

    def drawOn(self, canvas: object, x: float, y: float, _sW: float = 0) -> None:
        # Drawn through the parts so each one's own drawOn (links, anchors' notice) runs.
        _, rest = self._heights
        self.heading.drawOn(canvas, x, y + rest + self._gap())
        self.follower.drawOn(canvas, x, y)

    def parts(self) -> list[Flowable]:
        return [self.heading, self.follower]


class PageRefRow(Flowable):  # type: ignore[misc]
    """A line of text with a page number at the right edge, linked to that page.

    Used by the contents, the indexes, "Similar techniques" and the sources. With `leaders`
    a row of dots runs from the text to the number. The number is drawn through PageNumbers,
    so the row's layout never waits for it. A text that fits on one line (nearly all titles)
    is drawn straight on the canvas; only a longer one becomes a wrapping Paragraph, whose
    wrapped lines start under the text, not under the bullet.
    """

    def __init__(
        self,
        text: str,
        style: ParagraphStyle,
        numbers: PageNumbers,
        key: str,
        template: str = "{page}",
        number_width: float = 40,
        bullet: str = "",
        leaders: bool = False,
        leader_colour: Color | None = None,
    ) -> None:
        super().__init__()
        self.text = text
        self.paragraph: Paragraph | None = None
        self.style = style
        self.numbers = numbers
        self.key = key
        self.template = template
        self.number_width = number_width
        self.bullet = bullet
        self.leaders = leaders
        self.leader_colour = leader_colour
        self.width = 0.0
        self.height = 0.0
        self.last_baseline = 0.0
        self.text_end = 0.0
        self.text_start = 0.0
        #: A Link element (the row's text and page number, and its link annotation).
        self.tag: Tag | None = None

    def drawOn(self, canvas: object, x: float, y: float, _sW: float = 0) -> None:
        with tagged(canvas, self.tag, actual_text=self.text if has_rtl(self.text) else "", text=self.text):
            super().drawOn(canvas, x, y, _sW)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self.width == availWidth and self.height:
            return availWidth, self.height  # planned already (exporter.pdf.pages.fitting)
        style = self.style
        room = availWidth - self.number_width - (style.rightIndent if is_rtl_style(style) else style.leftIndent)
        one_line = 0.0 if self.paragraph is not None else text_width(self.text, style.fontSize, style.fontName)
        if self.paragraph is None and one_line <= room:
            self.height = float(style.leading)
            self.last_baseline = self.height - first_line_drop(style)
            self.text_end = style.leftIndent + one_line
            self.text_start = availWidth - style.rightIndent - one_line
        else:
            if self.paragraph is None:
                self.paragraph = Para(para_text(self.text), style, bulletText=self.bullet or None)
            _, self.height = self.paragraph.wrap(availWidth - self.number_width, availHeight)
            lines = self.paragraph.blPara.lines
            self.last_baseline = self.height - first_line_drop(style, self.paragraph) - (len(lines) - 1) * style.leading
            last = lines[-1]
            used = last[0] if isinstance(last, tuple) else getattr(last, "extraSpace", None)
            line_room = availWidth - self.number_width - style.leftIndent
            self.text_end = style.leftIndent + (line_room - used if used is not None else line_room)
            # A right-to-left paragraph is set flush right beside the number column.
            self.text_start = self.number_width + style.leftIndent + (used or 0.0)
        self.width = availWidth
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []

    def getSpaceBefore(self) -> float:
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:
        return float(self.style.spaceAfter)

    def draw(self) -> None:
        canv = self.canv
        style = self.style
        # A right-to-left library: the text from the right, the page numbers in a column at the left.
        rtl = is_rtl_style(style)
        if self.paragraph is None:
            canv.setFillColor(style.textColor)
            if rtl:
                right = self.width - style.rightIndent
                draw_text(canv, right, self.last_baseline, self.text, style.fontSize, style.fontName, align="right")
            else:
                if self.bullet:
                    draw_text(
                        canv, style.bulletIndent, self.last_baseline, self.bullet, style.fontSize, style.bulletFontName
                    )
                draw_text(canv, style.leftIndent, self.last_baseline, self.text, style.fontSize, style.fontName)
        else:
            self.paragraph.drawOn(canv, self.number_width if rtl else 0, 0)
        if self.leaders:
            with artifact(canv):
                self._draw_leaders(rtl)
        self.numbers.draw_right(
            canv,
            0.0 if rtl else self.width,
            self.last_baseline,
            self.template,
            font_name=style.fontName,
            font_size=style.fontSize,
            colour=style.textColor,
            key=self.key,
            align="left" if rtl else "right",
        )
        link_box(canv, self.key, self.width, self.height)
        link_annotation(canv, open_element(canv), self.text)

    def _draw_leaders(self, rtl: bool = False) -> None:
        """Dots on a fixed grid (so they line up row under row), from the text to the number
        (in a right-to-left row, from the number at the left to the text)."""
        canv = self.canv
        pitch = 4.5
        if rtl:
            first = int((self.number_width - 12) / pitch + 1) * pitch
            last = int((self.text_start - 4) / pitch) * pitch
        else:
            first = int((self.text_end + 4) / pitch + 1) * pitch
            last = int((self.width - self.number_width + 12) / pitch) * pitch
        if last - first < pitch:
            return
        canv.saveState()
        if self.leader_colour is not None:
            canv.setStrokeColor(self.leader_colour)
        # A dashed line of zero-length dashes with round caps is a row of dots: one operator.
        canv.setLineCap(1)
        canv.setLineWidth(0.9)
        canv.setDash([0, pitch])
        canv.line(first, self.last_baseline + 1.4, last + 0.01, self.last_baseline + 1.4)
        canv.restoreState()


def first_line_drop(style: ParagraphStyle, paragraph: Paragraph | None = None) -> float:
    """How far below a Paragraph's top its first baseline sits (as drawPara places it)."""
    from reportlab import rl_config

    para = paragraph.blPara if paragraph is not None else None
    font_size = getattr(para, "fontSize", style.fontSize)
    if rl_config.paraFontSizeHeightOffset:
        return float(font_size)
    return float(getattr(para, "ascent", font_size))


class WarningPanel(Flowable):  # type: ignore[misc]
    """All of a technique's warnings in one tinted panel with a rule down its left side (its
    right side in a right-to-left library).

    Split across pages, the part on the next page opens with `continued` ("Warnings,
    continued"), so a reader who turns the page knows they are still reading warnings.
    """

    PAD_Y = 6.0
    PAD_X = 9.0
    BAR = 2.2
    #: A panel no taller than this (about seven lines) moves whole rather than split: two or
    #: three short warnings read as one thing and should not be parted by a page turn.
    KEEP_WHOLE_HEIGHT = 110.0

    def __init__(
        self,
        items: list[Flowable],
        tint: Color,
        bar: Color,
        continued: Flowable,
        is_continuation: bool = False,
    ) -> None:
        super().__init__()
        self.items = items
        self.tint = tint
        self.bar = bar
        self.continued = continued
        self.is_continuation = is_continuation
        self._placed: list[tuple[Flowable, float]] = []
        self.width = 0.0
        self.height = 0.0

    def _inner(self, availWidth: float) -> float:
        return availWidth - 2 * self.PAD_X - self.BAR

    def _stack(self, availWidth: float, availHeight: float) -> float:
        """Wrap every part; remember each one's offset from the top; return the inner height."""
        inner = self._inner(availWidth)
        parts = ([self.continued] if self.is_continuation else []) + self.items
        offset = 0.0
        self._placed = []
        for index, part in enumerate(parts):
            if index:
                offset += frame_gap(parts[index - 1], part)
            _, height = part.wrap(inner, availHeight)
            self._placed.append((part, offset + height))
            offset += height
        return offset

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.height = self._stack(availWidth, availHeight) + 2 * self.PAD_Y
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if not self.is_continuation and self.wrap(availWidth, availHeight)[1] <= self.KEEP_WHOLE_HEIGHT:
            return []
        inner = self._inner(availWidth)
        room = availHeight - 2 * self.PAD_Y
        if self.is_continuation:
            _, label = self.continued.wrap(inner, room)
            room -= label + float(self.continued.getSpaceAfter())
        kept: list[Flowable] = []
        for index, item in enumerate(self.items):
            _, height = item.wrap(inner, room)
            if height <= room:
                kept.append(item)
                room -= height + float(item.getSpaceAfter())
                continue
            pieces = item.split(inner, room) if room > 0 else []
            rest = self.items[index + 1 :]
            if pieces:
                kept.append(pieces[0])
                rest = [*pieces[1:], *rest]
            else:
                rest = [item, *rest]
            if not kept:
                return []
            return [self._part(kept, self.is_continuation), self._part(rest, True)]
        return [self]

    def _part(self, items: list[Flowable], is_continuation: bool) -> WarningPanel:
        return WarningPanel(items, self.tint, self.bar, self.continued, is_continuation)

    def draw(self) -> None:
        canv = self.canv
        # In a right-to-left library the rule runs down the side a reader starts from, as on the cards.
        rtl = self.right_to_left()
        with artifact(canv):
            canv.saveState()
            canv.setFillColor(self.tint)
            canv.rect(0, 0, self.width, self.height, stroke=0, fill=1)
            canv.setFillColor(self.bar)
            canv.rect(self.width - self.BAR if rtl else 0, 0, self.BAR, self.height, stroke=0, fill=1)
            canv.restoreState()
        top = self.height - self.PAD_Y
        for part, bottom_offset in self._placed:
            part.drawOn(canv, self.PAD_X if rtl else self.BAR + self.PAD_X, top - bottom_offset)

    def right_to_left(self) -> bool:
        """Whether the panel's warnings are set from the right (a right-to-left library's)."""
        style = getattr(self.continued, "style", None)
        return style is not None and is_rtl_style(style)

    def parts(self) -> list[Flowable]:
        return list(self.items)
