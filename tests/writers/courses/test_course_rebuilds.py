"""Building a course again: the same bytes, nothing left of a trainee who left, no deck state
written, the year from SOURCE_DATE_EPOCH when no session is dated, stamps on booklet halves."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pdfplumber
import pytest
import yaml
from click.testing import CliRunner, Result
from conftest import technique, write_content

from exporter.cli import main

NAMES = ["Amira Haddad", "Jonas Berg", "Олена Коваленко"]


def course(roster: list[str], dated: bool = True) -> str:
    session = {"title": "Only session", "techniques": ["alpha", "beta"]}
    if dated:
        session["date"] = "2027-05-04"
    data = {"title": "Small course", "trainer": "Dana", "group": "G", "sessions": [session], "roster": roster}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def small_content(root: Path, roster: list[str], dated: bool = True) -> Path:
    return write_content(
        root,
        techniques=[technique("alpha"), technique("beta")],
        raw_files={"courses/small.yaml": course(roster, dated)},
    )


def build_course(content: Path, out: Path, *flags: str) -> Result:
    result = CliRunner().invoke(main, ["course", "small", "--content", str(content), "--out", str(out), *flags])
    assert result.exit_code == 0, result.output
    return result


def digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("flags", [[], ["--booklet"]], ids=["pages", "booklet"])
def test_a_course_built_twice_gives_the_same_bytes_and_writes_no_deck_state(tmp_path: Path, flags: list[str]) -> None:
    content = small_content(tmp_path, NAMES)
    first = build_course(content, tmp_path / "one", *flags)
    build_course(content, tmp_path / "two", *flags)
    assert digests(tmp_path / "one") == digests(tmp_path / "two")
    assert not (content / "deck-state.json").exists()
    assert "deck-state.json is missing" in first.output and "first release" in first.output


def test_a_trainee_who_left_the_roster_loses_their_zip_at_the_next_build(tmp_path: Path) -> None:
    content = small_content(tmp_path, NAMES)
    out = tmp_path / "out"
    build_course(content, out)
    zips = out / "courses" / "small" / "trainees"
    assert sorted(p.name for p in zips.iterdir()) == [
        "01-amira-haddad.zip",
        "02-jonas-berg.zip",
        "03-олена-коваленко.zip",
    ]
    (content / "courses" / "small.yaml").write_text(course(NAMES[:1]), encoding="utf-8")
    result = build_course(content, out)
    assert sorted(p.name for p in zips.iterdir()) == ["01-amira-haddad.zip"]
    assert "2 earlier files removed" in result.output


def stamp_lines(pdf: bytes) -> list[list[str]]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        texts = [page.extract_text() or "" for page in document.pages]
    return [[line for line in text.splitlines() if "Prepared for" in line] for text in texts]


def test_without_dates_the_stamp_takes_the_year_of_the_release(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = small_content(tmp_path, NAMES[:1], dated=False)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1830297600")  # 2028-01-01
    build_course(content, tmp_path / "out")
    with zipfile.ZipFile(tmp_path / "out/courses/small/trainees/01-amira-haddad.zip") as archive:
        pages = stamp_lines(archive.read("course-pack.pdf"))
    assert pages and all(lines == ["Prepared for Amira Haddad · Small course · 2028"] for lines in pages)


def test_each_half_of_a_booklet_sheet_is_stamped(tmp_path: Path) -> None:
    content = small_content(tmp_path, NAMES[2:])
    build_course(content, tmp_path / "out", "--booklet", "--paper", "letter")
    with zipfile.ZipFile(tmp_path / "out/courses/small/trainees/01-олена-коваленко.zip") as archive:
        data = archive.read("course-pack-booklet.pdf")
        reading_copy = archive.read("course-pack.pdf")
    with pdfplumber.open(io.BytesIO(reading_copy)) as document:  # half-letter pages, stamped once each
        assert all((page.width, page.height) == (396, 612) for page in document.pages)
        assert all(len([w for w in p.extract_words() if w["text"] == "Коваленко"]) == 1 for p in document.pages)
    with pdfplumber.open(io.BytesIO(data)) as document:
        assert all((page.width, page.height) == (792, 612) for page in document.pages)
        for page in document.pages:
            stamps = [w for w in page.extract_words() if w["text"] == "Коваленко"]
            assert sorted(round(w["x0"] // 396) for w in stamps) == [0, 1], "a stamp under each half-letter page"


def test_a_hebrew_librarys_stamp_reads_right_to_left_in_its_own_words(tmp_path: Path) -> None:
    from conftest import LIBRARY

    library = {**LIBRARY, "language": "he", "title": "ספריית בדיקה"}
    content = write_content(
        tmp_path,
        techniques=[technique("alpha"), technique("beta")],
        library=library,
        raw_files={"courses/small.yaml": course(["נועה כהן", "Jonas Berg"])},
    )
    build_course(content, tmp_path / "out")
    with zipfile.ZipFile(tmp_path / "out/courses/small/trainees/01-נועה-כהן.zip") as archive:
        data = archive.read("course-pack.pdf")
    with pdfplumber.open(io.BytesIO(data)) as document:
        for page in document.pages:
            foot = [w for w in page.extract_words() if w["top"] > page.height - 45]  # below the footer
            words = {w["text"] for w in foot}
            # Drawn right to left: the label's words and the name's, each whole, in visual order.
            assert {"הוכן", "עבור", "נועה", "כהן", "2027"} <= words | {w[::-1] for w in words}, words
            order = [w["text"] for w in sorted(foot, key=lambda w: w["x0"])]
            assert order[-1] in ("הוכן", "ןכוה"), order  # the sentence starts at the right


def test_a_course_build_that_fails_half_way_leaves_the_previous_course_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from exporter.errors import ExporterError
    from exporter.writers.deck import course_deck

    content = small_content(tmp_path, NAMES)
    out = tmp_path / "out"
    build_course(content, out)
    before = digests(out)
    (content / "courses" / "small.yaml").write_text(course(NAMES[:1]).replace("Small course", "Renamed"), "utf-8")

    def fails(*args: object) -> None:
        raise ExporterError("the disk is full (a test)")

    monkeypatch.setattr(course_deck, "write_course_deck", fails)
    result = CliRunner().invoke(main, ["course", "small", "--content", str(content), "--out", str(out)])
    assert result.exit_code == 1 and "the disk is full (a test)" in result.output
    assert digests(out) == before  # the packs written before the failure were put back
