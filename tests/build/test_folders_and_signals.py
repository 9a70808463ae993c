"""Round two of "nothing lost": the folders around a build, odd files where exporter expects its
own, numbers no printer means, and a hang-up that `nohup` asked to ignore."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from build_outputs import leftovers
from click.testing import CliRunner, Result
from conftest import FIXTURES, TESTS, technique, write_content

from exporter.cli import main


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


def test_a_symlinked_handouts_folder_never_loses_files_outside_out(tmp_path: Path) -> None:
    content = write_content(tmp_path, techniques=[technique("alpha"), technique("beta")])
    elsewhere = tmp_path / "shared-drive"
    elsewhere.mkdir()
    (elsewhere / "someone-elses.pdf").write_bytes(b"%PDF-1.4 not exporter's")
    out = tmp_path / "out"
    out.mkdir()
    (out / "handouts").symlink_to(elsewhere, target_is_directory=True)
    result = run("handouts", "--content", content, "--out", out, "-j", "1")
    assert result.exit_code == 0, result.output
    assert (elsewhere / "someone-elses.pdf").read_bytes() == b"%PDF-1.4 not exporter's"


@pytest.mark.parametrize("offset", [["nan", "0"], ["inf", "0"], ["0", "1e308"], ["0", "-25"]])
def test_a_back_offset_no_printer_means_is_a_usage_error(tmp_path: Path, offset: list[str]) -> None:
    content = write_content(tmp_path, techniques=[technique("alpha")])
    out = tmp_path / "out"
    assert run("cards", "--content", content, "--out", out, "-j", "1").exit_code == 0
    before = (out / "pocket-cards.pdf").read_bytes()
    result = run("cards", "--content", content, "--out", out, "--back-offset", *offset)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "each offset must be a number of millimetres between -20 and 20" in result.output
    assert (out / "pocket-cards.pdf").read_bytes() == before


@pytest.mark.parametrize("kind", ["fifo", "zeros", "folder"])
def test_a_deck_state_that_is_no_regular_file_is_refused_without_reading_it(tmp_path: Path, kind: str) -> None:
    content = write_content(tmp_path, techniques=[technique("alpha")])
    state = content / "deck-state.json"
    if kind == "fifo":
        os.mkfifo(state)
    elif kind == "zeros":
        state.symlink_to("/dev/zero")
    else:
        state.mkdir()
    args = [sys.executable, "-m", "exporter", "deck", "--content", str(content), "--out", str(tmp_path / "out")]
    completed = subprocess.run(args, capture_output=True, text=True, timeout=60)  # a hang fails here
    assert completed.returncode == 1 and "Traceback" not in completed.stderr
    assert "the deck state file is not a regular file, so it was not read" in completed.stderr
    assert not (tmp_path / "out" / "deck.apkg").exists()


def test_an_import_onto_a_folder_with_the_technique_files_name_is_one_line(tmp_path: Path) -> None:
    content = tmp_path / "content"
    assert run("import", FIXTURES / "pages" / "clean.txt", "--content", content).exit_code == 0
    target = content / "techniques" / "grounding-through-the-senses.yaml"
    target.unlink()
    target.mkdir()
    result = run("import", FIXTURES / "pages" / "clean.txt", "--content", content, "--force")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{target.as_posix()}: a folder has the technique file's name; nothing was written there" in result.output
    assert target.is_dir()


def test_a_folder_inside_techniques_is_said_not_silently_skipped(tmp_path: Path) -> None:
    content = write_content(tmp_path, techniques=[technique("alpha")])
    (content / "techniques" / "drafts").mkdir()
    (content / "techniques" / "drafts" / "beta.yaml").write_text("title: Beta\n", encoding="utf-8")
    result = run("validate", "--content", content)
    assert result.exit_code == 0
    assert (
        f"{content}/techniques/drafts:0: techniques: warning: a folder: technique files inside folders" in result.output
    )
    assert run("validate", "--content", content, "--strict").exit_code == 1


def test_a_newline_in_a_file_name_keeps_every_problem_on_one_line(tmp_path: Path) -> None:
    content = write_content(tmp_path, techniques=[technique("alpha")])
    (content / "techniques" / "bad\nname.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    result = run("validate", "--content", content)
    assert result.exit_code == 1
    assert all(line.startswith((str(content), "Error:")) for line in result.output.splitlines()), result.output
    assert "bad\\nname.yaml" in result.output


def test_nohup_keeps_the_build_going_through_a_hang_up(tmp_path: Path) -> None:
    content = write_content(tmp_path, techniques=[technique("alpha")])
    code = (
        "import os, signal, sys; signal.signal(signal.SIGHUP, signal.SIG_IGN); "
        "from exporter.files.signals import install_stop_handlers; install_stop_handlers(); "
        "os.kill(os.getpid(), signal.SIGHUP); "
        "from exporter.__main__ import main; sys.argv = ['exporter', 'handbook', '--content', sys.argv[1], "
        "'--out', sys.argv[2]]; main()"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code, str(content), str(tmp_path / "out")], capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    assert (tmp_path / "out" / "handbook.pdf").stat().st_size > 0


@pytest.mark.usefixtures("fakes")
def test_a_worker_killed_from_outside_is_one_line_and_the_build_is_undone(tmp_path: Path) -> None:
    content = write_content(tmp_path, techniques=[technique("alpha")])
    out = tmp_path / "out"
    out.mkdir()
    (out / "killed.txt").write_text("from the last good build", encoding="utf-8")
    result = run("build", "--content", content, "--out", out, "--only", "titles,oom-killed", "--jobs", "2")
    assert result.exit_code == 1 and "Traceback" not in result.output and "BrokenProcessPool" not in result.output
    assert "a worker process building the outputs was killed from outside" in result.output
    assert (out / "killed.txt").read_text(encoding="utf-8") == "from the last good build"
    assert sorted(p.name for p in out.iterdir()) == ["killed.txt"]


def test_a_full_temporary_folder_while_the_deck_is_built_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from exporter.writers.deck import package

    content = write_content(tmp_path, techniques=[technique("alpha")])
    out = tmp_path / "out"
    assert run("deck", "--content", content, "--out", out, "-j", "1").exit_code == 0
    before = (out / "deck.apkg").read_bytes(), (content / "deck-state.json").read_bytes()

    def full(*args: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(package.PackageWriter, "add", full)
    write_content(tmp_path, techniques=[technique("alpha", steps=["A new first step", "A second"])])
    result = run("deck", "--content", content, "--out", out, "-j", "1")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "cannot build the deck in the temporary folder" in result.output and "set TMPDIR" in result.output
    assert ((out / "deck.apkg").read_bytes(), (content / "deck-state.json").read_bytes()) == before


#: The real program (exporter.__main__) with the stand-in writers registered.
PROGRAM = (
    "import sys, exporter.writers as w, fake_writers as f; w.WRITERS.update(f.FAKE_WRITERS); "
    "from exporter.__main__ import main; sys.argv = ['exporter', *sys.argv[1:]]; main()"
)


@pytest.mark.parametrize("signum", [2, 15])
def test_a_stopped_build_exits_128_plus_the_signal_as_shells_expect(tmp_path: Path, signum: int) -> None:
    content = write_content(tmp_path, techniques=[technique("alpha")])
    markers = tmp_path / "markers"
    markers.mkdir()
    env = {**os.environ, "PYTHONPATH": str(TESTS), "EXPORTER_TEST_STALL_DIR": str(markers)}
    args = ["build", "--content", str(content), "--out", str(tmp_path / "out"), "--only", "stalling", "-j", "1"]
    process = subprocess.Popen([sys.executable, "-c", PROGRAM, *args], env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not [p for p in markers.iterdir() if p.suffix != ".part"] and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 128 + signum, stderr
    assert stderr.strip().splitlines()[-1] == "Aborted!" and "Traceback" not in stderr


def test_a_build_whose_reader_went_away_still_exits_0(tmp_path: Path) -> None:
    """`exporter build | true`: every output was written; the closed pipe is not a failure."""
    content = write_content(tmp_path, techniques=[technique("alpha")])
    reader_gone = f"{sys.executable} -m exporter handbook --content '{content}' --out '{tmp_path / 'out'}' | true"
    completed = subprocess.run(
        ["bash", "-c", reader_gone + "; exit ${PIPESTATUS[0]}"], capture_output=True, text=True, timeout=120
    )
    assert completed.returncode == 0, completed.stderr
    assert "Traceback" not in completed.stderr and "BrokenPipe" not in completed.stderr
    assert (tmp_path / "out" / "handbook.pdf").stat().st_size > 0


def test_an_immutable_output_is_named_and_blocks_no_later_build(tmp_path: Path) -> None:
    """`chattr +i` on a handout: the build says the file itself is protected, undoes everything,
    leaves no journal behind, and the next build (once the file is unprotected) just works."""
    content = write_content(tmp_path, techniques=[technique("alpha"), technique("beta")])
    out = tmp_path / "out"
    assert run("build", "--content", content, "--out", out, "-j", "1").exit_code == 0
    protected = out / "handouts" / "beta.pdf"
    if subprocess.run(["chattr", "+i", str(protected)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not allowed here")
    try:
        write_content(tmp_path, techniques=[technique("alpha"), technique("beta", title="Beta, renamed")])
        before = {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()}
        result = run("build", "--content", content, "--out", out, "-j", "1")
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert result.output.splitlines()[-1] == (
            f"Error: {protected}: cannot write: permission denied (the file itself is protected: read-only, "
            "in use or immutable); the previous file was kept"
        )
        assert {p.name: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
        assert leftovers(out) == []
    finally:
        subprocess.run(["chattr", "-i", str(protected)], capture_output=True)
    assert run("build", "--content", content, "--out", out, "-j", "1").exit_code == 0


def test_a_stop_while_the_temporary_file_is_made_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stop is held back while the file is made and raised as that step ends: the file goes too
    (an import has no journal to clean up after it; 1 stop in 30 of a soak run landed there)."""
    import tempfile as tempfile_module

    from exporter.files import atomic
    from exporter.files.signals import install_stop_handlers, restore_handlers

    real_mkstemp = tempfile_module.mkstemp

    def mkstemp_then_stop(*args: object, **kwargs: object) -> tuple[int, str]:
        made = real_mkstemp(*args, **kwargs)  # type: ignore[call-overload]
        os.kill(os.getpid(), signal.SIGTERM)  # arrives while the file exists but is not yet named
        return made  # type: ignore[no-any-return]

    previous = install_stop_handlers()
    try:
        monkeypatch.setattr(atomic.tempfile, "mkstemp", mkstemp_then_stop)
        with pytest.raises(KeyboardInterrupt):
            atomic.write_bytes_atomic(tmp_path / "technique.yaml.bak", b"the old file")
    finally:
        restore_handlers(previous)
    assert list(tmp_path.iterdir()) == []
