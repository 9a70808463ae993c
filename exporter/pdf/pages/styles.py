"""Page geometry, colours and paragraph styles shared by the handbook, handouts and cards.

The type system: Noto Serif for reading (10.5 on 14.5 pt in the handbook), Noto Sans bold for
headings and page furniture. The text block is about 122 mm wide on A4 and on Letter, so a full
line of body text holds 60-72 characters; the rest of the page is margin.

Every style names one of the bundled fonts explicitly: a style left on ReportLab's default
would pull base-14 Helvetica (not embedded, and without Cyrillic or Greek) into the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from exporter.options import BOOKLET_PAGES, DEFAULT_PAPER, PAPERS
from exporter.pdf.glyphs.fonts import BOLD, HEADING, HEADING_REGULAR, ICONS, ITALIC, REGULAR, register_fonts
from exporter.pdf.lines.hyphenation import (
    EXTRA_HYPHEN_LETTERS,
    HYPHEN_LEFT,
    HYPHEN_RIGHT,
    HYPHENATE_FROM_LETTERS,
    hyphenator,
    word_script,
)
from exporter.pdf.lines.paragraphs import right_to_left
from exporter.pdf.lines.total_fit import BROKEN_AS_JUSTIFIED_ATTRIBUTE, FEWEST_LINES_ATTRIBUTE, LANGUAGE_ATTRIBUTE
from exporter.text.languages import is_rtl_language

__all__ = ["EXTRA_HYPHEN_LETTERS", "HYPHEN_LEFT", "HYPHEN_RIGHT", "HYPHENATE_FROM_LETTERS", "hyphenator", "word_script"]

PAPER_SIZES: dict[str, tuple[float, float]] = {name: paper.size_pt for name, paper in PAPERS.items()}
PAPER_SIZES.update({page.label.lower(): page.size_pt for page in BOOKLET_PAGES.values()})

#: The smallest margin on any side: nothing is lost to a printer's unprintable edge.
MARGIN = 18 * mm
#: Width of the text block: a 60-72 character line of body text, on both paper sizes.
MEASURE = 122 * mm
TOP_MARGIN = 22 * mm
BOTTOM_MARGIN = 20 * mm
HEADER_GAP = 9 * mm
FOOTER_GAP = 9 * mm

# Pure black: it prints crisply, and ReportLab writes "0 0 0 rg" far faster than other colours.
INK = colors.black
MUTED = colors.HexColor("#5b636b")
RULE = colors.HexColor("#c9ced3")
LEADER = colors.HexColor("#9aa1a8")
WARNING_INK = colors.HexColor("#8a1c12")
WARNING_TINT = colors.HexColor("#fdecea")
WARNING_RULE = colors.HexColor("#d9534f")


def paper_size(paper: str) -> tuple[float, float]:
    width, height = PAPER_SIZES.get(paper.lower(), PAPERS[DEFAULT_PAPER].size_pt)
    return float(width), float(height)


def side_margin(paper: str) -> float:
    """Left and right margin: the page width less the text block, halved (never under MARGIN)."""
    width, _ = paper_size(paper)
    return float(max(MARGIN, (width - MEASURE) / 2))


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of a technique chapter and the pages around it."""

    body: ParagraphStyle
    small: ParagraphStyle
    title: ParagraphStyle
    category: ParagraphStyle
    section: ParagraphStyle
    step: ParagraphStyle
    bullet: ParagraphStyle
    phrase: ParagraphStyle
    warning: ParagraphStyle
    warning_label: ParagraphStyle
    source: ParagraphStyle
    ref: ParagraphStyle
    toc_category: ParagraphStyle
    toc_entry: ParagraphStyle
    cover_title: ParagraphStyle
    cover_subtitle: ParagraphStyle
    cover_line: ParagraphStyle
    page_heading: ParagraphStyle
    table_head: ParagraphStyle
    table_title: ParagraphStyle
    table_note: ParagraphStyle
    table_cell: ParagraphStyle
    index_group: ParagraphStyle
    index_entry: ParagraphStyle
    #: Tightness: 0 as designed, 1 tighter spacing, 2 and 3 also closer lines and paragraphs set
    #: in as few lines as they can be (never a smaller type: a document keeps one body size).
    level: int = 0


#: Each tightening level: (factor on vertical space, points off the leading, whether paragraphs
#: take as few lines as they can).
LEVELS: tuple[tuple[float, float, bool], ...] = (
    (1.0, 0.0, False),
    (0.55, 0.0, False),
    (0.45, 0.5, True),
    (0.35, 1.0, True),
)
#: The levels a handbook chapter may use (all of them: the closest saves a page).
HANDBOOK_LEVELS = len(LEVELS)


@lru_cache(maxsize=32)
def make_styles(language: str = "en", compact: bool = False, level: int = 0) -> Styles:
    """The shared styles; body text hyphenates in the library's language.

    compact sets body text a little smaller and tighter, for handouts that should fit a page;
    level tightens a chapter that would otherwise leave a few lines on a page of their own.
    """
    register_fonts()
    space, closer, fewest_lines = LEVELS[level]
    size = 10.0 if compact else 10.5
    # A handout is set a little closer (one sheet); a chapter fitted to save a page, closer still.
    leading = round(size * (1.3 if compact else 1.38) * 2) / 2 - closer
    hyphenate = hyphenator(language) or ""

    def gap(points: float) -> float:
        return round(points * space, 2)

    body = ParagraphStyle(
        "body",
        fontName=REGULAR,
        fontSize=size,
        leading=leading,
        textColor=INK,
        alignment=TA_JUSTIFY,
        spaceAfter=gap(5),
        allowWidows=0,
        allowOrphans=0,
        hyphenationLang=hyphenate,
        hyphenationMinWordLength=HYPHENATE_FROM_LETTERS,
        # Never at a hyphen already in the text: "follow-|up" would leave two letters.
        embeddedHyphenation=0,
        bulletFontName=REGULAR,
        **{LANGUAGE_ATTRIBUTE: language, FEWEST_LINES_ATTRIBUTE: fewest_lines},
    )

    def derive(name: str, **changes: object) -> ParagraphStyle:
        return ParagraphStyle(name, parent=body, **changes)

    heading = {"allowWidows": 1, "allowOrphans": 1, "hyphenationLang": "", "alignment": TA_LEFT}
    # List items are set flush left, broken as justified text (the same lines, so the same pages):
    # a loose line is left short instead of stretched, so a two-line item, with no second
    # line to share its slack, needs neither a hyphen nor a gappy line (print-craft.md).
    item = {"alignment": TA_LEFT, BROKEN_AS_JUSTIFIED_ATTRIBUTE: True}
    listed = {"leftIndent": 15, "bulletIndent": 2, "spaceAfter": gap(3), **item}
    styles = Styles(
        body=body,
        small=derive(
            "small", fontName=HEADING_REGULAR, fontSize=7.5, leading=9.5, textColor=MUTED, spaceAfter=0, **heading
        ),
        title=derive("title", fontName=HEADING, fontSize=19, leading=23, spaceBefore=0, spaceAfter=gap(7), **heading),
        category=derive(
            "category", fontName=HEADING, fontSize=8.5, leading=11, textColor=MUTED, spaceAfter=gap(4), **heading
        ),
        section=derive(
            "section",
            fontName=HEADING,
            fontSize=11 if compact else 11.5,
            leading=14.5,
            spaceBefore=gap(10 if compact else 12),
            spaceAfter=gap(3),
            **heading,
        ),
        # Wide enough for a two-digit number ("12.") before the step's text.
        step=derive("step", bulletFontName=BOLD, leftIndent=18, bulletIndent=0, spaceAfter=gap(3.5), **item),
        bullet=derive("bullet", **listed),
        phrase=derive("phrase", fontName=ITALIC, **listed),
        warning=derive(
            "warning",
            textColor=WARNING_INK,
            leftIndent=15,
            bulletIndent=0,
            bulletFontName=ICONS,
            spaceAfter=gap(3),
            **item,
        ),
        warning_label=derive(
            "warning_label", fontName=HEADING, fontSize=7.5, leading=10, textColor=WARNING_INK, spaceAfter=2, **heading
        ),
        # Sources hang: the first line starts at the margin, the rest are indented under it.
        source=derive(
            "source",
            fontSize=size - 1,
            leading=leading - 1.5,
            leftIndent=14,
            firstLineIndent=-14,
            alignment=TA_LEFT,
            spaceAfter=gap(3),
        ),
        ref=derive("ref", spaceAfter=gap(1.5), leftIndent=14, bulletIndent=0, bulletFontName=ICONS, **heading),
        toc_category=derive("toc_category", fontName=HEADING, fontSize=10, spaceBefore=9, spaceAfter=2, **heading),
        toc_entry=derive("toc_entry", spaceAfter=0.5, leftIndent=14, **heading),
        cover_title=derive(
            "cover_title",
            fontName=HEADING,
            fontSize=30,
            leading=36,
            alignment=TA_CENTER,
            spaceAfter=14,
            **{k: v for k, v in heading.items() if k != "alignment"},
        ),
        cover_subtitle=derive(
            "cover_subtitle",
            fontName=ITALIC,
            fontSize=15,
            leading=20,
            alignment=TA_CENTER,
            textColor=MUTED,
            spaceAfter=30,
            hyphenationLang="",
        ),
        cover_line=derive("cover_line", fontSize=12, leading=17, alignment=TA_CENTER, spaceAfter=4, hyphenationLang=""),
        page_heading=derive("page_heading", fontName=HEADING, fontSize=20, leading=25, spaceAfter=14, **heading),
        table_head=derive("table_head", fontName=HEADING, fontSize=7.5, leading=10, textColor=MUTED, **heading),
        table_title=derive("table_title", fontName=BOLD, fontSize=9, leading=11.5, spaceAfter=0, **heading),
        table_note=derive("table_note", fontName=HEADING_REGULAR, fontSize=7.5, leading=10, textColor=MUTED, **heading),
        table_cell=derive("table_cell", fontSize=8.5, leading=11, alignment=TA_LEFT, spaceAfter=0),
        index_group=derive(
            "index_group", fontName=HEADING, fontSize=9.5, leading=12.5, spaceBefore=8, spaceAfter=1.5, **heading
        ),
        index_entry=derive("index_entry", fontSize=9, leading=12, leftIndent=10, alignment=TA_LEFT, spaceAfter=1.5),
        level=level,
    )
    return right_to_left(styles) if is_rtl_language(language) else styles
