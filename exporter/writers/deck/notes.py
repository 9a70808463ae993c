"""What each Anki note asks and answers: one question with one right answer per item.

Design (minimum-information principle: a front a trainee can grade as right or wrong):
- a step card gives the technique's goal and the previous step and asks what comes next
  (step 1: how the technique begins); the step's own `cue`, if any, is an extra hint;
- a phrase card gives the situation (the item's `cue`); without one it gives the technique's
  goal and asks for the only item of its kind as "the key phrase", or for one of several by its
  opening words ("Complete: “Help me …”");
- a warning card gives the situation (`cue`) and asks for the mistake and its reason; it never
  shows the warning's text. Without a cue it gives the goal and asks by position (the learning
  lint tells the author to add a cue).
Every note's first field (the header) is unique: category, technique, kind and position.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from exporter.labels import Labels
from exporter.model import Item, Library, Technique
from exporter.writers.deck.identity import (
    FIELDS,
    PHRASE_KINDS,
    STEP,
    WARNING,
    NoteKind,
    NoteVersion,
    note_guid,
    note_key,
)

#: Opening words shown to tell several cue-less phrases apart: enough to pick one, not the phrase.
HINT_WORDS = 2
MAX_HINT_WORDS = 5


def esc(text: str) -> str:
    """Content text as inert HTML: no tags, no template fields or clozes ({{…}}), no [sound:…]."""
    text = html.escape(text, quote=True)
    if "{" in text or "}" in text or "[" in text or "]" in text:  # str.replace is much faster than translate
        text = text.replace("{", "&#123;").replace("}", "&#125;").replace("[", "&#91;").replace("]", "&#93;")
    return text.replace("\n", "<br>")


def first_sentence(text: str) -> str:
    """The text up to the end of its first sentence (the whole text if it has one sentence)."""
    text = " ".join(text.split())
    return re.split(r"(?<=[.!?])\s+(?=[^\s])", text, maxsplit=1)[0]


def slug(text: str) -> str:
    """A tag-safe form of a name: lowercase words joined by '-' (no spaces, no '::')."""
    return "-".join(re.findall(r"\w+", text.casefold())) or "x"


def deck_name(*parts: str) -> str:
    # "::" nests decks in Anki; a title that contains it, or starts or ends with ":", must stay one level.
    return "::".join(_deck_level(part) for part in parts)


def _deck_level(part: str) -> str:
    return " ".join(re.sub(":{2,}", ":", part).split()).strip(": ") or "-"


def opening_words(texts: list[str]) -> list[str]:
    """For each text, its first few words: as few as tell it apart from the others."""
    words = [text.split() for text in texts]
    hints = []
    for index, own in enumerate(words):
        count = HINT_WORDS
        others = [w for j, w in enumerate(words) if j != index]
        while count < min(MAX_HINT_WORDS, len(own) - 1) and any(w[:count] == own[:count] for w in others):
            count += 1
        hints.append(" ".join(own[: max(1, min(count, len(own) - 1))]))
    return hints


#: The key of an item's note: (technique, kind, item, its 1-based position) -> key.
KeyOf = Callable[[Technique, NoteKind, Item, int], str]


@dataclass(frozen=True)
class _Maker:
    library: Library
    technique: Technique
    labels: Labels
    key_of: KeyOf = note_key

    @property
    def deck(self) -> str:
        return deck_name(self.library.title, self.technique.categories[0], self.technique.title)

    def header(self, kind: NoteKind, number: int, total: int) -> str:
        category, technique = self.technique.categories[0], self.technique.title
        name = self.labels(f"deck.kind.{kind.label}")
        if total == 1:
            return esc(self.labels("deck.header", category=category, technique=technique, kind=name))
        return esc(
            self.labels(
                "deck.header_numbered", category=category, technique=technique, kind=name, number=number, total=total
            )
        )

    @property
    def goal(self) -> str:
        """The technique's goal (its summary's first sentence), the context of a card without a cue."""
        return self.labelled("deck.goal", esc(first_sentence(self.technique.summary)))

    def labelled(self, key: str, text: str) -> str:
        return f'<span class="xc-label">{esc(self.labels(key))}</span> {text}'

    def note(self, kind: NoteKind, item: Item, position: int, fields: dict[str, str]) -> tuple[str, NoteVersion]:
        technique = self.technique
        key = self.key_of(technique, kind, item, position)
        full = {name: "" for name in FIELDS}
        full.update(Technique=esc(technique.title), Kind=esc(self.labels(f"deck.kind.{kind.label}")), **fields)
        tags = tuple(sorted({technique.id, kind.slug, *(slug(name) for name in technique.categories)}))
        version = NoteVersion(key=key, technique=technique.id, deck=self.deck, tags=tags, fields=full)
        return note_guid(key), version


def technique_notes(
    library: Library, technique: Technique, labels: Labels, key_of: KeyOf = note_key
) -> list[tuple[str, NoteVersion]]:
    """The notes of one technique in handbook order: steps, phrases, warnings (keys: key_of)."""
    maker = _Maker(library, technique, labels, key_of)
    notes = step_notes(maker)
    for kind in PHRASE_KINDS:
        notes += phrase_notes(maker, kind)
    return notes + warning_notes(maker)


def step_notes(maker: _Maker) -> list[tuple[str, NoteVersion]]:
    steps = maker.technique.steps
    goal = maker.goal
    entries = [esc(first_sentence(step.text)) for step in steps]
    notes = []
    for index, item in enumerate(steps):
        context = goal
        if index:
            context += "<br>" + maker.labelled("deck.previous_step", esc(steps[index - 1].text))
        if item.cue:
            context += "<br>" + maker.labelled("deck.hint", esc(item.cue))
        fields = {
            "Header": maker.header(STEP, index + 1, len(steps)),
            "Context": context,
            "Prompt": esc(maker.labels("deck.next_step" if index else "deck.first_step")),
            "Answer": esc(item.text),
            "StepMap": step_map(entries, index),
        }
        notes.append(maker.note(STEP, item, index + 1, fields))
    return notes


def phrase_notes(maker: _Maker, kind: NoteKind) -> list[tuple[str, NoteVersion]]:
    items = maker.technique.items(kind.section)
    hints = opening_words([item.text for item in items])
    notes = []
    for index, item in enumerate(items):
        if item.cue:
            context, prompt = maker.labelled("deck.situation", esc(item.cue)), maker.labels(f"deck.{kind.label}_ask")
        elif len(items) == 1:
            context, prompt = maker.goal, maker.labels(f"deck.{kind.label}_only")
        else:
            context, prompt = maker.goal, maker.labels(f"deck.{kind.label}_begins", start=hints[index])
        fields = {
            "Header": maker.header(kind, index + 1, len(items)),
            "Context": context,
            "Prompt": esc(prompt),
            "Answer": esc(item.text),
        }
        notes.append(maker.note(kind, item, index + 1, fields))
    return notes


def warning_notes(maker: _Maker) -> list[tuple[str, NoteVersion]]:
    warnings = maker.technique.warnings
    source = ""
    if maker.technique.sources:
        sources = "<br>".join(esc(text) for text in maker.technique.sources)
        source = maker.labelled("deck.source", sources)
    notes = []
    for index, item in enumerate(warnings):
        if item.cue:
            context, prompt = maker.labelled("deck.situation", esc(item.cue)), maker.labels("deck.warning_ask")
        elif len(warnings) == 1:
            context, prompt = maker.goal, maker.labels("deck.warning_only")
        else:
            context = maker.goal
            prompt = maker.labels("deck.warning_numbered", number=index + 1, total=len(warnings))
        fields = {
            "Header": maker.header(WARNING, index + 1, len(warnings)),
            "Context": context,
            "Prompt": esc(prompt),
            "Answer": esc(item.text),
            "Source": source,
        }
        notes.append(maker.note(WARNING, item, index + 1, fields))
    return notes


def step_map(entries: list[str], current: int) -> str:
    """Every step in its first sentence (whole when it is one, escaped already), the current one marked."""
    marked = [f'<li class="xc-current">{entry}</li>' if index == current else f"<li>{entry}</li>"
              for index, entry in enumerate(entries)]  # fmt: skip
    return "<ol>" + "".join(marked) + "</ol>"
