"""Flowables the PDF writers share: headings that are link targets, and rows that cite a page."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from exporter.pdf.fonts import para_text
from exporter.pdf.pagerefs import PageNumbers
from exporter.pdf.paragraphs import Paragraph, is_rtl_style
from exporter.pdf.text import draw_text, text_width


class Anchor(Paragraph):
    """A heading that starts a part of the document: a link target and an outline entry.

    The document template notices it after it is drawn (afterFlowable) and records its page.
    `header` is the running-header text for the pages that follow (None keeps the current one).
    """

    def __init__(
        self,
        markup: str,
        style: ParagraphStyle,
        key: str,
        outline_title: str,
        outline_level: int = 0,
        header: str | None = None,
    ) -> None:
        super().__init__(markup, style)
        self.key = key
        self.outline_title = outline_title
        self.outline_level = outline_level
        self.header = header

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        # A split anchor would be recorded twice; headings are short, so move it whole.
        return []


class PageRefRow(Flowable):  # type: ignore[misc]
    """A line of text with a page number at the right edge, linked to that page.

    Used by the table of contents, "Similar techniques" and the sources. The number is drawn
    through PageNumbers, so the row's layout never waits for it. A text that fits on one line
    (nearly all titles) is drawn straight on the canvas; only a longer one becomes a wrapping
    Paragraph, which costs far more to parse and lay out.
    """

    def __init__(
        self,
        text: str,
        style: ParagraphStyle,
        numbers: PageNumbers,
        key: str,
        template: str = "{page}",
        number_width: float = 40,
    ) -> None:
        super().__init__()
        self.text = text
        self.paragraph: Paragraph | None = None
        self.style = style
        self.numbers = numbers
        self.key = key
        self.template = template
        self.number_width = number_width
        self.width = 0.0
        self.height = 0.0
        self.last_baseline = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        style = self.style
        room = availWidth - self.number_width - (style.rightIndent if is_rtl_style(style) else style.leftIndent)
        if self.paragraph is None and text_width(self.text, style.fontSize, style.fontName) <= room:
            self.height = float(style.leading)
            self.last_baseline = self.height - first_line_drop(style)
        else:
            if self.paragraph is None:
                self.paragraph = Paragraph(para_text(self.text), style)
            _, self.height = self.paragraph.wrap(availWidth - self.number_width, availHeight)
            lines = len(self.paragraph.blPara.lines)
            self.last_baseline = self.height - first_line_drop(style, self.paragraph) - (lines - 1) * style.leading
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
                draw_text(canv, style.leftIndent, self.last_baseline, self.text, style.fontSize, style.fontName)
        else:
            self.paragraph.drawOn(canv, self.number_width if rtl else 0, 0)
        self.numbers.draw_right(
            canv,
            self.number_width if rtl else self.width,
            self.last_baseline,
            self.template,
            font_name=style.fontName,
            font_size=style.fontSize,
            colour=style.textColor,
            key=self.key,
        )
        canv.linkRect("", self.key, (0, 0, self.width, self.height), relative=1, thickness=0)


def first_line_drop(style: ParagraphStyle, paragraph: Paragraph | None = None) -> float:
    """How far below a Paragraph's top its first baseline sits (as drawPara places it)."""
    from reportlab import rl_config

    para = paragraph.blPara if paragraph is not None else None
    font_size = getattr(para, "fontSize", style.fontSize)
    if rl_config.paraFontSizeHeightOffset:
        return float(font_size)
    return float(getattr(para, "ascent", font_size))
