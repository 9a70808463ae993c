"""Peak memory of exporter's commands on large libraries (issues #25 and #26).

    .venv/bin/python bench/memory.py [--sizes 5000,10000] [--commands handbook,cards,build] [--keep DIR]

For each size it writes the seeded synthetic library (exporter.testing.synthetic) and runs each
command on it in a fresh process, as a person would, and reports the peak resident memory of
its largest process (loading, planning, drawing and saving included; for `exporter build`, the
largest of the command and its workers) against the target for any process. One round: at
N=10,000 the handbook alone takes several minutes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import SEED, describe_machine, exporter_command, measured  # noqa: E402

#: Peak memory targets of any process, by library size (MB).
TARGETS = {5000: 400.0, 10000: 600.0}


def peak_of(command: str, size: int, work: Path) -> tuple[float | None, float | None]:
    """(peak MB of the largest process, seconds) of `exporter COMMAND` on a library of size techniques."""
    from exporter.testing.synthetic import write_synthetic_content

    folder = work / f"n{size}"
    content = folder / "content" if (folder / "content").is_dir() else write_synthetic_content(folder, size, SEED)
    out = folder / f"output-{command}"
    print(f"  exporter {command} at N={size} ...", file=sys.stderr, flush=True)
    run, _ = measured([*exporter_command(), command, "--content", str(content), "--out", str(out)])
    if run is None:
        return None, None
    return run.peak_mb, run.seconds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", default="5000,10000", help="library sizes (default: %(default)s)")
    parser.add_argument("--commands", default="handbook", help="commands to measure (default: %(default)s)")
    parser.add_argument("--keep", type=Path, help="write the libraries and outputs here and keep them")
    args = parser.parse_args(argv)
    print(f"exporter memory benchmark: {describe_machine()}", flush=True)
    rows = [
        "Peak memory of the largest process of each command (MB)",
        f"{'command':>9} {'N':>6} {'peak MB':>8} {'seconds':>8} {'target':>7}",
    ]
    with tempfile.TemporaryDirectory(prefix="exporter-memory-") as scratch:
        work = args.keep or Path(scratch)
        for size in (int(s) for s in args.sizes.split(",") if s.strip()):
            for command in (c.strip() for c in args.commands.split(",") if c.strip()):
                peak, seconds = peak_of(command, size, work)
                target = TARGETS.get(size)
                verdict = "----" if peak is None or target is None else ("met " if peak <= target else "MISS")
                shown = "failed" if peak is None else f"{peak:.0f}"
                rows.append(f"{command:>9} {size:>6} {shown:>8} {seconds or 0:>8.1f} {target or 0:>7.0f}  [{verdict}]")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
