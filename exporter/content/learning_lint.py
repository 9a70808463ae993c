"""The learning lint: content that would make flashcards a trainee cannot grade.

`exporter validate`, `deck` and `build` run it (warnings; errors under --strict). It judges the
cards as the deck makes them: exporter.content.fronts is the one definition of what each card
shows and what it is graded on. Each rule follows the minimum information principle: one card,
one question, one right answer that fits in the mind at once.

- Same front: two items whose cards would show the same thing (two items with the same cue, two
  steps after the same step, cue-less phrases that open with the same words, warnings with the
  same mistake).
- A front that shows its own answer: a step whose text the step before it already holds; an item
  too short to be asked by its opening words; a situation that names its technique.
- Too long for one idea: a step or phrase over MAX_IDEA_WORDS words, or one that lists four or
  more things; a warning (mistake and reason) over MAX_WARNING_WORDS; a cue too long to read at
  a glance.
- A warning without a reason: no dash, "because" (or the language's word) or second sentence.
- A follow-up question that asks nothing (the card asks "What could you ask?").
- A cue that gives its answer away: a warning's situation naming the mistake, or a cue that holds
  most of its phrase or step.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from functools import partial

from exporter.content.field_checks import MAX_TECHNIQUES
from exporter.content.fronts import MAX_IDEA_WORDS, Front, gives_itself_away, mistake_of, technique_fronts
from exporter.content.remembered import Remembered
from exporter.errors import Problem
from exporter.model import Item, Library, Technique
from exporter.text.languages import base_language

#: A list of this many things ("a, b, c or d") is several answers on one card.
MAX_LISTED = 4
#: A whole warning (its mistake and its reason) is the answer of its card: one idea, at most this long.
MAX_WARNING_WORDS = MAX_IDEA_WORDS
#: Marks that end a question, in the bundled languages' scripts.
_QUESTION_MARKS = ("?", "？", "؟")
#: Two words are the same word in another form when they share this much of the shorter one
#: ("defend"/"defending", "hurry"/"hurrying"), and at least five letters ("interrupt" is not
#: "interpretation").
SAME_WORD_SHARE = 0.75
_SAME_START = 5
#: Words that open a warning's mistake or are too common to give an answer away.
_COMMON = frozenset(
    """about after again against avoid because before being client clients could della does doing dont
    every from have into just more never nicht other should since something still their there these they
    therapist this those through under until very what when where which while with without would your
    yours yourself""".split()
)
#: Words that join a mistake to its reason, per language (a dash or second sentence works in all).
_REASON_WORDS = {
    "en": ("because", "since", "otherwise", "so that", "or else"),
    "de": ("weil", "denn", "sonst", "da "),
    "fr": ("parce que", "car ", "sinon", "puisque"),
    "es": ("porque", "ya que", "si no", "pues "),
    "it": ("perché", "poiché", "altrimenti"),
    "ru": ("потому что", "так как", "иначе", "ведь"),
    "uk": ("тому що", "бо", "оскільки", "інакше"),
    "he": ("כי", "משום ש", "מפני ש", "אחרת", "כדי ש"),
    "ar": ("لأن", "لان", "وإلا", "حتى لا", "كي لا", "لكي"),
}
_REASON_MARKS = re.compile(r"\s[—–]\s|\s-\s|:\s|;\s|[.!?]\s+\S")
_QUOTED = re.compile(r"[\"“„«'‘][^\"”“»']*[\"”“»'’]")


def lint_library(library: Library) -> list[Problem]:
    """Every learning problem in the library, as warnings."""
    language = base_language(library.language)
    problems: list[Problem] = []
    for technique in library.techniques:
        problems += _LINTED.get((language, repr(technique)), partial(_technique_problems, technique, language))
    return problems


#: Lint results this process has found, by the technique (its repr has every text and line) and language.
_LINTED: Remembered[tuple[Problem, ...]] = Remembered(MAX_TECHNIQUES)


def _technique_problems(technique: Technique, language: str) -> tuple[Problem, ...]:
    return tuple(_lint_technique(technique, language))


def _lint_technique(technique: Technique, language: str) -> Iterator[Problem]:
    def warn(section: str, index: int, item: Item, message: str, part: str = "") -> Problem:
        line = item.line or technique.line_of(section)
        return Problem(technique.path, line, f"{section}[{index}]{part}", message, "warning")

    title_stems = _stems(technique.title)
    fronts: dict[str, list[Front]] = {}
    for front in technique_fronts(technique):
        fronts.setdefault(front.section, []).append(front)
    for section, cards in fronts.items():
        items = technique.items(section)
        for index, message in same_fronts(cards):
            yield warn(section, index, items[index], message)
        for front in cards:
            index, item = front.index, items[front.index]
            for message in _answer_problems(section, item, language):
                yield warn(section, index, item, message)
            shows = None if item.cue else shows_its_answer(front)
            if shows:
                yield warn(section, index, item, shows)
            for message in _cue_problems(section, item, title_stems):
                yield warn(section, index, item, message, ".cue")
    for index, item in enumerate(technique.when_to_use):
        named = sorted(_shared(_stems(item.text), set(title_stems)))
        if named:
            yield warn(
                "when_to_use",
                index,
                item,
                f"names its own technique ('{named[0][:5]}…'), so the card that asks which technique fits shows its "
                "answer; describe what the client does or says instead",
            )


def _answer_problems(section: str, item: Item, language: str) -> Iterator[str]:
    mistake = mistake_of(item.text) if section == "warnings" else item.text
    too_long = too_long_for_one_idea(mistake)
    if too_long:
        yield too_long
    elif section == "warnings" and len(item.text.split()) > MAX_WARNING_WORDS:
        yield (
            f"has {len(item.text.split())} words; a warning card's answer (the mistake and its reason) "
            f"should be at most {MAX_WARNING_WORDS}: keep the reason to one short clause"
        )
    if section == "warnings" and not has_reason(item.text, language):
        yield "says what to avoid but not why; add the reason after a dash (— because …)"
    if section == "follow_up_questions" and not item.text.rstrip(" \"'”»’)").endswith(_QUESTION_MARKS):
        yield (
            "is not a question, but its card asks 'What could you ask?'; write the question the therapist "
            "asks (ending in '?'), or move it to key_phrases"
        )


def _cue_problems(section: str, item: Item, title_stems: set[str]) -> Iterator[str]:
    given_away = cue_gives_away(section, item, title_stems)
    if given_away:
        yield given_away
    if item.cue and len(item.cue.split()) > MAX_IDEA_WORDS:
        yield (
            f"has {len(item.cue.split())} words; a situation is read at a glance: describe it in at most "
            f"{MAX_IDEA_WORDS} words"
        )


def shows_its_answer(front: Front) -> str | None:
    """Why a card without a cue shows what it asks for, or None."""
    if not gives_itself_away(front):
        return None
    if front.section == "steps":
        return (
            "its card shows the step before it, which already holds this step's words; make each step its own "
            "action, or merge the two"
        )
    return (
        "is too short to be asked by its opening words, so its card would show the whole answer; add a `cue:` "
        "that names the situation in which it is the right answer"
    )


def same_fronts(fronts: list[Front]) -> Iterator[tuple[int, str]]:
    """(index, message) of items whose card would ask the same as an earlier item's."""
    seen: dict[object, int] = {}
    for front in fronts:
        if front.asks in seen:
            earlier = seen[front.asks]
            yield (
                front.index,
                (
                    f"its card would ask the same question as the card of item {earlier + 1} ({_alike(front)} "
                    f"{earlier + 1}); add a `cue:` that names the situation in which this one is the right answer"
                ),
            )
        else:
            seen[front.asks] = front.index


def _alike(front: Front) -> str:
    if front.section == "steps":
        return "the step before it is the same as before step"
    if any(part.label == "situation" for part in front.context):
        return "its cue is the same as the cue of item"
    if any(part.label == "mistake" for part in front.context):
        return "it has no cue, and its mistake is the same as that of item"
    return "it has no cue and opens with the same words as item"


def has_reason(warning: str, language: str) -> bool:
    text = _QUOTED.sub("", warning)
    if _REASON_MARKS.search(text):
        return True
    lowered = text.casefold()
    words = (*_REASON_WORDS.get(language, ()), *_REASON_WORDS["en"])
    return any(re.search(rf"(?<!\w){re.escape(word.strip())}(?!\w)", lowered) for word in words)


def too_long_for_one_idea(text: str) -> str | None:
    words = len(text.split())
    if words > MAX_IDEA_WORDS:
        return (
            f"has {words} words; a card's answer should be one idea of at most {MAX_IDEA_WORDS} words "
            "(what a person says in one breath): split it or shorten it"
        )
    listed = listed_things(text)
    if listed >= MAX_LISTED:
        return f"lists {listed} things in one answer; recall them one per card, or keep the one that matters"
    return None


_CONJUNCTIONS = re.compile(r"\s(or|and|oder|und|ou|et|o|y|e|или|и|або|чи|і|та)\s", re.IGNORECASE)


def listed_things(text: str) -> int:
    """How many things the longest series like "a, b, c or d" names (1 when there is none).

    A series is three or more comma-separated parts of a sentence (after a colon or dash, if
    any) whose last part joins two more with "or"/"and": commas between clauses ("…, dass …,
    was …") do not make one.
    """
    unquoted = _QUOTED.sub("", text)
    longest = 1
    for sentence in re.split(r"(?<=[.!?])\s+", unquoted):
        clause = re.split(r"[:;—–]", sentence)[-1]
        parts = [part.strip() for part in clause.split(",")]
        if len(parts) < 3 or any(len(part.split()) > 6 for part in parts[1:]):
            continue
        last = parts[-1]
        if _CONJUNCTIONS.search(f" {last} ") and not _CONJUNCTIONS.match(f" {last} "):
            longest = max(longest, len(parts) + 1)
        elif _CONJUNCTIONS.match(f" {last} "):
            longest = max(longest, len(parts))
    return longest


def cue_gives_away(section: str, item: Item, topic: frozenset[str] | set[str] = frozenset()) -> str | None:
    """Why the cue shows its own answer, or None. Words of the technique's title (its topic) do not count."""
    if not item.cue:
        return None
    cue_words = {word for word in _stems(item.cue) if not _shared({word}, set(topic))}
    if section == "warnings":
        named = sorted(_shared(_stems(mistake_of(item.text)), cue_words))
        if named:
            return (
                f"the situation names the mistake itself ('{named[0][:5]}…'), so the card shows its answer; "
                "describe the moment in which the mistake happens instead"
            )
        return None
    if _plain_words(item.text) and _plain_words(item.text) <= _plain_words(item.cue):
        return "the cue holds the whole answer; describe the situation instead"
    answer = _stems(item.text)
    if answer and len(_shared(answer, cue_words)) * 2 > len(answer):
        return "the cue holds most of the words of its answer; describe the situation instead"
    return None


def _plain_words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def _same_word(a: str, b: str) -> bool:
    shared = len(os.path.commonprefix([a, b]))
    return shared >= _SAME_START and shared >= SAME_WORD_SHARE * min(len(a), len(b))


def _shared(words: set[str], others: set[str]) -> set[str]:
    """The words of words that are, in some form, also among others."""
    by_start: dict[str, list[str]] = {}
    for other in others:
        by_start.setdefault(other[:_SAME_START], []).append(other)
    # Two forms of a word share at least their first five letters: only those are compared.
    return {
        word
        for word in words
        if len(word) >= _SAME_START and any(_same_word(word, other) for other in by_start.get(word[:_SAME_START], ()))
    }


#: The people every technique is about, in each bundled language: naming them gives nothing away.
_PEOPLE_STEMS = frozenset("clien klien clie thera théra terap терап клиен клієн пацие пацієн patie pazie".split())


def _stems(text: str) -> set[str]:
    """Content words of text (five letters or more, not the common ones, not the people every
    technique is about); compare them with _shared, which sees "defend" in "defending"."""
    words = re.findall(r"\w+", text.casefold())
    return {word for word in words if len(word) >= 5 and word not in _COMMON and word[:5] not in _PEOPLE_STEMS}
