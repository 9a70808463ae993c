"""Find English label text left in an output that should be in another language."""

from __future__ import annotations

import re

from exporter.labels import Entry, labels_for

#: A label shorter than this (after its fields are taken out) is too common a string to look for.
MIN_WORDS_CHARS = 4


def _fixed_parts(entry: Entry) -> list[str]:
    """The literal pieces of a label between its {fields}, over all plural forms."""
    texts = entry.values() if isinstance(entry, dict) else [entry]
    parts: list[str] = []
    for text in texts:
        assert isinstance(text, str)
        parts += [part.strip(" .,:;()/–—-") for part in re.split(r"\{[^}]*\}", text)]
    return [part for part in parts if len(part) >= MIN_WORDS_CHARS]


def english_labels_left(text: str, language: str, keys: list[str] | None = None) -> list[str]:
    """English label wordings found in text that the language's own catalogue does not also use.

    keys limits the search to one writer's section (e.g. every key starting with "cards.").
    """
    english = labels_for("en")
    own = labels_for(language)
    own_parts = {part for key in own.entries for part in _fixed_parts(own.entries[key])}
    found = []
    for key, entry in english.entries.items():
        if keys is not None and not any(key.startswith(prefix) for prefix in keys):
            continue
        if key == "common.language_name":
            continue
        for part in _fixed_parts(entry):
            if part not in own_parts and re.search(rf"(?<!\w){re.escape(part)}(?!\w)", text):
                found.append(f"{key}: {part!r}")
    return found
