"""The pocket cards' fitted cards kept beside the output: an edit refits only its technique,
and what is kept never changes the PDF's bytes."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from build_outputs import EPOCH
from click.testing import CliRunner
from packs import pack_entries, write_pack

from exporter.cli import main
from exporter.files.output_cache import CACHE_DIR
from exporter.testing.synthetic import write_synthetic_content


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return write_synthetic_content(tmp_path / "lib", 8, seed=5)


def build_cards(content: Path, out: Path) -> None:
    result = CliRunner().invoke(main, ["cards", "--content", str(content), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output


def add_warning(path: Path, text: str) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.setdefault("warnings", []).append(text)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def cold_cards(content: Path, folder: Path) -> bytes:
    shutil.copytree(content, folder / "content")
    build_cards(folder / "content", folder / "out")
    return (folder / "out" / "pocket-cards.pdf").read_bytes()


PACK = Path(CACHE_DIR) / "fitted-cards.parts"


def kept(out: Path) -> dict[str, bytes]:
    return pack_entries(out / PACK)


def test_an_edit_refits_only_its_technique_and_gives_a_cold_builds_bytes(library: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_cards(library, out)
    before = kept(out)
    assert len(before) >= 8  # every technique's cards, and some at a second size
    add_warning(sorted((library / "techniques").glob("*.yaml"))[3], "Stop if the client & you <both> feel rushed.")
    build_cards(library, out)
    after = kept(out)
    assert len(set(after) - set(before)) >= 1  # the edited technique's new cards
    assert len(set(before) - set(after)) == len(set(after) - set(before))  # its old ones are gone
    assert (out / "pocket-cards.pdf").read_bytes() == cold_cards(library, tmp_path / "cold")


def test_a_damaged_cache_only_costs_the_fitting(library: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_cards(library, out)
    cache = out / PACK
    entries = pack_entries(cache)
    first, second = sorted(entries)[:2]
    entries[first] = entries[first][:16] + json.dumps([{"technique_id": 3}]).encode()
    entries[second] = entries[second][:-40]
    write_pack(cache, entries)
    add_warning(sorted((library / "techniques").glob("*.yaml"))[0], "Slow down.")
    build_cards(library, out)
    assert (out / "pocket-cards.pdf").read_bytes() == cold_cards(library, tmp_path / "cold")
    cache.write_bytes(b"not a pack")
    add_warning(sorted((library / "techniques").glob("*.yaml"))[1], "Slow down again.")
    build_cards(library, out)
    assert (out / "pocket-cards.pdf").read_bytes() == cold_cards(library, tmp_path / "cold-again")
    assert len(kept(out)) >= 8


def test_an_entry_that_reads_but_does_not_decode_is_fitted_again(library: Path, tmp_path: Path) -> None:
    """An entry whose sizes read but whose cards do not decode (here a title made a number, its
    hash made to match) is fitted again when its card is drawn: the same bytes as a cold build."""
    out = tmp_path / "out"
    build_cards(library, out)
    entries = pack_entries(out / PACK)
    key = sorted(entries)[0]
    sizes, _, text = entries[key][16:].partition(b"\n")  # the type sizes, then the cards' data
    data = json.loads(text)
    data[0]["title"] = 3
    body = sizes + b"\n" + json.dumps(data, separators=(",", ":")).encode()
    entries[key] = hashlib.blake2b(body, digest_size=16).digest() + body
    write_pack(out / PACK, entries)
    (out / CACHE_DIR / "cards.parts").unlink()  # every page drawn: every card decoded
    add_warning(sorted((library / "techniques").glob("*.yaml"))[5], "Stop and breathe.")
    build_cards(library, out)
    assert (out / "pocket-cards.pdf").read_bytes() == cold_cards(library, tmp_path / "cold")


class FillingDisk:
    """A spill file on a disk that has no room for every other write."""

    def __init__(self, file: Any) -> None:
        self.file = file
        self.writes = 0

    def write(self, data: bytes) -> int:
        self.writes += 1
        if self.writes % 2:
            raise OSError(28, "No space left on device")
        written: int = self.file.write(data)
        return written

    def __getattr__(self, name: str) -> Any:
        return getattr(self.file, name)


def test_cards_that_cannot_be_spilled_are_kept_in_memory_with_the_same_bytes(
    library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plan's fitted cards wait in a temporary file beside the output until their sheet is
    drawn; where that disk has no room for them, they wait in memory and print the same."""
    from exporter.writers.cards import fit_cache

    cold = cold_cards(library, tmp_path / "cold")
    disks: list[FillingDisk] = []
    real_init = fit_cache.Spill.__init__

    def on_a_filling_disk(self: fit_cache.Spill, folder: Path) -> None:
        real_init(self, folder)
        self._file = FillingDisk(self._file)  # type: ignore[assignment]
        disks.append(self._file)  # type: ignore[arg-type]

    monkeypatch.setattr(fit_cache.Spill, "__init__", on_a_filling_disk)
    monkeypatch.setattr(fit_cache, "KEEP_DECODED", 1)  # every card read back from where it waits
    build_cards(library, tmp_path / "full")
    assert disks and disks[0].writes >= 8  # half of them refused
    assert (tmp_path / "full" / "pocket-cards.pdf").read_bytes() == cold
