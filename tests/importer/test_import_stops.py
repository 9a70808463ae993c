"""`exporter import --force` stopped at random, 30 times, on a 150-page import: every technique
file is always whole (the old page's or the new page's), the library always validates, and what
a killed import left behind is gone after the next one.

A soak test (about a minute): `.venv/bin/python -m pytest -m soak`; `.ci/run` runs it after the
default suite.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES

PAGES = 150
ROUNDS = 30
TITLE = "Grounding Through the Senses"


def write_pages(folder: Path, version: str) -> None:
    text = (FIXTURES / "pages" / "clean.txt").read_text(encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(PAGES):
        page = text.replace(TITLE, f"Grounding Variant {number}").replace("  1. ", f"  1. ({version}) ", 1)
        (folder / f"page-{number:03}.txt").write_text(page, encoding="utf-8")


def import_pages(pages: Path, content: Path) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "exporter", "import", str(pages), "--content", str(content), "--force"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


@pytest.mark.soak
def test_thirty_random_stops_of_a_150_page_import_force_leave_every_file_whole(tmp_path: Path) -> None:
    rng = random.Random(2026)
    content = tmp_path / "content"
    versions = {"a": tmp_path / "pages-a", "b": tmp_path / "pages-b"}
    for version, folder in versions.items():
        write_pages(folder, version)
    started = time.monotonic()
    assert import_pages(versions["a"], content).wait(timeout=300) == 0
    full_run = time.monotonic() - started
    held = 0
    for round_number in range(ROUNDS):
        version = "b" if round_number % 2 == 0 else "a"
        stop = rng.choice([signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
        earlier = set(content.rglob("*.tmp"))  # what an earlier kill -9 left, for the next import to remove
        process = import_pages(versions[version], content)
        time.sleep(rng.uniform(0.0, full_run))
        process.send_signal(stop)
        _, stderr = process.communicate(timeout=300)
        assert "Traceback" not in stderr, stderr
        files = sorted((content / "techniques").glob("*.yaml"))
        assert len(files) == PAGES
        for path in files:
            first_step = yaml.safe_load(path.read_text(encoding="utf-8"))["steps"][0]
            assert first_step.startswith(("(a) ", "(b) ")), path  # whole: one page's or the other's
        if stop != signal.SIGKILL:
            left = set(content.rglob("*.tmp")) - earlier
            assert not left, f"round {round_number}: {stop.name} left temporary files"
        validate = subprocess.run(
            [sys.executable, "-m", "exporter", "validate", "--content", str(content)], capture_output=True, text=True
        )
        assert validate.returncode == 0, validate.stderr
        held += 1
    assert import_pages(versions["a"], content).wait(timeout=300) == 0
    assert not list(content.rglob("*.tmp"))  # what killed imports left, the next one removed
    assert not (content / ".exporter-lock").exists()
    assert held == ROUNDS
