"""Repair text whose UTF-8 bytes were read through Windows code pages ("mojibake").

Catalogue pages arrive with emoji and dashes garbled as `πŸ”§` or `β€”`: the UTF-8 bytes of one
character were decoded byte by byte through Windows-1253 (Greek) where it defines the byte and
Windows-1252 (Western) where it does not, and the result sits among correct characters on the same
line. A whole-text re-decode (what `ftfy.fix_text` tries) fails on such mixed text, so the repair
works on the smallest unit instead: each run of characters that maps back to one well-formed UTF-8
sequence, accepted only when the character it gives is one a page plausibly contains.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Later code pages only fill bytes the earlier ones leave undefined: Windows-1253 first (the pages
# were read as Greek), Windows-1252 for its gaps, Latin-1 for bytes neither defines (they arrive as
# C1 control characters).
_CODE_PAGES = ("cp1253", "cp1252", "latin-1")

# Some Windows-1253 tables (and the pages) put the drachma sign at 0xA5 where Python has the yen.
_EXTRA_BYTES = {"\u20af": 0xA5}


def _byte_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for code_page in _CODE_PAGES:
        for byte in range(0x80, 0x100):
            try:
                character = bytes([byte]).decode(code_page)
            except UnicodeDecodeError:
                continue
            table.setdefault(character, byte)
    table.update(_EXTRA_BYTES)
    return table


_BYTE_OF = _byte_table()

# What a repaired sequence may turn into, by its length in bytes. Everything else (CJK, Thaana,
# NKo, private use...) is far more likely to be real text that happens to map to valid UTF-8.
_PLAUSIBLE: dict[int, tuple[tuple[int, int], ...]] = {
    2: ((0x00A0, 0x017F), (0x0370, 0x03FF), (0x0400, 0x04FF)),
    3: ((0x2000, 0x2BFF), (0x2E00, 0x2E7F), (0xFE00, 0xFE0F)),
    4: ((0x1F000, 0x1FAFF),),
}


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    character: str

    @property
    def length(self) -> int:
        return self.end - self.start


def _is_greek_letter(character: str) -> bool:
    return "GREEK" in unicodedata.name(character, "") and character.isalpha()


def _decode_at(text: str, start: int) -> _Candidate | None:
    """The plausible character whose garbled UTF-8 bytes begin at text[start], if any."""
    lead = _BYTE_OF.get(text[start])
    if lead is None:
        return None
    length = 2 if 0xC2 <= lead <= 0xDF else 3 if 0xE0 <= lead <= 0xEF else 4 if 0xF0 <= lead <= 0xF4 else 0
    if not length or start + length > len(text):
        return None
    raw = bytearray([lead])
    for character in text[start + 1 : start + length]:
        byte = _BYTE_OF.get(character)
        if byte is None or not 0x80 <= byte <= 0xBF:
            return None
        raw.append(byte)
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    code = ord(decoded)
    if not any(low <= code <= high for low, high in _PLAUSIBLE[length]):
        return None
    return _Candidate(start, start + length, decoded)


def _find_candidates(text: str) -> list[_Candidate]:
    found: list[_Candidate] = []
    index = 0
    while index < len(text):
        candidate = _decode_at(text, index)
        if candidate is None:
            index += 1
            continue
        found.append(candidate)
        index = candidate.end
    return found


def _inside_greek_word(text: str, candidate: _Candidate, repaired_ends: set[int]) -> bool:
    """A Greek letter that continues a real Greek word is text, not the start of two garbled bytes.

    (Three or four garbled characters are too unlikely in real Greek to need the check.)
    """
    if candidate.length != 2 or candidate.start == 0 or candidate.start in repaired_ends:
        return False
    return _is_greek_letter(text[candidate.start]) and _is_greek_letter(text[candidate.start - 1])


def _is_weak(candidate: _Candidate, text: str, starts: set[int], ends: set[int]) -> bool:
    """Two characters starting with a Greek capital, alone: as likely real Greek as garbled text."""
    if candidate.length != 2 or not _is_greek_letter(text[candidate.start]):
        return False
    return candidate.start not in ends and candidate.end not in starts


def _touches_greek_word(text: str, candidate: _Candidate) -> bool:
    return candidate.end < len(text) and _is_greek_letter(text[candidate.end])


def _accepted(text: str) -> list[_Candidate]:
    """The candidates to repair: only plausible ones, and weak ones only where strong ones prove
    the text was garbled and no real Greek word runs into them."""
    candidates = _find_candidates(text)
    starts = {c.start for c in candidates}
    ends = {c.end for c in candidates}
    kept: list[_Candidate] = []
    kept_ends: set[int] = set()
    for candidate in candidates:
        if _inside_greek_word(text, candidate, kept_ends):
            continue
        if _is_weak(candidate, text, starts, ends) and _touches_greek_word(text, candidate):
            continue
        kept.append(candidate)
        kept_ends.add(candidate.end)
    if all(_is_weak(c, text, starts, ends) for c in kept):
        return []
    return kept


def repair_mojibake(text: str) -> tuple[str, int]:
    """The text with every garbled UTF-8 sequence turned back into its character, the rest as it
    was; and how many characters were repaired."""
    accepted = _accepted(text)
    pieces: list[str] = []
    position = 0
    for candidate in accepted:
        pieces.append(text[position : candidate.start])
        pieces.append(candidate.character)
        position = candidate.end
    pieces.append(text[position:])
    return "".join(pieces), len(accepted)
