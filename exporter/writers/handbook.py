"""The PDF handbook: cover, contents, one chapter per technique by category, sources."""

from __future__ import annotations

from pathlib import Path

from reportlab.platypus import Flowable, KeepTogether, NextPageTemplate, PageBreak, Spacer, TopPadder

from exporter.model import Library, Technique
from exporter.outputs import atomic_output
from exporter.pdf.chapter import SimilarRow, chapter_flowables, technique_key
from exporter.pdf.document import BODY, OnePassDocument
from exporter.pdf.flowables import Anchor, PageRefRow
from exporter.pdf.fonts import para_text
from exporter.pdf.pagerefs import PageNumbers
from exporter.pdf.paragraphs import Paragraph
from exporter.pdf.styles import Styles, make_styles
from exporter.writers import BuildOptions, WriteResult

HANDBOOK_FILE = "handbook.pdf"
CONTENTS_KEY = "contents"
SOURCES_KEY = "sources"


def write_handbook(library: Library, out_dir: Path, options: BuildOptions) -> WriteResult:
    target = out_dir / HANDBOOK_FILE
    with atomic_output(target) as temporary:
        pages = build_handbook(library, temporary, options.paper)
    return WriteResult(
        name="handbook",
        paths=(target,),
        summary=f"{pages} pages, {len(library.techniques)} techniques, {options.paper.upper()}",
    )


def build_handbook(library: Library, target: Path, paper: str) -> int:
    """Write the handbook PDF to target in one layout pass; return its page count."""
    styles = make_styles(library.language)
    document = OnePassDocument(
        target,
        library,
        paper,
        styles,
        title=library.title,
        subject=library.subtitle or f"{library.title}: handbook",
        header_right=library.title,
        outline=True,
        cover_page=True,
    )
    flowables = cover(library, styles)
    flowables += contents(library, styles, document.numbers)
    flowables += chapters(library, styles, document.numbers)
    flowables += sources(library, styles, document.numbers)
    return document.build_once(flowables)


def cover(library: Library, styles: Styles) -> list[Flowable]:
    flowables: list[Flowable] = [
        Spacer(1, 150),
        Anchor(para_text(library.title), styles.cover_title, key="cover", outline_title="Cover"),
    ]
    for text, style in (
        (library.subtitle, styles.cover_subtitle),
        (library.organisation, styles.cover_line),
        (library.edition, styles.cover_line),
    ):
        if text:
            flowables.append(Paragraph(para_text(text), style))
    # TopPadder sets one flowable at the foot of the cover, so heading and text are one paragraph.
    disclaimer = Paragraph(f"<b>{para_text('Disclaimer')}</b><br/>{para_text(library.disclaimer)}", styles.source)
    flowables += [TopPadder(disclaimer), NextPageTemplate(BODY), PageBreak()]
    return flowables


def contents(library: Library, styles: Styles, numbers: PageNumbers) -> list[Flowable]:
    """The table of contents: one linked row per category and technique, numbers filled in later."""
    flowables: list[Flowable] = [
        Anchor(
            para_text("Contents"), styles.page_heading, key=CONTENTS_KEY, outline_title="Contents", header="Contents"
        )
    ]
    for index, (category, members) in enumerate(library.chapters()):
        label = f"{category.icon} {category.name}".strip()
        flowables.append(PageRefRow(label, styles.toc_category, numbers, category_key(index)))
        flowables += [PageRefRow(t.title, styles.toc_entry, numbers, technique_key(t)) for t in members]
    if cited_sources(library):
        flowables.append(PageRefRow("Sources", styles.toc_category, numbers, SOURCES_KEY))
    return flowables


def category_key(index: int) -> str:
    return f"category-{index}"


def chapters(library: Library, styles: Styles, numbers: PageNumbers) -> list[Flowable]:
    """Every technique on a fresh page, each category opening with its heading."""
    similar_row = linked_similar_row(styles, numbers)
    flowables: list[Flowable] = []
    for index, (category, members) in enumerate(library.chapters()):
        for position, technique in enumerate(members):
            flowables.append(PageBreak())
            if position == 0:
                label = f"{category.icon} {category.name}".strip()
                flowables.append(
                    Anchor(
                        para_text(label.upper()), styles.category, key=category_key(index), outline_title=category.name
                    )
                )
            flowables += chapter_flowables(technique, library, styles, similar_row)
    return flowables


def linked_similar_row(styles: Styles, numbers: PageNumbers) -> SimilarRow:
    def row(other: Technique) -> Flowable:
        return PageRefRow(
            f"→ {other.title}",
            styles.ref,
            numbers,
            technique_key(other),
            template="see p. {page}",
            number_width=70,
        )

    return row


def cited_sources(library: Library) -> list[tuple[str, list[Technique]]]:
    """Each distinct source once (alphabetical), with the techniques citing it in handbook order."""
    citing: dict[str, list[Technique]] = {}
    for technique in library.ordered_techniques():
        for source in dict.fromkeys(s.strip() for s in technique.sources if s.strip()):
            citing.setdefault(source, []).append(technique)
    return sorted(citing.items(), key=lambda pair: (pair[0].casefold(), pair[0]))


def sources(library: Library, styles: Styles, numbers: PageNumbers) -> list[Flowable]:
    listed = cited_sources(library)
    if not listed:
        return []
    flowables: list[Flowable] = [
        PageBreak(),
        Anchor(para_text("Sources"), styles.page_heading, key=SOURCES_KEY, outline_title="Sources", header="Sources"),
    ]
    for source, techniques in listed:
        rows: list[Flowable] = [Paragraph(para_text(source), styles.body)]
        rows += [PageRefRow(t.title, styles.toc_entry, numbers, technique_key(t)) for t in techniques]
        rows.append(Spacer(1, 6))
        flowables.append(KeepTogether(rows))
    return flowables
