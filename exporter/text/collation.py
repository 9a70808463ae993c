"""Sort keys for titles, per language: numbers by value, letters by the language's alphabet.

"Technique 2" sorts before "Technique 10"; "Émotion" files under E, not after Z; case and
accents only decide between otherwise equal titles. The few places where a language's
alphabet differs from Unicode's order are tailored: Russian й is its own letter after и,
Ukrainian ґ, є, і, ї have their places (г ґ д е є ж з и і ї й), Spanish ñ follows n, and
German ß counts as ss. No system collation library is needed (and so none must be installed).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from functools import lru_cache

#: One element of a primary key: (0, number) for a run of digits, (1, rank) for a letter.
Element = tuple[int, float]
SortKey = tuple[tuple[Element, ...], tuple[str, ...], tuple[bool, ...], str]

#: Letters a language puts somewhere other than Unicode order, as rank = base letter + offset.
_TAILORED: dict[str, dict[str, float]] = {
    "ru": {"й": ord("и") + 0.5, "ё": float(ord("е"))},
    "uk": {
        "ґ": ord("г") + 0.5,
        "є": ord("е") + 0.5,
        "і": ord("и") + 0.3,
        "ї": ord("и") + 0.6,
        "й": ord("и") + 0.9,
    },
    "es": {"ñ": ord("n") + 0.5},
}

#: Latin letters that do not decompose into a base letter and a mark.
_BASE_LETTERS = {"đ": "d", "ø": "o", "ł": "l", "ı": "i", "ħ": "h", "ŧ": "t", "ß": "ss", "æ": "ae", "œ": "oe"}


#: One shared element per letter rank: a cached key holds references, not a pair per letter.
_LETTERS: dict[float, Element] = {}


def _letter(rank: float) -> Element:
    found = _LETTERS.get(rank)
    if found is None:
        found = _LETTERS[rank] = (1, rank)
    return found


def _language(code: str) -> str:
    return (code or "en").replace("_", "-").split("-")[0].lower()


@lru_cache(maxsize=16)
def collation_key(language: str) -> Callable[[str], SortKey]:
    """The sort key function for titles in a language (cached: one per language)."""
    tailored = _TAILORED.get(_language(language), {})
    ascii_tailored = any(letter.isascii() for letter in tailored)

    # Small: a sort computes each key once anyway; the cache serves titles sorted again by
    # each finding aid. A large one held every source's key of a 10,000-technique library.
    @lru_cache(maxsize=4096)
    def key(text: str) -> SortKey:
        if text.isascii() and not ascii_tailored:
            return _ascii_key(text)
        return general_key(text, tailored)

    return key


def general_key(text: str, tailored: dict[str, float]) -> SortKey:
    """The sort key of any text, with the language's tailored letters."""
    primary: list[Element] = []
    marks: list[str] = []
    cases: list[bool] = []
    digits = ""
    for char in unicodedata.normalize("NFC", text):
        if char.isdigit() and unicodedata.decimal(char, None) is not None:
            digits += str(unicodedata.decimal(char))
            continue
        if digits:
            primary.append((0, float(int(digits))))
            digits = ""
        lower = char.casefold()
        if len(lower) == 1 and lower in tailored:
            primary.append(_letter(tailored[lower]))
            cases.append(char != lower)
            continue
        if char.isspace():
            primary.append(_letter(0.0))  # word by word: "Stop and" before "Stopping"
            continue
        if not char.isalnum():
            continue  # punctuation and symbols do not decide the order
        decomposed = unicodedata.normalize("NFD", lower)
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        marks.append("".join(c for c in decomposed if unicodedata.combining(c)))
        cases.append(char != lower)
        for letter in _BASE_LETTERS.get(base, base).replace("ς", "σ"):
            primary.append(_letter(float(ord(letter))))
    if digits:
        primary.append((0, float(int(digits))))
    return tuple(primary), tuple(marks), tuple(cases), text


def _ascii_key(text: str) -> SortKey:
    """general_key of a text of ASCII characters only (most titles and sources), in fewer
    steps: nothing to normalise or decompose, every letter its own base with no mark."""
    primary: list[Element] = []
    cases: list[bool] = []
    digits = ""
    for char in text:
        if "0" <= char <= "9":
            digits += char
            continue
        if digits:
            primary.append((0, float(int(digits))))
            digits = ""
        if char.isspace():
            primary.append(_letter(0.0))
        elif char.isalnum():
            lower = char.lower()
            cases.append(char != lower)
            primary.append(_letter(float(ord(lower))))
    if digits:
        primary.append((0, float(int(digits))))
    return tuple(primary), ("",) * len(cases), tuple(cases), text
