"""The deck state knows its library, its time range and a new library from a lost state; label
overrides that Anki cannot use as field names are refused. Each is stopped before anything is
written, by `validate` too, with a message that says what to do."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from conftest import FIXTURES, LIBRARY, technique, write_content

from exporter.cli import main
from exporter.options import FIRST_MTIME, LATEST_RELEASE, MAX_MTIME


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


def files_under(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_state_file_from_another_library_is_refused_by_build_and_validate(tmp_path: Path) -> None:
    other = write_content(tmp_path / "other", techniques=[technique("gamma"), technique("delta")])
    assert run("deck", "--content", other, "--out", tmp_path / "other-out", "-j", "1").exit_code == 0
    mine = write_content(tmp_path / "mine", techniques=[technique("alpha"), technique("beta")])
    out = tmp_path / "out"
    assert run("build", "--content", mine, "--out", out, "-j", "1").exit_code == 0
    shutil.copy2(other / "deck-state.json", mine / "deck-state.json")  # a copied folder, a wrong branch
    before = {**files_under(out), "state": (mine / "deck-state.json").read_bytes()}
    for command in (["build"], ["deck"], ["validate"]):
        extra = ["--out", str(out), "-j", "1"] if command != ["validate"] else []
        result = run(*command, "--content", mine, *extra)
        assert result.exit_code == 1, result.output
        last = result.output.strip().splitlines()[-1]
        assert "deck-state.json: this deck state is another library's" in last and "(it has delta, gamma)" in last
        assert "Put back this library's own deck-state.json" in last
    assert {**files_under(out), "state": (mine / "deck-state.json").read_bytes()} == before


def test_a_renamed_technique_is_not_another_library(tmp_path: Path) -> None:
    content = write_content(tmp_path, techniques=[technique("alpha")])
    assert run("deck", "--content", content, "--out", tmp_path / "out", "-j", "1").exit_code == 0
    (content / "techniques" / "alpha.yaml").unlink()
    write_content(tmp_path, techniques=[{**technique("alpha"), "id": "alpha-renamed"}])
    result = run("deck", "--content", content, "--out", tmp_path / "out", "-j", "1")
    assert result.exit_code == 0 and "1 technique renamed (alpha → alpha-renamed)" in result.output


@pytest.mark.parametrize("value", ["1", "315532800", str(FIRST_MTIME - 1), str(LATEST_RELEASE + 1), str(MAX_MTIME)])
def test_a_source_date_epoch_the_state_cannot_move_forward_from_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    content = write_content(tmp_path, techniques=[technique("alpha")])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    for command in (["validate"], ["deck", "--out", str(tmp_path / "out")]):
        result = run(command[0], "--content", content, *command[1:])
        assert result.exit_code == 1 and result.output.startswith("Error: SOURCE_DATE_EPOCH"), result.output
        assert "`git log -1 --format=%ct`" in result.output
    assert not (tmp_path / "out").exists() and not (content / "deck-state.json").exists()


def test_the_latest_accepted_source_date_epoch_still_lets_later_builds_move_forward(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = write_content(tmp_path, techniques=[technique("alpha")])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(LATEST_RELEASE))
    assert run("deck", "--content", content, "--out", tmp_path / "out", "-j", "1").exit_code == 0
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    for wording in ("one", "two", "three"):
        write_content(tmp_path, techniques=[technique("alpha", steps=[f"Step {wording}", "Another step"])])
        assert run("deck", "--content", content, "--out", tmp_path / "out", "-j", "1").exit_code == 0


def test_a_library_made_by_import_builds_its_first_deck_quietly(tmp_path: Path) -> None:
    content = tmp_path / "content"
    result = run("import", FIXTURES / "pages" / "clean.txt", "--content", content)
    assert result.exit_code == 0, result.output
    state = (content / "deck-state.json").read_text(encoding="utf-8")
    assert '"notes": {\n }' in state
    build = run("deck", "--content", content, "--out", tmp_path / "out", "-j", "1")
    assert build.exit_code == 0 and "were both missing" not in build.output and "missing;" not in build.output


def test_a_lost_state_of_a_published_library_still_warns(tmp_path: Path) -> None:
    content = write_content(tmp_path, techniques=[technique("alpha")])  # written by hand: no state
    build = run("deck", "--content", content, "--out", tmp_path / "out", "-j", "1")
    assert build.exit_code == 0 and "were both missing" in build.output


@pytest.mark.parametrize(
    "labels, field, message",
    [
        ({"deck.field.header": "Prompt"}, "deck.field.header", "'Prompt' is also the name of deck.field.prompt"),
        ({"deck.field.header": "prompt"}, "deck.field.header", "'prompt' is also the name of deck.field.prompt"),
        ({"deck.field.source": "Tags"}, "deck.field.source", "'Tags' is a name Anki reserves"),
        ({"deck.field.kind": "type"}, "deck.field.kind", "'type' is a name Anki reserves"),
        ({"deck.field.answer": "Q: {a}"}, "deck.field.answer", "unknown field {a}"),
        ({"deck.field.answer": "Answer: here"}, "deck.field.answer", "Anki field names cannot contain :"),
        ({"deck.field.context": "  "}, "deck.field.context", "a field of the Anki cards needs a name"),
        ({"handbook.contents": "Contents {"}, "handbook.contents", "a '{' or '}' has no partner"),
        ({"handbook.contents": "Contents }"}, "handbook.contents", "a '{' or '}' has no partner"),
    ],
)
def test_a_label_anki_or_the_templates_cannot_use_is_refused_with_its_line(
    tmp_path: Path, labels: dict[str, str], field: str, message: str
) -> None:
    content = write_content(tmp_path, library={**LIBRARY, "labels": labels}, techniques=[technique("alpha")])
    line = next(n for n, text in enumerate((content / "library.yaml").read_text().splitlines(), 1) if field in text)
    for command in (["validate"], ["deck", "--out", str(tmp_path / "out")]):
        result = run(command[0], "--content", content, *command[1:])
        assert result.exit_code == 1 and "Traceback" not in result.output
        problem = result.output.splitlines()[0]
        assert problem.startswith(f"{content / 'library.yaml'}:{line}: labels.{field}: ") and message in problem
    assert not (tmp_path / "out").exists()


def test_a_displayed_field_name_of_its_own_is_accepted(tmp_path: Path) -> None:
    labels = {"deck.field.header": "Heading", "deck.field.my_notes": "Meine Notizen"}
    content = write_content(tmp_path, library={**LIBRARY, "labels": labels}, techniques=[technique("alpha")])
    assert run("validate", "--content", content).exit_code == 0
    assert yaml.safe_load((content / "library.yaml").read_text())["labels"]["deck.field.header"] == "Heading"


def test_a_state_sharing_a_few_texts_with_this_library_is_still_another_librarys(tmp_path: Path) -> None:
    """`exporter init`'s example shares a follow-up question with the bundled library: not enough."""
    from conftest import BUNDLED_CONTENT

    content = tmp_path / "content"
    assert run("init", content).exit_code == 0
    shutil.copy2(BUNDLED_CONTENT / "deck-state.json", content / "deck-state.json")
    for command in (["validate"], ["deck", "--out", str(tmp_path / "out")]):
        result = run(command[0], "--content", content, *command[1:])
        assert result.exit_code == 1 and "this deck state is another library's" in result.output
    assert not (tmp_path / "out" / "deck.apkg").exists()


def test_most_techniques_deleted_or_many_added_is_no_other_library(tmp_path: Path) -> None:
    names = ["alpha", "beta", "gamma", "delta"]
    content = write_content(tmp_path, techniques=[technique(name) for name in names])
    out = tmp_path / "out"
    assert run("deck", "--content", content, "--out", out, "-j", "1").exit_code == 0
    for name in names[1:]:
        (content / "techniques" / f"{name}.yaml").unlink()  # three of four deleted
    assert run("deck", "--content", content, "--out", out, "-j", "1").exit_code == 0
    write_content(tmp_path, techniques=[technique(f"new-{n}") for n in range(6)])  # six new beside alpha
    result = run("deck", "--content", content, "--out", out, "-j", "1")
    assert result.exit_code == 0, result.output


def test_a_renamed_technique_keeps_its_cards_on_every_later_build(tmp_path: Path) -> None:
    content = write_content(tmp_path, techniques=[technique("alpha")])
    out = tmp_path / "out"
    assert run("deck", "--content", content, "--out", out, "-j", "1").exit_code == 0
    (content / "techniques" / "alpha.yaml").unlink()
    renamed = {**technique("alpha"), "id": "alpha-renamed"}
    write_content(tmp_path, techniques=[renamed])
    first = run("deck", "--content", content, "--out", out, "-j", "1")
    assert "1 technique renamed (alpha → alpha-renamed)" in first.output
    assert "changed warning card" not in first.output  # the words of its warnings did not change
    again = run("deck", "--content", content, "--out", out, "-j", "1")
    assert "technique renamed" not in again.output and " retired" not in again.output
    write_content(tmp_path, techniques=[{**renamed, "key_phrases": ["A new phrase.", *renamed["key_phrases"]]}])
    later = run("deck", "--content", content, "--out", out, "-j", "1")
    assert later.exit_code == 0 and " retired" not in later.output, later.output


def test_a_card_retired_after_the_state_was_recovered_from_the_deck_is_no_traceback(tmp_path: Path) -> None:
    content = write_content(tmp_path, techniques=[technique("alpha")])
    out = tmp_path / "out"
    assert run("deck", "--content", content, "--out", out, "-j", "1").exit_code == 0
    (content / "deck-state.json").unlink()  # recovered from out/deck.apkg: keys unknown
    write_content(tmp_path, techniques=[technique("alpha", steps=["alpha step one", "alpha step two"])])
    result = run("deck", "--content", content, "--out", out, "-j", "1")
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    (summary,) = [line for line in result.output.splitlines() if line.startswith("  deck ")]
    assert summary.endswith(" retired")
