"""A course of 3 sessions x 4 techniques for 30 trainees, built in one command, read back as an
organiser and a trainee would: the packs' contents and page numbers, each session's handouts,
the course deck in a real Anki collection, every trainee's stamped copies, and the full outputs
left alone. The course is built once for the module (with the full outputs beside it)."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from anki.collection import Collection
from anki.import_export_pb2 import (
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
    ImportAnkiPackageUpdateCondition,
)
from anki.scheduler.v3 import CardAnswer
from click.testing import CliRunner
from conftest import technique, write_content
from pdf_reading import page_texts, squash
from pypdf import PdfReader

from exporter.cli import main
from exporter.writers.deck import identity

IF_NEWER = ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER
SESSIONS = [
    ("Opening moves", "2026-03-02"),
    ("Staying with feeling", "2026-03-09"),
    ("Repair & endings", "2026-03-16"),
]
#: 12 techniques, each session's four in an order that is not the handbook's (categories, titles).
SESSION_TECHNIQUES = [[f"tech-{n:02d}" for n in order] for order in ([4, 1, 12, 7], [2, 9, 5, 11], [10, 3, 8, 6])]
SPECIAL_NAMES = ["נועה כהן", "Олена Шевченко", 'Sam <&> "Q" O\'Neil']
ROSTER = [*SPECIAL_NAMES, *(f"Trainee Number {n:02d}" for n in range(4, 31))]


def title_of(technique_id: str) -> str:
    return f"Technique {technique_id.title()}"


#: In the library, in no session.
OUTSIDE = ["tech-13", "tech-14"]


def course_techniques() -> list[dict[str, Any]]:
    ids = sorted([*(t for session in SESSION_TECHNIQUES for t in session), *OUTSIDE])
    return [
        technique(t, categories=["Interpersonal" if index % 2 else "Problem processing"]) for index, t in enumerate(ids)
    ]


def course_yaml() -> str:
    sessions = [
        {"title": title, "date": date, "techniques": ids}
        for (title, date), ids in zip(SESSIONS, SESSION_TECHNIQUES, strict=True)
    ]
    course = {"title": "Listening Course", "trainer": "Dana Levi", "group": "Tuesday group", "sessions": sessions,
              "roster": "demo-roster.csv"}  # fmt: skip
    return yaml.safe_dump(course, allow_unicode=True, sort_keys=False)


def roster_csv() -> str:
    rows = ["name,note"] + [f'"{name.replace(chr(34), chr(34) * 2)}",x' for name in ROSTER]
    return "\n".join(rows) + "\n"


def hashes(folder: Path, skip: str | None = None) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not (skip and path.relative_to(folder).parts[0] == skip)
    }


@dataclass
class Built:
    content: Path
    out: Path
    course: Path
    full_before: dict[str, str]
    full_after: dict[str, str]
    state_before: bytes
    output: str


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("course")
    content = write_content(
        root,
        techniques=course_techniques(),
        raw_files={"courses/demo.yaml": course_yaml(), "courses/demo-roster.csv": roster_csv()},
    )
    out = root / "out"
    run("build", "--content", str(content), "--out", str(out), "-j", "1", "-q")
    full_before = hashes(out)
    state_before = (content / "deck-state.json").read_bytes()
    output = run("course", "demo", "--content", str(content), "--out", str(out))
    return Built(content, out, out / "courses" / "demo", full_before, hashes(out, skip="courses"), state_before, output)


def pdf(path: Path | bytes) -> PdfReader:
    return PdfReader(io.BytesIO(path) if isinstance(path, bytes) else path)


def contents_rows(reader: PdfReader) -> list[tuple[str, int]]:
    """(row text, page number) of every row of the contents (page 2)."""
    body, _, _ = page_texts(reader.pages[1])
    lines = [line.strip(" .…") for line in body.splitlines() if line.strip(" .…")]
    assert lines[0] == "Contents"
    rows = []
    for line in lines[1:]:
        if line.isdigit():
            rows[-1] = (rows[-1][0], int(line))
        else:
            rows.append((line, 0))
    return rows


def packs(built: Built) -> Iterator[tuple[Path, list[int]]]:
    """Each pack with the (0-based) sessions it holds."""
    yield built.course / "course-pack.pdf", [0, 1, 2]
    for index in range(len(SESSIONS)):
        folder = next(built.course.glob(f"session-{index + 1}-*"))
        yield folder / "pack.pdf", [index]


def test_one_command_builds_every_part_of_the_course(built: Built) -> None:
    names = sorted(str(p.relative_to(built.course)) for p in built.course.rglob("*") if p.is_file())
    assert "course-pack.pdf" in names and "pocket-cards.pdf" in names and "deck.apkg" in names
    assert [n for n in names if n.startswith("session-")] == sorted(
        f"session-{i + 1}-{folder}/{name}"
        for i, folder in enumerate(["opening-moves", "staying-with-feeling", "repair-endings"])
        for name in ["pack.pdf", *(f"{p:02d}-{t}.pdf" for p, t in enumerate(SESSION_TECHNIQUES[i], start=1))]
    )
    assert len([n for n in names if n.startswith("trainees/")]) == 30
    assert "30 trainee copies" in built.output


def test_each_pack_lists_its_sessions_in_order_with_the_pages_the_chapters_start_on(built: Built) -> None:
    for path, sessions in packs(built):
        reader = pdf(path)
        cover = reader.pages[0].extract_text()
        assert "Listening Course" in cover and "Dana Levi" in cover and "Tuesday group" in cover
        if len(sessions) == 1:
            assert f"Session {sessions[0] + 1}: {SESSIONS[sessions[0]][0]}" in cover
            assert "March" in cover and SESSIONS[sessions[0]][1][-1] in cover
        rows = contents_rows(reader)
        expected = []
        for index in sessions:
            expected.append(f"Session {index + 1}: {SESSIONS[index][0]}")
            expected += [title_of(t) for t in SESSION_TECHNIQUES[index]]
        assert [text for text, _ in rows] == expected
        for text, page in rows:
            body, _, _ = page_texts(reader.pages[page - 1])
            if text.startswith("Session"):
                assert squash(text.upper()) in squash(body)
            else:
                assert squash(body).find(squash(text)) < 60, f"{path.name}: {text} does not start on p. {page}"
        starts = [page for text, page in rows if not text.startswith("Session")]
        assert starts == sorted(starts) and len(set(starts)) == len(starts)


def test_each_sessions_handouts_are_exactly_its_techniques_in_teaching_order(built: Built) -> None:
    for index, ids in enumerate(SESSION_TECHNIQUES):
        folder = next(built.course.glob(f"session-{index + 1}-*"))
        handouts = sorted(p for p in folder.glob("*.pdf") if p.name != "pack.pdf")
        titles = [pdf(p).pages[0].extract_text() for p in handouts]
        assert [re.sub(r"^\d+-", "", p.stem) for p in handouts] == ids
        for text, technique_id in zip(titles, ids, strict=True):
            assert title_of(technique_id) in text
            others = {t for t in sum(SESSION_TECHNIQUES, []) if t != technique_id}
            assert not any(f"{title_of(o)}\n" in text.split("Similar")[0] for o in others)


#: What Anki's import dialog does unless the user changes it.
DEFAULT_IMPORT = ImportAnkiPackageOptions(
    merge_notetypes=False, update_notes=IF_NEWER, update_notetypes=IF_NEWER, with_scheduling=False
)


def import_log(col: Collection, package: Path) -> Any:
    request = ImportAnkiPackageRequest(package_path=str(package), options=DEFAULT_IMPORT)
    return col.import_anki_package(request).log


def answer_every_card(col: Collection) -> None:
    """Study every new card once, Easy, as a trainee would (they leave the queue at once)."""
    deck_id = col.decks.id_for_name("Test Library")
    config = col.decks.config_dict_for_deck_id(deck_id)
    config["new"]["perDay"] = 9999
    col.decks.save(config)
    col.decks.select(deck_id)
    while queued := col.sched.get_queued_cards(fetch_limit=1).cards:
        card = col.get_card(queued[0].card.id)
        card.start_timer()
        col.sched.answer_card(col.sched.build_answer(card=card, states=queued[0].states, rating=CardAnswer.EASY))


def test_the_course_deck_holds_the_course_notes_tagged_by_session(built: Built, tmp_path: Path) -> None:
    col = Collection(str(tmp_path / "trainee.anki2"))
    try:
        import_log(col, built.course / "deck.apkg")
        for index, ids in enumerate(SESSION_TECHNIQUES):
            (tag,) = {t for t in col.tags.all() if t.startswith(f"exporter::session::{index + 1}-")}
            notes = [col.get_note(n) for n in col.find_notes(f'"tag:{tag}"')]
            named = [
                {t.removeprefix("exporter::technique::") for t in note.tags if "::technique::" in t} for note in notes
            ]
            course_ids = {t for session in SESSION_TECHNIQUES for t in session}
            # Each note belongs to a technique of this session (a situation card may also name
            # another technique of the course), and every technique of the session has notes.
            assert notes and all(names & set(ids) and names <= course_ids for names in named), named
            assert set().union(*named) >= set(ids)
        assert len(col.find_notes("")) == len(col.find_notes("tag:exporter::session::*"))
        every = " ".join(" ".join(col.get_note(n).tags) for n in col.find_notes(""))
        assert not any(f"exporter::technique::{t} " in every + " " for t in OUTSIDE)
    finally:
        col.close()


def package_notes(package: Path, folder: Path) -> dict[str, tuple[int, int, str]]:
    """GUID -> (note id, modification time, note type id) of every note in an .apkg."""
    import sqlite3

    database = folder / f"{package.parent.name}-{package.stem}.anki2"
    with zipfile.ZipFile(package) as archive:
        database.write_bytes(archive.read("collection.anki2"))
    connection = sqlite3.connect(database)
    try:
        return {
            guid: (nid, mod, str(mid))
            for nid, guid, mod, mid in connection.execute("select id, guid, mod, mid from notes")
        }
    finally:
        connection.close()


def test_the_course_decks_notes_are_the_library_decks_own(built: Built, tmp_path: Path) -> None:
    course = package_notes(built.course / "deck.apkg", tmp_path)
    library = package_notes(built.out / "deck.apkg", tmp_path)
    # technique(): three steps, one phrase of each kind, one warning, and its step-order card. The
    # situation every test technique shares also names techniques outside the course: not in it.
    per_technique = 3 + 3 + 1 + 1
    assert len(course) == per_technique * sum(len(session) for session in SESSION_TECHNIQUES)
    assert {guid: library[guid] for guid in course} == course  # same note ids, times and note type


def test_the_course_deck_then_the_library_deck_give_no_duplicate_and_keep_reviews(built: Built, tmp_path: Path) -> None:
    col = Collection(str(tmp_path / "trainee.anki2"))
    try:
        first = import_log(col, built.course / "deck.apkg")
        assert len(first.new) == len(col.find_notes(""))
        answer_every_card(col)
        reviewed = dict(col.db.all("select cid, count() from revlog group by cid"))
        guids = set(col.db.list("select guid from notes"))
        assert reviewed and len(reviewed) == len(guids)
        log = import_log(col, built.out / "deck.apkg")
        # Anki logs a note it already has, unchanged, as "duplicate" (and skips it): here every
        # course note; only the techniques outside the course are new; nothing conflicts.
        assert len(log.duplicate) == len(guids) and len(log.updated) == 0
        # (new: the notes of the techniques outside the course, and a situation card that names one)
        prefix = "exporter::technique::"
        for note in (col.get_note(n) for n in col.find_notes("")):
            named = {t.removeprefix(prefix) for t in note.tags if t.startswith(prefix)}
            assert (note.guid in guids) != bool(named & set(OUTSIDE)), named
        assert len(log.conflicting) == 0 and len(log.first_field_match) == 0
        ours = sorted(m.id for m in col.models.all_names_and_ids() if m.name.startswith("Exporter"))
        # the library deck's own note types (those its notes use), no copy ("+")
        assert identity.MODEL_ID in ours
        assert set(ours) <= {identity.MODEL_ID, identity.PRACTICE_MODEL_ID, identity.SEQUENCE_MODEL_ID}
        assert not any("+" in m.name for m in col.models.all_names_and_ids())
        assert col.db.scalar("select count(*) from notes") == col.db.scalar("select count(distinct guid) from notes")
        assert guids <= set(col.db.list("select guid from notes"))
        assert dict(col.db.all("select cid, count() from revlog group by cid")) == reviewed
        for card_id in reviewed:
            assert col.get_card(card_id).ivl > 0
    finally:
        col.close()


def trainee_zips(built: Built) -> list[Path]:
    return sorted((built.course / "trainees").glob("*.zip"))


def zip_entries(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def page_texts_of(data: bytes) -> list[str]:
    """The text of every page, as PDFium (Chrome's PDF engine) reads it."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        return [document[index].get_textpage().get_text_range() for index in range(len(document))]
    finally:
        document.close()


def test_every_trainees_copies_name_them_on_every_page_whatever_the_script(built: Built) -> None:
    zips = trainee_zips(built)
    assert len(zips) == len(ROSTER)
    for path, name in zip(zips, ROSTER, strict=True):
        for entry, data in zip_entries(path).items():
            for number, text in enumerate(page_texts_of(data), start=1):
                assert "Prepared for" in text and "Listening Course · 2026" in text, (path.name, entry, number)
                # Hebrew words are drawn right to left: read back in visual order, each word whole.
                assert all(squash(word) in squash(text) for word in name.split()), (entry, number, text[-80:])


def test_a_stamped_copy_reads_without_repairs(built: Built, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="pypdf")
    for entry, data in zip_entries(trainee_zips(built)[0]).items():
        reader = PdfReader(io.BytesIO(data), strict=True)
        assert all(page.get_contents() is not None for page in reader.pages), entry
        assert "Prepared for" in reader.pages[-1].extract_text()
    assert caplog.records == [], "pypdf found something to repair in a stamped copy"


def test_every_copy_differs_from_its_sibling_only_in_the_stamp(built: Built) -> None:
    zips = trainee_zips(built)
    assert len(zips) == 30
    first = zip_entries(zips[0])
    base = {name: built.course / name for name in first}
    packs_and_handouts = {
        str(p.relative_to(built.course)) for p in built.course.rglob("*.pdf") if "trainees" not in p.parts
    } - {"pocket-cards.pdf"}
    assert set(first) == packs_and_handouts
    windows: dict[str, tuple[int, int]] = {}
    for path in zips[1:]:
        entries = zip_entries(path)
        assert set(entries) == set(first)
        for name, data in entries.items():
            assert len(data) == len(first[name])
            differ = [i for i, (a, b) in enumerate(zip(data, first[name], strict=True)) if a != b]
            assert differ, f"{path.name}: {name} is not stamped differently"
            low, high = windows.setdefault(name, (differ[0], differ[-1]))
            assert low - 400 < differ[0] and differ[-1] < high + 400, f"{name}: differs outside the stamp"
    for name, data in first.items():
        assert len(pdf(data).pages) == len(pdf(base[name]).pages)


def test_a_course_build_leaves_the_full_outputs_and_the_deck_state_as_they_were(built: Built) -> None:
    assert built.full_after == built.full_before
    assert (built.content / "deck-state.json").read_bytes() == built.state_before


def test_a_full_build_never_touches_the_courses_folder(built: Built) -> None:
    before = hashes(built.out / "courses")
    run("build", "--content", str(built.content), "--out", str(built.out), "-j", "1", "-q")
    assert hashes(built.out / "courses") == before
    result = json.loads(json.dumps(before))
    assert len(result) > 40


def test_build_refuses_a_course_with_technique_flags_and_names_unknown_courses(built: Built) -> None:
    result = CliRunner().invoke(main, ["course", "dmeo", "--content", str(built.content), "--out", str(built.out)])
    assert result.exit_code == 2 and "did you mean 'demo'" in result.output
    result = CliRunner().invoke(
        main, ["build", "--only", "courses", "--technique", "tech-01", "--content", str(built.content)]
    )
    assert result.exit_code == 2 and "--technique" in result.output
    result = CliRunner().invoke(
        main, ["handbook", "--booklet", "--content", str(built.content), "--out", str(built.out)]
    )
    assert result.exit_code == 2 and "--booklet" in result.output
