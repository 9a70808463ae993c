"""Cards a trainee can grade, on content as maintainers really write it, measured in the official Anki.

tests/fixtures/libraries/as-written is a held-out library written without an eye on the deck (long
steps, eight warnings without a cue, one of 144 words, phrases without ids or cues that open alike);
as-fixed is the same content fixed as `exporter deck --strict` said. Every card is imported into a
real collection and read as Anki renders it (`card.question()`, `card.answer()`); its height is
measured 390 pixels wide (tests/card_rendering.py: headless Chromium, else a text estimate).
"""

from __future__ import annotations

import html
import re
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from anki.collection import Collection
from card_rendering import MAX_SIDE_HEIGHT, side_heights
from click.testing import CliRunner
from conftest import BUNDLED_CONTENT, FIXTURES
from test_deck import import_deck

from exporter.cli import main
from exporter.content.fronts import MAX_IDEA_WORDS, plain
from exporter.writers.deck import identity

if TYPE_CHECKING:
    from anki.cards import Card

AS_WRITTEN = FIXTURES / "libraries" / "as-written"
AS_FIXED = FIXTURES / "libraries" / "as-fixed"
#: Every problem of the held-out library, once each: file, line, field.
PROBLEMS = [
    ("affect-focus.yaml", 8, "steps[0]"),  # 49 words
    ("affect-focus.yaml", 12, "steps[1]"),  # 39 words
    ("affect-focus.yaml", 17, "steps[3]"),  # 42 words
    ("affect-focus.yaml", 27, "key_phrases[1]"),  # opens like key_phrases[0], no cue
    ("affect-focus.yaml", 31, "follow_up_questions[1]"),  # two statements, no question
    ("affect-focus.yaml", 36, "warnings[1]"),  # no reason
    ("affect-focus.yaml", 39, "warnings[4]"),  # 144 words
    ("affect-focus.yaml", 50, "warnings[5]"),  # no reason
    ("clarification.yaml", 20, "warnings[0].cue"),  # the situation names the mistake
]


def deck(content: Path, out: Path, *flags: str) -> tuple[int, list[str]]:
    args = ["deck", "--content", str(content), "--out", str(out), "-j", "1", *flags]
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.output.splitlines()


def test_strict_names_every_problem_once_with_its_line_and_builds_nothing(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(AS_WRITTEN, content)
    code, lines = deck(content, tmp_path / "out", "--strict")
    assert code == 1
    found = []
    for line in lines:
        match = re.match(rf"{re.escape(str(content))}/techniques/([\w-]+\.yaml):(\d+): (\S+): warning: ", line)
        if match:
            found.append((match.group(1), int(match.group(2)), match.group(3)))
    assert found == PROBLEMS
    assert lines[-1] == f"Error: {len(PROBLEMS)} warnings, which --strict treats as errors"
    assert not (tmp_path / "out" / "deck.apkg").exists()


def graded(card: Card) -> str:
    """What the card grades: the marked part of its answer, the whole answer, or the step its cloze hides."""
    note = card.note()
    if note.mid == identity.SEQUENCE_MODEL_ID:  # the whole step (its first words show where it is context)
        clozes = dict(re.findall(r"\{\{c(\d+)::(.*?)\}\}", note.fields[1]))
        cloze = clozes[str(card.ord + 1)]
        whole = re.search(r'<span class="xc-whole">(.*?)</span>', cloze)
        return _text(whole.group(1) if whole else cloze)
    marked = re.search(r'<span class="xc-key">(.*?)</span>', note["Answer"])
    return _text(marked.group(1) if marked else note["Answer"])


def _text(field: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", field)).split())


def front(card: Card) -> str:
    """The front as a trainee reads it, without its header line (category, technique, kind, number)."""
    body = card.question().split("</style>")[-1]
    body = re.sub(r'<div class="xc-header"[^>]*>.*?</div>', "", body, flags=re.S)
    body = re.sub(r'<span class="cloze" data-cloze="[^"]*"', '<span class="cloze"', body)  # the hidden step
    body = re.sub(r'<span class="xc-(?:whole|sort-only)">.*?</span>', "", body)  # what the style hides
    return _text(body)


def imported(content: Path, tmp_path: Path, *flags: str) -> Iterator[list[Card]]:
    code, lines = deck(content, tmp_path / "out", *flags)
    assert code == 0, lines
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        log = import_deck(col, tmp_path / "out" / "deck.apkg")
        assert log.conflicting == [] and log.duplicate == []
        yield [col.get_card(cid) for cid in col.find_cards("")]
    finally:
        col.close()


@pytest.fixture(params=["as-fixed", "bundled"])
def cards(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, list[Card]]]:
    content = tmp_path / "content"
    shutil.copytree(AS_FIXED if request.param == "as-fixed" else BUNDLED_CONTENT, content)
    for imported_cards in imported(content, tmp_path, "--strict"):
        yield request.param, imported_cards


def test_every_front_asks_one_thing_that_no_other_front_asks_and_hides_its_answer(
    cards: tuple[str, list[Card]],
) -> None:
    name, deck_cards = cards
    fronts = Counter(front(card) for card in deck_cards)
    assert [text for text, count in fronts.items() if count > 1] == []  # 0 fronts shared by two cards
    shown = [card for card in deck_cards if f" {plain(graded(card))} " in f" {plain(front(card))} "]
    assert [front(card) for card in shown] == []  # 0 fronts containing their answer
    too_long = [graded(card) for card in deck_cards if len(graded(card).split()) > MAX_IDEA_WORDS]
    assert too_long == []  # 0 answers over 25 words
    kinds = Counter(card.note()["Kind"] for card in deck_cards)
    assert kinds["Situation"] >= 4 and kinds["Order of the steps"] == 3 and kinds["Steps one by one"] >= 10, kinds
    # No prompt asks for "the" item of a kind by the goal alone, or by position.
    prompts = " ".join(front(card) for card in deck_cards)
    assert "of this technique?" not in prompts and "Warning 1 of" not in prompts


def test_no_card_side_is_taller_than_two_phone_screens(cards: tuple[str, list[Card]]) -> None:
    _, deck_cards = cards
    sides = [side for card in deck_cards for side in (card.question(), card.answer())]
    heights = side_heights(sides)
    assert max(heights) <= MAX_SIDE_HEIGHT, max(heights)
    assert min(heights) > 150  # a real layout: header, context and prompt at least


def test_long_content_as_written_is_marked_and_folded_to_fit_a_phone(tmp_path: Path) -> None:
    """Built without --strict, the held-out library still makes cards that fit: a long answer's
    key part is marked and the rest folded under "More"."""
    content = tmp_path / "content"
    shutil.copytree(AS_WRITTEN, content)
    for deck_cards in imported(content, tmp_path):
        sides = [side for card in deck_cards for side in (card.question(), card.answer())]
        assert max(side_heights(sides)) <= MAX_SIDE_HEIGHT
        long_warning = next(card for card in deck_cards if "keep returning" in card.answer())
        assert "<details" in long_warning.answer() and "More" in _text(long_warning.answer())
        assert graded(long_warning).startswith("because the aim of affect focus is to think together")
        assert len(graded(long_warning).split()) <= MAX_IDEA_WORDS
        step = next(card for card in deck_cards if card.note()["Header"].endswith("Step 1 of 5"))
        assert graded(step).startswith("Before anything else, slow your own pace")
        assert len(graded(step).split()) <= MAX_IDEA_WORDS
