"""YAML files -> plain nodes that remember their line, or Problems. Nothing here builds objects
from YAML tags: files are composed into nodes and read as text, lists and mappings only."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from exporter.errors import Problem

#: A content file larger than this is refused before parsing (a technique is a few kilobytes).
MAX_FILE_BYTES = 1_000_000

#: Lists inside mappings inside lists... deeper than this is not content, and would exhaust
#: Python's recursion limit while composing.
MAX_NESTING = 20

_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:map",
}

_CLoader: type | None = getattr(yaml, "CSafeLoader", None)  # absent when PyYAML was built without libyaml

_CONTROL_NAMES = {0x00: "NUL", 0x1B: "ESC", 0x7F: "DEL", 0x0B: "vertical tab", 0x0C: "form feed"}


@dataclass
class Node:
    """A YAML value with the 1-based line it starts on.

    `value` is a str for any scalar (the text as written), None for null, a list of Nodes
    for a sequence, or a dict of key -> Node for a mapping (`key_lines` gives each key's line).
    """

    value: str | None | list[Node] | dict[str, Node]
    line: int
    key_lines: dict[str, int] | None = None
    kind: str = "scalar"  # scalar | null | list | mapping


class _ComposeError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _GuardedLoader(yaml.SafeLoader):
    """Composes nodes only, refusing aliases (the "billion laughs" bomb) before they expand and
    nesting deep enough to exhaust the recursion limit."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        line = event.start_mark.line + 1 if event.start_mark else 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _ComposeError(line, "anchors and aliases (&name, *name) are not allowed; write the text out in full")
        self._depth += 1
        if self._depth > MAX_NESTING:
            raise _ComposeError(line, f"lists and mappings are nested more than {MAX_NESTING} levels deep")
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def shown(text: str) -> str:
    """Text safe to put in a one-line message: control and invisible characters as U+XXXX."""
    return "".join(ch if ch.isprintable() else f"<U+{ord(ch):04X}>" for ch in text)


def describe_character(character: str) -> str:
    """U+0000 (NUL) etc., for messages about a character that may not be visible."""
    code = ord(character)
    name = _CONTROL_NAMES.get(code)
    if name is None and 0xD800 <= code <= 0xDFFF:
        name = "a lone surrogate: half of a broken emoji or symbol"
    elif name is None and code == 0xFFFD:
        name = "the replacement character, left where text was already damaged"
    elif name is None:
        name = "an invisible control character"
    return f"U+{code:04X} ({name})"


def read_text(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """The file's text as UTF-8 (a BOM is accepted), or the problem that stops reading it."""
    try:
        if not path.is_file():
            kind = "a folder" if path.is_dir() else "not a regular file"
            return None, [Problem(display, 1, "file", f"is {kind}, not a YAML file")]
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)  # never more: a device or a growing file has no end
            size = path.stat().st_size
    except OSError as exc:
        return None, [Problem(display, 1, "file", f"cannot read the file: {exc.strerror or exc}")]
    if len(raw) > MAX_FILE_BYTES:
        size = max(size, len(raw))
        message = f"the file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} (a technique is a few thousand)"
        return None, [Problem(display, 1, "file", message)]
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, [Problem(display, 1, "file", "the file is saved as UTF-16; save it as UTF-8")]
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    if b"\x00" in raw:
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        return None, [
            Problem(display, line, "file", "contains NUL bytes: it is UTF-16 or not a text file; save it as UTF-8 text")
        ]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return None, [
            Problem(
                display,
                line,
                "file",
                f"is not UTF-8 (byte 0x{raw[exc.start]:02x} on this line; probably saved as Latin-1 or "
                "Windows-1252); save it as UTF-8",
            )
        ]


def parse_yaml(text: str, display: str) -> tuple[Node | None, list[Problem]]:
    """Compose YAML text into Nodes, refusing aliases, custom tags and duplicate keys."""
    plain = _compose_plain_with_libyaml(text)
    if plain is None:
        return _parse_carefully(text, display)
    try:
        return _nonempty(_to_node(plain), display)
    except _ComposeError as exc:
        return None, [Problem(display, exc.line, "yaml", exc.message)]


def _nonempty(root: Node | None, display: str) -> tuple[Node | None, list[Problem]]:
    if root is None or root.kind == "null":
        return None, [Problem(display, 1, "file", "the file is empty")]
    return root, []


def _compose_plain_with_libyaml(text: str) -> yaml.Node | None:
    """The fast path (libyaml, ~25x faster) for text with no alias, anchor or deep nesting and
    no syntax error; None sends anything else to the pure-Python path and its messages."""
    if _CLoader is None:
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_CLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return None
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth >= MAX_NESTING:
                    return None
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
        node: yaml.Node | None = yaml.compose(text, Loader=_CLoader)
    except (yaml.YAMLError, UnicodeError):
        return None
    return node


def _parse_carefully(text: str, display: str) -> tuple[Node | None, list[Problem]]:
    try:
        loader = _GuardedLoader(text)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        message = f"contains {describe_character(chr(exc.character))}, which cannot be in text; delete it"
        return None, [Problem(display, line, "yaml", message)]
    try:
        root = loader.get_single_node()
        result = _to_node(root) if root is not None else None
    except _ComposeError as exc:
        return None, [Problem(display, exc.line, "yaml", exc.message)]
    except yaml.MarkedYAMLError as exc:
        line, message = _error_line(exc), _describe_yaml_error(exc)
        opened = _unclosed_quote_above(text, line)
        if opened is not None and "quote" not in message:
            line, message = (
                opened,
                (
                    "a quote opened here is not closed on this line, so YAML reads on into the next lines; "
                    "close it, or put the whole text in the other kind of quotes"
                ),
            )
        return None, [Problem(display, line, "yaml", message)]
    except yaml.YAMLError as exc:
        return None, [Problem(display, 1, "yaml", shown(str(exc).splitlines()[0]))]
    finally:
        loader.dispose()
    return _nonempty(result, display)


def load_yaml_file(path: Path, display: str) -> tuple[Node | None, list[Problem]]:
    text, problems = read_text(path, display)
    if text is None:
        return None, problems
    return parse_yaml(text, display)


_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)?(?:[^\s"'#][^:#]*:\s+)?(["'])(.*)$""")


def _unclosed_quote_above(text: str, line: int) -> int | None:
    """The line, at or up to five lines above line, whose value opens a quote it does not close."""
    lines = text.splitlines()
    for number in range(min(line, len(lines)), max(0, line - 6), -1):
        match = _QUOTED_VALUE.match(lines[number - 1])
        if match is None:
            continue
        quote, rest = match.groups()
        closed = re.search(r'(?<!\\)"', rest) if quote == '"' else re.search(r"'(?!')", rest.replace("''", ""))
        if not closed:
            return number
    return None


def _error_line(exc: yaml.MarkedYAMLError) -> int:
    # An unclosed quote or bracket is found lines later; the line where it opened is the useful one.
    problem = exc.problem or ""
    opened_earlier = "end of stream" in problem or "<stream end>" in problem or "flow" in (exc.context or "")
    if opened_earlier and exc.context_mark is not None:
        return exc.context_mark.line + 1
    mark = exc.problem_mark or exc.context_mark
    return mark.line + 1 if mark else 1


def _describe_yaml_error(exc: yaml.MarkedYAMLError) -> str:
    """The parser's complaint in words a person who writes the content can act on."""
    problem = exc.problem or "syntax error"
    context = exc.context or ""
    if "'\\t'" in problem:
        return "a tab character is not allowed here; indent with spaces"
    if "mapping values are not allowed" in problem:
        return "a ': ' inside a text, or a key indented too far; put text containing ': ' in quotes"
    if "end of stream" in problem and "quoted scalar" in context:
        return "a quote opened here is never closed"
    if "found another document" in problem:
        return "a second document ('---') in one file; keep one technique per file"
    if "could not find expected ':'" in problem:
        return "a line that is neither 'key: value' nor '- entry'; check the indentation, or quote the text"
    if "expected <block end>" in problem:
        return "this line does not line up with the lines above it; check the indentation"
    if "that cannot start any token" in problem:
        character = problem.split("'", 2)[1]
        return f"a text cannot start with {character}; put the whole text in quotes"
    if "flow sequence" in context:
        return "a list opened with '[' is not closed with ']', or its entries are not separated by ','"
    if "flow mapping" in context:
        return "a mapping opened with '{' is not closed with '}', or its entries are not separated by ','"
    detail = f"{problem} ({context})" if context else problem
    return f"YAML syntax error: {shown(detail)}"


def _tag_shown(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


def _to_node(node: yaml.Node) -> Node:
    line = node.start_mark.line + 1
    if node.tag not in _STANDARD_TAGS:
        raise _ComposeError(
            line, f"the tag {shown(_tag_shown(node.tag))} is not allowed; write plain text, lists and mappings"
        )
    if isinstance(node, yaml.ScalarNode):
        # A bare "!" is null to PyYAML and "" to libyaml: read both as nothing.
        if node.tag == "tag:yaml.org,2002:null" or (node.value == "" and not node.style):
            return Node(None, line, kind="null")
        return Node(node.value, line)
    if isinstance(node, yaml.SequenceNode):
        return Node([_to_node(child) for child in node.value], line, kind="list")
    if isinstance(node, yaml.MappingNode):
        values: dict[str, Node] = {}
        key_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == "tag:yaml.org,2002:null":
                raise _ComposeError(key_line, "a key must be a plain name like 'title'")
            key = str(key_node.value)
            if key == "<<":
                raise _ComposeError(key_line, "merge keys (<<) are not allowed")
            if key in values:
                raise _ComposeError(
                    key_line, f"'{shown(key)}' is given twice (first on line {key_lines[key]}); keep one"
                )
            value = _to_node(value_node)
            if value.kind != "scalar":
                # A block list starts on the line after its key, and an empty value has no line
                # of its own: point at the key.
                value.line = key_line
            values[key] = value
            key_lines[key] = key_line
        return Node(values, line, key_lines, kind="mapping")
    raise _ComposeError(line, "unsupported YAML node")
