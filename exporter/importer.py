"""Catalogue pages (the text layout of the published technique pages) -> technique YAML files.

A page reads, top to bottom: a title (often twice, after a "← Techniques" link), a line of
category icons and names, the summary, then sections under known headings ("Step-by-step guide",
"When to use", ... "Warnings"), a "Source:" line, "Similar techniques" and the site's disclaimer.
Every page is read and checked before anything is written; a page that cannot be read is named
and the others still import.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import yaml

from exporter.errors import ExporterError, Problem, errors_only
from exporter.load import MAX_FILE_BYTES, load_yaml_file, parse_yaml
from exporter.model import LIST_FIELDS, SECTION_TITLES
from exporter.mojibake import repair_mojibake
from exporter.outputs import write_bytes_atomic
from exporter.validate import (
    ID_PATTERN,
    MAX_ITEM_CHARS,
    MAX_ITEMS,
    MAX_SUMMARY_CHARS,
    MAX_TITLE_CHARS,
    TECHNIQUE_KEYS,
)

#: Section headings as the pages write them (compared case-insensitively) -> technique field.
HEADINGS: dict[str, str] = {
    "step-by-step guide": "steps",
    "step by step guide": "steps",
    "steps": "steps",
    "when to use": "when_to_use",
    "key phrases": "key_phrases",
    "follow-up questions": "follow_up_questions",
    "follow up questions": "follow_up_questions",
    "alternative phrasings": "alternative_phrasings",
    "alternative phrases": "alternative_phrasings",
    "warnings": "warnings",
    "warning": "warnings",
    "sources": "sources",
    "source": "sources",
    "similar techniques": "similar",
}

KNOWN_SECTIONS = ", ".join(SECTION_TITLES[name] for name in (*LIST_FIELDS, "similar"))

#: Order of the fields in a written technique file.
FIELD_ORDER = tuple(key for key in TECHNIQUE_KEYS if key != "id")

#: A library.yaml created by an import gets this title; the user is told to change it.
NEW_LIBRARY_TITLE = "Technique library"
#: Only when no page brings a disclaimer and the target has none (validate requires one).
PLACEHOLDER_DISCLAIMER = "For training and education only; not medical or psychological advice."
#: Colours given to categories an import declares, in order, skipping colours already in use.
CATEGORY_COLOURS = ("#b5651d", "#2e6f95", "#5b8c5a", "#8e4585", "#c0392b", "#d4a017", "#34495e", "#7f8c8d")
#: Folders given on the command line contribute the files with these endings.
PAGE_SUFFIXES = (".txt", ".text")

MAX_ID_CHARS = 60

_BREADCRUMB = re.compile(r"^\s*(?:←|(?:<-|‹|«)\s)")
_MARKER = re.compile(r"^\s*(?:\d{1,3}[.)]|[•·▪◦‣∙●○■□▸►*\-–])(?:\s+|$)(?P<text>.*)$")
_WARNING_SIGN = re.compile(r"^\s*⚠\ufe0f?\s*")
_SOURCE_LINE = re.compile(r"^\s*sources?\s*:\s*(?P<text>\S.*)$", re.IGNORECASE)
_SENTENCE_END = tuple('.?!;,"”’)»…')
_DISCLAIMER_WORDS = re.compile(
    r"\b(?:advice|disclaimer|not intended|substitute|replace consultation|informational|educational"
    r"|qualified professional|for (?:training|education|information))",
    re.IGNORECASE,
)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_INVISIBLE_JUNK = re.compile("[\ufeff\u200b]")
_LINE_SEPARATORS = re.compile("[\u2028\u2029]")
_CYRILLIC = (
    "а:a б:b в:v г:g д:d е:e ё:e ж:zh з:z и:i й:y к:k л:l м:m н:n о:o п:p р:r с:s т:t у:u ф:f х:kh ц:ts"
    " ч:ch ш:sh щ:shch ы:y э:e ю:yu я:ya ъ: ь:"
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


@dataclass
class _Section:
    name: str  # a technique field, "summary", "unknown" or "after_source"
    heading: str
    line: int
    #: (line number, text, whether a blank line came before it)
    body: list[tuple[int, str, bool]] = field(default_factory=list)


def read_page_text(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """The page as text, or the problem that stops reading it (empty, binary, too big...)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [Problem(display, 1, "page", f"file is {size:,} bytes; a catalogue page is a few kilobytes")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(display, 1, "page", f"cannot read: {exc.strerror or exc}")]
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), []
        except UnicodeDecodeError:
            return None, [Problem(display, 1, "page", "file claims to be UTF-16 but is not; save it as UTF-8")]
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    if b"\x00" in raw:
        return None, [Problem(display, 1, "page", "this is a binary file, not a text page")]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            return None, [Problem(display, line, "page", "not text: the file is neither UTF-8 nor Windows-1252")]
        warning = Problem(display, line, "page", "not UTF-8; read it as Windows-1252 (Western)", "warning")
        return text, [warning]


def clean_page_text(text: str, display: str) -> tuple[str, int, list[Problem]]:
    """Line ends unified, mojibake repaired, NFC; control characters dropped with a warning.

    Returns the text, how many garbled characters were repaired, and the problems.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    text = _LINE_SEPARATORS.sub(" ", _INVISIBLE_JUNK.sub("", text))
    text, repaired = repair_mojibake(text)
    text = unicodedata.normalize("NFC", text)
    problems: list[Problem] = []
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if "\ufffd" in line:
            problems.append(
                Problem(
                    display, number, "page", "contains U+FFFD, the mark of a character lost before import; fix the page"
                )
            )
        control = _CONTROL.search(line)
        if control:
            problems.append(
                Problem(display, number, "page", f"control character U+{ord(control.group()):04X} removed", "warning")
            )
            lines[number - 1] = _CONTROL.sub("", line)
    return "\n".join(lines), repaired, problems


def slugify(text: str) -> str:
    """A technique id from a title: lowercase letters, digits and '-'."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_TRANSLITERATION)
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(slug) > MAX_ID_CHARS:
        slug = slug[:MAX_ID_CHARS].rsplit("-", 1)[0] if "-" in slug[:MAX_ID_CHARS] else slug[:MAX_ID_CHARS]
    return slug


def _heading_field(line: str) -> str | None:
    key = re.sub(r"\s+", " ", line.strip().rstrip(":").strip()).casefold()
    key = key.lstrip("".join(c for c in key[:3] if not c.isalnum()))
    return HEADINGS.get(key)


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


def _is_unknown_heading(lines: list[str], index: int) -> bool:
    """A short, title-like line standing alone between blank lines, followed by content."""
    text = lines[index].strip()
    if not text or len(text) > 40 or len(text.split()) > 5 or not text[0].isupper():
        return False
    if text.endswith(_SENTENCE_END) or _MARKER.match(lines[index]) or lines[index].startswith(" "):
        return False
    if index > 0 and lines[index - 1].strip():
        return False
    if index + 2 >= len(lines) or lines[index + 1].strip():
        return False
    following = next((line for line in lines[index + 1 :] if line.strip()), "")
    return bool(following) and _heading_field(following) is None and not _SOURCE_LINE.match(following)


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


def _find_disclaimer(lines: list[str], headings: list[int]) -> tuple[str, int] | None:
    """The closing disclaimer paragraph: last on the page, prose, says what the material is not.

    After the source or the similar techniques one such word is enough; after any other section
    the paragraph could be a long key phrase, so it takes two.
    """
    runs = _paragraphs(lines)
    if not runs:
        return None
    start, end = runs[-1]
    if start <= headings[0] or any(_MARKER.match(line) for line in lines[start : end + 1]):
        return None
    text = " ".join(line.strip() for line in lines[start : end + 1])
    if len(text) < 80 or _heading_field(text) or _SOURCE_LINE.match(text):
        return None
    last_heading = lines[max(h for h in headings if h < start)]
    at_the_end = _heading_field(last_heading) in ("similar", "sources") or _SOURCE_LINE.match(last_heading)
    words = {match.casefold() for match in _DISCLAIMER_WORDS.findall(text)}
    return (text, start) if len(words) >= (1 if at_the_end else 2) else None


def _split_sections(lines: list[str], start: int, end: int, display: str) -> tuple[list[_Section], list[Problem]]:
    """Lines start..end (exclusive) grouped under the heading above them."""
    sections = [_Section("summary", "", start + 1)]
    problems: list[Problem] = []
    blank_before = False
    for index in range(start, end):
        line = lines[index]
        number = index + 1
        if not line.strip():
            blank_before = True
            continue
        heading = _heading_field(line)
        source = _SOURCE_LINE.match(line)
        in_similar = sections[-1].name == "similar"
        if heading is not None:
            sections.append(_Section(heading, line.strip(), number))
        elif source:
            sections.append(_Section("sources", line.strip(), number, [(number, source.group("text"), False)]))
            sections.append(_Section("after_source", line.strip(), number))
        elif sections[-1].name == "after_source" and not sections[-1].body and not blank_before:
            wrapped_number, wrapped, _ = sections[-2].body[-1]
            sections[-2].body[-1] = (wrapped_number, f"{wrapped} {line.strip()}", False)
        elif not in_similar and _is_unknown_heading(lines, index):
            sections.append(_Section("unknown", line.strip(), number))
        else:
            sections[-1].body.append((number, line, blank_before))
        blank_before = False
    for section in sections:
        if section.name == "unknown":
            problems.append(
                Problem(
                    display,
                    section.line,
                    "section",
                    f"unknown section '{section.heading}'; its {len(section.body)} line(s) were left out "
                    f"(known sections: {KNOWN_SECTIONS})",
                    "warning",
                )
            )
    return sections, problems


def _section_items(section: _Section) -> list[tuple[int, str]]:
    """The entries of a list section: markers and warning signs removed, wrapped lines joined."""
    has_markers = any(_MARKER.match(text) or _WARNING_SIGN.match(text) for _, text, _ in section.body)
    items: list[list[Any]] = []
    for number, text, blank_before in section.body:
        marker = _MARKER.match(text)
        if marker:
            items.append([number, marker.group("text")])
        elif has_markers and _WARNING_SIGN.match(text):
            items.append([number, text])
        elif has_markers and items and not blank_before:
            items[-1][1] = f"{items[-1][1]} {text.strip()}"
        else:
            items.append([number, text])
    cleaned: list[tuple[int, str]] = []
    for number, text in items:
        if section.name == "warnings":
            text = _WARNING_SIGN.sub("", text)
        text = re.sub(r"\s+", " ", text).strip()
        if text:
            cleaned.append((number, text))
    return cleaned


def _check_length(display: str, line: int, name: str, text: str, limit: int) -> list[Problem]:
    if len(text) <= limit:
        return []
    return [Problem(display, line, name, f"is {len(text):,} characters long; the limit is {limit:,}")]


def parse_page(text: str, display: str) -> tuple[ParsedPage | None, list[Problem]]:
    """Read one page's (cleaned) text into a ParsedPage, with warnings; None and errors if it cannot be."""
    lines = [line.rstrip() for line in text.split("\n")]
    if not any(line.strip() for line in lines):
        return None, [Problem(display, 1, "page", "the page is empty")]
    content = [i for i, line in enumerate(lines) if line.strip() and not _BREADCRUMB.match(line)]
    if not content:
        return None, [Problem(display, 1, "title", "the page has no title line before its categories and sections")]
    headings = [i for i in content if _heading_field(lines[i]) is not None or _SOURCE_LINE.match(lines[i])]
    if not any(_heading_field(lines[i]) in ("steps", "when_to_use", "warnings", "key_phrases") for i in headings):
        return None, [
            Problem(
                display,
                1,
                "page",
                "not a catalogue page: none of the sections 'Step-by-step guide', 'When to use', "
                "'Key phrases' or 'Warnings' was found",
            )
        ]
    title_index = content[0]
    title = lines[title_index].strip()
    if (
        title_index in headings
        or parse_categories_line(title)
        or _MARKER.match(lines[title_index])
        or len(title) > MAX_TITLE_CHARS
    ):
        return None, [
            Problem(display, title_index + 1, "title", "the page has no title line before its categories and sections")
        ]
    problems: list[Problem] = []
    position = content.index(title_index) + 1
    if position < len(content) and lines[content[position]].strip() == title:
        position += 1
    categories: list[tuple[str, str]] = []
    categories_line = content[position] + 1 if position < len(content) else title_index + 2
    if position < len(content):
        categories = parse_categories_line(lines[content[position]]) or []
    if categories:
        position += 1
    else:
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

    body_start = content[position] if position < len(content) else len(lines)
    disclaimer = _find_disclaimer(lines, headings)
    body_end = disclaimer[1] if disclaimer else len(lines)
    sections, section_problems = _split_sections(lines, body_start, body_end, display)
    problems += section_problems
    page = _assemble(display, title, categories, sections, problems)
    if page is not None and disclaimer:
        page.disclaimer = disclaimer[0]
        problems += _check_length(display, disclaimer[1] + 1, "disclaimer", page.disclaimer, MAX_SUMMARY_CHARS)
    if errors_only(problems):
        return None, problems
    return page, problems


def _assemble(
    display: str, title: str, categories: list[tuple[str, str]], sections: list[_Section], problems: list[Problem]
) -> ParsedPage | None:
    """Sections -> fields, with every length limit and required field checked."""
    summary_section = sections[0]
    summary = re.sub(r"\s+", " ", " ".join(text for _, text, _ in summary_section.body)).strip()
    fields: dict[str, Any] = {"title": title, "categories": [name for name, _ in categories], "summary": summary}
    lines: dict[str, int] = {"summary": summary_section.body[0][0] if summary_section.body else summary_section.line}
    if not summary:
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
        items = _section_items(section)
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
                "missing: a technique needs a 'Step-by-step guide' section with at least one step",
            )
        )
    technique_id = slugify(title)
    if not technique_id:
        problems.append(
            Problem(display, 1, "title", f"cannot make an id (letters a-z, digits) from the title '{title}'")
        )
    if errors_only(problems):
        return None
    return ParsedPage(display, title, technique_id, fields, categories, similar, lines=lines)


def import_page(path: Path, display: str) -> tuple[ParsedPage | None, list[Problem]]:
    """Read, repair and parse one page file."""
    text, problems = read_page_text(path, display)
    if text is None:
        return None, problems
    text, repaired, clean_problems = clean_page_text(text, display)
    problems += clean_problems
    if errors_only(problems):
        return None, problems
    page, page_problems = parse_page(text, display)
    if page is not None:
        page.repaired = repaired
    return page, problems + page_problems


class _PlainDumper(yaml.SafeDumper):
    """Block style, with lists indented under their key as people write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


class _ReadableDumper(_PlainDumper):
    """Also folds long text and writes text with line breaks as a literal block."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else ">" if len(value) > 88 else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_ReadableDumper.add_representer(str, _represent_text)


def to_yaml(data: dict[str, Any]) -> str:
    """Readable YAML that reads back as exactly data: folded where that is exact, quoted where not,
    and escaped double quotes for characters YAML treats as line breaks."""
    attempts: list[dict[str, Any]] = [
        {"Dumper": _ReadableDumper, "allow_unicode": True},
        {"Dumper": _PlainDumper, "allow_unicode": True},
        {"Dumper": _PlainDumper, "allow_unicode": False, "default_style": '"'},
    ]
    for options in attempts:
        text: str = yaml.dump(data, sort_keys=False, width=80, default_flow_style=False, **options)
        if yaml.safe_load(text) == data:
            return text
    raise ExporterError("internal error: the technique cannot be written as YAML that reads back the same")


def technique_data(page: ParsedPage, similar: list[str]) -> dict[str, Any]:
    data = {name: page.fields[name] for name in FIELD_ORDER if name in page.fields}
    if similar:
        data["similar"] = similar
    return data


@dataclass(frozen=True)
class _Existing:
    technique_id: str
    title: str
    path: Path


def existing_techniques(into_dir: Path) -> list[_Existing]:
    """The techniques already in the target folder (id and title), read leniently."""
    folder = into_dir / "techniques"
    found: list[_Existing] = []
    for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
        root, _ = load_yaml_file(path, path.as_posix())
        values = root.value if root is not None and isinstance(root.value, dict) else {}
        technique_id = _scalar(values.get("id")) or path.stem
        found.append(_Existing(technique_id, _scalar(values.get("title")), path))
    return found


def _scalar(node: Any) -> str:
    return node.value.strip() if node is not None and isinstance(node.value, str) else ""


@dataclass
class _LibraryPlan:
    text: str | None  # None: nothing to change
    message: str
    problems: list[Problem] = field(default_factory=list)


def plan_library(into_dir: Path, categories: list[tuple[str, str]], disclaimer: str) -> _LibraryPlan:
    """The new library.yaml text: what is there, plus the missing disclaimer and categories.

    The user's text (comments included) is kept and additions are appended where they belong;
    only when that cannot be done is the file rewritten from its data.
    """
    path = into_dir / "library.yaml"
    display = path.as_posix()
    if not path.exists():
        return _new_library(display, categories, disclaimer)
    root, problems = load_yaml_file(path, display)
    if root is None or errors_only(problems):
        return _LibraryPlan(
            None, "", [*problems, Problem(display, 1, "library", "fix library.yaml first; nothing was imported")]
        )
    text = path.read_bytes().decode("utf-8-sig")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        return _LibraryPlan(
            None, "", [Problem(display, 1, "library", "library.yaml is not a mapping of fields; nothing was imported")]
        )
    declared = _declared_categories(data)
    missing = _new_categories(categories, declared)
    wants_disclaimer = "disclaimer" not in data and disclaimer
    if not missing and not wants_disclaimer:
        return _LibraryPlan(None, "")
    expected = dict(data)
    if missing:
        expected["categories"] = [*(data.get("categories") or []), *missing]
    if wants_disclaimer:
        expected["disclaimer"] = disclaimer
    added = [f"categor{'y' if len(missing) == 1 else 'ies'} {', '.join(c['name'] for c in missing)}"] if missing else []
    if wants_disclaimer:
        added.insert(0, "the disclaimer")
    new_text = _append_to_library(text, data, missing, disclaimer if wants_disclaimer else "")
    if new_text is not None and yaml.safe_load(new_text) == expected:
        return _LibraryPlan(new_text, f"updated {display}: added {' and '.join(added)}")
    rewritten = to_yaml(expected)
    return _LibraryPlan(rewritten, f"rewrote {display}: added {' and '.join(added)} (its comments could not be kept)")


def _declared_categories(data: Any) -> dict[str, dict[str, Any]]:
    """The categories library.yaml declares, by their casefolded name."""
    entries = data.get("categories") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return {}
    return {str(e["name"]).casefold(): e for e in entries if isinstance(e, dict) and "name" in e}


def _new_categories(categories: list[tuple[str, str]], declared: dict[str, dict[str, Any]]) -> list[dict[str, str]]:
    used = {str(e.get("colour", "")).lower() for e in declared.values()}
    missing: list[dict[str, str]] = []
    for name, icon in categories:
        if name.casefold() in declared or any(m["name"].casefold() == name.casefold() for m in missing):
            continue
        free = [c for c in CATEGORY_COLOURS if c not in used] or list(CATEGORY_COLOURS)
        colour = free[0]
        used.add(colour)
        entry = {"name": name, "icon": icon, "colour": colour}
        if not icon:
            del entry["icon"]
        missing.append(entry)
    return missing


def _new_library(display: str, categories: list[tuple[str, str]], disclaimer: str) -> _LibraryPlan:
    data: dict[str, Any] = {
        "title": NEW_LIBRARY_TITLE,
        "disclaimer": disclaimer or PLACEHOLDER_DISCLAIMER,
        "categories": _new_categories(categories, {}),
    }
    header = "# Created by `exporter import`. Change the title (and the disclaimer) to your own.\n"
    problems = []
    if not disclaimer:
        problems.append(
            Problem(
                display, 3, "disclaimer", "no page had a disclaimer; a placeholder was written: replace it", "warning"
            )
        )
    return _LibraryPlan(header + to_yaml(data), f"created {display} (title '{NEW_LIBRARY_TITLE}': change it)", problems)


def _append_to_library(text: str, data: dict[str, Any], missing: list[dict[str, str]], disclaimer: str) -> str | None:
    """text with the new categories after the last declared one and the disclaimer at the end."""
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    if missing and "categories" in data:
        inserted = _insert_categories(text, lines, missing)
        if inserted is None:
            return None
        lines = inserted
    elif missing:
        lines.append(to_yaml({"categories": missing}))
    if disclaimer:
        lines.append(to_yaml({"disclaimer": disclaimer}))
    return "".join(lines)


def _insert_categories(text: str, lines: list[str], missing: list[dict[str, str]]) -> list[str] | None:
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        return None
    node = next((value for key, value in root.value if key.value == "categories"), None)
    if not isinstance(node, yaml.SequenceNode) or node.flow_style or not node.value:
        return None
    last = node.value[-1]
    column = last.start_mark.column
    dash_line = lines[last.start_mark.line]
    dash_column = dash_line.rfind("-", 0, column)
    if dash_column < 0 or dash_line[:dash_column].strip():
        return None
    end = _last_line_of(last)
    entries = yaml.dump(missing, Dumper=_ReadableDumper, allow_unicode=True, sort_keys=False, default_flow_style=False)
    indented = "".join(" " * dash_column + line for line in entries.splitlines(keepends=True))
    return [*lines[: end + 1], indented, *lines[end + 1 :]]


def _last_line_of(node: yaml.Node) -> int:
    """0-based index of the last line that holds part of node."""
    if isinstance(node, yaml.MappingNode):
        return max(_last_line_of(child) for pair in node.value for child in pair)
    if isinstance(node, yaml.SequenceNode) and node.value:
        return max(_last_line_of(child) for child in node.value)
    end = node.end_mark
    return end.line - 1 if end.column == 0 and end.line > node.start_mark.line else end.line


def collect_pages(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """The page files named on the command line; a folder contributes its .txt files."""
    pages: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES and not p.name.startswith(".")
            )
            if not found:
                problems.append(Problem(path.as_posix(), 0, "page", "no .txt pages in this folder"))
            pages += found
        else:
            pages.append(path)
    unique: dict[Path, Path] = {}
    for page in pages:
        unique.setdefault(page.resolve(), page)
    return list(unique.values()), problems


@dataclass
class _Outcome:
    """What went wrong, for the closing message: pages that failed, files left as they were."""

    failed: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def run_import(paths: list[Path], into_dir: Path, force: bool) -> None:
    """Import every page, print one line per page and every problem, fail at the end if any page did."""
    page_files, problems = collect_pages(paths)
    outcome = _Outcome()
    outcome.failed += [p.path for p in problems]
    _echo_problems(problems)
    existing = existing_techniques(into_dir)
    parsed: list[ParsedPage] = []
    for path in page_files:
        page, page_problems = import_page(path, path.as_posix())
        page = _check_duplicate(page, parsed, page_problems)
        _echo_problems(page_problems)
        if page is None:
            outcome.failed.append(path.as_posix())
            continue
        page_problems = _glyph_warnings(page)
        _echo_problems(page_problems)
        parsed.append(page)
    if parsed:
        _write_pages(parsed, existing, into_dir, force, outcome)
    _finish(outcome)


def _check_duplicate(page: ParsedPage | None, parsed: list[ParsedPage], problems: list[Problem]) -> ParsedPage | None:
    if page is None:
        return None
    other = next((p for p in parsed if p.technique_id == page.technique_id), None)
    if other is None:
        return page
    problems.append(
        Problem(
            page.display,
            1,
            "title",
            f"gives the same id '{page.technique_id}' as {other.display}; only the first was imported",
        )
    )
    return None


def _glyph_warnings(page: ParsedPage) -> list[Problem]:
    from exporter.pdf.fonts import missing_characters

    problems = []
    texts: list[tuple[str, str]] = [("title", page.title), ("summary", page.fields["summary"])]
    for name, entries in page.fields.items():
        if isinstance(entries, list) and name != "categories":
            texts += [(f"{name}[{index}]", entry) for index, entry in enumerate(entries)]
    for name, text in texts:
        missing = missing_characters(text)
        if missing:
            shown = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing)
            line = page.lines.get(name, page.lines.get(name.split("[")[0], 1))
            problems.append(
                Problem(
                    page.display,
                    line,
                    name,
                    f"the fonts cannot draw {shown}; `exporter validate` will fail until it is replaced",
                    "warning",
                )
            )
    return problems


def _write_pages(
    parsed: list[ParsedPage], existing: list[_Existing], into_dir: Path, force: bool, outcome: _Outcome
) -> None:
    by_title = {e.title.casefold(): e for e in existing if e.title}
    known_ids = {e.technique_id for e in existing}
    targets = {page.display: _target_for(page, by_title, into_dir) for page in parsed}
    imported = {page.title.casefold(): targets[page.display][0] for page in parsed}
    available = known_ids | {technique_id for technique_id, _ in targets.values()}
    disclaimer = next((page.disclaimer for page in parsed if page.disclaimer), "")
    categories = [category for page in parsed for category in page.categories]
    plan = plan_library(into_dir, categories, disclaimer)
    _echo_problems(plan.problems)
    if errors_only(plan.problems):
        outcome.failed += [page.display for page in parsed]
        return
    library_path = into_dir / "library.yaml"
    if plan.text is not None:
        write_bytes_atomic(library_path, plan.text.encode("utf-8"))
        click.echo(plan.message)
    declared = _declared_categories(yaml.safe_load(library_path.read_bytes().decode("utf-8-sig")))
    for page in parsed:
        technique_id, target = targets[page.display]
        similar, similar_problems = _resolve_similar(page, technique_id, by_title, imported, available)
        _echo_problems(similar_problems)
        page.fields["categories"] = list(
            dict.fromkeys(
                str(declared.get(name.casefold(), {"name": name})["name"]) for name in page.fields["categories"]
            )
        )
        text = to_yaml(technique_data(page, similar))
        _write_technique(page, target, text, force, outcome)


def _target_for(page: ParsedPage, by_title: dict[str, _Existing], into_dir: Path) -> tuple[str, Path]:
    """(id, file): the existing file of a technique with this title, else techniques/<slug>.yaml."""
    same_title = by_title.get(page.title.casefold())
    if (
        same_title is not None
        and ID_PATTERN.fullmatch(same_title.technique_id)
        and same_title.technique_id == same_title.path.stem
    ):
        return same_title.technique_id, same_title.path
    return page.technique_id, into_dir / "techniques" / f"{page.technique_id}.yaml"


def _resolve_similar(
    page: ParsedPage, own_id: str, by_title: dict[str, _Existing], imported: dict[str, str], available: set[str]
) -> tuple[list[str], list[Problem]]:
    ids: list[str] = []
    problems: list[Problem] = []
    for title, line in page.similar_titles:
        key = title.casefold()
        found = imported.get(key) or (by_title[key].technique_id if key in by_title else None)
        if found is None and slugify(title) in available:
            found = slugify(title)
        if found is not None and not ID_PATTERN.fullmatch(found):
            found = None
        if found is None:
            problems.append(
                Problem(
                    page.display,
                    line,
                    "similar",
                    f"no technique titled '{title}' in the library or this import; left out",
                    "warning",
                )
            )
        elif found != own_id and found not in ids:
            ids.append(found)
    return ids, problems


def _write_technique(page: ParsedPage, target: Path, text: str, force: bool, outcome: _Outcome) -> None:
    display = target.as_posix()
    counts = ", ".join(
        _count(len(page.fields.get(name, [])), noun) for name, noun in (("steps", "step"), ("warnings", "warning"))
    )
    note = f"; repaired {_count(page.repaired, 'garbled character')}" if page.repaired else ""
    data = text.encode("utf-8")
    if target.exists():
        old = target.read_bytes()
        if old == data:
            click.echo(f"unchanged {display} from {page.display} (already imported)")
            return
        if not force:
            click.echo(f"skipped {display} from {page.display}: {_why_kept(page, old)}; use --force to replace it")
            outcome.conflicts.append(display)
            return
        backup = target.with_name(target.name + ".bak")
        write_bytes_atomic(backup, old)
        write_bytes_atomic(target, data)
        click.echo(f"replaced {display} from {page.display} ({counts}{note}; the old file is kept as {backup.name})")
        return
    write_bytes_atomic(target, data)
    click.echo(f"wrote {display} from {page.display} ({counts}{note})")


def _why_kept(page: ParsedPage, old: bytes) -> str:
    root, _ = parse_yaml(old.decode("utf-8", "replace"), "")
    old_title = _scalar(root.value.get("title")) if root is not None and isinstance(root.value, dict) else ""
    if old_title and old_title.casefold() != page.title.casefold():
        return f"that file holds another technique ('{old_title}')"
    return "the file exists and differs from the page"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _echo_problems(problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


def _finish(outcome: _Outcome) -> None:
    parts = []
    if outcome.failed:
        names = ", ".join(dict.fromkeys(outcome.failed))
        parts.append(f"{len(dict.fromkeys(outcome.failed))} page(s) could not be imported ({names})")
    if outcome.conflicts:
        parts.append(
            f"{len(outcome.conflicts)} technique file(s) already exist and were left as they are"
            " (use --force to replace them)"
        )
    if parts:
        raise ExporterError("; ".join(parts))
