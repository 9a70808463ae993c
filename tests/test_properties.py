"""Properties over random valid libraries: every output builds, keeps every text, clips nothing.

Each example writes a random content tree as YAML, reads it through the real loader (so
validation is part of the property) and builds one output from it. EXPORTER_FUZZ_EXAMPLES
sets the number of examples per property (default 6); raise it for a longer run.
"""

from __future__ import annotations

import html
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pdfplumber
from anki.collection import Collection
from anki.import_export_pb2 import ImportAnkiPackageOptions, ImportAnkiPackageRequest
from conftest import write_content
from content_strategies import content
from hypothesis import HealthCheck, Phase, given, settings
from pypdf import PdfReader
from test_handbook import collapse, item_texts, page_texts, squash

from exporter.model import LIST_FIELDS, Library
from exporter.validate import read_library
from exporter.writers import BuildOptions, get_writer
from exporter.writers.anki import PHRASE_KINDS, STEP, WARNING, NoteKind, note_guid, note_key
from exporter.writers.cards import MIN_SIZE, CardPlan, plan_cards

FUZZ_EXAMPLES = int(os.environ.get("EXPORTER_FUZZ_EXAMPLES", "6"))
FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    # Shrinking a whole library through four writers takes minutes: report the example as drawn.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
Content = tuple[dict[str, Any], list[dict[str, Any]]]


@contextmanager
def built(data: Content, output: str) -> Iterator[tuple[Library, Path, BuildOptions]]:
    """Write the content, read it back through validation, build one output into a fresh folder."""
    library_data, techniques = data
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        library, _warnings = read_library(write_content(root, techniques, library_data))
        settings_ = library.settings
        options = BuildOptions(paper=settings_.paper, card_size=settings_.card_size, duplex=settings_.duplex)
        get_writer(output)(library, root / "out", options)
        yield library, root / "out", options


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
    assert library.title == library_data["title"]
    assert library.disclaimer == library_data["disclaimer"]
    assert [c.name for c in library.categories] == [c["name"] for c in library_data["categories"]]
    assert [c.icon for c in library.categories] == [c["icon"] for c in library_data["categories"]]
    for written in techniques:
        technique = library.technique(written["id"])
        assert technique.title == written["title"]
        assert technique.summary == written["summary"]
        assert list(technique.categories) == written["categories"]
        for name in LIST_FIELDS:
            entries = [plain(entry) for entry in written.get(name, [])]
            assert [(i.text, i.id, i.cue) for i in technique.items(name)] == [
                (e["text"], e.get("id"), e.get("cue")) for e in entries
            ]
        assert list(technique.sources) == written.get("sources", [])
        assert list(technique.similar) == [other for other in written.get("similar", []) if other != written["id"]]


# --- handbook and handouts -------------------------------------------------------------------


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def assert_drawn(text: str) -> None:
    assert "\x00" not in text and "\ufffd" not in text, "a character was drawn without a glyph"


def chapter_bodies(reader: PdfReader, library: Library) -> dict[str, str]:
    """Technique id -> body text of the pages of its chapter, split where the outline says."""
    outline = reader.outline
    chapters = library.chapters()
    top = [item for item in outline if not isinstance(item, list)]
    nested = [item for item in outline if isinstance(item, list)]
    assert [item.title for item in top][:2] == ["Cover", "Contents"]
    assert [item.title for item in top][2 : 2 + len(chapters)] == [c.name for c, _ in chapters]
    assert len(nested) == len(chapters)
    starts: list[tuple[str, int]] = []
    for (_, members), entries in zip(chapters, nested, strict=True):
        assert [entry.title for entry in entries] == [t.title for t in members]
        starts += [(t.id, reader.get_destination_page_number(e)) for t, e in zip(members, entries, strict=True)]
    ends = [page for _, page in starts[1:]]
    after = [reader.get_destination_page_number(item) for item in top[2 + len(chapters) :]]
    ends.append(after[0] if after else len(reader.pages))
    bodies = [page_texts(page)[0] for page in reader.pages]
    return {tid: "".join(bodies[start:end]) for (tid, start), end in zip(starts, ends, strict=True)}


@FUZZ
@given(content())
def test_handbook_shows_every_text_of_the_content(data: Content) -> None:
    with built(data, "handbook") as (library, out, _):
        reader = PdfReader(out / "handbook.pdf")
        texts = [page.extract_text() for page in reader.pages]
        assert_drawn("".join(texts))
        cover = squash(texts[0])
        for text in (library.title, library.subtitle, library.organisation, library.edition, library.disclaimer):
            assert squash(text) in cover, text
        contents = squash("".join(texts[1:]))
        for category, _ in library.chapters():
            assert squash(category.name) in contents, category.name
        for technique_id, body in chapter_bodies(reader, library).items():
            technique = library.technique(technique_id)
            chapter = squash(body)
            for text in item_texts(technique):
                assert squash(text) in chapter, (technique_id, text)
            for other in technique.similar:
                assert squash(library.technique(other).title) in chapter, (technique_id, other)


@FUZZ
@given(content())
def test_each_handout_shows_its_technique_and_the_disclaimer(data: Content) -> None:
    with built(data, "handouts") as (library, out, _):
        assert {p.name for p in (out / "handouts").iterdir()} == {f"{t.id}.pdf" for t in library.techniques}
        for technique in library.techniques:
            text = pdf_text(out / "handouts" / f"{technique.id}.pdf")
            assert_drawn(text)
            handout = squash(text)
            for piece in [*item_texts(technique), library.title, library.disclaimer]:
                assert squash(piece) in handout, (technique.id, piece)
            for other in technique.similar:
                assert squash(library.technique(other).title) in handout, (technique.id, other)


# --- deck ------------------------------------------------------------------------------------

#: What Anki's import dialog does unless the user changes it.
DEFAULT_IMPORT = ImportAnkiPackageOptions(merge_notetypes=False, update_notes=1, update_notetypes=1, with_scheduling=False)


def visible(card_html: str) -> str:
    """What a card shows as text: styles and tags removed, line breaks kept, entities decoded."""
    body = card_html.split("</style>")[-1]
    body = re.sub(r"<br\s*/?>", "\n", body)
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def field_text(field: str) -> str:
    return html.unescape(re.sub(r"<br\s*/?>", "\n", field))


def deck_items(library: Library) -> Iterator[tuple[str, NoteKind, Any, str]]:
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
            assert len(log.new) == len(expected)
            note_ids = dict(collection.db.all("select guid, id from notes"))
            assert len(note_ids) == len(expected)
            for key, kind, item, technique_id in expected:
                technique = library.technique(technique_id)
                note = collection.get_note(note_ids[note_guid(key)])
                assert field_text(note["Answer"]) == item.text, key
                (card,) = note.cards()
                question, answer = collapse(visible(card.question())), collapse(visible(card.answer()))
                assert collapse(item.text) in answer, key
                for shown in (technique.title, technique.categories[0]):
                    assert collapse(shown) in question, (key, shown)
                # Step cards show the previous step as their context; only phrases and warnings show a cue.
                if item.cue and kind is not STEP:
                    assert collapse(item.cue) in question, (key, item.cue)
                if kind is WARNING:
                    for source in technique.sources:
                        assert collapse(source) in answer, (key, source)
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
    ]


@FUZZ
@given(content())
def test_no_pocket_card_clips_or_loses_text(data: Content) -> None:
    with built(data, "cards") as (library, out, options):
        plan = plan_cards(library, options)
        for technique in library.techniques:
            assert planned_texts(plan, technique.id, "front") == [s.text for s in technique.steps]
            back = planned_texts(plan, technique.id, "back")
            for text in [*(i.text for i in technique.key_phrases + technique.warnings), *technique.sources]:
                assert text in back, (technique.id, text)
        assert all(card.front.size >= MIN_SIZE and card.back.size >= MIN_SIZE for card in plan.cards)
        with pdfplumber.open(out / "pocket-cards.pdf") as pdf:
            assert len(pdf.pages) == len(plan.pages)
            for page, page_plan in zip(pdf.pages, plan.pages, strict=True):
                if page_plan.kind.startswith("calibration"):
                    continue
                safe_areas = [placement.safe for placement in page_plan.placements]
                # A space at the end of a line carries no ink: only visible glyphs can be clipped.
                for char in (c for c in page.chars if c["text"].strip()):
                    box = char_box(char, page.height)
                    inside = any(safe.contains(*box, tolerance=0.01) for safe in safe_areas)
                    legend = page_plan.kind != "back" and plan.sheet.legend.contains(*box, tolerance=0.01)
                    assert inside or legend, f"{char['text']!r} at {box} is outside every card's safe area"
                for placement in page_plan.placements:
                    card = plan.cards[placement.card]
                    side = card.front if placement.side == "front" else card.back
                    rect = placement.rect
                    drawn = squash(page.within_bbox((rect.x, page.height - rect.top, rect.right, page.height - rect.y)).extract_text())
                    for piece in [card.title, *(block.text for block in side.blocks)]:
                        assert squash(piece) in drawn, (card.technique_id, placement.side, piece)
