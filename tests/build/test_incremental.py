"""Builds that redo only what changed (the build record) and `exporter watch`, as a maintainer uses them."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from build_outputs import EPOCH, outputs, read_line, watching
from click.testing import CliRunner

from exporter.build.record import RECORD_FILE
from exporter.cli import main
from exporter.testing.synthetic import write_synthetic_content


def stamps(out_dir: Path) -> dict[str, int]:
    return {p.relative_to(out_dir).as_posix(): p.stat().st_mtime_ns for p in out_dir.rglob("*") if p.is_file()}


def build(content: Path, out: Path, *extra: str) -> str:
    result = CliRunner().invoke(main, ["build", "--content", str(content), "--out", str(out), "--jobs", "1", *extra])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return write_synthetic_content(tmp_path / "lib", 6, seed=11)


def test_a_build_with_nothing_changed_writes_nothing_and_says_so(library: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = build(library, out)
    before, written = stamps(out), outputs(out)
    said = build(library, out)
    assert "Nothing changed since the last build: 4 outputs up to date" in said
    assert said.count("unchanged") == 4
    # The content's warnings stand and are said again; what the first build did is not.
    assert "deck: warning:" in first and "were both missing" in first
    assert "were both missing" not in said and "deck: warning:" not in said
    content_warnings = [line for line in first.splitlines() if ".yaml:" in line and ": warning:" in line]
    assert content_warnings and all(line in said.splitlines() for line in content_warnings)
    assert outputs(out) == written
    assert {k: v for k, v in stamps(out).items() if k != RECORD_FILE} == {
        k: v for k, v in before.items() if k != RECORD_FILE
    }


def edit_one_step(content: Path, rng: random.Random) -> str:
    path = rng.choice(sorted((content / "techniques").glob("*.yaml")))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    index = rng.randrange(len(data["steps"]))
    step = data["steps"][index]
    addition = f" Then pause {rng.randint(2, 9)} seconds."
    if isinstance(step, dict):
        step["text"] += addition
    else:
        data["steps"][index] = step + addition
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path.name


def test_random_edits_rebuild_to_the_bytes_of_a_cold_build(library: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(library, out)
    rng = random.Random(26)
    for round_number in range(3):
        edit_one_step(library, rng)
        said = build(library, out)
        assert "Nothing changed" not in said
        # A cold build of the same content (and the deck state as the last build left it).
        cold_content = tmp_path / f"cold-{round_number}" / "content"
        shutil.copytree(library, cold_content)
        cold_out = tmp_path / f"cold-{round_number}" / "out"
        build(cold_content, cold_out)
        assert outputs(out) == outputs(cold_out)


def test_an_output_changed_by_hand_or_other_options_are_built_again(library: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(library, out)
    original = (out / "handbook.pdf").read_bytes()
    (out / "handbook.pdf").write_bytes(b"%PDF-1.4 edited by hand")
    said = build(library, out)
    assert "handbook" in said and "Nothing changed" not in said
    assert (out / "handbook.pdf").read_bytes() == original
    letter = build(library, out, "--paper", "letter")
    assert "Letter" in letter and "Nothing changed" not in letter
    assert "Nothing changed" not in build(library, out)  # back to the library's paper
    assert "Nothing changed" in build(library, out)


def test_a_damaged_or_missing_record_only_costs_a_full_build(library: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(library, out)
    written = outputs(out)
    (out / RECORD_FILE).write_text("{not json", encoding="utf-8")
    assert "Nothing changed" not in build(library, out)
    assert outputs(out) == written
    (out / RECORD_FILE).unlink()
    assert "Nothing changed" not in build(library, out)
    assert "Nothing changed" in build(library, out)


def test_an_edit_saved_while_the_build_runs_is_not_taken_as_built(
    library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import exporter.build.pipeline as pipeline

    out = tmp_path / "out"
    build(library, out)
    write_outputs = pipeline._write_outputs

    def writers_then_an_edit(*args: Any, **kwargs: Any) -> Any:
        written = write_outputs(*args, **kwargs)
        edit_one_step(library, random.Random(3))  # saved after the writers read the content
        return written

    edit_one_step(library, random.Random(4))
    monkeypatch.setattr(pipeline, "_write_outputs", writers_then_an_edit)
    build(library, out)
    monkeypatch.setattr(pipeline, "_write_outputs", write_outputs)
    assert "Nothing changed" not in build(library, out)  # the second edit is built now


def test_a_subset_build_never_uses_or_changes_the_record(library: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build(library, out)
    record = (out / RECORD_FILE).read_bytes()
    first_id = sorted((library / "techniques").glob("*.yaml"))[0].stem
    part = tmp_path / "part"
    build(library, part, "--technique", first_id)
    assert not (part / RECORD_FILE).exists()
    assert (out / RECORD_FILE).read_bytes() == record


def test_watch_rebuilds_a_saved_edit_shows_problems_and_stops_on_ctrl_c(library: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    with watching(library, out, dict(os.environ), subprocess.STDOUT, 30) as process:
        read_line(process, "first build: redone handbook, cards, deck, handouts", 120)
        handbook = (out / "handbook.pdf").read_bytes()
        edited = edit_one_step(library, random.Random(5))
        line = read_line(process, f"techniques/{edited} changed: redone", 120)
        assert " s" in line
        assert (out / "handbook.pdf").read_bytes() != handbook
        broken = library / "techniques" / edited
        good = broken.read_text(encoding="utf-8")
        broken.write_text(good + "steps: [\n", encoding="utf-8")
        read_line(process, f"techniques/{edited}:", 60)  # the problem as path:line
        read_line(process, "outputs not changed", 60)
        broken.write_text(good, encoding="utf-8")
        read_line(process, f"techniques/{edited} changed:", 120)
    leftovers = [p.name for p in [*out.rglob("*"), *library.rglob("*")] if p.name.endswith((".tmp", ".partial"))]
    assert leftovers == []
