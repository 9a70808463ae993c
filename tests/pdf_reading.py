"""Reading exporter's PDFs back as a reader would: page text without its running head and
footer, text normalised for comparison, every text of a technique, the fonts a page uses."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from pypdf.generic import DictionaryObject, IndirectObject

from exporter.model import LIST_FIELDS, Technique
from exporter.pdf.pages.document import PAGE_FRAME_FORM

MARKUP_TEXTS = [
    "<b>not bold</b>",
    "</para>",
    "R&D & co",
    "<script>alert(1)</script>",
    "{{c1::x}}",
    "‘single’ “double” \"straight\" 'apostrophe'",
]
MARKUP_TITLE = 'R&D <b>bold</b> "quoted" </para>'


def page_texts(page: Any) -> tuple[str, str, str]:
    """(the text inside the page's text frame, the page's whole text, its header and footer).

    The running header and the footer are drawn last on a page, starting with the form that
    holds what every page repeats (exporter.pdf.pages.document.PAGE_FRAME_FORM): the body text is
    everything before it.
    """
    parts: list[str] = []
    margins: list[str] = []
    decoration = False

    def operator(name: bytes, args: Any, cm: Any, tm: Any) -> None:
        nonlocal decoration
        if name == b"Do" and str(args[0]).endswith("." + PAGE_FRAME_FORM):
            decoration = True

    def visit(text: str, *_: Any) -> None:
        (margins if decoration else parts).append(text)

    full = page.extract_text(visitor_text=visit, visitor_operand_before=operator)
    return "".join(parts), full, " ".join(margins)


def squash(text: str) -> str:
    """Text for comparison: NFC, without whitespace or hyphens (hyphenation adds and breaks both).

    Normalised again after the spaces go: a combining mark typed after a space ("C \u0301")
    meets its neighbour once the space is squashed, as it does when a line break removes it."""
    squashed = re.sub(r"[\s\-\u00ad]+", "", unicodedata.normalize("NFC", text))
    return unicodedata.normalize("NFC", squashed)


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def item_texts(technique_: Technique) -> list[str]:
    texts = [technique_.title, technique_.summary, *technique_.sources]
    for name in LIST_FIELDS:
        texts += [item.text for item in technique_.items(name)]
    return texts


def fonts_of(resources: Any, seen: set[int]) -> list[DictionaryObject]:
    fonts: list[DictionaryObject] = []
    if not resources:
        return fonts
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        fonts.append(font.get_object())
    for xobject in (resources.get("/XObject") or {}).values():
        ref = xobject.indirect_reference if not isinstance(xobject, IndirectObject) else xobject
        xobject = xobject.get_object()
        key = id(xobject) if ref is None else ref.idnum
        if key not in seen:
            seen.add(key)
            fonts += fonts_of(xobject.get("/Resources"), seen)
    return fonts


def contains_in_order(haystack: list[str], needle: list[str]) -> bool:
    """needle's words appear in haystack in the same order (other words, e.g. a page footer, may
    come between them where a paragraph breaks across lines)."""
    position = 0
    for word in needle:
        try:
            position = haystack.index(word, position) + 1
        except ValueError:
            return False
    return True
