"""The words exporter itself prints (headings, prompts, page marks), in the library's language.

One catalogue: a YAML file per language beside this module (`en.yaml`, `de.yaml`, ...), in the
manner of pandoc's `data/translations`. Keys are dotted (`handbook.contents`); a value is a
template with `{name}` fields, or, where a number decides the grammar, a mapping of CLDR plural
categories (`one`, `few`, `many`, `other`) chosen with Babel's plural rules for the language.
`labels:` in library.yaml overrides any key. Writers never hard-code a user-visible word: they
call `library.labels()("handbook.contents")`.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CATALOGUE_DIR = Path(__file__).parent
FALLBACK = "en"
PLURAL_FORMS = ("zero", "one", "two", "few", "many", "other")

Entry = str | Mapping[str, str]


@lru_cache(maxsize=1)
def bundled_languages() -> tuple[str, ...]:
    """Every language with a catalogue file, English first."""
    found = sorted(path.stem for path in CATALOGUE_DIR.glob("*.yaml"))
    return (FALLBACK, *[name for name in found if name != FALLBACK])


@lru_cache(maxsize=16)
def _catalogue(language: str) -> Mapping[str, Entry]:
    """The flat key -> entry mapping of one bundled language file ({} if there is none)."""
    import yaml

    path = CATALOGUE_DIR / f"{language}.yaml"
    if not path.is_file():
        return {}
    tree = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    flat: dict[str, Entry] = {}
    _flatten(tree, "", flat)
    return flat


def _flatten(tree: Mapping[str, object], prefix: str, into: dict[str, Entry]) -> None:
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if value is None:  # a section with no labels yet
            continue
        if isinstance(value, Mapping) and not set(value) <= set(PLURAL_FORMS):
            _flatten(value, name + ".", into)
        elif isinstance(value, Mapping):
            into[name] = {str(form): str(text) for form, text in value.items()}
        else:
            into[name] = str(value)


def catalogue_language(language: str) -> str | None:
    """The bundled catalogue for a language code (`de-AT` -> `de`), or None if there is none."""
    code = language.replace("_", "-")
    candidates = [code, code.split("-")[0]]
    for candidate in candidates:
        for bundled in bundled_languages():
            if bundled.casefold() == candidate.casefold():
                return bundled
    return None


def english_keys() -> frozenset[str]:
    """Every label key: the English catalogue is complete by definition."""
    return frozenset(_catalogue(FALLBACK))


def template_fields(entry: Entry) -> frozenset[str]:
    """The `{name}` fields a label fills in (over all its plural forms)."""
    texts = entry.values() if isinstance(entry, Mapping) else [entry]
    return frozenset(name for text in texts for _, name, _, _ in string.Formatter().parse(text) if name)


@dataclass(frozen=True)
class Labels:
    """The label catalogue for one language, with the library's own overrides applied."""

    language: str
    entries: Mapping[str, Entry]

    def __call__(self, key: str, count: int | None = None, **values: object) -> str:
        """The label for key, filled in; `count` chooses the plural form and is a field too."""
        entry = self.entries[key]
        if isinstance(entry, Mapping):
            form = plural_form(self.language, count if count is not None else 1)
            entry = entry.get(form) or entry.get("other") or next(iter(entry.values()))
        if count is not None:
            values = {"count": count, **values}
        return entry.format_map(values) if values or "{" in entry else entry


def plural_form(language: str, count: int) -> str:
    """The CLDR plural category of count in language (`ru`, 3 -> `few`)."""
    return str(_plural_rule(language)(count))


@lru_cache(maxsize=16)
def _plural_rule(language: str):  # type: ignore[no-untyped-def]
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language.replace("-", "_")).plural_form
    except (UnknownLocaleError, ValueError):
        return Locale.parse(FALLBACK).plural_form


#: library.yaml's `labels:` as the model keeps it (hashable): a text, or plural forms as pairs.
Overrides = tuple[tuple[str, str | tuple[tuple[str, str], ...]], ...]


@lru_cache(maxsize=32)
def labels_for(language: str, overrides: Overrides = ()) -> Labels:
    """English, overlaid with the language's catalogue (if bundled), overlaid with overrides.

    Plural rules follow the library's own language even where no catalogue is bundled for it.
    """
    found = catalogue_language(language) or FALLBACK
    entries: dict[str, Entry] = dict(_catalogue(FALLBACK))
    entries.update(_catalogue(found))
    for key, value in overrides:
        entries[key] = value if isinstance(value, str) else dict(value)
    return Labels(language=language or FALLBACK, entries=entries)


def _unbalanced_braces(text: str) -> str | None:
    """Why a label's braces do not make {fields}, or None ("{{" and "}}" print one brace)."""
    try:
        list(string.Formatter().parse(text))
    except ValueError:
        return "a '{' or '}' has no partner: write {field} for a field, {{ or }} for a brace itself"
    return None


#: Fields of the deck's note type get their displayed names from these labels.
ANKI_FIELD_LABELS = "deck.field."
#: Names Anki's templates give their own meaning: a field cannot be called so (any case).
ANKI_SPECIAL_FIELDS = frozenset({"card", "cardflag", "deck", "subdeck", "tags", "type", "frontside"})
#: Characters Anki's template syntax uses, so a field name cannot hold them.
ANKI_FIELD_FORBIDDEN = frozenset(':{}"#^/<>')


def anki_field_name_problems(labels: Labels, keys: set[str]) -> dict[str, str]:
    """Why the deck field labels among keys cannot name a field in Anki, by key."""
    names = {key: str(labels(key)).strip() for key in labels.entries if key.startswith(ANKI_FIELD_LABELS)}
    problems: dict[str, str] = {}
    for key in sorted(keys & set(names)):
        name = names[key]
        forbidden = sorted(set(name) & ANKI_FIELD_FORBIDDEN)
        twin = next(
            (other for other in sorted(names) if other != key and names[other].casefold() == name.casefold()), None
        )
        if not name:
            problems[key] = "a field of the Anki cards needs a name"
        elif forbidden:
            problems[key] = f"Anki field names cannot contain {' '.join(forbidden)}"
        elif name.casefold() in ANKI_SPECIAL_FIELDS:
            problems[key] = f"'{name}' is a name Anki reserves for its own use; choose another"
        elif twin is not None:
            problems[key] = f"'{name}' is also the name of {twin}: each field of the Anki cards needs its own name"
    return problems


def override_problems(key: str, value: object) -> str | None:
    """Why a `labels:` entry of library.yaml cannot be used, or None if it can."""
    english = _catalogue(FALLBACK)
    if key not in english:
        import difflib

        close = difflib.get_close_matches(key, sorted(english), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return f"'{key}' is not a label exporter prints{hint}"
    if isinstance(value, Mapping):
        unknown = sorted(set(map(str, value)) - set(PLURAL_FORMS))
        if unknown:
            return f"plural forms are {', '.join(PLURAL_FORMS)}, not {', '.join(unknown)}"
        if not all(isinstance(text, str) for text in value.values()):
            return "each plural form must be a text"
    elif not isinstance(value, str):
        return "expected a text"
    for text in value.values() if isinstance(value, Mapping) else [value]:
        broken = _unbalanced_braces(text)
        if broken:
            return broken
    extra = template_fields(value) - template_fields(english[key])
    if extra:
        allowed = ", ".join(f"{{{name}}}" for name in sorted(template_fields(english[key]))) or "none"
        return f"unknown field {', '.join(f'{{{name}}}' for name in sorted(extra))} (this label has {allowed})"
    return None
