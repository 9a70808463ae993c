"""Every PDF is tagged (PDF/UA-1 as far as the file goes): every glyph of content is in the
structure tree, page furniture is an artifact, headings nest, links and figures are described."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pdfplumber
import pytest
import yaml
from pdf_structure import parent_tree_problems, skipped_heading_levels, walk_pdf
from pypdf import PdfReader

FIXTURES = Path(__file__).parent.parent / "fixtures" / "libraries"
BUNDLED = Path(__file__).parent.parent.parent / "content"


def build(content: Path, out: Path, *only: str) -> Path:
    import sys

    args = [sys.executable, "-m", "exporter", "build", "--content", str(content), "--out", str(out), "-j", "1", "-q"]
    args += ["--only", ",".join(only)]
    result = subprocess.run(args, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module", params=["bundled", "ru", "he", "ar", "emoji"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    content = BUNDLED if request.param == "bundled" else FIXTURES / request.param
    out = tmp_path_factory.mktemp(f"tagged-{request.param}")
    return request.param, build(content, out, "handbook", "handouts", "cards")


def pdfs(out: Path) -> list[Path]:
    return [out / "handbook.pdf", out / "pocket-cards.pdf", *sorted((out / "handouts").glob("*.pdf"))[:2]]


def assert_tagged(path: Path) -> None:
    walk = walk_pdf(path)
    assert walk.untagged_text == 0, f"{path.name}: text outside marked content"
    assert walk.marked - walk.referenced == set(), f"{path.name}: marked content no element owns"
    assert walk.referenced - walk.marked == set(), f"{path.name}: elements pointing at missing content"
    assert skipped_heading_levels(walk.headings) == []
    assert walk.link_annotations <= walk.linked_in_tree, f"{path.name}: links not in the tree"
    assert walk.figures_without_alt == 0
    assert parent_tree_problems(path) == []
    reader = PdfReader(path)
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"]
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    for page in reader.pages:
        links = [a.get_object() for a in page.get("/Annots") or [] if a.get_object()["/Subtype"] == "/Link"]
        assert not links or page["/Tabs"] == "/S"
        assert all(link["/Contents"] for link in links)
    assert catalog["/Lang"]
    assert b"pdfuaid:part>1<" in catalog["/Metadata"].get_object().get_data()


def test_every_pdf_is_tagged_with_every_glyph_in_the_tree(built: tuple[str, Path]) -> None:
    name, out = built
    for path in pdfs(out):
        assert_tagged(path)
    catalog = PdfReader(out / "handbook.pdf").trailer["/Root"]
    rtl = catalog.get("/ViewerPreferences", {}).get("/Direction") == "/R2L"
    assert rtl == (name in ("he", "ar"))


def test_subsets_have_distinct_tags(built: tuple[str, Path]) -> None:
    _, out = built
    reader = PdfReader(out / "handbook.pdf")
    names = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    tags = {name.split("+")[0] for name in names}
    assert len(tags) == len(names) and "/AAAAAA" not in tags


def struct_text(path: Path) -> str:
    if shutil.which("pdfinfo") is None:
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    return subprocess.run(["pdfinfo", "-struct-text", str(path)], check=True, capture_output=True, text=True).stdout


def test_the_handbook_reads_aloud_in_order_without_furniture(tmp_path: Path) -> None:
    out = build(BUNDLED, tmp_path, "handbook")
    info = subprocess.run(["pdfinfo", str(out / "handbook.pdf")], capture_output=True, text=True).stdout
    assert re.search(r"Tagged:\s+yes", info)
    text = struct_text(out / "handbook.pdf")
    order = [
        'H1 (block)\n      "Mentalization',
        '"Contents"',
        '"Quick reference"',
        "TH",
        '"🔧 PROBLEM PROCESSING"',
        'H2 (block)\n        "Repair of Therapeutic Rupture"',
        '"Summary"',
        'Lbl (block)\n            "1."',
        '"When to use"',
        'Div\n        H3 (block)\n          "Warnings"',
        '"Sources"',
    ]
    positions = [text.find(piece) for piece in order]
    assert -1 not in positions, [p for p, at in zip(order, positions, strict=True) if at < 0]
    assert positions == sorted(positions)
    # The running head (the library's title), "page x of y" and dot leaders are artifacts.
    assert "page 4 of" not in text and "....." not in text
    # The library's title runs at the top of every page: read once, on the cover.
    assert len(re.findall(r"Mentalization\s*Techniques", text)) == 1
    # pdfplumber's structure reader finds the same tree.
    with pdfplumber.open(out / "handbook.pdf") as pdf:
        roles = [element["type"] for element in _elements(pdf.structure_tree)]
    assert roles[:3] == ["Document", "Sect", "H1"]
    assert roles.count("Link") >= 10 and "Table" in roles and "Lbl" in roles


def test_the_structure_text_keeps_a_space_where_a_line_wraps(built: tuple[str, Path]) -> None:
    """poppler joins a paragraph's lines: a line's last word and the next line's first must
    not come out as one word ("publishedresearch")."""
    name, out = built
    if name in ("he", "ar"):
        pytest.skip("right-to-left paragraphs read through their ActualText")
    for output in ("handbook.pdf", "pocket-cards.pdf"):
        texts = re.findall(r'^\s*"(.*)"$', struct_text(out / output), re.MULTILINE)
        words = {word for text in texts for word in text.split()}
        page_text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(out / output), "-"], capture_output=True, check=True
        )
        lines = [line.split() for line in page_text.stdout.decode("utf-8").splitlines()]
        wraps = [(a[-1], b[0]) for a, b in zip(lines, lines[1:], strict=False) if a and b]
        # Only where both sides are words (not page numbers), and not a word broken at a hyphen.
        wraps = [(a, b) for a, b in wraps if a[-1].isalpha() and b[0].isalpha()]
        assert wraps, output
        assert [a + b for a, b in wraps if a + b in words] == [], output
    if name == "bundled":  # the disclaimer wraps after "published"
        texts = re.findall(r'^\s*"(.*)"$', struct_text(out / "handbook.pdf"), re.MULTILINE)
        assert any("condenses published research." in text for text in texts)


def _elements(nodes: list) -> list:  # type: ignore[type-arg]
    found = []
    for node in nodes:
        found.append(node)
        found += _elements(node.get("children", []))
    return found


@pytest.mark.parametrize("language", ["he", "ar"])
def test_right_to_left_text_reads_in_logical_order(language: str, tmp_path: Path) -> None:
    """Right-to-left lines are drawn in visual order; their elements carry the text as written."""
    out = build(FIXTURES / language, tmp_path, "handbook")
    written = " ".join(
        " ".join(path.read_text(encoding="utf-8").split()) for path in (FIXTURES / language).rglob("*.yaml")
    )
    with pdfplumber.open(out / "handbook.pdf") as pdf:
        elements = _elements(pdf.structure_tree)
    bodies = [e["actual_text"] for e in elements if e["type"] in ("LBody", "H2") and e.get("actual_text")]
    assert len(bodies) >= 10
    missing = [text for text in bodies if text not in written]
    assert missing == []


@pytest.mark.parametrize("language", ["he", "ar"])
def test_an_emoji_sequence_in_right_to_left_text_reads_as_itself(language: str, tmp_path: Path) -> None:
    """A category opener ("🧑‍🤝‍🧑 NAME") read through its ActualText gives the sequence, never the
    private code point that draws its glyph (which also differed from process to process)."""
    out = build(FIXTURES / language, tmp_path, "handbook")
    with pdfplumber.open(out / "handbook.pdf") as pdf:
        texts = [e["actual_text"] for e in _elements(pdf.structure_tree) if e.get("actual_text")]
    private = [text for text in texts if any(0xF0000 <= ord(char) <= 0x10FFFF for char in text)]
    assert private == []
    if language == "he":
        assert any("🧑\u200d🤝\u200d🧑" in text for text in texts)


def test_a_paragraph_in_another_language_has_its_own_lang(make_content: Callable[..., Path], tmp_path: Path) -> None:
    from conftest import technique

    content = make_content(
        techniques=[
            technique(
                "alpha",
                key_phrases=["Давайте остановимся на минуту.", "Let us stop for a minute."],
                sources=["אנו עוצרים לרגע כדי לחשוב.", "Author, A. (2020). A Book. Publisher."],
            )
        ]
    )
    out = build(content, tmp_path / "out", "handbook")
    with pdfplumber.open(out / "handbook.pdf") as pdf:
        elements = _elements(pdf.structure_tree)
    languages = {e.get("lang") for e in elements if e["type"] in ("LBody", "P")}
    assert {"ru", "he"} <= languages
    english = [e for e in elements if e["type"] == "H2"]
    assert english and all(not e.get("lang") for e in english)


def mutool_warnings(path: Path) -> list[str]:
    if shutil.which("mutool") is None:
        pytest.skip("mutool (mupdf-tools) is not installed")
    result = subprocess.run(
        ["mutool", "draw", "-F", "txt", "-o", "/dev/null", str(path)], capture_output=True, text=True, check=True
    )
    return [line for line in result.stderr.splitlines() if "cmap" in line]


def test_mupdf_reads_the_text_without_cmap_warnings(built: tuple[str, Path]) -> None:
    name, out = built
    for path in pdfs(out):
        assert mutool_warnings(path) == []
    if name == "emoji":
        # Every icon, ZWJ sequences and flags longer than one ToUnicode entry included, reads whole.
        text = subprocess.run(["mutool", "draw", "-F", "txt", str(out / "handbook.pdf")], capture_output=True).stdout
        icons = [c["icon"] for c in yaml.safe_load((FIXTURES / "emoji" / "library.yaml").read_text())["categories"]]
        assert [icon for icon in icons if icon not in text.decode("utf-8")] == []


def test_course_packs_and_trainee_copies_are_tagged(tmp_path: Path) -> None:
    import sys
    import zipfile

    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "exporter", "course", "first-steps", "--content", str(BUNDLED), "--out", str(out), "-q"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    course = out / "courses" / "first-steps"
    assert_tagged(course / "course-pack.pdf")
    # A trainee's copy carries the stamp as an incremental update: still tagged, the stamp an artifact.
    copies = sorted((course / "trainees").glob("*.zip"))
    with zipfile.ZipFile(copies[0]) as archive:
        archive.extract("course-pack.pdf", tmp_path / "copy")
    assert_tagged(tmp_path / "copy" / "course-pack.pdf")


def test_the_same_input_gives_the_same_bytes(tmp_path: Path) -> None:
    first = build(BUNDLED, tmp_path / "a", "handbook", "cards")
    second = build(BUNDLED, tmp_path / "b", "handbook", "cards")
    for name in ("handbook.pdf", "pocket-cards.pdf"):
        assert (first / name).read_bytes() == (second / name).read_bytes()


@pytest.mark.soak
def test_the_generated_library_is_tagged(tmp_path: Path) -> None:
    from exporter.testing.synthetic import write_synthetic_content

    content = write_synthetic_content(tmp_path / "content", 200)
    out = build(content, tmp_path / "out", "handbook")
    assert_tagged(out / "handbook.pdf")


def _span_texts(path: Path) -> list[tuple[str, str]]:
    """(lang, text) of every Span element: its ActualText, else the characters of its marked content."""
    found = []
    with pdfplumber.open(path) as pdf:
        spans = [e for e in _elements(pdf.structure_tree) if e["type"] == "Span"]
        for span in spans:
            text = span.get("actual_text")
            if not text:
                page = pdf.pages[span["page_number"] - 1]
                text = "".join(c["text"] for c in page.chars if c.get("mcid") in span["mcids"])
            found.append((span.get("lang", ""), text))
    return found


def test_a_word_in_another_language_is_a_span_with_its_own_lang(
    make_content: Callable[..., Path], tmp_path: Path
) -> None:
    from conftest import technique

    content = make_content(
        techniques=[
            technique(
                "alpha",
                summary="Ask the client to say привет to the group, then wait.",
                key_phrases=["Say shalom, which is שלום in the prayer book, and pause."],
            )
        ]
    )
    out = build(content, tmp_path / "out", "handbook", "handouts")
    for path in (out / "handbook.pdf", out / "handouts" / "alpha.pdf"):
        assert_tagged(path)
        spans = _span_texts(path)
        assert ("ru", "привет") in spans and ("he", "שלום") in spans, spans
        assert {lang for lang, _ in spans} == {"ru", "he"}


@pytest.mark.parametrize(
    ("text", "language", "pieces"),
    [
        ("say привет now", "en", [("", "say "), ("ru", "привет"), ("", " now")]),
        ("скажи слово «привіт» тут", "en", [("uk", "скажи слово «привіт» тут")]),
        ("כמו CBT ועוד", "he", [("", "כמו "), ("en", "CBT"), ("", " ועוד")]),
        ("a β-blocker", "en", [("", "a β-blocker")]),
        ("plain English", "en", [("", "plain English")]),
        ("Слово English слово", "ru", [("", "Слово "), ("en", "English"), ("", " слово")]),
    ],
)
def test_words_in_another_script_are_cut_out_with_their_language(
    text: str, language: str, pieces: list[tuple[str, str]]
) -> None:
    from exporter.pdf.tagging.languages import foreign_runs

    assert foreign_runs(text, language) == pieces
    assert "".join(piece for _, piece in foreign_runs(text, language)) == text
