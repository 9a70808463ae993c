"""The deck as a trainee learns from it and as trainees who hold today's deck upgrade it.

Every test imports real packages into a real collection with the official `anki` package and
Anki's default import options. The v1 fixture (tests/fixtures/deck-v1) is the deck of the
bundled content that the first release built, with the state file it used.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import sqlite3
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from anki.collection import Collection
from anki.import_export_pb2 import (
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
    ImportAnkiPackageUpdateCondition,
)
from anki.scheduler.v3 import CardAnswer
from click.testing import CliRunner
from conftest import BUNDLED_CONTENT, FIXTURES, LIBRARY, technique, write_content
from label_check import english_labels_left
from test_deck import counts, exporter_note_types, import_deck, note_by_key

from exporter.cli import main
from exporter.content.techniques import read_library
from exporter.options import BuildOptions
from exporter.testing.synthetic import write_synthetic_content
from exporter.writers import deck as deck_writer
from exporter.writers.deck import identity
from exporter.writers.deck import state as deck_state

V1 = FIXTURES / "deck-v1"
#: Literal identities of today's deck (read from tests/fixtures/deck-v1): never let them change.
V1_MODEL_ID = 1_736_512_837_401
V1_NOTICE_GUID = "sZLROAyqSYSA"  # repair-of-therapeutic-rupture/step/notice
V1_REPAIR_DECK_ID = 205_072_560_639_828  # Mentalization Techniques::Problem processing::Repair of Therapeutic Rupture
V1_NOTES = 39
#: The later kinds' notes of the bundled library (3 step orders, 3 step sequences, 8 situations)
#: and their cards (the sequences have 7, 5 and 5 steps).
LATER_NOTES, LATER_CARDS = 14, 3 + 7 + 5 + 5 + 8
REPAIR_DECK = "Mentalization Techniques::Problem processing::Repair of Therapeutic Rupture"


def package_deck_ids(package: Path) -> dict[str, int]:
    """Deck name -> id as a package ships them (Anki gives decks its own ids on import, by name)."""
    with zipfile.ZipFile(package) as archive:
        database = sqlite3.connect(":memory:")
        database.deserialize(archive.read("collection.anki2"))
    (decks,) = database.execute("select decks from col").fetchone()
    return {deck["name"]: deck["id"] for deck in json.loads(decks).values()}


def build(content: Path, out: Path) -> tuple[Path, tuple[str, ...]]:
    library, _ = read_library(content)
    result = deck_writer.write_deck(library, out, BuildOptions(state_dir=content))
    return out / "deck.apkg", result.all_warnings


def visible(rendered: str) -> str:
    """What the trainee reads: the card's HTML without style, tags and entities."""
    body = rendered.split("</style>")[-1]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def without_header(rendered: str) -> str:
    return visible(re.sub(r'<div class="xc-header"[^>]*>.*?</div>', "", rendered, flags=re.S))


@pytest.fixture(scope="module")
def bundled_and_synthetic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Collection]]:
    root = tmp_path_factory.mktemp("learning")
    bundled = root / "bundled"
    shutil.copytree(BUNDLED_CONTENT, bundled)
    synthetic = write_synthetic_content(root / "synthetic", 100, seed=2026)
    collections = {}
    for name, content in (("bundled", bundled), ("synthetic", synthetic)):
        package, _ = build(content, root / f"out-{name}")
        col = Collection(str(root / f"{name}.anki2"))
        assert counts(import_deck(col, package))["conflicting"] == 0
        collections[name] = col
    yield collections
    for col in collections.values():
        col.close()


@pytest.mark.parametrize("name", ["bundled", "synthetic"])
def test_no_two_cards_ask_the_same_question(bundled_and_synthetic: dict[str, Collection], name: str) -> None:
    col = bundled_and_synthetic[name]
    cards = [col.get_card(cid) for cid in col.find_cards("")]
    assert len(cards) > (30 if name == "bundled" else 1500)
    questions = Counter(visible(card.question()) for card in cards)
    assert [q for q, n in questions.items() if n > 1] == []
    # Even without the header line (category, technique, kind, position), the rest of each front
    # is unique inside its technique: the question itself picks one answer.
    by_technique: dict[str, Counter[str]] = {}
    for card in cards:
        note = card.note()
        by_technique.setdefault(note["Technique"], Counter())[without_header(card.question())] += 1
    repeated = {t: [q for q, n in c.items() if n > 1] for t, c in by_technique.items()}
    assert {t: q for t, q in repeated.items() if q} == {}


@pytest.mark.parametrize("name", ["bundled", "synthetic"])
def test_anki_finds_no_empty_or_duplicate_first_field(bundled_and_synthetic: dict[str, Collection], name: str) -> None:
    col = bundled_and_synthetic[name]
    notes = [col.get_note(nid) for nid in col.find_notes("")]
    # NoteFieldsState: 0 normal, 1 empty first field, 2 duplicate first field (Anki's own check).
    assert Counter(note.fields_check() for note in notes) == {0: len(notes)}


@pytest.mark.parametrize("name", ["bundled", "synthetic"])
def test_a_warning_card_never_shows_its_warning(bundled_and_synthetic: dict[str, Collection], name: str) -> None:
    col = bundled_and_synthetic[name]
    warnings = [col.get_card(cid) for cid in col.find_cards("tag:exporter::kind::warning")]
    assert warnings
    for card in warnings:
        field = card.note()["Answer"]
        marked = re.search(r'<span class="xc-key">(.*?)</span>', field)
        graded = " ".join(html.unescape(marked.group(1) if marked else field).split())
        question = visible(card.question())
        assert graded not in question, question
        if "Situation" in question:  # asked by its situation: neither the mistake nor the reason is shown
            assert re.split(r" [—–] ", graded)[0] not in question, question
        else:  # no cue: the mistake is shown and the reason asked
            assert "Why is this a mistake?" in question and graded.split()[0] not in visible(field).split()[:3]


def test_bundled_step_cards_ask_what_comes_after_with_goal_and_previous_step(
    bundled_and_synthetic: dict[str, Collection],
) -> None:
    col = bundled_and_synthetic["bundled"]
    note = note_by_key(col, "repair-of-therapeutic-rupture/step/own-your-part")
    question = visible(note.cards()[0].question())
    assert "Step 3 of 7" in question and "What comes after this step?" in question
    assert "Goal An MBT intervention for the moments when the working alliance" in question
    assert "Previous step Halt what you were doing" in question
    assert "Say openly" not in question
    answer = visible(note.cards()[0].answer())
    # The step map shows every step whole (one sentence each here), never cut at 60 characters.
    assert "what you are feeling …”" not in answer  # the next step whole, never shortened
    assert "Ask the client to explore it with you: “Can you help me see what you are feeling at this moment?”" in answer


# --- today's deck, upgraded -----------------------------------------------------------------


def study_top(col: Collection, deck: str) -> int:
    """Answer the first new card of a deck Easy through the scheduler; return its id."""
    col.decks.select(col.decks.id_for_name(deck))
    top = col.sched.get_queued_cards(fetch_limit=1).cards[0]
    card = col.get_card(top.card.id)
    card.start_timer()
    col.sched.answer_card(col.sched.build_answer(card=card, states=top.states, rating=CardAnswer.EASY))
    return card.id


def scheduling(col: Collection, card_id: int) -> dict[str, Any]:
    card = col.get_card(card_id)
    revlog = col.db.list("select id from revlog where cid = ?", card_id)
    return {"nid": card.nid, "type": card.type, "ivl": card.ivl, "due": card.due, "revlog": revlog}


@pytest.fixture
def v1_collection(tmp_path: Path) -> Iterator[tuple[Collection, Path]]:
    """A collection that imported today's deck, and a copy of the content with today's state."""
    col = Collection(str(tmp_path / "trainee.anki2"))
    assert counts(import_deck(col, V1 / "deck.apkg")) == {"new": V1_NOTES, "updated": 0, "conflicting": 0}
    content = tmp_path / "content"
    shutil.copytree(BUNDLED_CONTENT, content)
    shutil.copy(V1 / "deck-state.json", content / "deck-state.json")
    yield col, content
    col.close()


def test_todays_deck_upgrades_in_place_with_default_options(
    v1_collection: tuple[Collection, Path], tmp_path: Path
) -> None:
    col, content = v1_collection
    (notice_nid,) = col.db.list("select id from notes where guid = ?", V1_NOTICE_GUID)
    notice_card = col.get_note(notice_nid).cards()[0]
    assert col.decks.name(notice_card.did) == REPAIR_DECK
    studied = [study_top(col, REPAIR_DECK) for _ in range(2)]
    assert studied[0] == notice_card.id
    before = {cid: scheduling(col, cid) for cid in studied}
    assert all(entry["ivl"] >= 1 and len(entry["revlog"]) == 1 for entry in before.values())

    package, warnings = build(content, tmp_path / "out")
    log = import_deck(col, package)

    assert counts(log) == {"new": LATER_NOTES, "updated": V1_NOTES, "conflicting": 0}
    later = [identity.PRACTICE_MODEL_ID, identity.SEQUENCE_MODEL_ID]
    assert sorted(nt["id"] for nt in exporter_note_types(col)) == [V1_MODEL_ID, *later]
    assert not any(n.name.endswith("+") for n in col.models.all_names_and_ids())
    assert col.note_count() == V1_NOTES + LATER_NOTES and col.card_count() == V1_NOTES + LATER_CARDS
    assert all(col.get_note(entry.id.nid).mid in later for entry in log.new)  # only the new kinds are new
    assert {cid: scheduling(col, cid) for cid in before} == before
    note = col.get_note(notice_nid)
    assert note["Prompt"] == "How does this technique begin?" and "Goal" in note["Context"]
    assert note.cards()[0].did == notice_card.did
    assert package_deck_ids(package)[REPAIR_DECK] == V1_REPAIR_DECK_ID
    assert package_deck_ids(V1 / "deck.apkg")[REPAIR_DECK] == V1_REPAIR_DECK_ID
    assert identity.note_guid("repair-of-therapeutic-rupture/step/notice") == V1_NOTICE_GUID
    assert identity.MODEL_ID == V1_MODEL_ID
    (model,) = [nt for nt in exporter_note_types(col) if nt["id"] == V1_MODEL_ID]
    assert model["flds"][-1]["name"] == "My notes" and "never" not in model["flds"][-1]["description"]
    assert model["flds"][-1]["description"].startswith("Your own notes for this card.")
    # Importing the same new deck again changes nothing.
    assert counts(import_deck(col, package)) == {"new": 0, "updated": 0, "conflicting": 0}


def test_personal_notes_survive_an_update(v1_collection: tuple[Collection, Path], tmp_path: Path) -> None:
    col, content = v1_collection
    import_deck(col, build(content, tmp_path / "out")[0])  # the upgrade brings the "My notes" field
    (nid,) = col.db.list("select id from notes where guid = ?", V1_NOTICE_GUID)
    note = col.get_note(nid)
    mine = "Seen in supervision: <i>shut down</i> & went quiet"
    note["My notes"] = mine
    col.update_note(note)

    path = content / "techniques" / "repair-of-therapeutic-rupture.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Watch for signs", "Look out for signs"), encoding="utf-8")
    log = import_deck(col, build(content, tmp_path / "out")[0])
    assert counts(log)["new"] == 0 and counts(log)["conflicting"] == 0 and counts(log)["updated"] >= 1
    assert col.get_note(nid)["My notes"] == mine
    assert "Seen in supervision: shut down & went quiet" in visible(col.get_note(nid).cards()[0].answer())
    other = note_by_key(col, "repair-of-therapeutic-rupture/step/pause-and-name")
    assert "Look out for signs" in other["Context"]  # the cards without notes did take the update


# --- updates never go quiet -------------------------------------------------------------------


def reworded(content: Path, round_number: int) -> None:
    """Reword step 2 of the bundled Stop, Rewind and Explore (round n -> a new wording)."""
    path = content / "techniques" / "stop-rewind-explore.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["steps"][1]["text"] = f"Go back to the moment just before the feeling took over (wording {round_number})."
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_lost_state_and_deck_still_update_the_reworded_card(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = tmp_path / "content"
    shutil.copytree(BUNDLED_CONTENT, content)
    (content / "deck-state.json").unlink()
    first_build = 1_790_000_000
    monkeypatch.setattr(deck_state, "_clock", lambda: first_build)
    col = Collection(str(tmp_path / "trainee.anki2"))
    try:
        out = tmp_path / "output"
        import_deck(col, build(content, out)[0])
        for round_number in (1, 2, 3):
            reworded(content, round_number)
            import_deck(col, build(content, out)[0])
        key = "stop-rewind-explore/step/rewind"
        assert note_by_key(col, key).mod == first_build + 3

        (content / "deck-state.json").unlink()  # a fresh clone: no state, no output/
        shutil.rmtree(out)
        reworded(content, 4)
        monkeypatch.setattr(deck_state, "_clock", lambda: first_build + 86_400)
        package, warnings = build(content, out)
        assert any("were both missing" in w and "put back the last published deck.apkg" in w for w in warnings)
        log = import_deck(col, package)
        assert counts(log)["new"] == 0 and counts(log)["conflicting"] == 0
        assert "wording 4" in note_by_key(col, key)["Answer"]
        # The clock was read once and stored: the same content and state give the same bytes.
        again, warnings = build(content, out)
        assert again.read_bytes() == package.read_bytes() and not warnings
    finally:
        col.close()


def test_an_item_inserted_in_a_list_without_ids_is_followed_and_said(tmp_path: Path) -> None:
    """The later items keep their own cards (tests/writers/deck/test_history.py checks the reviews)."""
    phrases = ["Let us slow down here.", "What went on for you?", "Tell me more about that."]
    content = write_content(tmp_path, techniques=[technique("alpha", key_phrases=phrases)])
    args = ["deck", "--content", str(content), "--out", str(tmp_path / "out"), "-j", "1"]
    assert CliRunner().invoke(main, args).exit_code == 0
    inserted = [phrases[0], "Can we pause for a moment?", *phrases[1:]]
    write_content(tmp_path, techniques=[technique("alpha", key_phrases=inserted)])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "; 2 items moved: history kept" in result.output and "warning:" not in result.output
    # Once built, the new places are in the state: the next build has nothing to follow.
    assert "history kept" not in CliRunner().invoke(main, args).output


# --- words of the deck ---------------------------------------------------------------------------


def test_a_german_deck_has_no_english_label_left(tmp_path: Path) -> None:
    library = {**LIBRARY, "title": "Mentalisierungstechniken", "language": "de", "disclaimer": "Nur zur Übung."}
    data = technique(
        "anhalten",
        title="Anhalten und Zurückspulen",
        summary="Wenn das Mentalisieren zusammenbricht, hält die Therapeutin das Gespräch an.",
        steps=["Sanft unterbrechen.", "Zum Moment davor zurückgehen.", "Den Moment langsam erkunden."],
        key_phrases=["Halten wir kurz an.", "Gehen wir einen Schritt zurück."],
        follow_up_questions=[{"cue": "Der Klient erzählt sehr schnell", "text": "Was haben Sie bemerkt?"}],
        alternative_phrasings=["Ich habe den Faden verloren."],
        warnings=[
            "Nicht zu spät anhalten — sonst ist die Reflexion schon weg.",
            "Nicht Schuld zuweisen — es geht um Verstehen.",
        ],
        sources=["Bateman, A. & Fonagy, P. (2016). Handbuch."],
    )  # fmt: skip
    content = write_content(tmp_path, techniques=[data], library=library)
    package, _ = build(content, tmp_path / "out")
    # A removed item too, so the retired notice and deck are checked.
    data["warnings"] = data["warnings"][:1]
    write_content(tmp_path, techniques=[data], library=library)
    package, _ = build(content, tmp_path / "out")
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        import_deck(col, package)
        texts = []
        for cid in col.find_cards(""):
            card = col.get_card(cid)
            texts += [visible(card.question()), visible(card.answer()), *card.note().fields]
        for model in exporter_note_types(col):
            texts += [
                model["name"],
                *(f["name"] for f in model["flds"]),
                *(f.get("description", "") for f in model["flds"]),
            ]
            texts += [t["name"] for t in model["tmpls"]]
        texts += [f"{d.name} {col.decks.get(d.id)['desc']}" for d in col.decks.all_names_and_ids()]
        # "tag:retired" is Anki search syntax for the (untranslated) tag, not a word to translate.
        text = "\n".join(texts).replace("tag:exporter::retired", "")
        assert "Ausgemustert" in text and "Meine Notizen" in text and "Womit beginnt diese Technik?" in text
        assert english_labels_left(text, "de", ["deck."]) == []
        assert all(json.dumps(m["flds"]).count("Meine Notizen") == 1 for m in exporter_note_types(col))
    finally:
        col.close()


def test_state_stays_small_per_technique(tmp_path: Path) -> None:
    content = write_synthetic_content(tmp_path, 100, seed=5)
    build(content, tmp_path / "out")
    size = (content / "deck-state.json").stat().st_size
    assert size <= 100 * 3 * 1024, size


def test_an_added_field_stops_updates_and_removing_it_recovers(
    v1_collection: tuple[Collection, Path], tmp_path: Path
) -> None:
    """What the README says happens when a trainee adds a field, and that its recovery works."""
    col, content = v1_collection
    package, _ = build(content, tmp_path / "out")
    model = col.models.get(V1_MODEL_ID)
    assert model is not None
    col.models.add_field(model, col.models.new_field("Mine"))
    col.models.update_dict(model)
    log = import_deck(col, package)
    assert counts(log) == {"new": LATER_NOTES, "updated": 0, "conflicting": V1_NOTES}
    (copy,) = [n for n in col.models.all_names_and_ids() if n.name == "Exporter technique card+"]

    col.models.remove(copy.id)  # step 1 of the README
    model = col.models.get(V1_MODEL_ID)
    assert model is not None
    col.models.remove_field(model, model["flds"][-1])  # step 2
    col.models.update_dict(model)
    # Adding and removing a field marks every note as edited now, so "If newer" skips them all:
    assert counts(import_deck(col, package)) == {"new": 0, "updated": 0, "conflicting": 0}
    always = ImportAnkiPackageOptions(
        merge_notetypes=False,
        update_notes=ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS,
        update_notetypes=ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_ALWAYS,
    )
    request = ImportAnkiPackageRequest(package_path=str(package), options=always)
    log = col.import_anki_package(request).log  # step 3: once with "Update notes: Always"
    assert counts(log) == {"new": 0, "updated": V1_NOTES, "conflicting": 0}  # the later kinds were never held up
    names = sorted(n.name for n in col.models.all_names_and_ids() if "Exporter" in n.name)
    assert names == ["Exporter practice card", "Exporter step sequence", "Exporter technique card"]


def test_an_item_removed_from_a_list_without_ids_retires_its_card_only(tmp_path: Path) -> None:
    steps = ["Slow the talk down.", "Name what you noticed.", "Ask what it was like.", "Link it to now."]
    content = write_content(tmp_path, techniques=[technique("beta", steps=steps)])
    args = ["deck", "--content", str(content), "--out", str(tmp_path / "out"), "-j", "1"]
    assert CliRunner().invoke(main, args).exit_code == 0
    write_content(tmp_path, techniques=[technique("beta", steps=[steps[0], *steps[2:]])])
    result = CliRunner().invoke(main, args)
    assert "3 step," in result.output and "1 retired; 2 items moved: history kept" in result.output
    assert "warning:" not in result.output


def test_the_german_sample_library_deck_has_no_english_label_left(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES / "libraries" / "de", content)
    package, _ = build(content, tmp_path / "out")
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        log = import_deck(col, package)
        assert counts(log)["new"] > 30
        cards = [col.get_card(cid) for cid in col.find_cards("")]
        texts = [text for card in cards for text in (visible(card.question()), visible(card.answer()))]
        for model in exporter_note_types(col):
            texts += [model["name"], *(f["name"] for f in model["flds"]), model["tmpls"][0]["name"]]
        assert english_labels_left("\n".join(texts), "de", ["deck."]) == []
        assert Counter(visible(card.question()) for card in cards).most_common(1)[0][1] == 1
    finally:
        col.close()
