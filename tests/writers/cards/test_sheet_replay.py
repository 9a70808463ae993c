"""Replayed card pages: a cards build that replays what an earlier build recorded writes the
bytes a build from nothing writes, after an edit, a damaged record or none."""

from __future__ import annotations

from pathlib import Path

from conftest import FIXTURES
from step_edits import edit_step

from exporter.build.pipeline import load_checked
from exporter.files.output_cache import CACHE_DIR
from exporter.options import BuildOptions
from exporter.testing.synthetic import write_synthetic_content
from exporter.writers.cards import FILE_NAME, write_cards
from exporter.writers.cards.sheet_replay import PACK_NAME


def _build(content: Path, out: Path, salt: str = "test-salt") -> tuple[bytes, str]:
    """The cards PDF's bytes and the writer's summary (salt "" builds without the cache)."""
    library, _ = load_checked(content, strict=False, pdf=True)
    out.mkdir(parents=True, exist_ok=True)
    result = write_cards(library, out, BuildOptions(cache_salt=salt))
    return (out / FILE_NAME).read_bytes(), result.summary


def test_an_edited_card_redraws_its_pages_and_the_file_is_a_cold_builds(tmp_path: Path) -> None:
    content = write_synthetic_content(tmp_path / "library", 24)
    first, summary = _build(content, tmp_path / "out")
    assert "replayed" not in summary
    again, summary = _build(content, tmp_path / "out")
    assert again == first and summary.endswith("; 0 pages drawn again, 24 replayed"), summary
    edited_file = sorted((content / "techniques").glob("*.yaml"))[7]
    edit_step(edited_file, 0, lambda text: text + " Pause for three breaths.")
    edited, summary = _build(content, tmp_path / "out")
    assert edited == _build(content, tmp_path / "cold", salt="")[0]
    # The technique's cards, fronts and backs: the two pages of each sheet they are on.
    drawn, replayed = (int(part.split()[0]) for part in summary.split("; ")[-1].split(", "))
    assert drawn + replayed == 24 and 1 <= drawn <= 4, summary


def test_a_damaged_pack_only_costs_a_full_drawing(tmp_path: Path) -> None:
    content = FIXTURES / "libraries" / "he"
    first, _ = _build(content, tmp_path / "out")
    pack = tmp_path / "out" / CACHE_DIR / f"{PACK_NAME}.parts"
    pack.write_bytes(pack.read_bytes()[:-500])
    again, summary = _build(content, tmp_path / "out")
    assert again == first == _build(content, tmp_path / "cold", salt="")[0]
    third, summary = _build(content, tmp_path / "out")
    assert third == first and "0 pages drawn again" in summary


def test_a_rare_letter_swapped_for_another_redraws_every_page(tmp_path: Path) -> None:
    """One letter no other text uses, changed for another no other text uses: the fonts hold as
    many glyphs as before, but the codes after it move, so no page may be replayed."""
    content = write_synthetic_content(tmp_path / "library", 24)
    last = sorted((content / "techniques").glob("*.yaml"))[-1]
    edit_step(last, 0, lambda text: text + " Mark \u0105 here.")
    _build(content, tmp_path / "out")
    last.write_text(last.read_text(encoding="utf-8").replace("\u0105", "\u1ec5"), encoding="utf-8")
    swapped, summary = _build(content, tmp_path / "out")
    assert swapped == _build(content, tmp_path / "cold", salt="")[0]
    assert "replayed" not in summary or " 0 replayed" in summary, summary
