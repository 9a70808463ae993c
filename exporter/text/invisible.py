"""Invisible characters in content: which are removed, which are kept, which are refused.

Text is read for identity as well as for print: two titles that look the same must be the same
text (the importer matches techniques by title, ids and file names come from it), and nothing
may print differently from how it reads in the YAML file. The rule (README, "What exporter
guarantees"):

- Removed, because they draw nothing and would only make equal-looking texts differ: the soft
  hyphen U+00AD (ReportLab would print it as a visible hyphen; line breaking finds its own
  hyphenation points), zero-width space U+200B, word joiner U+2060, U+FEFF inside text, the
  Mongolian vowel separator U+180E, the invisible maths operators U+2061-U+2064, and the
  direction marks U+200E, U+200F, U+061C (Hebrew and Arabic are shown right to left by their
  letters alone). Variation selectors (U+FE0E, U+FE0F) are kept.
- Zero-width joiner U+200D and non-joiner U+200C are kept where they change what is drawn: the
  joiner inside an emoji sequence (🧘‍♀️, ❤️‍🩹, 👩🏽‍⚕️), either of them between letters of a script
  whose letters join (Arabic, Persian, Syriac, N'Ko, Mongolian, the Indic scripts). Anywhere
  else (between Latin letters, at the edge of a word) they are removed.
- Refused, with the character named: the bidirectional embeddings, overrides and isolates
  U+202A-U+202E and U+2066-U+2069. They reorder how text is shown (U+202E prints "use" as
  "esu"), and PDF readers and Anki would not agree on the order.
- A text with nothing visible once these are removed (only spaces, combining marks or other
  invisible characters) is refused as empty.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

REMOVED = re.compile("[\u00ad\u200b\u2060\ufeff\u180e\u2061-\u2064\u200e\u200f\u061c]")
JOINERS = re.compile("[\u200c\u200d]")
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")

ZWJ = "\u200d"
#: What may sit between an emoji and the joiner: variation selectors, skin tones, keycap, tags.
_EMOJI_TRAILERS = re.compile("[\ufe0e\ufe0f\U0001f3fb-\U0001f3ff\u20e3\U000e0020-\U000e007f]+$")
#: Scripts whose letters join or form conjuncts, where the joiners choose the letter forms.
_JOINING_SCRIPTS = frozenset(
    "ARABIC SYRIAC NKO MONGOLIAN MANDAIC DEVANAGARI BENGALI GURMUKHI GUJARATI ORIYA TAMIL TELUGU KANNADA "
    "MALAYALAM SINHALA".split()
)


def clean_invisible(text: str) -> str:
    """text without the invisible characters that change nothing (see the module's rule)."""
    text = REMOVED.sub("", text)
    if not JOINERS.search(text):
        return text
    kept: list[str] = []
    for index, character in enumerate(text):
        if character in "\u200c\u200d" and not _joiner_does_something(text, index):
            continue
        kept.append(character)
    return "".join(kept)


def bidi_control(text: str) -> str | None:
    """The first bidirectional control character in text, which content may not contain."""
    found = BIDI_CONTROLS.search(text)
    return found.group() if found else None


def has_visible(text: str) -> bool:
    """True when something in text draws: a letter, digit, punctuation mark or symbol.

    A character newer than Python's Unicode tables (3.11 knows Unicode 14: 🫨 and 🪼 are 15.0)
    counts as visible; whether a font draws it is the glyph check's to say.
    """
    return any(unicodedata.category(character)[0] in "LNPS" or _unassigned(character) for character in text)


def _unassigned(character: str) -> bool:
    """Not yet assigned in Python's tables (and not a noncharacter, which never will be)."""
    code = ord(character)
    noncharacter = 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE
    return unicodedata.category(character) == "Cn" and not noncharacter


def _joiner_does_something(text: str, index: int) -> bool:
    before, after = text[:index], text[index + 1 :]
    if not before or not after:
        return False
    if text[index] == ZWJ and _is_emoji(_EMOJI_TRAILERS.sub("", before)[-1:]) and _is_emoji(after[0]):
        return True
    return _joins(before[-1]) and _joins(after[0])


def _is_emoji(character: str) -> bool:
    if not character:
        return False
    code = ord(character)
    return unicodedata.category(character) == "So" or 0x1F000 <= code <= 0x1FAFF or character in _emoji_parts()


@lru_cache(maxsize=1)
def _emoji_parts() -> frozenset[str]:
    """Every character of the emoji sequences the bundled emoji font draws (↔ in 🙂‍↔️ is a maths sign)."""
    from exporter.text.emoji_sequences import emoji_table

    return frozenset("".join(emoji_table().sequences))


def _joins(character: str) -> bool:
    if unicodedata.category(character)[0] not in "LM":
        return False
    name = unicodedata.name(character, "")
    return name.split(" ", 1)[0] in _JOINING_SCRIPTS
