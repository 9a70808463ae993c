"""`exporter build`: one load, writers in parallel processes, failures and Ctrl-C handled cleanly."""

from __future__ import annotations

import importlib
import os
import pickle
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from build_outputs import outputs
from click.testing import CliRunner
from conftest import TESTS, technique
from fake_writers import DRIVER

from exporter.build.pipeline import load_checked, run_build
from exporter.cli import main
from exporter.errors import ContentError, ExporterError, Problem
from exporter.model import PHRASE_FIELDS
from exporter.testing.synthetic import write_synthetic_content
from exporter.writers import WRITERS

REAL_WRITERS = ("handbook", "cards", "deck", "handouts")


def real_writers_present() -> list[str]:
    present = []
    for name in REAL_WRITERS:
        module_name = WRITERS[name].target.split(":")[0]
        try:
            importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        present.append(name)
    return present


@pytest.fixture(scope="module")
def synthetic_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_synthetic_content(tmp_path_factory.mktemp("synthetic"), 4, seed=7)


@pytest.mark.parametrize("start_method", ["fork", "spawn"])  # spawn: as on Windows and macOS
def test_parallel_and_in_process_builds_write_the_same_bytes(
    synthetic_content: Path, tmp_path: Path, start_method: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EXPORTER_START_METHOD", start_method)
    names = real_writers_present()
    if not names:
        pytest.skip("no writer modules yet")
    run_build(names, synthetic_content, tmp_path / "serial", quiet=True, jobs=1)
    run_build(names, synthetic_content, tmp_path / "parallel", quiet=True, jobs=4)
    serial, parallel = outputs(tmp_path / "serial"), outputs(tmp_path / "parallel")
    assert len(serial) >= len(names)
    assert serial.keys() == parallel.keys()
    differing = [name for name in serial if serial[name] != parallel[name]]
    assert differing == []


def test_handouts_divided_between_workers_come_back_whole_and_in_handbook_order(
    synthetic_content: Path, tmp_path: Path
) -> None:
    from exporter.build.workers import planned_tasks

    tasks = planned_tasks(["deck", "handouts", "handbook", "cards"], 2)
    # The writers that cannot be divided first, longest first; the handouts' shares fill in after.
    assert [t.name for t in tasks[:3]] == ["handbook", "cards", "deck"]
    assert [t.share for t in tasks[3:]] == list(range(8)) and {t.name for t in tasks[3:]} == {"handouts"}
    results = run_build(["handouts"], synthetic_content, tmp_path / "one", quiet=True, jobs=1)
    divided = run_build(["handouts", "deck"], synthetic_content, tmp_path / "two", quiet=True, jobs=2)
    handouts = next(result for result in divided if result.name == "handouts")
    library, _ = load_checked(synthetic_content, strict=False, pdf=True)
    assert [path.stem for path in handouts.paths] == [t.id for t in library.ordered_techniques()]
    assert handouts.summary == results[0].summary
    assert [path.read_bytes() for path in handouts.paths] == [path.read_bytes() for path in results[0].paths]


def test_exporter_handouts_alone_divides_a_large_library_between_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from exporter.build import workers as parallel

    large = write_synthetic_content(tmp_path / "large", parallel.SHARE_FROM_TECHNIQUES, seed=11)
    small = write_synthetic_content(tmp_path / "small", parallel.SHARE_FROM_TECHNIQUES - 1, seed=11)
    library, _ = load_checked(large, strict=False, pdf=True)
    small_library, _ = load_checked(small, strict=False, pdf=True)
    assert parallel.worth_dividing(["handouts"], library)
    assert not parallel.worth_dividing(["handouts"], small_library)
    assert not parallel.worth_dividing(["handbook"], library)
    assert parallel.default_jobs(["handouts"], small_library) == 1
    assert parallel.default_jobs(["handbook"], library) == 1
    assert parallel.default_jobs(["handouts"], library) == parallel.available_cores()

    calls: list[list[str]] = []
    in_processes = parallel._run_in_processes

    def recorded(names: list[str], *rest: Any) -> Any:
        calls.append(names)
        return in_processes(names, *rest)

    monkeypatch.setattr(parallel, "_run_in_processes", recorded)
    one = run_build(["handouts"], large, tmp_path / "one", quiet=True, jobs=1)[0]
    assert calls == []
    divided = run_build(["handouts"], large, tmp_path / "two", quiet=True, jobs=2)[0]
    assert calls == [["handouts"]]
    assert [path.stem for path in divided.paths] == [t.id for t in library.ordered_techniques()]
    assert divided.summary == one.summary
    assert [path.read_bytes() for path in divided.paths] == [path.read_bytes() for path in one.paths]


def test_a_large_librarys_writers_each_run_in_a_worker_of_their_own_with_the_same_bytes(
    synthetic_content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From FRESH_WORKERS_FROM techniques every task gets a new worker (memory does not pile up
    from one writer to the next); the outputs are the same bytes as with workers kept."""
    from exporter.build import workers as parallel

    names = ["handbook", "cards", "deck", "handouts"]
    run_build(names, synthetic_content, tmp_path / "kept", quiet=True, jobs=2)
    started: list[int] = []
    pool = parallel.ProcessPoolExecutor

    def counted(*args: Any, **kwargs: Any) -> Any:
        started.append(kwargs["max_workers"])
        return pool(*args, **kwargs)

    monkeypatch.setattr(parallel, "FRESH_WORKERS_FROM", 1)
    monkeypatch.setattr(parallel, "ProcessPoolExecutor", counted)
    run_build(names, synthetic_content, tmp_path / "fresh", quiet=True, jobs=2)
    assert started == [1] * len(parallel.planned_tasks(names, 2))  # one worker per task
    kept, fresh = outputs(tmp_path / "kept"), outputs(tmp_path / "fresh")
    assert kept.keys() == fresh.keys() and len(kept) > len(names)
    assert [name for name in kept if kept[name] != fresh[name]] == []


@pytest.mark.usefixtures("fakes")
def test_all_writers_get_the_same_validated_library_in_handbook_order(
    make_content: Callable[..., Path], tmp_path: Path
) -> None:
    content = make_content(
        techniques=[
            technique("zeta", title="Zeta", categories=["Interpersonal"]),
            technique("beta", title="Beta", categories=["Problem processing"]),
            technique("alpha", title="Alpha", categories=["Interpersonal"]),
        ]
    )
    results = run_build(["titles", "step-counts"], content, tmp_path / "out", quiet=True, jobs=2)
    assert [r.name for r in results] == ["titles", "step-counts"]
    titles = (tmp_path / "out" / "titles.txt").read_text(encoding="utf-8").splitlines()
    assert [line.split("\t")[0] for line in titles[1:]] == ["beta", "alpha", "zeta"]
    counts = (tmp_path / "out" / "step-counts.txt").read_text(encoding="utf-8")
    assert counts == "beta 3\nalpha 3\nzeta 3\n"


@pytest.mark.usefixtures("fakes")
@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failing_writer_leaves_every_output_as_it_was(
    make_content: Callable[..., Path], tmp_path: Path, jobs: int
) -> None:
    content = make_content(techniques=[technique("alpha")])
    out = tmp_path / "output"
    out.mkdir()
    before = {"failing.txt": b"last good build", "titles.txt": b"last good titles"}
    for name, data in before.items():
        (out / name).write_bytes(data)
    result = CliRunner().invoke(
        main, ["build", "--content", str(content), "--out", str(out), "--only", "titles,failing", "--jobs", str(jobs)]
    )
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # a handled error, not a crash
    assert result.output.strip().splitlines()[-1] == "Error: the failing writer gave up halfway"
    assert "Traceback" not in result.output and "Built" not in result.output
    assert outputs(out) == before


@pytest.mark.usefixtures("fakes")
def test_a_content_error_raised_in_a_worker_lists_its_problem(
    make_content: Callable[..., Path], tmp_path: Path
) -> None:
    content = make_content(techniques=[technique("alpha")])
    result = CliRunner().invoke(
        main,
        ["build", "--content", str(content), "--out", str(tmp_path / "out"), "--only", "titles,rejecting", "-j", "2"],
    )
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "alpha.yaml:" in result.output and ": steps[0]: too long for a card" in result.output
    assert "Error: 1 problem in the content" in result.output
    assert outputs(tmp_path / "out") == {}


def test_a_writer_error_from_a_worker_process_is_a_clean_message_in_a_real_run(
    make_content: Callable[..., Path], tmp_path: Path
) -> None:
    content = make_content(techniques=[technique("alpha")])
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            DRIVER,
            "build",
            "--content",
            str(content),
            "--out",
            str(tmp_path / "out"),
            "--only",
            "failing,titles",
            "--jobs",
            "2",
        ],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert completed.returncode == 1
    assert completed.stderr.strip().splitlines()[-1] == "Error: the failing writer gave up halfway"
    assert "Traceback" not in completed.stderr


@pytest.mark.usefixtures("fakes")
def test_a_glyph_problem_stops_the_build_before_anything_is_written(
    make_content: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(WRITERS, "handbook", replace(WRITERS["titles"], draws_text=True))  # so glyphs are checked
    content = make_content(techniques=[technique("alpha", steps=["Write 漢 here"])])
    out = tmp_path / "output"
    out.mkdir()
    (out / "titles.txt").write_bytes(b"previous")
    with pytest.raises(ContentError) as raised:
        run_build(["handbook"], content, out, quiet=True)
    assert any("U+6F22" in problem.message and problem.field == "steps[0]" for problem in raised.value.problems)
    assert outputs(out) == {"titles.txt": b"previous"}


@pytest.mark.parametrize(
    "jobs, whole_group",
    [(2, True), (2, False), (1, True)],
    ids=["parallel-ctrl-c", "parallel-sigint-to-command-only", "in-process-ctrl-c"],
)
def test_ctrl_c_stops_the_writers_and_leaves_no_temporary_files(
    make_content: Callable[..., Path], tmp_path: Path, jobs: int, whole_group: bool
) -> None:
    content = make_content(techniques=[technique("alpha")])
    out = tmp_path / "output"
    only = "stalling,stalling-too" if jobs > 1 else "stalling"
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            DRIVER,
            "build",
            "--content",
            str(content),
            "--out",
            str(out),
            "--only",
            only,
            "--jobs",
            str(jobs),
        ],
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        markers = _wait_for_markers(tmp_path / "markers", count=len(only.split(",")))
        assert sorted(p.name for p in out.iterdir() if p.name.endswith(".tmp")), "the writers are mid-write"
        if whole_group:
            os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        else:
            process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 1
    assert "Aborted!" in stderr and "Traceback" not in stderr
    for marker in markers:
        assert _gone(int(marker.read_text())), f"worker {marker.name} still running"
    assert outputs(out) == {}


def _env(tmp_path: Path) -> dict[str, Any]:
    (tmp_path / "markers").mkdir(exist_ok=True)
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]),
        "EXPORTER_TEST_STALL_DIR": str(tmp_path / "markers"),
    }


def _wait_for_markers(folder: Path, count: int) -> list[Path]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        markers = sorted(p for p in folder.iterdir() if p.suffix != ".part")
        if len(markers) >= count:
            return markers
        time.sleep(0.05)
    raise AssertionError(f"the stalling writers did not start: {sorted(folder.iterdir())}")


def _gone(pid: int) -> bool:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


# ---------------------------------------------------------------- the synthetic library and the benchmark


def test_the_synthetic_library_is_deterministic_valid_and_realistic(tmp_path: Path) -> None:
    first = write_synthetic_content(tmp_path / "first", 30, seed=11)
    again = write_synthetic_content(tmp_path / "again", 30, seed=11)
    other = write_synthetic_content(tmp_path / "other", 30, seed=12)
    assert outputs(first) == outputs(again)
    assert outputs(first) != outputs(other)
    library, warnings = load_checked(first, strict=True, pdf=True)
    assert warnings == [] and len(library.techniques) == 30
    for each in library.techniques:
        assert 5 <= len(each.steps) <= 9 and len(each.warnings) == 3
        assert all(2 <= len(each.items(name)) <= 3 for name in PHRASE_FIELDS)
    text = " ".join(text for each in library.techniques for _, text in each.texts())
    for wanted in ("&", "<", "доверие", "ψυχή", "—"):
        assert wanted in text
    assert {c.icon for c in library.categories} == {"🔧", "👥"}


def test_errors_cross_the_process_boundary_intact() -> None:
    problem = Problem("content/techniques/a.yaml", 4, "steps[1]", "too long")
    content_error = pickle.loads(pickle.dumps(ContentError([problem])))
    assert content_error.problems == [problem] and content_error.message == ContentError([problem]).message
    plain = pickle.loads(pickle.dumps(ExporterError("output/x.pdf: cannot write: the disk is full")))
    assert (type(plain), plain.message, plain.exit_code) == (
        ExporterError,
        "output/x.pdf: cannot write: the disk is full",
        1,
    )


def test_the_benchmark_runs_and_reports_ratios(tmp_path: Path) -> None:
    if "handbook" not in real_writers_present():
        pytest.skip("no handbook writer yet")
    bench = [str(TESTS.parent / "bench" / "run.py"), "--sizes", "3", "--repeat", "1", "--startup-rounds", "1"]
    bench += ["--deck-size", "3"]  # the deck benchmark builds 5,000 techniques by default: minutes on a busy machine
    completed = subprocess.run([sys.executable, *bench, "--no-typst"], capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr
    report = completed.stdout
    assert "hb/floor" in report and "build/hb" in report and "exporter --help" in report
    row = next(line.split() for line in report.splitlines() if line.split()[:1] == ["3"])
    assert row[3].endswith("x")  # handbook / floor, as a ratio


# ---------------------------------------------------------------- outputs an earlier build wrote


@pytest.mark.usefixtures("fakes")
def test_the_handout_of_a_removed_technique_is_removed_and_comes_back_on_rollback(
    make_content: Callable[..., Path], tmp_path: Path
) -> None:
    content = make_content(techniques=[technique("alpha"), technique("beta")])
    out = tmp_path / "output"
    (out / "handouts").mkdir(parents=True)
    (out / "handouts" / "notes.txt").write_bytes(b"the trainer's own notes")
    first = CliRunner().invoke(main, ["build", "--content", str(content), "--out", str(out), "--only", "handouts"])
    assert first.exit_code == 0, first.output
    before = outputs(out)
    assert {"handouts/alpha.pdf", "handouts/beta.pdf"} <= before.keys()
    (content / "techniques" / "beta.yaml").unlink()

    failed = CliRunner().invoke(
        main, ["build", "--content", str(content), "--out", str(out), "--only", "handouts,failing", "-j", "1"]
    )
    assert failed.exit_code == 1
    assert outputs(out) == before  # beta's handout is back, with its bytes

    partial = CliRunner().invoke(
        main, ["build", "--content", str(content), "--out", str(out), "--only", "handouts", "--technique", "alpha"]
    )
    assert partial.exit_code == 0, partial.output
    assert (out / "handouts" / "beta.pdf").is_file()  # a partial build removes nothing

    full = CliRunner().invoke(main, ["build", "--content", str(content), "--out", str(out), "--only", "handouts"])
    assert full.exit_code == 0, full.output
    assert sorted(p.name for p in (out / "handouts").iterdir()) == ["alpha.pdf", "notes.txt"]
    line = next(line for line in full.stdout.splitlines() if line.split()[0] == "handouts")
    assert str(out / "handouts" / "alpha.pdf") in line and "1 handout," in line  # what is there now
