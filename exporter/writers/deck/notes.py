"""What each Anki note asks and answers: one question with one right answer per item.

The questions themselves (which context, which prompt, which part of the answer is graded) come
from exporter.content.fronts, the definition the learning lint judges too; this module renders
them as the note's fields:
- the context's parts, each under its label (goal, previous step, hint, situation, mistake);
- the prompt, from the labels;
- the answer, with the graded part marked when it is not the whole answer, and the rest of a
  long answer folded away under "more" (so no side grows taller than a phone can show);
- for steps, the map of every step with the current one marked; for warnings, the sources.
Every note's first field (the header) is unique: category, technique, kind and position.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from exporter.content.fronts import MAX_IDEA_WORDS, first_sentence, technique_fronts, words_excerpt
from exporter.labels import Labels
from exporter.model import Item, Library, Technique
from exporter.text.languages import is_rtl_language
from exporter.writers.deck.identity import (
    FIELDS_OF_MODEL,
    MODEL_ID,
    PHRASE_KINDS,
    STEP,
    WARNING,
    NoteKind,
    NoteVersion,
    note_guid,
    note_key,
    tag,
)


def esc(text: str) -> str:
    """Content text as inert HTML: no tags, no template fields or clozes ({{…}}), no [sound:…]."""
    text = html.escape(text, quote=True)
    if "{" in text or "}" in text or "[" in text or "]" in text:  # str.replace is much faster than translate
        text = text.replace("{", "&#123;").replace("}", "&#125;").replace("[", "&#91;").replace("]", "&#93;")
    return text.replace("\n", "<br>")


def slug(text: str) -> str:
    """A tag-safe form of a name: lowercase words joined by '-' (no spaces, no '::')."""
    return "-".join(re.findall(r"\w+", text.casefold())) or "x"


def deck_name(*parts: str) -> str:
    # "::" nests decks in Anki; a title that contains it, or starts or ends with ":", must stay one level.
    return "::".join(_deck_level(part) for part in parts)


def _deck_level(part: str) -> str:
    return " ".join(re.sub(":{2,}", ":", part).split()).strip(": ") or "-"


#: The key of an item's note: (technique, kind, item, its 1-based position) -> key.
KeyOf = Callable[[Technique, NoteKind, Item, int], str]


@dataclass(frozen=True)
class NoteMaker:
    library: Library
    technique: Technique
    labels: Labels
    key_of: KeyOf = note_key
    #: What every note of the technique repeats, made once: label headings and escaped words by
    #: label key, tags by kind.
    spans: dict[str, str] = field(default_factory=dict, compare=False)
    words: dict[str, str] = field(default_factory=dict, compare=False)
    tags: dict[str, tuple[str, ...]] = field(default_factory=dict, compare=False)

    @cached_property
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

    def labelled(self, key: str, text: str) -> str:
        span = self.spans.get(key)
        if span is None:
            span = self.spans[key] = f'<span class="xc-label">{esc(self.labels(key))}</span>'
        return f"{span} {text}"

    def note(self, kind: NoteKind, item: Item, position: int, fields: dict[str, str]) -> tuple[str, NoteVersion]:
        key = self.key_of(self.technique, kind, item, position)
        return self.keyed_note(kind, key, fields, answer_text=item.text)

    def keyed_note(
        self, kind: NoteKind, key: str, fields: dict[str, str], model: int = MODEL_ID, answer_text: str = ""
    ) -> tuple[str, NoteVersion]:
        technique = self.technique
        full = dict.fromkeys(FIELDS_OF_MODEL[model], "")
        full.update(Technique=self.escaped_title, Kind=self._kind_name(kind), **fields)
        tags = self.tags.get(kind.slug)
        if tags is None:
            tags = self.tags[kind.slug] = note_tags(kind, technique)
        version = NoteVersion(
            key=key,
            technique=technique.id,
            deck=self.deck,
            tags=tags,
            fields=full,
            model=model,
            answer_text=answer_text,
        )
        return note_guid(key), version

    @cached_property
    def escaped_title(self) -> str:
        return esc(self.technique.title)

    def _kind_name(self, kind: NoteKind) -> str:
        key = f"deck.kind.{kind.label}"
        name = self.words.get(key)
        if name is None:
            name = self.words[key] = esc(self.labels(key))
        return name


def note_tags(kind: NoteKind, *techniques: Technique) -> tuple[str, ...]:
    """exporter::kind::…, exporter::technique::… and exporter::category::… (namespaced, so that a
    trainee's search finds this deck's cards only; tags are not part of a note's identity)."""
    names = {tag("kind", kind.slug)}
    for technique in techniques:
        names.add(tag("technique", technique.id))
        names.update(tag("category", slug(name)) for name in technique.categories)
    return tuple(sorted(names))


def technique_notes(
    library: Library, technique: Technique, labels: Labels, key_of: KeyOf = note_key
) -> list[tuple[str, NoteVersion]]:
    """The notes of one technique in handbook order: steps, phrases, warnings (keys: key_of)."""
    maker = NoteMaker(library, technique, labels, key_of)
    steps = technique.steps
    entries = [esc(words_excerpt(first_sentence(step.text), MAX_IDEA_WORDS)) for step in steps]
    source = ""
    if technique.sources:
        source = maker.labelled("deck.source", "<br>".join(cited(text, library) for text in technique.sources))
    notes = []
    for front in technique_fronts(technique):
        kind = _KIND_OF_SECTION[front.section]
        items = technique.items(front.section)
        item = items[front.index]
        fields = {
            "Header": maker.header(kind, front.index + 1, len(items)),
            "Context": "<br>".join(maker.labelled(f"deck.{part.label}", esc(part.text)) for part in front.context),
            "Prompt": esc(labels(f"deck.{front.prompt}", start=front.start)),
            "Answer": answer_html(front.answer, front.key, labels("deck.more")),
        }
        if kind is STEP:
            fields["StepMap"] = step_map(entries, front.index)
        elif kind is WARNING:
            fields["Source"] = source
        notes.append(maker.note(kind, item, front.index + 1, fields))
    return notes


def cited(source: str, library: Library) -> str:
    """A source as a card shows it. In a right-to-left card a reference keeps its own direction
    (an English one ends with its full stop, at its right)."""
    return f"<bdi>{esc(source)}</bdi>" if is_rtl_language(library.language) else esc(source)


_KIND_OF_SECTION = {kind.section: kind for kind in (STEP, *PHRASE_KINDS, WARNING)}


def answer_html(answer: str, key: str, more: str) -> str:
    """The answer as the back shows it: whole when it is all graded; else with the graded part
    marked, and what follows it folded under `more` when the answer is longer than one idea."""
    text = " ".join(answer.split())
    at = text.find(key) if key else -1
    if key == text or at < 0:
        return esc(answer)
    before, after = text[:at], text[at + len(key) :]
    marked = f'{esc(before)}<span class="xc-key">{esc(key)}</span>'
    if len(text.split()) > MAX_IDEA_WORDS and after.strip():
        return marked + f'<details class="xc-more"><summary>{esc(more)}</summary>{esc(after)}</details>'
    return marked + esc(after)


def step_map(entries: list[str], current: int) -> str:
    """Every step in its first sentence (whole when it is one, escaped already), the current one marked."""
    marked = [f'<li class="xc-current">{entry}</li>' if index == current else f"<li>{entry}</li>"
              for index, entry in enumerate(entries)]  # fmt: skip
    return "<ol>" + "".join(marked) + "</ol>"
