"""Courses: what an organiser hands each group and each trainee, in <out>/courses/<id>/.

Per course (content/courses/<id>.yaml): a pack for the whole course and one per session (the
handbook's course packs), each session's handouts, the course's pocket cards, its deck (the
library deck's own notes, tagged by session), and with a roster one zip per trainee of the
packs and handouts, each page stamped with who it was prepared for. With --booklet, packs and
handouts are set at half the paper and each is written twice: as it reads (the tagged copy)
and imposed for saddle-stitching beside it, as <name>-booklet.pdf (booklet.py).

The other outputs lend their parts through the table (WriterSpec.course_part), so this home
never imports theirs: the packs are the handbook's, a handout the handouts', the deck the
deck's. A course build writes only under <out>/courses/; it never touches the full outputs.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from exporter.errors import ExporterError
from exporter.files.atomic import atomic_output, remove_output, write_bytes_atomic
from exporter.messages import counted
from exporter.model import Course, Library
from exporter.options import BuildOptions, booklet_page, paper_label, release_time
from exporter.pdf.pages.styles import paper_size
from exporter.text.languages import is_rtl_language
from exporter.writers import WRITERS, WriteResult, get_writer, resolve
from exporter.writers.courses.booklet import impose_booklet, page_origins
from exporter.writers.courses.plan import (
    CARDS_FILE,
    COURSES_DIR,
    DECK_FILE,
    Piece,
    booklet_path,
    course_pieces,
    trainee_zips,
)
from exporter.writers.courses.stamping import draw_stamp_sheet, prepare, write_zip


def write_courses(library: Library, out_dir: Path, options: BuildOptions) -> WriteResult:
    """Build every course options.courses names (all of them when it names none)."""
    wanted = options.courses or tuple(course.id for course in library.courses)
    if not wanted:
        raise ExporterError("no course to build: add one to content/courses/ (see docs/guide/courses.md)")
    paths: list[Path] = []
    warnings: list[str] = []
    summaries: list[str] = []
    for course_id in wanted:
        course = library.course(course_id)
        written, course_warnings, summary = write_course(library, course, out_dir, options)
        paths += written
        warnings += course_warnings
        summaries.append(f"{course.id}: {summary}")
    return WriteResult("courses", tuple(paths), "; ".join(summaries), tuple(warnings))


def write_course(
    library: Library, course: Course, out_dir: Path, options: BuildOptions
) -> tuple[list[Path], list[str], str]:
    """Write one course into <out>/courses/<id>/; return its files, warnings and summary."""
    folder = out_dir / COURSES_DIR / course.id
    page = booklet_page(options.paper) if options.booklet else options.paper
    sheet = _booklet_sheet(options.paper) if options.booklet else None
    pdfs: dict[str, bytes] = {}
    #: The left edges of the pages on a sheet side of each PDF (two on a booklet's).
    origins: dict[str, tuple[float, ...]] = {}
    width, _ = paper_size(page)
    pages = 0
    for piece in course_pieces(course):
        data, count = _lay_out(library, course, piece, page)
        write_bytes_atomic(folder / piece.path, data)
        pdfs[str(piece.path)], origins[str(piece.path)] = data, (0.0,)
        pages += count
        if sheet:
            # The booklet is for printing; the pack beside it, in reading order, is the tagged copy.
            booklet = impose_booklet(data, sheet, _booklet_title(library))
            name = str(booklet_path(piece.path))
            write_bytes_atomic(folder / name, booklet)
            pdfs[name], origins[name] = booklet, page_origins(sheet[0], width)
    paths = [folder / name for name in pdfs]
    subset = library.subset(set(course.technique_ids()), None)
    cards = get_writer("cards")(subset, folder, replace(options, partial=True))
    # The library's own deck, beside the courses folder, has the note times when the state is missing.
    deck_summary, deck_warnings = resolve(_part("deck"))(
        library, course, folder / DECK_FILE, options, out_dir / DECK_FILE
    )
    paths += [folder / CARDS_FILE, folder / DECK_FILE]
    zips = _trainee_copies(library, course, folder, pdfs, origins, width)
    removed = remove_earlier_files(folder, paths + zips)
    layout = f"{paper_label(page)} booklets on {paper_label(options.paper)}" if options.booklet else paper_label(page)
    parts = [counted(len(pdfs), "PDF"), counted(pages, "page"), layout, deck_summary]
    parts.append(counted(len(zips), "trainee copy", "trainee copies"))
    if removed:
        parts.append(f"{counted(len(removed), 'earlier file')} removed")
    return paths + zips, [*cards.warnings, *deck_warnings], ", ".join(parts)


def _part(name: str) -> str:
    target = WRITERS[name].course_part
    assert target is not None, f"{name} lends no part to courses"
    return target


#: What a course build writes; only these are removed when a later build no longer makes them.
COURSE_SUFFIXES = (".pdf", ".zip", ".apkg")


def remove_earlier_files(folder: Path, written: list[Path]) -> list[Path]:
    """Remove what an earlier build of the course wrote and this one did not (the zip of a
    trainee who left the roster, the handouts of a renamed session), as part of the build: a
    failed or stopped build puts them back."""
    kept = set(written)
    earlier = [
        path
        for path in sorted(folder.rglob("*"))
        if path.suffix in COURSE_SUFFIXES and path.is_file() and not path.is_symlink() and path not in kept
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    ]  # fmt: skip
    for path in earlier:
        remove_output(path)
    return earlier


def _booklet_sheet(paper: str) -> tuple[float, float]:
    """The sheet a booklet is printed on: the paper, landscape."""
    width, height = paper_size(paper)
    return height, width


def _booklet_title(library: Library) -> Callable[[str], str]:
    """A booklet's title: its pack's, saying it is the print booklet."""
    labels = library.labels()
    return lambda title: labels("courses.booklet_title", title=title)


def _lay_out(library: Library, course: Course, piece: Piece, page: str) -> tuple[bytes, int]:
    """One pack or handout as PDF bytes, and its page count."""
    with tempfile.TemporaryDirectory(prefix="exporter-course-") as scratch:
        target = Path(scratch) / "piece.pdf"
        if piece.technique is None:
            build_pack: Callable[..., int] = resolve(_part("handbook"))
            count = build_pack(library, course, piece.session, target, page)
        else:
            build_handout: Callable[..., int] = resolve(_part("handouts"))
            count = build_handout(library, library.technique(piece.technique), target, page)
        data = target.read_bytes()
    return data, count


def stamp_texts(library: Library, course: Course) -> list[str]:
    """ "Prepared for <name> · <course> · <year>" for every trainee: the year of the last dated
    session, else SOURCE_DATE_EPOCH's; without either, no year."""
    labels = library.labels()
    year = course.year()
    if not year and release_time():
        import time

        year = time.strftime("%Y", time.gmtime(release_time()))
    if year:
        return [labels("courses.prepared_for", name=name, course=course.title, year=year) for name in course.roster]
    return [labels("courses.prepared_for_undated", name=name, course=course.title) for name in course.roster]


def _trainee_copies(
    library: Library,
    course: Course,
    folder: Path,
    pdfs: dict[str, bytes],
    origins: dict[str, tuple[float, ...]],
    width: float,
) -> list[Path]:
    """One zip per trainee of their stamped packs and handouts; each PDF is prepared once.
    origins are each PDF's left edges of the pages on a sheet side, width a page's width."""
    if not course.roster:
        return []
    sheet = draw_stamp_sheet(stamp_texts(library, course), width, is_rtl_language(library.language))
    prepared = {name: prepare(data, sheet, origins[name]) for name, data in pdfs.items()}
    targets = []
    # One trainee's copies at a time: memory holds the prepared PDFs and one zip's worth.
    for stamp, name in zip(sheet.contents, trainee_zips(course), strict=True):
        target = folder / name
        with atomic_output(target) as temporary:
            write_zip(temporary, {entry: pdf.copy_for(stamp) for entry, pdf in prepared.items()})
        targets.append(target)
    return targets
