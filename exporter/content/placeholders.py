"""Text left over from `exporter new`'s template ("The first thing the therapist does."): a
technique that still holds it passes every other check, and would be printed and sent as it is."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from exporter.errors import Problem
from exporter.model import LIST_FIELDS, Technique

#: The template `exporter new` fills in (exporter.starter); read as data, not imported.
TEMPLATE = Path(__file__).resolve().parent.parent / "starter" / "templates" / "technique.yaml"


@lru_cache(maxsize=1)
def template_texts() -> frozenset[str]:
    """Every example text of the template: the summary, list entries and their cues, sources."""
    data = yaml.safe_load(TEMPLATE.read_text(encoding="utf-8").replace("$", ""))
    texts = {str(data["summary"]).strip()}
    for name in (*LIST_FIELDS, "sources"):
        for entry in data.get(name) or []:
            values = [entry.get("text"), entry.get("cue")] if isinstance(entry, dict) else [entry]
            texts.update(str(value).strip() for value in values if value)
    return frozenset(texts)


def template_problems(technique: Technique) -> list[Problem]:
    """A warning for each text of the technique that is still the template's example."""
    examples = template_texts()
    found: list[Problem] = []

    def warn(line: int, field: str) -> None:
        message = "still the template's example text; write your own, or delete the entry"
        found.append(Problem(technique.path, line, field, message, "warning"))

    if technique.summary.strip() in examples:
        warn(technique.line_of("summary"), "summary")
    for name in LIST_FIELDS:
        for index, item in enumerate(technique.items(name)):
            line = item.line or technique.line_of(name)
            if item.text.strip() in examples:
                warn(line, f"{name}[{index}]")
            elif item.cue and item.cue.strip() in examples:
                warn(line, f"{name}[{index}].cue")
    for index, source in enumerate(technique.sources):
        if source.strip() in examples:
            warn(technique.line_of_text(f"sources[{index}]"), f"sources[{index}]")
    return found
