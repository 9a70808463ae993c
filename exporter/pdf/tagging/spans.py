"""Words in another language inside a paragraph's line: each drawn as a Span of its own.

A Russian word in an English sentence, Hebrew in a mixed paragraph: the text object a
paragraph draws its lines with cuts each piece of text it puts out where the script changes
(exporter.pdf.tagging.languages.foreign_runs) and draws a foreign piece in marked content of
a Span element, a kid of the paragraph's element, that carries the piece's /Lang. The pieces
are shown one after another with the same operators, so no glyph moves.
"""

from __future__ import annotations

import re

from reportlab.pdfgen.textobject import PDFTextObject

from exporter.pdf.glyphs.glyphcodes import FIRST_CODE, text_of
from exporter.pdf.tagging.languages import foreign_runs, is_right_to_left
from exporter.pdf.tagging.marking import open_element, tree_of
from exporter.pdf.tagging.structure import Element

_GLYPH_CODE = re.compile(f"[{chr(FIRST_CODE)}-\U0010ffff]")


class LanguageSpans(PDFTextObject):  # type: ignore[misc]
    """A text object that draws words in another language than their element's as Spans."""

    def _formatText(self, text: str) -> str:  # noqa: N802 (ReportLab's name)
        tree = tree_of(self._canvas)
        element = open_element(self._canvas)
        if tree is None or element is None or not text:
            return str(super()._formatText(text))
        pieces = foreign_runs(_letters(text), _language_of(element, tree.lang))
        if len(pieces) == 1 and not pieces[0][0]:
            return str(super()._formatText(text))
        out: list[str] = []
        start = 0
        for language, letters in pieces:
            piece, start = text[start : start + len(letters)], start + len(letters)
            if not language:
                out.append(super()._formatText(piece))
                continue
            # Right-to-left words are drawn in visual order: the Span says them as written.
            span = tree.child(
                element, "Span", language, actual_text=_reading_order(piece) if is_right_to_left(language) else ""
            )
            out.append(f"EMC /Span <</MCID {tree.new_content(span)}>> BDC")
            out.append(super()._formatText(piece))
            out.append(f"EMC /{element.role} <</MCID {tree.new_content(element)}>> BDC")
        return " ".join(out)


def _language_of(element: Element, document_language: str) -> str:
    """The language element's text is in: its own, its nearest ancestor's, or the document's."""
    current: Element | None = element
    while current is not None:
        if current.lang:
            return current.lang
        current = current.parent
    return document_language


def _letters(text: str) -> str:
    """text with each shaped glyph (a private code) as the first character it stands for, so
    its script shows (same length, character for character)."""
    return _GLYPH_CODE.sub(_first_letter, text)


def _first_letter(match: re.Match[str]) -> str:
    code = match.group()
    return (text_of(ord(code)) or code)[:1]


def _reading_order(piece: str) -> str:
    """A right-to-left piece as drawn (visual order, shaped glyphs as private codes) back in reading order."""
    return "".join(text_of(ord(character)) or character for character in reversed(piece))
