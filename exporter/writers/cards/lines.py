"""Breaking pocket-card text into lines: each word measured once, hyphenated in the library's language,
the paragraph broken all at once (exporter.pdf.lines.breaking), with the language's rules.

Cards are small and many, so their text is not laid out by ReportLab's Paragraph (markup parsing
and a string width per trial line, at every trial size). Widths scale with the type size, so a
word's width is measured once at 1 pt and reused at every size and on every card. The lines come
out as plain strings; exporter.pdf.lines.runs.draw_text draws each one with the icon-font fallback.
"""

from __future__ import annotations

import re
import unicodedata
from collections import deque
from collections.abc import Callable, Iterator
from typing import TypeVar

from exporter.pdf.glyphs.fonts import REGULAR, font_runs
from exporter.pdf.lines.breaking import BOX, FORBIDDEN, FORCED, GLUE, HYPHEN_PENALTY, PENALTY, Items, break_paragraph
from exporter.pdf.lines.first_fit import Slack, even_lines
from exporter.pdf.lines.hyphenation import drawn_head, hyphenator
from exporter.pdf.lines.runs import text_width
from exporter.pdf.lines.total_fit import RAGGED_STRETCH_EM, may_break_before
from exporter.text.languages import base_language

HYPHEN = "-"
#: The loosest line (its end this share of 3 ems short) a card sets without the search: below
#: the ratio at which the search would rather take a hyphen.
RAGGED_LOOSEST = 1.9
#: Lines are set this much narrower than the room, so rounding never lets one stick out.
WIDTH_SLACK = 0.01

Hyphenate = Callable[[str], Iterator[tuple[str, str]]]


#: Entries a setter's or fitter's memo holds before it starts afresh: every text of the few
#: techniques being fitted, not a whole library's (5,000 techniques' set texts held 400 MB).
MEMO_LIMIT = 4_000

_Memo = TypeVar("_Memo", bound=dict)  # type: ignore[type-arg]


def bounded(memo: _Memo) -> _Memo:
    """memo, emptied first once it is full (it only saves setting a text again)."""
    if len(memo) >= MEMO_LIMIT:
        memo.clear()
    return memo


class LineTooWide(Exception):
    """Not even one character of a word fits the width."""


class LineSetter:
    """Greedy line breaking with cached word widths (per face, at 1 pt) for one language."""

    def __init__(self, language: str) -> None:
        self.language = base_language(language)
        self._hyphenate: Hyphenate | None = hyphenator(language)
        self._widths: dict[str, dict[str, float]] = {}
        self._lines: dict[tuple[str, str, float, float, bool], tuple[str, ...]] = {}
        self._fallback: dict[str, bool] = {}
        #: A text's word widths (at 1 pt) and spaces, where a line may end, its slack, by text and face.
        self._measured: dict[tuple[str, str], tuple[list[float], list[float], list[bool], Slack]] = {}

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
        words = _words(text)
        if not words:
            return 0.0
        spaces = (len(words) - 1) * self.unit_width(" ", face)
        return (sum(self.unit_width(word, face) for word in words) + spaces) * size

    def lines(self, text: str, face: str, size: float, width: float, hyphenate: bool = True) -> tuple[str, ...]:
        """text broken into lines no wider than width; measured once per (text, face, size, width).
        hyphenate=False for a title: it breaks between words only.

        Raises LineTooWide if the width cannot hold even a single character.
        """
        key = (text, face, size, width, hyphenate)
        found = self._lines.get(key)
        if found is None:
            words = _words(text)
            room = (width - WIDTH_SLACK) / size
            best = self._even(words, face, room) or self._total_fit(words, face, room, hyphenate)
            found = bounded(self._lines)[key] = tuple(best or self._break(words, face, size, width - WIDTH_SLACK))
        if not found or found[0] == "":
            raise LineTooWide(text)
        return found

    def _even(self, words: list[str], face: str, room: float) -> list[str] | None:
        """The words set line by line, each line as full as it can be, when no line falls far
        short (first_fit): the total-fit search would set them so too, at many times the cost."""
        if not words:
            return None
        key = (" ".join(words), face)
        measured = self._measured.get(key)
        if measured is None:
            zeros = [0.0] * len(words)
            space = self.unit_width(" ", face)
            measured = bounded(self._measured)[key] = (
                [self.unit_width(word, face) for word in words],
                [0.0] + [space] * (len(words) - 1),
                self._breakable(words),
                Slack(zeros, zeros, zeros, zeros, RAGGED_STRETCH_EM),
            )
        breaks = even_lines(measured[0], measured[1], measured[2], room, room, measured[3], RAGGED_LOOSEST)
        if breaks is None:
            return None
        lines, start = [], 0
        for found in breaks:
            lines.append(" ".join(words[start : found.position]))
            start = found.position
        return lines

    def _breakable(self, words: list[str]) -> list[bool]:
        """Whether a line may end before each word (the language's rules)."""
        return [
            not index or may_break_before(words[index - 1], word, self.language) for index, word in enumerate(words)
        ]

    def _total_fit(self, words: list[str], face: str, room: float, hyphenate: bool) -> list[str] | None:
        """The words set flush left in lines of room (at 1 pt), all at once; None where a word is
        wider than a line (the first-fit breaker then cuts it)."""
        if not words:
            return []
        items = _ItemList()
        space = self.unit_width(" ", face)
        hyphen = self.unit_width(HYPHEN, face)
        for index, word in enumerate(words):
            if index:
                if not may_break_before(words[index - 1], word, self.language):
                    items.add(PENALTY, 0.0, FORBIDDEN, index)
                items.add(GLUE, space, 0.0, index)
            cuts = self._cuts(word) if hyphenate else []
            edges = [0, *cuts, len(word)]
            for number, (start, end) in enumerate(zip(edges, edges[1:], strict=False)):
                if number:
                    added = hyphen if drawn_head(word[:start]) != word[:start] else 0.0
                    items.add(PENALTY, added, HYPHEN_PENALTY, index, start, flagged=True)
                # The word's shaped prefix as it grows: a head is measured as drawn (kerned,
                # with its ligatures), and the pieces of an unbroken word add up to the word.
                before = self.unit_width(word[:start], face) if start else 0.0
                items.add(BOX, self.unit_width(word[:end], face) - before, 0.0, index)
        items.add(PENALTY, 0.0, FORBIDDEN, len(words))
        items.add(GLUE, 0.0, 0.0, len(words), stretch=1e6)
        items.add(PENALTY, 0.0, FORCED, len(words))
        breaks = break_paragraph(items.items(), room, room, RAGGED_STRETCH_EM)
        if breaks is None:
            return None
        lines: list[str] = []
        first, skip = 0, 0  # the line's first word, and how much of it went on the line before
        for found in breaks:
            last, cut = items.places[found.position]
            if not found.hyphenated:
                lines.append(" ".join([words[first][skip:], *words[first + 1 : last]]))
                first, skip = last, 0
            elif last == first:
                lines.append(drawn_head(words[first][skip:cut]))
                skip = cut
            else:
                lines.append(" ".join([words[first][skip:], *words[first + 1 : last], drawn_head(words[last][:cut])]))
                first, skip = last, cut
        return lines

    def _cuts(self, word: str) -> list[int]:
        """Where a dictionary lets word be hyphenated (character offsets, in order)."""
        if self._hyphenate is None or not _is_word(word):
            return []
        return sorted(len(head) for head, tail in self._hyphenate(word) if head + tail == word)

    def _break(self, text_words: list[str], face: str, size: float, width: float) -> list[str]:
        # Widths compared at 1 pt (the room scaled down), with the face's width table at hand.
        room = width / size
        space = self.unit_width(" ", face)
        known = self._widths[face]
        words = deque(text_words)
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


_BREAKABLE_SPACE = re.compile("[ \t\n\r]+")


def _words(text: str) -> list[str]:
    """The words of text: split at spaces a line may break at (a no-break space joins)."""
    return [word for word in _BREAKABLE_SPACE.split(text) if word]


class _ItemList:
    """A paragraph's items for the breaker, with the (word, character offset) each stands at."""

    def __init__(self) -> None:
        self.kinds: list[int] = []
        self.widths: list[float] = []
        self.stretches: list[float] = []
        self.penalties: list[float] = []
        self.flagged: list[bool] = []
        self.places: list[tuple[int, int]] = []

    def add(
        self,
        kind: int,
        width: float,
        penalty: float,
        word: int,
        offset: int = 0,
        flagged: bool = False,
        stretch: float = 0.0,
    ) -> None:
        self.kinds.append(kind)
        self.widths.append(width)
        self.stretches.append(stretch)
        self.penalties.append(penalty)
        self.flagged.append(flagged)
        self.places.append((word, offset))

    def items(self) -> Items:
        return Items(self.kinds, self.widths, self.stretches, [0.0] * len(self.kinds), self.penalties, self.flagged)


def _is_word(text: str) -> bool:
    """Letters (and hyphens) between punctuation: a word a dictionary can break, not an address."""
    core = text.strip(".,;:!?\"'()[]«»„“”‘’…")
    if core.startswith("-"):
        return False  # a command-line option ("--back-offset"): printed as it is typed
    return bool(core) and all(char.isalpha() or char in "-\u00ad" or unicodedata.combining(char) for char in core)
