"""At full size: a full build of a 200-technique library never touches output/courses/, and a
course build never touches the full outputs (hashes before and after). Minutes long, so it is a
soak test (`python -m pytest -m soak`); tests/writers/courses/test_courses.py checks the same on
a small library in the default run."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from exporter.cli import main
from exporter.testing.synthetic import write_synthetic_content, write_synthetic_course


def digests(folder: Path, inside_courses: bool) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and (path.relative_to(folder).parts[0] == "courses") == inside_courses
    }


def run(*args: str) -> None:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output


@pytest.mark.soak
def test_full_builds_and_course_builds_of_a_large_library_leave_each_other_alone(tmp_path: Path) -> None:
    content = write_synthetic_content(tmp_path, 200)
    write_synthetic_course(content, "spring", 3, 4, 30)
    out = tmp_path / "output"
    common = ["--content", str(content), "--out", str(out), "-q"]
    run("build", *common)
    full = digests(out, inside_courses=False)
    state = (content / "deck-state.json").read_bytes()
    run("course", "spring", *common)
    assert digests(out, inside_courses=False) == full
    assert (content / "deck-state.json").read_bytes() == state
    courses = digests(out, inside_courses=True)
    assert len(courses) > 40
    run("build", *common)
    assert digests(out, inside_courses=True) == courses
    assert digests(out, inside_courses=False) == full
