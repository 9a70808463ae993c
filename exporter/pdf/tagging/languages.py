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


#: The script each language is written in (any other language: Latin).
_DOCUMENT_SCRIPTS = {
    **dict.fromkeys(("he", "yi"), "HEBREW"),
    **dict.fromkeys(("ar", "fa", "ur"), "ARABIC"),
    **dict.fromkeys(("ru", "uk", "bg", "be", "mk", "sr", "kk"), "CYRILLIC"),
    "el": "GREEK",
}
#: The language a word in another script is guessed to be in (Latin: English, the one Latin
#: language of the label catalogue that a library in another script quotes).
_SPAN_LANGUAGES = {"LATIN": "en", "CYRILLIC": "ru", "HEBREW": "he", "ARABIC": "ar", "GREEK": "el"}
_LETTER_RANGES = {
    "LATIN": "A-Za-z\u00c0-\u024f",
    "GREEK": "\u0370-\u03ff\u1f00-\u1fff",
    "CYRILLIC": "\u0400-\u052f",
    "HEBREW": "\u0590-\u05ff\ufb1d-\ufb4f",
    "ARABIC": "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefc",
}
#: Per document script: any letter of the other scripts (most text has none, and needs no closer look).
_OTHER_LETTERS = {
    own: re.compile("[" + "".join(ranges for script, ranges in _LETTER_RANGES.items() if script != own) + "]")
    for own in _LETTER_RANGES
}


def _document_script(document_language: str) -> str:
    return _DOCUMENT_SCRIPTS.get(document_language.split("-", 1)[0].lower(), "LATIN")


def _span_language(script: str, letters: str) -> str:
    language = _SPAN_LANGUAGES[script]
    return "uk" if language == "ru" and _UKRAINIAN_LETTERS.intersection(letters) else language


def foreign_runs(text: str, document_language: str) -> list[tuple[str, str]]:
    """text cut into (language, piece) in order: a piece of two or more letters in another
    script than the document's (with the spaces and marks between its letters) has that
    script's language, the rest "" (the language around it holds).

    Pieces joined give text back, so drawing them one after another moves no glyph.
    """
    own = _document_script(document_language)
    if not _OTHER_LETTERS[own].search(text):
        return [("", text)]
    marks: list[tuple[int, int, str]] = []  # (start, end, script) of each run of one foreign script
    for index, character in enumerate(text):
        if not character.isalpha():
            continue
        script = _script(character)
        if script == own or script not in _SPAN_LANGUAGES:
            continue
        if marks and marks[-1][2] == script and not _other_letter_between(text, marks[-1][1], index, script):
            marks[-1] = (marks[-1][0], index + 1, script)
        else:
            marks.append((index, index + 1, script))
    pieces: list[tuple[str, str]] = []
    done = 0
    for start, end, script in marks:
        letters = text[start:end]
        if sum(character.isalpha() for character in letters) < 2:
            continue  # one letter (a variable, a Greek symbol) is not a word of another language
        if start > done:
            pieces.append(("", text[done:start]))
        pieces.append((_span_language(script, letters), letters))
        done = end
    if done < len(text) or not pieces:
        pieces.append(("", text[done:]))
    return pieces


def _other_letter_between(text: str, start: int, end: int, script: str) -> bool:
    return any(character.isalpha() and _script(character) != script for character in text[start:end])


def is_right_to_left(language: str) -> bool:
    return _DOCUMENT_SCRIPTS.get(language) in ("HEBREW", "ARABIC")
