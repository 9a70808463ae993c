"""Replayed handbook parts: a build that replays what an earlier build recorded writes the bytes
a build from nothing writes, whatever was edited, damaged or left stale in between."""

from __future__ import annotations

import marshal
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES
from packs import pack_entries, write_pack
from pypdf import PdfReader
from step_edits import edit_step

from exporter.build.pipeline import load_checked
from exporter.files.output_cache import CACHE_DIR
from exporter.model import Library
from exporter.pdf.pages.part_cache import SUFFIX, PartCache
from exporter.pdf.pages.replay import PartRecord
from exporter.pdf.pages.subsets import library_seed
from exporter.testing.synthetic import write_synthetic_content
from exporter.writers.handbook import build_handbook
from exporter.writers.handbook.page_cache import PACK_NAME, handbook_cache

SALT = "test-salt"


def _library(content: Path) -> Library:
    library, _ = load_checked(content, strict=False, pdf=True)
    return library


def _build(content: Path, out: Path, cached: bool = True) -> tuple[bytes, PartCache | None]:
    """The handbook's bytes, built into out with its page cache (or without any)."""
    library = _library(content)
    out.mkdir(parents=True, exist_ok=True)
    cache = handbook_cache(out, SALT, library, "a4", library_seed(library)) if cached else None
    build_handbook(library, out / "handbook.pdf", "a4", cache)
    if cache is not None:
        cache.save()
    return (out / "handbook.pdf").read_bytes(), cache


def _records(out: Path) -> dict[str, bytes]:
    """The records in out's pack of handbook parts, by key."""
    return pack_entries(out / CACHE_DIR / f"{PACK_NAME}{SUFFIX}")


def _write_records(out: Path, records: dict[str, bytes]) -> None:
    write_pack(out / CACHE_DIR / f"{PACK_NAME}{SUFFIX}", records)


@pytest.fixture()
def generated(tmp_path: Path) -> tuple[Path, Path, list[Path]]:
    """(content, output folder after a first build with the cache, technique files in handbook order)."""
    content = write_synthetic_content(tmp_path / "library", 16)
    library = _library(content)
    files = [content / "techniques" / f"{t.id}.yaml" for t in library.ordered_techniques()]
    _build(content, tmp_path / "out")
    return content, tmp_path / "out", files


def test_a_second_build_replays_every_part_and_writes_the_same_bytes(
    generated: tuple[Path, Path, list[Path]], tmp_path: Path
) -> None:
    content, out, _ = generated
    first = (out / "handbook.pdf").read_bytes()
    recorded = _records(out)
    # 16 chapters, the contents, the quick reference, the situation index and the sources.
    assert len(recorded) == 20
    again, cache = _build(content, out)
    assert cache is not None and (cache.replayed, cache.drawn) == (20, 0)
    assert again == first
    assert _records(out) == recorded


def test_an_edited_step_is_drawn_again_and_the_file_is_what_a_cold_build_writes(
    generated: tuple[Path, Path, list[Path]], tmp_path: Path
) -> None:
    content, out, files = generated
    edit_step(files[3], 1, lambda text: text + " Pause for three breaths.")
    edited, cache = _build(content, out)
    cold, _ = _build(content, tmp_path / "cold", cached=False)
    assert edited == cold
    assert cache is not None and cache.drawn == 1 and cache.replayed == 19
    # The edited chapter's old record is gone: one record per part.
    assert len(_records(out)) == 20


@pytest.mark.parametrize(
    ("field", "change", "drawn"),
    [
        ("summary", lambda value: value + " It is practised in pairs first.", 1),  # not its first sentence
        ("summary", lambda value: "Practised in pairs first. " + value, 2),  # the quick reference shows it
        ("when_to_use", lambda value: [*value, "The client laughs at the wrong moment."], 2),  # the index
        ("sources", lambda value: [*value, "Author, B. (2021). Another Book. Publisher."], 2),  # the sources
    ],
)
def test_a_finding_aid_is_drawn_again_only_when_what_it_shows_changed(
    generated: tuple[Path, Path, list[Path]], tmp_path: Path, field: str, change: Any, drawn: int
) -> None:
    content, out, files = generated
    data = yaml.safe_load(files[4].read_text(encoding="utf-8"))
    data[field] = change(data[field])
    files[4].write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    edited, cache = _build(content, out)
    assert edited == _build(content, tmp_path / "cold", cached=False)[0]
    assert cache is not None and (cache.drawn, cache.replayed) == (drawn, 20 - drawn)


def test_a_chapter_that_grows_a_page_moves_the_ones_after_it_and_they_are_replayed_with_their_new_numbers(
    generated: tuple[Path, Path, list[Path]], tmp_path: Path
) -> None:
    content, out, files = generated
    pages_before = len(PdfReader(out / "handbook.pdf").pages)
    data = yaml.safe_load(files[2].read_text(encoding="utf-8"))
    data["steps"] += [f"Name what you notice in the room, then breathe out slowly ({n})." for n in range(30)]
    files[2].write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    edited, cache = _build(content, out)
    assert edited == _build(content, tmp_path / "cold", cached=False)[0]
    # Only the edited chapter is drawn: the 13 after it moved on by a page or more and were replayed.
    assert cache is not None and cache.drawn == 1 and cache.replayed == 19
    reader = PdfReader(out / "handbook.pdf")
    assert len(reader.pages) >= pages_before + 1
    footers = [page.extract_text().rstrip().rsplit("\n", 1)[-1] for page in reader.pages[1:]]
    assert footers == [f"page {number} of {len(reader.pages)}" for number in range(2, len(reader.pages) + 1)]


def test_a_new_glyph_in_one_chapter_redraws_everything(
    generated: tuple[Path, Path, list[Path]], tmp_path: Path
) -> None:
    content, out, files = generated
    edit_step(files[5], 0, lambda text: text + " Nguyễn Wałęsa.")
    edited, cache = _build(content, out)
    assert edited == _build(content, tmp_path / "cold", cached=False)[0]
    # Every glyph's subset code is seeded from the whole library: all pages are drawn anew.
    assert cache is not None and cache.replayed == 0


def test_damaged_records_are_no_records(generated: tuple[Path, Path, list[Path]], tmp_path: Path) -> None:
    content, out, _ = generated
    first = (out / "handbook.pdf").read_bytes()
    (out / CACHE_DIR / f"{PACK_NAME}{SUFFIX}").write_bytes(b"exporter recorded parts 1\n" + b"\xff" * 30)
    again, cache = _build(content, out)
    assert again == first
    assert cache is not None and cache.replayed == 0 and len(_records(out)) == 20


def test_damaged_records_in_a_sound_file_are_drawn_again(
    generated: tuple[Path, Path, list[Path]], tmp_path: Path
) -> None:
    content, out, _ = generated
    first = (out / "handbook.pdf").read_bytes()
    records = _records(out)
    first_keys = sorted(records)[:3]
    records[first_keys[0]] = records[first_keys[0]][:100]
    records[first_keys[1]] = b"not a record"
    records[first_keys[2]] = marshal.dumps((999, (), (), ()))
    _write_records(out, records)
    again, cache = _build(content, out)
    assert again == first
    assert cache is not None and cache.drawn == 3 and cache.replayed == 17


def test_a_record_made_in_another_state_of_the_document_is_not_replayed(
    generated: tuple[Path, Path, list[Path]], tmp_path: Path
) -> None:
    """A record whose starting state does not match (here, forged) stops the replay: the whole
    handbook is drawn again, and comes out as a cold build."""
    content, out, _ = generated
    first = (out / "handbook.pdf").read_bytes()
    records = _records(out)
    for key, data in records.items():
        record = PartRecord.from_bytes(data)
        assert record is not None
        fonts, containers, forms, header, pdf_version = record.before
        forged = (fonts, containers, forms, header + "?", pdf_version)
        records[key] = PartRecord(forged, record.pages, record.end).to_bytes()
    _write_records(out, records)
    again, cache = _build(content, out)
    assert again == first
    assert cache is not None and cache.replayed == 0


@pytest.mark.parametrize("fixture", ["he", "ar", "emoji", "ru"])
def test_replayed_handbooks_of_other_scripts_keep_their_bytes(fixture: str, tmp_path: Path) -> None:
    content = FIXTURES / "libraries" / fixture
    first, _ = _build(content, tmp_path / "out")
    again, cache = _build(content, tmp_path / "out")
    assert cache is not None and cache.replayed > 0
    assert again == first == _build(content, tmp_path / "cold", cached=False)[0]


def test_a_rare_letter_swapped_for_another_redraws_everything(
    generated: tuple[Path, Path, list[Path]], tmp_path: Path
) -> None:
    content, out, files = generated
    edit_step(files[-1], 0, lambda text: text + " Mark \u0105 here.")
    _build(content, out)
    edit_step(files[-1], 0, lambda text: text.replace("\u0105", "\u1ec5"))
    swapped, cache = _build(content, out)
    assert swapped == _build(content, tmp_path / "cold", cached=False)[0]
    assert cache is not None and cache.replayed == 0
