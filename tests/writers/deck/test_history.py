"""A trainee's review history survives the edits a maintainer makes every week, in the official Anki.

Each scenario builds the deck, imports it into a fresh collection, answers every card (real
reviews through the scheduler), edits the content as a maintainer would, rebuilds with the deck
state, imports again, and then checks every card: an item that was there keeps its reviews and due
date, a new item starts with none, no item has another item's history, nothing is duplicated.
"""

from __future__ import annotations

import html
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from anki.collection import Collection
from anki.scheduler.v3 import CardAnswer
from click.testing import CliRunner
from conftest import BUNDLED_CONTENT, FIXTURES, LIBRARY, technique, write_content
from test_deck import counts, import_deck

from exporter.cli import main
from exporter.writers.deck import identity

STEPS = [
    "Notice the moment the client goes quiet.",
    "Say what you saw, without judging it.",
    "Ask what happened inside just then.",
    "Wait, and let the silence work.",
    "Link what comes up to the session's theme.",
]
PHRASES = ["Let us slow down here.", "What went on for you just now?", "Tell me more about that feeling."]
WARNINGS = [
    "Do not fill the silence yourself — because the client loses the chance to find words.",
    "Do not push for an answer — because it turns curiosity into an interrogation.",
]
History = dict[str, tuple[int, int, int]]


def alpha(**overrides: Any) -> dict[str, Any]:
    data = technique(
        "alpha", title="Staying With Silence", steps=STEPS, key_phrases=PHRASES, follow_up_questions=[],
        alternative_phrasings=[], warnings=WARNINGS,
    )  # fmt: skip
    return {**data, **overrides}


def deck(content: Path, out: Path) -> tuple[Path, str]:
    result = CliRunner().invoke(main, ["deck", "--content", str(content), "--out", str(out), "-j", "1"])
    assert result.exit_code == 0, result.output
    return out / "deck.apkg", result.output


def answer_every_card(col: Collection, deck_name: str = LIBRARY["title"]) -> None:
    """Study the whole deck once, as a trainee would: every new card answered Easy (it leaves the queue at once)."""
    deck_id = col.decks.id_for_name(deck_name)
    config = col.decks.config_dict_for_deck_id(deck_id)
    config["new"]["perDay"] = 9999  # all of them today, not Anki's 20
    col.decks.save(config)
    col.decks.select(deck_id)
    for _ in range(200):
        queued = col.sched.get_queued_cards(fetch_limit=1).cards
        if not queued:
            return
        card = col.get_card(queued[0].card.id)
        card.start_timer()
        col.sched.answer_card(col.sched.build_answer(card=card, states=queued[0].states, rating=CardAnswer.EASY))


def history(col: Collection) -> History:
    """Answer text -> (reviews, due, interval) of its card, for every live exporter card."""
    found: History = {}
    for note_id in col.find_notes(f"mid:{identity.MODEL_ID} -tag:exporter::retired"):
        note = col.get_note(note_id)
        (card,) = note.cards()
        # The item's text: the answer without the mark on the part a card grades.
        text = html.unescape(re.sub(r"</?span[^>]*>", "", note["Answer"]).replace("<br>", "\n"))
        assert text not in found, f"two live cards answer {text!r}"
        revlog = col.db.scalar("select count() from revlog where cid = ?", card.id)
        found[text] = (revlog, card.due, card.ivl)
    return found


@pytest.fixture
def studied(tmp_path: Path) -> tuple[Path, Path, Collection, History]:
    content = write_content(tmp_path, techniques=[alpha()])
    out = tmp_path / "out"
    col = Collection(str(tmp_path / "collection.anki2"))
    package, _ = deck(content, out)
    import_deck(col, package)
    answer_every_card(col)
    before = history(col)
    assert all(reviews == 1 for reviews, _, _ in before.values()) and len(before) == 10
    return tmp_path, out, col, before


def update(
    studied: tuple[Path, Path, Collection, History], edit: Callable[[], dict[str, Any]]
) -> tuple[History, History, str, dict[str, int]]:
    root, out, col, before = studied
    content = write_content(root, techniques=[edit()])
    package, output = deck(content, out)
    log = import_deck(col, package)
    after = history(col)
    col.close()
    return before, after, output, counts(log)


def assert_history_followed(before: History, after: History, renamed: dict[str, str] | None = None) -> None:
    renamed = renamed or {}
    for text, (reviews, due, interval) in after.items():
        old = renamed.get(text, text)
        if old in before:
            assert (reviews, due, interval) == before[old], f"{text!r} lost or swapped its history"
        else:
            assert reviews == 0, f"the new item {text!r} was handed another item's history"


def test_items_inserted_and_deleted_in_the_middle_keep_their_own_cards(
    studied: tuple[Path, Path, Collection, History],
) -> None:
    steps = [STEPS[0], "Breathe, and slow your own pace.", *STEPS[1:3], STEPS[4]]  # one in, one out
    phrases = [PHRASES[0], "Can we pause for a moment?", *PHRASES[1:]]
    before, after, output, log = update(studied, lambda: alpha(steps=steps, key_phrases=phrases))
    assert set(after) == {*steps, *phrases, *WARNINGS}
    assert_history_followed(before, after)
    assert log["new"] == 2 and log["conflicting"] == 0
    assert "history kept" in output and "took over" not in output


def test_swapped_and_reversed_lists_keep_every_card_with_its_item(
    studied: tuple[Path, Path, Collection, History],
) -> None:
    swapped = [PHRASES[1], PHRASES[0], PHRASES[2]]
    before, after, output, log = update(studied, lambda: alpha(steps=STEPS[::-1], key_phrases=swapped))
    assert set(after) == set(before)
    assert_history_followed(before, after)
    assert log["new"] == 0 and log["conflicting"] == 0
    assert "items moved: history kept" in output


def test_a_reworded_and_moved_item_keeps_its_card(studied: tuple[Path, Path, Collection, History]) -> None:
    reworded = "Wait, and let the silence do its work."
    steps = [STEPS[0], reworded, *STEPS[1:3], STEPS[4]]
    before, after, output, log = update(studied, lambda: alpha(steps=steps))
    assert_history_followed(before, after, renamed={reworded: STEPS[3]})
    assert log["new"] == 0
    assert "1 item reworded" in output


def test_a_renamed_technique_file_and_title_keep_every_card(studied: tuple[Path, Path, Collection, History]) -> None:
    root = studied[0]
    (root / "content" / "techniques" / "alpha.yaml").unlink()
    renamed = {**alpha(), "id": "staying-with-silence", "title": "Staying with the Silence"}
    before, after, output, log = update(studied, lambda: renamed)
    assert set(after) == set(before)
    assert_history_followed(before, after)
    assert log["new"] == 0 and log["conflicting"] == 0
    assert "1 technique renamed (alpha → staying-with-silence)" in output and "retired" not in output


def test_a_whole_new_text_in_the_same_place_is_said_and_can_be_told_apart(
    studied: tuple[Path, Path, Collection, History],
) -> None:
    other = "Offer a grounding exercise before going on."
    steps = [*STEPS[:2], other, *STEPS[3:]]
    before, after, output, _ = update(studied, lambda: alpha(steps=steps))
    assert after[other] == before[STEPS[2]]  # a rewrite in place keeps the history, as before
    assert "steps[2]: “Offer a grounding exercise before going on.” took over the card of" in output
    assert "id: offer-grounding-exercise" in output


def test_what_a_release_changed_carries_its_tag_and_changed_warnings_are_listed(tmp_path: Path) -> None:
    library = {**LIBRARY, "edition": "Spring 2026"}
    content = write_content(tmp_path, library=library, techniques=[alpha()])
    out = tmp_path / "out"
    col = Collection(str(tmp_path / "collection.anki2"))
    try:
        package, _ = deck(content, out)
        import_deck(col, package)
        answer_every_card(col)
        before = history(col)
        # Ten items, and the step order, the step sequence and the situation of the technique.
        assert len(col.find_notes("tag:exporter::changed::spring-2026")) == 10 + 3

        changed = "Do not fill the silence yourself — because the client loses the chance to find the words."
        write_content(
            tmp_path, library={**library, "edition": "Autumn 2026"}, techniques=[alpha(warnings=[changed, WARNINGS[1]])]
        )
        package, output = deck(content, out)
        notices = [line for line in output.splitlines() if line.startswith("deck: changed warning card: ")]
        assert notices == [
            f"deck: changed warning card: {content}/techniques/alpha.yaml: Staying With Silence: “{changed}”"
        ]
        log = import_deck(col, package)
        assert counts(log) == {"new": 0, "updated": 1, "conflicting": 0}
        (tagged,) = col.find_notes("tag:exporter::changed::autumn-2026")
        assert html.unescape(re.sub(r"</?span[^>]*>", "", col.get_note(tagged)["Answer"])) == changed
        assert_history_followed(before, history(col), renamed={changed: WARNINGS[0]})
        assert counts(import_deck(col, package)) == {
            "new": 0,
            "updated": 0,
            "conflicting": 0,
        }  # no card frozen, none re-keyed
    finally:
        col.close()


@pytest.mark.parametrize("release", ["deck-v1", "deck-v2"])
def test_todays_bundled_deck_upgrades_every_earlier_release_keeping_every_review(tmp_path: Path, release: str) -> None:
    """Trainees hold the deck of each earlier release (tests/fixtures/deck-v*): today's deck of the
    same content updates it in place, with no duplicate, one note type, and every review kept."""
    fixture = FIXTURES / release
    col = Collection(str(tmp_path / "trainee.anki2"))
    try:
        first = import_deck(col, fixture / "deck.apkg")
        notes = len(first.new)
        library_title = yaml.safe_load((BUNDLED_CONTENT / "library.yaml").read_text(encoding="utf-8"))["title"]
        answer_every_card(col, library_title)
        before = {cid: scheduling(col, cid) for cid in col.find_cards("")}
        assert all(entry[0] == 1 for entry in before.values()) and len(before) == notes

        content = tmp_path / "content"
        shutil.copytree(BUNDLED_CONTENT, content)
        shutil.copy(fixture / "deck-state.json", content / "deck-state.json")
        package, output = deck(content, tmp_path / "out")
        log = import_deck(col, package)
        assert log.conflicting == [] and "retired" not in output
        later = (identity.PRACTICE_MODEL_ID, identity.SEQUENCE_MODEL_ID)
        # Only the kinds added since are new: 3 step orders, 3 step sequences, 8 situations.
        assert len(log.new) == 14 and all(col.get_note(entry.id.nid).mid in later for entry in log.new)
        ours = sorted(nt.name for nt in col.models.all_names_and_ids() if "Exporter" in nt.name or nt.id in (
            identity.MODEL_ID, *later))  # fmt: skip
        assert ours == ["Exporter practice card", "Exporter step sequence", "Exporter technique card"]  # no "+"
        assert {cid: scheduling(col, cid) for cid in before} == before
        assert col.note_count() == notes + 14
        updated = [col.get_note(entry.id.nid) for entry in log.updated]
        assert all(note["My notes"] == "" for note in updated)  # the trainee's field ships empty
        # Every card of an earlier release is updated in place: namespaced tags (exporter::kind::step),
        # and fronts that ask one gradable thing (a completion, a reason) where they asked by position.
        assert len(updated) == notes and all(note.mid == identity.MODEL_ID for note in updated)
        assert all(tag.startswith("exporter::") for note in updated for tag in note.tags)
        assert counts(import_deck(col, package)) == {"new": 0, "updated": 0, "conflicting": 0}
    finally:
        col.close()


def scheduling(col: Collection, card_id: int) -> tuple[int, int, int, int]:
    card = col.get_card(card_id)
    return col.db.scalar("select count() from revlog where cid = ?", card_id), card.due, card.ivl, card.nid
