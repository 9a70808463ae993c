"""The broken-input corpus: every broken file gets its one clear line and exit code 1, from every
command that reads content, with no traceback and without touching an existing output folder."""

from __future__ import annotations

import codecs
import os
import re
import shutil
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from conftest import FIXTURES, REPO, technique, write_content
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exporter.cli import main
from exporter.content.techniques import check_library
from exporter.content.yaml_nodes import parse_yaml
from exporter.messages import counted

CORPUS = FIXTURES / "broken"
EXPECTED: dict[str, str] = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))

#: Every command that reads content. The writer commands check the content before any writer runs.
CONTENT_COMMANDS = (["validate"], ["build"], ["handbook"], ["cards"], ["deck"], ["handouts"])
OUTPUT_COMMANDS = CONTENT_COMMANDS[1:]

#: One problem per file: what `validate` prints for it (as content/techniques/<name>.yaml).
BASE = (
    (CORPUS / "warnings" / "no-sources.yaml")
    .read_text(encoding="utf-8")
    .replace("warnings:", "sources: [Author, A. (2020). A Book.]\nwarnings:")
)
GENERATED: dict[str, tuple[bytes, str]] = {
    "utf16-bom": (
        codecs.BOM_UTF16_LE + BASE.encode("utf-16-le"),
        "1: file: the file is saved as UTF-16; save it as UTF-8",
    ),
    "utf16-no-bom": (
        BASE.encode("utf-16-le"),
        "1: file: contains NUL bytes: it is UTF-16 or not a text file; save it as UTF-8 text",
    ),
    "latin1": (
        BASE.replace("Second step.", "Café au lait.").encode("latin-1"),
        "6: file: is not UTF-8 (byte 0xe9 on this line; probably saved as Latin-1 or Windows-1252); save it as UTF-8",
    ),
    "nul-in-text": (
        BASE.replace("Second step.", "Second\x00step.").encode(),
        "6: file: contains NUL bytes: it is UTF-16 or not a text file; save it as UTF-8 text",
    ),
    "escape-in-text": (
        BASE.replace("Second step.", "Second \x1b[31mstep.").encode(),
        "6: yaml: contains U+001B (ESC), which cannot be in text; delete it",
    ),
    "vertical-tab-in-text": (
        BASE.replace("Second step.", "Second\x0bstep.").encode(),
        "6: yaml: contains U+000B (vertical tab), which cannot be in text; delete it",
    ),
    "five-megabytes": (
        BASE.encode() + b"#" * (5_000_000 - len(BASE)),
        "1: file: the file is 5,000,000 bytes; the limit is 1,000,000 (a technique is a few thousand)",
    ),
    "ten-thousand-steps": (
        BASE.replace("  - First step.\n", "".join(f"  - Step number {n}.\n" for n in range(10_000))).encode(),
        "4: steps: has 10,001 entries; the limit is 60 (split the technique)",
    ),
    "step-of-100000-characters": (
        BASE.replace("Second step.", "x" * 100_000).encode(),
        "6: steps[1]: is 100,000 characters long; the limit is 2,000",
    ),
}


def corpus_cases() -> list[tuple[str, bytes, str]]:
    """(where the file goes in the content folder, its bytes, the expected line) for every case."""
    cases = []
    for key, line in EXPECTED.items():
        kind, name = key.split("/", 1)
        where = "library.yaml" if kind == "library" else f"techniques/{name}"
        cases.append((where, (CORPUS / key).read_bytes(), line))
    for name, (data, tail) in GENERATED.items():
        cases.append((f"techniques/{name}.yaml", data, f"content/techniques/{name}.yaml:{tail}"))
    return cases


ERROR_CASES = [c for c in corpus_cases() if "warning:" not in c[2]]
WARNING_CASES = [c for c in corpus_cases() if "warning:" in c[2]]


def library_with(tmp_path: Path, where: str, data: bytes) -> Path:
    """A valid test library (one technique, alpha) with one file added or replaced."""
    content = write_content(tmp_path, techniques=[technique("alpha")])
    (content / where).write_bytes(data)
    return content


def previous_outputs(tmp_path: Path) -> dict[str, bytes]:
    """An output folder from an earlier build, which no failed command may touch."""
    out = tmp_path / "output"
    files = {
        "handbook.pdf": b"%PDF- the handbook of the last good build",
        "pocket-cards.pdf": b"%PDF- the cards of the last good build",
        "deck.apkg": b"PK the deck of the last good build",
        "handouts/alpha.pdf": b"%PDF- a handout of the last good build",
    }
    for name, data in files.items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
    return files


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    monkeypatch.chdir(tmp_path)
    return CliRunner().invoke(main, [*args, "--content", "content"])


def assert_refused(result: Result, expected_lines: list[str]) -> None:
    """Exit 1 through Click's own error handling, the problems one per line, then one Error line."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    assert lines[:-1] == expected_lines
    assert re.fullmatch(r"Error: (1 (problem|warning)|\d+ (problems|warnings))[ ,].*", lines[-1]), lines[-1]


@pytest.mark.parametrize(("where", "data", "expected"), ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_each_broken_file_gets_its_one_line_from_every_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, data: bytes, expected: str
) -> None:
    library_with(tmp_path, where, data)
    before = previous_outputs(tmp_path)
    for command in CONTENT_COMMANDS:
        result = run(tmp_path, monkeypatch, *command)
        assert_refused(result, [expected])
        assert re.fullmatch(r"[^:\n]+:\d+: [^:\n]+: .+", expected)
    assert files_under(tmp_path / "output") == before


@pytest.mark.parametrize(("where", "data", "expected"), WARNING_CASES, ids=[c[0] for c in WARNING_CASES])
def test_a_warning_is_printed_and_fails_only_with_strict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, data: bytes, expected: str
) -> None:
    library_with(tmp_path, where, data)
    result = run(tmp_path, monkeypatch, "validate")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [expected, "OK: 2 techniques, 1 warning."]
    before = previous_outputs(tmp_path)
    for command in CONTENT_COMMANDS:
        result = run(tmp_path, monkeypatch, *command, "--strict")
        assert_refused(result, [expected])
        assert result.output.splitlines()[-1] == "Error: 1 warning, which --strict treats as errors"
    assert files_under(tmp_path / "output") == before


def test_every_problem_in_a_library_is_reported_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = write_content(tmp_path, techniques=[technique("alpha")])
    technique_cases = [c for c in ERROR_CASES if c[0].startswith("techniques/")]
    for where, data, _ in technique_cases:
        (content / where).write_bytes(data)
    shutil.copy(CORPUS / "library" / "settings-bad-paper.yaml", content / "library.yaml")
    expected = sorted([line for _, _, line in technique_cases] + [EXPECTED["library/settings-bad-paper.yaml"]])

    result = run(tmp_path, monkeypatch, "validate")

    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert sorted(lines[:-1]) == expected
    assert lines[-1] == f"Error: {counted(len(expected), 'problem')} in the content; nothing was written"


def test_the_corpus_has_one_expected_line_for_every_file() -> None:
    files = {p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*.yaml")} - {"expected.yaml"}
    assert files == set(EXPECTED)
    assert len(set(EXPECTED.values())) == len(EXPECTED)  # no two files test the same thing


def test_a_billion_laughs_bomb_is_refused_without_expanding_it() -> None:
    bomb = (CORPUS / "techniques" / "yaml-billion-laughs.yaml").read_text(encoding="utf-8")
    # Nine levels of ten aliases: 10**8 strings once anything walks it (a writer, a dump).
    tracemalloc.start()
    try:
        node, problems = parse_yaml(bomb, "bomb.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert node is None
    assert [p.field for p in problems] == ["yaml"]
    assert peak < 5_000_000


def test_a_python_tag_runs_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    library_with(tmp_path, "techniques/evil.yaml", (CORPUS / "techniques" / "yaml-python-tag.yaml").read_bytes())
    result = run(tmp_path, monkeypatch, "validate")
    assert result.exit_code == 1
    assert not (tmp_path / "pwned.txt").exists()


@pytest.mark.parametrize(
    "document",
    [
        "!!python/object/new:os.system [echo pwned]",
        "!!python/name:os.system",
        "!!python/object:collections.OrderedDict {}",
        "!!set {a, b}",
        "!!binary aGVsbG8=",
        "!!omap [a: 1]",
    ],
)
def test_no_yaml_tag_constructs_an_object(document: str) -> None:
    node, problems = parse_yaml(f"title: {document}\n", "t.yaml")
    assert node is None
    assert len(problems) == 1 and "is not allowed" in problems[0].message


def test_no_module_loads_yaml_with_a_loader_that_builds_objects() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "exporter").rglob("*.py"))
    for unsafe in ("yaml.load(", "unsafe_load", "yaml.Loader", "FullLoader", "UnsafeLoader", "full_load"):
        assert unsafe not in source


@pytest.mark.parametrize("command", OUTPUT_COMMANDS, ids=[c[0] for c in OUTPUT_COMMANDS])
def test_a_missing_content_folder_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    result = run(tmp_path, monkeypatch, *command)
    assert_refused(result, ["content:0: content: no such folder"])
    assert not (tmp_path / "output").exists()


def test_a_library_without_library_yaml_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = write_content(tmp_path)
    (content / "library.yaml").unlink()
    result = run(tmp_path, monkeypatch, "validate")
    assert_refused(result, ["content/library.yaml:0: file: missing; every library needs a library.yaml"])


def test_a_library_without_techniques_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_content(tmp_path, techniques=[])
    result = run(tmp_path, monkeypatch, "validate")
    assert_refused(result, ["content/techniques:0: techniques: no technique files (*.yaml) found"])


def test_a_file_name_with_a_newline_cannot_become_an_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data: dict[str, Any] = technique("x")
    del data["id"]
    library_with(tmp_path, "techniques/evil\n.yaml", yaml.safe_dump(data).encode())
    result = run(tmp_path, monkeypatch, "validate")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert "evil\\n.yaml:" in lines[0]  # the path's newline is shown escaped: one problem, one line
    assert "id: the file name 'evil<U+000A>' is not a valid id" in lines[0]
    assert len(lines) == 2


def test_a_key_with_control_characters_is_shown_escaped_on_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library_with(tmp_path, "techniques/keys.yaml", (BASE + '"bad\\e[31m\\nkey": x\n').encode())
    result = run(tmp_path, monkeypatch, "validate")
    lines = result.output.splitlines()
    assert lines[0].startswith("content/techniques/keys.yaml:10: bad<U+001B>[31m<U+000A>key: unknown key")
    assert len(lines) == 2 and "\x1b" not in result.output


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda path: path.symlink_to("/dev/zero"), "is not a regular file, not a YAML file"),
        (lambda path: os.mkfifo(path), "is not a regular file, not a YAML file"),
        (lambda path: path.mkdir(), "is a folder, not a YAML file"),
    ],
    ids=["endless-device", "named-pipe", "folder"],
)
def test_something_that_is_not_a_file_is_refused_without_reading_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: Callable[[Path], object], expected: str
) -> None:
    content = write_content(tmp_path, techniques=[technique("alpha")])
    make(content / "techniques" / "odd.yaml")
    result = run(tmp_path, monkeypatch, "validate")
    assert_refused(result, [f"content/techniques/odd.yaml:1: file: {expected}"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from([*"ab09-Z_./\\ \n\t:~", "..", "é", "\u2044", "\uff0f", "\x00", "-a", "b"]),
        min_size=1,
        max_size=8,
    ).map("".join)
)
def test_an_id_that_validates_is_a_file_name_inside_out(
    tmp_path_factory: pytest.TempPathFactory, candidate: str
) -> None:
    root = tmp_path_factory.mktemp("ids")
    content = write_content(root, techniques=[], raw_files={"techniques/t.yaml": yaml.safe_dump(technique(candidate))})
    library, _ = check_library(content)
    if library is None:
        return
    out = (root / "output").resolve()
    handout = (out / "handouts" / f"{library.techniques[0].id}.pdf").resolve()
    assert handout.parent == out / "handouts"
    assert re.fullmatch(r"[a-z0-9-]+\.pdf", handout.name)


# ---------------------------------------------------------------- messages that name the real problem


def test_too_many_categories_is_not_told_to_split_a_technique(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    library: dict[str, Any] = {"title": "T", "disclaimer": "D.", "categories": []}
    library["categories"] = [{"name": f"Category {n}"} for n in range(10_003)]
    write_content(tmp_path, techniques=[technique("alpha")], library=library)
    result = run(tmp_path, monkeypatch, "validate")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "content/library.yaml:3: categories: has 10,003 entries; the limit is 60"


def test_a_library_yaml_that_is_a_folder_is_not_called_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = write_content(tmp_path)
    (content / "library.yaml").unlink()
    (content / "library.yaml").mkdir()
    result = run(tmp_path, monkeypatch, "validate")
    assert_refused(result, ["content/library.yaml:1: file: is a folder; library.yaml must be a YAML file"])


def test_an_id_too_long_to_be_a_file_name_is_refused_by_validate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data: dict[str, Any] = technique("x")
    del data["id"]
    name = "a" * 248
    library_with(tmp_path, f"techniques/{name}.yaml", yaml.safe_dump(data).encode())
    result = run(tmp_path, monkeypatch, "validate")
    assert_refused(
        result,
        [
            f"content/techniques/{name}.yaml:1: id: the file name '{name}' is 248 characters long; an id may have "
            "at most 80 (it becomes the file name handouts/<id>.pdf); set a shorter id"
        ],
    )


def test_the_longest_id_validate_accepts_can_be_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    longest = "-".join(["abcdefghi"] * 8)  # 79 characters
    longest += "z"
    write_content(tmp_path, techniques=[technique(longest)])
    result = run(tmp_path, monkeypatch, "handouts")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "output" / "handouts" / f"{longest}.pdf").is_file()


@pytest.mark.parametrize("name", ["con", "aux", "nul", "com1", "lpt9"])
def test_an_id_windows_keeps_for_a_device_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    data: dict[str, Any] = technique("x")
    del data["id"]
    library_with(tmp_path, f"techniques/{name}.yaml", yaml.safe_dump(data).encode())
    result = run(tmp_path, monkeypatch, "validate")
    assert_refused(
        result,
        [
            f"content/techniques/{name}.yaml:1: id: the file name '{name}' is a name Windows keeps for a device, "
            f"so handouts/{name}.pdf could not be opened there; choose another id, like '{name}-technique'"
        ],
    )


# ---------------------------------------------------------------- the environment and the command line


@pytest.mark.parametrize(
    "value", ["abc", "2026-01-01", "1e3", "²", "12345678901234567890", "9223372036854775807", "-1", "١٢٣"]
)
@pytest.mark.parametrize("command", ["handbook", "cards", "handouts", "deck", "build"])
def test_a_source_date_epoch_no_writer_can_use_is_one_line_before_any_writer_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str, command: str
) -> None:
    write_content(tmp_path, techniques=[technique("alpha")])
    before = previous_outputs(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    result = run(tmp_path, monkeypatch, command)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert len(result.output.splitlines()) == 1
    assert result.output.startswith("Error: SOURCE_DATE_EPOCH ")
    assert files_under(tmp_path / "output") == before
    assert not (tmp_path / "content" / "deck-state.json").exists()


def test_a_usable_source_date_epoch_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_content(tmp_path, techniques=[technique("alpha")])
    monkeypatch.setenv("SOURCE_DATE_EPOCH", " 1767225600 ")
    result = run(tmp_path, monkeypatch, "handbook")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "make",
    [lambda path: Path("/dev/zero"), lambda path: (os.mkfifo(path), path)[1], lambda path: Path("/dev/null")],
    ids=["endless-device", "named-pipe", "empty-device"],
)
def test_import_refuses_a_device_or_a_pipe_without_reading_it(tmp_path: Path, make: Callable[[Path], Path]) -> None:
    page = make(tmp_path / "page.txt")
    result = CliRunner().invoke(main, ["import", str(page), "--into", str(tmp_path / "content")])
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.output.splitlines()[-1] == (
        f"Error: Invalid value for 'PAGES...': {page}: not a file or a folder (a device, a named pipe or a socket); "
        "name a text file or a folder"
    )
    assert not (tmp_path / "content").exists()
