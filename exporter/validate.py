"""Check the raw YAML of a whole library and turn it into the model, collecting every problem."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from exporter.errors import ContentError, Problem, errors_only
from exporter.invisible import bidi_control, clean_invisible, has_visible
from exporter.labels import Overrides, bundled_languages, catalogue_language, override_problems
from exporter.load import Node, describe_character, load_yaml_file, shown
from exporter.model import LIST_FIELDS, Category, Item, Library, Settings, Technique

#: Ids become file names (handouts/<id>.pdf) and Anki keys: no "/", "..", spaces or capitals.
#: Always use fullmatch: "$" would accept a trailing newline.
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
COLOUR_PATTERN = re.compile(r"#[0-9a-fA-F]{6}")
LANGUAGE_PATTERN = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")

MAX_ITEMS = 60
#: An id is a file name (handouts/<id>.pdf, and its temporary .<id>.pdf.XXXXXXXX.tmp beside it).
MAX_ID_CHARS = 80
#: File names Windows reserves for devices, whatever the extension (con.pdf is the console).
WINDOWS_DEVICE_NAMES = frozenset(
    ["con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))]
)
MAX_ITEM_CHARS = 2_000
MAX_SUMMARY_CHARS = 5_000
MAX_TITLE_CHARS = 200
MAX_TECHNIQUES = 10_000

TECHNIQUE_KEYS = (
    "id",
    "title",
    "categories",
    "summary",
    *LIST_FIELDS,
    "sources",
    "similar",
)
REQUIRED_TECHNIQUE_KEYS = ("title", "categories", "summary", "steps")
ITEM_KEYS = ("text", "id", "cue")
LIBRARY_KEYS = (
    "title",
    "subtitle",
    "organisation",
    "language",
    "edition",
    "disclaimer",
    "short_disclaimer",
    "categories",
    "settings",
    "labels",
)
CATEGORY_KEYS = ("name", "icon", "colour")
SETTINGS_CHOICES: dict[str, tuple[str, ...]] = {
    "paper": ("a4", "letter"),
    "card_size": ("a6", "a7", "index-3x5", "business", "poker"),
    "duplex": ("long-edge", "short-edge", "fold", "none"),
    "chapter_start": ("any", "right", "continuous"),
}

# Characters that must never reach a PDF or a card: C0/C1 controls except tab and newline,
# lone surrogates, and the replacement character that marks text already lost.
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffd]")


@dataclass
class _Checker:
    """Collects problems for one file while its fields are read."""

    path: str
    problems: list[Problem] = field(default_factory=list)

    def error(self, line: int, field_name: str, message: str) -> None:
        self.problems.append(Problem(self.path, line, field_name, message))

    def warning(self, line: int, field_name: str, message: str) -> None:
        self.problems.append(Problem(self.path, line, field_name, message, "warning"))

    def unknown_keys(self, node: Node, allowed: tuple[str, ...], prefix: str = "") -> set[str]:
        """Report keys not in allowed; return the known keys they were probably meant to be, so
        that a misspelt key is not reported a second time as a missing one."""
        assert isinstance(node.value, dict) and node.key_lines is not None
        meant: set[str] = set()
        for key in node.value:
            if key in allowed:
                continue
            guess = _close_key(key, allowed)
            hint = f"; did you mean '{guess}'?" if guess else f"; known keys: {', '.join(allowed)}"
            self.error(node.key_lines[key], prefix + shown(key), f"unknown key '{shown(key)}'{hint}")
            if guess:
                meant.add(guess)
        return meant

    def text(self, node: Node | None, field_name: str, line: int, limit: int, required: bool = True) -> str | None:
        """A non-empty single piece of text, NFC-normalised; None (and a problem) otherwise."""
        if node is None or node.kind == "null":
            if required:
                self.error(line if node is None else node.line, field_name, "is empty; expected text")
            return None
        if node.kind != "scalar":
            self.error(node.line, field_name, f"expected text, got {_kind_name(node)}")
            return None
        assert isinstance(node.value, str)
        value = unicodedata.normalize("NFC", node.value).strip()
        bad = _FORBIDDEN.search(value)
        if bad:
            self.error(
                node.line, field_name, f"contains {describe_character(bad.group())}, which cannot be printed; delete it"
            )
            return None
        control = bidi_control(value)
        if control:
            self.error(
                node.line,
                field_name,
                f"contains U+{ord(control):04X} (a direction control), which would show the text in another "
                "order; delete it (Hebrew and Arabic are shown right to left without it)",
            )
            return None
        value = clean_invisible(value).strip()
        if not value:
            if required:
                self.error(node.line, field_name, "is empty; expected text")
            return None
        if not has_visible(value):
            self.error(
                node.line,
                field_name,
                "has no visible character (only invisible or combining characters); write the text out",
            )
            return None
        if len(value) > limit:
            self.error(node.line, field_name, f"is {len(value):,} characters long; the limit is {limit:,}")
            return None
        return value

    def list_of(self, node: Node, field_name: str, hint: str = "") -> list[Node] | None:
        if node.kind == "null":
            return []
        if node.kind != "list":
            self.error(node.line, field_name, f"expected a list, got {_kind_name(node)}")
            return None
        assert isinstance(node.value, list)
        if len(node.value) > MAX_ITEMS:
            self.error(
                node.line,
                field_name,
                f"has {len(node.value):,} entries; the limit is {MAX_ITEMS}{hint}",
            )
            return None
        return node.value


def _close_key(key: str, allowed: tuple[str, ...]) -> str | None:
    guess = difflib.get_close_matches(key.lower(), allowed, n=1, cutoff=0.6)
    return guess[0] if guess else None


def _kind_name(node: Node) -> str:
    return {"list": "a list", "mapping": "a mapping", "null": "nothing", "scalar": "text"}[node.kind]


def _display(path: Path) -> str:
    return path.as_posix()


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


def read_library(content_dir: Path, strict: bool = False, learning: bool = False) -> tuple[Library, list[Problem]]:
    """Load and check everything under content_dir; raise ContentError listing every problem.

    Returns the library and the warnings. With strict, warnings count as errors. With learning,
    the learning lint (exporter.lint: cards a trainee could not grade) runs too.
    """
    library, problems = check_library(content_dir)
    if library is not None and learning:
        from exporter.lint import lint_library

        problems += lint_library(library)
    if library is None or errors_only(problems) or (strict and problems):
        raise ContentError(problems)
    return library, problems


def check_library(content_dir: Path) -> tuple[Library | None, list[Problem]]:
    """Every problem in the library (errors and warnings), and the model when there are no errors."""
    problems: list[Problem] = []
    library_path = content_dir / "library.yaml"
    if not content_dir.is_dir():
        return None, [Problem(_display(content_dir), 0, "content", "no such folder")]
    if not library_path.is_file():
        if library_path.exists() or library_path.is_symlink():
            kind = "a folder" if library_path.is_dir() else "not a regular file"
            return None, [Problem(_display(library_path), 1, "file", f"is {kind}; library.yaml must be a YAML file")]
        return None, [Problem(_display(library_path), 0, "file", "missing; every library needs a library.yaml")]
    header, header_problems = _read_library_header(library_path)
    problems += header_problems

    technique_dir = content_dir / "techniques"
    files = technique_files(technique_dir)
    if not files:
        problems.append(Problem(_display(technique_dir), 0, "techniques", "no technique files (*.yaml) found"))
    if len(files) > MAX_TECHNIQUES:
        problems.append(
            Problem(_display(technique_dir), 0, "techniques", f"{len(files):,} files; the limit is {MAX_TECHNIQUES:,}")
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
    for path in sorted(files):
        technique, file_problems, lines_of_similar = _read_technique(path, declared, categories_known)
        problems += file_problems
        if technique is None:
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
    problems += _check_similar(techniques, similar_lines)
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
        path=_display(library_path),
        label_overrides=header.label_overrides,
        field_lines=header.field_lines,
    )
    return library, problems


@dataclass
class _Header:
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


def _read_library_header(path: Path) -> tuple[_Header | None, list[Problem]]:
    """The library's fields as far as they could be read (None when it is not a mapping)."""
    display = _display(path)
    root, problems = load_yaml_file(path, display)
    if root is None:
        return None, problems
    check = _Checker(display)
    if root.kind != "mapping":
        check.error(root.line, "library", f"expected a mapping of fields, got {_kind_name(root)}")
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
    header = _Header(
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


def _read_label_overrides(check: _Checker, node: Node | None) -> Overrides:
    """library.yaml's `labels:` mapping of label key -> text (or plural forms), each checked."""
    if node is None:
        return ()
    if node.kind != "mapping":
        check.error(node.line, "labels", f"expected a mapping of label key to text, got {_kind_name(node)}")
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


def _read_categories(check: _Checker, node: Node | None, misspelt: bool) -> tuple[Category, ...]:
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
        colour = check.text(entry.value.get("colour"), where + ".colour", entry.line, 7, required=False)
        if colour is not None and not COLOUR_PATTERN.fullmatch(colour):
            check.error(
                entry.key_lines.get("colour", entry.line), where + ".colour", f"'{colour}' is not a colour like #4a6fa5"
            )
            colour = None
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


def _read_settings(check: _Checker, node: Node | None) -> Settings:
    if node is None:
        return Settings()
    if node.kind != "mapping":
        check.error(node.line, "settings", f"expected a mapping, got {_kind_name(node)}")
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


def _read_technique(
    path: Path, declared: set[str], check_categories: bool
) -> tuple[Technique | None, list[Problem], list[int]]:
    """The technique, its problems, and the line of each entry of its `similar` list."""
    display = _display(path)
    root, problems = load_yaml_file(path, display)
    if root is None:
        return None, problems, []
    check = _Checker(display)
    if root.kind != "mapping":
        check.error(
            root.line, "technique", f"expected a mapping of fields (title: ..., steps: ...), got {_kind_name(root)}"
        )
        return None, check.problems, []
    assert isinstance(root.value, dict) and root.key_lines is not None
    fields = root.value
    lines = dict(root.key_lines)
    misspelt = check.unknown_keys(root, TECHNIQUE_KEYS)
    for key in REQUIRED_TECHNIQUE_KEYS:
        if key not in fields and key not in misspelt:
            check.error(1, key, "missing; every technique needs one")

    technique_id = _read_id(check, fields.get("id"), path.stem)
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
        return None, check.problems, []
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
        check.problems,
        similar_lines,
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


def _read_id(check: _Checker, node: Node | None, stem: str) -> str | None:
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


def _writable_id(check: _Checker, line: int, value: str, what: str) -> str | None:
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


def _read_names(check: _Checker, node: Node | None, field_name: str, limit: int = MAX_TITLE_CHARS) -> list[str]:
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


def _read_items(check: _Checker, node: Node | None, field_name: str) -> tuple[Item, ...]:
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


def _read_item_mapping(check: _Checker, entry: Node, where: str) -> Item | None:
    assert isinstance(entry.value, dict) and entry.key_lines is not None
    (only_key,) = entry.value if len(entry.value) == 1 else ("",)
    if only_key and only_key not in ITEM_KEYS and (" " in only_key or not _close_key(only_key, ITEM_KEYS)):
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


def _check_similar(techniques: list[Technique], lines: dict[str, list[int]]) -> list[Problem]:
    """Every `similar` id names a technique. Cycles and mutual links are fine: nothing follows them."""
    known = {t.id for t in techniques}
    problems: list[Problem] = []
    for technique in techniques:
        for index, other in enumerate(technique.similar):
            line = lines[technique.id][index]
            if other not in known:
                guess = difflib.get_close_matches(other, sorted(known), n=1)
                hint = f"; did you mean '{guess[0]}'?" if guess else ""
                problems.append(
                    Problem(technique.path, line, f"similar[{index}]", f"no technique with id '{other}'{hint}")
                )
    return problems
