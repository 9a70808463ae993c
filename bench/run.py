"""How fast is exporter? One run, side by side, as ratios against fixed references.

    .venv/bin/python bench/run.py [--sizes 100,500,2000] [--quick] [--repeat N] [--keep DIR]

For each size N it writes a seeded synthetic library (exporter.testing.synthetic) and measures, each
in a fresh process, one after another:
- the handbook writer against the floor (bench/floor.py: plain ReportLab, one pass, no contents)
  and against Typst compiling the same text with a contents page (when `typst` is installed),
  all three from the already loaded library;
- the pocket-card writer from the same loaded library, against the handbook;
- the commands as a person runs them: `exporter handbook` and `exporter build` (all outputs);
- time per technique (is it linear?) and the peak memory of the largest process;
and once: `exporter --help` against bare `python -c pass`, the glyph check against the
check before emoji sequences and right-to-left scripts (bench/glyph_check.py), and a course of
12 techniques for 30 trainees against the same course without a roster (bench/course_bench.py).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
SEED = 2026
#: Sizes above this are measured once: one round takes minutes.
REPEAT_UP_TO = 500

#: Targets from the issue (2-core machine).
MAX_HANDBOOK_OVER_FLOOR = 1.1
MAX_HANDOUTS_OVER_HANDBOOK = 0.8
MAX_BUILD_OVER_HANDBOOK = 1.5
MAX_CARDS_OVER_HANDBOOK = 0.5
MAX_SCALING_DRIFT = 0.10
MAX_PEAK_MB = 300
MAX_HELP_OVERHEAD_MS = 150
#: The deck writer (issue #15): peak memory at DECK_SIZE techniques, state file size per technique.
DECK_SIZE = 5000
MAX_DECK_PEAK_MB = 400
MAX_STATE_KB_PER_TECHNIQUE = 3.0
#: The deck writer against an earlier checkout (issue #21: new card kinds within 1.2x of before).
MAX_DECK_OVER_REFERENCE = 1.2


@dataclass
class Run:
    """One measurement: seconds (best of the repeats), peak resident memory, pages written."""

    seconds: float
    peak_mb: float
    pages: int = 0
    #: Processor seconds of the timed part, every thread of the process (Typst's included).
    cpu: float = 0.0


# ---------------------------------------------------------------- measuring in a fresh process


class MeasurementFailed(Exception):
    """A measured command exited with an error; the report shows it as failed and goes on."""


def measured(argv: list[str], env: dict[str, str] | None = None) -> tuple[Run | None, str]:
    """Run argv once: its time (its own JSON report, else wall clock), peak memory and stdout;
    None when it failed (the error goes to stderr)."""
    try:
        seconds, peak_mb, stdout = _run_once(argv, env)
    except MeasurementFailed as failure:
        print(f"  FAILED: {failure}", file=sys.stderr, flush=True)
        return None, ""
    report = json.loads(stdout) if stdout.strip().startswith("{") else {}
    timed = float(report.get("seconds", seconds))
    return Run(timed, peak_mb, int(report.get("pages", 0)), float(report.get("cpu", 0.0))), stdout


def best_of(runs: list[Run | None]) -> Run | None:
    """The fastest run and the highest peak memory; None if any run failed."""
    if not runs or any(run is None for run in runs):
        return None
    done = [run for run in runs if run is not None]
    fastest = min(done, key=lambda run: run.seconds)
    return Run(fastest.seconds, max(run.peak_mb for run in done), fastest.pages, min(run.cpu for run in done))


def _run_once(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB of the largest process in its tree, and stdout."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=errors, cwd=REPO, env=env)
        assert process.stdout is not None
        stdout = process.stdout.read().decode()
        # wait4 gives this child's own rusage, including the workers it waited for.
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            tail = errors.read().decode().strip().splitlines()[-3:]
            raise MeasurementFailed(f"{' '.join(argv[:3])} ... exit {process.returncode}: {' / '.join(tail)}")
    return seconds, usage.ru_maxrss / 1024, stdout


def in_child(kind: str, content: Path, out: Path) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--measure", kind, str(content), str(out)]


def exporter_command() -> list[str]:
    script = Path(sys.executable).with_name("exporter")
    return [str(script)] if script.exists() else [sys.executable, "-m", "exporter"]


# ---------------------------------------------------------------- what a child process measures


def measure(kind: str, content: Path, out: Path) -> None:
    """Child side: load the library (not timed), time one layout, print JSON."""
    from exporter.build.pipeline import load_checked, resolve_options

    if kind == "deck":
        measure_deck(content, out)
        return
    if kind == "load":
        started = time.perf_counter()
        load_checked(content, strict=False, pdf=True)
        print(json.dumps({"seconds": time.perf_counter() - started}))
        return
    library, _ = load_checked(content, strict=False, pdf=True)
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{kind}.pdf"
    started, cpu_started = time.perf_counter(), time.process_time()
    if kind == "floor":
        from floor import build_floor

        build_floor(library, target)
    elif kind == "handbook":
        from exporter.writers import get_writer

        options = resolve_options(library, content, None, None, None, (0.0, 0.0), False)
        target = get_writer("handbook")(library, out, options).paths[0]
    elif kind == "cards":
        from exporter.writers import get_writer

        options = resolve_options(library, content, None, None, None, (0.0, 0.0), False)
        target = get_writer("cards")(library, out, options).paths[0]
    elif kind == "handouts":
        from exporter.writers import get_writer

        options = resolve_options(library, content, None, None, None, (0.0, 0.0), False)
        result = get_writer("handouts")(library, out, options)
        seconds = time.perf_counter() - started
        print(json.dumps({"seconds": seconds, "pages": sum(_page_count(path) for path in result.paths)}))
        return
    elif kind == "typst":
        import typst
        from typst_source import TYPST_FONT_DIR, handbook_source

        source = out / "handbook.typ"
        source.write_text(handbook_source(library), encoding="utf-8")
        typst.compile(str(source), output=str(target), font_paths=[str(TYPST_FONT_DIR)], ignore_system_fonts=True)
    else:
        raise SystemExit(f"unknown measurement {kind}")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(json.dumps({"seconds": seconds, "pages": _page_count(target), "cpu": cpu}))


def measure_deck(content: Path, out: Path) -> None:
    """Child side of bench_deck: the deck writer twice (a first build, then a rebuild with the state)."""
    from exporter.build.pipeline import load_checked
    from exporter.options import BuildOptions
    from exporter.writers import get_writer

    library, _ = load_checked(content, strict=False, pdf=False)
    state = out / "deck-state.json"
    state.unlink(missing_ok=True)
    write = get_writer("deck")
    started, cpu = time.perf_counter(), time.process_time()
    write(library, out, BuildOptions(state_dir=out))
    first, cpu_first = time.perf_counter() - started, time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    write(library, out, BuildOptions(state_dir=out))
    again, cpu_again = time.perf_counter() - started, time.process_time() - cpu
    kb = state.stat().st_size / 1024 / len(library.techniques)
    import exporter

    report = {"seconds": again, "first": first, "cpu_first": cpu_first, "cpu_again": cpu_again}
    print(json.dumps({**report, "state_kb": kb, "exporter": exporter.__file__}))


@dataclass
class DeckResult:
    size: int
    run: Run | None
    first_seconds: float
    state_kb: float
    #: Processor seconds of the first build and the rebuild (the machine's other load aside).
    cpu: tuple[float, float] = (0.0, 0.0)
    #: The same measurement of another checkout's exporter (--deck-against), on the same library.
    reference: Run | None = None
    reference_first: float = 0.0
    reference_cpu: tuple[float, float] = (0.0, 0.0)


def bench_deck(size: int, work: Path, against: Path | None = None, rounds: int = 2) -> DeckResult:
    """The deck writer alone at one size, in a fresh process (peak memory includes loading);
    with `against` (another checkout), that checkout's deck writer too, taking turns, best of rounds."""
    from exporter.testing.synthetic import write_synthetic_content

    root = work / f"deck-n{size}"
    content = write_synthetic_content(root, size, SEED)
    sides: dict[str, list[tuple[Run | None, dict[str, object]]]] = {"ours": [], "theirs": []}
    env = {**os.environ, "PYTHONPATH": str(against)} if against else None
    for round_number in range(rounds if against else 1):
        for side in ("ours", "theirs") if against else ("ours",):
            out = root / f"output-{side}"
            out.mkdir(parents=True, exist_ok=True)
            print(f"  deck writer at N={size} ({side}, round {round_number + 1}) ...", file=sys.stderr, flush=True)
            run, stdout = measured(in_child("deck", content, out), env if side == "theirs" else None)
            report = json.loads(stdout) if stdout.strip().startswith("{") else {}
            if side == "theirs" and against and not str(report.get("exporter", "")).startswith(str(against)):
                raise SystemExit(f"--deck-against {against}: the child imported {report.get('exporter')}")
            sides[side].append((run, report))
    ours = best_of([run for run, _ in sides["ours"]])
    first = min(float(str(report.get("first", 0.0))) for _, report in sides["ours"])
    state_kb = float(str(sides["ours"][0][1].get("state_kb", 0.0)))
    result = DeckResult(size, ours, first, state_kb, _cpu(sides["ours"]))
    if against:
        result.reference = best_of([run for run, _ in sides["theirs"]])
        result.reference_first = min(float(str(report.get("first", 0.0))) for _, report in sides["theirs"])
        result.reference_cpu = _cpu(sides["theirs"])
    return result


def _cpu(runs: list[tuple[Run | None, dict[str, object]]]) -> tuple[float, float]:
    """The least processor time of the first builds and of the rebuilds among the rounds."""
    first = min(float(str(report.get("cpu_first", 0.0))) for _, report in runs)
    return first, min(float(str(report.get("cpu_again", 0.0))) for _, report in runs)


def deck_report(result: DeckResult) -> list[str]:
    """The deck table row and its two targets."""
    run = result.run
    peak = run.peak_mb if run else None
    lines = ["Deck writer, from the loaded library (seconds; peak MB of the process, loading included)"]
    lines.append(f"{'N':>6} {'first build':>12} {'rebuild':>8} {'peak MB':>8} {'state KB/technique':>19}")
    lines.append(
        f"{result.size:>6} {result.first_seconds:>12.2f} {number(seconds(run)):>8} {number(peak, 0):>8}"
        f" {result.state_kb:>19.2f}"
    )
    checks: list[tuple[str, float | None, float, str]] = [
        (f"deck writer peak < {MAX_DECK_PEAK_MB} MB at N={result.size}", peak, MAX_DECK_PEAK_MB, " MB"),
        (f"deck-state.json <= {MAX_STATE_KB_PER_TECHNIQUE} KB per technique", result.state_kb,
         MAX_STATE_KB_PER_TECHNIQUE, " KB"),
    ]  # fmt: skip
    reference = result.reference
    if reference is not None and run is not None:
        lines.append(
            f"{'against':>6} {result.reference_first:>12.2f} {number(seconds(reference)):>8}"
            f" {number(reference.peak_mb, 0):>8}   (--deck-against: the other checkout)"
        )
        lines.append(
            f"{'cpu s':>6} {result.cpu[0]:>12.2f} {result.cpu[1]:>8.2f}   against {result.reference_cpu[0]:.2f} and"
            f" {result.reference_cpu[1]:.2f} (processor time: the machine's other load aside)"
        )
        checks += [
            (f"deck first build within {MAX_DECK_OVER_REFERENCE}x of the other checkout (wall)",
             _divide(result.first_seconds, result.reference_first), MAX_DECK_OVER_REFERENCE, "x"),
            (f"deck rebuild within {MAX_DECK_OVER_REFERENCE}x of the other checkout (wall)",
             _divide(run.seconds, reference.seconds), MAX_DECK_OVER_REFERENCE, "x"),
            (f"deck first build within {MAX_DECK_OVER_REFERENCE}x of the other checkout (processor)",
             _divide(result.cpu[0], result.reference_cpu[0]), MAX_DECK_OVER_REFERENCE, "x"),
            (f"deck rebuild within {MAX_DECK_OVER_REFERENCE}x of the other checkout (processor)",
             _divide(result.cpu[1], result.reference_cpu[1]), MAX_DECK_OVER_REFERENCE, "x"),
            (f"deck peak memory within {MAX_DECK_OVER_REFERENCE}x of the other checkout",
             _divide(run.peak_mb, reference.peak_mb), MAX_DECK_OVER_REFERENCE, "x"),
        ]  # fmt: skip
    for target, value, limit, unit in checks:
        verdict = "----" if value is None else ("met " if value <= limit else "MISS")
        lines.append(f"  [{verdict}] {target}: {'failed' if value is None else f'{value:.1f}{unit}'}")
    return lines


def _page_count(pdf: Path) -> int:
    try:
        from pypdf import PdfReader
    except ImportError:
        return 0
    return len(PdfReader(pdf).pages)


# ---------------------------------------------------------------- the benchmark


@dataclass
class SizeResult:
    size: int
    load: Run | None
    floor: Run | None
    handbook: Run | None
    typst: Run | None
    handouts: Run | None
    handbook_command: Run | None
    build_command: Run | None
    build_summary: str
    cards: Run | None = None
    handouts_command: Run | None = None


def typst_available() -> bool:
    try:
        import typst  # noqa: F401
    except ImportError:
        return False
    return True


def bench_size(size: int, work: Path, repeat: int, with_typst: bool) -> SizeResult:
    """Every measurement at one size; with repeat > 1 they take turns, round after round, so a
    burst of other work on the machine slows one round of all of them, not one of them."""
    from exporter.testing.synthetic import write_synthetic_content

    root = work / f"n{size}"
    content = write_synthetic_content(root, size, SEED)
    out = root / "output"

    # Each command in its own folder, and cold: the build record (exporter.build.record) would let a
    # command skip what an earlier one, or an earlier round, already made.
    def common(name: str) -> list[str]:
        return ["--content", str(content), "--out", str(out / "commands" / name)]

    commands = {
        "load": in_child("load", content, out / "load"),
        "floor": in_child("floor", content, out / "floor"),
        "handbook": in_child("handbook", content, out / "handbook"),
        "cards": in_child("cards", content, out / "cards"),
        "typst": in_child("typst", content, out / "typst"),
        "handouts": in_child("handouts", content, out / "handouts"),
        "handbook_command": [*exporter_command(), "handbook", *common("handbook"), "--quiet"],
        "handouts_command": [*exporter_command(), "handouts", *common("handouts"), "--quiet"],
        "build_command": [*exporter_command(), "build", *common("build")],
    }
    if not with_typst:
        del commands["typst"]
    runs: dict[str, list[Run | None]] = {name: [] for name in commands}
    summary = ""
    for round_number in range(1, repeat + 1):
        print(f"  N={size}: round {round_number} of {repeat} ...", file=sys.stderr, flush=True)
        for name, argv in commands.items():
            # Imported here: a --deck-against child runs this file with an older exporter.
            from exporter.build.record import RECORD_FILE

            for record in (out / "commands").glob(f"*/{RECORD_FILE}"):
                record.unlink()
            run, stdout = measured(argv)
            runs[name].append(run)
            if name == "build_command" and run is not None:
                summary = stdout
    best = {name: best_of(found) for name, found in runs.items()}
    return SizeResult(
        size, best["load"], best["floor"], best["handbook"], best.get("typst"), best["handouts"],
        best["handbook_command"], best["build_command"], summary, best["cards"], best["handouts_command"],
    )  # fmt: skip


def startup_times(rounds: int = 15) -> tuple[float, float]:
    """Median wall seconds of `python -c pass` and of `exporter --help`."""
    bare = [_run_once([sys.executable, "-c", "pass"])[0] for _ in range(rounds)]
    help_ = [_run_once([*exporter_command(), "--help"])[0] for _ in range(rounds)]
    return statistics.median(bare), statistics.median(help_)


# ---------------------------------------------------------------- the report


def seconds(run: Run | None) -> float | None:
    return run.seconds if run else None


def ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}x" if a is not None and b else "failed"


def number(value: float | None, digits: int = 2) -> str:
    return f"{value:.{digits}f}" if value is not None else "failed"


def per_technique_ms(run: Run | None, size: int) -> float | None:
    return run.seconds / size * 1000 if run else None


def report(results: list[SizeResult], startup: tuple[float, float], with_typst: bool) -> list[str]:
    lines = ["Handbook layout, from the loaded library (seconds; best of the repeats)"]
    header = f"{'N':>6} {'floor':>8} {'handbook':>9} {'hb/floor':>9}"
    if with_typst:
        header += f" {'typst':>8} {'hb/typst':>9}"
    header += f" {'peak MB floor/hb' + ('/typst' if with_typst else ''):>23}"
    lines.append(header + f" {'pages floor/hb' + ('/typst' if with_typst else ''):>22}")
    for r in results:
        hb = seconds(r.handbook)
        row = f"{r.size:>6} {number(seconds(r.floor)):>8} {number(hb):>9} {ratio(hb, seconds(r.floor)):>9}"
        runs = (r.floor, r.handbook, r.typst) if with_typst else (r.floor, r.handbook)
        pages = "/".join(str(run.pages if run else "-") for run in runs)
        peaks = "/".join(f"{run.peak_mb:.0f}" if run else "-" for run in runs)
        if with_typst:
            row += f" {number(seconds(r.typst)):>8} {ratio(hb, seconds(r.typst)):>9}"
        lines.append(row + f" {peaks:>23} {pages:>22}")
    if with_typst:
        lines += ["", "The same, in processor seconds (every thread: Typst's use both cores)"]
        lines.append(f"{'N':>6} {'floor':>8} {'handbook':>9} {'typst':>8} {'floor/typst':>12} {'hb/typst':>9}")
        for r in results:
            cpu = [run.cpu if run else None for run in (r.floor, r.handbook, r.typst)]
            lines.append(
                f"{r.size:>6} {number(cpu[0]):>8} {number(cpu[1]):>9} {number(cpu[2]):>8}"
                f" {ratio(cpu[0], cpu[2]):>12} {ratio(cpu[1], cpu[2]):>9}"
            )
    lines += [
        "",
        "Handouts (one PDF per technique) against the handbook: the writers in one process, from the",
        "loaded library, and the commands as a person runs them (exporter handouts divides the handouts",
        "between the cores)",
    ]
    lines.append(
        f"{'N':>6} {'handbook':>9} {'handouts':>9} {'ho/hb':>7} {'pages':>7}"
        f" {'exporter handbook':>18} {'exporter handouts':>18} {'ho/hb':>7}"
    )
    for r in results:
        hb, ho = seconds(r.handbook), seconds(r.handouts)
        hb_command, ho_command = seconds(r.handbook_command), seconds(r.handouts_command)
        pages = str(r.handouts.pages) if r.handouts else "-"
        lines.append(
            f"{r.size:>6} {number(hb):>9} {number(ho):>9} {ratio(ho, hb):>7} {pages:>7}"
            f" {number(hb_command):>18} {number(ho_command):>18} {ratio(ho_command, hb_command):>7}"
        )
    lines += ["", "Pocket cards against the handbook, from the loaded library (seconds; same rounds)"]
    lines.append(f"{'N':>6} {'handbook':>9} {'cards':>8} {'cards/hb':>9} {'pages':>6} {'peak MB':>8}")
    for r in results:
        hb, cards = seconds(r.handbook), seconds(r.cards)
        pages = str(r.cards.pages) if r.cards else "-"
        peak = f"{r.cards.peak_mb:.0f}" if r.cards else "-"
        lines.append(f"{r.size:>6} {number(hb):>9} {number(cards):>8} {ratio(cards, hb):>9} {pages:>6} {peak:>8}")
    lines += ["", "Commands as a person runs them (wall seconds, start-up and loading included)"]
    lines.append(
        f"{'N':>6} {'load+check':>10} {'exporter handbook':>18} {'exporter build':>15} {'build/hb':>9}"
        f" {'peak MB hb':>11} {'peak MB build':>14}"
    )
    for r in results:
        hb, build = seconds(r.handbook_command), seconds(r.build_command)
        lines.append(
            f"{r.size:>6} {number(seconds(r.load)):>10} {number(hb):>18} {number(build):>15} {ratio(build, hb):>9}"
            f" {number(r.handbook_command.peak_mb if r.handbook_command else None, 0):>11}"
            f" {number(r.build_command.peak_mb if r.build_command else None, 0):>14}"
        )
    reference = next((r for r in results if r.size == 500), results[0])
    lines += ["", f"Time per technique (ms), and against N={reference.size}"]
    lines.append(
        f"{'N':>6} {'floor':>8} {'vs ref':>7} {'handbook':>9} {'vs ref':>7} {'exporter build':>15} {'vs ref':>7}"
    )
    floor_ref = per_technique_ms(reference.floor, reference.size)
    hb_ref = per_technique_ms(reference.handbook, reference.size)
    build_ref = per_technique_ms(reference.build_command, reference.size)
    for r in results:
        floor = per_technique_ms(r.floor, r.size)
        hb, build = per_technique_ms(r.handbook, r.size), per_technique_ms(r.build_command, r.size)
        lines.append(
            f"{r.size:>6} {number(floor):>8} {ratio(floor, floor_ref):>7} {number(hb):>9} {ratio(hb, hb_ref):>7}"
            f" {number(build):>15} {ratio(build, build_ref):>7}"
        )
    bare, help_ = startup
    lines += [
        "",
        f"Start-up: python -c pass {bare * 1000:.0f} ms, exporter --help {help_ * 1000:.0f} ms"
        f" ({(help_ - bare) * 1000:+.0f} ms, {ratio(help_, bare)})",
        "",
    ]
    return lines + targets(results, startup, with_typst)


def targets(results: list[SizeResult], startup: tuple[float, float], with_typst: bool) -> list[str]:
    by_size = {r.size: r for r in results}
    checks: list[tuple[str, float | None, float, str]] = []  # (target, measured, limit, unit)
    if 500 in by_size:
        r = by_size[500]
        checks.append(
            (
                f"handbook <= {MAX_HANDBOOK_OVER_FLOOR}x the floor at N=500",
                _divide(seconds(r.handbook), seconds(r.floor)),
                MAX_HANDBOOK_OVER_FLOOR,
                "x",
            )
        )
        checks.append(
            (
                f"all handouts <= {MAX_HANDOUTS_OVER_HANDBOOK}x the handbook at N=500, writers in one process",
                _divide(seconds(r.handouts), seconds(r.handbook)),
                MAX_HANDOUTS_OVER_HANDBOOK,
                "x",
            )
        )
        checks.append(
            (
                f"exporter handouts <= {MAX_HANDOUTS_OVER_HANDBOOK}x exporter handbook at N=500, as run",
                _divide(seconds(r.handouts_command), seconds(r.handbook_command)),
                MAX_HANDOUTS_OVER_HANDBOOK,
                "x",
            )
        )
        checks.append(
            (
                f"pocket cards <= {MAX_CARDS_OVER_HANDBOOK}x the handbook at N=500",
                _divide(seconds(r.cards), seconds(r.handbook)),
                MAX_CARDS_OVER_HANDBOOK,
                "x",
            )
        )
        checks.append(
            (
                f"exporter build <= {MAX_BUILD_OVER_HANDBOOK}x exporter handbook at N=500",
                _divide(seconds(r.build_command), seconds(r.handbook_command)),
                MAX_BUILD_OVER_HANDBOOK,
                "x",
            )
        )
        if with_typst:
            checks.append(
                (
                    "stretch: handbook faster than Typst at N=500 (ratio below 1)",
                    _divide(seconds(r.handbook), seconds(r.typst)),
                    0.999,
                    "x",
                )
            )
    if 500 in by_size and 2000 in by_size:
        small, large = by_size[500], by_size[2000]
        growth = _divide(per_technique_ms(large.handbook, 2000), per_technique_ms(small.handbook, 500))
        checks.append(
            (
                f"handbook time per technique at N=2000 <= {1 + MAX_SCALING_DRIFT:.2f}x N=500",
                growth,
                1 + MAX_SCALING_DRIFT,
                "x",
            )
        )
    largest = max(results, key=lambda r: r.size)
    peaks = [run.peak_mb for run in (largest.build_command, largest.handbook_command) if run]
    checks.append(
        (
            f"peak memory of any process < {MAX_PEAK_MB} MB at N={largest.size}",
            max(peaks) if peaks else None,
            MAX_PEAK_MB,
            " MB",
        )
    )
    checks.append(
        (
            f"exporter --help <= {MAX_HELP_OVERHEAD_MS} ms more than python -c pass",
            (startup[1] - startup[0]) * 1000,
            MAX_HELP_OVERHEAD_MS,
            " ms",
        )
    )
    lines = ["Targets"]
    for target, value, limit, unit in checks:
        verdict = "----" if value is None else ("met " if value <= limit else "MISS")
        shown = "failed" if value is None else f"{value:.2f}{unit}" if unit == "x" else f"{value:.0f}{unit}"
        lines.append(f"  [{verdict}] {target}: {shown}")
    return lines


def _divide(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def describe_machine() -> str:
    import reportlab

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{cores} cores, {platform.python_implementation()} {platform.python_version()}, "
        f"ReportLab {reportlab.Version}, load average {load}"
    )


#: The glyph check may cost no more than the check before emoji sequences and RTL scripts (issue #10).
MAX_GLYPH_CHECK_OVER_BEFORE = 1.0


def glyph_check_rows(size: int, work: Path) -> list[str]:
    """The glyph check against the previous one, in this process (bench/glyph_check.py)."""
    from glyph_check import glyph_check_seconds

    now, before = glyph_check_seconds(size, work)
    verdict = "ok" if now <= before * MAX_GLYPH_CHECK_OVER_BEFORE else "OVER"
    return [
        "Glyph check, from the loaded library (ms, best of 7, in process)",
        f"{'N':>6} {'before':>8} {'now':>8} {'now/before':>11} {'target':>8}",
        f"{size:>6} {before * 1000:>8.1f} {now * 1000:>8.1f} {now / before:>10.2f}x"
        f" {f'<= {MAX_GLYPH_CHECK_OVER_BEFORE:.2f}x':>8} {verdict}",
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="100,500,2000", help="library sizes, comma-separated (default: %(default)s)")
    parser.add_argument("--quick", action="store_true", help="small sizes (50,200) for a fast look")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help=f"rounds of measurements for sizes up to {REPEAT_UP_TO}; the fastest counts (default: %(default)s)",
    )
    parser.add_argument("--no-typst", action="store_true", help="skip Typst even when it is installed")
    parser.add_argument("--deck-size", type=int, default=DECK_SIZE, help="deck writer size (default: %(default)s)")
    parser.add_argument("--deck-only", action="store_true", help="measure only the deck writer")
    parser.add_argument("--course-only", action="store_true", help="measure only the course with and without a roster")
    parser.add_argument(
        "--deck-against",
        type=Path,
        help="another checkout (its folder holding exporter/): measure its deck writer too, taking turns",
    )
    parser.add_argument("--keep", type=Path, help="write the libraries and outputs here and keep them")
    parser.add_argument("--startup-rounds", type=int, default=15, help=argparse.SUPPRESS)
    parser.add_argument("--measure", nargs=3, metavar=("KIND", "CONTENT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        kind, content, out = args.measure
        measure(kind, Path(content), Path(out))
        return
    sizes = [50, 200] if args.quick else [int(s) for s in args.sizes.split(",") if s.strip()]
    with_typst = typst_available() and not args.no_typst
    started = time.perf_counter()
    print(f"exporter benchmark: {describe_machine()}", flush=True)
    print(
        f"synthetic library, seed {SEED}, sizes {', '.join(map(str, sizes))}"
        + ("" if with_typst else "; Typst not installed (pip install typst)"),
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="exporter-bench-") as scratch:
        work = args.keep or Path(scratch)
        from course_bench import bench_courses, course_report

        courses = course_report(bench_courses(work, args.repeat))
        if args.course_only:
            print("\n".join(courses))
            return
        deck = bench_deck(args.deck_size, work, args.deck_against.resolve() if args.deck_against else None)
        if args.deck_only:
            print("\n".join(deck_report(deck)))
            return
        results = [bench_size(size, work, args.repeat if size <= REPEAT_UP_TO else 1, with_typst) for size in sizes]
        startup = startup_times(args.startup_rounds)
        glyph_rows = glyph_check_rows(500 if 500 in sizes else sizes[0], work)
    print()
    print("\n".join(report(results, startup, with_typst)))
    print()
    print("\n".join(deck_report(deck)))
    print("\n".join(["", *glyph_rows]))
    print("\n".join(["", *courses]))
    for result in results:
        print(f"\n`exporter build` at N={result.size} (each writer's own time, in parallel):")
        print(result.build_summary.rstrip() or "  failed")
    print(f"\nbenchmark took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
