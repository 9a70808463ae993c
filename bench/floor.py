"""The floor the handbook is measured against: plain ReportLab of the same text, in one pass.

`SimpleDocTemplate.build` with paragraphs only: the same fonts at the same body size on the
same measure as the handbook (exporter.pdf.pages.styles), the same text (titles, categories,
summary, every section, sources, similar titles), in handbook order with every technique on a
fresh page, but no cover, no contents page, no outline, no links, no page headers or footers,
no hyphenation, no planning of pages, and ReportLab's default settings otherwise.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, SimpleDocTemplate

from exporter.model import SECTION_TITLES, Library, Technique
from exporter.pdf.glyphs.fonts import BOLD, REGULAR, para_text, register_fonts
from exporter.pdf.pages.styles import make_styles, side_margin

_LIST_SECTIONS = ("steps", "when_to_use", "key_phrases", "follow_up_questions", "alternative_phrasings", "warnings")


def floor_styles() -> dict[str, ParagraphStyle]:
    designed = make_styles().body
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=designed.fontSize, leading=designed.leading, spaceAfter=4)
    title = ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=16, leading=20, spaceAfter=6)
    return {
        "body": body,
        "item": ParagraphStyle("item", parent=body, leftIndent=14, bulletIndent=2, bulletFontName=REGULAR),
        "section": ParagraphStyle("section", parent=body, fontName=BOLD, fontSize=11, spaceBefore=6, keepWithNext=1),
        "title": title,
        "chapter": ParagraphStyle("chapter", parent=title, fontSize=22, leading=28),
    }


def build_floor(library: Library, target: Path) -> int:
    """Write the plain document to target; return its page count."""
    register_fonts()
    styles = floor_styles()
    story: list[Flowable] = []
    for category, members in library.chapters():
        for position, technique in enumerate(members):
            if story:
                story.append(PageBreak())
            if position == 0:
                story.append(Paragraph(para_text(f"{category.icon} {category.name}"), styles["chapter"]))
            story += technique_story(technique, library, styles)
    margin = 18 * mm
    document = SimpleDocTemplate(
        str(target),
        pagesize=A4,
        leftMargin=side_margin("a4"),
        rightMargin=side_margin("a4"),
        topMargin=margin,
        bottomMargin=margin,
        invariant=1,
        title=library.title,
    )
    document.build(story)
    return int(document.page)


def technique_story(technique: Technique, library: Library, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    labels = ", ".join(f"{library.category(name).icon} {name}" for name in technique.categories)
    story: list[Flowable] = [
        Paragraph(para_text(technique.title), styles["title"]),
        Paragraph(para_text(labels), styles["body"]),
        Paragraph(para_text(SECTION_TITLES["summary"]), styles["section"]),
        Paragraph(para_text(technique.summary), styles["body"]),
    ]
    for name in _LIST_SECTIONS:
        items = technique.items(name)
        if items:
            story.append(Paragraph(para_text(SECTION_TITLES[name]), styles["section"]))
            for number, entry in enumerate(items, 1):
                bullet = f"{number}." if name == "steps" else "•"
                story.append(Paragraph(para_text(entry.text), styles["item"], bulletText=bullet))
    if technique.sources:
        story.append(Paragraph(para_text(SECTION_TITLES["sources"]), styles["section"]))
        story += [Paragraph(para_text(source), styles["body"]) for source in technique.sources]
    if technique.similar:
        story.append(Paragraph(para_text(SECTION_TITLES["similar"]), styles["section"]))
        for other in technique.similar:
            story.append(Paragraph(para_text(library.technique(other).title), styles["item"], bulletText="→"))
    return story
