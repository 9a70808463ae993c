"""The README and the guide say what is true: every `exporter` command they show runs as written,
in order, in a folder laid out as after the Quick start; links between the pages resolve."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BUNDLED_CONTENT, FIXTURES, REPO

PAGES = [REPO / "README.md", *sorted((REPO / "docs" / "guide").glob("*.md"))]
SH_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.M | re.S)
#: Lines of sh blocks that are not `exporter` commands, and where each is exercised instead.
ELSEWHERE = {
    "python3 -m venv": ".ci/run runs both Quick-start commands as written",
    ". .venv/bin/activate": "a shell built-in",
    "pipx install": "tests/test_install.py installs the built wheel into a fresh environment",
    "python3 -m pip wheel": "tests/test_install.py builds the wheel",
    "exporter watch": "runs until Ctrl-C: tests/build/test_incremental.py drives it in a subprocess",
}


def shown_commands() -> list[tuple[str, str]]:
    """(page, command line) for every line of every sh block, in reading order."""
    found = []
    for page in PAGES:
        for block in SH_BLOCK.findall(page.read_text(encoding="utf-8")):
            for line in block.splitlines():
                command = line.split("  #", 1)[0].strip()
                if command and not command.startswith("#"):
                    found.append((page.name, command))
    return found


def test_the_guide_shows_commands_and_the_readme_the_two_quick_start_lines() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/exporter build" in readme
    assert "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest -q" in readme
    assert len(readme.splitlines()) < 300
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "pytest -q" in ci and "exporter build" in ci
    assert sum(1 for _, command in shown_commands() if " exporter " in f" {command}") >= 20


def test_every_exporter_command_in_the_readme_and_the_guide_runs_as_written(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    shutil.copytree(BUNDLED_CONTENT, folder / "content")
    shutil.copy2(FIXTURES / "pages" / "clean.txt", folder / "page.txt")
    (folder / "pages").mkdir()
    for name in ("greek.txt", "extra-section.txt"):
        shutil.copy2(FIXTURES / "pages" / name, folder / "pages" / name)
    program = Path(sys.executable).parent / "exporter"
    failures = []
    for page, command in shown_commands():
        if any(command.startswith(prefix) for prefix in ELSEWHERE):
            continue
        words = shlex.split(command)
        environment = dict(os.environ)
        while words and re.fullmatch(r"[A-Z_]+=\S*", words[0]):
            name, _, value = words.pop(0).partition("=")
            environment[name] = value
        assert words[0] == "exporter", f"{page}: a command the test cannot run: {command}"
        executable = [str(program)] if program.exists() else [sys.executable, "-m", "exporter"]
        completed = subprocess.run(
            executable + words[1:], cwd=folder, env=environment, capture_output=True, text=True, timeout=300
        )
        if completed.returncode != 0:
            failures.append(f"{page}: {command}: exit {completed.returncode}: {completed.stderr.strip()[-300:]}")
    assert failures == []


@pytest.mark.parametrize("page", PAGES + [REPO / "docs" / "notes" / "performance.md"], ids=lambda p: p.name)
def test_every_link_between_the_pages_resolves(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue  # a web address
        path, _, anchor = target.partition("#")
        resolved = (page.parent / path).resolve() if path else page
        if not resolved.exists():
            broken.append(target)
        elif anchor and resolved.suffix == ".md":
            headings = re.findall(r"^#+ (.+)$", resolved.read_text(encoding="utf-8"), re.M)
            slugs = {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}
            if anchor not in slugs:
                broken.append(target)
    assert broken == []


def test_the_summary_the_readme_shows_is_what_the_build_prints(tmp_path: Path) -> None:
    shutil.copytree(BUNDLED_CONTENT, tmp_path / "content")
    completed = subprocess.run(
        [sys.executable, "-m", "exporter", "build"], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert completed.returncode == 0, completed.stderr
    # The Quick-start build leaves a fresh clone as it was: the committed deck state is current.
    state = "deck-state.json"
    assert (tmp_path / "content" / state).read_bytes() == (BUNDLED_CONTENT / state).read_bytes()
    without_times = lambda text: re.sub(r"\d+\.\d s", "T s", text).strip()  # noqa: E731
    printed = without_times(completed.stdout)
    for page in (REPO / "README.md", REPO / "docs" / "guide" / "building.md"):
        shown = [block for block in re.findall(r"^```text\n(.*?)^```", page.read_text(encoding="utf-8"), re.M | re.S)
                 if "Built " in block]  # fmt: skip
        assert [without_times(block) for block in shown] == [printed], page.name
