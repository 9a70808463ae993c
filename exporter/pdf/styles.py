"""Paper sizes, margins, colours and paragraph styles shared by the handbook, handouts and cards.

Every style names one of the bundled fonts explicitly: a style left on ReportLab's default
would pull base-14 Helvetica (not embedded, and without Cyrillic or Greek) into the PDF.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from exporter.pdf.bidi import is_rtl_language
from exporter.pdf.fonts import BOLD, ITALIC, REGULAR, register_fonts
from exporter.pdf.paragraphs import right_to_left

PAPER_SIZES: dict[str, tuple[float, float]] = {"a4": A4, "letter": LETTER}

#: At least 15 mm on every side, so nothing is lost to a printer's unprintable edge.
MARGIN = 18 * mm
HEADER_GAP = 8 * mm
FOOTER_GAP = 9 * mm

# Pure black: it prints crisply, and ReportLab writes "0 0 0 rg" far faster than other colours.
INK = colors.black
MUTED = colors.HexColor("#5b636b")
RULE = colors.HexColor("#c9ced3")
WARNING_INK = colors.HexColor("#8a1c12")
WARNING_TINT = colors.HexColor("#fdecea")
WARNING_RULE = colors.HexColor("#d9534f")

#: Words shorter than this are never hyphenated: only long words risk overflowing a line,
#: and skipping the rest keeps hyphenation from costing a pyphen call at every line break.
HYPHENATE_FROM_LETTERS = 10


def paper_size(paper: str) -> tuple[float, float]:
    width, height = PAPER_SIZES.get(paper.lower(), A4)
    return float(width), float(height)


@lru_cache(maxsize=8)
def hyphenator(language: str) -> Callable[[str], Iterator[tuple[str, str]]] | None:
    """A ReportLab hyphenation callable for long words in the library's language, if pyphen has it."""
    import pyphen

    found = pyphen.language_fallback(language.replace("-", "_")) if language else None
    if not found:
        return None
    dictionary = pyphen.Pyphen(lang=found)

    @lru_cache(maxsize=4096)
    def pairs(word: str) -> tuple[tuple[str, str], ...]:
        if len(word) < HYPHENATE_FROM_LETTERS:
            return ()
        return tuple(dictionary.iterate(word))

    def hyphenate(word: str) -> Iterator[tuple[str, str]]:
        return iter(pairs(word))

    return hyphenate


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
    source: ParagraphStyle
    ref: ParagraphStyle
    toc_category: ParagraphStyle
    toc_entry: ParagraphStyle
    cover_title: ParagraphStyle
    cover_subtitle: ParagraphStyle
    cover_line: ParagraphStyle
    page_heading: ParagraphStyle


def keep_room_for(heading: ParagraphStyle, body: ParagraphStyle) -> float:
    """Space a heading needs at the bottom of a page: itself plus two lines of what follows."""
    return float(heading.spaceBefore + heading.leading + heading.spaceAfter + 2 * body.leading + 8)


@lru_cache(maxsize=8)
def make_styles(language: str = "en", compact: bool = False) -> Styles:
    """The shared styles; body text hyphenates long words in the library's language.

    compact sets body text a little smaller and tighter, for handouts that should fit a page.
    """
    register_fonts()
    hyphenate = hyphenator(language) or ""
    body = ParagraphStyle(
        "body",
        fontName=REGULAR,
        fontSize=9.5 if compact else 10,
        leading=12.5 if compact else 14,
        textColor=INK,
        spaceAfter=4,
        allowWidows=0,
        allowOrphans=0,
        hyphenationLang=hyphenate,
        hyphenationMinWordLength=HYPHENATE_FROM_LETTERS,
        bulletFontName=REGULAR,
    )

    def derive(name: str, **changes: object) -> ParagraphStyle:
        return ParagraphStyle(name, parent=body, **changes)

    # Headings are kept with what follows by a CondPageBreak before them (see keep_room_for),
    # not by keepWithNext, which lays the heading and its next paragraph out twice.
    heading = {"allowWidows": 1, "allowOrphans": 1, "hyphenationLang": ""}
    listed = {"leftIndent": 16, "bulletIndent": 0, "spaceAfter": 3}
    styles = Styles(
        body=body,
        small=derive("small", fontSize=8, leading=10, textColor=MUTED, spaceAfter=0),
        title=derive("title", fontName=BOLD, fontSize=18, leading=22, spaceBefore=2, spaceAfter=6, **heading),
        category=derive("category", fontName=BOLD, fontSize=9, leading=12, textColor=MUTED, spaceAfter=2, **heading),
        section=derive(
            "section",
            fontName=BOLD,
            fontSize=11.5,
            leading=15,
            spaceBefore=6 if compact else 8,
            spaceAfter=3,
            **heading,
        ),
        # Wide enough for a two-digit number ("12.") before the step's text.
        step=derive("step", bulletFontName=BOLD, leftIndent=25, bulletIndent=0, spaceAfter=3),
        bullet=derive("bullet", **listed),
        phrase=derive("phrase", fontName=ITALIC, **listed),
        warning=derive(
            "warning",
            textColor=WARNING_INK,
            backColor=WARNING_TINT,
            borderColor=WARNING_RULE,
            borderWidth=0.6,
            # The box reaches left over the ⚠ (padding order: top, right, bottom, left).
            borderPadding=(3, 4, 3, 18),
            leftIndent=20,
            rightIndent=4,
            bulletIndent=5,
            spaceBefore=4,
            spaceAfter=8,
        ),
        source=derive("source", fontSize=9, leading=12.5),
        ref=derive("ref", spaceAfter=0, leftIndent=0, allowWidows=1, allowOrphans=1),
        toc_category=derive("toc_category", fontName=BOLD, spaceBefore=6, spaceAfter=0, hyphenationLang=""),
        toc_entry=derive("toc_entry", spaceAfter=0, leftIndent=14, hyphenationLang=""),
        cover_title=derive(
            "cover_title", fontName=BOLD, fontSize=30, leading=36, alignment=TA_CENTER, spaceAfter=14, **heading
        ),
        cover_subtitle=derive(
            "cover_subtitle", fontSize=15, leading=20, alignment=TA_CENTER, textColor=MUTED, spaceAfter=30
        ),
        cover_line=derive("cover_line", fontSize=12, leading=17, alignment=TA_CENTER, spaceAfter=4),
        page_heading=derive("page_heading", fontName=BOLD, fontSize=20, leading=25, spaceAfter=12, **heading),
    )
    return right_to_left(styles) if is_rtl_language(language) else styles
