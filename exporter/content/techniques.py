"""Check the raw YAML of a whole library and turn it into the model, collecting every problem."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from exporter.content.courses import read_courses
from exporter.content.field_checks import (  # the limits are part of validate's interface, re-exported
    ID_PATTERN,
    ITEM_KEYS,
    MAX_ID_CHARS,
    MAX_ITEM_CHARS,
    MAX_ITEMS,
    MAX_SUMMARY_CHARS,
    MAX_TECHNIQUES,
    MAX_TITLE_CHARS,
    REQUIRED_TECHNIQUE_KEYS,
    TECHNIQUE_KEYS,
    WINDOWS_DEVICE_NAMES,
    FieldChecker,
    close_key,
    display_path,
    kind_name,
    library_in_working_folder,
)
from exporter.content.library_yaml import read_library_header
from exporter.content.placeholders import template_problems
from exporter.content.references import check_similar, ids_of_a_broken_file
from exporter.content.remembered import Remembered
from exporter.content.yaml_nodes import Node, parse_yaml, read_text, shown
from exporter.errors import ContentError, Problem, errors_only
from exporter.model import LIST_FIELDS, Item, Library, Technique
from exporter.text.invisible import clean_invisible


def technique_files(technique_dir: Path) -> list[Path]:
    """The technique files of a folder: `.yaml` or `.yml` in any case; dot files are editor locks
    and macOS "._" copies, not techniques."""
    if not technique_dir.is_dir():
        return []
    return sorted(
        path
        for path in technique_dir.iterdir()
        if path.suffix.lower() in (".yaml", ".yml") and not path.name.startswith(".")
    )


FOLDER_INSIDE = "a folder: technique files inside folders are not read; move them up"


def _folders_inside(technique_dir: Path) -> list[Problem]:
    """A folder inside techniques/ is not read: say so, rather than lose its techniques quietly."""
    if not technique_dir.is_dir():
        return []
    return [
        Problem(
            display_path(path),
            0,
            "techniques",
            "a folder: technique files inside folders are not read; move them up",
            "warning",
        )
        for path in sorted(technique_dir.iterdir())
        if path.is_dir() and not path.name.startswith(".") and technique_files(path)
    ]


def read_library(content_dir: Path, strict: bool = False, learning: bool = False) -> tuple[Library, list[Problem]]:
    """Load and check everything under content_dir; raise ContentError listing every problem.

    Returns the library and the warnings. With strict, warnings count as errors. With learning,
    the learning lint (exporter.content.learning_lint: cards a trainee could not grade) runs too.
    """
    library, problems = check_library(content_dir)
    if library is not None and learning:
        from exporter.content.learning_lint import lint_library

        problems += lint_library(library)
    if library is None or errors_only(problems) or (strict and problems):
        raise ContentError(problems)
    return library, problems


def check_library(content_dir: Path) -> tuple[Library | None, list[Problem]]:
    """Every problem in the library (errors and warnings), and the model when there are no errors."""
    problems: list[Problem] = []
    library_path = content_dir / "library.yaml"
    if not content_dir.is_dir():
        hint = (
            "; the library.yaml here is a library: add `--content .`" if library_in_working_folder(content_dir) else ""
        )
        return None, [Problem(display_path(content_dir), 0, "content", f"no such folder{hint}")]
    if not library_path.is_file():
        if library_path.exists() or library_path.is_symlink():
            kind = "a folder" if library_path.is_dir() else "not a regular file"
            return None, [
                Problem(display_path(library_path), 1, "file", f"is {kind}; library.yaml must be a YAML file")
            ]
        return None, [Problem(display_path(library_path), 0, "file", "missing; every library needs a library.yaml")]
    header, header_problems = read_library_header(library_path)
    problems += header_problems

    technique_dir = content_dir / "techniques"
    problems += _folders_inside(technique_dir)
    files = technique_files(technique_dir)
    if not files:
        problems.append(Problem(display_path(technique_dir), 0, "techniques", "no technique files (*.yaml) found"))
    if len(files) > MAX_TECHNIQUES:
        problems.append(
            Problem(
                display_path(technique_dir), 0, "techniques", f"{len(files):,} files; the limit is {MAX_TECHNIQUES:,}"
            )
        )
        files = []
    declared = {c.name for c in header.categories} if header else set()
    # With its own categories broken, a library cannot tell which technique categories are unknown.
    categories_known = bool(declared) and not any(
        p.field.startswith("categories") for p in errors_only(header_problems)
    )
    techniques: list[Technique] = []
    similar_lines: dict[str, list[int]] = {}
    seen: dict[str, str] = {}
    titles: dict[str, str] = {}
    unreadable: set[str] = set()  # ids of files with errors: others naming them are not wrong
    for path in sorted(files):
        technique, file_problems, lines_of_similar = _read_technique(path, declared, categories_known)
        problems += file_problems
        if technique is None:
            unreadable |= ids_of_a_broken_file(path)
            continue
        if technique.id in seen:
            problems.append(
                Problem(
                    technique.path,
                    technique.line_of("id"),
                    "id",
                    f"duplicate technique id '{technique.id}' (also in {seen[technique.id]})",
                )
            )
            continue
        seen[technique.id] = technique.path
        similar_lines[technique.id] = lines_of_similar
        techniques.append(technique)
        problems += template_problems(technique)
        title_key = technique.title.casefold()
        if title_key in titles:
            problems.append(
                Problem(
                    technique.path,
                    technique.line_of("title"),
                    "title",
                    f"the same title as {titles[title_key]}; readers cannot tell the two apart",
                    "warning",
                )
            )
        titles.setdefault(title_key, technique.path)
    problems += check_similar(techniques, similar_lines, unreadable)
    courses, course_problems = read_courses(content_dir, set(seen) | unreadable)
    problems += course_problems
    if header is None or errors_only(problems):
        return None, problems
    library = Library(
        title=header.title,
        disclaimer=header.disclaimer,
        categories=header.categories,
        techniques=tuple(sorted(techniques, key=lambda t: t.id)),
        subtitle=header.subtitle,
        organisation=header.organisation,
        language=header.language,
        edition=header.edition,
        short_disclaimer=header.short_disclaimer,
        settings=header.settings,
        path=display_path(library_path),
        label_overrides=header.label_overrides,
        field_lines=header.field_lines,
        courses=courses,
    )
    return library, problems


ReadTechnique = tuple[Technique | None, tuple[Problem, ...], tuple[int, ...]]
#: Technique files this process has read, by their text (exporter watch reads them after every save).
_READ: Remembered[ReadTechnique] = Remembered(MAX_TECHNIQUES)


def _read_technique(
    path: Path, declared: set[str], check_categories: bool
) -> tuple[Technique | None, list[Problem], list[int]]:
    """The technique, its problems, and the line of each entry of its `similar` list."""
    display = display_path(path)
    text, problems = read_text(path, display)
    if text is None:
        return None, problems, []
    inputs = (display, path.stem, "\n".join(sorted(declared)), str(check_categories), text)
    technique, found, similar_lines = _READ.get(
        inputs, lambda: _technique_from_text(text, display, path.stem, declared, check_categories)
    )
    return technique, list(found), list(similar_lines)


def _technique_from_text(
    text: str, display: str, stem: str, declared: set[str], check_categories: bool
) -> ReadTechnique:
    root, problems = parse_yaml(text, display)
    if root is None:
        return None, tuple(problems), ()
    check = FieldChecker(display)
    if root.kind != "mapping":
        check.error(
            root.line, "technique", f"expected a mapping of fields (title: ..., steps: ...), got {kind_name(root)}"
        )
        return None, tuple(check.problems), ()
    assert isinstance(root.value, dict) and root.key_lines is not None
    fields = root.value
    lines = dict(root.key_lines)
    misspelt = check.unknown_keys(root, TECHNIQUE_KEYS)
    for key in REQUIRED_TECHNIQUE_KEYS:
        if key not in fields and key not in misspelt:
            check.error(1, key, "missing; every technique needs one")

    technique_id = _read_id(check, fields.get("id"), stem)
    title = check.text(fields["title"], "title", lines["title"], MAX_TITLE_CHARS) if "title" in fields else None
    summary = (
        check.text(fields["summary"], "summary", lines["summary"], MAX_SUMMARY_CHARS) if "summary" in fields else None
    )
    categories = _read_names(check, fields.get("categories"), "categories")
    for index, name in enumerate(categories):
        if name in categories[:index]:
            check.error(
                _child_line(fields.get("categories"), index), f"categories[{index}]", f"'{name}' is listed twice"
            )
    categories = list(dict.fromkeys(categories))
    if check_categories:
        for index, name in enumerate(categories):
            if name not in declared:
                guess = difflib.get_close_matches(name, sorted(declared), n=1)
                hint = f"; did you mean '{guess[0]}'?" if guess else "; declare it in library.yaml"
                check.error(
                    _child_line(fields.get("categories"), index),
                    f"categories[{index}]",
                    f"unknown category '{name}'{hint}",
                )
    if "categories" in fields and _has_no_entries(fields["categories"]):
        check.error(lines["categories"], "categories", "is empty; give at least one category")
    lists = {name: _read_items(check, fields.get(name), name) for name in LIST_FIELDS}
    if "steps" in fields and _has_no_entries(fields["steps"]):
        check.error(lines["steps"], "steps", "is empty; a technique needs at least one step")
    sources = tuple(_read_names(check, fields.get("sources"), "sources", limit=MAX_ITEM_CHARS))
    similar = _read_names(check, fields.get("similar"), "similar", limit=MAX_TITLE_CHARS)
    kept_similar: list[str] = []
    similar_lines: list[int] = []
    for index, other in enumerate(similar):
        line = _child_line(fields.get("similar"), index)
        if other == technique_id:
            check.warning(line, f"similar[{index}]", "a technique is not similar to itself; ignored")
        elif not ID_PATTERN.fullmatch(other):
            check.error(
                line, f"similar[{index}]", f"'{other}' is not a technique id (ids look like {_id_example(other)})"
            )
        elif other not in kept_similar:
            kept_similar.append(other)
            similar_lines.append(line)

    # A field that is there but wrong already has its error; only an absent or empty one warns.
    if not sources and _absent_or_empty(fields, "sources", misspelt):
        check.warning(lines.get("sources", 1), "sources", "no source given")
    if not lists["warnings"] and _absent_or_empty(fields, "warnings", misspelt):
        check.warning(lines.get("warnings", 1), "warnings", "no warnings section")
    if errors_only(check.problems) or technique_id is None or title is None or summary is None:
        return None, tuple(check.problems), ()
    return (
        Technique(
            id=technique_id,
            title=title,
            categories=tuple(categories),
            summary=summary,
            sources=sources,
            similar=tuple(kept_similar),
            path=display,
            field_lines=lines,
            **lists,
        ),
        tuple(check.problems),
        tuple(similar_lines),
    )


def _absent_or_empty(fields: dict[str, Node], key: str, misspelt: set[str]) -> bool:
    if key in fields:
        return _has_no_entries(fields[key])
    return key not in misspelt


def _has_no_entries(node: Node) -> bool:
    return node.kind == "null" or (node.kind == "list" and not node.value)


def _id_example(text: str) -> str:
    """What an id for this text could be: 'My Technique' -> 'my-technique'."""
    example = re.sub(r"[^a-z0-9]+", "-", clean_invisible(text).lower()).strip("-")
    return f"'{example}'" if example else "'my-technique'"


def _child_line(node: Node | None, index: int) -> int:
    if node is not None and isinstance(node.value, list) and index < len(node.value):
        return node.value[index].line
    return node.line if node is not None else 1


def _read_id(check: FieldChecker, node: Node | None, stem: str) -> str | None:
    if node is None:
        stem = clean_invisible(stem)
        if not ID_PATTERN.fullmatch(stem):
            check.error(
                1,
                "id",
                f"the file name '{shown(stem)}' is not a valid id (lowercase letters, digits and '-' only); "
                f"rename it to {_id_example(stem)[1:-1]}.yaml or set id",
            )
            return None
        return _writable_id(check, 1, stem, f"the file name '{stem}'")
    value = check.text(node, "id", node.line, MAX_ID_CHARS)
    if value is None:
        return None
    if not ID_PATTERN.fullmatch(value):
        check.error(
            node.line,
            "id",
            f"'{value}' is not a valid id: use only lowercase letters, digits and '-', like {_id_example(value)}",
        )
        return None
    return _writable_id(check, node.line, value, f"'{value}'")


def _writable_id(check: FieldChecker, line: int, value: str, what: str) -> str | None:
    """An id becomes handouts/<id>.pdf: short enough for every file system, and not a name
    Windows keeps for a device (con.pdf, aux.pdf... cannot be opened there)."""
    if len(value) > MAX_ID_CHARS:
        check.error(
            line,
            "id",
            f"{what} is {len(value)} characters long; an id may have at most {MAX_ID_CHARS} "
            "(it becomes the file name handouts/<id>.pdf); set a shorter id",
        )
        return None
    if value in WINDOWS_DEVICE_NAMES:
        check.error(
            line,
            "id",
            f"{what} is a name Windows keeps for a device, so handouts/{value}.pdf could not be opened there; "
            f"choose another id, like '{value}-technique'",
        )
        return None
    return value


def _read_names(check: FieldChecker, node: Node | None, field_name: str, limit: int = MAX_TITLE_CHARS) -> list[str]:
    """A list of plain texts (categories, sources, similar); a single text is accepted too."""
    if node is None:
        return []
    if node.kind == "scalar":
        value = check.text(node, field_name, node.line, limit)
        return [value] if value else []
    entries = check.list_of(node, field_name)
    if entries is None:
        return []
    names: list[str] = []
    for index, entry in enumerate(entries):
        value = check.text(entry, f"{field_name}[{index}]", entry.line, limit)
        if value is not None:
            names.append(value)
    return names


def _read_items(check: FieldChecker, node: Node | None, field_name: str) -> tuple[Item, ...]:
    if node is None:
        return ()
    entries = check.list_of(node, field_name, " (split the technique)")
    if entries is None:
        return ()
    items: list[Item] = []
    ids: dict[str, int] = {}
    for index, entry in enumerate(entries):
        where = f"{field_name}[{index}]"
        if entry.kind == "mapping":
            item = _read_item_mapping(check, entry, where)
        else:
            text = check.text(entry, where, entry.line, MAX_ITEM_CHARS)
            item = Item(text=text, line=entry.line) if text is not None else None
        if item is None:
            continue
        if item.id is not None:
            if item.id in ids:
                check.error(item.line, where + ".id", f"duplicate item id '{item.id}' (also on line {ids[item.id]})")
                continue
            ids[item.id] = item.line
        items.append(item)
    return tuple(items)


def _read_item_mapping(check: FieldChecker, entry: Node, where: str) -> Item | None:
    assert isinstance(entry.value, dict) and entry.key_lines is not None
    (only_key,) = entry.value if len(entry.value) == 1 else ("",)
    if only_key and only_key not in ITEM_KEYS and (" " in only_key or not close_key(only_key, ITEM_KEYS)):
        check.error(entry.line, where, "looks like text containing ': '; put the whole entry in quotes")
        return None
    misspelt = check.unknown_keys(entry, ITEM_KEYS, where + ".")
    if "text" not in entry.value and "text" not in misspelt:
        check.error(entry.line, where + ".text", "missing; an entry written as a mapping needs text")
        return None
    if "text" not in entry.value:
        return None
    text = check.text(entry.value["text"], where + ".text", entry.line, MAX_ITEM_CHARS)
    cue = None
    if "cue" in entry.value:
        cue = check.text(entry.value["cue"], where + ".cue", entry.line, MAX_ITEM_CHARS)
    item_id = None
    if "id" in entry.value:
        item_id = check.text(entry.value["id"], where + ".id", entry.line, 80)
        if item_id is not None and not ID_PATTERN.fullmatch(item_id):
            check.error(
                entry.key_lines["id"],
                where + ".id",
                f"'{item_id}' is not a valid id: use only lowercase letters, digits and '-', "
                f"like {_id_example(item_id)}",
            )
            return None
    if text is None:
        return None
    return Item(text=text, id=item_id, cue=cue, line=entry.line)


__all__ = [
    "ID_PATTERN",
    "MAX_ITEMS",
    "MAX_ITEM_CHARS",
    "MAX_SUMMARY_CHARS",
    "MAX_TITLE_CHARS",
    "TECHNIQUE_KEYS",
    "check_library",
    "read_library",
    "technique_files",
]
