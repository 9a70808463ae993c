"""Handouts: one short PDF per technique, the handbook's chapter with the library's title and disclaimer."""

from __future__ import annotations

from pathlib import Path

from exporter.model import Library, Technique
from exporter.outputs import atomic_output
from exporter.pdf.chapter import chapter_flowables, plain_similar_row
from exporter.pdf.document import OnePassDocument
from exporter.pdf.styles import make_styles
from exporter.writers import BuildOptions, WriteResult

HANDOUTS_DIR = "handouts"


def write_handouts(library: Library, out_dir: Path, options: BuildOptions) -> WriteResult:
    paths = []
    pages = 0
    for technique in library.ordered_techniques():
        target = out_dir / HANDOUTS_DIR / f"{technique.id}.pdf"
        with atomic_output(target) as temporary:
            pages += build_handout(library, technique, temporary, options.paper)
        paths.append(target)
    return WriteResult(
        name="handouts",
        paths=tuple(paths),
        summary=f"{len(paths)} handouts, {pages} pages, {options.paper.upper()}",
    )


def build_handout(library: Library, technique: Technique, target: Path, paper: str) -> int:
    """Write one technique's handout to target; return its page count."""
    styles = make_styles(library.language, compact=True)
    document = OnePassDocument(
        target,
        library,
        paper,
        styles,
        title=f"{technique.title} — {library.title}",
        subject=technique.summary,
        header_right=library.title,
        # A handout travels alone, so every page carries the whole disclaimer in its footer.
        footer_text=library.disclaimer,
    )
    flowables = chapter_flowables(technique, library, styles, plain_similar_row(styles))
    return document.build_once(flowables)
