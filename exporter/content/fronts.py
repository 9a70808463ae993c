"""What each flash card of a technique asks and what it is graded on, as plain text.

The one definition of "the front of this card": the deck writer (writers/deck/notes.py) renders
these fronts, and the learning lint judges them, so what the lint passes is what a trainee sees.

Each item of a list becomes one front with one gradable answer (the minimum-information principle):
- a step: the technique's goal and the step before it (its key part), the step's cue as a hint;
  the answer is the step;
- a phrase with a `cue`: the situation; without one, its opening words to complete (as few as
  tell it apart from the others of its kind): the answer is the rest of the phrase;
- a warning with a `cue`: the situation, asking for the mistake and its reason; without one, the
  mistake, asking why it is one (the answer is the reason); a cue-less warning without a reason
  is asked by its opening words, like a phrase.
An answer longer than MAX_IDEA_WORDS words is graded on its key part (its first sentence, or its
first MAX_IDEA_WORDS words); the deck marks that part and folds the rest away.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from exporter.model import PHRASE_FIELDS, Item, Technique

#: About what a person says in one breath and holds in working memory at once (two lines on a
#: phone card); a longer answer is graded on its key part, and the lint asks to shorten it.
MAX_IDEA_WORDS = 25
#: Opening words shown to tell several cue-less phrases apart: enough to pick one, not the phrase.
HINT_WORDS = 2
MAX_HINT_WORDS = 5
#: Warnings open alike ("Do not …"): their opening words start at three.
WARNING_HINT_WORDS = 3
#: A front shows at most this many words of the goal or of the step before (its key part).
CONTEXT_WORDS = MAX_IDEA_WORDS

#: Label keys of the labelled parts of a front (the deck prints the label above each part).
GOAL, PREVIOUS_STEP, HINT, SITUATION, MISTAKE = "goal", "previous_step", "hint", "situation", "mistake"


@dataclass(frozen=True)
class Part:
    """One labelled piece of a front's context: the label's key (deck.<label>) and the text."""

    label: str
    text: str


@dataclass(frozen=True)
class Front:
    """What one card shows before the answer, the answer on its back, and the part that is graded."""

    section: str
    index: int
    context: tuple[Part, ...]
    #: The prompt's label key under deck. ("next_step", "key_phrase_begins", ...).
    prompt: str
    #: The opening words a completion prompt shows ("" when it is not a completion).
    start: str
    #: The whole text the back shows.
    answer: str
    #: The part of the answer the trainee is graded on (the whole answer, or a part of it).
    key: str

    @property
    def asks(self) -> tuple[tuple[Part, ...], str, str]:
        """What makes two fronts the same question (the card's header aside)."""
        return self.context, self.prompt, self.start

    def shown(self) -> str:
        """Every word of content the front shows."""
        return " ".join([*(part.text for part in self.context), self.start])


def words_excerpt(text: str, limit: int) -> str:
    """The text's first `limit` words (with "…" when it had more, and the closing marks of any
    quotation the cut leaves open: `Say: "Something seems to have …"`)."""
    words = text.split()
    if len(words) <= limit:
        return " ".join(words)
    kept = words[:limit]
    while len(kept) > 1 and all(char in _OPENING_QUOTES for char in kept[-1]):  # a quote that opens on the cut
        kept.pop()
    cut = " ".join(kept).rstrip(",;:—–-")
    return f"{cut} …{open_quotes(cut)}"


#: Each opening quotation mark and the marks that close it („ closes with “ in German, ” in
#: Polish and Hebrew; » opens in Danish and closes in French).
_QUOTE_CLOSERS = {
    '"': '"',
    "“": "”",
    "„": "“”",
    "‚": "‘’",
    "‘": "’",
    "«": "»",
    "»": "«",
    "‹": "›",
    "「": "」",
    "『": "』",
}
_OPENING_QUOTES = frozenset(_QUOTE_CLOSERS)
_QUOTE_MARK = re.compile("[" + re.escape("".join({*_QUOTE_CLOSERS, *"".join(_QUOTE_CLOSERS.values())})) + "]")


def open_quotes(text: str) -> str:
    """The closing marks of the quotations text opens and does not close, innermost first ("" when
    none). A straight double quote between two letters or digits is no quotation (צה"ל, 5"2)."""
    if _QUOTE_MARK.search(text) is None:
        return ""
    expected: list[str] = []
    for match in _QUOTE_MARK.finditer(text):
        mark, at = match.group(), match.start()
        if mark == '"' and 0 < at < len(text) - 1 and text[at - 1].isalnum() and text[at + 1].isalnum():
            continue
        if expected and mark in expected[-1]:
            expected.pop()
        elif mark in _QUOTE_CLOSERS:
            expected.append(_QUOTE_CLOSERS[mark])
    return "".join(closers[0] for closers in reversed(expected))


def closed_quotes(text: str) -> str:
    """A shortened text with the quotations it leaves open closed."""
    return text + open_quotes(text)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[^\s])")
_REASON_START = re.compile(r"\s[—–-]\s|\s(?=because\b)|[.!?:;]\s")


def first_sentence(text: str) -> str:
    """The text up to the end of its first sentence (the whole text if it has one sentence); a
    sentence quoted inside it does not end it (`Say: "I hear you. Go on." Then wait.`)."""
    text = " ".join(text.split())
    first = _SENTENCE_END.split(text, maxsplit=1)[0]
    if len(first) == len(text) or not open_quotes(first):
        return first
    for end in _SENTENCE_END.finditer(text):
        if not open_quotes(text[: end.start()]):
            return text[: end.start()]
    return text


def key_part(text: str) -> str:
    """What a card with this answer is graded on: the whole text when it is one idea, else its
    first sentence when that is, else its first MAX_IDEA_WORDS words."""
    words = text.split()
    if len(words) <= MAX_IDEA_WORDS:
        return " ".join(words)
    sentence = first_sentence(text)
    if sentence.count(" ") < MAX_IDEA_WORDS:
        return sentence
    return " ".join(words[:MAX_IDEA_WORDS])


def key_excerpt(text: str) -> str:
    """A text's key part as a front's context shows it: a whole text or sentence as it is, the
    first words of a longer one as words_excerpt shortens them ("…", quotations closed)."""
    whole = " ".join(text.split())
    key = key_part(whole)
    if key in (whole, first_sentence(whole)):
        return words_excerpt(key, CONTEXT_WORDS)
    return words_excerpt(whole, CONTEXT_WORDS)


def opening_words(texts: list[str], least: int = HINT_WORDS) -> list[str]:
    """For each text, its first few words: about two fifths of it (a cue that points at one
    phrasing), and more where that does not tell it apart from the others."""
    words = [text.split() for text in texts]
    hints = []
    for index, own in enumerate(words):
        count = max(least, min(MAX_HINT_WORDS, len(own) * 2 // 5))  # two words of "I can …" fit many phrasings
        others = [w for j, w in enumerate(words) if j != index]
        while count < min(MAX_HINT_WORDS, len(own) - 1) and any(w[:count] == own[:count] for w in others):
            count += 1
        hints.append(" ".join(own[: max(1, min(count, len(own) - 1))]).rstrip(" ,;:—–-") or own[0])
    return hints


def split_warning(warning: str) -> tuple[str, str]:
    """A warning's mistake and its reason ("" when no reason follows a dash, "because", a
    semicolon or the end of a sentence). The reason keeps its "because"."""
    text = " ".join(warning.split())
    match = _REASON_START.search(text)
    if match is None:
        return text, ""
    mistake = text[: match.start()].rstrip(" ,;:—–-")
    reason = text[match.end() :].strip(" ,;:—–-")
    if match.group()[0] in ".!?":
        mistake = text[: match.start() + 1]
    return mistake, reason


def mistake_of(warning: str) -> str:
    """A warning's mistake: the text before its reason."""
    return split_warning(warning)[0]


def goal_part(technique: Technique) -> Part:
    """The technique's goal (its summary's first sentence), the context of a card without a cue."""
    return Part(GOAL, words_excerpt(first_sentence(technique.summary), CONTEXT_WORDS))


def technique_fronts(technique: Technique) -> Iterator[Front]:
    """Every item card of a technique in handbook order: steps, phrases, warnings."""
    goal = goal_part(technique)
    yield from step_fronts(technique, goal)
    for section in PHRASE_FIELDS:
        yield from phrase_fronts(technique, section, goal)
    yield from warning_fronts(technique, goal)


def step_fronts(technique: Technique, goal: Part | None = None) -> Iterator[Front]:
    steps = technique.steps
    goal = goal or goal_part(technique)
    for index, item in enumerate(steps):
        context = [goal]
        if index:
            context.append(Part(PREVIOUS_STEP, key_excerpt(steps[index - 1].text)))
        if item.cue:
            context.append(Part(HINT, item.cue))
        prompt = "next_step" if index else "first_step"
        yield Front("steps", index, tuple(context), prompt, "", item.text, key_part(item.text))


def phrase_fronts(technique: Technique, section: str, goal: Part | None = None) -> Iterator[Front]:
    items = technique.items(section)
    goal = goal or goal_part(technique)
    label = section[:-1]  # key_phrases -> key_phrase
    starts = opening_words([item.text for item in items])
    for index, item in enumerate(items):
        if item.cue:
            yield Front(
                section, index, (Part(SITUATION, item.cue),), f"{label}_ask", "", item.text, key_part(item.text)
            )
        else:
            yield _completion(goal, section, index, item, f"{label}_begins", starts[index])


def warning_fronts(technique: Technique, goal: Part | None = None) -> Iterator[Front]:
    warnings = technique.warnings
    goal = goal or goal_part(technique)
    starts = opening_words([item.text for item in warnings], WARNING_HINT_WORDS)
    for index, item in enumerate(warnings):
        text = " ".join(item.text.split())
        mistake, reason = split_warning(text)
        if item.cue:
            yield Front("warnings", index, (Part(SITUATION, item.cue),), "warning_ask", "", item.text, key_part(text))
        elif reason:
            yield Front("warnings", index, (Part(MISTAKE, mistake),), "warning_why", "", item.text, key_part(reason))
        else:
            yield _completion(goal, "warnings", index, item, "warning_begins", starts[index])


def _completion(goal: Part, section: str, index: int, item: Item, prompt: str, start: str) -> Front:
    """A card that shows the goal and the item's opening words: the answer is the rest."""
    text = " ".join(item.text.split())
    rest = text[len(start) :].strip()
    return Front(section, index, (goal,), prompt, start, item.text, key_part(rest))


def plain(text: str) -> str:
    """Text reduced to its words, for "does the front show the answer" (case, marks, spacing aside)."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def gives_itself_away(front: Front) -> bool:
    """The front shows the whole graded part of its answer (or there is nothing left to grade)."""
    key = plain(front.key)
    return not key or f" {key} " in f" {plain(front.shown())} "
