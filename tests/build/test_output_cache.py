"""The per-item cache beside the output: an edit rewrites only the handouts it changes, and the
cache never gives bytes other than a fresh build's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from exporter.cli import main
from exporter.files.output_cache import CACHE_DIR
from exporter.testing.synthetic import write_synthetic_content

EPOCH = "1796541000"


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return write_synthetic_content(tmp_path / "lib", 5, seed=3)


def build_handouts(content: Path, out: Path) -> str:
    result = CliRunner().invoke(main, ["handouts", "--content", str(content), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return result.output


def stamps(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.glob("*.pdf")}


def edit_first_step(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nsteps:\n- ", "\nsteps:\n- Breathe out slowly. ", 1), encoding="utf-8")


def test_an_edit_rewrites_only_its_own_handout_with_the_same_summary(library: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build_handouts(library, out)
    before = stamps(out / "handouts")
    edited = sorted((library / "techniques").glob("*.yaml"))[2]
    edit_first_step(edited)
    second = build_handouts(library, out)
    after = stamps(out / "handouts")
    changed = sorted(name for name in after if after[name] != before[name])
    assert changed == [f"{edited.stem}.pdf"]
    # The summary still counts every handout's pages, those kept as well as the one made again.
    summary = [line for line in first.splitlines() if "handouts/" in line][0].rsplit(" s  ", 1)[1]
    assert summary in second
    entries = json.loads((out / CACHE_DIR / "handouts.json").read_text(encoding="utf-8"))["entries"]
    assert len(entries) == 5  # the edited handout's old entry is gone


def test_a_handout_changed_by_hand_or_a_deleted_cache_gives_the_built_bytes_again(
    library: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build_handouts(library, out)
    handouts = sorted((out / "handouts").glob("*.pdf"))
    original = handouts[0].read_bytes()
    edit_first_step(sorted((library / "techniques").glob("*.yaml"))[-1])  # so the build runs
    handouts[0].write_bytes(original[:-10] + b"by hand!\n")
    build_handouts(library, out)
    assert handouts[0].read_bytes() == original
    damaged = out / CACHE_DIR / "handouts.json"
    damaged.write_text("{not json", encoding="utf-8")
    edit_first_step(sorted((library / "techniques").glob("*.yaml"))[0])
    build_handouts(library, out)
    assert handouts[-1].read_bytes() != b"" and json.loads(damaged.read_text(encoding="utf-8"))["version"] == 1
