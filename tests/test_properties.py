"""Properties over random valid libraries: every output builds, keeps every text, clips nothing.

Each example writes a random content tree as YAML, reads it through the real loader (so
validation is part of the property) and builds one output from it. EXPORTER_FUZZ_EXAMPLES
sets the number of examples per property (default 6); raise it for a longer run.
"""

from __future__ import annotations

import dataclasses
import html
import os
import re
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from anki.collection import Collection
from anki.import_export_pb2 import (
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
    ImportAnkiPackageUpdateCondition,
)
from anki.notes import NoteId
from conftest import write_content
from content_strategies import content, nfc, rtl_text
from hypothesis import HealthCheck, Phase, event, example, given, settings
from hypothesis import strategies as st
from pdf_reading import collapse, item_texts, page_texts, squash
from pypdf import PdfReader

from exporter.content.techniques import read_library
from exporter.errors import ExporterError
from exporter.model import LIST_FIELDS, Item, Library, Technique
from exporter.options import BuildOptions
from exporter.pdf.glyphs.fonts import drawable
from exporter.writers import get_writer
from exporter.writers.cards import write_cards
from exporter.writers.cards.plan import MIN_SIZE, CardPlan, PagePlan, Placement, plan_cards
from exporter.writers.deck.identity import MODEL_ID, PHRASE_KINDS, STEP, WARNING, NoteKind, note_guid, note_key

FUZZ_EXAMPLES = int(os.environ.get("EXPORTER_FUZZ_EXAMPLES", "6"))
FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    # Shrinking a whole library through four writers takes minutes: report the example as drawn.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
Content = tuple[dict[str, Any], list[dict[str, Any]]]


def read_generated(root: Path, data: Content) -> tuple[Library, BuildOptions]:
    """Write the content as YAML, read it back through validation; options from its settings."""
    library_data, techniques = data
    library, _warnings = read_library(write_content(root, techniques, library_data))
    chosen = library.settings
    return library, BuildOptions(paper=chosen.paper, card_size=chosen.card_size, duplex=chosen.duplex)


@contextmanager
def built(data: Content, output: str) -> Iterator[tuple[Library, Path, BuildOptions]]:
    """The library, the folder one output was built into (a fresh one), and the options used."""
    with tempfile.TemporaryDirectory() as folder:
        library, options = read_generated(Path(folder), data)
        get_writer(output)(library, Path(folder) / "out", options)
        yield library, Path(folder) / "out", options


def plain(value: Any) -> dict[str, Any]:
    """A list entry as written: text with optional id and cue."""
    return value if isinstance(value, dict) else {"text": value}


@FUZZ
@given(content())
def test_the_loader_reads_back_exactly_what_was_written(data: Content) -> None:
    library_data, techniques = data
    with tempfile.TemporaryDirectory() as folder:
        library, warnings = read_library(write_content(Path(folder), techniques, library_data))
    assert all(problem.severity == "warning" for problem in warnings)
    assert library.title == nfc(library_data["title"])
    assert library.disclaimer == nfc(library_data["disclaimer"])
    assert [c.name for c in library.categories] == [nfc(c["name"]) for c in library_data["categories"]]
    assert [c.icon for c in library.categories] == [c["icon"] for c in library_data["categories"]]
    assert dataclasses.asdict(library.settings) == library_data["settings"]
    for written in techniques:
        technique = library.technique(written["id"])
        assert technique.title == nfc(written["title"])
        assert technique.summary == nfc(written["summary"])
        assert list(technique.categories) == [nfc(name) for name in written["categories"]]
        for name in LIST_FIELDS:
            entries = [plain(entry) for entry in written.get(name, [])]
            assert [(i.text, i.id, i.cue) for i in technique.items(name)] == [
                (nfc(e["text"]), e.get("id"), e.get("cue") and nfc(e["cue"])) for e in entries
            ]
        assert list(technique.sources) == [nfc(source) for source in written.get("sources", [])]
        assert list(technique.similar) == [other for other in written.get("similar", []) if other != written["id"]]


# --- handbook and handouts -------------------------------------------------------------------


def assert_drawn(text: str) -> None:
    assert "\x00" not in text and "\ufffd" not in text, "a character was drawn without a glyph"


def page_index(reader: PdfReader, entry: Any) -> int:
    index = reader.get_destination_page_number(entry)
    assert index is not None, entry
    return index


def printed(text: str) -> str:
    """Content text as a PDF's text layer gives it back, squashed: without the invisible emoji
    selectors (U+FE0F) that only choose how the character before them looks, and without marks
    that open it with no letter of their own (squashed, they join whatever letter the page
    puts before them: "Sources" then "\u0327x" reads "Sourceş" + "x")."""
    squashed = squash(drawable(text))
    return squashed.lstrip("".join({c for c in squashed[:4] if unicodedata.combining(c)}))


def unmarked(text: str) -> str:
    """Text without its combining marks: a mark that opens the next line of a card joins the last
    letter of the line before it on the page ("Source" then "\u0301x" reads "Sourcé" + "x")."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def shown_or_shortened(title: str, squashed_text: str) -> bool:
    """Whether the title is in the text, whole or cut short with "…" as a running header may be."""
    title = drawable(title)
    if squash(title) in squashed_text:
        return True
    return any(squash(title[:end]) + "…" in squashed_text for end in range(1, len(title)))


def chapter_bodies(reader: PdfReader, library: Library) -> dict[str, tuple[int, str]]:
    """Technique id -> (index of its first page, body text of its chapter), split where the
    outline says (a technique is listed under each of its categories; its chapter is printed
    under the first)."""
    from exporter.writers.handbook import listings

    outline: list[Any] = list(reader.outline)
    listed = listings(library)
    top = [item for item in outline if not isinstance(item, list)]
    nested = [item for item in outline if isinstance(item, list)]
    assert [item.title for item in top][:3] == ["Cover", "Contents", "Quick reference"]
    assert [item.title for item in top][3 : 3 + len(listed)] == [c.name for c, _ in listed]
    assert len(nested) == len(listed)
    first_page: dict[str, int] = {}
    for (category, members), entries in zip(listed, nested, strict=True):
        assert [entry.title for entry in entries] == [t.title for t in members]
        for technique, entry in zip(members, entries, strict=True):
            if technique.categories[0] == category.name:
                first_page[technique.id] = page_index(reader, entry)
    starts = [(t.id, first_page[t.id]) for t in library.ordered_techniques()]
    # Chapters that run on share a page with the next one: it belongs to both.
    shared = 1 if library.settings.chapter_start == "continuous" else 0
    ends = [page + shared for _, page in starts[1:]]
    after = [page_index(reader, item) for item in top[3 + len(listed) :]]
    ends.append(after[0] if after else len(reader.pages))
    labels = library.labels()
    # A warning panel that runs onto the next page opens there with "Warnings, continued".
    continued = labels("handbook.continued", section=labels("handbook.section.warnings"))
    bodies = [page_texts(page)[0].replace(continued, "") for page in reader.pages]
    return {tid: (start, "".join(bodies[start:end])) for (tid, start), end in zip(starts, ends, strict=True)}


@FUZZ
@given(content())
def test_handbook_shows_every_text_of_the_content(data: Content) -> None:
    with built(data, "handbook") as (library, out, _):
        reader = PdfReader(out / "handbook.pdf")
        texts = [page.extract_text() for page in reader.pages]
        assert_drawn("".join(texts))
        cover = squash(texts[0])
        for text in (library.title, library.subtitle, library.organisation, library.edition, library.disclaimer):
            assert printed(text) in cover, text
        assert shown_or_shortened(library.footer_disclaimer(), squash(texts[1])), library.footer_disclaimer()
        chapters = chapter_bodies(reader, library)
        contents = squash("".join(texts[1 : min(start for start, _ in chapters.values())]))
        for category, members in library.chapters():
            assert printed(category.name) in contents, category.name
            for technique in members:
                assert printed(technique.title) in contents, technique.id
        for technique_id, (_, body) in chapters.items():
            technique = library.technique(technique_id)
            chapter = squash(body)
            for text in item_texts(technique):
                assert printed(text) in chapter, (technique_id, text)
            for other in technique.similar:
                assert printed(library.technique(other).title) in chapter, (technique_id, other)


@FUZZ
@given(content())
def test_each_handout_shows_its_technique_and_the_disclaimer(data: Content) -> None:
    with built(data, "handouts") as (library, out, _):
        assert {p.name for p in (out / "handouts").iterdir()} == {f"{t.id}.pdf" for t in library.techniques}
        for technique in library.techniques:
            pages = [page_texts(page) for page in PdfReader(out / "handouts" / f"{technique.id}.pdf").pages]
            labels = library.labels()
            continued = labels("handbook.continued", section=labels("handbook.section.warnings"))
            pages = [(body.replace(continued, ""), full, margins) for body, full, margins in pages]
            assert_drawn("".join(texts[1] for texts in pages))
            # The body alone: a running header or footer may split a paragraph that crosses a page.
            handout = squash("".join(texts[0] for texts in pages))
            for piece in item_texts(technique):
                assert printed(piece) in handout, (technique.id, piece)
            # The whole disclaimer, at the end or in the footer of a page.
            disclaimer = printed(library.disclaimer)
            assert disclaimer in handout or any(disclaimer in squash(texts[1]) for texts in pages), technique.id
            for other in technique.similar:
                assert printed(library.technique(other).title) in handout, (technique.id, other)
            header = squash(pages[0][1])
            assert shown_or_shortened(library.title, header), (technique.id, library.title)


def test_line_breaks_in_titles_draw_no_missing_glyph(tmp_path: Path) -> None:
    library_data = {
        "title": "Library\ntitle",
        "disclaimer": "For training only.",
        "categories": [{"name": "Problem\tprocessing", "icon": "🔧", "colour": "#b5651d"}],
    }
    steps = ["Step one"]
    data = [
        {"id": "alpha", "title": "Two\nlines", "categories": ["Problem\tprocessing"], "summary": "S", "steps": steps}
    ]
    library, _ = read_library(write_content(tmp_path, data, library_data))
    for output in ("handbook", "handouts"):
        get_writer(output)(library, tmp_path / "out", BuildOptions())
    for path in (tmp_path / "out" / "handbook.pdf", tmp_path / "out" / "handouts" / "alpha.pdf"):
        with pdfplumber.open(path) as pdf:
            boxes = [c["text"] for page in pdf.pages for c in page.chars if c["text"] in "\x00\t\n"]
        assert boxes == [], path.name


# --- deck ------------------------------------------------------------------------------------

#: What Anki's import dialog does unless the user changes it.
IF_NEWER = ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER
DEFAULT_IMPORT = ImportAnkiPackageOptions(
    merge_notetypes=False, update_notes=IF_NEWER, update_notetypes=IF_NEWER, with_scheduling=False
)


def visible(card_html: str) -> str:
    """What a card shows as text: styles and tags removed, line breaks kept, entities decoded."""
    body = card_html.split("</style>")[-1]
    body = re.sub(r"<br\s*/?>", "\n", body)
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def field_text(field: str) -> str:
    """A field's text: line breaks as written; the mark on the graded part and the fold of a long
    answer's rest (with its "More") taken away."""
    field = re.sub(r"<summary>.*?</summary>|</?(?:span|details)[^>]*>", "", field)
    return html.unescape(re.sub(r"<br\s*/?>", "\n", field))


def deck_items(library: Library) -> Iterator[tuple[str, NoteKind, Item, str]]:
    """(note key, kind, item, technique id) for every note the deck must have."""
    for technique in library.ordered_techniques():
        kinds = [STEP, *PHRASE_KINDS, WARNING]
        for kind in kinds:
            for position, item in enumerate(technique.items(kind.section), 1):
                yield note_key(technique, kind, item, position), kind, item, technique.id


@FUZZ
@given(content())
def test_deck_imported_into_anki_shows_every_item_exactly(data: Content) -> None:
    with built(data, "deck") as (library, out, _):
        collection = Collection(str(out / "collection.anki2"))
        try:
            request = ImportAnkiPackageRequest(package_path=str(out / "deck.apkg"), options=DEFAULT_IMPORT)
            log = collection.import_anki_package(request).log
            expected = list(deck_items(library))
            assert collection.db is not None
            assert len(log.new) == collection.db.scalar("select count() from notes")
            note_ids: dict[str, NoteId] = {
                guid: NoteId(nid)
                for guid, nid in collection.db.all("select guid, id from notes where mid = ?", MODEL_ID)
            }
            assert len(note_ids) == len(expected)  # the later kinds have note types of their own
            for key, kind, item, technique_id in expected:
                technique = library.technique(technique_id)
                note = collection.get_note(note_ids[note_guid(key)])
                if "xc-key" in note["Answer"]:  # a graded part marked: the words as written, spaces aside
                    assert collapse(field_text(note["Answer"])) == collapse(item.text), key
                else:
                    assert field_text(note["Answer"]) == item.text, key
                (card,) = note.cards()
                unfolded = re.sub(r"<summary>.*?</summary>", "", card.answer())  # "More" before a long rest
                question, answer = collapse(visible(card.question())), collapse(visible(unfolded))
                assert collapse(item.text) in answer, key
                for shown in (technique.title, technique.categories[0]):
                    assert collapse(shown) in question, (key, shown)
                # Step cards show the previous step as their context; only phrases and warnings show a cue.
                if item.cue and kind is not STEP:
                    assert collapse(item.cue) in question, (key, item.cue)
                if kind is WARNING:
                    for source in technique.sources:
                        assert collapse(source) in answer, (key, source)
                parts = deck_parts(library.title, technique.categories[0], technique.title)
                if not any(part.startswith(":") or part.endswith(":") or "::" in part for part in parts):
                    assert collection.decks.name(card.did).split("::") == parts, key
        finally:
            collection.close()


def deck_parts(*names: str) -> list[str]:
    """The deck levels the README promises: library title, category, technique title, each on one
    line and with "::" (which would nest one more level) shown as ":". Colons at the edge of a
    name still nest: see test_colons_at_the_edge_of_a_title_do_not_nest_decks."""
    return [" ".join(name.split()).replace("::", ":") for name in names]


def test_colons_at_the_edge_of_a_title_do_not_nest_decks(tmp_path: Path) -> None:
    library_data = {
        "title": "Module 1:",
        "disclaimer": "For training only.",
        "categories": [{"name": ":Listening", "icon": "", "colour": "#b5651d"}],
    }
    data = [{"id": "alpha", "title": "Pause ::: rewind", "categories": [":Listening"], "summary": "S", "steps": ["A"]}]
    library, _ = read_library(write_content(tmp_path, data, library_data))
    get_writer("deck")(library, tmp_path / "out", BuildOptions())
    collection = Collection(str(tmp_path / "collection.anki2"))
    try:
        request = ImportAnkiPackageRequest(package_path=str(tmp_path / "out" / "deck.apkg"), options=DEFAULT_IMPORT)
        collection.import_anki_package(request)
        (card_id,) = collection.find_cards("")
        levels = collection.decks.name(collection.get_card(card_id).did).split("::")
        assert len(levels) == 3 and "blank" not in levels, levels
    finally:
        collection.close()


# --- pocket cards ----------------------------------------------------------------------------


def char_box(char: dict[str, Any], page_height: float) -> tuple[float, float, float, float]:
    return char["x0"], page_height - char["bottom"], char["x1"], page_height - char["top"]


def planned_texts(plan: CardPlan, technique_id: str, side: str) -> list[str]:
    return [
        block.text
        for card in plan.cards
        if card.technique_id == technique_id
        for block in (card.front if side == "front" else card.back).blocks
        if block.content
    ]


TOO_LONG = re.compile(
    r"(?P<path>[^\n]+):(?P<line>\d+): (?P<field>\w+(?:\[\d+\])?): too long for a (?P<size>\S+) pocket card .*"
    r"\(technique '(?P<id>[a-z0-9-]+)'"
)


def alone(technique: Technique, field: str) -> Technique:
    """The technique cut down to its title (on every card) and the one entry a card error names."""
    name, _, rest = field.partition("[")
    index = int(rest.rstrip("]")) if rest else 0
    lists: dict[str, Any] = {section: () for section in LIST_FIELDS}
    lists["steps"] = (Item("Step"),)
    if name in LIST_FIELDS:
        lists[name] = (technique.items(name)[index],)
    return dataclasses.replace(
        technique,
        sources=(technique.sources[index],) if name == "sources" else (),
        similar=(),
        **lists,
    )


def assert_only_an_oversized_entry(message: str, library: Library, options: BuildOptions) -> None:
    """A card error must name one entry (or the title) that cannot fit a card even on its own."""
    found = TOO_LONG.match(message)
    assert found, message
    technique = library.technique(found["id"])
    assert found["path"] == technique.path and found["size"] == options.card_size, message
    name, _, rest = found["field"].partition("[")
    if name in LIST_FIELDS:
        assert int(found["line"]) == technique.items(name)[int(rest.rstrip("]"))].line, message
    lonely = dataclasses.replace(library, techniques=(alone(technique, found["field"]),))
    with pytest.raises(ExporterError):
        plan_cards(lonely, options)


@FUZZ
@given(content(), st.booleans(), st.sampled_from([(0.0, 0.0), (1.5, -2.0), (-0.5, 1.0)]))
def test_no_pocket_card_clips_or_loses_text(data: Content, calibration: bool, back_offset: tuple[float, float]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        library, options = read_generated(Path(folder), data)
        options = dataclasses.replace(options, calibration=calibration, back_offset_mm=back_offset)
        out = Path(folder) / "out"
        try:
            write_cards(library, out, options)
        except ExporterError as error:
            event("an entry too long for the card size")
            assert_only_an_oversized_entry(error.message, library, options)
            assert not out.exists() or not any(out.iterdir())
            return
        assert_cards_hold_their_text(library, out, options)


def assert_cards_hold_their_text(library: Library, out: Path, options: BuildOptions) -> None:
    """The plan has every entry a card shows; the PDF draws each planned text on its card, inside
    the card's safe area."""
    plan = plan_cards(library, options)
    for technique in library.techniques:
        front = planned_texts(plan, technique.id, "front")
        planned = [text for card in plan.cards if card.technique_id == technique.id
                   for text in planned_texts_of(card)]  # fmt: skip
        assert front[0] == technique.steps[0].text
        assert [text for text in planned if text in {s.text for s in technique.steps}][: len(technique.steps)] == [
            step.text for step in technique.steps
        ]
        if options.duplex == "none":
            continue
        for text in [*(i.text for i in technique.key_phrases + technique.warnings), *technique.sources]:
            assert text in planned, (technique.id, text)
    assert all(card.front.size >= MIN_SIZE and card.back.size >= MIN_SIZE for card in plan.cards)
    sides = ("front",) if options.duplex == "none" else ("front", "back")
    placed = sorted((p.card, p.side) for page in plan.pages for p in page.placements)
    assert placed == sorted((card, side) for card in range(len(plan.cards)) for side in sides)
    with pdfplumber.open(out / "pocket-cards.pdf") as pdf:
        assert len(pdf.pages) == len(plan.pages)
        for page, page_plan in zip(pdf.pages, plan.pages, strict=True):
            if not page_plan.kind.startswith("calibration"):
                assert_glyphs_inside_cards(page, page_plan, plan)
                for placement in page_plan.placements:
                    assert_card_side_drawn(page, placement, plan)


def assert_glyphs_inside_cards(page: Any, page_plan: PagePlan, plan: CardPlan) -> None:
    safe_areas = [placement.safe for placement in page_plan.placements]
    # A space at the end of a line carries no ink: only visible glyphs can be clipped.
    for char in (c for c in page.chars if c["text"].strip()):
        box = char_box(char, page.height)
        inside = any(safe.contains(*box, tolerance=0.01) for safe in safe_areas)
        legend = page_plan.kind != "back" and plan.sheet.legend.contains(*box, tolerance=0.01)
        assert inside or legend, f"{char['text']!r} at {box} is outside every card's safe area"


def planned_texts_of(card: Any) -> list[str]:
    return [block.text for block in card.front.blocks + card.back.blocks if block.content]


def unhyphenated(text: str) -> str:
    return printed(text).replace("-", "")


def assert_card_side_drawn(page: Any, placement: Placement, plan: CardPlan) -> None:
    """Every planned block's lines add up to its whole text, and each line is drawn in its column."""
    card = plan.cards[placement.card]
    side = card.front if placement.side == "front" else card.back
    rect, safe = placement.rect, placement.safe
    if side.empty:
        return
    drawn = squash(page.within_bbox((rect.x, page.height - rect.top, rect.right, page.height - rect.y)).extract_text())
    assert side.title is not None and all(printed(line) in drawn for line in side.title.lines)
    for number, column in enumerate(side.columns):
        left = safe.x + number * (side.column_width + side.column_gap) - 0.5
        box = (left, page.height - rect.top, left + side.column_width + 1.0, page.height - rect.y)
        column_text = squash(page.within_bbox(box).extract_text())
        for placed in column:
            lines = placed.set_block.lines
            assert unhyphenated("".join(lines)) == unhyphenated(placed.block.text), (card.technique_id, lines)
            for line in lines:
                assert unmarked(printed(line)) in unmarked(column_text), (card.technique_id, placement.side, line)


# Right-to-left text and emoji sequences ---------------------------------------------------------


def _pdftotext(pdf: Path) -> str:
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True).stdout
    return re.sub("[\u200e\u200f\u202a-\u202e]", " ", out.decode("utf-8"))


@FUZZ
@given(st.lists(rtl_text(), min_size=1, max_size=4), st.sampled_from(["he", "ar"]))
@example(["שלום? Fonagy", "لا Fonagy (A), 🇧🇷, والعودة?"], "ar")  # a line pdftotext reads left to right
def test_right_to_left_paragraphs_give_every_word_back(paragraphs: list[str], language: str) -> None:
    """Any Hebrew or Arabic paragraph, mixed with numbers, Latin words and emoji, broken over
    lines of a narrow column: every word comes back from pdftotext, each line of Hebrew or Arabic
    words in reading order; every emoji is one glyph of the emoji font."""
    from reportlab.platypus import SimpleDocTemplate

    from exporter.pdf.glyphs.fallback import EMOJI
    from exporter.pdf.glyphs.fonts import font_runs, para_text
    from exporter.pdf.lines.paragraphs import Paragraph
    from exporter.pdf.pages.styles import make_styles
    from exporter.text.emoji_sequences import emoji_sequences

    styles = make_styles(language)
    sequences = set(emoji_sequences())
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "rtl.pdf"
        document = SimpleDocTemplate(str(target), pagesize=(220, 2000), leftMargin=20, rightMargin=20)
        document.build([Paragraph(para_text(text), styles.body) for text in paragraphs])
        extracted = _pdftotext(target)
    expected = [word for text in paragraphs for word in re.findall(r"\w+", nfc(text))]
    assert Counter(re.findall(r"\w+", extracted)) == Counter(expected)
    # pdftotext guesses the direction of each run of Latin letters and numbers itself (and not as
    # the bidi algorithm does), so the order is checked on the Hebrew and Arabic words of a line.
    # When a line's first strong letter is Latin, pdftotext may read the whole line as left to
    # right and give its words in drawing order, that is, reversed: either order is the line's.
    paragraph_words = [_rtl_words(nfc(text)) for text in paragraphs]
    for line in extracted.splitlines():
        words = _rtl_words(line)
        if words:
            orders = (words, words[::-1])
            assert any(_is_slice(order, whole) for whole in paragraph_words for order in orders), (line, paragraphs)
    for text in paragraphs:
        for icon in (icon for icon in sequences if len(icon) > 1 and icon in text):
            runs = [run for font, run in font_runs(icon)]
            assert len(runs) == 1 and len(runs[0]) == 1 and [f for f, _ in font_runs(icon)] == [EMOJI]


def _is_slice(part: list[str], whole: list[str]) -> bool:
    return any(whole[start : start + len(part)] == part for start in range(len(whole) - len(part) + 1))


def _rtl_words(text: str) -> list[str]:
    return re.findall("[\u0590-\u06ff]+", text)
