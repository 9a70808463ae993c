"""The learning lint: content that would make flashcards a trainee cannot grade.

`exporter validate` runs it (warnings; errors under --strict). Each rule follows the minimum
information principle: one card, one question, one right answer that fits in the mind at once.

- Same front: two items of one kind that the deck could only tell apart by their position (two
  warnings without `cue`, two items with the same cue, two steps after the same step, phrases
  that open with the same words).
- Too long for one idea: a step or phrase over MAX_IDEA_WORDS words, or one that lists four or
  more things; a warning whose mistake alone is that long.
- A warning without a reason: no dash, "because" (or the language's word) or second sentence.
- A cue that gives its answer away: a warning's situation naming the mistake, or a cue that holds
  most of its phrase or step.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

from exporter.errors import Problem
from exporter.model import PHRASE_FIELDS, Item, Library, Technique

#: About what a person says in one breath and holds in working memory at once (two lines on a
#: phone card); longer items are two ideas for recall.
MAX_IDEA_WORDS = 25
#: A list of this many things ("a, b, c or d") is several answers on one card.
MAX_LISTED = 4
#: A whole warning (its mistake and its reason) is the answer of its card: at most this long.
MAX_WARNING_WORDS = 40
#: Two words are the same word in another form when they share this much of the shorter one
#: ("defend"/"defending", "hurry"/"hurrying"), and at least five letters ("interrupt" is not
#: "interpretation").
SAME_WORD_SHARE = 0.75
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
    language = library.language.split("-")[0].split("_")[0].lower()
    problems: list[Problem] = []
    for technique in library.techniques:
        problems += list(_lint_technique(technique, language))
    return problems


def _lint_technique(technique: Technique, language: str) -> Iterator[Problem]:
    def warn(section: str, index: int, item: Item, message: str, part: str = "") -> Problem:
        line = item.line or technique.line_of(section)
        return Problem(technique.path, line, f"{section}[{index}]{part}", message, "warning")

    title_stems = _stems(technique.title)
    for section in ("steps", *PHRASE_FIELDS, "warnings"):
        items = technique.items(section)
        for index, message in same_fronts(section, items):
            yield warn(section, index, items[index], message)
        for index, item in enumerate(items):
            mistake = mistake_of(item.text) if section == "warnings" else item.text
            too_long = too_long_for_one_idea(mistake)
            if too_long:
                yield warn(section, index, item, too_long)
            elif section == "warnings" and len(item.text.split()) > MAX_WARNING_WORDS:
                yield warn(
                    section,
                    index,
                    item,
                    f"has {len(item.text.split())} words; a warning card's answer (the mistake and its reason) "
                    f"should be at most {MAX_WARNING_WORDS}: keep the reason to one short clause",
                )
            if section == "warnings" and not has_reason(item.text, language):
                yield warn(
                    section, index, item, "says what to avoid but not why; add the reason after a dash (— because …)"
                )
            given_away = cue_gives_away(section, item, title_stems)
            if given_away:
                yield warn(section, index, item, given_away, ".cue")


def same_fronts(section: str, items: tuple[Item, ...]) -> Iterator[tuple[int, str]]:
    """(index, message) of items whose card would ask the same as an earlier item's."""
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        if section == "steps":
            front = items[index - 1].text.casefold() if index else ""
            what = "the step before it is the same as before step"
        elif item.cue:
            front = "cue:" + " ".join(item.cue.casefold().split())
            what = "its cue is the same as the cue of item"
        elif section == "warnings":
            front = "" if len(items) > 1 else "only"
            what = "it has no cue, like item"
        else:
            front = "opening:" + " ".join(item.text.casefold().split()[:5])
            what = "it has no cue and opens with the same words as item"
        if front in seen:
            earlier = seen[front]
            yield (
                index,
                (
                    f"its card would ask the same question as the card of item {earlier + 1} ({what} {earlier + 1}); "
                    "add a `cue:` that names the situation in which this one is the right answer"
                ),
            )
        else:
            seen.setdefault(front, index)


def mistake_of(warning: str) -> str:
    """A warning's mistake: the text before its reason."""
    parts = re.split(r"\s[—–-]\s|\bbecause\b|[.!?]\s|;\s", warning, maxsplit=1)
    return parts[0]


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
    return shared >= 5 and shared >= SAME_WORD_SHARE * min(len(a), len(b))


def _shared(words: set[str], others: set[str]) -> set[str]:
    """The words of words that are, in some form, also among others."""
    return {word for word in words if any(_same_word(word, other) for other in others)}


#: The people every technique is about, in each bundled language: naming them gives nothing away.
_PEOPLE_STEMS = frozenset("clien klien clie thera théra terap терап клиен клієн пацие пацієн patie pazie".split())


def _stems(text: str) -> set[str]:
    """Content words of text (five letters or more, not the common ones, not the people every
    technique is about); compare them with _shared, which sees "defend" in "defending"."""
    words = re.findall(r"\w+", text.casefold())
    return {word for word in words if len(word) >= 5 and word not in _COMMON and word[:5] not in _PEOPLE_STEMS}
