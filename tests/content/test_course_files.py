"""Course files are checked like everything else: every problem at once, as path:line: field: message."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from conftest import technique, write_content

from exporter.cli import main
from exporter.content.techniques import read_library

GOOD = """\
title: Listening course
trainer: Dana Levi
group: Tuesday group
sessions:
  - title: Opening moves
    date: 2026-03-02
    techniques: [alpha, beta]
  - title: Second meeting
    techniques:
      - gamma
roster:
  - Amira Haddad
  - Jonas Berg
"""


def content_with(tmp_path: Path, files: dict[str, str]) -> Path:
    techniques = [technique("alpha"), technique("beta"), technique("gamma")]
    return write_content(tmp_path, techniques=techniques, raw_files=files)


def validate(content: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["validate", "--content", str(content)])
    return result.exit_code, result.output.splitlines()


def test_a_good_course_is_read_into_the_library(tmp_path: Path) -> None:
    library, _ = read_library(content_with(tmp_path, {"courses/spring.yaml": GOOD}))
    (course,) = library.courses
    assert course.id == "spring" and course.roster == ("Amira Haddad", "Jonas Berg")
    assert [s.techniques for s in course.sessions] == [("alpha", "beta"), ("gamma",)]
    assert [s.date for s in course.sessions] == ["2026-03-02", ""]
    assert course.year() == "2026"


def test_every_problem_of_a_course_is_reported_at_its_line(tmp_path: Path) -> None:
    bad = """\
title: Listening course
trainer: Dana Levi
group: Tuesday group
sesions: []
"""
    worse = """\
title: Listening course
trainer: Dana Levi
group: Tuesday group
sessions:
  - title: One
    date: 2026-02-30
    techniques: [alpah, beta]
  - title: Two
    techniques: [beta]
  - title: Three
    techniques: []
roster: missing.csv
"""
    code, lines = validate(content_with(tmp_path, {"courses/bad.yaml": bad, "courses/worse.yaml": worse}))
    assert code == 1
    text = "\n".join(lines)
    prefix = str(tmp_path / "content" / "courses")
    assert f"{prefix}/bad.yaml:4: sesions: unknown key 'sesions'; did you mean 'sessions'?" in text
    assert f"{prefix}/worse.yaml:6: sessions[0].date: '2026-02-30' is not a date; write it as YYYY-MM-DD" in text
    assert f"{prefix}/worse.yaml:7: sessions[0].techniques[0]: unknown technique 'alpah'; did you mean 'alpha'?" in text
    assert f"{prefix}/worse.yaml:9: sessions[1].techniques: 'beta' is already taught in session 1; list it once" in text
    assert f"{prefix}/worse.yaml:11: sessions[2].techniques: is empty;" in text
    assert f"{prefix}/worse.yaml:12: roster: 'missing.csv': no such file next to the course file" in text
    assert "Traceback" not in text


def test_a_roster_csv_is_read_by_its_first_column_and_its_own_problems_name_its_line(tmp_path: Path) -> None:
    course = GOOD.split("roster:")[0] + "roster: group.csv\n"
    roster = 'Name,Email\n"Haddad, Amira",a@example.org\n\n"Sam <&> O\'Neil",s@example.org\nОлена Шевченко\n'
    library, _ = read_library(content_with(tmp_path, {"courses/spring.yaml": course, "courses/group.csv": roster}))
    assert library.courses[0].roster == ("Haddad, Amira", "Sam <&> O'Neil", "Олена Шевченко")

    broken = "Amira\n\x07Jonas\n"
    code, lines = validate(content_with(tmp_path, {"courses/spring.yaml": course, "courses/group.csv": broken}))
    assert code == 1
    message = "group.csv:2: name: contains U+0007 (an invisible control character), which cannot be printed"
    assert any(message in line for line in lines), lines


def test_a_roster_csv_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    course = GOOD.split("roster:")[0] + "roster: group.csv\n"
    content = content_with(tmp_path, {"courses/spring.yaml": course})
    (content / "courses" / "group.csv").write_bytes("Zoë\n".encode("latin-1"))
    code, lines = validate(content)
    assert code == 1 and any("group.csv:1: file: is not UTF-8" in line for line in lines)


def test_a_course_with_no_session_or_a_bad_file_name_is_refused(tmp_path: Path) -> None:
    empty = "title: T\ntrainer: D\ngroup: G\nsessions: []\n"
    code, lines = validate(content_with(tmp_path, {"courses/Spring Term.yaml": empty}))
    assert code == 1
    text = "\n".join(lines)
    assert "Spring Term.yaml:1: id: the file name 'Spring Term' is not a course id" in text
    assert "Spring Term.yaml:4: sessions: is empty; a course needs at least one session" in text


def test_a_name_the_fonts_cannot_draw_is_found_before_anything_is_built(tmp_path: Path) -> None:
    course = GOOD.replace("  - Jonas Berg", "  - Jonas \U00013000")
    code, lines = validate(content_with(tmp_path, {"courses/spring.yaml": course}))
    assert code == 1
    assert any("spring.yaml:13: roster[1]: the fonts cannot draw '\U00013000'" in line for line in lines), lines


def test_building_courses_when_there_is_none_says_where_they_go(tmp_path: Path) -> None:
    content = write_content(tmp_path, techniques=[technique("alpha")])
    result = CliRunner().invoke(
        main, ["build", "--only", "courses", "--content", str(content), "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 1
    assert "no course to build: add one to content/courses/" in result.output
    assert not (tmp_path / "o" / "courses").exists()


def test_two_files_with_one_course_id_are_refused(tmp_path: Path) -> None:
    code, lines = validate(content_with(tmp_path, {"courses/spring.yaml": GOOD, "courses/spring.yml": GOOD}))
    assert code == 1
    first = tmp_path / "content" / "courses" / "spring.yaml"
    message = f"spring.yml:1: id: the same course id 'spring' as {first}; rename one of the two files"
    assert any(line.endswith(message) for line in lines), lines


def test_one_broken_technique_is_one_problem_not_one_per_file_that_names_it(tmp_path: Path) -> None:
    techniques = [technique("alpha"), technique("beta", similar=["alpha"]), technique("gamma")]
    content = write_content(tmp_path, techniques=techniques, raw_files={"courses/spring.yaml": GOOD})
    alpha = content / "techniques" / "alpha.yaml"
    alpha.write_text(alpha.read_text(encoding="utf-8").replace("warnings:", "warnigns:"), encoding="utf-8")
    code, lines = validate(content)
    assert code == 1
    problems = [line for line in lines if line.startswith(str(content))]
    assert len(problems) == 1 and "alpha.yaml" in problems[0] and "warnigns" in problems[0], lines
    assert lines[-1].startswith("Error: 1 problem in the content")
