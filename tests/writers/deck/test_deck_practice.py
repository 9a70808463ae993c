"""The cards that practise the skill (situations, step order, steps one by one), in the official Anki.

Each test builds a small library, imports it into a real collection and reads the cards as Anki
renders them; the step-sequence test lays them out in headless Chromium when it is installed.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from anki.collection import Collection
from card_rendering import browser, laid_out, side_heights
from click.testing import CliRunner
from conftest import LIBRARY, technique, write_content
from test_deck import counts, import_deck

from exporter.cli import main
from exporter.writers.deck import identity

STEPS = ["Notice the shift.", "Name it aloud.", "Ask what happened.", "Own your part.", "Reconnect gently."]


def deck(content: Path, out: Path) -> list[str]:
    result = CliRunner().invoke(main, ["deck", "--content", str(content), "--out", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


@contextmanager
def imported(content: Path, tmp_path: Path) -> Iterator[Collection]:
    """The library's deck, built and imported into a fresh collection."""
    deck(content, tmp_path / "out")
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        import_deck(col, tmp_path / "out" / "deck.apkg")
        yield col
    finally:
        col.close()


def text(rendered: str) -> str:
    body = rendered.split("</style>")[-1]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def library(**settings: str) -> dict[str, Any]:
    return {**LIBRARY, "settings": settings} if settings else LIBRARY


def two_techniques() -> list[dict[str, Any]]:
    shared = "The client suddenly falls silent."
    return [
        technique("alpha", title="Pausing", steps=STEPS, when_to_use=[shared, "The story speeds up."]),
        technique("beta", title="Waiting", when_to_use=[shared]),
    ]


def test_a_situation_under_two_techniques_is_one_card_naming_both(tmp_path: Path) -> None:
    content = write_content(tmp_path, techniques=two_techniques(), library=library())
    with imported(content, tmp_path) as col:
        cards = [col.get_card(cid) for cid in col.find_cards("tag:exporter::kind::situation")]
        by_situation = {text(c.question()).split("Situation ")[-1]: c for c in cards}
        assert len(cards) == 2
        shared = next(c for s, c in by_situation.items() if "falls silent" in s)
        assert "Which technique fits this moment?" in text(shared.question())
        assert "Pausing" not in text(shared.question()) and "Waiting" not in text(shared.question())
        assert text(shared.answer()).endswith("Pausing Waiting")
        assert col.decks.name(shared.did) == f"{LIBRARY['title']}::Which technique?"
        assert sorted(shared.note().tags)[-2:] == ["exporter::technique::alpha", "exporter::technique::beta"]


def test_steps_one_by_one_show_the_steps_before_and_hide_the_rest(tmp_path: Path) -> None:
    content = write_content(tmp_path, techniques=two_techniques(), library=library())
    with imported(content, tmp_path) as col:
        (nid,) = col.find_notes(f"mid:{identity.SEQUENCE_MODEL_ID}")
        cards = sorted(col.get_note(nid).cards(), key=lambda card: card.ord)
        assert len(cards) == len(STEPS)
        third = cards[2]
        question = text(third.question())
        assert "Notice the shift." in question and "Name it aloud." in question
        assert "Ask what happened." not in question and "[...]" in question
        assert "Which step comes here?" in question
        assert "Ask what happened." in text(third.answer())
        if browser() is None:
            pytest.skip("no headless browser: the hiding of later steps is a style rule only a browser applies")
        fronts = side_heights([card.question() for card in cards])
        assert fronts == sorted(fronts) and fronts[0] < fronts[-1]  # later steps are not drawn


def test_the_step_order_card_lists_the_steps_mixed_and_answers_with_their_order(tmp_path: Path) -> None:
    content = write_content(tmp_path, techniques=two_techniques(), library=library())
    with imported(content, tmp_path) as col:
        (card,) = [
            col.get_card(c) for c in col.find_cards("tag:exporter::kind::step-order tag:exporter::technique::alpha")
        ]
        question = text(card.question())
        lettered = re.findall(r"\b([A-E]) ([^.]+\.)", question)
        assert [letter for letter, _ in lettered] == list("ABCDE")
        assert [step for _, step in lettered] != STEPS and sorted(step for _, step in lettered) == sorted(STEPS)
        order = re.search(r"([A-E](?: → [A-E]){4})", text(card.answer()))
        assert order is not None
        shown = dict(lettered)
        assert [shown[letter] for letter in order.group(1).split(" → ")] == STEPS


def test_each_later_kind_can_be_switched_off_and_its_cards_retire(tmp_path: Path) -> None:
    content = write_content(tmp_path, techniques=two_techniques(), library=library())
    with imported(content, tmp_path) as col:
        assert len(col.find_notes("tag:exporter::kind::situation")) == 2
        off = library(situation_cards="off", step_order_cards="no", step_sequence_cards="false")
        write_content(tmp_path, techniques=two_techniques(), library=off)
        output = deck(content, tmp_path / "out")
        assert any(line.endswith(", 5 retired") for line in output), output  # 2 situations, 2 orders, 1 sequence
        log = import_deck(col, tmp_path / "out" / "deck.apkg")
        assert counts(log) == {"new": 0, "updated": 5, "conflicting": 0}
        later = col.find_notes(f"-mid:{identity.MODEL_ID}")
        assert len(later) == 5 and all("exporter::retired" in col.get_note(n).tags for n in later)


def test_a_switch_with_another_value_is_named_with_its_line(tmp_path: Path) -> None:
    content = write_content(tmp_path, techniques=two_techniques(), library=library(step_order_cards="sometimes"))
    result = CliRunner().invoke(main, ["validate", "--content", str(content)])
    assert result.exit_code == 1
    (line,) = [line for line in result.output.splitlines() if "step_order_cards" in line]
    assert re.match(
        rf"{re.escape(str(content))}/library\.yaml:\d+: settings\.step_order_cards: 'sometimes' is not one of on, off",
        line,
    )


def test_a_reworded_situation_keeps_its_card_and_an_edited_step_updates_the_order_in_place(tmp_path: Path) -> None:
    content = write_content(tmp_path, techniques=two_techniques(), library=library())
    with imported(content, tmp_path) as col:
        before = {col.get_note(n).guid for n in col.find_notes(f"-mid:{identity.MODEL_ID}")}
        edited = two_techniques()
        edited[0]["when_to_use"] = ["The client suddenly falls silent.", "The client's story speeds up."]
        edited[0]["steps"] = [*STEPS[:3], "Own your part openly.", STEPS[4]]
        write_content(tmp_path, techniques=edited, library=library())
        output = deck(content, tmp_path / "out")
        assert not any("retired" in line for line in output), output
        log = import_deck(col, tmp_path / "out" / "deck.apkg")
        assert log.new == [] and log.conflicting == []
        after = {col.get_note(n).guid for n in col.find_notes(f"-mid:{identity.MODEL_ID}")}
        assert after == before  # the same notes, updated in place
        updated = {col.get_note(entry.id.nid)["Kind"] for entry in log.updated}
        assert {"Situation", "Order of the steps", "Steps one by one", "Step"} <= updated


#: A step longer than a step-order line or a step sequence's context shows, its cut inside a quotation.
LONG_STEP = (
    'Halt what you were doing and put the change into words: "Something seems to have shifted between us '
    'just now; can we look at it together?"'
)
SHORT_LONG_STEP = 'Halt what you were doing and put the change into words: "Something seems to have …"'
LONG_STEPS = [STEPS[0], LONG_STEP, *STEPS[2:]]

#: What a trainee sees of a side (hidden steps and hidden parts left out), and its header.
VISIBLE = "return {text: document.body.innerText, header: document.querySelector('.xc-header').innerText};"


def visible_text(side: str) -> str:
    """A side's text as a browser shows it (what the style hides left out), else as written."""
    if browser() is None:
        return text(re.sub(r'<span class="xc-(?:whole|sort-only)">[^<]*</span>', "", side))
    return " ".join(laid_out([side], VISIBLE)[0]["text"].split())


def test_a_long_step_is_shortened_in_context_but_whole_where_it_is_the_answer(tmp_path: Path) -> None:
    techniques = [technique("alpha", title="Pausing", steps=LONG_STEPS, when_to_use=["The client goes quiet."])]
    content = write_content(tmp_path, techniques=techniques, library=library())
    with imported(content, tmp_path) as col:
        (nid,) = col.find_notes(f"mid:{identity.SEQUENCE_MODEL_ID}")
        second, third = sorted(col.get_note(nid).cards(), key=lambda card: card.ord)[1:3]
        asked = re.search(r'<span class="cloze"[^>]*>(.*?)</span></span>', second.answer())
        assert asked is not None and LONG_STEP in html.unescape(re.sub(r"<[^>]+>", "", asked.group(1)))
        assert LONG_STEP in visible_text(second.answer()) and SHORT_LONG_STEP not in visible_text(second.answer())
        assert SHORT_LONG_STEP in visible_text(third.question()) and LONG_STEP not in visible_text(third.question())
        (order,) = [col.get_card(c) for c in col.find_cards("tag:exporter::kind::step-order")]
        assert SHORT_LONG_STEP in visible_text(order.question())
        answer = visible_text(order.answer()).split("In what order do these steps come?")[-1]
        assert answer.endswith(" ".join(LONG_STEPS))  # every step whole, in order
        steps = [col.get_card(c) for c in col.find_cards("tag:exporter::kind::step")]
        (after,) = [c for c in steps if "Halt what" in visible_text(c.question())]  # the long step as context
        shown = 'Halt what you were doing and put the change into words: "Something seems to have shifted between us'
        assert f'{shown} just now; can we look at it …"' in visible_text(after.question())


def test_a_situation_card_shows_its_situation_once(tmp_path: Path) -> None:
    content = write_content(tmp_path, techniques=two_techniques(), library=library())
    with imported(content, tmp_path) as col:
        cards = [col.get_card(cid) for cid in col.find_cards("tag:exporter::kind::situation")]
        assert len(cards) == 2
        for card in cards:
            shown = visible_text(card.question())
            assert shown.startswith("Situation SITUATION ") or shown.startswith("Situation Situation ")
            assert shown.count("falls silent") + shown.count("speeds up") == 1
            assert card.note().fields_check() == 0  # Anki's duplicate check still tells the notes apart
        if browser() is not None:
            assert [laid_out([c.question()], VISIBLE)[0]["header"] for c in cards] == ["Situation", "Situation"]


def test_the_summary_counts_the_cards_anki_imports(tmp_path: Path) -> None:
    content = write_content(tmp_path, techniques=two_techniques(), library=library())
    (line,) = [line for line in deck(content, tmp_path / "out") if " step-order" in line]
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        import_deck(col, tmp_path / "out" / "deck.apkg")
        in_anki = {kind.slug: len(col.find_cards(f"tag:exporter::kind::{kind.slug}")) for kind in identity.KINDS}
        in_anki.update({kind.slug: len(col.find_cards(f"tag:exporter::kind::{kind.slug}"))
                         for kind in identity.PRACTICE_KINDS})  # fmt: skip
        phrases = sum(in_anki[kind.slug] for kind in identity.PHRASE_KINDS)
        assert in_anki["step-sequence"] == len(STEPS)
        assert line.endswith(
            f"{in_anki['step']} step, {phrases} phrase and {in_anki['warning']} warning cards, "
            f"{in_anki['situation']} situation, {in_anki['step-order']} step-order, "
            f"{in_anki['step-sequence']} step-sequence"
        ), line
    finally:
        col.close()


#: Steps cut inside quotations of several styles, and what a step-order card's front shows of each.
QUOTED_STEPS = {
    "Open the talk gently and say: „We could look at what just happened between the two of us today“ and wait.":
        "Open the talk gently and say: „We could look at what just happened between the …“",
    "Name the moment plainly, for example « I think something changed for you when I asked about it » and pause.":
        "Name the moment plainly, for example « I think something changed for you when I …»",
    "Bring up the צה\"ל example only if the client raised it first, and then ask what it meant to them.":
        "Bring up the צה\"ל example only if the client raised it first, and then ask …",
    "Say to the client, one calm word after another, very slowly and then softly: « Take your time, please »":
        "Say to the client, one calm word after another, very slowly and then softly …",
}  # fmt: skip


def test_a_step_cut_inside_a_quotation_closes_it(tmp_path: Path) -> None:
    techniques = [technique("alpha", title="Pausing", steps=list(QUOTED_STEPS), when_to_use=["The client goes quiet."])]
    content = write_content(tmp_path, techniques=techniques, library=library())
    with imported(content, tmp_path) as col:
        (order,) = [col.get_card(c) for c in col.find_cards("tag:exporter::kind::step-order")]
        lines = re.findall(r'<li><span class="xc-letter">[A-D]</span>(.*?)</li>', order.question())
        assert sorted(html.unescape(line) for line in lines) == sorted(QUOTED_STEPS.values())
