"""A paragraph's words, with the language's rules for breaking between and inside them.

`words_of` turns a ReportLab paragraph's fragments into words (pieces of text in their fonts,
whether a line may end before each, and where each may be hyphenated). Rules every break keeps:

- no break after a one-letter word in the languages whose typesetting forbids it (Russian
  "в доме", Czech "k domu"): the space still stretches;
- a number stays with the word before it ("phase 1"), and no line starts with a dash;
- a hyphen leaves at least two letters before it and three after it, and the last word of a
  paragraph keeps at least four letters on the last line (no "cli-/ent.").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle

from exporter.text.languages import base_language

#: Style attribute naming the library's language (for its line-breaking rules).
LANGUAGE_ATTRIBUTE = "exporter_language"
#: Languages whose typesetting never leaves a one-letter word at the end of a line.
NO_ONE_LETTER_AT_LINE_END = frozenset({"ru", "uk", "be", "bg", "cs", "sk", "pl", "sl", "sr", "hr", "mk"})
#: The last word of a paragraph keeps this many letters on its line when it is hyphenated.
LAST_WORD_TAIL = 4

_BREAKABLE_SPACE = re.compile("[ \t\n\r]")
_DASHES = "\u2014\u2013\u2012\u2015"
_PLAIN_FRAG_ATTRIBUTES = ("cbDefn", "lineBreak", "backColor", "link", "us_lines", "rise")


@dataclass(slots=True)
class Word:
    """A word: its pieces (frag, text), the frag of the space before it, whether a line may
    break at that space, and where inside the word a hyphen may go (character offsets)."""

    pieces: list[tuple[Any, str]] = field(default_factory=list)
    space: Any = None
    breakable: bool = True
    hyphens: tuple[int, ...] = ()

    @property
    def text(self) -> str:
        return "".join(text for _, text in self.pieces)


def can_set(frags: list[Any], style: ParagraphStyle) -> bool:
    """Whether the paragraph is plain text in a justified or flush-left style (all body text is)."""
    if style.alignment not in (TA_JUSTIFY, TA_LEFT) or getattr(style, "endDots", None) or style.wordWrap:
        return False
    for frag in frags:
        if not hasattr(frag, "text") or any(getattr(frag, name, None) for name in _PLAIN_FRAG_ATTRIBUTES):
            return False
    return bool(frags)


def words_of(frags: list[Any], style: ParagraphStyle) -> list[Word]:
    """The paragraph's words, with the language's no-break rules and hyphenation points."""
    language, hyphenate, shortest = word_rules(style)
    if len(frags) == 1:  # most paragraphs: one font throughout
        frag = frags[0]
        texts, breakables = skeleton_of(frag.text, language)
        words = [Word([(frag, text)], frag, breakable) for text, breakable in zip(texts, breakables, strict=True)]
        if words:
            words[0].space = None
        if hyphenate is not None:
            last = len(words) - 1
            for index, word in enumerate(words):
                if len(texts[index]) >= shortest:
                    word.hyphens = _hyphen_offsets(hyphenate, texts[index], LAST_WORD_TAIL if index == last else 0)
        return words
    words = [Word()]
    for frag in frags:
        for index, part in enumerate(_BREAKABLE_SPACE.split(frag.text)):
            if index and words[-1].pieces:
                words.append(Word(space=frag))
            if part:
                _add_piece(words[-1], frag, part)
    words = [word for word in words if word.pieces]
    _spaces_in_own_face(words, style.fontName)
    _rules(words, language, hyphenate, shortest)
    return words


Hyphenate = Callable[[str], Iterator[tuple[str, str]]]


def word_rules(style: ParagraphStyle) -> tuple[str, Hyphenate | None, int]:
    """The style's language (for its no-break rules), hyphenator and shortest hyphenated word."""
    language = base_language(str(getattr(style, LANGUAGE_ATTRIBUTE, "") or ""))
    hyphenate = style.hyphenationLang if callable(style.hyphenationLang) else None
    return language, hyphenate, int(getattr(style, "hyphenationMinWordLength", 5))


#: A one-frag paragraph's words (text, whether a line may end before it, hyphenation points),
#: by its text and language: a handbook sets a technique's text again for its handout.
#: How many paragraphs each paragraph cache keeps: enough for a chapter set again to fit its
#: pages; more only holds memory (a 5,000-technique handbook has a quarter of a million).
PARAGRAPHS_KEPT = 2_000
_skeletons: dict[tuple[str, str], tuple[list[str], list[bool]]] = {}


def skeleton_of(text: str, language: str) -> tuple[list[str], list[bool]]:
    """A one-frag paragraph's words and whether a line may end before each (hyphenation points
    are looked up only where a paragraph needs them: the search)."""
    key = (text, language)
    found = _skeletons.get(key)
    if found is None:
        parts = [part for part in _BREAKABLE_SPACE.split(text) if part]
        breakable = [
            not index or may_break_before(parts[index - 1], part, language) for index, part in enumerate(parts)
        ]
        if len(_skeletons) > PARAGRAPHS_KEPT:
            _skeletons.clear()
        found = _skeletons[key] = (parts, breakable)
    return found


def _rules(
    words: list[Word], language: str, hyphenate: Callable[[str], Iterator[tuple[str, str]]] | None, shortest: int
) -> None:
    """Where a line may end before each word, and where each may be hyphenated."""
    previous = ""
    last = len(words) - 1
    for index, word in enumerate(words):
        text = word.pieces[0][1] if len(word.pieces) == 1 else word.text
        if index:
            word.breakable = may_break_before(previous, text, language)
        previous = text
        if hyphenate is not None and len(word.pieces) == 1 and len(text) >= shortest:
            word.hyphens = _hyphen_offsets(hyphenate, text, LAST_WORD_TAIL if index == last else 0)


def _add_piece(word: Word, frag: Any, text: str) -> None:
    """Text in a frag added to a word: joined to the word's last piece when that is in the same
    font, size and colour (ReportLab's parser leaves "R&D" in three frags)."""
    if word.pieces:
        last, before = word.pieces[-1]
        if last is frag or look(last) == look(frag):
            word.pieces[-1] = (last, before + text)
            return
    word.pieces.append((frag, text))


def look(frag: Any) -> tuple[Any, ...]:
    return (frag.fontName, frag.fontSize, frag.textColor)


_NO_BREAK_SPACE = re.compile("(\u00a0)")


def _spaces_in_own_face(words: list[Word], face: str) -> None:
    """Spaces inside a run of a fallback font (between two emoji, a no-break space before a
    symbol) are drawn in the paragraph's own face: the emoji and symbol fonts have none."""
    clones: dict[int, Any] = {}

    def own(frag: Any) -> Any:
        if id(frag) not in clones:
            clones[id(frag)] = frag.clone(fontName=face)
        return clones[id(frag)]

    for word in words:
        if word.space is not None and word.space.fontName != face:
            word.space = own(word.space)
        if any(frag.fontName != face and "\u00a0" in text for frag, text in word.pieces):
            pieces = []
            for frag, text in word.pieces:
                if frag.fontName == face or "\u00a0" not in text:
                    pieces.append((frag, text))
                    continue
                for part in _NO_BREAK_SPACE.split(text):
                    if part:
                        pieces.append((own(frag) if part == "\u00a0" else frag, part))
            word.pieces = pieces


_offsets: dict[tuple[int, str, int], tuple[int, ...]] = {}


def _hyphen_offsets(hyphenate: Callable[[str], Iterator[tuple[str, str]]], text: str, tail: int) -> tuple[int, ...]:
    """Where text may take a hyphen, in order, leaving at least tail letters after it."""
    key = (id(hyphenate), text, tail)
    found = _offsets.get(key)
    if found is None:
        if len(_offsets) > 100_000:
            _offsets.clear()
        pairs = _pairs(hyphenate, text)
        found = _offsets[key] = tuple(
            sorted(len(head) for head, rest in pairs if not tail or sum(c.isalpha() for c in rest) >= tail)
        )
    return found


def _pairs(hyphenate: Callable[[str], Iterator[tuple[str, str]]], text: str) -> list[tuple[str, str]]:
    return [(head, tail) for head, tail in hyphenate(text) if head + tail == text]


def may_break_before(previous: str, word: str, language: str) -> bool:
    """Whether a line may end between two words (no dash opens a line, no number leaves its
    word, no one-letter word ends a line in the languages that forbid it)."""
    if word[:1] in _DASHES:
        return False
    if word[:1].isdigit() and previous[-1:].isalpha():
        return False  # "phase 1", "step 3"
    one_letter = len(previous) == 1 and previous.isalpha()
    return not (one_letter and language in NO_ONE_LETTER_AT_LINE_END)
