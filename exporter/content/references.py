"""References between files: a technique's `similar` ids and a course's techniques.

A technique file with errors is not in the library, but its id is still the one other files
name: a reference to it is not reported as well, so one typo gives one problem, not one per file
that names the technique.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from exporter.errors import Problem
from exporter.model import Technique

#: How much of a broken file is searched for its `id:` line (a file may be far too large to read).
_LOOKED_AT = 64 * 1024
_ID_LINE = re.compile(r"^id:[ \t]*['\"]?([^'\"#\s]+)", re.MULTILINE)


def ids_of_a_broken_file(path: Path) -> set[str]:
    """The ids a technique file with errors may be named by: its name, and its `id:` line if any."""
    ids = {path.stem}
    if not path.is_file():  # a named pipe or a device: never opened (it may block or never end)
        return ids
    try:
        with path.open("rb") as stream:
            text = stream.read(_LOOKED_AT).decode("utf-8", errors="replace")
    except OSError:
        return ids
    match = _ID_LINE.search(text)
    if match:
        ids.add(match.group(1))
    return ids


def check_similar(techniques: list[Technique], lines: dict[str, list[int]], unreadable: set[str]) -> list[Problem]:
    """Every `similar` id names a technique. Cycles and mutual links are fine: nothing follows them."""
    known = {t.id for t in techniques}
    problems: list[Problem] = []
    for technique in techniques:
        for index, other in enumerate(technique.similar):
            line = lines[technique.id][index]
            if other not in known and other not in unreadable:
                guess = difflib.get_close_matches(other, sorted(known), n=1)
                hint = f"; did you mean '{guess[0]}'?" if guess else ""
                problems.append(
                    Problem(technique.path, line, f"similar[{index}]", f"no technique with id '{other}'{hint}")
                )
    return problems
