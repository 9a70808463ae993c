"""YAML files -> plain nodes that remember their line, or Problems. Nothing here builds objects
from YAML tags: files are composed into nodes and read as text, lists and mappings only."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path
from typing import Union

import yaml

from exporter.errors import Problem

#: A technique file larger than this is refused before parsing.
MAX_FILE_BYTES = 1_000_000

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


@dataclass
class Node:
    """A YAML value with the 1-based line it starts on.

    `value` is a str for any scalar (the text as written), None for null, a list of Nodes
    for a sequence, or a dict of key -> Node for a mapping (`key_lines` gives each key's line).
    """

    value: Union[str, None, list["Node"], dict[str, "Node"]]
    line: int
    key_lines: dict[str, int] | None = None
    kind: str = "scalar"  # scalar | null | list | mapping


class _ComposeError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def read_text(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """The file's text as UTF-8 (a BOM is accepted), or the problem that stops reading it."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [
                Problem(display, 1, "file", f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}")
            ]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(display, 1, "file", f"cannot read: {exc.strerror or exc}")]
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, [Problem(display, 1, "file", "file is UTF-16; save it as UTF-8")]
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return None, [
            Problem(display, line, "file", f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8")
        ]


def parse_yaml(text: str, display: str) -> tuple[Node | None, list[Problem]]:
    """Compose YAML text into Nodes, refusing aliases, custom tags and duplicate keys."""
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                line = event.start_mark.line + 1 if event.start_mark else 1
                return None, [Problem(display, line, "yaml", "anchors and aliases (*name) are not allowed")]
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        return None, [Problem(display, line, "yaml", _describe_yaml_error(exc))]
    except yaml.YAMLError as exc:
        return None, [Problem(display, 1, "yaml", str(exc).splitlines()[0])]
    if root is None:
        return None, [Problem(display, 1, "file", "file is empty")]
    try:
        return _to_node(root), []
    except _ComposeError as exc:
        return None, [Problem(display, exc.line, "yaml", exc.message)]


def load_yaml_file(path: Path, display: str) -> tuple[Node | None, list[Problem]]:
    text, problems = read_text(path, display)
    if text is None:
        return None, problems
    return parse_yaml(text, display)


def _describe_yaml_error(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or "syntax error"
    if "'\\t'" in problem:
        return "a tab character is not allowed here; indent with spaces"
    if exc.context:
        return f"{problem} ({exc.context})"
    return problem


def _to_node(node: yaml.Node) -> Node:
    line = node.start_mark.line + 1
    if node.tag not in _STANDARD_TAGS:
        raise _ComposeError(line, f"the tag {node.tag} is not allowed")
    if isinstance(node, yaml.ScalarNode):
        if node.tag == "tag:yaml.org,2002:null":
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
                raise _ComposeError(key_line, "a mapping key must be a plain name")
            key = str(key_node.value)
            if key == "<<":
                raise _ComposeError(key_line, "merge keys (<<) are not allowed")
            if key in values:
                raise _ComposeError(
                    key_line, f"duplicate key '{key}' (first given on line {key_lines[key]})"
                )
            values[key] = _to_node(value_node)
            key_lines[key] = key_line
        return Node(values, line, key_lines, kind="mapping")
    raise _ComposeError(line, "unsupported YAML node")
