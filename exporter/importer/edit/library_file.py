"""library.yaml editing for an import: declare the pages' categories, disclaimer and language.

The user's text (comments included) is kept and additions are put where they belong; only when
that cannot be done is the file rewritten from its data, and the message says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from exporter.content.yaml_nodes import load_yaml_file
from exporter.errors import Problem, errors_only
from exporter.importer.edit.yaml_text import entries_yaml, to_yaml
from exporter.importer.parse.headings import PageLanguage
from exporter.labels import Overrides

#: Colours given to categories an import declares, in order, skipping colours already in use.
CATEGORY_COLOURS = ("#b5651d", "#2e6f95", "#5b8c5a", "#8e4585", "#c0392b", "#d4a017", "#34495e", "#7f8c8d")


@dataclass
class LibraryPlan:
    text: str | None  # None: nothing to change
    message: str
    problems: list[Problem] = field(default_factory=list)
    #: The categories this import declares ({name, icon, colour}), in page order.
    added_categories: list[dict[str, str]] = field(default_factory=list)
    #: The page disclaimer this import writes into library.yaml ("" if none).
    added_disclaimer: str = ""


@dataclass(frozen=True)
class PageAdditions:
    """What the imported pages bring to library.yaml."""

    categories: list[tuple[str, str]]
    disclaimer: str
    language: PageLanguage


def library_page_words(into_dir: Path) -> tuple[str, Overrides]:
    """The target library's language and its `labels:` overrides of `importer.` keys (the words
    its catalogue pages print), read leniently: plan_library reports a broken library.yaml."""
    path = into_dir / "library.yaml"
    if not path.is_file():
        return "en", ()
    root, _ = load_yaml_file(path, path.as_posix())
    fields = root.value if root is not None and isinstance(root.value, dict) else {}
    language = fields.get("language")
    labels = fields.get("labels")
    entries = labels.value if labels is not None and isinstance(labels.value, dict) else {}
    overrides = tuple(
        sorted(
            (str(key), node.value)
            for key, node in entries.items()
            if str(key).startswith("importer.") and isinstance(node.value, str)
        )
    )
    code = language.value if language is not None and isinstance(language.value, str) else "en"
    return code, overrides


def plan_library(into_dir: Path, additions: PageAdditions) -> LibraryPlan:
    """The new library.yaml text: what is there, plus the missing disclaimer, language and categories."""
    path = into_dir / "library.yaml"
    display = path.as_posix()
    if not path.exists():
        return _new_library(display, additions)
    root, problems = load_yaml_file(path, display)
    if root is None or errors_only(problems):
        return LibraryPlan(
            None, "", [*problems, Problem(display, 1, "library", "fix library.yaml first; nothing was imported")]
        )
    text = path.read_bytes().decode("utf-8-sig")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        return LibraryPlan(
            None, "", [Problem(display, 1, "library", "library.yaml is not a mapping of fields; nothing was imported")]
        )
    missing = new_categories(additions.categories, declared_categories(data))
    disclaimer = additions.disclaimer if "disclaimer" not in data else ""
    # English is the default: a library without `language:` gets one only for pages in another language.
    language = additions.language.code if "language" not in data and additions.language.code != "en" else ""
    problems = _language_mismatch(display, root.key_lines or {}, data, additions.language)
    if not missing and not disclaimer and not language:
        return LibraryPlan(None, "", problems)
    expected = dict(data)
    if language:
        expected["language"] = language
    if missing:
        expected["categories"] = [*(data.get("categories") or []), *missing]
    if disclaimer:
        expected["disclaimer"] = disclaimer
    added = _describe_additions(missing, disclaimer, language)
    new_text = _append_to_library(text, data, missing, disclaimer, language)
    if new_text is not None and yaml.safe_load(new_text) == expected:
        return LibraryPlan(new_text, f"updated {display}: added {added}", problems, missing, disclaimer)
    rewritten = to_yaml(expected)
    message = f"rewrote {display}: added {added} (its comments could not be kept)"
    return LibraryPlan(rewritten, message, problems, missing, disclaimer)


def _describe_additions(missing: list[dict[str, str]], disclaimer: str, language: str) -> str:
    added = []
    if disclaimer:
        added.append("the disclaimer")
    if language:
        added.append(f"language: {language}")
    if missing:
        added.append(f"categor{'y' if len(missing) == 1 else 'ies'} {', '.join(c['name'] for c in missing)}")
    return " and ".join(added)


def _language_mismatch(
    display: str, key_lines: dict[str, int], data: dict[str, Any], language: PageLanguage
) -> list[Problem]:
    declared = str(data.get("language") or "en")
    if "language" not in data and language.code != "en":
        return []
    if declared.split("-")[0].casefold() == language.code:
        return []
    return [
        Problem(
            display,
            key_lines.get("language", 1),
            "language",
            f"the pages are in {language.name} ({language.code}) but the library's language is '{declared}';"
            " its headings and prompts print in that language",
            "warning",
        )
    ]


def declared_categories(data: Any) -> dict[str, dict[str, Any]]:
    """The categories library.yaml declares, by their casefolded name."""
    entries = data.get("categories") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return {}
    return {str(e["name"]).casefold(): e for e in entries if isinstance(e, dict) and "name" in e}


def new_categories(categories: list[tuple[str, str]], declared: dict[str, dict[str, Any]]) -> list[dict[str, str]]:
    """The page categories library.yaml does not declare yet, each with its icon and a free colour."""
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


def _new_library(display: str, additions: PageAdditions) -> LibraryPlan:
    language = additions.language
    categories = new_categories(additions.categories, {})
    data: dict[str, Any] = {
        "title": language.new_library_title,
        "language": language.code,
        "disclaimer": additions.disclaimer or language.placeholder_disclaimer,
        "categories": categories,
    }
    header = "# Created by `exporter import`. Change the title (and the disclaimer) to your own.\n"
    problems = []
    if not additions.disclaimer:
        problems.append(
            Problem(
                display, 4, "disclaimer", "no page had a disclaimer; a placeholder was written: replace it", "warning"
            )
        )
    message = f"created {display} (title '{language.new_library_title}': change it)"
    return LibraryPlan(header + to_yaml(data), message, problems, categories, additions.disclaimer)


def _append_to_library(
    text: str, data: dict[str, Any], missing: list[dict[str, str]], disclaimer: str, language: str
) -> str | None:
    """text with the new categories after the last declared one, the language and disclaimer at the end."""
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
    if language:
        lines.append(to_yaml({"language": language}))
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
    indented = "".join(" " * dash_column + line for line in entries_yaml(missing).splitlines(keepends=True))
    return [*lines[: end + 1], indented, *lines[end + 1 :]]


def _last_line_of(node: yaml.Node) -> int:
    """0-based index of the last line that holds part of node."""
    if isinstance(node, yaml.MappingNode):
        return max(_last_line_of(child) for pair in node.value for child in pair)
    if isinstance(node, yaml.SequenceNode) and node.value:
        return max(_last_line_of(child) for child in node.value)
    end = node.end_mark
    return end.line - 1 if end.column == 0 and end.line > node.start_mark.line else end.line
