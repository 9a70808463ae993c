"""Paragraph fragments for content markup without ReportLab's markup parser.

Every content paragraph reaches ReportLab as the markup `fonts.para_text` makes: escaped text,
with a run in a fallback font (emoji, symbols, Hebrew...) inside `<font name="...">`. ReportLab
parses each one with an HTML parser, which is a tenth of a handbook's time. For markup of
exactly that shape, `plain_frags` gives the fragments the parser would give, made from one
fragment per style and font that the parser itself made (so every attribute is the parser's),
with the text put in. Any other markup (`<b>`, `<br/>`, an entity we do not write) returns
None, and the caller lets ReportLab parse it.
"""

from __future__ import annotations

import re
import weakref
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaParser

#: The whole of a para_text result: text runs and font runs, nothing else.
_PLAIN_MARKUP = re.compile(r'(?:[^<]+|<font name="[^"<>&]+">[^<]*</font>)*\Z')
_RUN = re.compile(r'<font name="([^"<>&]+)">([^<]*)</font>|([^<]+)')
#: The entities xml.sax.saxutils.escape writes; any other "&" sends the markup to the parser.
_ENTITY = re.compile(r"&(amp|lt|gt);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
_STRAY_AMPERSAND = re.compile(r"&(?!(?:amp|lt|gt);)")

_prototypes: weakref.WeakKeyDictionary[ParagraphStyle, dict[str | None, Any]] = weakref.WeakKeyDictionary()


def cleaned(markup: str) -> str:
    """The markup as ReportLab's Paragraph cleans it before parsing (lines joined, spaces collapsed)."""
    result: str = cleanBlockQuotedText(markup)
    return result


def plain_frags(markup: str, style: ParagraphStyle) -> list[Any] | None:
    """The parser's fragments for cleaned para_text markup, or None for any other markup."""
    if not markup or not _PLAIN_MARKUP.match(markup) or _STRAY_AMPERSAND.search(markup):
        return None
    frags = []
    shared_lists: dict[str, list[Any]] = {"link": [], "us_lines": []}
    for match in _RUN.finditer(markup):
        font, inner, text = match.groups()
        data = inner if text is None else text
        if not data:
            continue
        prototype = _prototype(style, font)
        if prototype is None:
            return None
        frags.append(prototype.clone(text=_ENTITY.sub(_entity, data), **shared_lists))
    return frags or None


def _entity(match: re.Match[str]) -> str:
    return _ENTITIES[match.group(1)]


def _prototype(style: ParagraphStyle, font: str | None) -> Any:
    """The fragment the parser makes for text in style (inside <font name=font>, if given)."""
    found = _prototypes.get(style)
    if found is None:
        found = _prototypes[style] = {}
    if font not in found:
        sample = "x" if font is None else f'<font name="{font}">x</font>'
        _, parsed, bullet = ParaParser().parse(sample, style)
        found[font] = parsed[0] if parsed and len(parsed) == 1 and not bullet else None
    return found[font]
