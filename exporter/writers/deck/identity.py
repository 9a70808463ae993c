"""What makes a note the same note across builds: the deck's identity rules.

Both the notes (what each card asks) and the state (when each note last changed) need them, so
they live here and neither imports the other:
- a note's GUID comes from its key, technique id + kind + the item's `id` (else its position),
  never from its text;
- the note type has a fixed id (MODEL_ID), and its fields a fixed internal order and names, from
  which their Anki ids are derived; the names trainees see come from the labels;
- a note's content fingerprint decides whether its modification time moves.
Never change a value here: trainees' review history hangs on them (tests pin the literals).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from exporter.model import Item, Technique
from exporter.options import FIRST_MTIME

#: Every note ships with CHANGED_TAG::<release> (`tag:exporter::changed::2027-edition` finds what a
#: release changed); it is no part of the note's content, so it never moves the note's time.
CHANGED_TAG = "exporter::changed"

#: The model id of exporter's note type.
MODEL_ID = 1_736_512_837_401
#: The note types of the kinds added in the fourth round (situation and step-order cards; step
#: sequences as overlapping clozes): their own ids, so today's note type stays exactly as it was.
PRACTICE_MODEL_ID = 1_736_512_837_402
SEQUENCE_MODEL_ID = 1_736_512_837_403


#: Internal field names, in the note type's order. They never change: each field's Anki id is
#: derived from this name (see note_type.note_type_json), and the names trainees see come from labels.
FIELDS = ("Header", "Prompt", "Answer", "Context", "StepMap", "Technique", "Kind", "Source", "Status", "Extra")
#: The label key of each field's displayed name.
FIELD_LABELS = dict(
    zip(
        FIELDS,
        ("header", "prompt", "answer", "context", "step_map", "technique", "kind", "source", "status", "my_notes"),
        strict=True,
    )
)
#: The trainee's own field: the deck always ships it empty and never fills it.
NOTES_FIELD = "Extra"


@dataclass(frozen=True)
class NoteKind:
    section: str
    slug: str
    #: Label key stem: deck.kind.<label>, deck.<label>_ask, ...
    label: str


STEP = NoteKind("steps", "step", "step")
PHRASE_KINDS = (
    NoteKind("key_phrases", "key-phrase", "key_phrase"),
    NoteKind("follow_up_questions", "follow-up-question", "follow_up_question"),
    NoteKind("alternative_phrasings", "alternative-phrasing", "alternative_phrasing"),
)
WARNING = NoteKind("warnings", "warning", "warning")
KINDS = (STEP, *PHRASE_KINDS, WARNING)
#: The kinds added in the fourth round, each with its own note type and `library.yaml` switch:
#: a situation from `when_to_use` (which technique?), the order of a technique's steps, and its
#: steps one at a time in context (an overlapping cloze).
SITUATION = NoteKind("when_to_use", "situation", "situation")
STEP_ORDER = NoteKind("steps", "step-order", "step_order")
STEP_SEQUENCE = NoteKind("steps", "step-sequence", "step_sequence")
PRACTICE_KINDS = (SITUATION, STEP_ORDER, STEP_SEQUENCE)
#: Each note type's fields, in their fixed order (the first is the one Anki checks for duplicates).
PRACTICE_FIELDS = ("Header", "Context", "Prompt", "Answer", "Technique", "Kind", "Status", "Extra")
SEQUENCE_FIELDS = ("Header", "Text", "Context", "Technique", "Kind", "Status", "Extra")
FIELDS_OF_MODEL = {MODEL_ID: FIELDS, PRACTICE_MODEL_ID: PRACTICE_FIELDS, SEQUENCE_MODEL_ID: SEQUENCE_FIELDS}
MODEL_OF_KIND = {
    SITUATION.slug: PRACTICE_MODEL_ID,
    STEP_ORDER.slug: PRACTICE_MODEL_ID,
    STEP_SEQUENCE.slug: SEQUENCE_MODEL_ID,
}

#: Tags are namespaced (exporter::kind::warning) so a trainee's search never catches other decks.
TAG_ROOT = "exporter"


#: The tag of a retired card (earlier releases tagged it plain `retired`).
RETIRED_CARD_TAG = f"{TAG_ROOT}::retired"


def tag(namespace: str, value: str) -> str:
    return f"{TAG_ROOT}::{namespace}::{value}"


def note_key(technique: Technique, kind: NoteKind, item: Item, position: int) -> str:
    return f"{technique.id}/{kind.slug}/{item.id}" if item.id else f"{technique.id}/{kind.slug}/#{position}"


def note_guid(key: str) -> str:
    """The note's GUID: a hash of its stable key (never of its text)."""
    if key.startswith("guid:"):  # a note recovered from a built deck whose key is not known
        return key[5:]
    digest = hashlib.sha256(f"exporter-note:{key}".encode()).digest()
    return base64.urlsafe_b64encode(digest[:9]).decode("ascii")


def excerpt(text: str, limit: int = 48) -> str:
    """At most `limit` characters of text, cut at a word boundary (for retired cards)."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:—–- ") + "…"


def content_hash(*parts: Any) -> str:
    """A short, stable fingerprint of JSON-able values."""
    data = _COMPACT_JSON.encode(parts)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:20]


#: json.dumps(…, ensure_ascii=False, sort_keys=True, separators=(",", ":")), built once (the same
#: text: json.dumps builds this encoder on every call, which a deck of 100,000 notes feels).
_COMPACT_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"))


_MARKUP = re.compile(r"<[^>]*>")


def first_field_checksum(header: str) -> int:
    """Anki's duplicate check value: the first 8 hex digits of SHA-1 of the stripped first field."""
    text = html.unescape(_MARKUP.sub("", header)).strip()
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest()[:8], 16)


def text_print(text: str) -> str:
    """A fingerprint of one item's text (8 hex digits: enough to see that it moved)."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:8]


@dataclass(frozen=True)
class NoteVersion:
    """A note as it is shipped: what Anki receives, plus when it last changed."""

    key: str
    #: Id of the technique the note belongs to ("" when recovered from a built deck).
    technique: str
    deck: str
    tags: tuple[str, ...]
    fields: dict[str, str] = field(hash=False)
    mtime: int = FIRST_MTIME
    retired: bool = False
    #: The note type (MODEL_ID for step, phrase and warning notes; the kinds added later have their own).
    model: int = MODEL_ID
    #: The new card's place among all new cards (handbook order); not part of the content.
    due: int = field(default=0, compare=False)
    #: The item's own text, before the answer field marked or folded any of it ("" for notes not made
    #: from one item): the state's fingerprint of the answer is taken from it.
    answer_text: str = field(default="", compare=False)

    @cached_property
    def hash(self) -> str:
        if self.model != MODEL_ID:
            return content_hash(self.deck, list(self.tags), self.fields, self.model)
        return content_hash(self.deck, list(self.tags), self.fields)

    @cached_property
    def header_checksum(self) -> int:
        """Anki's duplicate check value of the first field (kept with the note, like its hash)."""
        return first_field_checksum(self.fields["Header"])

    def placed(self, mtime: int, due: int = 0) -> NoteVersion:
        """The same note with its change time and new-card place set (its fingerprint and
        checksum kept, not computed again: neither is part of the content). A copy of its
        fields, not dataclasses.replace: a deck places every note it ships."""
        moved: NoteVersion = object.__new__(NoteVersion)
        moved.__dict__.update(self.__dict__, mtime=mtime, due=due)
        return moved

    @property
    def plain_answer(self) -> str:
        """The answer as its item wrote it (the Answer field, for notes not made from one item)."""
        return self.answer_text or self.fields.get("Answer", "")
