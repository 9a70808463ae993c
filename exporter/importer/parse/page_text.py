"""A page file -> clean text: its encoding found, line ends unified, mojibake repaired, NFC."""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from exporter.content.yaml_nodes import MAX_FILE_BYTES
from exporter.errors import Problem
from exporter.importer.parse.mojibake import repair_mojibake, still_garbled
from exporter.text.invisible import clean_invisible

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_SEPARATORS = re.compile("[\u2028\u2029]")


def read_page_text(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """The page as text, or the problem that stops reading it (empty, binary, too big...)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [Problem(display, 1, "page", f"file is {size:,} bytes; a catalogue page is a few kilobytes")]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(display, 1, "page", f"cannot read: {exc.strerror or exc}")]
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16"), []
        except UnicodeDecodeError:
            return None, [Problem(display, 1, "page", "file claims to be UTF-16 but is not; save it as UTF-8")]
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    if b"\x00" in raw:
        text = _utf16_without_bom(raw)
        if text is not None:
            return text, [Problem(display, 1, "page", "UTF-16 without a byte order mark; read it as UTF-16", "warning")]
        return None, [Problem(display, 1, "page", "this is a binary file, not a text page")]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        found = _legacy_encoding(raw)
        if found is None:
            return None, [Problem(display, line, "page", "not text: the file is neither UTF-8 nor Windows-1252")]
        text, name = found
        return text, [Problem(display, line, "page", f"not UTF-8; read it as {name}", "warning")]


def _utf16_without_bom(raw: bytes) -> str | None:
    """Text saved as UTF-16 with no byte order mark (a NUL beside nearly every ASCII letter)."""
    if len(raw) < 4 or len(raw) % 2:
        return None
    for codec, zeros in (("utf-16-le", raw[1::2]), ("utf-16-be", raw[0::2])):
        if zeros.count(0) >= 0.6 * len(zeros):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                continue
            if all(c.isprintable() or c in "\r\n\t" for c in text):
                return text
    return None


#: Older encodings a page may be saved in, Western first (it wins a tie); the one whose text has the
#: most catalogue headings is the page's.
_LEGACY_ENCODINGS = (
    ("cp1252", "Windows-1252 (Western)"),
    ("cp1251", "Windows-1251 (Cyrillic)"),
    ("koi8_r", "KOI8-R (Cyrillic)"),
    ("cp866", "CP866 (Cyrillic, DOS)"),
    ("mac_cyrillic", "Mac Cyrillic"),
)


def _legacy_encoding(raw: bytes) -> tuple[str, str] | None:
    """raw decoded with the older encoding under which it reads as a catalogue page, and its name."""
    from exporter.importer.parse.headings import headings_found

    best: tuple[str, str] | None = None
    best_score = -1
    for codec, name in _LEGACY_ENCODINGS:
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        score = headings_found(text.replace("\r", "\n").split("\n"))
        if score > best_score:
            best, best_score = (text, name), score
    return best


def clean_page_text(text: str, display: str) -> tuple[str, int, list[Problem]]:
    """Line ends unified, mojibake repaired, NFC; control characters dropped with a warning.

    Returns the text, how many garbled characters were repaired, and the problems. A page that is
    still garbled after the repair (it was garbled twice) is an error: repairing it again would be
    guessing.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    text = _LINE_SEPARATORS.sub(" ", clean_invisible(text))
    text, repaired = repair_mojibake(text)
    problems = _double_mojibake(text, display) if repaired else []
    text = unicodedata.normalize("NFC", text)
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if "\ufffd" in line:
            problems.append(
                Problem(
                    display, number, "page", "contains U+FFFD, the mark of a character lost before import; fix the page"
                )
            )
        control = _CONTROL.search(line)
        if control:
            problems.append(
                Problem(display, number, "page", f"control character U+{ord(control.group()):04X} removed", "warning")
            )
            lines[number - 1] = _CONTROL.sub("", line)
    return "\n".join(lines), repaired, problems


def _double_mojibake(text: str, display: str) -> list[Problem]:
    garbled = still_garbled(text)
    if garbled is None:
        return []
    number = text.split("\n").index(garbled) + 1
    shown = garbled.strip()
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    return [
        Problem(
            display,
            number,
            "page",
            f"the page was garbled twice (its text went through a wrong character set two times): after one repair "
            f"it still reads '{shown}'; it was not imported. Copy the page from the catalogue again and save it as "
            "UTF-8",
        )
    ]
