"""A course of 12 techniques for 30 trainees against the same course without a roster (issue #24).

    .venv/bin/python bench/course_bench.py [--repeat N]

Both courses are built from one synthetic library, each in a fresh process, taking turns round
after round; the fastest round of each counts. Two figures: the courses writer alone (the
library already loaded) and `exporter course ID` as a person runs it. The target: the copies for
30 trainees cost at most as much again as the course itself (ratio <= 2), because the pages are
laid out once and only stamped per trainee.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from run import SEED, Run, best_of, exporter_command, measured

MAX_ROSTER_OVER_NONE = 2.0
LIBRARY_SIZE = 60
TRAINEES = 30


def measure_course(course_id: str, content: Path, out: Path) -> None:
    """Child side: load the library (not timed), time the courses writer for one course, print JSON."""
    from dataclasses import replace

    from exporter.build.pipeline import load_checked, resolve_options
    from exporter.writers import get_writer

    library, _ = load_checked(content, strict=False, pdf=True)
    options = resolve_options(library, content, None, None, None, (0.0, 0.0), False)
    options = replace(options, courses=(course_id,))
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    get_writer("courses")(library, out, options)
    print(json.dumps({"seconds": time.perf_counter() - started}))


def bench_courses(work: Path, repeat: int) -> dict[str, Run | None]:
    from exporter.testing.synthetic import write_synthetic_content, write_synthetic_course

    content = write_synthetic_content(work / "courses", LIBRARY_SIZE, SEED)
    write_synthetic_course(content, "with-roster", 3, 4, TRAINEES)
    write_synthetic_course(content, "without-roster", 3, 4, 0)
    script = str(Path(__file__).resolve())
    commands = {}
    for course_id in ("without-roster", "with-roster"):
        out = work / "courses" / "out" / course_id
        commands[f"writer {course_id}"] = [sys.executable, script, "--measure", course_id, str(content), str(out)]
        commands[f"command {course_id}"] = [
            *exporter_command(), "course", course_id, "--content", str(content), "--out", str(out / "cmd"), "-q",
        ]  # fmt: skip
    runs: dict[str, list[Run | None]] = {name: [] for name in commands}
    for round_number in range(1, repeat + 1):
        print(f"  courses: round {round_number} of {repeat} ...", file=sys.stderr, flush=True)
        for name, argv in commands.items():
            runs[name].append(measured(argv)[0])
    return {name: best_of(found) for name, found in runs.items()}


def course_report(best: dict[str, Run | None]) -> list[str]:
    lines = [
        f"Course of 12 techniques (3 sessions x 4), {TRAINEES} trainees against no roster"
        " (seconds; best of the rounds)",
        f"{'':>10} {'no roster':>10} {f'{TRAINEES} trainees':>12} {'ratio':>7}",
    ]
    ratios = {}
    for kind in ("writer", "command"):
        without, with_ = best[f"{kind} without-roster"], best[f"{kind} with-roster"]
        ratio = with_.seconds / without.seconds if with_ and without else None
        ratios[kind] = ratio
        lines.append(
            f"{kind:>10} {without.seconds if without else float('nan'):>10.2f}"
            f" {with_.seconds if with_ else float('nan'):>12.2f} {f'{ratio:.2f}x' if ratio else 'failed':>7}"
        )
    ratio = ratios["writer"]
    verdict = "----" if ratio is None else ("met " if ratio <= MAX_ROSTER_OVER_NONE else "MISS")
    shown = "failed" if ratio is None else f"{ratio:.2f}x"
    lines.append(f"  [{verdict}] course with {TRAINEES} trainees <= {MAX_ROSTER_OVER_NONE}x without a roster: {shown}")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the fastest counts (default: %(default)s)")
    parser.add_argument("--measure", nargs=3, metavar=("COURSE", "CONTENT", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        course_id, content, out = args.measure
        measure_course(course_id, Path(content), Path(out))
        return
    with tempfile.TemporaryDirectory(prefix="exporter-bench-courses-") as scratch:
        print("\n".join(course_report(bench_courses(Path(scratch), args.repeat))))


if __name__ == "__main__":
    main()
