"""The command line as a person meets it: `exporter build` and its options, messages, exit codes."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import BUNDLED_CONTENT, LIBRARY, TESTS, technique
from fake_writers import DRIVER
from pypdf import PdfReader

from exporter.cli import main
from exporter.content.techniques import read_library

#: What `exporter --help` must not import: the table of writers is read, no writer is.
HEAVY_MODULES = ("reportlab", "genanki", "pyphen", "PIL", "yaml", "exporter.build.pipeline", "exporter.model",
                 *(f"exporter.writers.{name}" for name in ("handbook", "cards", "deck", "handouts")))  # fmt: skip


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert isinstance(result.exception, SystemExit | None), result.exception  # never a crash
    return result.exit_code, result.output


# ---------------------------------------------------------------- the real build of the bundled content


@pytest.fixture(scope="module")
def bundled_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """`exporter build` on a copy of the bundled content (the deck writes its state beside the content)."""
    root = tmp_path_factory.mktemp("bundled")
    content = root / "content"
    shutil.copytree(BUNDLED_CONTENT, content)
    out = root / "output"
    completed = subprocess.run(
        [sys.executable, "-m", "exporter", "build", "--content", str(content), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    return content, out, completed.stdout


def test_build_writes_the_four_outputs_from_the_bundled_content(bundled_build: tuple[Path, Path, str]) -> None:
    content, out, _ = bundled_build
    library, _ = read_library(content)
    handbook_text = "".join(page.extract_text() for page in PdfReader(out / "handbook.pdf").pages)
    cards_text = "".join(page.extract_text() for page in PdfReader(out / "pocket-cards.pdf").pages)
    for each in library.techniques:
        assert each.title in handbook_text
        assert each.title in cards_text
        handout = "".join(page.extract_text() for page in PdfReader(out / "handouts" / f"{each.id}.pdf").pages)
        assert each.title in handout
    assert (out / "deck.apkg").read_bytes()[:2] == b"PK"  # the deck's notes are checked in test_anki


def test_the_summary_names_every_output_with_its_counts_and_the_time(bundled_build: tuple[Path, Path, str]) -> None:
    content, out, stdout = bundled_build
    technique_count = len(read_library(content)[0].techniques)
    lines = stdout.splitlines()
    for name, path in [
        ("handbook", out / "handbook.pdf"),
        ("cards", out / "pocket-cards.pdf"),
        ("deck", out / "deck.apkg"),
        ("handouts", out / "handouts"),
    ]:
        line = next(line for line in lines if line.split()[0] == name)
        assert str(path) in line and " s  " in line
    handbook_line = next(line for line in lines if line.split()[0] == "handbook")
    pages = len(PdfReader(out / "handbook.pdf").pages)
    assert f"{pages} pages" in handbook_line
    assert lines[-1].startswith(f"Built 4 outputs from {technique_count} techniques in ")


# ---------------------------------------------------------------- options, with stand-in writers


@pytest.mark.usefixtures("fakes")
def test_only_builds_the_outputs_named(make_content: Callable[..., Path], tmp_path: Path) -> None:
    content = make_content(techniques=[technique("alpha")])
    code, output = invoke("build", "--content", str(content), "--out", str(tmp_path / "out"), "--only", "titles")
    assert code == 0, output
    # (and the build record, hidden: exporter.build.record)
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")) == ["titles.txt"]


def test_only_with_an_unknown_output_is_a_usage_error(make_content: Callable[..., Path], tmp_path: Path) -> None:
    content = make_content()
    code, output = invoke("build", "--content", str(content), "--out", str(tmp_path / "out"), "--only", "handbook,pdf")
    assert code == 2
    assert "unknown output pdf; choose from handbook, cards, deck, handouts" in output
    assert not (tmp_path / "out").exists()


@pytest.mark.usefixtures("fakes")
def test_technique_and_category_pick_a_subset(make_content: Callable[..., Path], tmp_path: Path) -> None:
    content = make_content(
        techniques=[
            technique("alpha", title="Alpha"),
            technique("beta", title="Beta"),
            technique("gamma", title="Gamma", categories=["Interpersonal"]),
            technique("delta", title="Delta", categories=["Problem processing", "Interpersonal"]),
        ]
    )
    out = tmp_path / "out"
    code, output = invoke(
        "build", "--content", str(content), "--out", str(out), "--only", "titles",
        "--technique", "beta", "--category", "Interpersonal",
    )  # fmt: skip
    assert code == 0, output
    ids = [line.split("\t")[0] for line in (out / "titles.txt").read_text(encoding="utf-8").splitlines()[1:]]
    assert ids == ["beta", "delta", "gamma"]
    assert "from 3 techniques" in output


@pytest.mark.parametrize(
    "option, value, message",
    [
        (
            "--technique",
            "nosuch",
            "Invalid value for --technique: 'nosuch' is not in the library (see `exporter list`)",
        ),
        (
            "--technique",
            "alpah",
            "--technique: 'alpah' is not in the library; did you mean 'alpha'? (see `exporter list`)",
        ),
        (
            "--category",
            "interpersonal",
            "--category: 'interpersonal' is not in the library; did you mean 'Interpersonal'?",
        ),
    ],
)
def test_an_unknown_subset_is_a_clean_error_and_writes_nothing(
    make_content: Callable[..., Path], tmp_path: Path, option: str, value: str, message: str
) -> None:
    content = make_content()
    code, output = invoke("build", "--content", str(content), "--out", str(tmp_path / "out"), option, value)
    assert code == 2  # a mistake on the command line
    assert message in output.strip().splitlines()[-1]
    assert not (tmp_path / "out").exists()


@pytest.mark.usefixtures("fakes")
@pytest.mark.parametrize(
    "flags, expected",
    [
        ([], "paper=letter card_size=a6 duplex=short-edge"),
        (["--paper", "A4", "--card-size", "poker"], "paper=a4 card_size=poker duplex=short-edge"),
        (["--duplex", "none"], "paper=letter card_size=a6 duplex=none"),
    ],
)
def test_settings_come_from_library_yaml_and_flags_override_them(
    make_content: Callable[..., Path], tmp_path: Path, flags: list[str], expected: str
) -> None:
    library = {**LIBRARY, "settings": {"paper": "letter", "card_size": "a6", "duplex": "short-edge"}}
    content = make_content(library=library)
    out = tmp_path / "out"
    code, output = invoke("build", "--content", str(content), "--out", str(out), "--only", "titles", *flags)
    assert code == 0, output
    assert (out / "titles.txt").read_text(encoding="utf-8").splitlines()[0] == expected


@pytest.mark.usefixtures("fakes")
def test_summary_warnings_and_quiet(make_content: Callable[..., Path], tmp_path: Path) -> None:
    content = make_content(techniques=[technique("alpha"), technique("beta", sources=[])])
    out = tmp_path / "out"
    loud = CliRunner().invoke(main, ["build", "--content", str(content), "--out", str(out), "--only", "titles"])
    assert loud.exit_code == 0
    assert "titles.txt" in loud.stdout and "2 titles" in loud.stdout
    assert loud.stdout.splitlines()[-1].startswith("Built 1 output from 2 techniques in ")
    assert loud.stdout.splitlines()[-1].endswith(" s, 2 warnings.")
    assert "titles: warning: one title is long" in loud.stderr
    assert "beta.yaml:" in loud.stderr and "sources" in loud.stderr
    quiet = CliRunner().invoke(main, ["build", "--content", str(content), "--out", str(out), "--only", "titles", "-q"])
    assert quiet.exit_code == 0
    assert quiet.stdout == ""
    assert "titles: warning: one title is long" in quiet.stderr  # problems are still shown
    for run in (loud, quiet):
        assert "\r" not in run.output and "building" not in run.output  # not a terminal: no status line


def test_a_content_error_exits_1_and_leaves_the_output_folder_as_it_was(
    make_content: Callable[..., Path], tmp_path: Path
) -> None:
    content = make_content(techniques=[technique("alpha"), technique("beta", steps="not a list")])
    out = tmp_path / "out"
    out.mkdir()
    (out / "handbook.pdf").write_bytes(b"the last good handbook")
    code, output = invoke("build", "--content", str(content), "--out", str(out))
    assert code == 1
    assert "techniques/beta.yaml:" in output and ": steps: " in output
    assert output.strip().splitlines()[-1].startswith("Error: 1 problem in the content; nothing was written")
    assert [(p.name, p.read_bytes()) for p in out.iterdir()] == [("handbook.pdf", b"the last good handbook")]


def test_out_naming_a_file_is_a_clean_error(make_content: Callable[..., Path], tmp_path: Path) -> None:
    content = make_content()
    (tmp_path / "output").write_text("a file", encoding="utf-8")
    code, output = invoke("build", "--content", str(content), "--out", str(tmp_path / "output"))
    assert code == 2
    last = output.strip().splitlines()[-1]
    assert (
        last
        == f"Error: Invalid value for '--out': {tmp_path / 'output'}: --out must be a folder, but a file has that name"
    )
    assert (tmp_path / "output").read_text(encoding="utf-8") == "a file"


@pytest.mark.parametrize("out", ["", "  "])
def test_an_empty_out_is_refused_before_anything_is_written(
    make_content: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, out: str
) -> None:
    """`--out "$OUT"` with OUT unset must not build into (and clean up) the current folder."""
    content = make_content()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "handouts").mkdir()
    (tmp_path / "handouts" / "mine.pdf").write_bytes(b"%PDF-1.4 a trainer's own file")
    code, output = invoke("build", "--content", str(content), "--out", out)
    assert code == 2
    assert "--out" in output and "is empty" in output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "handouts"]
    assert (tmp_path / "handouts" / "mine.pdf").read_bytes() == b"%PDF-1.4 a trainer's own file"


@pytest.mark.parametrize("jobs", ["0", "many"])
def test_jobs_must_be_a_positive_number(make_content: Callable[..., Path], tmp_path: Path, jobs: str) -> None:
    code, output = invoke("build", "--content", str(make_content()), "--out", str(tmp_path / "out"), "--jobs", jobs)
    assert code == 2
    assert "--jobs" in output


# ---------------------------------------------------------------- terminal behaviour and start-up


def test_a_terminal_gets_a_status_line_that_is_cleared_before_the_summary(
    make_content: Callable[..., Path], tmp_path: Path
) -> None:
    content = make_content(techniques=[technique("alpha")])
    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
    argv = ["-c", DRIVER, "build", "--content", str(content), "--out", str(tmp_path / "out"), "--only", "titles"]
    process = subprocess.Popen([sys.executable, *argv], stdout=subprocess.PIPE, stderr=follower, env=env)
    os.close(follower)
    stdout, _ = process.communicate(timeout=60)
    terminal = _read_all(leader)
    assert process.returncode == 0
    assert "\rbuilding titles (0 of 1 done, 0 s)" in terminal
    assert "\r\x1b[K" in terminal  # the status line is wiped before the summary
    assert stdout.decode().splitlines()[-1].startswith("Built 1 output ")


def _read_all(fd: int) -> str:
    chunks = []
    while select.select([fd], [], [], 5)[0]:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks).decode()


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["handouts", "--help"]])
def test_help_does_not_import_the_heavy_libraries(args: list[str]) -> None:
    code = (
        "import sys\nfrom exporter.cli import main\n"
        f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
        f"print([m for m in {HEAVY_MODULES!r} if m in sys.modules])"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip().splitlines()[-1] == "[]"
    assert "Usage: " in completed.stdout


def test_a_build_of_part_of_the_library_never_replaces_the_full_outputs(
    make_content: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = make_content()
    monkeypatch.chdir(tmp_path)
    assert invoke("build", "--content", str(content), "-j", "1")[0] == 0
    full = {p: p.read_bytes() for p in Path("output").rglob("*") if p.is_file()}
    code, output = invoke("build", "--content", str(content), "--technique", "alpha", "-j", "1")
    assert code == 2 and "would replace the full outputs in output/" in output and "--out output/my-course" in output
    assert {p: p.read_bytes() for p in Path("output").rglob("*") if p.is_file()} == full
    code, _ = invoke("build", "--content", str(content), "--technique", "alpha", "--out", "output/alpha", "-j", "1")
    assert code == 0 and {p: p.read_bytes() for p in full} == full
    again, _ = invoke("build", "--content", str(content), "-j", "1")
    assert again == 0 and Path("output/alpha/handbook.pdf").is_file()  # a full build leaves the course alone
