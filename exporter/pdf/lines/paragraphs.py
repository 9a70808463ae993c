"""A Paragraph that sets right-to-left and mixed-direction text, and bold fallback fonts.

Drop-in for reportlab.platypus.Paragraph: left-to-right text without Hebrew or Arabic is laid
out by ReportLab unchanged. A paragraph that contains right-to-left text, or whose style is
right-to-left (see rtl_style), is broken into lines here in reading order, each line put into
drawing order by exporter.pdf.lines.bidi, and handed to ReportLab as explicit lines. A right-to-left
paragraph is right-aligned with its bullet (step number, ⚠) at the right.
"""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass, replace
from typing import Any, TypeVar

from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable
from reportlab.platypus import Paragraph as ReportLabParagraph
from reportlab.platypus.paragraph import _handleBulletWidth, textTransformFrags

from exporter.pdf.glyphs.fallback import BOLD_MEMBER, REGULAR_MEMBER, member
from exporter.pdf.lines.bidi import base_is_rtl, has_rtl, visual_pieces, visual_runs
from exporter.pdf.lines.line_ends import LineEndText, ends_at_space
from exporter.pdf.lines.one_font import set_paragraph
from exporter.pdf.lines.plain_frags import cleaned, plain_frags
from exporter.pdf.lines.runs import draw_text, is_bold
from exporter.pdf.lines.shaping import shaped
from exporter.pdf.lines.total_fit import SetLines, Word, broken_as_justified, can_set, frag_line, set_lines, words_of
from exporter.pdf.lines.tracking import TrackedText
from exporter.pdf.tagging.marking import switch_item_part

_FALLBACK_FAMILIES = frozenset(BOLD_MEMBER) | frozenset(REGULAR_MEMBER)
#: Where a line may break, as ReportLab breaks it (a no-break space joins two words).
_BREAKABLE_SPACE = re.compile("[ \t\n\r]")


#: Style attribute that marks a right-to-left style (ReportLab's own wordWrap="RTL" needs rlbidi).
RTL_ATTRIBUTE = "exporter_rtl"

_rtl_styles: dict[int, tuple[ParagraphStyle, ParagraphStyle]] = {}


def rtl_style(style: ParagraphStyle) -> ParagraphStyle:
    """The right-to-left version of a style: mirrored indents and alignment, no hyphenation."""
    if is_rtl_style(style):
        return style
    cached = _rtl_styles.get(id(style))
    if cached is not None and cached[0] is style:
        return cached[1]
    # Justified right-to-left lines are set flush right: its lines come to ReportLab as hard lines
    # in drawing order, which it would set flush left and never justify.
    alignment = {TA_LEFT: TA_RIGHT, TA_RIGHT: TA_LEFT, TA_JUSTIFY: TA_RIGHT}.get(style.alignment, style.alignment)
    # A hanging indent (sources) hangs from the right: the first line reaches the right margin,
    # the others end the hang short of it (Paragraph sets them there, see _hang).
    hang = _hanging_indent(style)
    mirrored = ParagraphStyle(
        style.name + "-rtl",
        parent=style,
        alignment=alignment,
        leftIndent=style.rightIndent,
        rightIndent=style.leftIndent - hang,
        borderPadding=_mirrored_padding(style.borderPadding),
        hyphenationLang="",
        **{RTL_ATTRIBUTE: 1},
    )
    _rtl_styles[id(style)] = (style, mirrored)
    return mirrored


StylesT = TypeVar("StylesT")


def right_to_left(styles: StylesT) -> StylesT:
    """A dataclass of paragraph styles (styles.Styles) with every style right to left."""
    assert is_dataclass(styles) and not isinstance(styles, type)
    changes = {
        f.name: rtl_style(getattr(styles, f.name))
        for f in fields(styles)
        if isinstance(getattr(styles, f.name), ParagraphStyle)
    }
    result: StylesT = replace(styles, **changes)
    return result


def _mirrored_padding(padding: Any) -> Any:
    """A border padding (top, right, bottom, left) with its left and right swapped."""
    if isinstance(padding, (tuple, list)) and len(padding) == 4:
        top, right, bottom, left = padding
        return (top, left, bottom, right)
    return padding


def _left_to_right(style: ParagraphStyle) -> ParagraphStyle:
    """A right-to-left style set back to left to right: the style rtl_style made it from, or,
    for a style derived from one (a handbook's cited source), that style mirrored back."""
    made: ParagraphStyle | None = style
    while made is not None and is_rtl_style(getattr(made, "parent", None) or style):
        parent = getattr(made, "parent", None)
        made = parent if isinstance(parent, ParagraphStyle) else None
    original = getattr(made, "parent", None)
    if made is None or not isinstance(original, ParagraphStyle):
        return style
    if made is style:
        return original
    cached = _ltr_styles.get(id(style))
    if cached is None or cached[0] is not style:
        ltr = ParagraphStyle(
            style.name + "-ltr",
            parent=style,
            alignment=original.alignment,
            leftIndent=style.rightIndent + _hanging_indent(style),
            rightIndent=style.leftIndent,
            hyphenationLang=original.hyphenationLang,
            **{RTL_ATTRIBUTE: 0},
        )
        cached = _ltr_styles[id(style)] = (style, ltr)
    return cached[1]


_ltr_styles: dict[int, tuple[ParagraphStyle, ParagraphStyle]] = {}


def is_rtl_style(style: ParagraphStyle) -> bool:
    """Whether a style is a right-to-left one (rtl_style made it)."""
    return bool(getattr(style, RTL_ATTRIBUTE, 0))


class Paragraph(ReportLabParagraph):  # type: ignore[misc]
    """reportlab.platypus.Paragraph, plus right-to-left and mixed-direction text."""

    def __init__(
        self, text: str | None, style: ParagraphStyle, bulletText: Any = None, frags: Any = None, **kwargs: Any
    ) -> None:
        split_part = frags is not None
        if not split_part and not kwargs and isinstance(text, str):
            text, frags = _parsed(text, style)
        super().__init__(text, style, bulletText, frags, **kwargs)
        self._bidi_bullet: str | None = None
        self._logical: list[Any] | None = None
        self._laid_width: float | None = None
        self._rtl = False
        #: Whether the lines are justified (a justified style's right-to-left or mixed paragraph).
        self._justified = False
        if split_part:  # a part of a split paragraph: its lines are laid out already
            return
        parsed: list[Any] = self.frags
        _use_bold_members(parsed, style)
        style_rtl = is_rtl_style(style)
        joined = "".join(getattr(f, "text", "") for f in parsed)
        if not has_rtl(joined):
            if style_rtl:
                # An English source in a Hebrew library: its own script sets it from the left.
                self.style = _left_to_right(style)
            return
        self._logical = parsed
        # A right-to-left library lays every paragraph out from the right (alignment, indents,
        # bullet); the order inside its lines is right to left when it has a Hebrew or Arabic
        # letter (even one that opens with "CBT"), left to right without one (an English source).
        # Elsewhere the first strong letter decides both.
        self._rtl = has_rtl(joined) if style_rtl else base_is_rtl(joined)
        # Right-to-left list items stay justified (flush-left ones are broken as justified).
        self._justified = _left_to_right(style).alignment == TA_JUSTIFY or broken_as_justified(style)
        if style_rtl or self._rtl:
            self.style = rtl_style(style)
            if isinstance(bulletText, str):
                self._bidi_bullet = bulletText
                self.bulletText = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if self._logical is not None and availWidth != self._laid_width:
            first, rest = _line_widths(self, availWidth)
            if not (self._justified and self._set_justified(availWidth, first, rest)):
                self.frags = _visual_lines(self._logical, first, rest, self._rtl)
            self._laid_width = availWidth
            if _hang(self.style):
                # ReportLab's per-line offsets: lines after the first end the hang short.
                self._offsets = [0.0, -_hang(self.style)]
        result: tuple[float, float] = super().wrap(availWidth, availHeight)
        return result

    def _set_justified(self, width: float, first: float, rest: float) -> bool:
        """Break a right-to-left or mixed paragraph all at once into justified lines, each in
        drawing order; False if it cannot be (ReportLab then gets hard lines, flush right)."""
        assert self._logical is not None
        style, rtl = self.style, self._rtl
        words = words_of(self._logical, style)
        found = set_lines(
            words,
            style,
            [first, rest],
            justify=True,
            width_of=lambda pieces: _width(pieces, rtl),
            make_line=lambda line, room: _visual_line(line, room, rtl),
        )
        if found is None:
            return False
        # The widths ReportLab's wrap will ask breakLines for.
        text_width = width - style.leftIndent - style.rightIndent
        key: tuple[float, ...] = (text_width - style.firstLineIndent, text_width)
        self._set = (key, found)
        return True

    def breakLines(self, width: Any) -> Any:
        """The paragraph's lines, broken all at once (exporter.pdf.lines.total_fit); ReportLab's
        first-fit breaking only for what that cannot set (markup it does not know, an
        overlong word, right-to-left lines)."""
        widths = [float(w) for w in width] if isinstance(width, (list, tuple)) else [float(width)]
        key = tuple(widths)
        done: tuple[tuple[float, ...], SetLines] | None = self.__dict__.get("_set")
        if done is not None and done[0] == key:
            return done[1].para_lines
        words: list[Word] | None = self.__dict__.get("_words")
        whole = words is None and self._logical is None and can_set(self.frags, self.style)
        if words or whole:
            _handleBulletWidth(self.bulletText, self.style, widths)
            found = set_lines(words, self.style, widths) if words else set_paragraph(self.frags, self.style, widths)
            if found is not None:
                self._set = (key, found)
                self._width_max = max(widths)
                self._hyphenations = self._splitLongWordCount = 0
                return found.para_lines
        # ReportLab's own breaking measures and draws the frags' text: give it the text shaped.
        frags = self.frags
        self.frags = [_shaped_frag(frag) for frag in frags]
        try:
            return super().breakLines(width)
        finally:
            self.frags = frags

    def beginText(self, x: float, y: float) -> Any:  # noqa: N802 (ReportLab's name)
        lines, ends = self.blPara.lines if self.blPara.kind == 0 else (), ends_at_space(self)
        if any(len(line) > 2 for line in lines):
            return TrackedText(self.canv, x, y, [line[2] if len(line) > 2 else 0.0 for line in lines], ends)
        return LineEndText(self.canv, x, y, ends)

    def _get_split_blParaFunc(self) -> Any:
        # ReportLab's own function for lines of several fragments adds a space to the last
        # fragment of every line, in place: ours are kept and drawn (and a space in an emoji
        # font has no glyph), so the parts get copies.
        if "_set" in self.__dict__ and self.blPara.kind == 1:
            return _copied_frags
        return super()._get_split_blParaFunc()

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        done: tuple[tuple[float, ...], SetLines] | None = self.__dict__.get("_set")
        parts: list[Flowable] = super().split(availWidth, availHeight)
        if len(parts) == 2 and done is not None:
            _keep_lines(done, *parts)
        for part in parts:
            part._justified, part._rtl, part._continues = self._justified, self._rtl, part is not parts[-1]
        if parts and self._bidi_bullet:
            parts[0]._bidi_bullet = self._bidi_bullet
        if len(parts) == 2 and _hang(self.style):
            parts[0]._offsets = [0.0, -_hang(self.style)]
            parts[1]._offsets = [-_hang(self.style)]  # every line of the rest is a following line
        return parts

    def draw(self) -> None:
        if self._justified and self._rtl and self.blPara.kind == 1:
            # ReportLab justifies right-to-left lines (the last one flush right) for a style
            # with wordWrap RTL, and reverses each line's fragments as it draws: ours are in
            # drawing order already, so they go to it reversed.
            for line in self.blPara.lines:
                line.words = line.words[::-1]
            style = self.style
            self.style = _justified_rtl(style)
            try:
                super().draw()
            finally:
                self.style = style
        else:
            super().draw()
        if self._bidi_bullet:
            _draw_right_bullet(self, self._bidi_bullet)


def _justified_rtl(style: ParagraphStyle) -> ParagraphStyle:
    cached = _justified_styles.get(id(style))
    if cached is None or cached[0] is not style:
        cached = (style, ParagraphStyle(style.name + "-justified", parent=style, alignment=TA_JUSTIFY, wordWrap="RTL"))
        _justified_styles[id(style)] = cached
    return cached[1]


_justified_styles: dict[int, tuple[ParagraphStyle, ParagraphStyle]] = {}


def _visual_line(words: list[Word], width: float, rtl: bool) -> Any:
    """One line of words as a ReportLab line in drawing order, with the room its spaces share."""
    frags = _line_frags(words, rtl)
    natural = sum(stringWidth(frag.text, frag.fontName, frag.fontSize) for frag in frags)
    return frag_line(frags, len(words), width - natural, width)


def _shaped_frag(frag: Any) -> Any:
    text = getattr(frag, "text", None)
    if not text:
        return frag
    drawn = shaped(text, frag.fontName)
    return frag if drawn == text else frag.clone(text=drawn)


def _copied_frags(para_lines: Any, start: int, stop: int) -> list[Any]:
    return [frag.clone() for line in para_lines.lines[start:stop] for frag in line.words]


def _keep_lines(done: tuple[tuple[float, ...], SetLines], first: Paragraph, rest: Paragraph) -> None:
    """The two parts of a split paragraph keep the lines the whole was broken into; the second
    can break its own words again at another width."""
    key, found = done
    count = len(first.blPara.lines)
    first._set = (key, found.part(0, count))
    rest._set = ((key[-1], key[-1]), found.part(count))
    rest._words = found.rest(count)


def _parsed(markup: str, style: ParagraphStyle) -> tuple[str, list[Any] | None]:
    """(text, frags) as ReportLab's own parse would leave them, for para_text markup; for any
    other markup (markup, None), and ReportLab parses it."""
    text = cleaned(markup)
    frags = plain_frags(text, style)
    if frags is None:
        return markup, None
    textTransformFrags(frags, style)
    return text, frags


def _use_bold_members(frags: list[Any], style: ParagraphStyle) -> None:
    """A fallback font inside bold text (a heading, <b>) draws with its bold member."""
    for frag in frags:
        name = getattr(frag, "fontName", "")
        if name in _FALLBACK_FAMILIES:
            bold = bool(getattr(frag, "bold", 0)) or is_bold(style.fontName)
            frag.fontName = member(name, bold)


def _hang(style: ParagraphStyle) -> float:
    """How far a right-to-left style's lines after the first end short of its first line."""
    return _hanging_indent(style) if is_rtl_style(style) else 0.0


def _hanging_indent(style: ParagraphStyle) -> float:
    """How far a style's first line starts before the others (a negative first-line indent)."""
    return -min(0.0, float(style.firstLineIndent))


def _line_widths(paragraph: Paragraph, width: float) -> tuple[float, float]:
    style = paragraph.style
    text_width = width - style.leftIndent - style.rightIndent
    if _hang(style):
        return text_width - 0.01, text_width - _hang(style) - 0.01
    first = text_width - style.firstLineIndent
    bullet = paragraph._bidi_bullet
    if bullet:
        room = style.bulletIndent + stringWidth(bullet, style.bulletFontName, style.bulletFontSize)
        room += 0.6 * style.bulletFontSize
        first -= max(0.0, room - style.rightIndent)
    # A hair narrower than ReportLab's own test, so it never breaks a line a second time.
    return first - 0.01, text_width - 0.01


def _words(frags: list[Any]) -> list[list[Word]]:
    """Hard lines (split at <br/>) of words."""
    lines: list[list[Word]] = [[Word()]]
    for frag in frags:
        if getattr(frag, "lineBreak", False):
            lines.append([Word()])
            continue
        for index, part in enumerate(_BREAKABLE_SPACE.split(getattr(frag, "text", ""))):
            if index:
                lines[-1].append(Word(space=frag))
            if part:
                lines[-1][-1].pieces.append((frag, part))
    return [[word for word in line if word.pieces] for line in lines]


def _width(pieces: list[tuple[Any, str]], rtl: bool) -> float:
    """A word's width as drawn (joined Arabic letters are narrower than the letters alone)."""
    return float(
        sum(
            stringWidth(shaped(run, frag.fontName), frag.fontName, frag.fontSize)
            for frag, text in pieces
            for _, run in visual_runs([(frag.fontName, text)], rtl)
        )
    )


def _visual_lines(frags: list[Any], first: float, rest: float, rtl: bool) -> list[Any]:
    """Frags for ReportLab: the text broken into lines that fit, each in drawing order."""
    result: list[Any] = []
    template = frags[0]
    for hard_line in _words(frags):
        if result:
            result.append(template.clone(text="", lineBreak=True))
        lines: list[list[Word]] = [[]]
        used = 0.0
        for word in hard_line:
            width = _width(word.pieces, rtl)
            space_frag = word.space or word.pieces[0][0]
            space = stringWidth(" ", space_frag.fontName, space_frag.fontSize)
            limit = first if len(lines) == 1 and not result else rest
            if lines[-1] and used + space + width > limit:
                lines.append([])
                used = 0.0
            used += (space if lines[-1] else 0.0) + width
            lines[-1].append(word)
        for number, line in enumerate(lines):
            if number:
                result.append(template.clone(text="", lineBreak=True))
            result += _line_frags(line, rtl)
        if not hard_line:
            result.append(template.clone(text=""))
    return result


def _line_frags(line: list[Word], rtl: bool) -> list[Any]:
    """One line's words as frags in drawing order (a frag may come back split in pieces)."""
    pieces: list[tuple[int, str]] = []
    frags: dict[int, Any] = {}
    for index, word in enumerate(line):
        if index:
            space_frag = word.space or word.pieces[0][0]
            frags[id(space_frag)] = space_frag
            pieces.append((id(space_frag), " "))
        for frag, text in word.pieces:
            frags[id(frag)] = frag
            pieces.append((id(frag), text))
    ordered = visual_pieces(pieces, rtl, lambda key: str(frags[key].fontName))
    return [frags[key].clone(text=shaped(text, frags[key].fontName)) for key, text in ordered]


def _draw_right_bullet(paragraph: Paragraph, bullet: str) -> None:
    style = paragraph.style
    canv = paragraph.canv
    lines = getattr(paragraph, "blPara", None)
    font_size = getattr(lines, "fontSize", style.fontSize)
    ascent = getattr(lines, "ascent", font_size)
    from reportlab import rl_config

    drop = font_size if rl_config.paraFontSizeHeightOffset else ascent
    switch_item_part(canv, "Lbl")  # in a tagged PDF the bullet drawn after the text is the item's label
    canv.saveState()
    canv.setFillColor(getattr(style, "bulletColor", None) or style.textColor)
    right = paragraph.width - style.bulletIndent
    # In the paragraph's direction: a step's number reads "1." from the right (its full stop at the left).
    size, face = style.bulletFontSize, style.bulletFontName
    draw_text(canv, right, paragraph.height - drop, bullet, size, face, align="right", rtl=True)
    canv.restoreState()
