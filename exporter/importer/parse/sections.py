"""A page's body -> its sections: lines grouped under their headings, entries cleaned of markers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from exporter.errors import Problem
from exporter.importer.parse.headings import PageLanguage
from exporter.messages import counted
from exporter.text.invisible import has_visible

MARKER = re.compile(r"^\s*(?:\d{1,3}[.)]|[•·▪◦‣∙●○■□▸►*\-–])(?:\s+|$)(?P<text>.*)$")
_WARNING_SIGN = re.compile(r"^\s*⚠\ufe0f?\s*")
_SENTENCE_END = tuple('.?!;,"”’)»…')


@dataclass
class Section:
    name: str  # a technique field, "summary", "unknown" or "after_source"
    heading: str
    line: int
    #: (line number, text, whether a blank line came before it)
    body: list[tuple[int, str, bool]] = field(default_factory=list)


def is_heading(language: PageLanguage, line: str) -> bool:
    return language.heading_field(line) is not None or language.source_text(line) is not None


def _is_unknown_heading(language: PageLanguage, lines: list[str], index: int) -> bool:
    """A short, title-like line standing alone between blank lines, followed by content."""
    text = lines[index].strip()
    if not text or len(text) > 40 or len(text.split()) > 5 or not _starts_like_a_title(text):
        return False
    if text.endswith(_SENTENCE_END) or MARKER.match(lines[index]) or lines[index].startswith(" "):
        return False
    if index > 0 and lines[index - 1].strip():
        return False
    if index + 2 >= len(lines) or lines[index + 1].strip():
        return False
    following = next((line for line in lines[index + 1 :] if line.strip()), "")
    return bool(following) and not is_heading(language, following)


def _starts_like_a_title(text: str) -> bool:
    """A capital letter, or a letter of a script without case (Hebrew, Arabic)."""
    first = text[0]
    return first.isupper() or (first.isalpha() and not first.islower() and first.lower() == first.upper())


def _paragraphs(lines: list[str]) -> list[tuple[int, int]]:
    """(first index, last index) of every run of non-blank lines."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for index, line in enumerate(lines):
        if line.strip() and start is None:
            start = index
        elif not line.strip() and start is not None:
            runs.append((start, index - 1))
            start = None
    if start is not None:
        runs.append((start, len(lines) - 1))
    return runs


def find_disclaimer(language: PageLanguage, lines: list[str], headings: list[int]) -> tuple[str, int] | None:
    """The closing disclaimer paragraph: last on the page, prose, says what the material is not.

    After the source or the similar techniques one such word is enough; after any other section
    the paragraph could be a long key phrase, so it takes two.
    """
    runs = _paragraphs(lines)
    if not runs:
        return None
    start, end = runs[-1]
    if start <= headings[0] or any(MARKER.match(line) for line in lines[start : end + 1]):
        return None
    text = " ".join(line.strip() for line in lines[start : end + 1])
    if len(text) < 80 or is_heading(language, text):
        return None
    last_heading = lines[max(h for h in headings if h < start)]
    at_the_end = language.heading_field(last_heading) in ("similar", "sources") or language.source_text(last_heading)
    words = {match.casefold() for match in language.disclaimer_words.findall(text)}
    return (text, start) if len(words) >= (1 if at_the_end else 2) else None


def split_sections(
    language: PageLanguage, lines: list[str], start: int, end: int, display: str
) -> tuple[list[Section], list[Problem]]:
    """Lines start..end (exclusive) grouped under the heading above them."""
    sections = [Section("summary", "", start + 1)]
    blank_before = False
    for index in range(start, end):
        line = lines[index]
        number = index + 1
        if not line.strip():
            blank_before = True
            continue
        heading = language.heading_field(line)
        source = language.source_text(line)
        if heading is not None:
            sections.append(Section(heading, line.strip(), number))
        elif source is not None:
            sections.append(Section("sources", line.strip(), number, [(number, source, False)]))
            sections.append(Section("after_source", line.strip(), number))
        elif sections[-1].name == "after_source" and not sections[-1].body and not blank_before:
            wrapped_number, wrapped, _ = sections[-2].body[-1]
            sections[-2].body[-1] = (wrapped_number, f"{wrapped} {line.strip()}", False)
        elif sections[-1].name != "similar" and _is_unknown_heading(language, lines, index):
            sections.append(Section("unknown", line.strip(), number))
        else:
            sections[-1].body.append((number, line, blank_before))
        blank_before = False
    problems = [
        Problem(
            display,
            section.line,
            "section",
            f"unknown section '{section.heading}'; its {counted(len(section.body), 'line')} "
            f"{'was' if len(section.body) == 1 else 'were'} left out "
            f"(known sections: {language.known_sections()})",
            "warning",
        )
        for section in sections
        if section.name == "unknown"
    ]
    return sections, problems


def section_items(section: Section) -> list[tuple[int, str]]:
    """The entries of a list section: markers and warning signs removed, wrapped lines joined."""
    has_markers = any(MARKER.match(text) or _WARNING_SIGN.match(text) for _, text, _ in section.body)
    items: list[tuple[int, str]] = []
    for number, text, blank_before in section.body:
        marker = MARKER.match(text)
        if marker:
            items.append((number, marker.group("text")))
        elif has_markers and _WARNING_SIGN.match(text):
            items.append((number, text))
        elif has_markers and items and not blank_before:
            items[-1] = (items[-1][0], f"{items[-1][1]} {text.strip()}")
        else:
            items.append((number, text))
    cleaned: list[tuple[int, str]] = []
    for number, text in items:
        if section.name == "warnings":
            text = _WARNING_SIGN.sub("", text)
        text = re.sub(r"\s+", " ", text).strip()
        if has_visible(text):  # a stray selector or joiner left by a broken emoji is not an entry
            cleaned.append((number, text))
    return cleaned
