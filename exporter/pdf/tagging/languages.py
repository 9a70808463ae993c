"""Which language a piece of text is in, where its letters alone say so.

A paragraph set wholly in Hebrew, Arabic or Cyrillic letters inside a library in another
script gets its own /Lang, so a screen reader switches voice. Only scripts that name one of
the label languages are guessed (Cyrillic is Ukrainian when it has a letter only Ukrainian
uses, else Russian); Latin text in a Hebrew library is left to the document's language, as
nothing in its letters tells English from German.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SCRIPTS = {"HEBREW": "he", "ARABIC": "ar", "CYRILLIC": "ru"}
_UKRAINIAN_LETTERS = frozenset("іїєґІЇЄҐ")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")
#: Any letter of those scripts (most text has none, and needs no closer look).
_GUESSED = re.compile("[\u0400-\u052f\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\ufb1d-\ufdff\ufe70-\ufefc]")


@lru_cache(maxsize=4096)
def _script(character: str) -> str:
    name = unicodedata.name(character, "")
    return name.split(" ", 1)[0]


def language_of(text: str, document_language: str) -> str:
    """text's language when all its letters are in one script that names a language other
    than the document's; else "" (the document's language holds)."""
    if not _GUESSED.search(text) or _LATIN.search(text):
        return ""  # none of those letters, or Latin ones beside them: no one script

    scripts = {_script(character) for character in text if character.isalpha()}
    if len(scripts) != 1:
        return ""
    language = _SCRIPTS.get(scripts.pop(), "")
    if language == "ru" and _UKRAINIAN_LETTERS.intersection(text):
        language = "uk"
    base = document_language.split("-", 1)[0].lower()
    if not language or base == language or (language == "ru" and base == "uk"):
        return ""
    return language
