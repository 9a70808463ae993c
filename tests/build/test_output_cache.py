"""The per-item cache beside the output: an edit rewrites only the handouts it changes, and the
cache never gives bytes other than a fresh build's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from build_outputs import EPOCH
from click.testing import CliRunner

from exporter.cli import main
from exporter.files.output_cache import CACHE_DIR
from exporter.testing.synthetic import write_synthetic_content


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
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    step = data["steps"][0]
    if isinstance(step, dict):
        step["text"] = "Breathe out slowly. " + step["text"]
    else:
        data["steps"][0] = "Breathe out slowly. " + step
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


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
    assert f"{summary}; 1 made again, the others unchanged" in second
    assert "made again" not in first
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


@pytest.mark.usefixtures("fakes")
def test_a_build_rolled_back_after_the_handouts_leaves_a_cache_that_gives_the_right_bytes(
    library: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    build_handouts(library, out)
    edited = sorted((library / "techniques").glob("*.yaml"))[1]
    handout = out / "handouts" / f"{edited.stem}.pdf"
    old = handout.read_bytes()
    edit_first_step(edited)
    failed = CliRunner().invoke(
        main, ["build", "--content", str(library), "--out", str(out), "--jobs", "1", "--only", "handouts,failing"]
    )
    assert failed.exit_code == 1 and "gave up halfway" in failed.output
    assert handout.read_bytes() == old  # rolled back, while the cache remembers the new handout
    build_handouts(library, out)
    cold = tmp_path / "cold"
    build_handouts(library, cold)
    assert handout.read_bytes() == (cold / "handouts" / handout.name).read_bytes() != old


def test_handouts_divided_between_workers_share_one_cache(library: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    arguments = ["handouts", "--content", str(library), "--out", str(out), "--jobs", "2"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("exporter.build.workers.SHARE_FROM_TECHNIQUES", 2)
        assert CliRunner().invoke(main, arguments).exit_code == 0
        before = stamps(out / "handouts")
        edited = sorted((library / "techniques").glob("*.yaml"))[4]
        edit_first_step(edited)
        assert CliRunner().invoke(main, arguments).exit_code == 0
    after = stamps(out / "handouts")
    assert sorted(name for name in after if after[name] != before[name]) == [f"{edited.stem}.pdf"]
    entries = json.loads((out / CACHE_DIR / "handouts.json").read_text(encoding="utf-8"))["entries"]
    assert sorted(entry[0] for entry in entries.values()) == sorted(f"handouts/{name}" for name in after)


def test_another_source_date_epoch_makes_every_handout_again(
    library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build_handouts(library, out)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(EPOCH) + 86_400 * 30))
    said = build_handouts(library, out)
    assert "made again" not in said  # every one was made again
    cold = tmp_path / "cold"
    build_handouts(library, cold)
    for handout in sorted((out / "handouts").glob("*.pdf")):
        assert handout.read_bytes() == (cold / "handouts" / handout.name).read_bytes()
