"""Editing one step of a technique file as a person saves it (a plain string or an entry with a text)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import yaml


def edit_step(path: Path, index: int, change: Callable[[str], str]) -> None:
    """Replace the text of step index of the technique file at path with change(text)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    step = data["steps"][index]
    if isinstance(step, dict):
        step["text"] = change(step["text"])
    else:
        data["steps"][index] = change(step)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
