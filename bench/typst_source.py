"""The same handbook text as Typst markup, with a contents page, for the Typst comparison."""

from __future__ import annotations

from exporter.model import SECTION_TITLES, Library, Technique
from exporter.pdf.glyphs.fonts import FONT_DIR

#: Font folder Typst is given: the bundled DejaVu Sans and Symbola subset, nothing from the system.
TYPST_FONT_DIR = FONT_DIR

_LIST_SECTIONS = ("steps", "when_to_use", "key_phrases", "follow_up_questions", "alternative_phrasings", "warnings")


def typst_string(text: str) -> str:
    """Text as a Typst string literal: inserted verbatim, never read as markup."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'#"{escaped}"'


def handbook_source(library: Library) -> str:
    """A Typst document: title page, #outline() contents, one page per technique, page numbers."""
    lines = [
        '#set page(paper: "a4", margin: 18mm, numbering: "1 / 1")',
        '#set text(font: ("DejaVu Sans", "Symbola"), size: 10pt, lang: "en")',
        "#set par(justify: false)",
        "#show heading.where(level: 1): set text(size: 20pt)",
        "#show heading.where(level: 2): set text(size: 16pt)",
        f'#align(center, text(size: 26pt, weight: "bold")[{typst_string(library.title)}])',
        f"#align(center)[{typst_string(library.subtitle)}]",
        f"#align(bottom)[{typst_string(library.disclaimer)}]",
        "#pagebreak()",
        '#outline(title: "Contents", depth: 2)',
    ]
    for category, members in library.chapters():
        for position, technique in enumerate(members):
            lines.append("#pagebreak()")
            if position == 0:
                lines.append(f"= {typst_string(f'{category.icon} {category.name}')}")
            lines += _technique(technique, library)
    return "\n".join(lines) + "\n"


def _technique(technique: Technique, library: Library) -> list[str]:
    labels = ", ".join(f"{library.category(name).icon} {name}" for name in technique.categories)
    lines = [
        f"== {typst_string(technique.title)} <{technique.id}>",
        typst_string(labels),
        "",
        f"=== {typst_string(SECTION_TITLES['summary'])}",
        typst_string(technique.summary),
        "",
    ]
    for name in _LIST_SECTIONS:
        items = technique.items(name)
        if items:
            lines.append(f"=== {typst_string(SECTION_TITLES[name])}")
            marker = "+" if name == "steps" else "-"
            lines += [f"{marker} {typst_string(item.text)}" for item in items]
            lines.append("")
    if technique.sources:
        lines.append(f"=== {typst_string(SECTION_TITLES['sources'])}")
        lines += [typst_string(source) + "\n" for source in technique.sources]
    if technique.similar:
        lines.append(f"=== {typst_string(SECTION_TITLES['similar'])}")
        for other in technique.similar:
            title = typst_string(library.technique(other).title)
            lines.append(f"- {title}, see p. #context counter(page).at(<{other}>).first()")
        lines.append("")
    return lines
