"""Repair text whose UTF-8 bytes were read through older code pages ("mojibake").

Two kinds reach the importer:

- Greek/Western: emoji and dashes garbled as `πŸ”§` or `β€”`: the UTF-8 bytes of one character
  were decoded byte by byte through Windows-1253 (Greek) where it defines the byte and
  Windows-1252 (Western) where it does not, and the result sits among correct characters on the
  same line. The repair works on the smallest unit: each run of characters that maps back to one
  well-formed UTF-8 sequence, accepted only when the character it gives is one a page plausibly
  contains.
- Cyrillic: a whole page shown through Windows-1251, KOI8-R, CP866 or Mac Cyrillic
  (`РџРѕР·РёС†РёСЏ`). Each run of non-ASCII characters is read back through the code page that
  explains the page best (see repair_cyrillic_mojibake).

Why not ftfy: measured on our fixtures, ftfy 6.3 repairs Windows-1251 but not KOI8-R, CP866 or
Mac Cyrillic (it has no such decoders), leaves the seed page's mixed `πŸ”§`/`β€”` unrepaired, and
by default straightens curly quotes in correct text; it also repairs text garbled twice silently,
where the importer must refuse it. So this module stays, extended.
"""

from __future__ import annotations

import re
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
    length = _utf8_length(lead) if lead is not None else 0
    if not length or start + length > len(text):
        return None
    decoded = _as_utf8(text[start : start + length], _BYTE_OF)
    if decoded is None:
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


def _repair_greek_and_western(text: str) -> tuple[str, int]:
    """Each garbled sequence of the Windows-1253/1252 kind turned back into its character."""
    accepted = _accepted(text)
    pieces: list[str] = []
    position = 0
    for candidate in accepted:
        pieces.append(text[position : candidate.start])
        pieces.append(candidate.character)
        position = candidate.end
    pieces.append(text[position:])
    return "".join(pieces), len(accepted)


# Cyrillic pages: the whole page went through one Cyrillic code page, so every non-ASCII character
# is garbled ("РџРѕР·РёС†РёСЏ" for "Позиция"). Real Russian or Ukrainian text almost never forms
# well-formed UTF-8 when encoded in these code pages, so a run of non-ASCII characters is repaired
# when it decodes as a whole; runs that do not (a garbled word next to an intact « or •) are
# repaired piece by piece, but only on a page that the whole-run repairs prove garbled.
_CYRILLIC_CODE_PAGES = ("cp1251", "koi8_r", "cp866", "mac_cyrillic")
_NON_ASCII_RUN = re.compile("[^\x00-\x7f]+")

# What a Cyrillic-code-page repair may give: Russian, Ukrainian and Belarusian letters, Latin and
# Greek letters, punctuation, common symbols and emoji; never box drawing, Braille or rare scripts.
_CYRILLIC_LETTERS = frozenset(
    [*range(0x0410, 0x0450), 0x0401, 0x0451, 0x0404, 0x0454, 0x0406, 0x0456, 0x0407, 0x0457, 0x0490, 0x0491]
    + [0x040E, 0x045E]
)
_CYRILLIC_PASS_RANGES = (
    (0x00A0, 0x017F),
    (0x0391, 0x03C9),
    (0x2010, 0x2027),
    (0x2030, 0x205E),
    (0x20A0, 0x20BF),
    (0x2100, 0x214F),
    (0x2190, 0x21FF),
    (0x2600, 0x27BF),
    (0x2B00, 0x2BFF),
    (0x200D, 0x200D),
    (0xFE0F, 0xFE0F),
    (0x1F000, 0x1FAFF),
)


def _single_code_page_table(code_page: str) -> dict[str, int]:
    """character -> byte for one code page; a byte it leaves undefined arrives as its C1 control."""
    table: dict[str, int] = {}
    for byte in range(0x80, 0x100):
        try:
            table[bytes([byte]).decode(code_page)] = byte
        except UnicodeDecodeError:
            table[chr(byte)] = byte
    return table


_CYRILLIC_TABLES = {code_page: _single_code_page_table(code_page) for code_page in _CYRILLIC_CODE_PAGES}


def _is_plausible_piece(decoded: str) -> bool:
    return all(
        ord(c) in _CYRILLIC_LETTERS or any(low <= ord(c) <= high for low, high in _CYRILLIC_PASS_RANGES)
        for c in decoded
    )


# A whole run may also give the characters of the code pages themselves: a page garbled twice
# comes back, after one repair, as the garbled text of the first time ("РџРѕ", "п÷п╬"), which
# still_garbled() then recognises.
_WHOLE_RUN_EXTRA = frozenset(
    [ord(c) for table in _CYRILLIC_TABLES.values() for c in table] + list(range(0x0400, 0x0460))
)


def _is_plausible_run(decoded: str) -> bool:
    return all(ord(c) in _WHOLE_RUN_EXTRA or _is_plausible_piece(c) for c in decoded)


def _utf8_length(lead: int) -> int:
    """How many bytes a UTF-8 sequence that starts with this byte has (0: not a lead byte)."""
    return 2 if 0xC2 <= lead <= 0xDF else 3 if 0xE0 <= lead <= 0xEF else 4 if 0xF0 <= lead <= 0xF4 else 0


def _as_utf8(chars: str, table: dict[str, int]) -> str | None:
    """chars as bytes of the code page, read as UTF-8; None unless they are whole UTF-8.

    Real words stop at their first or second character (no lead byte, or no continuation byte
    after one), so the bytes are checked for UTF-8's shape while they are collected.
    """
    raw = bytearray()
    pending = 0  # continuation bytes the current sequence still needs
    for character in chars:
        byte = table.get(character)
        if byte is None:
            return None
        if pending:
            if not 0x80 <= byte <= 0xBF:
                return None
            pending -= 1
        else:
            pending = _utf8_length(byte) - 1
            if pending < 0:
                return None
        raw.append(byte)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _decode_through(run: str, table: dict[str, int], whole: bool) -> str | None:
    """run's characters as bytes of the code page, read as UTF-8; None unless that is plausible text."""
    decoded = _as_utf8(run, table)
    if decoded is None:
        return None
    return decoded if (_is_plausible_run if whole else _is_plausible_piece)(decoded) else None


def _decode_pieces(run: str, table: dict[str, int]) -> tuple[str, int]:
    """run with every decodable UTF-8 sequence inside it repaired; and how many characters were."""
    pieces: list[str] = []
    repaired = 0
    index = 0
    while index < len(run):
        length = _utf8_length(table.get(run[index], 0))
        decoded = _decode_through(run[index : index + length], table, whole=False) if length else None
        if decoded is None or len(decoded) != 1:
            pieces.append(run[index])
            index += 1
            continue
        pieces.append(decoded)
        repaired += 1
        index += length
    return "".join(pieces), repaired


@dataclass(frozen=True)
class _CyrillicRepair:
    text: str
    repaired: int
    proven: bool  # some run of several characters decoded as a whole


_NO_BREAK_SPACE = "\xa0"


def _with_lost_space(
    text: str, runs: list[tuple[int, int]], index: int, table: dict[str, int]
) -> tuple[int, str] | None:
    """(end, repair) of runs[index] read with the plain space after it as a no-break space, joined
    to the run after that space when together they decode; None if that does not decode either.

    Windows-1251 shows byte A0 (the second byte of "Р", D0 A0, and of "⚠") and KOI8-R byte 9A (of
    "К") as a no-break space, and browsers copy a no-break space as a plain one.
    """
    start, end = runs[index]
    for following in range(index, min(index + 4, len(runs))):
        end = runs[following][1]
        if text[end : end + 1] != " ":
            return None
        joins_next = following + 1 < len(runs) and runs[following + 1][0] == end + 1
        if joins_next:
            together = _decode_through(text[start : runs[following + 1][1]].replace(" ", _NO_BREAK_SPACE), table, True)
            if together is not None:
                return runs[following + 1][1], together
        alone = _decode_through(text[start : end + 1].replace(" ", _NO_BREAK_SPACE), table, True)
        if alone is not None:
            return end + 1, alone
        if not joins_next:
            return None
    return None


def _repair_through(text: str, table: dict[str, int]) -> _CyrillicRepair:
    runs = [(match.start(), match.end()) for match in _NON_ASCII_RUN.finditer(text)]
    whole = {start: _decode_through(text[start:end], table, whole=True) for start, end in runs}
    if not any(decoded is not None and len(decoded) >= 2 for decoded in whole.values()):
        return _CyrillicRepair(text, 0, False)
    pieces: list[str] = []
    repaired = 0
    position = 0
    index = 0
    while index < len(runs):
        start, end = runs[index]
        pieces.append(text[position:start])
        decoded = whole[start]
        joined = (
            None if decoded is not None or _NO_BREAK_SPACE not in table else _with_lost_space(text, runs, index, table)
        )
        if decoded is not None:
            pieces.append(decoded)
            repaired += len(decoded)
        elif joined is not None:
            end, decoded = joined
            pieces.append(decoded)
            repaired += len(decoded)
            while index + 1 < len(runs) and runs[index + 1][0] < end:
                index += 1
        else:
            fixed, count = _decode_pieces(text[start:end], table)
            pieces.append(fixed)
            repaired += count
        position = end
        index += 1
    pieces.append(text[position:])
    return _CyrillicRepair("".join(pieces), repaired, True)


def repair_cyrillic_mojibake(text: str) -> tuple[str, int]:
    """text read back through the Cyrillic code page that garbled it, if one did; and how many
    characters were repaired."""
    best: _CyrillicRepair | None = None
    for table in _CYRILLIC_TABLES.values():
        attempt = _repair_through(text, table)
        if attempt.proven and (best is None or attempt.repaired > best.repaired):
            best = attempt
    if best is None:
        return text, 0
    return best.text, best.repaired


def repair_mojibake(text: str) -> tuple[str, int]:
    """The text with every garbled UTF-8 sequence turned back into its character, the rest as it
    was; and how many characters were repaired."""
    text, cyrillic = repair_cyrillic_mojibake(text)
    text, greek_and_western = _repair_greek_and_western(text)
    return text, cyrillic + greek_and_western


def still_garbled(text: str) -> str | None:
    """After a repair: a line that one more repair would still change (text garbled twice), or None."""
    for line in text.split("\n"):
        if repair_mojibake(line)[1]:
            return line
    return None
