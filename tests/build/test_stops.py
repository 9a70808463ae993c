"""A build is a transaction whatever stops it: the real command in a subprocess, stopped by
SIGTERM, SIGHUP or SIGKILL at a moment a writer is known to be mid-write. Each test checks the
outputs' bytes before and after, that nothing is left behind, and that no worker outlives it."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from build_outputs import leftovers, outputs
from conftest import TESTS, technique
from fake_writers import DRIVER

import exporter

#: What an earlier, good build left in the output folder.
PREVIOUS = {"replaced.txt": b"from the last good build", "late.txt": b"late, from the last good build"}


def digests(folder: Path) -> dict[str, str]:
    """Every file a user gets under folder (the record and the caches aside) by its SHA-256."""
    return {name: hashlib.sha256(data).hexdigest() for name, data in outputs(folder).items()}


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "output"
    folder.mkdir()
    for name, data in PREVIOUS.items():
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture
def content(make_content: Callable[..., Path]) -> Path:
    return make_content(techniques=[technique("alpha")])


class Build:
    """`exporter build` running in its own session, with the stalling writers' markers."""

    def __init__(self, tmp_path: Path, content: Path, out: Path, only: str, jobs: int, launcher: bool = False):
        self.markers = tmp_path / "markers"
        self.markers.mkdir(exist_ok=True)
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]),
            "EXPORTER_TEST_STALL_DIR": str(self.markers),
        }
        args = ["build", "--content", str(content), "--out", str(out), "--only", only, "--jobs", str(jobs)]
        program = [sys.executable, "-c", DRIVER] if not launcher else [sys.executable, "-m", "exporter"]
        self.process = subprocess.Popen(
            [*program, *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
            # As a terminal starts it: a runner started under nohup passes SIGHUP on ignored, and
            # the command rightly keeps ignoring it then.
            preexec_fn=_default_stop_signals,
        )
        self.expected_markers = len([n for n in only.split(",") if "stall" in n])

    def wait_until_stalled(self) -> list[int]:
        """The process ids of the stalling writers, once each is mid-write."""
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            markers = [p for p in self.markers.iterdir() if p.suffix != ".part"]
            if len(markers) >= self.expected_markers:
                return [int(p.read_text()) for p in markers]
            if self.process.poll() is not None:
                raise AssertionError(f"the build ended early: {self.process.communicate()}")
            time.sleep(0.05)
        raise AssertionError("the stalling writers did not start")

    def finish(self, timeout: float = 60) -> tuple[int, str, str]:
        stdout, stderr = self.process.communicate(timeout=timeout)
        return self.process.returncode, stdout, stderr

    def kill_all(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Callable[..., Build]]:
    builds: list[Build] = []

    def make(content: Path, out: Path, only: str, jobs: int, launcher: bool = False) -> Build:
        build = Build(tmp_path, content, out, only, jobs, launcher)
        builds.append(build)
        return build

    yield make
    for build in builds:
        with_group = build.process.pid
        build.kill_all()
        try:
            os.killpg(with_group, signal.SIGKILL)  # orphaned workers keep the session
        except ProcessLookupError:
            pass


def gone(pid: int, within: float = 15) -> bool:
    """The process has exited (a zombie nobody has reaped yet counts as exited)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except FileNotFoundError:
            return True
        if "\nState:\tZ" in status:
            return True
        time.sleep(0.05)
    return False


def assert_one_clean_stop(code: int, stderr: str) -> None:
    assert code != 0
    assert "Traceback" not in stderr, stderr
    assert "every output file was left as it was before" in stderr
    assert stderr.strip().splitlines()[-1] == "Aborted!"


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP], ids=["sigterm", "sighup"])
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_stop_signal_to_the_command_alone_rolls_the_build_back(
    start: Callable[..., Build], content: Path, out: Path, stop: signal.Signals, jobs: int
) -> None:
    before = digests(out)
    only = "replace-then-stall,stalling" if jobs > 1 else "replace-then-stall"
    build = start(content, out, only, jobs)
    workers = build.wait_until_stalled()
    assert (out / "replaced.txt").read_bytes() != PREVIOUS["replaced.txt"]  # the build had replaced it
    assert leftovers(out), "mid-write: temporary files and the journal exist"
    build.process.send_signal(stop)  # the command only, as `timeout` or `docker stop` do
    code, _, stderr = build.finish()
    assert_one_clean_stop(code, stderr)
    assert digests(out) == before
    assert leftovers(out) == []
    assert all(gone(pid) for pid in workers)


def test_sigterm_to_the_whole_group_rolls_back_too(start: Callable[..., Build], content: Path, out: Path) -> None:
    before = digests(out)
    build = start(content, out, "replace-then-stall,stalling", 2)
    workers = build.wait_until_stalled()
    os.killpg(build.process.pid, signal.SIGTERM)
    code, _, stderr = build.finish()
    assert_one_clean_stop(code, stderr)
    assert digests(out) == before and leftovers(out) == []
    assert all(gone(pid) for pid in workers)


#: How workers start and watch their command: Linux's way, and the way Windows and macOS take
#: (spawned workers; on Windows a parent-process handle, not adoption, tells that the command died).
PLATFORM_WAYS = {
    "linux": {},
    "spawn-and-sentinel": {"EXPORTER_START_METHOD": "spawn", "EXPORTER_PARENT_WATCH": "sentinel"},
}


@pytest.mark.parametrize("way", sorted(PLATFORM_WAYS))
@pytest.mark.parametrize("only", ["replace-then-stall,stalling", "deck,stalling"])
def test_workers_undo_the_build_and_exit_when_the_command_is_killed(
    start: Callable[..., Build], content: Path, out: Path, only: str, way: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGKILL to the command alone (the OOM killer): the workers notice, put the previous
    outputs (and the deck state) back, and exit, closing the pipe, so `exporter build | tee`
    returns. With the deck, the content folder's lock file goes too."""
    for name, value in PLATFORM_WAYS[way].items():
        monkeypatch.setenv(name, value)
    before, content_before = digests(out), digests(content)
    build = start(content, out, only, 2)
    workers = build.wait_until_stalled()
    deadline = time.monotonic() + 60
    while "deck" in only and not (content / "deck-state.json").exists():
        assert time.monotonic() < deadline, "the deck was never written"
        time.sleep(0.05)
    build.process.kill()
    started = time.monotonic()
    build.process.stdout.read()  # type: ignore[union-attr]  # returns once every writer of the pipe has exited
    build.process.stderr.read()  # type: ignore[union-attr]
    assert time.monotonic() - started < 15
    build.process.wait()
    assert all(gone(pid) for pid in workers)
    assert digests(out) == before and digests(content) == content_before
    assert leftovers(out, content) == []


def test_the_next_build_puts_back_what_a_killed_build_left(
    start: Callable[..., Build], content: Path, out: Path, tmp_path: Path
) -> None:
    before = digests(out)
    build = start(content, out, "replace-then-stall", 1)
    build.wait_until_stalled()
    build.process.kill()  # kill -9 with --jobs 1: nothing runs to clean up
    build.process.wait()
    assert any(".exporter-build-" in p for p in leftovers(out)) and any(p.endswith(".tmp") for p in leftovers(out))
    assert (out / "replaced.txt").read_bytes() != PREVIOUS["replaced.txt"]

    code, stdout, stderr = run_build(content, out, "titles")
    assert code == 0, stderr
    assert "Put back the previous outputs of a build that was stopped before it finished" in stderr
    after = digests(out)
    assert after.pop("titles.txt")
    assert after == before  # the killed build's replacement was undone
    assert leftovers(out) == []


def run_build(content: Path, out: Path, only: str) -> tuple[int, str, str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
    args = ["build", "--content", str(content), "--out", str(out), "--only", only, "--jobs", "1"]
    completed = subprocess.run(
        [sys.executable, "-c", DRIVER, *args], env=env, capture_output=True, text=True, timeout=120
    )
    return completed.returncode, completed.stdout, completed.stderr


@pytest.mark.parametrize("locks", ["fcntl", "filelock"])  # filelock: the way Windows locks
def test_a_second_build_into_the_same_folder_is_refused_while_one_runs(
    start: Callable[..., Build], content: Path, out: Path, locks: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EXPORTER_LOCKS", locks)
    build = start(content, out, "replace-then-stall", 1)
    build.wait_until_stalled()
    code, _, stderr = run_build(content, out, "titles")
    assert code == 1
    holder = f" (process {build.process.pid})" if locks == "fcntl" else ""
    assert stderr.strip() == (
        f"Error: {out}: another exporter build{holder} is writing to this folder; "
        "wait for it to finish, or build into another --out"
    )
    assert not (out / "titles.txt").exists()
    build.process.kill()  # the lock dies with its holder: the next build goes ahead
    build.process.wait()
    code, _, stderr = run_build(content, out, "titles")
    assert code == 0, stderr
    assert (out / "titles.txt").is_file() and leftovers(out) == []


def test_sigterm_during_a_real_build_restores_every_output_and_the_deck_state(
    start: Callable[..., Build], make_content: Callable[..., Path], tmp_path: Path
) -> None:
    content = make_content(techniques=[technique("alpha"), technique("beta")])
    out = tmp_path / "output"
    code, _, stderr = run_build(content, out, "deck,handouts")
    assert code == 0, stderr
    state = content / "deck-state.json"
    before, state_before = digests(out), state.read_bytes()
    (content / "techniques" / "beta.yaml").unlink()  # a changed library: new deck, new state, one handout less
    shutil.copy(content / "techniques" / "alpha.yaml", content / "techniques" / "gamma.yaml")
    text = (content / "techniques" / "gamma.yaml").read_text(encoding="utf-8").replace("alpha", "gamma")
    (content / "techniques" / "gamma.yaml").write_text(text, encoding="utf-8")

    build = start(content, out, "deck,handouts,stalling", 1)
    build.wait_until_stalled()
    assert state.read_bytes() != state_before  # the deck writer had saved the new state
    build.process.send_signal(signal.SIGTERM)
    code, _, stderr = build.finish()
    assert_one_clean_stop(code, stderr)
    assert digests(out) == before
    assert state.read_bytes() == state_before
    assert leftovers(out, content) == []


def _default_stop_signals() -> None:
    for stop in (signal.SIGHUP, signal.SIGTERM, signal.SIGINT):
        signal.signal(stop, signal.SIG_DFL)


def _run_interrupted(program: list[str], delay: float, env: dict[str, Any]) -> tuple[int, str]:
    process = subprocess.Popen(program, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    return process.returncode, stderr


def test_ctrl_c_while_the_program_starts_is_one_line(content: Path) -> None:
    """The first tens of milliseconds are spent importing Click and YAML: no traceback there either.

    A signal that lands while the interpreter itself still starts (its own modules, before the
    first line of exporter.__main__ runs) is Python's business and is not counted.
    """
    script = Path(sys.executable).with_name("exporter")
    program = [str(script)] if script.is_file() else [sys.executable, "-m", "exporter"]
    command = [*program, "validate", "--content", str(content)]
    started = time.monotonic()
    subprocess.run(command, capture_output=True, timeout=60, check=True)
    whole_run = time.monotonic() - started  # the delays below spread over it, however loaded the machine is
    aborted = tries = 0
    while aborted < 3 and tries < 40:  # however the machine's load changes while the test runs
        step = tries % 8 + 1  # the first two thirds of a run: start-up and imports
        tries += 1
        code, stderr = _run_interrupted(command, whole_run * step / 12, dict(os.environ))
        if code == 0:
            whole_run *= 0.8  # the run was quicker than measured: the signal came too late
            continue
        if (code == -signal.SIGINT and not stderr) or not _in_exporter(stderr):
            continue  # the interpreter had not reached exporter yet
        assert "Traceback" not in stderr, (step, stderr)
        assert stderr.strip().splitlines()[-1] == "Aborted!", (step, code, stderr)
        aborted += 1
    assert aborted >= 3, f"{aborted} of {tries} signals landed in exporter's start-up"


#: The package's own folder: a frame in a file under it is exporter's code. (Not "/exporter/" in
#: the path: a checkout named exporter has the console script itself under such a path.)
PACKAGE_DIR = str(Path(exporter.__file__).resolve().parent) + os.sep


def _in_exporter(stderr: str) -> bool:
    """False for a traceback whose frames are all the interpreter's own start-up (or the console
    script's, which runs before exporter.__main__)."""
    if "Traceback" not in stderr:
        return True
    frames = [line for line in stderr.splitlines() if line.strip().startswith("File ")]
    return any(f'"{PACKAGE_DIR}' in frame and "__main__.py" not in frame for frame in frames)


def test_sigterm_while_the_real_handbook_is_written_leaves_no_temporary_file(
    start: Callable[..., Build], tmp_path: Path
) -> None:
    from exporter.testing.synthetic import write_synthetic_content

    content = write_synthetic_content(tmp_path / "library", 12, seed=3)
    out = tmp_path / "output"
    out.mkdir()
    (out / "handbook.pdf").write_bytes(b"%PDF- the handbook of the last good build")
    before = digests(out)
    build = start(content, out, "handbook", 1)
    deadline = time.monotonic() + 90
    while not list(out.glob(".handbook.pdf.*.tmp")):
        assert time.monotonic() < deadline and build.process.poll() is None, "the handbook was never started"
        time.sleep(0.005)
    build.process.send_signal(signal.SIGTERM)
    code, _, stderr = build.finish()
    assert_one_clean_stop(code, stderr)
    assert digests(out) == before
    assert leftovers(out) == []


def test_a_stop_inside_a_deferred_step_is_raised_when_the_step_is_done() -> None:
    from exporter.files.signals import Stopped, signals_deferred, stop_signals_raise

    steps: list[str] = []
    with pytest.raises(Stopped) as raised, stop_signals_raise():
        with signals_deferred():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)  # the handler has run by now; the step goes on
            steps.append("renamed")
        steps.append("after the step")  # never reached
    assert steps == ["renamed"]
    assert str(raised.value) == "stopped by SIGTERM"
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL  # the previous handler is back


def test_two_deck_builds_from_the_same_content_are_one_at_a_time(
    start: Callable[..., Build], content: Path, out: Path, tmp_path: Path
) -> None:
    """Both would update content/deck-state.json, even into different output folders."""
    build = start(content, out, "deck,stalling", 1)
    build.wait_until_stalled()
    state = (content / "deck-state.json").read_bytes()
    code, _, stderr = run_build(content, tmp_path / "elsewhere", "deck")
    assert code == 1
    assert stderr.strip() == (
        f"Error: {content}: another exporter build (process {build.process.pid}) is updating the deck state "
        "in this folder; wait for it to finish, then build again"
    )
    assert (content / "deck-state.json").read_bytes() == state
    code, _, stderr = run_build(content, tmp_path / "elsewhere", "titles")  # no deck: no wait
    assert code == 0, stderr


def test_recovery_never_puts_an_older_deck_state_back_over_a_newer_one(
    tmp_path: Path, make_content: Callable[..., Path], start: Callable[..., Build]
) -> None:
    """kill -9 of a build into one folder, a build into another, then a build into the first:
    the deck state the second build committed stays, so trainees never miss a later update."""
    steps = ["Slow the talk down.", "Name what you noticed.", "Ask what it was like."]
    content = make_content(techniques=[technique("alpha", steps=steps)])
    first, second = tmp_path / "first", tmp_path / "second"
    code, _, stderr = start(content, first, "deck", 1).finish()
    assert code == 0, stderr
    make_content(techniques=[technique("alpha", steps=[*steps[:2], "Ask what that was like for you."])])
    killed = start(content, first, "deck,stalling", 1)
    killed.wait_until_stalled()
    killed.kill_all()  # the deck and its state were replaced; the journal in first/ still holds the old ones
    make_content(techniques=[technique("alpha", steps=[*steps[:2], "Ask what that was like for you, now."])])
    code, _, stderr = start(content, second, "deck", 1).finish()
    assert code == 0, stderr
    newest = (content / "deck-state.json").read_bytes()
    code, _, stderr = start(content, first, "deck", 1).finish()
    assert code == 0, stderr
    assert "Put back the previous outputs of a build that was stopped" in stderr
    assert (content / "deck-state.json").read_bytes() == newest
    assert (first / "deck.apkg").read_bytes() == (second / "deck.apkg").read_bytes()
