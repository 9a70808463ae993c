"""Builds into the same folder after random edits give the bytes of a cold build, output by output.

A seeded sequence of the edits a maintainer makes (a step changed, a warning added, a title
renamed, a technique deleted or added, a setting or the disclaimer changed); after each, the build into the
folder that keeps its record and caches is compared with a build of the same content into an
empty folder, file by file.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from build_outputs import EPOCH, outputs
from click.testing import CliRunner

from exporter.cli import main
from exporter.testing.synthetic import write_synthetic_content


def build(content: Path, out: Path) -> str:
    result = CliRunner().invoke(main, ["build", "--content", str(content), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    return result.output


def _techniques(content: Path) -> list[Path]:
    return sorted((content / "techniques").glob("*.yaml"))


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def _save(path: Path, data: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def change_a_step(content: Path, rng: random.Random) -> str:
    path = rng.choice(_techniques(content))
    data = _load(path)
    index = rng.randrange(len(data["steps"]))
    step = data["steps"][index]
    addition = f" Then wait {rng.randint(2, 9)} breaths & ask <why>."
    if isinstance(step, dict):
        step["text"] += addition
    else:
        data["steps"][index] = step + addition
    _save(path, data)
    return f"step {index + 1} of {path.stem}"


def add_a_warning(content: Path, rng: random.Random) -> str:
    path = rng.choice(_techniques(content))
    data = _load(path)
    # "ß" is used nowhere else in the library: every PDF's font subsets change with it.
    data.setdefault("warnings", []).append(f"Stop when the client says it is too much (Maß {rng.randint(1, 99)}).")
    _save(path, data)
    return f"warning in {path.stem}"


def rename_a_title(content: Path, rng: random.Random) -> str:
    path = rng.choice(_techniques(content))
    data = _load(path)
    data["title"] = f"Renamed Technique {rng.randint(100, 999)}"
    _save(path, data)
    return f"title of {path.stem}"


def delete_a_technique(content: Path, rng: random.Random) -> str:
    techniques = _techniques(content)
    path = rng.choice(techniques)
    removed = _load(path)["id"]
    path.unlink()
    for other in techniques:  # a technique named as similar elsewhere goes from there too
        if other != path and removed in (data := _load(other)).get("similar", []):
            data["similar"] = [name for name in data["similar"] if name != removed]
            _save(other, data)
    return f"deleted {removed}"


def add_a_technique(content: Path, rng: random.Random) -> str:
    data = _load(rng.choice(_techniques(content)))
    number = rng.randint(1000, 9999)
    data["id"] = f"added-{number}"
    data["title"] = f"Added Technique {number}"
    data["similar"] = []
    _save(content / "techniques" / f"added-{number}.yaml", data)
    return f"added {data['id']}"


def change_a_setting(content: Path, rng: random.Random) -> str:
    path = content / "library.yaml"
    data = _load(path)
    data["settings"]["paper"] = "letter" if data["settings"].get("paper") == "a4" else "a4"
    _save(path, data)
    return f"paper {data['settings']['paper']}"


def reword_the_disclaimer(content: Path, rng: random.Random) -> str:
    path = content / "library.yaml"
    data = _load(path)
    data["disclaimer"] = f"Reworded {rng.randint(1, 99)} times: {data['disclaimer']}"
    _save(path, data)
    return "disclaimer"


EDITS: list[Callable[[Path, random.Random], str]] = [
    change_a_step,
    add_a_warning,
    rename_a_title,
    delete_a_technique,
    add_a_technique,
    change_a_setting,
    reword_the_disclaimer,
]


def check_edit_sequence(tmp_path: Path, techniques: int, edits: list[Callable[[Path, random.Random], str]]) -> None:
    content = write_synthetic_content(tmp_path / "lib", techniques, seed=26)
    out = tmp_path / "out"
    build(content, out)
    rng = random.Random(2026)
    for number, edit in enumerate(edits):
        what = edit(content, rng)
        said = build(content, out)
        assert "Nothing changed" not in said, what
        # A cold build of the same content, with the deck state as the last build left it.
        cold = tmp_path / f"cold-{number}"
        shutil.copytree(content, cold / "content")
        build(cold / "content", cold / "out")
        incremental, cold_outputs = outputs(out), outputs(cold / "out")
        assert sorted(incremental) == sorted(cold_outputs), what
        different = [name for name in cold_outputs if incremental[name] != cold_outputs[name]]
        assert different == [], f"after {what}: {different}"
        shutil.rmtree(cold)


def test_every_kind_of_edit_rebuilds_to_the_bytes_of_a_cold_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    order = random.Random(7).sample(EDITS, len(EDITS))
    check_edit_sequence(tmp_path, 30, [change_a_step, *order])


@pytest.mark.soak
def test_a_long_random_edit_sequence_on_a_larger_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    rng = random.Random(11)
    check_edit_sequence(tmp_path, 120, [rng.choice(EDITS) for _ in range(10)])
