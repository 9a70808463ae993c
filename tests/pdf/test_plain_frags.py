"""Content paragraphs skip ReportLab's markup parser (exporter.pdf.lines.plain_frags): the fragments
they get must be the parser's own, for any text a trainer can write, and the page the same."""

from __future__ import annotations

import os
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.platypus import Paragraph as ReportLabParagraph

from exporter.pdf.glyphs.fonts import para_text, register_fonts
from exporter.pdf.lines import paragraphs
from exporter.pdf.lines.paragraphs import Paragraph
from exporter.pdf.lines.plain_frags import cleaned, plain_frags
from exporter.pdf.pages.styles import make_styles

FUZZ_EXAMPLES = int(os.environ.get("EXPORTER_FUZZ_EXAMPLES", "40"))

#: Text with what makes markup hard: entities, tags, quotes, braces, spaces of every kind,
#: emoji sequences, symbols drawn from a fallback font, Greek, Cyrillic, Hebrew and Arabic.
PIECES = st.sampled_from(
    ["&", "<", ">", "<b>", "</para>", "&amp;", "&nbsp;", '"', "'", "{{x}}", " ", "  ", "\n", "\t", "\u00a0",
     "🔧", "👩🏽‍⚕️", "🇺🇦", "⚠", "→", "ψυχή", "Бета", "שלום", "مرحبا", "Über", "x"]
)  # fmt: skip
TEXTS = st.lists(st.one_of(PIECES, st.text(min_size=1, max_size=6)), min_size=1, max_size=12).map("".join)


def merged(frags: list[Any]) -> list[tuple[str, tuple[tuple[str, Any], ...]]]:
    """Fragments as (text, other attributes), neighbours with equal attributes joined (the parser
    gives a fragment of its own to each entity, with the same attributes as its neighbours)."""
    result: list[tuple[str, tuple[tuple[str, Any], ...]]] = []
    for frag in frags:
        attributes = tuple(sorted((k, repr(v)) for k, v in frag.__dict__.items() if k != "text"))
        if result and result[-1][1] == attributes:
            result[-1] = (result[-1][0] + frag.text, attributes)
        else:
            result.append((frag.text, attributes))
    return result


@pytest.fixture(scope="module", autouse=True)
def fonts() -> None:
    register_fonts()


@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
@given(TEXTS, st.sampled_from(["body", "step", "section", "warning", "title", "source"]))
def test_fragments_are_the_parsers_for_any_content_text(text: str, style_name: str) -> None:
    style = getattr(make_styles("en"), style_name)
    markup = para_text(text)
    parsed = ReportLabParagraph(markup, style).frags
    fast = plain_frags(cleaned(markup), style)
    if not parsed:
        assert fast is None  # nothing to print: the parser's own (empty) answer is kept
        return
    assert fast is not None
    assert merged(fast) == merged(parsed)


def test_other_markup_is_left_to_the_parser() -> None:
    style = make_styles("en").body
    for markup in ("<b>Heading</b> text", "line<br/>break", "a &nbsp; b", '<font color="red">x</font>', ""):
        assert plain_frags(cleaned(markup), style) is None
    paragraph = Paragraph("<b>Disclaimer</b><br/>Text", style)
    assert [getattr(frag, "bold", 0) for frag in paragraph.frags if frag.text][:1] == [1]


def line_texts(paragraph: ReportLabParagraph) -> list[tuple[str, float]]:
    """Each laid-out line as (its text, the space left at its end), whatever ReportLab's line kind."""
    lines = []
    for line in paragraph.blPara.lines:
        if isinstance(line, tuple):  # one fragment: (space left, words)
            lines.append((" ".join(line[1]), round(line[0], 6)))
        else:
            lines.append(("".join(frag.text for frag in line.words).strip(), round(line.extraSpace, 6)))
    return lines


def test_a_paragraph_made_without_the_parser_breaks_the_same_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    style = make_styles("en").body
    text = 'R&D <b>bold</b> "quoted" </para> {{Front}} ' * 6 + "and the last words of it"
    ours = Paragraph(para_text(text), style)
    monkeypatch.setattr(paragraphs, "plain_frags", lambda markup, style: None)  # the parser's frags
    theirs = Paragraph(para_text(text), style)
    assert ours.wrap(300, 1000) == theirs.wrap(300, 1000)
    assert line_texts(ours) == line_texts(theirs)
    assert len(line_texts(ours)) > 3
