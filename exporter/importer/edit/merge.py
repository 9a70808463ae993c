"""`import --force` onto a technique the library already has: the page's text wins, and what
only the file knows stays (the ids and cues a maintainer added, fields the page does not carry),
so a re-import never costs trainees the history their cards keep by those ids."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

import yaml

from exporter.content.field_checks import TECHNIQUE_KEYS
from exporter.model import LIST_FIELDS

#: An item of the page this alike to one of the file is that item, reworded.
SAME_ITEM = 0.8
#: What a list item of the file may carry besides its text.
KEPT_ITEM_KEYS = ("id", "cue")


@dataclass
class Kept:
    ids: int = 0
    cues: int = 0
    fields: tuple[str, ...] = ()

    def describe(self) -> str:
        parts = [f"{n} {word}{'' if n == 1 else 's'}" for n, word in ((self.ids, "id"), (self.cues, "cue")) if n]
        if self.fields:
            parts.append(", ".join(self.fields))
        return "kept " + " and ".join(parts) + " from the file" if parts else ""


def merged(page_data: dict[str, Any], old_text: str) -> tuple[dict[str, Any], Kept]:
    """The page's technique with the file's ids, cues and extra fields kept."""
    try:
        old = yaml.safe_load(old_text)
    except yaml.YAMLError:
        return page_data, Kept()
    if not isinstance(old, dict):
        return page_data, Kept()
    kept = Kept(fields=tuple(key for key in old if key not in page_data and key in TECHNIQUE_KEYS))
    result = {**page_data, **{key: old[key] for key in kept.fields}}
    for name in LIST_FIELDS:
        if isinstance(result.get(name), list) and isinstance(old.get(name), list) and name in page_data:
            result[name] = _merged_items(page_data[name], old[name], kept)
    order = {key: index for index, key in enumerate(TECHNIQUE_KEYS)}
    return dict(sorted(result.items(), key=lambda pair: order.get(pair[0], len(order)))), kept


def _text(item: Any) -> str:
    text = item.get("text", "") if isinstance(item, dict) else item
    return " ".join(str(text).split())


def _merged_items(new_items: list[Any], old_items: list[Any], kept: Kept) -> list[Any]:
    extras = [
        (index, _text(item), {k: item[k] for k in KEPT_ITEM_KEYS if k in item})
        for index, item in enumerate(old_items)
        if isinstance(item, dict) and any(k in item for k in KEPT_ITEM_KEYS)
    ]
    taken: set[int] = set()
    result = []
    for item in new_items:
        text = _text(item)
        match = next((e for e in extras if e[0] not in taken and e[1].casefold() == text.casefold()), None)
        if match is None:
            scored = sorted(
                ((SequenceMatcher(None, text, e[1]).ratio(), e) for e in extras if e[0] not in taken),
                key=lambda pair: -pair[0],
            )
            clear = scored and scored[0][0] >= SAME_ITEM and (len(scored) == 1 or scored[1][0] < SAME_ITEM)
            match = scored[0][1] if clear else None
        if match is None:
            result.append(item)
            continue
        taken.add(match[0])
        kept.ids += "id" in match[2]
        kept.cues += "cue" in match[2]
        base = dict(item) if isinstance(item, dict) else {"text": item}
        result.append({**match[2], **{k: v for k, v in base.items() if k not in match[2]}})
    return result
