"""The largest process of `exporter build` on a 1,000-technique library, through a real
subprocess: each process's memory grows with the library, not with the pages times the cards,
nor with every writer a worker has run (issue #26: any process within 400 MB at 5,000
techniques, 600 MB at 10,000; `bench/memory.py --commands build` measures those)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from build_outputs import EPOCH

from exporter.testing.synthetic import write_synthetic_content

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
