"""Page numbers drawn before they are known, so a document with cross-references lays out once.

ReportLab's usual answer to "see p. 14" and a table of contents is multiBuild, which lays the
whole document out again until the numbers stop changing (3 passes for a large handbook).
Here every page-number text is a PDF form XObject: the page draws a reference to the form
wherever the number belongs, and the form itself — the digits — is written once at the end,
when every page number is known. The numbers are right-aligned inside their form, so the
layout around them never depends on how many digits they have.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass

from reportlab.lib.colors import Color, black
from reportlab.pdfbase.pdfdoc import pdfdocEnc
from reportlab.pdfgen.canvas import Canvas

from exporter.pdf.glyphs.fonts import REGULAR
from exporter.pdf.lines.runs import draw_text, drawn_runs, text_width
from exporter.pdf.pages.forms import define_form, end_form
from exporter.pdf.tagging.marking import recording


@dataclass(frozen=True)
class _NumberText:
    """What one form shows: template filled with the page of key (or a fixed page) and the total."""

    template: str
    key: str | None
    page: int
    font_name: str
    font_size: float
    colour: Color
    #: "right": the text ends at the form's origin; "left": it starts there.
    align: str = "right"


class PageNumbers:
    """Where each anchor landed, and the forms that print page numbers once they are known."""

    def __init__(self) -> None:
        self.pages: dict[str, int] = {}
        self.total_pages = 0
        self._forms: dict[_NumberText, str] = {}
        self._names: set[str] = set()

    def record(self, key: str, page: int) -> None:
        """Remember the page an anchor (a chapter, the sources...) starts on; first one wins."""
        self.pages.setdefault(key, page)

    def draw_right(
        self,
        canv: Canvas,
        right_x: float,
        baseline_y: float,
        template: str,
        font_name: str = REGULAR,
        font_size: float = 10,
        colour: Color | None = None,
        key: str | None = None,
        page: int = 0,
        align: str = "right",
    ) -> None:
        """Draw template ending at right_x (with align="left": starting there); `{page}` is key's
        page (or page), `{total}` the page count."""
        spec = _NumberText(template, key, page, font_name, font_size, colour or black, align)
        journal = recording(canv)
        if journal is not None:
            journal.note("number", template, key, page, font_name, font_size, spec.colour.rgba(), align)
        name = self.register(spec)
        canv.saveState()
        canv.translate(right_x, baseline_y)
        canv.doForm(name)
        canv.restoreState()

    def register(self, spec: _NumberText) -> str:
        """The name of the form showing spec (made the first time it is asked for)."""
        name = self._forms.get(spec)
        if name is None:
            name = self._forms[spec] = self._name_for(spec)
        return name

    def register_recorded(self, template: str, key: str | None, page: int, font_name: str, font_size: float,
                          rgba: tuple[float, float, float, float], align: str) -> str:  # fmt: skip
        """register() again for a form a recorded page drew (exporter.pdf.pages.replay)."""
        return self.register(_recorded(template, key, page, font_name, font_size, rgba, align))

    def name_of_recorded(self, template: str, key: str | None, page: int, font_name: str, font_size: float,
                         rgba: tuple[float, float, float, float], align: str) -> str:  # fmt: skip
        """The name a recorded page's form had where it was drawn (without registering it)."""
        return _digest_name(_recorded(template, key, page, font_name, font_size, rgba, align))

    def _name_for(self, spec: _NumberText) -> str:
        """The form's name, from what it shows: the same in every document that shows it, so a
        page that draws it has the same bytes whatever the pages before it drew (numbering the
        forms as they came shifted every later page's names when one page gained a form)."""
        name = _digest_name(spec)
        while name in self._names:  # two specs, one digest: never seen, but never two forms in one name
            name += "x"
        self._names.add(name)
        return name

    def _text_of(self, spec: _NumberText) -> str:
        page = self.pages[spec.key] if spec.key is not None else spec.page
        return spec.template.format(page=page, total=self.total_pages)

    def define_forms(self, canv: Canvas, total_pages: int) -> None:
        """Write every number form; call after the last page, before canv.save()."""
        self.total_pages = total_pages
        for spec, name in self._forms.items():
            text = self._text_of(spec)
            runs = drawn_runs(text, spec.font_name)
            width = text_width(text, spec.font_size, spec.font_name)
            start = 0.0 if spec.align == "left" else -width
            box = (start - 1, -spec.font_size, start + width + 1, spec.font_size * 1.5)
            if len(runs) == 1 and runs[0] == (spec.font_name, text):
                # Forty bytes each: not worth compressing.
                define_form(canv, name, box, _number_code(canv, spec, text, start), compress=False)
                continue
            # A label in a script the face lacks (Hebrew, Arabic): fallback fonts, drawing order.
            canv.beginForm(name, lowerx=box[0], lowery=box[1], upperx=box[2], uppery=box[3])
            canv.setFillColor(spec.colour)
            draw_text(canv, start, 0, text, spec.font_size, spec.font_name)
            end_form(canv)
        self._forms.clear()  # every form is defined: the specs would only be held until saving
        self._names.clear()


def _recorded(template: str, key: str | None, page: int, font_name: str, font_size: float,
              rgba: tuple[float, float, float, float], align: str) -> _NumberText:  # fmt: skip
    """The spec a recorded page's "number" operation names (its colour as RGBA)."""
    return _NumberText(template, key, page, font_name, font_size, Color(*rgba), align)


def _digest_name(spec: _NumberText) -> str:
    what = (spec.template, spec.key, spec.page, spec.font_name, spec.font_size, spec.colour.hexval(), spec.align)
    digest = hashlib.sha256(repr(what).encode("utf-8")).digest()[:6]
    return "pn" + base64.urlsafe_b64encode(digest).decode("ascii")  # 48 bits in 8 letters, digits, - and _


def _number_code(canv: Canvas, spec: _NumberText, text: str, start: float) -> bytes:
    """The form's drawing: the text in one font from x = start on the baseline y = 0."""
    text_object = canv.beginText(start, 0)
    text_object.setFillColor(spec.colour)
    text_object.setFont(spec.font_name, spec.font_size)
    text_object.textLine(text)  # as canv.drawString writes it (the line's end tells text extraction)
    return bytes(pdfdocEnc(text_object.getCode()))
