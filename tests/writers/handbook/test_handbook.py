"""The PDF handbook read back with pypdf: text, contents, outline, links, fonts, paper, bytes."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from click.testing import CliRunner
from conftest import BUNDLED_CONTENT, technique, write_content
from pdf_reading import MARKUP_TEXTS, MARKUP_TITLE, collapse, fonts_of, item_texts, page_texts, squash
from pypdf import PdfReader

from exporter import __version__
from exporter.cli import main
from exporter.content.techniques import read_library
from exporter.model import SECTION_TITLES, Library
from exporter.options import BuildOptions
from exporter.pdf.pages.styles import hyphenator, word_script
from exporter.writers.handbook import listings, write_handbook

LONG_TITLE = "A deliberately long technique title " * 4 + "that must wrap in the contents"
LONG_WORDS = " ".join(["incomprehensibilities internationalization"] * 25)

WORDS = (
    "the client therapist feeling moment notice explore mentalizing together understand relationship "
    "curiosity perspective reflect attention emotion session rupture alliance validate empathy"
).split()
EXTRA = ["R&D <b>", "Привет мир", "Ελληνικά λέξη", "“quoted” — dash", "a < b & c"]


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    if rng.random() < 0.3:
        text += " " + rng.choice(EXTRA)
    return text.capitalize() + "."


def generated_techniques(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """Seeded techniques of realistic length (some span pages), with similar links."""
    rng = random.Random(seed)
    categories = ["Problem processing", "Interpersonal"]
    made = []
    for index in range(count):

        def items(low: int, high: int) -> list[str]:
            return [sentence(rng, rng.randint(8, 30)) for _ in range(rng.randint(low, high))]

        made.append(
            technique(
                f"gen-{index:02d}",
                title=f"Generated {index:02d} {sentence(rng, 2)[:-1]}",
                categories=[categories[index % 2]] + ([categories[(index + 1) % 2]] if index % 3 == 0 else []),
                summary=sentence(rng, 70),
                steps=items(5, 9),
                when_to_use=items(2, 3),
                key_phrases=items(2, 3),
                follow_up_questions=items(2, 3),
                alternative_phrasings=items(2, 3),
                warnings=items(3, 3),
                sources=[f"Author {index % 4} (2020). Book {index % 4}. Publisher."],
                similar=[f"gen-{(index + 1) % count:02d}", f"gen-{(index + 5) % count:02d}"],
            )
        )
    return made


def small_techniques() -> list[dict[str, Any]]:
    return [
        technique("alpha", similar=["beta", "markup"]),
        technique(
            "beta",
            title="Бета — Βήτα technique",
            categories=["Interpersonal", "Problem processing"],
            steps=["Шаг один: говорите медленно", "Βήμα δύο — ρωτήστε", LONG_WORDS],
            similar=["alpha"],
        ),
        technique(
            "markup",
            title=MARKUP_TITLE,
            summary="Text is data: <i>this</i> & that.",
            steps=MARKUP_TEXTS,
            key_phrases=["“Quoted phrase” — with a dash"],
            warnings=["Do not <b>shout</b> — R&D says so"],
            sources=["R&D <Institute> (2021). Escaping & You."],
        ),
        technique("long", title=LONG_TITLE, categories=["Interpersonal"]),
        technique(
            "sparse",
            title="Sparse technique",
            steps=["Only a step"],
            when_to_use=[],
            key_phrases=[],
            follow_up_questions=[],
            alternative_phrasings=[],
            warnings=[],
            sources=[],
            similar=[],
        ),
    ]


@dataclass
class Built:
    library: Library
    path: Path
    reader: PdfReader
    #: Text of each page's body area (no running header or footer), in drawing order.
    bodies: list[str]
    #: Full extracted text of each page.
    texts: list[str]
    #: Text of each page's running header and footer.
    margins: list[str]
    starts: dict[str, int] = field(default_factory=dict)


def build(root: Path, techniques: list[dict[str, Any]], paper: str = "a4", name: str = "out") -> Built:
    content = write_content(root, techniques)
    library, _ = read_library(content)
    out = root / name
    write_handbook(library, out, BuildOptions(paper=paper))
    path = out / "handbook.pdf"
    reader = PdfReader(path)
    texts = [page_texts(page) for page in reader.pages]
    return Built(library, path, reader, *[[parts[i] for parts in texts] for i in range(3)])


def build_with_library(root: Path, techniques: list[dict[str, Any]], library: dict[str, Any]) -> Built:
    content = write_content(root, techniques, library)
    built_library, problems = read_library(content)
    assert not [p for p in problems if "warning" not in str(p)], problems
    write_handbook(built_library, root / "out", BuildOptions(paper="a4"))
    path = root / "out" / "handbook.pdf"
    reader = PdfReader(path)
    texts = [page_texts(page) for page in reader.pages]
    return Built(built_library, path, reader, *[[parts[i] for parts in texts] for i in range(3)])


def chapter_starts(built: Built) -> dict[str, int]:
    """Technique id -> 1-based page whose body text begins with that chapter (found from the text)."""
    if built.starts:
        return built.starts
    starts = built.starts
    first_category = built.library.chapters()[0][0]
    opening = squash(f"{first_category.icon} {first_category.name}".upper())
    texts = [squash(body) for body in built.bodies]  # each page squashed once, not once per technique
    first_chapter = next(n for n, text in enumerate(texts, 1) if text.startswith(opening))
    for technique_ in built.library.ordered_techniques():
        category = built.library.category(technique_.categories[0])
        chip = built.library.category(technique_.categories[0])
        heading = squash(technique_.title + chip.icon + chip.name)  # the title, then its category chips
        for number, text in enumerate(texts, 1):
            for prefix in ("", squash(f"{category.icon} {category.name}".upper())):
                if text.startswith(prefix + heading) and number >= first_chapter:
                    starts.setdefault(technique_.id, number)
    return starts


def outline_pages(built: Built) -> dict[str, int]:
    """The page of every top-level bookmark, by its title."""
    reader = built.reader
    return {
        item.title: reader.get_destination_page_number(item) + 1
        for item in reader.outline
        if not isinstance(item, list)
    }


def sources_page(built: Built) -> int:
    return outline_pages(built)["Sources"]


def back_matter_page(built: Built) -> int:
    """The first page after the chapters: the situation index, or else the sources."""
    pages = outline_pages(built)
    return pages.get("Situation index", pages["Sources"])


def chapter_pages(built: Built, starts: dict[str, int], technique_id: str) -> range:
    first = starts[technique_id]
    later = [page for page in [*starts.values(), back_matter_page(built)] if page > first]
    return range(first, min(later))


#: What a warning panel says at the top of its part on a following page.
CONTINUED = "Warnings, continued"


def chapter_text(built: Built, starts: dict[str, int], technique_id: str) -> str:
    """The chapter's body text, pages joined, without the "continued" mark of a split panel."""
    text = "".join(built.bodies[page - 1] for page in chapter_pages(built, starts, technique_id))
    return re.sub(re.escape(CONTINUED) + r"\s*", "", text)


def links(reader: PdfReader, page_number: int) -> list[int]:
    """The 1-based target page of every link annotation on a 1-based page, in drawing order."""
    page = reader.pages[page_number - 1]
    page_numbers = {p.indirect_reference.idnum: n for n, p in enumerate(reader.pages, 1)}
    found = []
    for annotation in page.get("/Annots") or []:
        annotation = annotation.get_object()
        if annotation.get("/Subtype") == "/Link":
            destination = annotation["/Dest"]
            if isinstance(destination, str):
                destination = reader.named_destinations[destination]
                found.append(reader.get_destination_page_number(destination) + 1)
            else:
                found.append(page_numbers[destination[0].idnum])
    return found


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(tmp_path_factory.mktemp("small"), small_techniques())


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(tmp_path_factory.mktemp("generated"), generated_techniques(30))


@pytest.fixture(scope="module", params=["small", "generated"])
def handbook(request: pytest.FixtureRequest) -> Built:
    built: Built = request.getfixturevalue(request.param)
    return built


def test_every_text_of_every_technique_is_in_its_chapter(handbook: Built) -> None:
    starts = chapter_starts(handbook)
    assert set(starts) == {t.id for t in handbook.library.techniques}
    for technique_ in handbook.library.techniques:
        chapter = squash(chapter_text(handbook, starts, technique_.id))
        for text in item_texts(technique_):
            assert squash(text) in chapter, (technique_.id, text)


def test_no_missing_glyph_markers_anywhere(handbook: Built) -> None:
    for number, text in enumerate(handbook.texts, 1):
        assert "\x00" not in text and "\ufffd" not in text, number


def test_steps_are_numbered_and_warnings_marked(small: Built) -> None:
    starts = chapter_starts(small)
    alpha = collapse(chapter_text(small, starts, "alpha"))
    assert "1. alpha step one 2. alpha step two 3. alpha step three" in alpha
    assert "⚠ Do not misuse alpha — it backfires" in alpha


def test_markup_characters_print_exactly(small: Built) -> None:
    starts = chapter_starts(small)
    chapter = collapse(chapter_text(small, starts, "markup"))
    for text in [MARKUP_TITLE, "Text is data: <i>this</i> & that.", "Do not <b>shout</b> — R&D says so", *MARKUP_TEXTS]:
        assert collapse(text) in chapter
    assert collapse(MARKUP_TITLE) in collapse(small.texts[1])  # contents
    assert "R&D <Institute> (2021). Escaping & You." in collapse(" ".join(small.bodies))


def test_cyrillic_greek_and_icons_are_in_the_text_layer(small: Built) -> None:
    everything = " ".join(small.texts)
    for text in ["Бета — Βήτα technique", "Шаг один: говорите медленно", "Βήμα δύο — ρωτήστε", "🔧", "👥", "⚠"]:
        assert text in everything


def hyphen_breaks(built: Built) -> list[tuple[str, str]]:
    """(letters before, letters after) of every word broken at a line end, on every page."""
    words = {
        word.casefold()
        for technique_ in built.library.techniques
        for text in item_texts(technique_)
        for word in re.findall(r"\w+", text)
    }
    found = []
    for body in built.bodies:
        lines = [line.strip() for line in body.splitlines() if line.strip()]
        for line, following in zip(lines, lines[1:], strict=False):
            head = re.search(r"(\w+)-$", line)
            tail = re.match(r"(\w+)", following)
            if head and tail and (head.group(1) + tail.group(1)).casefold() in words:
                found.append((head.group(1), tail.group(1)))
    return found


def test_long_words_are_hyphenated_leaving_two_letters_before_and_three_after(small: Built, generated: Built) -> None:
    starts = chapter_starts(small)
    beta = chapter_text(small, starts, "beta")
    assert squash(LONG_WORDS) in squash(beta)
    breaks = hyphen_breaks(small) + hyphen_breaks(generated)
    assert breaks
    assert all(len(head) >= 2 and len(tail) >= 3 for head, tail in breaks), breaks


def test_a_word_in_another_script_is_broken_by_its_own_dictionary(generated: Built) -> None:
    """The generated library is English with Cyrillic and Greek words in it: those break too
    (with the Russian and Greek dictionaries), so justified lines ending in them do not gape."""
    from exporter.pdf.glyphs.fonts import para_text
    from exporter.pdf.lines.paragraphs import Paragraph
    from exporter.pdf.pages.styles import make_styles

    scripts = {word_script(head + tail) for head, tail in hyphen_breaks(generated)}
    assert "Latn" in scripts, scripts
    # Breaks are few now (the total-fit breaker hyphenates only where a line needs it): a
    # narrow paragraph of Russian words in an English library shows the Russian dictionary's.
    paragraph = Paragraph(para_text("доверие отношение понимание " * 4), make_styles("en").body)
    paragraph.wrap(120, 1000)
    ends = [line[1][-1] for line in paragraph.blPara.lines]
    assert any(end.endswith("-") and word_script(end) == "Cyrl" for end in ends), ends
    english, russian = hyphenator("en"), hyphenator("ru")
    assert english is not None and russian is not None
    assert ("κατα", "νόηση") in list(english("κατανόηση"))  # a Greek word in an English library
    assert list(russian("understanding"))  # an English word in a Russian library


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "κατανόηση ψυχοθεραπεία κατανόηση"), ("uk", "психотерапевтичні інтерпретації їжачок"),
     ("ru", "объёмный объёмный объёмный объёмный")],
)  # fmt: skip
def test_greek_and_every_cyrillic_letter_reach_the_hyphenation_dictionary(language: str, words: str) -> None:
    """ReportLab hyphenates only words of the letters it lists (Latin and the basic Russian
    alphabet); a Greek word, or one with ё, і, ї, є, ґ, must break as well."""
    from exporter.pdf.glyphs.fonts import para_text, register_fonts
    from exporter.pdf.lines.paragraphs import Paragraph
    from exporter.pdf.pages.styles import make_styles

    register_fonts()
    paragraph = Paragraph(para_text(("word " * 6) + words), make_styles(language).body)
    paragraph.wrap(110, 1000)
    ends = [line[1][-1] for line in paragraph.blPara.lines]
    assert any(end.endswith("-") and end[:-1] not in words.split() for end in ends), ends


def test_titles_are_never_hyphenated(small: Built) -> None:
    """The long title wraps in the contents, its chapter heading and the similar rows, unbroken."""
    title_words = set(LONG_TITLE.split())
    for body in small.bodies:
        for line in body.splitlines():
            words = line.split()
            if words and words[-1].endswith("-"):
                assert words[-1].rstrip("-") not in title_words


def test_empty_sections_are_left_out(small: Built) -> None:
    starts = chapter_starts(small)
    sparse = collapse(chapter_text(small, starts, "sparse"))
    assert "Only a step" in sparse
    for name in (
        "when_to_use",
        "key_phrases",
        "follow_up_questions",
        "alternative_phrasings",
        "warnings",
        "sources",
        "similar",
    ):
        assert SECTION_TITLES[name] not in sparse
    alpha = collapse(chapter_text(small, starts, "alpha"))
    for name in ("steps", "when_to_use", "key_phrases", "warnings", "sources", "similar"):
        assert SECTION_TITLES[name] in alpha


def part_page(built: Built, heading: str) -> int:
    """The page a front or back matter part starts on (from its bookmark)."""
    return outline_pages(built)[heading]


def expected_contents(built: Built) -> list[tuple[str, str, int]]:
    """(row text, destination, page) of every contents row, from the chapters found in the text.

    Every category that has techniques is listed, with every technique that names it (first
    or not); a category opens at its first chapter, or at the first technique listed under it.
    """
    starts = chapter_starts(built)
    library = built.library
    opening = {category.name: starts[members[0].id] for category, members in library.chapters()}
    rows = [("Quick reference", "quick-reference", part_page(built, "Quick reference"))]
    for category, members in listings(library):
        rows.append(
            (f"{category.icon} {category.name}", category.name, opening.get(category.name, starts[members[0].id]))
        )
        rows += [(t.title, f"technique-{t.id}", starts[t.id]) for t in members]
    if any(t.when_to_use for t in library.techniques):
        rows.append(("Situation index", "situations", part_page(built, "Situation index")))
    rows.append(("Sources", "sources", sources_page(built)))
    return rows


def contents_pages(built: Built) -> list[int]:
    return list(range(2, part_page(built, "Quick reference")))


def test_contents_rows_show_and_link_to_the_page_that_starts_each_chapter(handbook: Built) -> None:
    rows = expected_contents(handbook)
    pages = contents_pages(handbook)
    assert pages[0] == 2
    found = [target for page in pages for target in links(handbook.reader, page)]
    assert found == [page for _, _, page in rows]
    contents_text = "\n".join(handbook.texts[p - 1] for p in pages)
    for title, _, page in rows:
        pattern = r"\s+".join(map(re.escape, collapse(title).split()))
        assert re.search(pattern + r"\s*\n\s*" + str(page) + r"\n", contents_text), (title, page)


def test_contents_lists_every_category_with_techniques_and_cross_listed_techniques(small: Built) -> None:
    text = collapse(" ".join(small.texts[p - 1] for p in contents_pages(small)))
    interpersonal = text.split("Interpersonal")[1]
    # beta is filed first under Interpersonal; alpha is not tagged with it; long is.
    assert collapse("Бета — Βήτα technique") in interpersonal and collapse(LONG_TITLE) in interpersonal
    problem = text.split("Problem processing")[1].split("Interpersonal")[0]
    assert collapse("Бета — Βήτα technique") in problem  # cross-listed under its second category too


def test_outline_has_front_matter_every_category_with_its_techniques_and_back_matter(handbook: Built) -> None:
    reader = handbook.reader
    starts = chapter_starts(handbook)

    def entry(item: Any) -> tuple[str, int]:
        return item.title, reader.get_destination_page_number(item) + 1

    outline = reader.outline
    top = [entry(item) for item in outline if not isinstance(item, list)]
    listed = listings(handbook.library)
    assert [title for title, _ in top] == [
        "Cover", "Contents", "Quick reference", *[c.name for c, _ in listed], "Situation index", "Sources"
    ]  # fmt: skip
    assert top[0][1] == 1 and top[1][1] == 2
    children = [item for item in outline if isinstance(item, list)]
    assert len(children) == len(listed)
    for (_category, members), nested in zip(listed, children, strict=True):
        assert [entry(item) for item in nested] == [(t.title, starts[t.id]) for t in members]
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def test_similar_techniques_link_to_their_chapters_and_say_the_page(handbook: Built) -> None:
    starts = chapter_starts(handbook)
    checked = 0
    for technique_ in handbook.library.techniques:
        pages = chapter_pages(handbook, starts, technique_.id)
        found = [target for page in pages for target in links(handbook.reader, page)]
        assert found == [starts[other] for other in technique_.similar]
        chapter = collapse(chapter_text(handbook, starts, technique_.id))
        for other in technique_.similar:
            title = collapse(handbook.library.technique(other).title)
            assert re.search(re.escape(f"→ {title}") + rf" see p\. {starts[other]}\b", chapter), (technique_.id, other)
            checked += 1
    assert checked


def test_sources_list_each_source_once_with_the_techniques_citing_it(generated: Built) -> None:
    starts = chapter_starts(generated)
    sources_start = expected_contents(generated)[-1][2]
    text = collapse(" ".join(generated.bodies[sources_start - 1 :]))
    for author in range(4):
        source = f"Author {author} (2020). Book {author}. Publisher."
        assert text.count(source) == 1
        block = text.split(source)[1].split("Author ")[0]
        citing = [t for t in generated.library.ordered_techniques() if source in t.sources]
        for technique_ in citing:
            assert f"{collapse(technique_.title)} {starts[technique_.id]}" in block


def test_running_header_and_page_x_of_y_footer(generated: Built) -> None:
    starts = chapter_starts(generated)
    total = len(generated.reader.pages)
    title_from = {page: generated.library.technique(tid).title for tid, page in starts.items()}
    title = ""
    assert generated.margins[0] == ""  # the cover has neither
    for number, margin in enumerate(generated.margins[1:], 2):
        margin = collapse(margin)
        assert margin.endswith(f"page {number} of {total}")
        assert "For training only." in margin and "Test Library" in margin
        title = title_from.get(number, title)
        if number >= min(starts.values()) and number < back_matter_page(generated):
            assert collapse(title) in margin, number  # the chapter's title, also on its later pages


def test_headings_never_end_a_page(generated: Built) -> None:
    headings = {SECTION_TITLES[name] for name in SECTION_TITLES}
    for number, body in enumerate(generated.bodies, 1):
        lines = [line.strip() for line in body.strip().splitlines() if line.strip()]
        assert lines and lines[-1] not in headings, number


def test_every_font_is_embedded_and_none_is_helvetica(handbook: Built) -> None:
    seen: set[int] = set()
    fonts = [font for page in handbook.reader.pages for font in fonts_of(page.get("/Resources"), seen)]
    assert fonts
    for font in fonts:
        assert "Helvetica" not in str(font["/BaseFont"])
        descriptor = font["/FontDescriptor"].get_object()
        assert "/FontFile2" in descriptor or "/FontFile" in descriptor or "/FontFile3" in descriptor
    assert b"Helvetica" not in handbook.path.read_bytes()


def test_metadata_names_the_library_and_exporter(small: Built) -> None:
    info = small.reader.metadata
    assert info is not None
    assert info.title == "Test Library"
    assert info.author == "Test Org"
    assert info.subject == "For the test suite"
    assert "Problem processing" in str(info["/Keywords"])
    assert info.creator == f"exporter {__version__}"
    assert small.reader.trailer["/Root"]["/Lang"] == "en"


def test_cover_has_title_subtitle_organisation_edition_and_disclaimer(small: Built) -> None:
    cover = collapse(small.texts[0])
    for text in [
        "Test Library",
        "For the test suite",
        "Test Org",
        "Test edition 1",
        "For training only. Not advice of any kind.",
    ]:
        assert text in cover


def test_the_cover_disclaimer_sits_at_the_foot_with_no_word_broken(tmp_path: Path) -> None:
    """Set as one paragraph with a line break, it went to ReportLab's own breaker, which ended it
    on "fessional." after "qualified pro-" (and broke "diagnos-ing" on the way)."""
    library, _ = read_library(BUNDLED_CONTENT)
    write_handbook(library, tmp_path, BuildOptions(paper="a4"))
    with pdfplumber.open(tmp_path / "handbook.pdf") as pdf:
        cover = pdf.pages[0]
        lines = cover.extract_text_lines()
        heading = next(index for index, line in enumerate(lines) if line["text"] == "Disclaimer")
        disclaimer = lines[heading + 1 :]
        assert " ".join(line["text"] for line in disclaimer) == " ".join(library.disclaimer.split())
        assert not any(line["text"].endswith("-") for line in disclaimer)
        assert disclaimer[-1]["bottom"] > 0.8 * float(cover.height)


def test_same_content_gives_the_same_bytes(small: Built, tmp_path: Path) -> None:
    again = build(tmp_path, small_techniques(), name="again")
    assert again.path.read_bytes() == small.path.read_bytes()


@pytest.mark.parametrize(("paper", "size"), [("a4", (595.28, 841.89)), ("letter", (612.0, 792.0))])
def test_paper_size_and_margins(tmp_path: Path, paper: str, size: tuple[float, float]) -> None:
    built = build(tmp_path, [technique("alpha"), technique("beta")], paper=paper)
    for page in built.reader.pages:
        assert float(page.mediabox.width) == pytest.approx(size[0], abs=0.05)
        assert float(page.mediabox.height) == pytest.approx(size[1], abs=0.05)
    positions: list[float] = []

    def visit(text: str, cm: Any, tm: Any, *_: Any) -> None:
        if text.strip() and tuple(cm) != (1, 0, 0, 1, 0, 0):  # not a page-number form
            positions.append(tm[4] + cm[4])

    built.reader.pages[2].extract_text(visitor_text=visit)
    assert min(positions) >= 15 * 72 / 25.4


def test_cli_builds_the_handbook(tmp_path: Path) -> None:
    content = write_content(tmp_path, [technique("alpha"), technique("beta")])
    out = tmp_path / "cli-out"
    result = CliRunner().invoke(main, ["handbook", "--content", str(content), "--out", str(out), "--paper", "letter"])
    assert result.exit_code == 0, result.output
    reader = PdfReader(out / "handbook.pdf")
    assert float(reader.pages[0].mediabox.width) == pytest.approx(612.0)
    assert "Technique Alpha" in reader.pages[1].extract_text()
