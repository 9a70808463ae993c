"""The total-fit line breaker, hyphenation choices, shortened heads and right-to-left panels."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from conftest import FIXTURES
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth

from exporter.content.techniques import read_library
from exporter.options import BuildOptions
from exporter.pdf.glyphs.fonts import HEADING, para_text, register_fonts
from exporter.pdf.lines.breaking import BOX, FORBIDDEN, FORCED, GLUE, PENALTY, Items, break_paragraph
from exporter.pdf.lines.paragraphs import Paragraph
from exporter.pdf.lines.runs import fit_text, text_width
from exporter.pdf.pages.styles import MEASURE, hyphenator, make_styles, side_margin
from exporter.writers.handbook import write_handbook

#: Words with the breaks an English dictionary gives them (American usage); the breaker may
#: use fewer of them, never one that is not here.
DICTIONARY = {
    "research": "research",
    "therapist": "ther-a-pist",
    "perspective": "per-spec-tive",
    "interpretation": "in-ter-pre-ta-tion",
    "client": "client",
    "together": "to-geth-er",
    "understanding": "un-der-stand-ing",
    "relationship": "re-la-tion-ship",
    "hypothesis": "hy-poth-e-sis",
    "acknowledge": "ac-knowl-edge",
    "curiosity": "cu-ri-os-i-ty",
    "attachment": "at-tach-ment",
    "misunderstanding": "mis-un-der-stand-ing",
    "respectful": "re-spect-ful",
    "tentative": "ten-ta-tive",
    "experience": "ex-pe-ri-ence",
    "emotional": "emo-tion-al",
    "important": "im-por-tant",
    "different": "dif-fer-ent",
    "validation": "val-i-da-tion",
    "mentalizing": "men-tal-iz-ing",
    "uncertainty": "un-cer-tain-ty",
    "tolerate": "tol-er-ate",
    "intention": "in-ten-tion",
    "situation": "sit-u-a-tion",
    "behaviour": "be-hav-iour",
}


def test_english_breaks_are_all_in_the_dictionary() -> None:
    english = hyphenator("en")
    assert english is not None
    wrong = []
    for word, broken in DICTIONARY.items():
        allowed = {len("".join(broken.split("-")[:n])) for n in range(1, broken.count("-") + 1)}
        for head, _ in english(word):
            if len(head) not in allowed:
                wrong.append(f"{head}-{word[len(head) :]}")
    assert not wrong


def items(widths: list[float], space: float = 1.0) -> Items:
    """Words of the given widths with stretchable spaces, then the paragraph's end."""
    kinds, sizes, stretches, shrinks = [], [], [], []
    for index, width in enumerate(widths):
        if index:
            kinds.append(GLUE)
            sizes.append(space)
            stretches.append(space * 0.6)
            shrinks.append(space * 0.4)
        kinds.append(BOX)
        sizes.append(width)
        stretches.append(0.0)
        shrinks.append(0.0)
    kinds += [PENALTY, GLUE, PENALTY]
    sizes += [0.0, 0.0, 0.0]
    stretches += [0.0, 1e6, 0.0]
    shrinks += [0.0, 0.0, 0.0]
    penalties = [0.0] * (len(kinds) - 3) + [FORBIDDEN, 0.0, FORCED]
    return Items(kinds, sizes, stretches, shrinks, penalties, [False] * len(kinds))


def line_ratios(widths: list[float], measure: float) -> list[float]:
    breaks = break_paragraph(items(widths), measure, measure)
    assert breaks is not None
    return [found.ratio for found in breaks]


def test_the_paragraph_is_broken_as_a_whole_not_line_by_line() -> None:
    # First fit fills the first line exactly (6 4 4 = 16) and then can put only 4 4 2 on the
    # second, 4 short of the measure (its two spaces stretched 3.3 times what they may: a hole).
    # Total fit moves a word back and sets the second line a little tight instead.
    ratios = line_ratios([6, 4, 4, 4, 4, 2, 4, 3, 6], 16)
    assert len(ratios) == 3
    assert all(-1 <= ratio <= 1.0 for ratio in ratios[:-1]), ratios


def test_no_way_at_all_leaves_the_paragraph_to_the_caller() -> None:
    assert break_paragraph(items([3, 20, 3]), 10, 10) is None


def test_running_heads_are_shortened_at_a_word() -> None:
    register_fonts()
    title = "Embodied Mentalization in the Consulting Room"
    width = text_width("Embodied Mentaliz", 8, HEADING)
    assert fit_text(title, 8, width, HEADING) == "Embodied…"


def test_a_justified_paragraph_ends_its_lines_at_the_measure() -> None:
    register_fonts()
    text = "Notice the moment the client withdraws and name it gently, without an interpretation. " * 4
    paragraph = Paragraph(para_text(text), make_styles("en").body)
    paragraph.wrap(300, 1000)
    lines = paragraph.blPara.lines
    assert len(lines) > 3
    # Every line but the last is set to the measure: its spaces stretch or shrink, a little, and
    # its letters may open or close by at most 0.02 em; no word gap (tracking on both sides of
    # the space included) opens past 0.6 em.
    space = text_width("x x", 10.5) - 2 * text_width("x", 10.5)
    tracked = 0
    for extra, words, *tracking in lines[:-1]:
        letter = tracking[0] if tracking else 0.0
        tracked += bool(letter)
        assert abs(letter) <= 0.02 * 10.5 + 1e-9, (letter, words)
        gap = space + extra / (len(words) - 1) + 2 * letter
        assert 0.15 * 10.5 <= gap <= 0.6 * 10.5, (gap, words)
        characters = sum(map(len, words)) + len(words) - 1
        drawn = text_width(" ".join(words), 10.5) + extra + letter * (characters - 1)
        assert drawn == pytest.approx(300, abs=0.05)
    assert tracked


@pytest.fixture(scope="module", params=["he", "ar"])
def rtl_handbook(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    library, _ = read_library(FIXTURES / "libraries" / request.param)
    out = tmp_path_factory.mktemp(request.param)
    write_handbook(library, out, BuildOptions(paper="a4"))
    return out / "handbook.pdf"


def test_the_warning_bar_is_on_the_right_in_a_right_to_left_handbook(rtl_handbook: Path) -> None:
    right = side_margin("a4") + 122 * 72 / 25.4
    with pdfplumber.open(rtl_handbook) as pdf:
        bars = [
            rect
            for page in pdf.pages
            for rect in page.rects
            if rect["width"] < 3 and rect["height"] > 10 and rect.get("non_stroking_color") not in (None, (0,))
        ]
    assert bars
    assert all(abs(bar["x1"] - right) < 0.5 for bar in bars), [(bar["x0"], bar["x1"]) for bar in bars]


def test_an_english_source_in_a_right_to_left_chapter_is_set_from_the_left(rtl_handbook: Path) -> None:
    left = side_margin("a4")
    reader = PdfReader(rtl_handbook)
    chapters = {
        reader.get_destination_page_number(child)
        for item in reader.outline
        if isinstance(item, list)
        for child in item
        if not isinstance(child, list)
    }
    with pdfplumber.open(rtl_handbook) as pdf:
        found = [
            line
            for number, page in enumerate(pdf.pages)
            if number in chapters
            for line in page.extract_text_lines()
            if line["text"][:1].isascii() and line["text"][:1].isalpha() and "(" in line["text"]
        ]
    assert found
    assert all(abs(line["x0"] - left) < 1.0 for line in found), [(line["x0"], line["text"]) for line in found]


def test_tracked_lines_reach_the_measure_and_read_back_as_their_words(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    register_fonts()
    text = "Notice the moment the client withdraws and name it gently, without an interpretation. " * 4
    paragraph = Paragraph(para_text(text), make_styles("en").body)
    _, height = paragraph.wrap(300, 1000)
    tracked = [line for line in paragraph.blPara.lines if len(line) > 2 and line[2]]
    assert tracked
    pdf = tmp_path / "tracked.pdf"
    canvas = Canvas(str(pdf), pagesize=(400, 400))
    paragraph.drawOn(canvas, 50, 350 - height)
    canvas.save()
    with pdfplumber.open(pdf) as document:
        page = document.pages[0]
        assert " ".join(page.extract_text().split()) == " ".join(text.split())
        lines: dict[float, list[dict[str, float]]] = {}
        for char in page.chars:
            lines.setdefault(round(char["top"], 1), []).append(char)
    rows = [sorted(chars, key=lambda c: c["x0"]) for _, chars in sorted(lines.items())]
    for row in rows[:-1]:  # every line but the last ends at the measure (its last letter does:
        # the space drawn after it for the text layer is not seen, see exporter.pdf.lines.line_ends)
        assert row[-1]["text"] == " "
        assert row[-2]["x1"] == pytest.approx(350, abs=0.3)
    # A tracked line's letters stand apart by its tracking, at most 0.02 em.
    spacings = [
        b["x0"] - a["x1"]
        for row in rows
        for a, b in zip(row, row[1:], strict=False)
        if a["text"].isalpha() and b["text"].isalpha()
    ]
    assert max(spacings) > 0.001
    assert max(spacings) <= 0.02 * 10.5 + 0.01


def _lines(text: str, style: ParagraphStyle, width: float) -> list[tuple[float, str, float]]:
    """Each line of a paragraph: the room its spaces share, its words, its letter spacing."""
    paragraph = Paragraph(para_text(text), style)
    paragraph.wrap(width, 1000)
    return [(line[0], " ".join(line[1]), line[2] if len(line) > 2 else 0.0) for line in paragraph.blPara.lines]


def test_a_list_item_has_the_lines_justified_text_would_but_never_stretches_them() -> None:
    register_fonts()
    styles = make_styles("en")
    # The body style with the step's indent: the same measure, justified.
    justified = ParagraphStyle("justified", parent=styles.body, leftIndent=styles.step.leftIndent)
    text = "Notice the moment the client withdraws and name it gently, without an interpretation. " * 4
    item, body = _lines(text, styles.step, 300), _lines(text, justified, 300)
    assert [words for _, words, _ in item] == [words for _, words, _ in body]
    assert any(extra > 1 for extra, _, _ in item[:-1])  # a loose line, left short of the measure
    assert any(extra < 0 for extra, _, _ in item)  # and a tight one, shrunk to the measure
    for extra, words, letters in item:
        if extra >= 0:  # a loose line keeps its natural spaces and letters
            assert letters == 0.0, words


@pytest.mark.parametrize("width", [240, 260, 280, 300, 320])
def test_a_list_item_is_never_squeezed_as_tight_as_justified_text_may_be(width: float) -> None:
    """ "Do not justify yourself, even if the reaction looks out of proportion" was squeezed to the
    measure in an A5 booklet until it read as one word: a flush-left item breaks a line earlier."""
    register_fonts()
    styles = make_styles("en")
    space = stringWidth(" ", styles.step.fontName, styles.step.fontSize)
    text = "Do not justify yourself, even if the reaction looks out of proportion to you. " * 3
    for extra, words, _ in _lines(text, styles.step, width)[:-1]:
        assert -extra <= 0.25 * space * words.count(" "), words  # a space keeps three quarters of its width


def test_a_two_line_list_item_needs_no_hyphen_where_justified_text_would(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    register_fonts()
    styles = make_styles("ru")
    justified = ParagraphStyle("justified", parent=styles.body, leftIndent=styles.step.leftIndent)
    text = "Используйте сам разрыв как материал для совместной ментализации."
    assert _lines(text, justified, MEASURE)[0][1].endswith("мен-")
    paragraph = Paragraph(para_text(text), styles.step, bulletText="6.")
    _, height = paragraph.wrap(MEASURE, 1000)
    pdf = tmp_path / "item.pdf"
    canvas = Canvas(str(pdf), pagesize=(MEASURE + 100, 200))
    paragraph.drawOn(canvas, 50, 150 - height)
    canvas.save()
    with pdfplumber.open(pdf) as document:
        page = document.pages[0]
        lines = page.extract_text().splitlines()
        right = max(
            char["x1"] for char in page.chars if char["text"].strip() and char["top"] < page.chars[0]["top"] + 5
        )
    assert lines == ["6. Используйте сам разрыв как материал для совместной", "ментализации."]
    assert right < 50 + MEASURE - 10  # the first line ends short of the measure, its spaces unstretched


def test_a_web_address_breaks_only_after_a_slash_and_takes_no_hyphen(tmp_path: Path) -> None:
    from reportlab.pdfgen.canvas import Canvas

    register_fonts()
    address = "https://doi.org/10.1080/10503307.2020.1234567890123456789/supplementary-material-appendix-b"
    text = f"Example, A. (2020). A long source. {address}"
    paragraph = Paragraph(para_text(text), make_styles("en").body)
    _, height = paragraph.wrap(200, 1000)
    pdf = tmp_path / "source.pdf"
    canvas = Canvas(str(pdf), pagesize=(300, 400))
    paragraph.drawOn(canvas, 50, 350 - height)
    canvas.save()
    with pdfplumber.open(pdf) as document:
        lines = document.pages[0].extract_text().splitlines()
    assert len(lines) >= 3
    at = next(index for index, line in enumerate(lines) if "https://" in line)
    assert "".join(lines[at:]).endswith(address)  # the address reads back whole: no hyphen was added
    assert all(line.endswith("/") for line in lines[at:-1]), lines


def test_a_word_with_its_own_hyphen_breaks_after_it_and_takes_no_second_one() -> None:
    english = hyphenator("en")
    assert english is not None
    heads = [head for head, _ in english("self-disclosure")]
    assert "self-" in heads and "self" not in heads
    assert all(not tail.startswith("-") for _, tail in english("well-intentioned"))


def test_a_header_cut_short_keeps_letters_when_its_first_words_are_punctuation() -> None:
    title = ", OQbS8jovd/vCGgiraQ.3qEmOmlYG614B1fj529zxrq5"
    shown = fit_text(title, 8.5, 120)
    assert shown != "…" and shown.endswith("…")
    assert title.startswith(shown[:-1]) and any(character.isalnum() for character in shown)


def test_a_compound_breaks_at_its_own_hyphens_only() -> None:
    """ "Mentaliza-/tion-Based" on a card's source line read as two hyphenated words."""
    english = hyphenator("en")
    assert english is not None
    assert [head for head, _ in english("Mentalization-Based")] == ["Mentalization-"]
    assert [head for head, _ in english("evidence-based-practice,")] == ["evidence-based-", "evidence-"]
    assert "mentaliza" in {head for head, _ in english("mentalization")}  # alone, it still breaks
