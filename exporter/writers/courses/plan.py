"""What a course build writes, and under which name: pure naming, no drawing.

    <out>/courses/<id>/course-pack.pdf                      the whole course
    <out>/courses/<id>/session-1-opening-moves/pack.pdf     one session's pack
    <out>/courses/<id>/session-1-opening-moves/01-<technique-id>.pdf   its handouts, in teaching order
    <out>/courses/<id>/course-pack-booklet.pdf              with --booklet: beside each pack and handout, imposed
    <out>/courses/<id>/pocket-cards.pdf, deck.apkg
    <out>/courses/<id>/trainees/01-<name>.zip               each trainee's stamped copies

Session folders carry the session's number and title, handouts their place in the session, so
a trainee finds "session 2, the third handout" without knowing technique ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from exporter.model import Course

COURSES_DIR = "courses"
COURSE_PACK = "course-pack.pdf"
SESSION_PACK = "pack.pdf"
CARDS_FILE = "pocket-cards.pdf"
DECK_FILE = "deck.apkg"
TRAINEES_DIR = "trainees"
#: Words of a title kept in a folder or file name (the rest is in the PDF).
MAX_NAME_CHARS = 40


@dataclass(frozen=True)
class Piece:
    """One PDF of a course: a pack (technique None) or a handout, and where it goes."""

    path: PurePosixPath
    #: The session's index (None: the whole course's pack).
    session: int | None
    technique: str | None = None


def name_part(text: str) -> str:
    """Lowercase words joined by '-', cut at a word under MAX_NAME_CHARS (any script's letters
    are kept; nothing a file system could refuse)."""
    words = re.findall(r"\w+", text.casefold())
    kept = ""
    for word in words:
        longer = f"{kept}-{word}" if kept else word
        if len(longer) > MAX_NAME_CHARS:
            break
        kept = longer
    return kept or (words[0][:MAX_NAME_CHARS] if words else "x")


def session_folder(number: int, title: str) -> str:
    return f"session-{number}-{name_part(title)}"


def course_pieces(course: Course) -> list[Piece]:
    """The packs and handouts of a course, in the order a reader meets them."""
    pieces = [Piece(PurePosixPath(COURSE_PACK), None)]
    for index, session in enumerate(course.sessions):
        folder = PurePosixPath(session_folder(index + 1, session.title))
        pieces.append(Piece(folder / SESSION_PACK, index))
        width = max(2, len(str(len(session.techniques))))
        for position, technique_id in enumerate(session.techniques, start=1):
            pieces.append(Piece(folder / f"{position:0{width}d}-{technique_id}.pdf", index, technique_id))
    return pieces


def booklet_path(path: PurePosixPath) -> PurePosixPath:
    """Where a pack's or handout's print booklet goes: beside it, named for it."""
    return path.with_name(f"{path.stem}-booklet{path.suffix}")


def trainee_zips(course: Course) -> list[PurePosixPath]:
    """One zip name per roster entry, numbered in roster order (two trainees may share a name)."""
    width = max(2, len(str(len(course.roster))))
    return [
        PurePosixPath(TRAINEES_DIR) / f"{number:0{width}d}-{name_part(name)}.zip"
        for number, name in enumerate(course.roster, start=1)
    ]
