"""Output safety: a bad --out, an unwritable folder, a full disk, Ctrl-C or a failing writer all end
in one clear line, every existing output keeps its bytes, and no temporary file is left behind."""

from __future__ import annotations

import contextlib
import errno
import multiprocessing
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from build_outputs import leftovers, outputs
from click.testing import CliRunner, Result
from conftest import technique

from exporter.cli import main
from exporter.errors import ExporterError
from exporter.files.atomic import (
    JOURNAL_ENV,
    atomic_output,
    build_journal,
    prepare_out_dir,
    remove_output,
    write_bytes_atomic,
)
from exporter.model import Library
from exporter.options import BuildOptions
from exporter.writers import WRITERS, WriteResult, WriterSpec

MakeContent = Callable[..., Path]

PREVIOUS = {
    "one.txt": b"one from the last good build",
    "two.txt": b"two from the last good build",
    "sub/three.txt": b"three from the last good build",
}


def write_one(library: Library, out_dir: Path, options: BuildOptions) -> WriteResult:
    """Replaces one.txt and adds sub/new.txt and fresh/new.txt: all must be undone when the build fails."""
    for name in ("one.txt", "sub/new.txt", "fresh/new.txt"):
        write_bytes_atomic(out_dir / name, b"new bytes")
    remove_output(out_dir / "sub" / "three.txt")
    return WriteResult("one", (out_dir / "one.txt",), "written")


def write_two_on_a_full_disk(library: Library, out_dir: Path, options: BuildOptions) -> WriteResult:
    with atomic_output(out_dir / "two.txt") as temporary:
        temporary.write_bytes(b"half of the n")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def write_two_denied(library: Library, out_dir: Path, options: BuildOptions) -> WriteResult:
    with atomic_output(out_dir / "two.txt") as temporary:
        temporary.write_bytes(b"half")
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))


def write_two_interrupted(library: Library, out_dir: Path, options: BuildOptions) -> WriteResult:
    with atomic_output(out_dir / "two.txt") as temporary:
        temporary.write_bytes(b"half")
        raise KeyboardInterrupt


def write_big(library: Library, out_dir: Path, options: BuildOptions) -> WriteResult:
    with atomic_output(out_dir / "two.txt") as temporary, temporary.open("wb") as handle:
        for _ in range(64):
            handle.write(b"x" * 65536)
    return WriteResult("big", (out_dir / "two.txt",), "big")


TEST_WRITERS = {
    "one": WriterSpec("test_outputs:write_one"),
    "full": WriterSpec("test_outputs:write_two_on_a_full_disk"),
    "denied": WriterSpec("test_outputs:write_two_denied"),
    "interrupted": WriterSpec("test_outputs:write_two_interrupted"),
    "big": WriterSpec("test_outputs:write_big"),
}


@pytest.fixture(autouse=True)
def test_writers(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, target in TEST_WRITERS.items():
        monkeypatch.setitem(WRITERS, name, target)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "output"
    for name, data in PREVIOUS.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


def everything_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def build(content: Path, out_dir: Path, only: str, jobs: int = 1) -> Result:
    return CliRunner().invoke(
        main, ["build", "--content", str(content), "--out", str(out_dir), "--only", only, "--jobs", str(jobs)]
    )


def assert_one_clear_error(result: Result, message: str) -> None:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.output.splitlines()[-1] == f"Error: {message}"


# --- the output folder itself -----------------------------------------------------------------


def test_an_out_that_is_a_file_is_refused(make_content: MakeContent, tmp_path: Path) -> None:
    content = make_content()
    a_file = tmp_path / "output"
    a_file.write_bytes(b"my notes")
    result = build(content, a_file, "one")
    assert result.exit_code == 2  # a mistake on the command line, refused before anything is read
    assert result.output.splitlines()[-1].endswith(f"{a_file}: --out must be a folder, but a file has that name")
    assert a_file.read_bytes() == b"my notes"


def test_an_out_below_a_file_is_refused(make_content: MakeContent, tmp_path: Path) -> None:
    content = make_content()
    (tmp_path / "notes").write_bytes(b"my notes")
    result = build(content, tmp_path / "notes" / "output", "one")
    assert_one_clear_error(
        result,
        f"{tmp_path / 'notes' / 'output'}: cannot create the output folder: part of the path is a file, not a folder",
    )


def test_an_unwritable_out_is_refused_before_any_writer_runs(
    make_content: MakeContent, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root, which ignores permissions: the refusal the disk would give is simulated.
    import tempfile

    real_mkstemp = tempfile.mkstemp

    def denied(*args: object, dir: str | Path | None = None, **kwargs: object) -> tuple[int, str]:
        if dir is not None and Path(dir) == out:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(dir))
        return real_mkstemp(*args, dir=dir, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(tempfile, "mkstemp", denied)
    result = build(make_content(), out, "one")
    assert_one_clear_error(
        result, f"{out}: cannot write to the output folder: permission denied (the folder is not writable)"
    )
    assert outputs(out) == PREVIOUS


def mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def read_only(out: Path) -> Iterator[Path]:
    """The output folder bind-mounted read-only over itself (needs root; skipped otherwise)."""
    if os.geteuid() != 0 or not mount("--bind", "-o", "ro", str(out), str(out)):
        pytest.skip("cannot bind-mount read-only here")
    try:
        yield out
    finally:
        subprocess.run(["umount", str(out)], check=True)


def test_a_read_only_out_is_refused_for_real(make_content: MakeContent, read_only: Path) -> None:
    result = build(make_content(), read_only, "one")
    assert_one_clear_error(result, f"{read_only}: cannot write to the output folder: the disk is read-only")
    assert outputs(read_only) == PREVIOUS


@contextlib.contextmanager
def ram_disk(folder: Path, size: str) -> Iterator[Path]:
    """A small RAM disk holding the previous outputs (needs root; the test is skipped otherwise)."""
    folder.mkdir()
    if os.geteuid() != 0 or not mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)):
        pytest.skip("cannot mount a tmpfs here")
    try:
        for name, data in PREVIOUS.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(data)
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    with ram_disk(tmp_path / "tiny", "256k") as folder:
        yield folder


def test_a_really_full_disk_keeps_the_previous_outputs(make_content: MakeContent, tiny_disk: Path) -> None:
    result = build(make_content(), tiny_disk, "one,big")
    assert_one_clear_error(
        result, f"{tiny_disk / 'two.txt'}: cannot write: the disk is full; the previous file was kept"
    )
    assert outputs(tiny_disk) == PREVIOUS
    assert everything_under(tiny_disk) == ["one.txt", "sub", "sub/three.txt", "two.txt"]


# --- a build that fails halfway ---------------------------------------------------------------


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_full_disk_in_one_writer_undoes_what_the_others_wrote(
    make_content: MakeContent, out: Path, jobs: int
) -> None:
    result = build(make_content(), out, "one,full", jobs)
    assert_one_clear_error(result, f"{out / 'two.txt'}: cannot write: the disk is full; the previous file was kept")
    assert "every output file was left as it was before" in result.output
    assert outputs(out) == PREVIOUS
    assert everything_under(out) == ["one.txt", "sub", "sub/three.txt", "two.txt"]  # no temp, journal or new folder


def test_a_permission_error_while_writing_is_one_clear_line(make_content: MakeContent, out: Path) -> None:
    result = build(make_content(), out, "one,denied")
    assert_one_clear_error(
        result,
        f"{out / 'two.txt'}: cannot write: permission denied (the folder is not writable); the previous file was kept",
    )
    assert outputs(out) == PREVIOUS


def test_ctrl_c_in_a_writer_leaves_every_output_as_it_was(make_content: MakeContent, out: Path) -> None:
    result = build(make_content(), out, "one,interrupted")
    assert result.exit_code == 1
    assert "Aborted!" in result.output and "Traceback" not in result.output
    assert outputs(out) == PREVIOUS
    assert everything_under(out) == ["one.txt", "sub", "sub/three.txt", "two.txt"]


def test_a_content_error_touches_no_output(make_content: MakeContent, out: Path) -> None:
    content = make_content(techniques=[technique("alpha", steps="not a list")])
    result = build(content, out, "one")
    assert_one_clear_error(result, "1 problem in the content; nothing was written")
    assert outputs(out) == PREVIOUS


def test_a_successful_build_replaces_and_cleans_up(make_content: MakeContent, out: Path) -> None:
    result = build(make_content(), out, "one")
    assert result.exit_code == 0, result.output
    assert outputs(out) == {
        "one.txt": b"new bytes",
        "two.txt": PREVIOUS["two.txt"],
        "sub/new.txt": b"new bytes",
        "fresh/new.txt": b"new bytes",
    }
    assert leftovers(out) == []
    assert JOURNAL_ENV not in os.environ


# --- the building blocks ----------------------------------------------------------------------


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, RuntimeError, SystemExit])
def test_an_interrupted_atomic_write_keeps_the_old_bytes(tmp_path: Path, interruption: type[BaseException]) -> None:
    target = tmp_path / "handbook.pdf"
    target.write_bytes(b"old")
    with pytest.raises(interruption), atomic_output(target) as temporary:
        temporary.write_bytes(b"half")
        raise interruption()
    assert target.read_bytes() == b"old"
    assert everything_under(tmp_path) == ["handbook.pdf"]


def test_an_atomic_write_replaces_the_file_readable_by_all(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "deck.apkg"
    write_bytes_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o644
    assert everything_under(tmp_path) == ["deep", "deep/deck.apkg"]


def test_a_failed_rename_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "handbook.pdf"
    target.mkdir()  # a folder where the file should go: the rename fails
    with pytest.raises(ExporterError, match=r"handbook.pdf: cannot write: .*; the previous file was kept"):
        write_bytes_atomic(target, b"new")
    assert everything_under(tmp_path) == ["handbook.pdf"]


def test_the_journal_undoes_replacements_additions_and_removals(tmp_path: Path, out: Path) -> None:
    with pytest.raises(ExporterError), build_journal(out):
        write_one(Library("t", "d", (), ()), out, BuildOptions())
        write_bytes_atomic(out / "one.txt", b"written twice")
        raise ExporterError("a later writer failed")
    assert outputs(out) == PREVIOUS
    assert everything_under(out) == ["one.txt", "sub", "sub/three.txt", "two.txt"]
    assert JOURNAL_ENV not in os.environ


def test_the_journal_covers_files_outside_the_output_folder(tmp_path: Path, out: Path) -> None:
    state = tmp_path / "content" / "deck-state.json"
    state.parent.mkdir()
    state.write_bytes(b'{"old": 1}')
    with pytest.raises(KeyboardInterrupt), build_journal(out):
        write_bytes_atomic(state, b'{"new": 2}')
        raise KeyboardInterrupt
    assert state.read_bytes() == b'{"old": 1}'


def _write_in_child(target: str) -> None:
    write_bytes_atomic(Path(target), b"from a worker process")


@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_the_journal_covers_writers_in_worker_processes(out: Path, method: str) -> None:
    context = multiprocessing.get_context(method)
    with pytest.raises(ExporterError), build_journal(out):
        process = context.Process  # type: ignore[attr-defined]
        worker = process(target=_write_in_child, args=(str(out / "two.txt"),))
        worker.start()
        worker.join()
        assert worker.exitcode == 0
        assert (out / "two.txt").read_bytes() == b"from a worker process"
        raise ExporterError("another writer failed")
    assert outputs(out) == PREVIOUS


def test_prepare_out_dir_creates_missing_folders(tmp_path: Path) -> None:
    prepare_out_dir(tmp_path / "a" / "b")
    assert everything_under(tmp_path) == ["a", "a/b"]


def test_a_full_disk_during_a_real_build_keeps_the_previous_outputs(make_content: MakeContent, tmp_path: Path) -> None:
    # The four outputs of the one-technique test library take about 230 KB.
    with ram_disk(tmp_path / "tiny", "128k") as tiny_disk:
        check_full_disk_build(make_content(), tiny_disk)


def check_full_disk_build(content: Path, tiny_disk: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--content", str(content), "--out", str(tiny_disk)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    last = result.output.splitlines()[-1]
    assert last.startswith(f"Error: {tiny_disk}/") and "cannot write: the disk is full; " in last
    # Only a file that was there before is "kept"; a new one (a first handout) is "nothing was written".
    failed = Path(last.removeprefix("Error: ").split(": cannot write")[0])
    expected = (
        "the previous file was kept" if failed.relative_to(tiny_disk).as_posix() in PREVIOUS else "nothing was written"
    )
    assert last.endswith(expected), last
    assert outputs(tiny_disk) == PREVIOUS
    assert everything_under(tiny_disk) == ["one.txt", "sub", "sub/three.txt", "two.txt"]


# --- an output folder on another disk than the content ------------------------------------------


@pytest.fixture
def ram_out(tmp_path: Path) -> Iterator[Path]:
    """--out on a RAM disk, the content (and its deck-state.json) on the ordinary disk."""
    with ram_disk(tmp_path / "ram", "8m") as folder:
        yield folder


def deck_then_fail(content: Path, out_dir: Path) -> Result:
    # deck runs first and saves content/deck-state.json; then the failing writer gives up.
    return build(content, out_dir, "deck,failing")


@pytest.mark.usefixtures("fakes")
def test_a_failed_build_into_another_disk_puts_the_deck_state_back(make_content: MakeContent, ram_out: Path) -> None:
    content = make_content(techniques=[technique("alpha")])
    first = build(content, ram_out, "deck")
    assert first.exit_code == 0, first.output
    state = content / "deck-state.json"
    state_before, outputs_before = state.read_bytes(), outputs(ram_out)
    assert os.stat(state).st_dev != os.stat(ram_out).st_dev
    edited = (content / "techniques" / "alpha.yaml").read_text(encoding="utf-8").replace("step two", "step 2")
    (content / "techniques" / "alpha.yaml").write_text(edited, encoding="utf-8")

    result = deck_then_fail(content, ram_out)

    assert_one_clear_error(result, "the failing writer gave up halfway")
    assert "every output file was left as it was before" in result.output
    assert state.read_bytes() == state_before
    assert outputs(ram_out) == outputs_before
    assert [p.name for p in content.iterdir() if p.name.startswith(".")] == []
    assert leftovers(ram_out) == []


@pytest.mark.usefixtures("fakes")
def test_a_previous_copy_that_cannot_be_put_back_is_kept_until_the_next_build(
    make_content: MakeContent, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = make_content(techniques=[technique("alpha")])
    out_dir = tmp_path / "output"
    assert build(content, out_dir, "deck").exit_code == 0
    state = content / "deck-state.json"
    state_before = state.read_bytes()
    edited = (content / "techniques" / "alpha.yaml").read_text(encoding="utf-8").replace("step two", "step 2")
    (content / "techniques" / "alpha.yaml").write_text(edited, encoding="utf-8")
    import exporter.files.journal as journal

    real_put_back = journal._put_back

    def refuse_for_the_state(backup: Path, target: Path) -> None:
        if target.name == "deck-state.json":
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        real_put_back(backup, target)

    monkeypatch.setattr(journal, "_put_back", refuse_for_the_state)
    result = deck_then_fail(content, out_dir)
    assert result.exit_code == 1
    assert f"Could not restore {state}: permission denied" in result.output
    assert "the next build into this folder puts them back" in result.output
    kept = [p for p in out_dir.iterdir() if p.name.startswith(".exporter-build-")]
    assert len(kept) == 1 and state.read_bytes() != state_before  # the only old copy is still there

    monkeypatch.setattr(journal, "_put_back", real_put_back)
    again = build(content, out_dir, "titles")
    assert again.exit_code == 0, again.output
    assert "Put back the previous outputs of a build that was stopped" in again.output
    assert state.read_bytes() == state_before
    assert leftovers(out_dir) == []


def test_a_rename_across_disks_is_a_copy_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If a previous copy ever sits on another disk, putting it back copies it instead."""
    import exporter.files.journal as journal

    backup, target = tmp_path / "kept", tmp_path / "deck-state.json"
    backup.write_bytes(b"old state")
    target.write_bytes(b"new state")
    real_replace = os.replace

    def cross_device(source: str | Path, destination: str | Path) -> None:
        if Path(source) == backup:
            raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))
        real_replace(source, destination)

    monkeypatch.setattr(journal.os, "replace", cross_device)
    journal._put_back(backup, target)
    assert target.read_bytes() == b"old state"
    assert everything_under(tmp_path) == ["deck-state.json"]


def fill(folder: Path, leave_pages: int) -> None:
    """Fill folder's disk until exactly leave_pages blocks are free."""
    filler = folder / "filler"
    with filler.open("wb") as handle:
        while True:
            free = os.statvfs(folder).f_bavail
            if free <= leave_pages:
                break
            handle.write(b"\0" * os.statvfs(folder).f_bsize * (free - leave_pages))
            handle.flush()
            os.fsync(handle.fileno())


def test_a_nearly_full_output_disk_never_blames_the_deck_state(tmp_path: Path) -> None:
    """The deck state's previous copy is kept beside it, on the content's disk: an output disk
    with room for the new deck (but not for a copy of the state) builds fine, and a full one is
    reported against the deck it could not write."""
    import shutil

    from exporter.testing.synthetic import write_synthetic_content

    content = write_synthetic_content(tmp_path / "library", 25, seed=4)
    assert build(content, tmp_path / "first", "deck").exit_code == 0  # the state of a first release
    scratch = tmp_path / "scratch"
    shutil.copytree(content, scratch / "content")
    for folder in (content, scratch / "content"):
        path = sorted((folder / "techniques").glob("*.yaml"))[0]
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["key_phrases"] = [*data.get("key_phrases", []), "Take your time with it."]
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert build(scratch / "content", scratch / "out", "deck").exit_code == 0
    with ram_disk(tmp_path / "ram", "4m") as out:
        shutil.copy(tmp_path / "first" / "deck.apkg", out / "deck.apkg")
        page = os.statvfs(out).f_bsize
        new_deck_pages = -(-(scratch / "out" / "deck.apkg").stat().st_size // page)
        state_pages = -(-(content / "deck-state.json").stat().st_size // page)
        assert state_pages > 6
        state_before = (content / "deck-state.json").read_bytes()

        fill(out, leave_pages=1)
        full = build(content, out, "deck")
        assert_one_clear_error(full, f"{out / 'deck.apkg'}: cannot write: the disk is full")
        assert (content / "deck-state.json").read_bytes() == state_before

        (out / "filler").unlink()
        fill(out, leave_pages=new_deck_pages + 4)  # the deck, the journal's list, the lock; no state copy
        result = build(content, out, "deck")
        assert result.exit_code == 0, result.output
        assert (content / "deck-state.json").read_bytes() == (scratch / "content" / "deck-state.json").read_bytes()
        assert leftovers(out) == []
    assert [p.name for p in content.iterdir() if p.name.startswith(".")] == []
