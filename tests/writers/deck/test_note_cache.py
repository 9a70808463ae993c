"""The deck's notes kept beside the output: after an edit only the edited technique's notes are
made again, and the deck is the bytes a build from nothing (with the same deck state) writes."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from build_outputs import EPOCH
from click.testing import CliRunner
from step_edits import edit_step

from exporter.cli import main
from exporter.files.byte_pack import SUFFIX
from exporter.files.output_cache import CACHE_DIR
from exporter.testing.synthetic import write_synthetic_content
from exporter.writers.deck import publication
from exporter.writers.deck.note_cache import CACHE_NAME


def build_deck(content: Path, out: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--only", "deck", "--content", str(content), "--out", str(out)])
    assert result.exit_code == 0, result.output


def test_an_edit_makes_only_its_techniques_notes_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    content = write_synthetic_content(tmp_path / "lib", 12, seed=4)
    out = tmp_path / "out"
    build_deck(content, out)
    assert (out / CACHE_DIR / f"{CACHE_NAME}{SUFFIX}").is_file()
    edited = sorted((content / "techniques").glob("*.yaml"))[3]
    edit_step(edited, 0, lambda text: text + " Then pause.")
    shutil.copytree(content, tmp_path / "cold" / "content")  # with the deck state the edit build starts from
    made: list[str] = []
    real = publication.technique_notes

    def counted(library: Any, technique: Any, *args: Any) -> Any:
        made.append(technique.id)
        return real(library, technique, *args)

    monkeypatch.setattr(publication, "technique_notes", counted)
    build_deck(content, out)
    assert made == [edited.stem]
    monkeypatch.setattr(publication, "technique_notes", real)
    build_deck(tmp_path / "cold" / "content", tmp_path / "cold" / "out")
    assert (out / "deck.apkg").read_bytes() == (tmp_path / "cold" / "out" / "deck.apkg").read_bytes()


def test_the_notes_kept_by_an_earlier_round_are_replaced_by_the_pack(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    content = write_synthetic_content(tmp_path / "lib", 3, seed=4)
    out = tmp_path / "out"
    old = out / CACHE_DIR / "deck-notes.pickle"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"one big pickle of every technique's notes")
    build_deck(content, out)
    assert not old.exists() and (out / CACHE_DIR / f"{CACHE_NAME}{SUFFIX}").is_file()
