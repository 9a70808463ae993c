"""The neutral model every writer reads: a Library of Techniques. No I/O here."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from exporter.labels import Labels, Overrides, labels_for
from exporter.options import DEFAULT_CARD_SIZE, DEFAULT_CHAPTER_START, DEFAULT_DUPLEX, DEFAULT_PAPER, switched_on

#: The list sections of a technique, in the order a catalogue page shows them.
LIST_FIELDS: tuple[str, ...] = (
    "steps",
    "when_to_use",
    "key_phrases",
    "follow_up_questions",
    "alternative_phrasings",
    "warnings",
)

#: Headings a person reads for each list section (handbook, cards, importer).
SECTION_TITLES: dict[str, str] = {
    "summary": "Summary",
    "steps": "Step-by-step guide",
    "when_to_use": "When to use",
    "key_phrases": "Key phrases",
    "follow_up_questions": "Follow-up questions",
    "alternative_phrasings": "Alternative phrasings",
    "warnings": "Warnings",
    "sources": "Sources",
    "similar": "Similar techniques",
}

PHRASE_FIELDS: tuple[str, ...] = ("key_phrases", "follow_up_questions", "alternative_phrasings")


@dataclass(frozen=True, slots=True)
class Item:
    """One entry of a list section: a step, a phrase, a warning...

    `id` is the stable key the Anki deck uses for the note (when absent, the position is
    used); `cue` is an optional prompt for the flashcard; `line` is where it was written.
    """

    text: str
    id: str | None = None
    cue: str | None = None
    line: int = 0


@dataclass(frozen=True, slots=True)
class Category:
    name: str
    icon: str = ""
    colour: str = "#4a6fa5"
    #: Lines of the entry and of its fields in library.yaml ("name", "icon"), for messages.
    line: int = field(default=0, compare=False)
    field_lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class Settings:
    """Output settings a library may set; command-line flags override them."""

    paper: str = DEFAULT_PAPER
    card_size: str = DEFAULT_CARD_SIZE
    duplex: str = DEFAULT_DUPLEX
    #: Where handbook chapters start: any new page, a right-hand page, or straight on.
    chapter_start: str = DEFAULT_CHAPTER_START
    #: The flash-card kinds a library may switch off ("on"/"off", also yes/no, true/false).
    situation_cards: str = "on"
    step_order_cards: str = "on"
    step_sequence_cards: str = "on"

    @property
    def situation_cards_on(self) -> bool:
        return switched_on(self.situation_cards)

    @property
    def step_order_cards_on(self) -> bool:
        return switched_on(self.step_order_cards)

    @property
    def step_sequence_cards_on(self) -> bool:
        return switched_on(self.step_sequence_cards)


@dataclass(frozen=True, slots=True)
class Technique:
    id: str
    title: str
    categories: tuple[str, ...]
    summary: str
    steps: tuple[Item, ...]
    when_to_use: tuple[Item, ...] = ()
    key_phrases: tuple[Item, ...] = ()
    follow_up_questions: tuple[Item, ...] = ()
    alternative_phrasings: tuple[Item, ...] = ()
    warnings: tuple[Item, ...] = ()
    sources: tuple[str, ...] = ()
    similar: tuple[str, ...] = ()
    #: The file it was read from, for messages ("content/techniques/x.yaml").
    path: str = ""
    #: Line of each top-level field in that file, for messages.
    field_lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)

    def items(self, field_name: str) -> tuple[Item, ...]:
        value: tuple[Item, ...] = getattr(self, field_name)
        return value

    def line_of(self, field_name: str) -> int:
        return self.field_lines.get(field_name, 1)

    def line_of_text(self, field_path: str) -> int:
        """The line of a field path as texts() names it ("steps[2]", "steps[2].cue", "title")."""
        name, _, rest = field_path.partition("[")
        if rest and name in LIST_FIELDS:
            index = int(rest.split("]")[0])
            items = self.items(name)
            if index < len(items) and items[index].line:
                return items[index].line
        return self.line_of(name)

    def texts(self) -> Iterator[tuple[str, str]]:
        """Every piece of text in the technique as (field path, text), for glyph checks."""
        yield "title", self.title
        yield "summary", self.summary
        for name in LIST_FIELDS:
            for index, item in enumerate(self.items(name)):
                yield f"{name}[{index}]", item.text
                if item.cue:
                    yield f"{name}[{index}].cue", item.cue
        for index, source in enumerate(self.sources):
            yield f"sources[{index}]", source


@dataclass(frozen=True, slots=True)
class Session:
    """One meeting of a course: its techniques, in the order they are taught."""

    title: str
    techniques: tuple[str, ...]
    #: YYYY-MM-DD, or "" when not fixed yet.
    date: str = ""
    line: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Course:
    """A course an organiser runs from content/courses/<id>.yaml: sessions for a named group."""

    id: str
    title: str
    trainer: str
    group: str
    sessions: tuple[Session, ...]
    #: The trainees' names, in the order the roster lists them.
    roster: tuple[str, ...] = ()
    path: str = ""
    field_lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    #: The line of each roster entry (in the course file, or in the roster's CSV file).
    roster_lines: tuple[int, ...] = field(default=(), compare=False)

    def technique_ids(self) -> tuple[str, ...]:
        """Every technique of the course, in session order."""
        return tuple(technique_id for session in self.sessions for technique_id in session.techniques)

    def year(self) -> str:
        """The year of the last dated session ("" when no session has a date)."""
        dates = [session.date for session in self.sessions if session.date]
        return max(dates)[:4] if dates else ""

    def texts(self) -> Iterator[tuple[str, str]]:
        """Every text the course prints, as (field path, text), for glyph checks."""
        yield "title", self.title
        yield "trainer", self.trainer
        yield "group", self.group
        for index, session in enumerate(self.sessions):
            yield f"sessions[{index}].title", session.title
        for index, name in enumerate(self.roster):
            yield f"roster[{index}]", name

    def line_of_text(self, field_path: str) -> int:
        name, _, rest = field_path.partition("[")
        index = int(rest.split("]")[0]) if rest else -1
        if name == "sessions" and 0 <= index < len(self.sessions) and self.sessions[index].line:
            return self.sessions[index].line
        if name == "roster" and 0 <= index < len(self.roster_lines):
            return self.roster_lines[index]
        return self.field_lines.get(name, 1)


@dataclass(frozen=True, slots=True)
class Library:
    title: str
    disclaimer: str
    categories: tuple[Category, ...]
    techniques: tuple[Technique, ...]
    subtitle: str = ""
    organisation: str = ""
    language: str = "en"
    edition: str = ""
    #: One line for page footers; defaults to the disclaimer's first sentence.
    short_disclaimer: str = ""
    settings: Settings = Settings()
    path: str = ""
    #: library.yaml's `labels:` overrides of the label catalogue, as (key, text) pairs.
    label_overrides: Overrides = ()
    #: Line of each top-level field in library.yaml, for messages.
    field_lines: dict[str, int] = field(default_factory=dict, compare=False, hash=False)
    #: The courses of content/courses/ (exporter.content.courses), by id.
    courses: tuple[Course, ...] = ()

    def labels(self) -> Labels:
        """The words the outputs print themselves, in the library's language."""
        return labels_for(self.language, self.label_overrides)

    def technique(self, technique_id: str) -> Technique:
        for technique in self.techniques:
            if technique.id == technique_id:
                return technique
        raise KeyError(technique_id)

    def course(self, course_id: str) -> Course:
        for course in self.courses:
            if course.id == course_id:
                return course
        raise KeyError(course_id)

    def category(self, name: str) -> Category:
        for category in self.categories:
            if category.name == name:
                return category
        raise KeyError(name)

    def footer_disclaimer(self) -> str:
        if self.short_disclaimer:
            return self.short_disclaimer
        first = self.disclaimer.split(". ")[0].strip()
        return first if first.endswith(".") else first + "."

    def chapters(self) -> list[tuple[Category, list[Technique]]]:
        """Techniques grouped by their first category, in handbook order.

        Categories keep the order library.yaml declares; techniques inside one are sorted
        by title as a reader of the library's language expects ("Technique 2" before
        "Technique 10", exporter.text.collation). Every writer uses this order, so page n of the
        handbook, card n of the sheet and the n-th technique of the deck agree.
        """
        from exporter.text.collation import collation_key

        by_title = collation_key(self.language)
        groups: list[tuple[Category, list[Technique]]] = []
        for category in self.categories:
            members = [t for t in self.techniques if t.categories and t.categories[0] == category.name]
            members.sort(key=lambda t: (by_title(t.title), t.id))
            if members:
                groups.append((category, members))
        return groups

    def ordered_techniques(self) -> list[Technique]:
        return [t for _, members in self.chapters() for t in members]

    def subset(self, technique_ids: set[str] | None, category_names: set[str] | None) -> Library:
        """The library restricted to some techniques and/or categories (both: either matches)."""
        if not technique_ids and not category_names:
            return self
        chosen = tuple(
            t
            for t in self.techniques
            if (technique_ids and t.id in technique_ids) or (category_names and set(t.categories) & category_names)
        )
        kept = {t.id for t in chosen}
        trimmed = tuple(_replace_similar(t, tuple(s for s in t.similar if s in kept)) for t in chosen)
        return replace(self, techniques=trimmed)


def _replace_similar(technique: Technique, similar: tuple[str, ...]) -> Technique:
    from dataclasses import replace

    return replace(technique, similar=similar)
