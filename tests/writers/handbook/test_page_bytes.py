"""A handbook page's bytes depend only on that page: what a cache of chapters needs.

For a generated library and the same library with its first chapter edited (the chapter keeps
its page count), every page outside that chapter draws the same bytes (its decoded content
stream), names the same fonts and forms in its resources and has the same links. One edit
brings forward the first use of characters the library otherwise prints only in its last
chapter, which once shifted every subset code after them; the other adds a "see also" row, a
page-number form, which once shifted the name of every form after it. Forms filled in after
the last page (contents, "see p.", "page x of y") are compared by name, not by what they show.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import BUNDLED_CONTENT, FIXTURES
from pypdf import PdfReader
from pypdf.generic import ArrayObject, IndirectObject

from exporter.build.pipeline import load_checked
from exporter.model import Library
from exporter.pdf.glyphs import embedding
from exporter.pdf.glyphs.glyphcodes import text_of
from exporter.pdf.pages.subsets import library_seed
from exporter.testing.synthetic import write_synthetic_content
from exporter.writers.handbook import build_handbook
from exporter.writers.handbook.course_pack import build_course_pack

#: Characters and kerned pairs the generated text never uses (Vietnamese, a capital "Wa").
RARE_WORDS = ("Nguyễn", "Trương", "Wałęsa")


def _step_texts(data: dict[str, Any]) -> list[str]:
    return [step["text"] if isinstance(step, dict) else step for step in data["steps"]]


def _set_step(data: dict[str, Any], index: int, text: str) -> None:
    if isinstance(data["steps"][index], dict):
        data["steps"][index]["text"] = text
    else:
        data["steps"][index] = text


def _edit(path: Path, edit: Any) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _with_rare_words(text: str) -> str:
    """text with its first plain words replaced by RARE_WORDS (about as long: same lines)."""
    words = text.split(" ")
    plain = [index for index, word in enumerate(words) if word.isalpha() and word.islower()]
    for index, rare in zip(plain, RARE_WORDS, strict=False):
        words[index] = rare
    return " ".join(words)


def _library(content: Path) -> Library:
    library, _ = load_checked(content, strict=False, pdf=True)
    return library


def _more_similar(data: dict[str, Any], other: str) -> None:
    data["similar"] = [*data.get("similar", []), other]


@pytest.fixture(scope="module", params=["step", "similar"])
def handbooks(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Library]:
    """(cold handbook, handbook after the edit, the edited library). The edit is to a step of
    the first chapter, or one more "see also" row there (one more page-number form)."""
    root = tmp_path_factory.mktemp("page-bytes")
    content = write_synthetic_content(root / "library", 24)
    order = [technique.id for technique in _library(content).ordered_techniques()]
    first, last = (content / "techniques" / f"{technique_id}.yaml" for technique_id in (order[0], order[-1]))
    # The last chapter alone prints the rare words ...
    _edit(last, lambda data: _set_step(data, 0, _step_texts(data)[0] + " " + " ".join(RARE_WORDS) + "."))
    before = _library(content)
    build_handbook(before, root / "before.pdf", "a4")
    if request.param == "step":
        # ... until the first chapter prints them too.
        _edit(first, lambda data: _set_step(data, 1, _with_rare_words(_step_texts(data)[1])))
    else:
        _edit(first, lambda data: _more_similar(data, order[-1]))
    after = _library(content)
    assert after.technique(order[0]) != before.technique(order[0])
    # The edit adds no glyph to the library, so the subsets are seeded the same.
    assert library_seed(after) == library_seed(before)
    build_handbook(after, root / "after.pdf", "a4")
    return root / "before.pdf", root / "after.pdf", after


def _outline(entries: list[Any]) -> Iterator[Any]:
    for entry in entries:
        if isinstance(entry, list):
            yield from _outline(entry)
        else:
            yield entry


def _chapter_pages(reader: PdfReader, library: Library, technique_id: str) -> range:
    """The pages (from 0) of a technique's chapter: from its bookmark to the next bookmark's page."""
    starts = {entry.title: reader.get_destination_page_number(entry) for entry in _outline(reader.outline)}
    start = starts[library.technique(technique_id).title]
    later = [page for page in starts.values() if page > start]
    return range(start, min(later) if later else len(reader.pages))


def _resource_names(page: Any) -> tuple[list[str], list[str]]:
    """The names a page's drawing uses for its fonts and forms (not the objects they name)."""
    resources = page["/Resources"].get_object()
    return sorted((resources.get("/Font") or {}).keys()), sorted((resources.get("/XObject") or {}).keys())


def _links(reader: PdfReader, page: Any) -> list[tuple[object, ...]]:
    """Each link annotation as what it does (its box, the page it goes to, its description),
    not by object numbers (its own, its target page's), which still depend on every object made
    before it (see docs/dev/architecture.md)."""
    page_numbers = {p.indirect_reference.idnum: n for n, p in enumerate(reader.pages)}
    links = []
    for reference in page.get("/Annots") or ArrayObject():
        assert isinstance(reference, IndirectObject)
        link = reference.get_object()
        target = page_numbers[link["/Dest"][0].idnum]
        links.append((tuple(float(n) for n in link["/Rect"]), target, str(link.get("/Contents"))))
    return links


def test_pages_outside_the_edited_chapter_keep_their_bytes(handbooks: tuple[Path, Path, Library]) -> None:
    before_path, after_path, library = handbooks
    before, after = PdfReader(before_path), PdfReader(after_path)
    assert len(after.pages) == len(before.pages)
    edited = _chapter_pages(after, library, library.ordered_techniques()[0].id)
    assert _chapter_pages(before, library, library.ordered_techniques()[0].id) == edited
    changed = [
        number
        for number, (old, new) in enumerate(zip(before.pages, after.pages, strict=True))
        if old.get_contents().get_data() != new.get_contents().get_data()
    ]
    # The edit shows where it was made, and nowhere else.
    assert changed and set(changed) <= set(edited)
    for number, (old, new) in enumerate(zip(before.pages, after.pages, strict=True)):
        if number not in edited:
            assert _resource_names(new) == _resource_names(old), number
            assert _links(after, new) == _links(before, old), number


def test_the_rare_words_come_back_from_both_chapters(handbooks: tuple[Path, Path, Library]) -> None:
    """Seeded codes still read back as the characters written (ToUnicode)."""
    _, after_path, library = handbooks
    reader = PdfReader(after_path)
    first, last = library.ordered_techniques()[0], library.ordered_techniques()[-1]
    for technique in (first, last) if RARE_WORDS[0] in first.steps[1].text else (last,):
        pages = _chapter_pages(reader, library, technique.id)
        text = " ".join(reader.pages[number].extract_text() for number in pages)
        assert all(word in text for word in RARE_WORDS), technique.id


@pytest.fixture
def codes_handed_out(monkeypatch: pytest.MonkeyPatch) -> dict[str, tuple[set[int], set[int]]]:
    """Per font of the documents built: (code points seeded, code points drawn beyond ASCII)."""
    found: dict[str, tuple[set[int], set[int]]] = {}
    seed_fonts, add_objects = embedding.seed_fonts, embedding.EmbeddedFont.addObjects

    def seeding(seed: dict[str, str], doc: object) -> None:
        for name, characters in seed.items():
            found.setdefault(name, (set(), set()))[0].update(map(ord, characters))
        seed_fonts(seed, doc)

    def adding(font: embedding.EmbeddedFont, doc: object) -> None:
        drawn = {code for code in font.state[doc].assignments if code > 127}
        found.setdefault(font.fontName, (set(), set()))[1].update(drawn)
        add_objects(font, doc)

    monkeypatch.setattr(embedding, "seed_fonts", seeding)
    monkeypatch.setattr(embedding.EmbeddedFont, "addObjects", adding)
    return found


@pytest.mark.parametrize("name", ["ar", "he", "emoji", "ru", "de"])
def test_every_glyph_a_handbook_draws_was_seeded_before_its_first_page(
    name: str, codes_handed_out: dict[str, tuple[set[int], set[int]]], tmp_path: Path
) -> None:
    """Right-to-left runs shaped, mirrored brackets, emoji sequences, kerned capitals: all given
    their codes before the first page, so no page's codes depend on the pages before it."""
    library = _library(FIXTURES / "libraries" / name)
    build_handbook(library, tmp_path / "handbook.pdf", "a4")
    assert codes_handed_out
    late = {font: drawn - seeded for font, (seeded, drawn) in codes_handed_out.items() if drawn - seeded}
    assert not late, {font: [text_of(code) or chr(code) for code in codes] for font, codes in late.items()}


def test_every_glyph_a_course_pack_draws_was_seeded(
    codes_handed_out: dict[str, tuple[set[int], set[int]]], tmp_path: Path
) -> None:
    """The course's own texts (title, trainer, sessions in capitals, dates) are seeded too."""
    library = _library(BUNDLED_CONTENT)
    build_course_pack(library, library.courses[0], None, tmp_path / "pack.pdf", "a4")
    late = {font: drawn - seeded for font, (seeded, drawn) in codes_handed_out.items() if drawn - seeded}
    assert not late, {font: [text_of(code) or chr(code) for code in codes] for font, codes in late.items()}


_BUILD = """
import sys
from pathlib import Path
from exporter.build.pipeline import load_checked
from exporter.writers.handbook import build_handbook
*libraries, target = sys.argv[1:]
for number, folder in enumerate(libraries):
    library, _ = load_checked(Path(folder), strict=False, pdf=True)
    build_handbook(library, Path(target) if number == len(libraries) - 1 else Path(target + ".other"), "a4")
"""


def test_a_handbook_has_the_same_bytes_whatever_its_process_drew_before(tmp_path: Path) -> None:
    """Glyph codes are private code points handed out as a process first meets each glyph; a
    process that drew the emoji library first has other values for the same sequences. The
    seed's order and the text layer never use those values."""
    hebrew, emoji = FIXTURES / "libraries" / "he", FIXTURES / "libraries" / "emoji"
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1796541000"}
    for name, libraries in (("alone.pdf", [hebrew]), ("after.pdf", [emoji, hebrew])):
        command = [sys.executable, "-c", _BUILD, *map(str, libraries), str(tmp_path / name)]
        subprocess.run(command, check=True, env=environment, cwd=Path(__file__).parents[3])
    assert (tmp_path / "after.pdf").read_bytes() == (tmp_path / "alone.pdf").read_bytes()


def test_the_fonts_are_written_in_the_order_of_their_names(tmp_path: Path) -> None:
    """Not in the order the pages first used them, which depends on every page."""
    build_handbook(_library(FIXTURES / "libraries" / "he"), tmp_path / "handbook.pdf", "a4")
    fonts = PdfReader(tmp_path / "handbook.pdf").pages[0]["/Resources"]["/Font"]
    names = [name for name, _ in sorted(fonts.items(), key=lambda item: item[1].idnum)]
    assert len(names) > 5 and names == sorted(names)
