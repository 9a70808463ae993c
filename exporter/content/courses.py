"""Course files, content/courses/<id>.yaml: which techniques each session of a course teaches,
for which group, and (optionally) who is in it. Every problem is a `path:line: field: message`.

    title: Listening Skills, Spring Group
    trainer: Dana Levi
    group: Spring 2026
    sessions:
      - title: Opening moves
        date: 2026-03-02
        techniques: [active-listening, open-questions]
    roster: roster.csv        # or a list of names

A roster CSV sits next to the course file; its first column is the name (a first row whose first
cell is "name" is a heading, not a trainee).
"""

from __future__ import annotations

import csv
import datetime
import difflib
import io
from pathlib import Path

from exporter.content.field_checks import (
    ID_PATTERN,
    MAX_TITLE_CHARS,
    FieldChecker,
    display_path,
    kind_name,
)
from exporter.content.yaml_nodes import Node, load_yaml_file, read_text, shown
from exporter.errors import Problem, errors_only
from exporter.model import Course, Session

COURSES_DIR = "courses"
COURSE_KEYS = ("title", "trainer", "group", "sessions", "roster")
REQUIRED_COURSE_KEYS = ("title", "trainer", "group", "sessions")
SESSION_KEYS = ("title", "date", "techniques")
#: More trainees than this is a mailing list, not a group (and as many zips).
MAX_ROSTER = 500
MAX_SESSIONS = 60
MAX_NAME_CHARS = 120
#: First cells of a roster CSV's heading row.
ROSTER_HEADINGS = frozenset({"name", "names", "trainee", "trainees"})


def course_files(content_dir: Path) -> list[Path]:
    folder = content_dir / COURSES_DIR
    if not folder.is_dir():
        return []
    return sorted(
        path for path in folder.iterdir() if path.suffix.lower() in (".yaml", ".yml") and not path.name.startswith(".")
    )


def read_courses(content_dir: Path, technique_ids: set[str]) -> tuple[tuple[Course, ...], list[Problem]]:
    """Every course of the content folder, checked against the library's technique ids."""
    courses: list[Course] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for path in course_files(content_dir):
        course, found = read_course(path, technique_ids)
        problems += found
        if course is None:
            continue
        if course.id in seen:
            message = f"the same course id '{course.id}' as {seen[course.id]}; rename one of the two files"
            problems.append(Problem(course.path, 1, "id", message))
            continue
        seen[course.id] = course.path
        courses.append(course)
    return tuple(courses), problems


def read_course(path: Path, technique_ids: set[str]) -> tuple[Course | None, list[Problem]]:
    display = display_path(path)
    root, problems = load_yaml_file(path, display)
    if root is None:
        return None, problems
    check = FieldChecker(display)
    course_id = path.stem
    if not ID_PATTERN.fullmatch(course_id):
        check.error(
            1, "id", f"the file name '{shown(course_id)}' is not a course id (lowercase letters, digits and '-' only)"
        )
    if root.kind != "mapping":
        check.error(
            root.line, "course", f"expected a mapping of fields (title: ..., sessions: ...), got {kind_name(root)}"
        )
        return None, check.problems
    assert isinstance(root.value, dict) and root.key_lines is not None
    fields, lines = root.value, dict(root.key_lines)
    misspelt = check.unknown_keys(root, COURSE_KEYS)
    for key in REQUIRED_COURSE_KEYS:
        if key not in fields and key not in misspelt:
            check.error(1, key, "missing; every course needs one")
    texts = {
        key: check.text(fields[key], key, lines[key], MAX_TITLE_CHARS) if key in fields else None
        for key in ("title", "trainer", "group")
    }
    sessions = _read_sessions(check, fields.get("sessions"), technique_ids)
    roster, roster_lines = _read_roster(check, fields.get("roster"), path.parent)
    title, trainer, group = texts["title"], texts["trainer"], texts["group"]
    if errors_only(check.problems) or title is None or trainer is None or group is None or not sessions:
        return None, check.problems
    course = Course(course_id, title, trainer, group, sessions, roster, display, lines, roster_lines)
    return course, check.problems


def _read_sessions(check: FieldChecker, node: Node | None, technique_ids: set[str]) -> tuple[Session, ...]:
    if node is None:
        return ()
    entries = check.list_of(node, "sessions")
    if entries is None:
        return ()
    if not entries:
        check.error(node.line, "sessions", "is empty; a course needs at least one session")
        return ()
    if len(entries) > MAX_SESSIONS:
        check.error(node.line, "sessions", f"has {len(entries)} sessions; the limit is {MAX_SESSIONS}")
        return ()
    sessions: list[Session] = []
    taught: dict[str, int] = {}
    for index, entry in enumerate(entries):
        session = _read_session(check, entry, f"sessions[{index}]", technique_ids, taught, index + 1)
        if session is not None:
            sessions.append(session)
    return tuple(sessions)


def _read_session(
    check: FieldChecker, entry: Node, where: str, technique_ids: set[str], taught: dict[str, int], number: int
) -> Session | None:
    if entry.kind != "mapping":
        check.error(entry.line, where, f"expected a session (title:, date:, techniques:), got {kind_name(entry)}")
        return None
    assert isinstance(entry.value, dict) and entry.key_lines is not None
    misspelt = check.unknown_keys(entry, SESSION_KEYS, prefix=f"{where}.")
    for key in ("title", "techniques"):
        if key not in entry.value and key not in misspelt:
            check.error(entry.line, f"{where}.{key}", "missing; every session needs one")
    title_node = entry.value.get("title")
    title = check.text(title_node, f"{where}.title", entry.line, MAX_TITLE_CHARS) if title_node else None
    date = _read_date(check, entry.value.get("date"), f"{where}.date")
    techniques = _read_technique_ids(check, entry.value.get("techniques"), f"{where}.techniques", technique_ids)
    for technique_id, line in techniques:
        if technique_id in taught:
            check.error(
                line,
                f"{where}.techniques",
                f"'{technique_id}' is already taught in session {taught[technique_id]}; list it once",
            )
        taught.setdefault(technique_id, number)
    if title is None or not techniques:
        return None
    return Session(title, tuple(technique_id for technique_id, _ in techniques), date, entry.line)


def _read_date(check: FieldChecker, node: Node | None, where: str) -> str:
    if node is None or node.kind == "null":
        return ""
    text = node.value if node.kind == "scalar" and isinstance(node.value, str) else ""
    try:
        if len(text) != 10:
            raise ValueError(text)
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        check.error(node.line, where, f"'{shown(text) or kind_name(node)}' is not a date; write it as YYYY-MM-DD")
        return ""


def _read_technique_ids(
    check: FieldChecker, node: Node | None, where: str, technique_ids: set[str]
) -> list[tuple[str, int]]:
    if node is None:
        return []
    entries = check.list_of(node, where)
    if entries is None:
        return []
    if not entries:
        check.error(node.line, where, "is empty; list the ids of the techniques this session teaches")
    found: list[tuple[str, int]] = []
    for index, entry in enumerate(entries):
        value = check.text(entry, f"{where}[{index}]", entry.line, MAX_TITLE_CHARS)
        if value is None:
            continue
        if value not in technique_ids:
            guess = difflib.get_close_matches(value, sorted(technique_ids), n=1)
            hint = f"; did you mean '{guess[0]}'?" if guess else " (see `exporter list`)"
            check.error(entry.line, f"{where}[{index}]", f"unknown technique '{shown(value)}'{hint}")
            continue
        found.append((value, entry.line))
    return found


def _read_roster(check: FieldChecker, node: Node | None, folder: Path) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """The names and the line of each (a CSV's names: the course file's `roster:` line)."""
    if node is None or node.kind == "null":
        return (), ()
    if node.kind == "scalar":
        names = _roster_file(check, node, folder)
    elif node.kind == "list":
        assert isinstance(node.value, list)
        names = [
            (name, entry.line)
            for index, entry in enumerate(node.value)
            if (name := check.text(entry, f"roster[{index}]", entry.line, MAX_NAME_CHARS)) is not None
        ]
    else:
        check.error(node.line, "roster", f"expected a list of names or a CSV file name, got {kind_name(node)}")
        return (), ()
    if len(names) > MAX_ROSTER:
        check.error(node.line, "roster", f"has {len(names)} names; the limit is {MAX_ROSTER}")
        return (), ()
    seen: set[str] = set()
    for name, line in names:
        if name.casefold() in seen:
            check.warning(line, "roster", f"'{name}' is listed twice; each gets a copy (numbered apart)")
        seen.add(name.casefold())
    return tuple(name for name, _ in names), tuple(line for _, line in names)


def _roster_file(check: FieldChecker, node: Node, folder: Path) -> list[tuple[str, int]]:
    """The names of a roster CSV, each with the course file's `roster:` line (the CSV's own
    problems name the CSV and its line)."""
    assert isinstance(node.value, str)
    file_name = node.value.strip()
    path = folder / file_name
    if not file_name or Path(file_name).name != file_name or not path.is_file():
        check.error(
            node.line, "roster", f"'{shown(file_name)}': no such file next to the course file (a .csv of names)"
        )
        return []
    display = display_path(path)
    text, problems = read_text(path, display)
    if text is None:
        check.problems.extend(problems)
        return []
    csv_check = FieldChecker(display)
    names: list[tuple[str, int]] = []
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        check.error(node.line, "roster", f"{display} is not a readable CSV file: {exc}")
        return []
    for number, row in enumerate(rows, start=1):
        if not row or not row[0].strip():
            continue
        if number == 1 and row[0].strip().casefold() in ROSTER_HEADINGS:
            continue
        name = csv_check.text(Node(row[0], number), "name", number, MAX_NAME_CHARS)
        if name is not None:
            names.append((name, node.line))
    check.problems.extend(csv_check.problems)
    if not names and not csv_check.problems:
        check.error(node.line, "roster", f"{display} has no names (the first column is the name)")
    return names
