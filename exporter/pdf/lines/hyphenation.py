"""Where a word may be hyphenated: pyphen's patterns, the better of them for English, and a
list of exceptions where the patterns break a common word badly.

One entry point for every writer (`hyphenator`), cards too.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from functools import lru_cache

#: Hyphenation keeps at least this many letters before and after a break.
HYPHEN_LEFT = 2
HYPHEN_RIGHT = 3
#: Shorter words are never hyphenated (they cannot leave 2 + 3 letters and look well).
HYPHENATE_FROM_LETTERS = 6


#: The dictionary for a word in a script other than the library's own (an English source in a
#: Russian library, a Greek term in an English one).
SCRIPT_DICTIONARIES = {"Latn": "en_US", "Cyrl": "ru", "Grek": "el"}
#: pyphen's "en" is its British patterns, which break many words where no dictionary does
#: ("perspect-ive", "therap-ist", "interpret-ation"); its American ones (from TeX) do not.
PREFERRED_DICTIONARIES = {"en": "en_US"}
#: Words the patterns still break badly, as a dictionary breaks them ("research" not at all:
#: "re-search" reads as searching again).
EXCEPTIONS = {
    "research": "research",
    "researcher": "re-search-er",
    "researchers": "re-search-ers",
    "therapist": "ther-a-pist",
    "therapists": "ther-a-pists",
    "perspective": "per-spec-tive",
    "perspectives": "per-spec-tives",
    "interpretation": "in-ter-pre-ta-tion",
    "interpretations": "in-ter-pre-ta-tions",
    "client": "client",
    "clients": "clients",
    "present": "present",
    "record": "record",
    "project": "project",
    "progress": "progress",
}
#: Languages written in Cyrillic or Greek (any other library language is taken as Latin script).
LANGUAGE_SCRIPTS = {"ru": "Cyrl", "uk": "Cyrl", "bg": "Cyrl", "be": "Cyrl", "mk": "Cyrl", "sr": "Cyrl", "el": "Grek"}


def word_script(word: str) -> str | None:
    """Latn, Cyrl or Grek: the script of a word's first letter (None for any other script)."""
    for char in word:
        if not char.isalpha():
            continue
        code = ord(char)
        if code < 0x250 or 0x1E00 <= code < 0x1F00:
            return "Latn"
        if 0x400 <= code < 0x530:
            return "Cyrl"
        if 0x370 <= code < 0x400 or 0x1F00 <= code < 0x2000:
            return "Grek"
        return None
    return None


#: Letters ReportLab may hyphenate a word of, beyond its own list: its list (platypus.paragraph
#: `_hy_letters`) has Latin and the 64 basic Russian letters only, so without these a Greek word,
#: or a Russian or Ukrainian one with ё, і, ї, є or ґ, never reaches the dictionary.
EXTRA_HYPHEN_LETTERS = "\u0300-\u036f\u0370-\u03ff\u0400-\u052f\u1f00-\u1fff"


def _let_reportlab_hyphenate_every_script() -> None:
    import re

    from reportlab.platypus import paragraph

    letters = paragraph._hy_letters + EXTRA_HYPHEN_LETTERS
    paragraph._hy_letters_pat = re.compile(f"^[{letters}]+$")
    paragraph._hy_shy_letters_pat = re.compile(f"^[{paragraph._hy_shy}{letters}]+$")


_let_reportlab_hyphenate_every_script()


@lru_cache(maxsize=8)
def hyphenator(language: str) -> Callable[[str], Iterator[tuple[str, str]]] | None:
    """A ReportLab hyphenation callable for the library's language, if pyphen has it.

    Every break leaves at least HYPHEN_LEFT letters before it and HYPHEN_RIGHT after it
    ("hypoth-esis", never "hypothes-is"). A word in another script than the language's own is
    broken with that script's dictionary (SCRIPT_DICTIONARIES). The one entry point for every
    writer (cards too).
    """
    import pyphen

    found = _dictionary_name(language)
    if not found:
        return None
    own_script = LANGUAGE_SCRIPTS.get(found.split("_")[0], "Latn")
    names = {script: name for script, name in SCRIPT_DICTIONARIES.items() if script != own_script}
    names[own_script] = found
    dictionaries: dict[str, pyphen.Pyphen] = {}

    def dictionary_for(script: str) -> pyphen.Pyphen:
        if script not in dictionaries:
            dictionaries[script] = pyphen.Pyphen(lang=names[script], left=HYPHEN_LEFT, right=HYPHEN_RIGHT)
        return dictionaries[script]

    @lru_cache(maxsize=8192)
    def pairs(word: str) -> tuple[tuple[str, str], ...]:
        if _is_address(word):
            return _address_breaks(word)
        if any(char in OWN_HYPHENS for char in word):
            # As in TeX: a compound breaks at its own hyphens only ("Mentalization-/Based",
            # never "Mentaliza-/tion-Based", whose second hyphen reads as part of the word).
            return tuple(
                (word[: end + 1], word[end + 1 :])
                for end in range(len(word) - 1, -1, -1)
                if word[end] in OWN_HYPHENS and _keeps_letters(word[: end + 1], word[end + 1 :])
            )
        own = {pair for pair in _dictionary_pairs(word) if not pair[1].startswith(BREAKS_WITHOUT_HYPHEN)}
        return tuple(sorted(own, key=lambda pair: -len(pair[0])))

    def _dictionary_pairs(word: str) -> tuple[tuple[str, str], ...]:
        letters = sum(char.isalpha() for char in word)
        script = word_script(word)
        if letters < HYPHENATE_FROM_LETTERS or script is None:
            return ()
        if script == "Latn" and names["Latn"].startswith("en"):
            listed = _listed_pairs(word)
            if listed is not None:
                return tuple(pair for pair in listed if _keeps_letters(*pair))
        return tuple(pair for pair in dictionary_for(script).iterate(word) if _keeps_letters(*pair))

    def hyphenate(word: str) -> Iterator[tuple[str, str]]:
        return iter(pairs(word))

    return hyphenate


#: Hyphens written in a word (hyphen-minus and the hyphen).
OWN_HYPHENS = "-\u2010"
#: A line broken after one of these ends with it and takes no hyphen ("self-/disclosure", "doi.org/").
BREAKS_WITHOUT_HYPHEN = (*OWN_HYPHENS, "/")


def drawn_head(head: str) -> str:
    """How the part of a broken word that ends a line is drawn: with a hyphen, unless it ends with one."""
    return head if head.endswith(BREAKS_WITHOUT_HYPHEN) else head + "-"


def _is_address(word: str) -> bool:
    """A web address or a path: broken only after its slashes, never with an added hyphen."""
    return "://" in word or word.startswith("www.") or word.count("/") >= 2


def _address_breaks(word: str) -> tuple[tuple[str, str], ...]:
    """After each slash that neither doubles another (the "//" of "https://") nor leaves fewer
    than three characters on either side."""
    return tuple(
        (word[:end], word[end:])
        for end in range(3, len(word) - 2)
        if word[end - 1] == "/" and word[end] != "/" and word[end - 2] != "/"
    )


def _keeps_letters(head: str, tail: str) -> bool:
    """pyphen counts characters; punctuation stuck to a word ("therapy,") is not a letter, and
    a break never parts a letter from the accent that follows it (G + U+0327 is one letter)."""
    if not tail or unicodedata.combining(tail[0]):
        return False
    return sum(c.isalpha() for c in head) >= HYPHEN_LEFT and sum(c.isalpha() for c in tail) >= HYPHEN_RIGHT


def _dictionary_name(language: str) -> str | None:
    import pyphen

    if not language:
        return None
    code = language.replace("-", "_")
    return PREFERRED_DICTIONARIES.get(code) or pyphen.language_fallback(code)


def _listed_pairs(word: str) -> list[tuple[str, str]] | None:
    """The breaks of a word in EXCEPTIONS (punctuation stuck to it kept), last first as pyphen gives them."""
    start = next((i for i, c in enumerate(word) if c.isalpha()), len(word))
    end = len(word) - next((i for i, c in enumerate(reversed(word)) if c.isalpha()), len(word))
    listed = EXCEPTIONS.get(word[start:end].casefold())
    if listed is None:
        return None
    pairs, offset = [], start
    for syllable in listed.split("-")[:-1]:
        offset += len(syllable)
        pairs.append((word[:offset], word[offset:]))
    return pairs[::-1]
