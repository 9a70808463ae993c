"""A paragraph in one font, set from its words' texts.

Most body text is one frag: one font, size and colour. Such a paragraph set before in the same
style and measure (a chapter set again to fit its pages, the same text in its handout) takes
its lines from a cache, and one that sets evenly line by line (exporter.pdf.lines.first_fit) is
set from its words' texts and widths alone; only the rest is broken by the total-fit search on
exporter.pdf.lines.total_fit's words. The lines are the same either way.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getAscentDescent

from exporter.pdf.lines.first_fit import Slack, even_lines
from exporter.pdf.lines.total_fit import (
    FEWEST_LINES_ATTRIBUTE,
    RAGGED_STRETCH_EM,
    SPACE_STRETCH,
    SetLines,
    broken_as_justified,
    measure,
    one_font_line,
    set_lines,
    skeleton_of,
    space_shrink,
    width_table,
    word_rules,
    words_of,
)
from exporter.pdf.lines.tracking import SHRINK_EM, STRETCH_EM, line_tracking
from exporter.pdf.lines.words import PARAGRAPHS_KEPT

#: Paragraphs of more words than this always go to the general path.
MOST_WORDS = 5000


def set_paragraph(frags: list[Any], style: ParagraphStyle, widths: list[float]) -> SetLines | None:
    """The lines of a paragraph's frags (can_set says it may be set); None where a word is
    wider than a line (ReportLab's own breaking then does)."""
    if len(frags) != 1:
        return set_lines(words_of(frags, style), style, widths)
    frag = frags[0]
    key = (frag.text, frag.fontName, frag.fontSize, frag.textColor, id(style), tuple(widths))
    known = _set_before.get(key)
    if known is None or known[0] is not style:
        lines = _even(frag, style, widths)
        if lines is None:
            found = set_lines(words_of(frags, style), style, widths)
            if found is not None and found.para_lines.kind != 0:
                return found
            lines = (tuple(found.para_lines.lines), found.starts) if found is not None else ((), [])
        if len(_set_before) > PARAGRAPHS_KEPT:
            _set_before.clear()
        known = _set_before[key] = (style, *lines)
    if not known[1]:
        return None
    ascent, descent = getAscentDescent(frag.fontName, frag.fontSize)
    para_lines = frag.clone(kind=0, lines=list(known[1]), ascent=ascent, descent=descent, fontSize=frag.fontSize)
    return SetLines(para_lines, lambda: words_of(frags, style), known[2])


#: A one-frag paragraph's lines and where each starts, by its text, look, style and measure.
_set_before: dict[tuple[Any, ...], tuple[ParagraphStyle, tuple[Any, ...], list[tuple[int, int]]]] = {}


def _even(
    frag: Any, style: ParagraphStyle, widths: list[float]
) -> tuple[tuple[Any, ...], list[tuple[int, int]]] | None:
    """The lines of a paragraph that fits one line, or sets evenly line by line without a
    hyphen, and where each starts; None for any other (the search breaks it)."""
    if getattr(style, FEWEST_LINES_ATTRIBUTE, False):
        return None
    texts, breakable = skeleton_of(frag.text, word_rules(style)[0])
    count = len(texts)
    if not count or count > MOST_WORDS:
        return None
    font, size = frag.fontName, frag.fontSize
    table = width_table(font, size)
    word_widths = [table[text] if text in table else measure(text, font, size) for text in texts]
    space = measure(" ", font, size)
    first, rest = widths[0], widths[-1]
    natural = sum(word_widths) + space * (count - 1)
    if natural <= first:
        return (one_font_line(texts, font, first, natural, 0.0),), [(0, 0)]
    # A flush-left paragraph broken as a justified one has a justified one's lines, unstretched.
    unstretched = broken_as_justified(style)
    ragged = style.alignment != TA_JUSTIFY and not unstretched
    spaces = [0.0] + [space] * (count - 1)
    if ragged:
        zeros = [0.0] * count
        slack = Slack(zeros, zeros, zeros, zeros, RAGGED_STRETCH_EM * style.fontSize)
    else:
        letter_stretch, letter_shrink = STRETCH_EM * size, SHRINK_EM * size
        lengths = [len(text) for text in texts]
        slack = Slack(
            [length * letter_stretch for length in lengths],
            [length * letter_shrink for length in lengths],
            [0.0] + [space * SPACE_STRETCH + letter_stretch] * (count - 1),
            [0.0] + [space * space_shrink(unstretched) + letter_shrink] * (count - 1),
        )
    breaks = even_lines(word_widths, spaces, breakable, first, rest, slack)
    if breaks is None:
        return None
    lines = []
    starts = []
    start = 0
    last = len(breaks) - 1
    for number, found in enumerate(breaks):
        ratio = found.ratio if (number < last and not unstretched) or found.ratio < 0 else 0.0
        tracking = 0.0 if ragged else line_tracking(ratio, size)
        lines.append(
            one_font_line(texts[start : found.position], font, first if number == 0 else rest, found.natural, tracking)
        )
        starts.append((start, 0))
        start = found.position
    return tuple(lines), starts
