"""One catalogue page's clean text -> a ParsedPage: title, categories, summary and sections.

A page reads, top to bottom: a title (often twice, after a "← Techniques" link), a line of
category icons and names, the summary, then sections under known headings ("Step-by-step guide",
"When to use", ... "Warnings"), a "Source:" line, "Similar techniques" and the site's disclaimer,
in any bundled language (exporter/importer/headings.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from anyascii import anyascii

from exporter.content.field_checks import WINDOWS_DEVICE_NAMES
from exporter.content.techniques import MAX_ITEM_CHARS, MAX_ITEMS, MAX_SUMMARY_CHARS, MAX_TITLE_CHARS
from exporter.errors import Problem, errors_only
from exporter.importer.parse.headings import CORE_FIELDS, PageLanguage, detect_language, page_language
from exporter.importer.parse.page_text import clean_page_text, read_page_text
from exporter.importer.parse.sections import (
    MARKER,
    Section,
    find_disclaimer,
    is_heading,
    section_items,
    split_sections,
)
from exporter.text.invisible import has_visible

#: Ids the importer makes stay this short, well inside the limit on any id (field_checks.MAX_ID_CHARS).
SLUG_CHARS = 60

_BREADCRUMB = re.compile(r"^\s*(?:←|(?:<-|‹|«)\s)")
_CYRILLIC = (
    "а:a б:b в:v г:g д:d е:e ё:e ж:zh з:z и:i й:y к:k л:l м:m н:n о:o п:p р:r с:s т:t у:u ф:f х:kh ц:ts"
    " ч:ch ш:sh щ:shch ы:y э:e ю:yu я:ya ъ: ь: і:i ї:yi є:ye ґ:g ў:u"
)
_GREEK = "α:a β:v γ:g δ:d ε:e ζ:z η:i θ:th ι:i κ:k λ:l μ:m ν:n ξ:x ο:o π:p ρ:r σ:s ς:s τ:t υ:y φ:f χ:ch ψ:ps ω:o"
_TRANSLITERATION = str.maketrans(dict(pair.split(":") for pair in f"{_CYRILLIC} {_GREEK}".split()))


@dataclass
class ParsedPage:
    """What one catalogue page says, ready to become a technique file."""

    display: str
    title: str
    technique_id: str
    fields: dict[str, Any]
    #: (name, icon) in the order the page lists them.
    categories: list[tuple[str, str]]
    #: (title as written, line) under "Similar techniques"; resolved to ids later.
    similar_titles: list[tuple[str, int]] = field(default_factory=list)
    disclaimer: str = ""
    repaired: int = 0
    #: The page line each field's text came from, for messages about it.
    lines: dict[str, int] = field(default_factory=dict)
    #: The bundled language whose headings the page uses.
    language: str = "en"


def slugify(text: str) -> str:
    """A technique id from a title: lowercase letters, digits and '-'.

    Cyrillic and Greek go through the table above (й and ї before NFKD splits off their marks);
    what is left that is not ASCII (ø, ł, Hebrew, Arabic...) through anyascii, so every title in
    every bundled language gives a readable id.
    """
    text = unicodedata.normalize("NFC", text.casefold()).translate(_TRANSLITERATION)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_TRANSLITERATION)
    slug = _ascii_slug(text, _is_latin)
    if not slug:  # a title with no Latin word at all (Hebrew, Arabic): its letters, transliterated
        slug = _ascii_slug(text, lambda c: unicodedata.category(c).startswith("L"))
    if slug in WINDOWS_DEVICE_NAMES:  # con.yaml, lpt1.pdf: names Windows keeps for devices
        slug += "-technique"
    if len(slug) > SLUG_CHARS:
        slug = slug[:SLUG_CHARS].rsplit("-", 1)[0] if "-" in slug[:SLUG_CHARS] else slug[:SLUG_CHARS]
    return slug


def _ascii_slug(text: str, transliterate: Callable[[str], bool]) -> str:
    """text as lowercase ASCII words joined by '-': other characters through anyascii where
    transliterate says so, dropped where not (a Hebrew word beside the English title)."""
    text = "".join(c if c.isascii() else anyascii(c) if transliterate(c) else " " for c in text).casefold()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _is_latin(character: str) -> bool:
    return unicodedata.name(character, "").startswith("LATIN")


def _is_icon_character(character: str) -> bool:
    return unicodedata.category(character) in ("So", "Sk", "Me") or character in "\ufe0e\ufe0f\u200d"


def parse_categories_line(line: str) -> list[tuple[str, str]] | None:
    """`🔧 Problem processing 👥 Interpersonal` -> [(name, icon), ...]; None if not such a line."""
    text = line.strip()
    if not text or unicodedata.category(text[0]) != "So":
        return None
    found: list[tuple[str, str]] = []
    icon, name = "", ""
    for character in text:
        if _is_icon_character(character):
            if name.strip():
                found.append((name.strip(), icon))
                icon, name = "", ""
            icon += character
        else:
            name += character
    if name.strip():
        found.append((name.strip(), icon))
    named = [(n, i) for n, i in found if any(c.isalnum() for c in n)]
    return named or None


def _check_length(display: str, line: int, name: str, text: str, limit: int) -> list[Problem]:
    if len(text) <= limit:
        return []
    return [Problem(display, line, name, f"is {len(text):,} characters long; the limit is {limit:,}")]


def _not_a_catalogue_page(
    display: str, language: PageLanguage | None, lines: list[str], languages: tuple[PageLanguage, ...]
) -> Problem:
    shown = language or page_language("en")
    names = [f"'{shown.heading_names[name]}'" for name in CORE_FIELDS]
    where = f" in {shown.name} (--language {shown.code})" if language is not None else ""
    message = f"not a catalogue page{where}: none of the sections {', '.join(names[:-1])} or {names[-1]} was found"
    other = detect_language(lines, languages) if language is not None else None
    if other is not None:
        message += f"; its headings are in {other.name}: use --language {other.code}, or leave the option out"
    return Problem(display, 1, "page", message)


def parse_page(
    text: str, display: str, language: PageLanguage | None = None, languages: tuple[PageLanguage, ...] = ()
) -> tuple[ParsedPage | None, list[Problem]]:
    """Read one page's (cleaned) text into a ParsedPage, with warnings; None and errors if it cannot be.

    The headings are those of `language`, or of the one of `languages` (default: the bundled
    ones) that the page's headings show.
    """
    lines = [line.rstrip() for line in text.split("\n")]
    if not any(line.strip() for line in lines):
        return None, [Problem(display, 1, "page", "the page is empty")]
    found_language = language or detect_language(lines, languages)
    words = found_language or page_language("en")
    content = [i for i, line in enumerate(lines) if line.strip() and not _BREADCRUMB.match(line)]
    if content and words.is_back_link(lines[content[0]]):
        content = content[1:]  # the back-link with its arrow lost in copying
    if not content:
        return None, [Problem(display, 1, "title", "the page has no title line before its categories and sections")]
    headings = [i for i in content if is_heading(words, lines[i])]
    if found_language is None or not any(words.heading_field(lines[i]) in CORE_FIELDS for i in headings):
        return None, [_not_a_catalogue_page(display, language, lines, languages)]
    title_index = content[0]
    title = lines[title_index].strip()
    if len(title) > MAX_TITLE_CHARS and title_index not in headings:
        return None, [
            Problem(
                display,
                title_index + 1,
                "title",
                f"the title is {len(title):,} characters long; a title may have at most {MAX_TITLE_CHARS} "
                "(is the summary on the title's line?)",
            )
        ]
    if title_index in headings or parse_categories_line(title) or MARKER.match(lines[title_index]):
        return None, [
            Problem(display, title_index + 1, "title", "the page has no title line before its categories and sections")
        ]
    position = content.index(title_index) + 1
    if position < len(content) and lines[content[position]].strip() == title:
        position += 1
    categories, categories_line, problems = _read_categories(display, lines, content, position, title_index)
    if categories:
        position += 1
    body_start = content[position] if position < len(content) else len(lines)
    disclaimer = find_disclaimer(words, lines, headings)
    body_end = disclaimer[1] if disclaimer else len(lines)
    sections, section_problems = split_sections(words, lines, body_start, body_end, display)
    problems += section_problems
    page = _assemble(display, title, categories, sections, problems, words)
    if page is not None:
        page.lines["categories"] = categories_line
        if disclaimer:
            page.disclaimer = disclaimer[0]
            page.lines["disclaimer"] = disclaimer[1] + 1
            problems += _check_length(display, disclaimer[1] + 1, "disclaimer", page.disclaimer, MAX_SUMMARY_CHARS)
    if errors_only(problems):
        return None, problems
    return page, problems


def _read_categories(
    display: str, lines: list[str], content: list[int], position: int, title_index: int
) -> tuple[list[tuple[str, str]], int, list[Problem]]:
    """The categories line under the title: (name, icon) pairs, its line number, and problems."""
    problems: list[Problem] = []
    categories: list[tuple[str, str]] = []
    categories_line = content[position] + 1 if position < len(content) else title_index + 2
    if position < len(content):
        categories = parse_categories_line(lines[content[position]]) or []
    if not categories:
        problems.append(
            Problem(
                display,
                categories_line,
                "categories",
                "no categories line under the title (icons and names, like '🔧 Problem processing')",
            )
        )
    for name, icon in categories:
        problems += _check_length(display, categories_line, "categories", name, MAX_TITLE_CHARS)
        if len(icon) > 16:
            problems.append(
                Problem(
                    display,
                    categories_line,
                    "categories",
                    f"the icon of '{name}' is {len(icon)} characters long; the limit is 16",
                )
            )
    return categories, categories_line, problems


def _assemble(
    display: str,
    title: str,
    categories: list[tuple[str, str]],
    sections: list[Section],
    problems: list[Problem],
    language: PageLanguage,
) -> ParsedPage | None:
    """Sections -> fields, with every length limit and required field checked."""
    summary_section = sections[0]
    summary = re.sub(r"\s+", " ", " ".join(text for _, text, _ in summary_section.body)).strip()
    fields: dict[str, Any] = {"title": title, "categories": [name for name, _ in categories], "summary": summary}
    lines: dict[str, int] = {"summary": summary_section.body[0][0] if summary_section.body else summary_section.line}
    if not has_visible(summary):  # a selector left over from a broken emoji is no summary
        problems.append(
            Problem(
                display,
                summary_section.line,
                "summary",
                "no summary paragraph between the categories and the first section",
            )
        )
    problems += _check_length(display, lines["summary"], "summary", summary, MAX_SUMMARY_CHARS)
    similar: list[tuple[str, int]] = []
    for section in sections[1:]:
        if section.name in ("unknown", "after_source"):
            if section.name == "after_source" and section.body:
                number = section.body[0][0]
                problems.append(
                    Problem(
                        display, number, "source", "text after the Source line was not understood; left out", "warning"
                    )
                )
            continue
        items = section_items(section)
        if section.name == "similar":
            similar += [(text, number) for number, text in items]
            continue
        if section.name in fields and items:
            problems.append(
                Problem(
                    display, section.line, section.name, f"section '{section.heading}' appears twice; merged", "warning"
                )
            )
        entries = fields.setdefault(section.name, [])
        for number, text in items:
            problems += _check_length(display, number, f"{section.name}[{len(entries)}]", text, MAX_ITEM_CHARS)
            lines[f"{section.name}[{len(entries)}]"] = number
            entries.append(text)
        lines.setdefault(section.name, section.line)
    for name in list(fields):
        if isinstance(fields[name], list) and len(fields[name]) > MAX_ITEMS:
            problems.append(
                Problem(display, lines.get(name, 1), name, f"has {len(fields[name])} entries; the limit is {MAX_ITEMS}")
            )
        if isinstance(fields[name], list) and not fields[name] and name != "categories":
            del fields[name]
    if "steps" not in fields:
        problems.append(
            Problem(
                display,
                lines.get("steps", 1),
                "steps",
                f"missing: a technique needs a '{language.heading_names['steps']}' section with at least one step",
            )
        )
    technique_id = slugify(title)
    if not technique_id:
        problems.append(
            Problem(display, 1, "title", f"cannot make an id (letters a-z, digits) from the title '{title}'")
        )
    if errors_only(problems):
        return None
    return ParsedPage(display, title, technique_id, fields, categories, similar, lines=lines, language=language.code)


def import_page(
    path: Path, display: str, language: PageLanguage | None = None, languages: tuple[PageLanguage, ...] = ()
) -> tuple[ParsedPage | None, list[Problem]]:
    """Read, repair and parse one page file."""
    text, problems = read_page_text(path, display)
    if text is None:
        return None, problems
    text, repaired, clean_problems = clean_page_text(text, display)
    problems += clean_problems
    if errors_only(problems):
        return None, problems
    page, page_problems = parse_page(text, display, language, languages)
    if page is not None:
        page.repaired = repaired
    return page, problems + page_problems
