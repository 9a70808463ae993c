"""The limits content must keep, and the checker that reports each problem at its line.

Shared by the two halves of validation: library.yaml (exporter.content.library_yaml) and the technique
files (exporter.content.techniques).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from exporter.content.yaml_nodes import Node, describe_character, shown
from exporter.errors import Problem
from exporter.model import LIST_FIELDS
from exporter.text.invisible import bidi_control, clean_invisible, has_visible

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

# Characters that must never reach a PDF or a card: C0/C1 controls except tab and newline,
# lone surrogates, and the replacement character that marks text already lost.
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffd]")


@dataclass
class FieldChecker:
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
            guess = close_key(key, allowed)
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
            self.error(node.line, field_name, f"expected text, got {kind_name(node)}")
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
            self.error(node.line, field_name, f"expected a list, got {kind_name(node)}")
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


def close_key(key: str, allowed: tuple[str, ...]) -> str | None:
    guess = difflib.get_close_matches(key.lower(), allowed, n=1, cutoff=0.6)
    return guess[0] if guess else None


def kind_name(node: Node) -> str:
    return {"list": "a list", "mapping": "a mapping", "null": "nothing", "scalar": "text"}[node.kind]


def display_path(path: Path) -> str:
    return path.as_posix()


def library_in_working_folder(content_dir: Path) -> bool:
    """Whether the folder commands run in is itself a library other than content_dir (a folder
    made by `exporter init`, entered with cd): the commands then need `--content .`."""
    return content_dir.resolve() != Path.cwd().resolve() and (Path.cwd() / "library.yaml").is_file()
