"""The Anki deck: output/deck.apkg, one note (one card) per step, phrase and warning, and the
cards that practise the skill (practice.py): situations, step order, steps one at a time.

The parts, in the order a build uses them:
- identity.py: what keeps a trainee's review history across rebuilds (note keys, GUIDs, the
  note type's fixed ids and fields); never change its values;
- notes.py: what each card asks and answers (the questions come from exporter.content.fronts,
  which the learning lint judges too); practice.py: the situation, step-order and step-sequence
  cards, each kind with its own note type and `library.yaml` switch;
- state.py: when each note last changed (content/deck-state.json), so Anki updates a note
  exactly when its content changed;
- continuity.py: which published note each item is, so reviews follow moved, inserted, reworded
  items and renamed techniques; it also refuses another library's state;
- publication.py: the notes a build ships, retired ones included;
- note_type.py and package.py: the note type and the .apkg file itself.
The package is written without reading the clock (times come from the state file), so the same
content and state give the same bytes.
"""

from __future__ import annotations

import html
import sqlite3
import tempfile
import time
from collections import Counter
from functools import lru_cache
from pathlib import Path

from exporter.content.fronts import closed_quotes
from exporter.errors import ExporterError
from exporter.files.atomic import atomic_output
from exporter.labels import Labels
from exporter.model import Library
from exporter.options import FIRST_MTIME, BuildOptions, release_time
from exporter.writers import WriteResult
from exporter.writers.deck.continuity import follow, refuse_another_librarys_state
from exporter.writers.deck.identity import CHANGED_TAG, PHRASE_KINDS, WARNING, NoteVersion, excerpt
from exporter.writers.deck.note_cache import NoteCache
from exporter.writers.deck.note_type import note_type_hash, note_types_json
from exporter.writers.deck.notes import deck_name, esc, slug
from exporter.writers.deck.package import PackageWriter, card_count
from exporter.writers.deck.publication import Publication, retired_deck_name, state_entry
from exporter.writers.deck.state import (
    DeckState,
    Entry,
    entry_of,
    load_state,
    note_type_mtime,
    save_state,
    state_path,
)

DECK_FILE = "deck.apkg"


def deck_descriptions(library: Library, labels: Labels) -> dict[str, str]:
    descriptions = {
        deck_name(library.title): esc(library.disclaimer),
        retired_deck_name(library, labels): esc(labels("deck.retired_deck_description")),
        deck_name(library.title, labels("deck.situations_deck")): esc(labels("deck.situation_ask")),
    }
    for technique in library.techniques:
        descriptions[deck_name(library.title, technique.categories[0], technique.title)] = esc(technique.summary)
    return descriptions


def write_deck(library: Library, out_dir: Path, options: BuildOptions) -> WriteResult:
    target = out_dir / DECK_FILE
    warnings: list[str] = []
    release = release_time()
    previous = DeckState(epoch=max(FIRST_MTIME, release))
    state_file = state_path(options.state_dir) if options.state_dir is not None else None
    if state_file is not None:
        previous = load_state(state_file, target, clock=(lambda: release) if release else None)
        if previous.started:
            warnings.append(previous.started)
        if not options.partial:  # a part of the library cannot tell (validate checks the whole)
            refuse_another_librarys_state(state_file, previous, library)
    labels = library.labels()
    continuity = follow(library, previous)
    warnings += continuity.warnings
    kept = NoteCache(out_dir if not options.partial else None, options.cache_salt, library, continuity.keys)
    publication = Publication(
        library, previous, options.partial, release, continuity.key, continuity.whole_key, kept_notes=kept.notes
    )
    entries: dict[str, Entry] = {}
    counts: Counter[str] = Counter()
    changed: set[str] = set()
    notices: list[str] = []
    try:
        with tempfile.TemporaryDirectory(prefix="exporter-deck-") as folder:
            package = PackageWriter(Path(folder))
            try:
                for guid, note in publication.notes():
                    package.add(guid, note, () if note.retired else (release_tag(library, note),))
                    entries[guid] = state_entry(note, previous.notes.get(guid))
                    before = previous.notes.get(guid)
                    if before is None or before.hash != note.hash:
                        changed.add(note.key)
                    if _warning_text_changed(note, before, previous):
                        notices.append(changed_warning(library, note))
                    counts["retired" if note.retired else note.key.split("/")[1]] += card_count(note)
            except BaseException:
                package.close()
                raise
            type_hash = note_type_hash(labels)
            model_mtime = note_type_mtime(previous, type_hash, release)
            package.finish(deck_descriptions(library, labels), note_types_json(model_mtime, labels))
            with atomic_output(target) as temporary:
                package.write_zip(temporary)
    except (sqlite3.Error, OSError) as exc:  # the temporary folder (TMPDIR) is full or unusable
        raise ExporterError(
            f"{target}: cannot build the deck in the temporary folder {tempfile.gettempdir()}: {exc}; "
            "free some room there, or set TMPDIR to a folder with room, and build again"
        ) from exc
    if state_file is not None:
        state = DeckState(
            notes={**entries, **publication.untouched},
            note_type_hash=type_hash,
            note_type_mtime=model_mtime,
            epoch=previous.epoch,
        )
        save_state(state_file, state)
    kept.save()
    summary = "; ".join(part for part in (_summary(counts), continuity.summary(changed)) if part)
    # Each warning tells of this build: the state it saves no longer gives cause for it.
    return WriteResult("deck", (target,), summary, notices=tuple(notices), events=tuple(warnings))


def release_tag(library: Library, note: NoteVersion) -> str:
    """The release that last changed the note, as a tag a trainee can search for: the library's
    `edition:` when it names one, else the day of the note's change time (SOURCE_DATE_EPOCH's
    day when it is set). Not part of the note's content: it never moves its time by itself."""
    return _release_tag(library.edition, note.mtime)


@lru_cache(maxsize=1024)
def _release_tag(edition: str, mtime: int) -> str:
    label = slug(edition) if edition else time.strftime("%Y-%m-%d", time.gmtime(mtime))
    return f"{CHANGED_TAG}::{label}"


def _warning_text_changed(note: NoteVersion, before: Entry | None, previous: DeckState) -> bool:
    """A live warning card whose words are new to trainees (not its header, deck or tags)."""
    if note.retired or not previous.notes or note.key.count("/") != 2 or note.key.split("/")[1] != WARNING.slug:
        return False
    return before is None or before.answer != entry_of(note).answer


def changed_warning(library: Library, note: NoteVersion) -> str:
    technique = library.technique(note.technique)
    answer = note.answer_text or html.unescape(note.fields["Answer"].replace("<br>", " "))
    return f"changed warning card: {technique.path}: {technique.title}: “{closed_quotes(excerpt(answer, 100))}”"


def _summary(counts: Counter[str]) -> str:
    """What the build says it shipped, in cards (a step sequence is one note with a card per step)."""
    phrases = sum(counts[kind.slug] for kind in PHRASE_KINDS)
    text = f"{counts['step']} step, {phrases} phrase and {counts['warning']} warning cards"
    later = [(counts["situation"], "situation"), (counts["step-order"], "step-order"),
             (counts["step-sequence"], "step-sequence")]  # fmt: skip
    text += "".join(f", {count} {name}" for count, name in later if count)
    return text + (f", {counts['retired']} retired" if counts["retired"] else "")
