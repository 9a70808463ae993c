"""Technique and library data -> readable YAML that reads back as exactly the same data."""

from __future__ import annotations

from typing import Any

import yaml

from exporter.errors import ExporterError


class PlainDumper(yaml.SafeDumper):
    """Block style, with lists indented under their key as people write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


class ReadableDumper(PlainDumper):
    """Also folds long text and writes text with line breaks as a literal block."""


def _represent_text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else ">" if len(value) > 88 else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


ReadableDumper.add_representer(str, _represent_text)


def to_yaml(data: dict[str, Any]) -> str:
    """Readable YAML that reads back as exactly data: folded where that is exact, quoted where not,
    and escaped double quotes for characters YAML treats as line breaks."""
    attempts: list[dict[str, Any]] = [
        {"Dumper": ReadableDumper, "allow_unicode": True},
        {"Dumper": PlainDumper, "allow_unicode": True},
        {"Dumper": PlainDumper, "allow_unicode": False, "default_style": '"'},
    ]
    for options in attempts:
        text: str = yaml.dump(data, sort_keys=False, width=80, default_flow_style=False, **options)
        if yaml.safe_load(text) == data:
            return text
    raise ExporterError("internal error: the technique cannot be written as YAML that reads back the same")


def entries_yaml(entries: list[dict[str, str]]) -> str:
    """A YAML list of mappings (new categories), to be indented into an existing file."""
    text: str = yaml.dump(entries, Dumper=ReadableDumper, allow_unicode=True, sort_keys=False, default_flow_style=False)
    return text
