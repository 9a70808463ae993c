"""The deck of a course: the library deck's own notes for the course's techniques, tagged by session.

Every note is the one the library's deck.apkg ships (same GUID, note type, fields, change time
and note id), so a trainee who imports the course deck and later the whole library's deck gets
no duplicate and keeps every review. The tag `exporter::session::<n>-<title>` lets a trainee
unlock the course session by session (a filtered deck on the tag).

A course build only reads the deck state (content/deck-state.json), never writes it. Without
one, the times are those of a first release (SOURCE_DATE_EPOCH, else 2026-01-01): a library
deck built later from a new state is newer, so importing it updates these notes, keeping reviews.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from exporter.files.atomic import atomic_output
from exporter.model import Course, Library
from exporter.options import FIRST_MTIME, BuildOptions, release_time
from exporter.writers.deck import deck_descriptions, release_tag
from exporter.writers.deck.continuity import follow, refuse_another_librarys_state
from exporter.writers.deck.identity import NoteVersion, tag
from exporter.writers.deck.note_type import note_type_hash, note_types_json
from exporter.writers.deck.notes import slug
from exporter.writers.deck.package import PackageWriter, card_count
from exporter.writers.deck.publication import Publication
from exporter.writers.deck.state import DeckState, load_state, note_type_mtime, state_path

SESSION_TAG = "exporter::session"


def session_tag(number: int, title: str) -> str:
    """The tag of a course session's notes: exporter::session::1-opening-moves."""
    return f"{SESSION_TAG}::{number}-{slug(title)}"


def techniques_named(note: NoteVersion) -> list[str]:
    """The ids of the techniques a note belongs to (a situation card may name several)."""
    prefix = tag("technique", "")
    return [name.removeprefix(prefix) for name in note.tags if name.startswith(prefix)]


def write_course_deck(
    library: Library, course: Course, target: Path, options: BuildOptions, library_deck: Path
) -> tuple[str, tuple[str, ...]]:
    """Write the course's deck to target; return its summary and warnings. library_deck is the
    library's deck.apkg, read for the note times when the content folder has no state."""
    release = release_time()
    previous, warnings = _read_state(options, library_deck, release, library)
    publication = Publication(library, previous, partial=True, release=release, key_of=follow(library, previous).key)
    wanted = {
        t: (number, session.title) for number, session in enumerate(course.sessions, 1) for t in session.techniques
    }
    notes: dict[str, list[tuple[int, str, NoteVersion]]] = {}
    for number, (guid, note) in enumerate(publication.notes()):
        if note.retired:
            break  # retired notes come after every live one
        # A "which technique?" card is the course's only when every technique it names is.
        if note.technique in wanted and all(t in wanted for t in techniques_named(note)):
            notes.setdefault(note.technique, []).append((number, guid, note))
    labels = library.labels()
    with tempfile.TemporaryDirectory(prefix="exporter-course-deck-") as folder:
        package = PackageWriter(Path(folder))
        try:
            for technique_id in course.technique_ids():
                tag = session_tag(*wanted[technique_id])
                for number, guid, note in notes.get(technique_id, []):
                    package.add(guid, note, (release_tag(library, note), tag), number=number)
        except BaseException:
            package.close()
            raise
        model_mtime = note_type_mtime(previous, note_type_hash(labels), release)
        package.finish(deck_descriptions(library, labels), note_types_json(model_mtime, labels))
        with atomic_output(target) as temporary:
            package.write_zip(temporary)
    count = sum(card_count(note) for entries in notes.values() for _, _, note in entries)
    return f"{count} cards in {len(course.sessions)} session tags", tuple(warnings)


def _read_state(
    options: BuildOptions, library_deck: Path, release: int, library: Library
) -> tuple[DeckState, list[str]]:
    first_release = max(FIRST_MTIME, release)
    if options.state_dir is None:
        return DeckState(epoch=first_release), []
    path = state_path(options.state_dir)
    state = load_state(path, library_deck, clock=lambda: first_release)
    refuse_another_librarys_state(path, state, library)
    if path.exists() or not state.started:
        return state, []
    if state.notes:  # recovered from the library's deck.apkg
        return state, [f"{path} is missing; the course deck took its note times from {library_deck}"]
    return state, [
        f"{path} is missing, so the course deck's notes carry the time of a first release; build the "
        "library's deck (it starts the state) before sending a course deck to keep both in step"
    ]
