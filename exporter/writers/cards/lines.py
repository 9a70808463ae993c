"""Breaking pocket-card text into lines: each word measured once, hyphenated in the library's language.

Cards are small and many, so their text is not laid out by ReportLab's Paragraph (markup parsing
and a string width per trial line, at every trial size). Widths scale with the type size, so a
word's width is measured once at 1 pt and reused at every size and on every card. The lines come
out as plain strings; exporter.pdf.lines.runs.draw_text draws each one with the icon-font fallback.
"""

from __future__ import annotations

import unicodedata
from collections import deque
from collections.abc import Callable, Iterator

from exporter.pdf.glyphs.fonts import REGULAR, font_runs
from exporter.pdf.lines.runs import text_width
from exporter.pdf.pages.styles import hyphenator

HYPHEN = "-"
#: Lines are set this much narrower than the room, so rounding never lets one stick out.
WIDTH_SLACK = 0.01

Hyphenate = Callable[[str], Iterator[tuple[str, str]]]


class LineTooWide(Exception):
    """Not even one character of a word fits the width."""


class LineSetter:
    """Greedy line breaking with cached word widths (per face, at 1 pt) for one language."""

    def __init__(self, language: str) -> None:
        self._hyphenate: Hyphenate | None = hyphenator(language)
        self._widths: dict[str, dict[str, float]] = {}
        self._lines: dict[tuple[str, str, float, float], tuple[str, ...]] = {}
        self._fallback: dict[str, bool] = {}

    def uses_fallback(self, text: str) -> bool:
        """Whether any word of text is drawn (partly) in a fallback font such as the icons."""
        return any(self._word_uses_fallback(word) for word in text.split())

    def _word_uses_fallback(self, word: str) -> bool:
        found = self._fallback.get(word)
        if found is None:
            found = self._fallback[word] = any(font != REGULAR for font, _ in font_runs(word))
        return found

    def unit_width(self, word: str, face: str) -> float:
        """The word's width at 1 pt in face (a space included: text_width drops a lone one)."""
        widths = self._widths.get(face)
        if widths is None:
            widths = self._widths[face] = {}
        width = widths.get(word)
        if width is None:
            if word == " ":
                width = text_width("x x", 1.0, face) - 2 * text_width("x", 1.0, face)
            else:
                width = text_width(word, 1.0, face)
            widths[word] = width
        return width

    def width(self, text: str, face: str, size: float) -> float:
        words = text.split()
        if not words:
            return 0.0
        spaces = (len(words) - 1) * self.unit_width(" ", face)
        return (sum(self.unit_width(word, face) for word in words) + spaces) * size

    def lines(self, text: str, face: str, size: float, width: float) -> tuple[str, ...]:
        """text broken into lines no wider than width; measured once per (text, face, size, width).

        Raises LineTooWide if the width cannot hold even a single character.
        """
        key = (text, face, size, width)
        found = self._lines.get(key)
        if found is None:
            found = self._lines[key] = tuple(self._break(text, face, size, width - WIDTH_SLACK))
        if not found or found[0] == "":
            raise LineTooWide(text)
        return found

    def _break(self, text: str, face: str, size: float, width: float) -> list[str]:
        # Widths compared at 1 pt (the room scaled down), with the face's width table at hand.
        room = width / size
        space = self.unit_width(" ", face)
        known = self._widths[face]
        words = deque(text.split())
        lines: list[str] = []
        line: list[str] = []
        used = 0.0
        while words:
            word = words.popleft()
            word_width = known.get(word)
            if word_width is None:
                word_width = self.unit_width(word, face)
            gap = space if line else 0.0
            if used + gap + word_width <= room:
                line.append(word)
                used += gap + word_width
                continue
            split = self._hyphenated(word, face, size, (room - used - gap) * size)
            if split is not None:
                head, tail = split
                lines.append(" ".join([*line, head]))
                line, used = [], 0.0
                words.appendleft(tail)
            elif line:
                lines.append(" ".join(line))
                line, used = [], 0.0
                words.appendleft(word)
            else:
                head, tail = self._forced(word, face, size, width)
                lines.append(head)
                if tail:
                    words.appendleft(tail)
        if line:
            lines.append(" ".join(line))
        return lines

    def _hyphenated(self, word: str, face: str, size: float, room: float) -> tuple[str, str] | None:
        """The longest dictionary break of word whose head (with its hyphen) fits room."""
        if self._hyphenate is None or room <= 0 or not _is_word(word):
            return None
        for head, tail in self._hyphenate(word):
            shown = head if head.endswith(HYPHEN) else head + HYPHEN
            if self.unit_width(shown, face) * size <= room:
                return shown, tail
        return None

    def _forced(self, word: str, face: str, size: float, width: float) -> tuple[str, str]:
        """A word wider than a line (an address, a code): cut where the most characters fit."""
        low, high = 1, len(word)
        while low < high:
            middle = (low + high + 1) // 2
            if self.unit_width(word[:middle], face) * size <= width:
                low = middle
            else:
                high = middle - 1
        if self.unit_width(word[:low], face) * size > width:
            return "", ""  # lines() reports it
        # Never leave a combining mark at the start of the next line, away from its letter.
        while 1 < low < len(word) and unicodedata.combining(word[low]):
            low -= 1
        return word[:low], word[low:]


def _is_word(text: str) -> bool:
    """Letters (and hyphens) between punctuation: a word a dictionary can break, not an address."""
    core = text.strip(".,;:!?\"'()[]«»„“”‘’…")
    return bool(core) and all(char.isalpha() or char in "-\u00ad" or unicodedata.combining(char) for char in core)
