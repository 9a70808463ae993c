"""The cards that practise the skill rather than the text: which technique fits a situation, the
order of a technique's steps, and its steps one at a time in context.

- A situation card shows one `when_to_use` item and asks which technique fits this moment; a
  situation written under several techniques is one card that names them all. They live in a
  deck of their own (the header must not name the technique it asks for).
- A step-order card lists a technique's steps in a fixed shuffled order, lettered (each step's
  first words), and asks for their order (answer: the letters, then each step whole, in order).
  Techniques of three steps or more.
- A step-sequence note is an overlapping cloze (SuperMemo's advice for sequences): one card per
  step, which shows the steps before it (their first words) and asks for the next (its answer is
  the step whole); later steps stay hidden. Techniques of five steps or more.
In a right-to-left library the letters of a step order read right to left too (A at the right).
Each kind has its `library.yaml` switch and its own note type (identity.PRACTICE_MODEL_ID,
SEQUENCE_MODEL_ID), so today's note type and notes are untouched.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from exporter.content.fronts import closed_quotes, first_sentence, plain, words_excerpt
from exporter.labels import Labels
from exporter.model import Item, Library, Technique
from exporter.text.languages import is_rtl_language
from exporter.writers.deck.identity import (
    PRACTICE_FIELDS,
    PRACTICE_MODEL_ID,
    SEQUENCE_MODEL_ID,
    SITUATION,
    STEP_ORDER,
    STEP_SEQUENCE,
    NoteKind,
    NoteVersion,
    excerpt,
    note_guid,
)
from exporter.writers.deck.notes import KeyOf, NoteMaker, deck_name, esc, note_tags

#: Words of each step a step-order card's front, or a step sequence's context, shows.
STEP_WORDS = 15
#: A step-order card for techniques with this many steps or more (two steps have no order to
#: learn), as far as letters go; step sequences from SEQUENCE_STEPS steps on.
ORDER_STEPS = 3
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SEQUENCE_STEPS = 5
#: Characters of a situation its card's header shows.
HEADER_CHARACTERS = 60


@dataclass(frozen=True)
class Switches:
    """Which of the later card kinds a library ships (library.yaml `settings`)."""

    situations: bool = True
    step_order: bool = True
    step_sequence: bool = True

    @classmethod
    def of(cls, library: Library) -> Switches:
        settings = library.settings
        return cls(settings.situation_cards_on, settings.step_order_cards_on, settings.step_sequence_cards_on)


@dataclass
class Situation:
    """One situation card: the text, the item it is keyed by, and every technique it names."""

    text: str
    item: Item
    position: int
    techniques: list[Technique] = field(default_factory=list)


def situations_by_technique(library: Library) -> dict[str, list[Situation]]:
    """The situation cards, each under the first technique (in handbook order) that lists it."""
    found: dict[str, Situation] = {}
    by_owner: dict[str, list[Situation]] = {}
    for technique in library.ordered_techniques():
        for position, item in enumerate(technique.when_to_use, 1):
            same = plain(item.text)
            if same in found:
                if technique not in found[same].techniques:
                    found[same].techniques.append(technique)
                continue
            situation = Situation(item.text, item, position, [technique])
            found[same] = situation
            by_owner.setdefault(technique.id, []).append(situation)
    return by_owner


def later_card_count(technique: Technique, situations: int, switches: Switches) -> int:
    """How many new cards the later kinds add for a technique (to number new cards in order)."""
    steps = len(technique.steps)
    count = situations if switches.situations else 0
    count += 1 if switches.step_order and ORDER_STEPS <= steps <= len(LETTERS) else 0
    return count + (steps if switches.step_sequence and steps >= SEQUENCE_STEPS else 0)


@dataclass
class PracticeMaker:
    """The later kinds' notes of one library."""

    library: Library
    labels: Labels
    switches: Switches
    key_of: KeyOf
    #: The key of a technique's note of a kind (technique id, kind slug -> key; continuity.whole_key).
    whole_key: Callable[[str, str], str]
    #: The situation headers given so far in this build.
    headers_used: set[str] = field(default_factory=set)

    def technique_notes(self, technique: Technique, situations: list[Situation]) -> Iterator[tuple[str, NoteVersion]]:
        order_key, sequence_key, _ = self.keys(technique, situations)
        yield from self.whole_notes(technique, order_key, sequence_key)
        yield from self.situation_notes(technique, situations)

    def whole_notes(self, technique: Technique, order_key: str, sequence_key: str) -> list[tuple[str, NoteVersion]]:
        """The technique's step-order and step-sequence notes (keys from keys(); "" for none):
        they depend on the technique, the library and their keys only."""
        maker = NoteMaker(self.library, technique, self.labels, self.key_of)
        notes = [self.step_order(maker, order_key)] if order_key else []
        return notes + ([self.step_sequence(maker, sequence_key)] if sequence_key else [])

    def situation_notes(self, technique: Technique, situations: list[Situation]) -> Iterator[tuple[str, NoteVersion]]:
        """The situation notes a technique owns (their headers depend on the ones made before)."""
        maker = NoteMaker(self.library, technique, self.labels, self.key_of)
        _, _, situation_keys = self.keys(technique, situations)
        for situation, key in zip(situations, situation_keys, strict=False):
            yield self.situation(maker, situation, key)

    def keys(self, technique: Technique, situations: list[Situation]) -> tuple[str, str, list[str]]:
        """The keys of a technique's notes of the later kinds ("" for a card it does not get)."""
        steps = len(technique.steps)
        order = self.switches.step_order and ORDER_STEPS <= steps <= len(LETTERS)
        sequence = self.switches.step_sequence and steps >= SEQUENCE_STEPS
        situation_keys = [
            self.key_of(situation.techniques[0], SITUATION, situation.item, situation.position)
            for situation in (situations if self.switches.situations else [])
        ]
        return (
            self.whole_key(technique.id, STEP_ORDER.slug) if order else "",
            self.whole_key(technique.id, STEP_SEQUENCE.slug) if sequence else "",
            situation_keys,
        )

    def step_order(self, maker: NoteMaker, key: str) -> tuple[str, NoteVersion]:
        technique = maker.technique
        steps = technique.steps
        shown = shuffled(technique)
        letter_of = {index: LETTERS[place] for place, index in enumerate(shown)}
        listed = "".join(f'<li><span class="xc-letter">{LETTERS[place]}</span>{esc(short_step(steps[index].text))}</li>'
                         for place, index in enumerate(shown))  # fmt: skip
        letters = [letter_of[index] for index in range(len(steps))]
        answer, marked = letter_sequence(letters, is_rtl_language(self.library.language))
        ordered = "".join(f"<li>{esc(step.text)}</li>" for step in steps)
        fields = {
            "Header": esc(self._header(maker, STEP_ORDER)),
            "Context": f'<ol class="xc-order-list">{listed}</ol>',
            "Prompt": esc(self.labels("deck.step_order_ask")),
            "Answer": f'<span class="xc-key">{marked}</span><ol>{ordered}</ol>',
        }
        return maker.keyed_note(STEP_ORDER, key, fields, PRACTICE_MODEL_ID, answer_text=answer)

    def step_sequence(self, maker: NoteMaker, key: str) -> tuple[str, NoteVersion]:
        technique = maker.technique
        lines = "".join(
            f'<span class="xc-step"><span class="xc-number">{number}.</span>'
            f"{{{{c{number}::{sequence_step(step.text)}}}}}</span>"
            for number, step in enumerate(technique.steps, 1)
        )
        fields = {
            "Header": esc(self._header(maker, STEP_SEQUENCE)),
            "Context": maker.labelled("deck.goal", esc(words_excerpt(first_sentence(technique.summary), 25))),
            "Text": lines,
        }
        return maker.keyed_note(STEP_SEQUENCE, key, fields, SEQUENCE_MODEL_ID, answer_text=technique.title)

    def situation(self, maker: NoteMaker, situation: Situation, key: str) -> tuple[str, NoteVersion]:
        owner = situation.techniques[0]
        titles = [technique.title for technique in situation.techniques]
        kind = self.labels("deck.kind.situation")
        fields = {name: "" for name in PRACTICE_FIELDS}
        fields.update(
            Header=sort_only_header(
                kind, self.labels("deck.header_situation", kind=kind, text=self._header_text(situation.text))
            ),
            Context=maker.labelled("deck.situation", esc(situation.text)),
            Prompt=esc(self.labels("deck.situation_ask")),
            Answer="<br>".join(esc(title) for title in titles),
            Technique=esc(" · ".join(titles)),
            Kind=esc(kind),
        )
        deck = deck_name(self.library.title, self.labels("deck.situations_deck"))
        version = NoteVersion(
            key=key,
            technique=owner.id,
            deck=deck,
            tags=note_tags(SITUATION, *situation.techniques),
            fields=fields,
            model=PRACTICE_MODEL_ID,
            answer_text=situation.text,
        )
        return note_guid(key), version

    def _header_text(self, text: str) -> str:
        """The situation's first words in its header (its whole text when those were taken), so
        that every header is unique without a number that shifts as situations come and go."""
        short = closed_quotes(excerpt(text, HEADER_CHARACTERS))
        if short in self.headers_used:
            short = " ".join(text.split())
        self.headers_used.add(short)
        return short

    def _header(self, maker: NoteMaker, kind: NoteKind) -> str:
        technique = maker.technique
        name = self.labels(f"deck.kind.{kind.label}")
        return self.labels("deck.header", category=technique.categories[0], technique=technique.title, kind=name)


def short_step(text: str) -> str:
    return words_excerpt(first_sentence(text), STEP_WORDS)


def cloze_text(text: str) -> str:
    """A step as the text of a cloze: escaped, and without "::" (which would start a cloze hint)."""
    return esc(text).replace(":", "&#58;")


def sequence_step(text: str) -> str:
    """A step in a step sequence's cloze: its first words where it is shown as the context of a
    later step, the whole step where it is the answer (the style shows one or the other)."""
    short, whole = short_step(text), " ".join(text.split())
    if short == whole:
        return cloze_text(whole)
    return f'<span class="xc-brief">{cloze_text(short)}</span><span class="xc-whole">{cloze_text(whole)}</span>'


def letter_sequence(letters: list[str], rtl: bool) -> tuple[str, str]:
    """The order of a step-order card's letters, as text and as HTML. Right to left, each letter
    is isolated (else "A ← C" would be laid out as one left-to-right run) and the arrows point left."""
    if not rtl:
        text = " → ".join(letters)
        return text, esc(text)
    return " ← ".join(letters), " ← ".join(f"<bdi>{esc(letter)}</bdi>" for letter in letters)


def sort_only_header(kind: str, header: str) -> str:
    """A situation card's header: the card kind shows; the situation after it, which the card's
    own box shows, is kept for Anki's card list and duplicate check only (hidden by the style)."""
    if not header.startswith(kind):
        return f'{esc(kind)}<span class="xc-sort-only">{esc(header)}</span>'
    return f'{esc(kind)}<span class="xc-sort-only">{esc(header[len(kind) :])}</span>'


def shuffled(technique: Technique) -> list[int]:
    """The steps' indexes in a fixed order that is not theirs (by a hash of each step's text, so
    the same steps are always listed alike; reversed when the hash keeps the real order)."""
    indexes = sorted(range(len(technique.steps)), key=lambda i: hashlib.sha256(
        f"{technique.id}:{i}:{plain(technique.steps[i].text)}".encode()).hexdigest())  # fmt: skip
    if indexes == sorted(indexes):
        indexes.reverse()
    return indexes
