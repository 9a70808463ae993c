"""library.yaml: the library's own fields, categories, settings and label overrides, checked."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from exporter.content.field_checks import (
    CATEGORY_KEYS,
    COLOUR_PATTERN,
    LANGUAGE_PATTERN,
    LIBRARY_KEYS,
    MAX_SUMMARY_CHARS,
    MAX_TITLE_CHARS,
    FieldChecker,
    display_path,
    kind_name,
)
from exporter.content.yaml_nodes import Node, load_yaml_file
from exporter.errors import Problem
from exporter.labels import (
    Overrides,
    anki_field_name_problems,
    bundled_languages,
    catalogue_language,
    labels_for,
    override_problems,
)
from exporter.model import Category, Settings
from exporter.options import SETTINGS_CHOICES
from exporter.text.invisible import bidi_control, clean_invisible


@dataclass
class LibraryHeader:
    title: str
    disclaimer: str
    categories: tuple[Category, ...]
    subtitle: str
    organisation: str
    language: str
    edition: str
    short_disclaimer: str
    settings: Settings
    label_overrides: Overrides
    field_lines: dict[str, int]


def read_library_header(path: Path) -> tuple[LibraryHeader | None, list[Problem]]:
    """The library's fields as far as they could be read (None when it is not a mapping)."""
    display = display_path(path)
    root, problems = load_yaml_file(path, display)
    if root is None:
        return None, problems
    check = FieldChecker(display)
    if root.kind != "mapping":
        check.error(root.line, "library", f"expected a mapping of fields, got {kind_name(root)}")
        return None, check.problems
    assert isinstance(root.value, dict) and root.key_lines is not None
    misspelt = check.unknown_keys(root, LIBRARY_KEYS)
    fields = root.value
    lines = root.key_lines
    for key in ("title", "disclaimer"):
        if key not in fields and key not in misspelt:
            check.error(1, key, "missing; library.yaml needs one")

    def optional_text(key: str, limit: int = MAX_SUMMARY_CHARS) -> str:
        node = fields.get(key)
        return (check.text(node, key, lines.get(key, 1), limit, required=False) or "") if node else ""

    title = check.text(fields["title"], "title", lines["title"], MAX_TITLE_CHARS) if "title" in fields else None
    disclaimer = (
        check.text(fields["disclaimer"], "disclaimer", lines["disclaimer"], MAX_SUMMARY_CHARS)
        if "disclaimer" in fields
        else None
    )
    categories = _read_categories(check, fields.get("categories"), "categories" in misspelt)
    settings = _read_settings(check, fields.get("settings"))
    language = optional_text("language", 20) or "en"
    if not LANGUAGE_PATTERN.fullmatch(language):
        check.error(lines.get("language", 1), "language", f"'{language}' is not a language code like en, de or pt-BR")
        language = "en"
    elif catalogue_language(language) is None:
        bundled = ", ".join(bundled_languages())
        check.warning(
            lines.get("language", 1),
            "language",
            f"no bundled labels for '{language}' (bundled: {bundled}); headings and prompts print in English"
            " unless library.yaml gives them under labels:",
        )
    label_overrides = _read_label_overrides(check, fields.get("labels"))
    _check_anki_field_names(check, fields.get("labels"), language, label_overrides)
    header = LibraryHeader(
        title=title or "",
        disclaimer=disclaimer or "",
        categories=categories,
        subtitle=optional_text("subtitle", MAX_TITLE_CHARS),
        organisation=optional_text("organisation", MAX_TITLE_CHARS),
        language=language,
        edition=optional_text("edition", 100),
        short_disclaimer=optional_text("short_disclaimer", 300),
        settings=settings,
        label_overrides=label_overrides,
        field_lines=dict(lines),
    )
    # Returned even with errors: its categories still let every technique be checked.
    return header, check.problems


def _read_colour(check: FieldChecker, entry: Node, where: str) -> str | None:
    """A category's colour as #rrggbb, or None (the default) after saying what is wrong."""
    assert isinstance(entry.value, dict) and entry.key_lines is not None
    node = entry.value.get("colour")
    line = entry.key_lines.get("colour", entry.line)
    if node is None:
        return None
    if node.kind == "null":  # `colour: #b5651d` without quotes: YAML reads a comment
        check.error(line, where + ".colour", 'empty: a # outside quotes starts a comment; write colour: "#4a6fa5"')
        return None
    if isinstance(node.value, str) and COLOUR_PATTERN.fullmatch(node.value.strip()):
        return node.value.strip()
    shown = node.value if isinstance(node.value, str) else "a list or mapping"
    check.error(
        line, where + ".colour", f"'{shown}' is not a colour like \"#4a6fa5\" (# and six hex digits, in quotes)"
    )
    return None


def _check_anki_field_names(check: FieldChecker, node: Node | None, language: str, overrides: Overrides) -> None:
    """A label that names a field of the Anki cards must be a name Anki accepts, and unique."""
    problems = anki_field_name_problems(labels_for(language, overrides), {key for key, _ in overrides})
    lines = node.key_lines if node is not None and node.key_lines is not None else {}
    for key, problem in problems.items():
        check.error(lines.get(key, node.line if node else 1), f"labels.{key}", problem)


def _read_label_overrides(check: FieldChecker, node: Node | None) -> Overrides:
    """library.yaml's `labels:` mapping of label key -> text (or plural forms), each checked."""
    if node is None:
        return ()
    if node.kind != "mapping":
        check.error(node.line, "labels", f"expected a mapping of label key to text, got {kind_name(node)}")
        return ()
    assert isinstance(node.value, dict) and node.key_lines is not None
    overrides: list[tuple[str, str | tuple[tuple[str, str], ...]]] = []
    for key, value_node in node.value.items():
        line = node.key_lines.get(key, node.line)
        value = _plain_value(value_node)
        problem = override_problems(str(key), value)
        texts = value.values() if isinstance(value, dict) else [value]
        if any(isinstance(text, str) and bidi_control(text) for text in texts):
            problem = "contains a direction control (U+202A-U+202E, U+2066-U+2069); delete it"
        if problem:
            check.error(line, f"labels.{key}", problem)
        elif isinstance(value, dict):
            overrides.append((str(key), tuple(sorted((str(k), str(v)) for k, v in value.items()))))
        else:
            overrides.append((str(key), str(value)))
    return tuple(sorted(overrides))


def _plain_value(node: Node) -> object:
    """A node as plain Python data (str, list, dict), for checks that need no line numbers."""
    if isinstance(node.value, dict):
        return {key: _plain_value(child) for key, child in node.value.items()}
    if isinstance(node.value, list):
        return [_plain_value(child) for child in node.value]
    return clean_invisible(node.value) if isinstance(node.value, str) else node.value


def _read_categories(check: FieldChecker, node: Node | None, misspelt: bool) -> tuple[Category, ...]:
    if node is None:
        if not misspelt:
            check.error(1, "categories", "missing; declare at least one category")
        return ()
    entries = check.list_of(node, "categories")
    if entries is None:
        return ()
    if not entries:
        check.error(node.line, "categories", "is empty; declare at least one category")
    categories: list[Category] = []
    for index, entry in enumerate(entries):
        where = f"categories[{index}]"
        if entry.kind != "mapping":
            check.error(entry.line, where, "expected a mapping with name, icon and colour")
            continue
        assert isinstance(entry.value, dict) and entry.key_lines is not None
        misspelt_keys = check.unknown_keys(entry, CATEGORY_KEYS, where + ".")
        if "name" not in entry.value:
            if "name" not in misspelt_keys:
                check.error(entry.line, where + ".name", "missing; every category needs a name")
            continue
        name = check.text(entry.value["name"], where + ".name", entry.line, MAX_TITLE_CHARS)
        icon = check.text(entry.value.get("icon"), where + ".icon", entry.line, 16, required=False) or ""
        colour = _read_colour(check, entry, where)
        if name is None:
            continue
        if any(c.name == name for c in categories):
            check.error(entry.line, where + ".name", f"category '{name}' is declared twice")
            continue
        categories.append(
            Category(
                name=name,
                icon=icon,
                colour=colour or "#4a6fa5",
                line=entry.line,
                field_lines={key: entry.key_lines.get(key, entry.line) for key in ("name", "icon", "colour")},
            )
        )
    return tuple(categories)


def _read_settings(check: FieldChecker, node: Node | None) -> Settings:
    if node is None:
        return Settings()
    if node.kind != "mapping":
        check.error(node.line, "settings", f"expected a mapping, got {kind_name(node)}")
        return Settings()
    assert isinstance(node.value, dict) and node.key_lines is not None
    check.unknown_keys(node, tuple(SETTINGS_CHOICES), "settings.")
    values: dict[str, str] = {}
    for key, choices in SETTINGS_CHOICES.items():
        child = node.value.get(key)
        if child is None:
            continue
        value = check.text(child, f"settings.{key}", child.line, 40)
        if value is None:
            continue
        if value.lower() not in choices:
            check.error(child.line, f"settings.{key}", f"'{value}' is not one of {', '.join(choices)}")
            continue
        values[key] = value.lower()
    return Settings(**values)
