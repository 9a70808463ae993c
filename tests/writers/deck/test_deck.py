"""The Anki deck, checked the way a trainee meets it: imported into a real Anki collection.

One module-scoped scenario builds the deck, imports it, studies a card, then edits the content
step by step (unchanged rebuild, edited step, added step, new CSS, removed warning) and imports
each rebuild into the same collection, recording what Anki reported. The tests read that record.
"""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from anki.collection import Collection
from anki.import_export_pb2 import (
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
    ImportAnkiPackageUpdateCondition,
    ImportResponse,
)
from anki.scheduler.v3 import CardAnswer
from click.testing import CliRunner
from conftest import BUNDLED_CONTENT, technique, write_content

from exporter.cli import main
from exporter.content.techniques import read_library
from exporter.errors import ExporterError
from exporter.options import BuildOptions
from exporter.writers import deck as deck_writer
from exporter.writers.deck import identity, note_type
from exporter.writers.deck import state as deck_state
from exporter.writers.deck.state import FIRST_MTIME, load_state, parse_state

SEED = "repair-of-therapeutic-rupture"
LATER_KINDS = ("situation", "step-order", "step-sequence")
SEED_FILE = BUNDLED_CONTENT / "techniques" / f"{SEED}.yaml"
IF_NEWER = ImportAnkiPackageUpdateCondition.IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER
#: What Anki's import dialog does unless the user changes it.
DEFAULT_IMPORT = ImportAnkiPackageOptions(
    merge_notetypes=False, update_notes=IF_NEWER, update_notetypes=IF_NEWER, with_scheduling=False
)


def beta() -> dict[str, Any]:
    """A second technique (no item ids: its notes are keyed by position) in another category."""
    return technique("beta", title="Beta Technique", categories=["Interpersonal"])


def seed(**overrides: Any) -> dict[str, Any]:
    """The bundled seed technique (7 steps, 4 phrases, 3 warnings) on its own."""
    data: dict[str, Any] = yaml.safe_load(SEED_FILE.read_text(encoding="utf-8"))
    data.pop("similar", None)
    return {"id": SEED, **data, **overrides}


def edited_seed(**overrides: Any) -> dict[str, Any]:
    """The seed with the wording of step 3 changed."""
    data = seed(**overrides)
    data["steps"][2]["text"] = data["steps"][2]["text"].replace("Say openly", "Name openly")
    return data


def write_library(root: Path, seed_data: dict[str, Any] | None = None, beta_data: dict[str, Any] | None = None) -> Path:
    return write_content(root, techniques=[seed_data or seed(), beta_data or beta()])


def build(content: Path, out: Path, partial_ids: set[str] | None = None) -> Path:
    """Build the deck as `exporter deck` does, with the state file beside the content."""
    library, _ = read_library(content)
    if partial_ids:
        library = library.subset(partial_ids, None)
    options = BuildOptions(state_dir=content, partial=bool(partial_ids))
    deck_writer.write_deck(library, out, options)
    return out / "deck.apkg"


def import_deck(col: Collection, package: Path) -> ImportResponse.Log:
    request = ImportAnkiPackageRequest(package_path=str(package), options=DEFAULT_IMPORT)
    return col.import_anki_package(request).log


def note_by_key(col: Collection, key: str) -> Any:
    guid = identity.note_guid(key)
    (note_id,) = col.db.list("select id from notes where guid = ?", guid)
    return col.get_note(note_id)


def keys_of(col: Collection, notes: Any, state_file: Path) -> set[str]:
    """The writer's keys (e.g. "beta/step/#2") of notes Anki logged; the state file names them."""
    key_of_guid = state_keys(state_file)
    guid_of_id = dict(col.db.all("select id, guid from notes"))
    return {key_of_guid[guid_of_id[note.id.nid]] for note in notes}


def state_keys(state_file: Path) -> dict[str, str]:
    """GUID -> the writer's key, as the state file records them."""
    state = parse_state(json.loads(state_file.read_text(encoding="utf-8")))
    return {guid: entry.key for guid, entry in state.notes.items()}


def exporter_note_types(col: Collection) -> list[dict[str, Any]]:
    """Our note types as stored now (read from the backend, not the Python-side cache)."""
    ids = [nt.id for nt in col.models.all_names_and_ids()]
    notetypes = [json.loads(col._backend.get_notetype_legacy(ntid)) for ntid in ids]
    return [nt for nt in notetypes if nt.get("originalId", nt["id"]) == identity.MODEL_ID or "Exporter" in nt["name"]]


def counts(log: ImportResponse.Log) -> dict[str, int]:
    return {"new": len(log.new), "updated": len(log.updated), "conflicting": len(log.conflicting)}


@dataclass
class Scenario:
    col: Collection
    state: Path
    first: ImportResponse.Log
    first_order: list[str]
    logs: dict[str, ImportResponse.Log] = field(default_factory=dict)
    studied: dict[str, Any] = field(default_factory=dict)
    packages: dict[str, bytes] = field(default_factory=dict)
    states: dict[str, str] = field(default_factory=dict)
    css: str = ""


def study_top_card(col: Collection, deck: str, state_file: Path) -> str:
    """Answer the first new card of a deck "Easy" through the scheduler; return its note's key."""
    col.decks.select(col.decks.id_for_name(deck))
    top = col.sched.get_queued_cards(fetch_limit=1).cards[0]
    card = col.get_card(top.card.id)
    card.start_timer()
    col.sched.answer_card(col.sched.build_answer(card=card, states=top.states, rating=CardAnswer.EASY))
    (key,) = keys_of(col, [ImportResponse.Note(id={"nid": card.nid})], state_file)
    return key


def studied_now(col: Collection, key: str) -> dict[str, Any]:
    card = note_by_key(col, key).cards()[0]
    return {
        "card_id": card.id,
        "ivl": card.ivl,
        "type": card.type,
        "due": card.due,
        "revlog": col.db.list("select id from revlog where cid = ?", card.id),
    }


def new_card_order(col: Collection, deck: str) -> list[str]:
    col.decks.select(col.decks.id_for_name(deck))
    queued = col.sched.get_queued_cards(fetch_limit=100)
    return [col.get_card(c.card.id).note()["Header"] for c in queued.cards]


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    root = tmp_path_factory.mktemp("deck")
    content, out = write_library(root), root / "out"
    state = content / "deck-state.json"
    col = Collection(str(root / "collection.anki2"))
    package = build(content, out)
    first = import_deck(col, package)
    result = Scenario(
        col=col, state=state, first=first, first_order=new_card_order(col, "Test Library::Problem processing")
    )
    result.packages["first"], result.states["first"] = package.read_bytes(), state.read_text(encoding="utf-8")

    seed_deck = "Test Library::Problem processing::Repair of Therapeutic Rupture"
    studied = [study_top_card(col, seed_deck, state) for _ in range(3)]
    studied.append(study_top_card(col, "Test Library::Interpersonal", state))
    assert studied == [
        f"{SEED}/step/notice",
        f"{SEED}/step/pause-and-name",
        f"{SEED}/step/own-your-part",
        "beta/step/#1",
    ]
    result.studied["before"] = {key: studied_now(col, key) for key in studied}

    package = build(content, out)
    result.packages["unchanged"], result.states["unchanged"] = package.read_bytes(), state.read_text(encoding="utf-8")
    result.logs["unchanged"] = import_deck(col, package)

    write_library(root, seed_data=edited_seed())
    result.logs["edited"] = import_deck(col, build(content, out))

    four_steps = beta() | {"steps": ["beta step one", "beta step two", "beta step three", "beta step four"]}
    write_library(root, seed_data=edited_seed(), beta_data=four_steps)
    result.logs["added"] = import_deck(col, build(content, out))

    with pytest.MonkeyPatch.context() as patch:
        result.css = note_type.CSS + "\n.xc-prompt { letter-spacing: 0.01em; }\n"
        patch.setattr(note_type, "CSS", result.css)
        result.logs["css"] = import_deck(col, build(content, out))
        without = edited_seed()
        without["warnings"] = [w for w in without["warnings"] if w["id"] != "no-over-apologising"]
        write_library(root, seed_data=without, beta_data=four_steps)
        result.logs["removed"] = import_deck(col, build(content, out))
        result.logs["removed again"] = import_deck(col, build(content, out))
    result.studied["after"] = {k: studied_now(col, k) for k in result.studied["before"]}
    yield result
    col.close()


# --- the first import ------------------------------------------------------------------------


def test_first_import_has_one_note_per_step_phrase_and_warning(scenario: Scenario) -> None:
    col = scenario.col
    # Today's kinds, then step order, step sequence (seven steps) and situations (three; beta's one).
    seed, beta_notes = 7 + 4 + 3 + 1 + 1 + 3, 3 + 3 + 1 + 1 + 1
    assert counts(scenario.first) == {"new": seed + beta_notes, "updated": 0, "conflicting": 0}
    kinds = {}
    for kind in ("step", "key-phrase", "follow-up-question", "alternative-phrasing", "warning", *LATER_KINDS):
        kinds[kind] = len(col.find_notes(f"tag:exporter::kind::{kind} tag:exporter::technique::{SEED}"))
    assert kinds == {"step": 7, "key-phrase": 1, "follow-up-question": 2, "alternative-phrasing": 1, "warning": 3,
                     "situation": 3, "step-order": 1, "step-sequence": 1}  # fmt: skip
    assert all(len(col.get_note(n).cards()) == 1 for n in col.find_notes(f"-mid:{identity.SEQUENCE_MODEL_ID}"))
    (sequence,) = col.find_notes(f"mid:{identity.SEQUENCE_MODEL_ID}")
    assert len(col.get_note(sequence).cards()) == 7  # one card per step


def test_step_note_fields_tags_and_deck(scenario: Scenario) -> None:
    note = note_by_key(scenario.col, f"{SEED}/step/own-your-part")
    assert note["Header"] == "Problem processing &gt; Repair of Therapeutic Rupture · Step 3 of 7"
    assert note["Prompt"] == "What comes after this step?"
    assert "Previous step" in note["Context"] and "Halt what you were doing" in note["Context"]
    assert note["Answer"].startswith("Name openly what you may have added")  # after the edit
    assert note["StepMap"].count("<li") == 7 and note["StepMap"].count("xc-current") == 1
    assert sorted(note.tags) == [
        "exporter::category::interpersonal", "exporter::category::problem-processing",
        "exporter::changed::test-edition-1", "exporter::kind::step", f"exporter::technique::{SEED}",
    ]  # fmt: skip
    deck = scenario.col.decks.name(note.cards()[0].did)
    assert deck == "Test Library::Problem processing::Repair of Therapeutic Rupture"
    first = note_by_key(scenario.col, f"{SEED}/step/notice")
    assert "Goal" in first["Context"] and "working alliance" in first["Context"]
    assert first["Prompt"] == "How does this technique begin?"


def test_phrase_and_warning_cards_ask_with_the_cue(scenario: Scenario) -> None:
    col = scenario.col
    follow_up = note_by_key(col, f"{SEED}/follow-up-question/what-happened")
    assert "The atmosphere has changed" in follow_up["Context"]
    assert follow_up["Prompt"] == "What could you ask?"
    assert (
        html.unescape(follow_up["Answer"])
        == "Something just changed between us. Could you help me understand what happened?"
    )
    key_phrase = note_by_key(col, f"{SEED}/key-phrase/made-a-mistake")
    assert key_phrase["Prompt"] == "Complete the key phrase: “I think I just got …”"  # no cue: two fifths of it
    warning = note_by_key(col, f"{SEED}/warning/no-defending")
    assert warning["Prompt"] == "What is the mistake to avoid here, and why?"
    assert "Situation" in warning["Context"] and "Bateman" in warning["Source"]
    assert "defend yourself" not in warning.cards()[0].question()
    back = html.unescape(re.sub(r"<[^>]+>", " ", warning.cards()[0].answer()))
    assert "Do not defend yourself — it shuts down mentalizing." in back and "Bateman" in back


def test_new_cards_come_in_handbook_order(scenario: Scenario) -> None:
    seed = [h for h in scenario.first_order if "Repair of Therapeutic Rupture" in h]
    steps = [f"Problem processing &gt; Repair of Therapeutic Rupture · Step {n} of 7" for n in range(1, 8)]
    rest = ["Key phrase", "Follow-up question 1 of 2", "Follow-up question 2 of 2", "Alternative phrasing"]
    rest += [f"Warning {n} of 3" for n in range(1, 4)]
    rest += ["Order of the steps"] + ["Steps one by one"] * 7  # one card per step of the sequence
    expected = steps + [f"Problem processing &gt; Repair of Therapeutic Rupture · {k}" for k in rest]
    assert seed == expected[:20]  # Anki's default: 20 new cards a day


def test_note_type_has_fixed_id_fields_and_template(scenario: Scenario) -> None:
    notetypes = exporter_note_types(scenario.col)
    assert sorted(m["id"] for m in notetypes) == [identity.MODEL_ID, identity.PRACTICE_MODEL_ID,
                                                   identity.SEQUENCE_MODEL_ID]  # fmt: skip
    (model,) = [m for m in notetypes if m["id"] == identity.MODEL_ID]
    assert [f["name"] for f in model["flds"]] == [*identity.FIELDS[:-1], "My notes"]
    # Literal ids: the ones today's trainees hold (tests/fixtures/deck-v1). Never change them.
    assert identity.MODEL_ID == 1_736_512_837_401
    assert [f["id"] for f in model["flds"]] == [
        180222958969172, 46691658105789, 228035520372650, 7966325349518, 232422265828617,
        265225258986400, 38171016131242, 204645860051116, 119951146918073, 162344682578703,
    ]  # fmt: skip
    assert [(t["name"], t["id"]) for t in model["tmpls"]] == [("Recall", 138677438783527)]
    assert ".nightMode" in model["css"] and 'dir="auto"' in model["tmpls"][0]["qfmt"]
    # The later kinds' note types: their own fixed ids, so today's stays as it was.
    assert (identity.PRACTICE_MODEL_ID, identity.SEQUENCE_MODEL_ID) == (1_736_512_837_402, 1_736_512_837_403)
    sequence = next(m for m in notetypes if m["id"] == identity.SEQUENCE_MODEL_ID)
    assert sequence["type"] == 1 and "{{cloze:Steps}}" in sequence["tmpls"][0]["qfmt"]


# --- rebuilds imported into the same collection ----------------------------------------------


def test_same_content_gives_the_same_bytes_and_state(scenario: Scenario) -> None:
    assert scenario.packages["unchanged"] == scenario.packages["first"]
    assert scenario.states["unchanged"] == scenario.states["first"]
    with zipfile.ZipFile(io.BytesIO(scenario.packages["first"])) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_unchanged_rebuild_updates_nothing(scenario: Scenario) -> None:
    assert counts(scenario.logs["unchanged"]) == {"new": 0, "updated": 0, "conflicting": 0}


def test_edited_step_updates_only_the_notes_that_show_it(scenario: Scenario) -> None:
    log = scenario.logs["edited"]
    assert counts(log)["new"] == 0 and counts(log)["conflicting"] == 0
    updated = keys_of(scenario.col, log.updated, scenario.state)
    assert {f"{SEED}/step/own-your-part", f"{SEED}/step/invite-exploration"} <= updated
    # ...and the step-order and step-sequence notes, which show every step.
    assert {f"{SEED}/step-order/all", f"{SEED}/step-sequence/all"} <= updated
    assert all(key.startswith(f"{SEED}/step") for key in updated), updated


def test_added_step_is_exactly_one_new_note(scenario: Scenario) -> None:
    log = scenario.logs["added"]
    assert counts(log)["new"] == 1 and keys_of(scenario.col, log.new, scenario.state) == {"beta/step/#4"}
    assert all(key.startswith("beta/step") for key in keys_of(scenario.col, log.updated, scenario.state))


def test_reviews_and_card_ids_survive_every_import(scenario: Scenario) -> None:
    before, after = scenario.studied["before"], scenario.studied["after"]
    assert before == after
    for studied in after.values():
        assert studied["ivl"] >= 1 and len(studied["revlog"]) == 1


def test_changed_css_updates_the_note_type_in_place(scenario: Scenario) -> None:
    assert counts(scenario.logs["css"]) == {"new": 0, "updated": 0, "conflicting": 0}
    notetypes = exporter_note_types(scenario.col)
    assert len(notetypes) == 3 and all(m["css"] == scenario.css for m in notetypes)  # one style, no copies
    assert all(m["mod"] > FIRST_MTIME for m in notetypes)


def test_removed_warning_stays_tagged_retired(scenario: Scenario) -> None:
    log = scenario.logs["removed"]
    # The retired note, and the two warnings whose headers now count "of 2".
    assert counts(log) == {"new": 0, "updated": 3, "conflicting": 0}
    note = note_by_key(scenario.col, f"{SEED}/warning/no-over-apologising")
    assert "exporter::retired" in note.tags and "no longer in the handbook" in note["Status"]
    assert "over-apologise" in note["Answer"]
    deck = scenario.col.decks.name(note.cards()[0].did)
    assert deck == "Test Library::Problem processing::Repair of Therapeutic Rupture"  # not moved
    assert counts(scenario.logs["removed again"]) == {"new": 0, "updated": 0, "conflicting": 0}


# --- escaping --------------------------------------------------------------------------------

MARKUP = "<script>alert(\"x\")</script> {{c1::cloze}} {{Answer}} & [sound:x.mp3] 'quoted'"


def test_markup_in_content_is_shown_as_text(tmp_path: Path) -> None:
    data = technique(
        "markup",
        title="Tags <b>bold</b> & {{Title}}",
        steps=[MARKUP, "second step"],
        warnings=[{"text": "Do not <i>X</i>", "cue": "{{c2::hint}}"}],
    )
    content = write_content(tmp_path, techniques=[data])
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        assert counts(import_deck(col, build(content, tmp_path / "out")))["new"] == 2 + 3 + 1 + 1  # and a situation
        step1 = note_by_key(col, "markup/step/#1")
        assert "<script" not in step1["Answer"] and "{{" not in step1["Answer"]
        for key in ("markup/step/#2", "markup/warning/#1"):
            card = note_by_key(col, key).cards()[0]
            question = card.question()
            assert "<script" not in question and "<i>" not in question and "<b>" not in question
            visible = html.unescape(re.sub(r"<[^>]+>", "", question.split("</style>")[-1]))
            assert "Tags <b>bold</b> & {{Title}}" in visible
            if key.endswith("step/#2"):
                assert MARKUP in visible  # the previous step is this card's cue
            else:
                assert "{{c2::hint}}" in visible
        answer = html.unescape(re.sub(r"<[^>]+>", "", note_by_key(col, "markup/step/#1").cards()[0].answer()))
        assert MARKUP in answer
    finally:
        col.close()


# --- the state file --------------------------------------------------------------------------


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path, bytes]:
    content = write_library(tmp_path)
    package = build(content, tmp_path / "out")
    return content, package, package.read_bytes()


def test_state_file_is_one_line_per_note_grouped_by_technique(built: tuple[Path, Path, bytes]) -> None:
    content, _, _ = built
    text = (content / "deck-state.json").read_text(encoding="utf-8")
    state = json.loads(text)
    assert state["format"] == 2 and set(state["notes"]) == {SEED, "beta"}
    assert sum(len(group) for group in state["notes"].values()) == 28
    assert len(text.splitlines()) == 28 + 2 * 2 + 8  # a line per note, two per technique, eight around them
    parsed = parse_state(state)
    for guid, entry in parsed.notes.items():
        assert guid == identity.note_guid(entry.key)
        assert entry.mtime == parsed.epoch and len(entry.hash) == 20
    assert state["notes"][SEED]["warning/no-defending"][3] == "Do not defend yourself — it shuts down…"


@pytest.mark.parametrize("damage", ["{not json", '{"format": 1, "notes": []}', "<<<<<<< HEAD\n{}\n"])
def test_damaged_state_stops_the_build_and_keeps_the_deck(built: tuple[Path, Path, bytes], damage: str) -> None:
    content, package, before = built
    (content / "deck-state.json").write_text(damage, encoding="utf-8")
    with pytest.raises(ExporterError) as raised:
        build(content, package.parent)
    message = raised.value.message
    assert "deck-state.json: the deck state file is damaged" in message and "git checkout" in message
    assert package.read_bytes() == before
    assert (content / "deck-state.json").read_text(encoding="utf-8") == damage


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"format": 2, "epoch": ' + "9" * 5000 + "}", "digits"),
        ('{"format": 2, "epoch": 9223372036854775807, "note_type": {"hash": "", "mtime": 1767225600}, "notes": {}}',
         "expected a time between"),
    ],
)  # fmt: skip
def test_state_with_absurd_numbers_or_nesting_is_reported_in_one_line(
    built: tuple[Path, Path, bytes], damage: str, reason: str
) -> None:
    content, package, _ = built
    (content / "deck-state.json").write_text(damage, encoding="utf-8")
    result = CliRunner().invoke(main, ["deck", "--content", str(content), "--out", str(package.parent), "-j", "1"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "the deck state file is damaged" in result.output and reason in result.output


def test_cli_reports_a_damaged_state_in_one_line(built: tuple[Path, Path, bytes]) -> None:
    content, package, _ = built
    (content / "deck-state.json").write_text("{", encoding="utf-8")
    result = CliRunner().invoke(main, ["deck", "--content", str(content), "--out", str(package.parent), "-j", "1"])
    assert result.exit_code == 1
    assert "the deck state file is damaged" in result.output and "Traceback" not in result.output


def test_deleted_state_is_recovered_from_the_last_deck(built: tuple[Path, Path, bytes]) -> None:
    content, package, before = built
    state_file = content / "deck-state.json"
    write_library(content.parent, seed_data=edited_seed())
    build(content, package.parent)
    expected_state, expected_deck = state_file.read_text(encoding="utf-8"), package.read_bytes()
    assert expected_deck != before

    state_file.unlink()
    library, _ = read_library(content)
    result = deck_writer.write_deck(library, package.parent, BuildOptions(state_dir=state_file.parent))
    assert any("recovered" in w for w in result.all_warnings)
    assert package.read_bytes() == expected_deck  # the same change times, so Anki sees nothing new
    assert (
        parse_state(json.loads(state_file.read_text(encoding="utf-8"))).notes.keys()
        == parse_state(json.loads(expected_state)).notes.keys()
    )


def test_lost_state_and_deck_never_rekey_notes(
    built: tuple[Path, Path, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content, package, _ = built
    later = json.loads((content / "deck-state.json").read_text(encoding="utf-8"))["epoch"] + 3600
    monkeypatch.setattr(deck_state, "_clock", lambda: later)
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        import_deck(col, package)
        (content / "deck-state.json").unlink()
        shutil.rmtree(package.parent)
        library, _ = read_library(content)
        result = deck_writer.write_deck(library, package.parent, BuildOptions(state_dir=content))
        assert any("were both missing" in w for w in result.all_warnings)
        log = import_deck(col, package)  # every note newer (clock read once): updated, never duplicated
        assert counts(log) == {"new": 0, "updated": 28, "conflicting": 0}
    finally:
        col.close()


def test_partial_build_retires_nothing(built: tuple[Path, Path, bytes]) -> None:
    content, package, _ = built
    build(content, package.parent, partial_ids={"beta"})
    state = load_state(content / "deck-state.json", package)
    assert not state.started and not any(v.retired for v in state.notes.values())
    assert sum(v.technique == SEED for v in state.notes.values()) == 14 + 5
    with zipfile.ZipFile(package) as archive:
        assert archive.namelist() == ["collection.anki2", "media"]


def test_seed_is_the_bundled_technique() -> None:
    data = seed()
    assert len(data["steps"]) == 7 and len(data["warnings"]) == 3


def test_retired_item_that_comes_back_is_active_again(tmp_path: Path) -> None:
    content = write_library(tmp_path)
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        import_deck(col, build(content, tmp_path / "out"))
        without = seed()
        without["warnings"] = without["warnings"][:2]
        write_library(tmp_path, seed_data=without)
        package = build(content, tmp_path / "out")
        fresh = Collection(str(tmp_path / "fresh-import.anki2"))
        try:  # someone importing for the first time gets the retired card outside the library's deck
            import_deck(fresh, package)
            retired = note_by_key(fresh, f"{SEED}/warning/no-over-apologising")
            assert fresh.decks.name(retired.cards()[0].did) == "Test Library (retired)"
        finally:
            fresh.close()
        import_deck(col, package)
        write_library(tmp_path)
        log = import_deck(col, build(content, tmp_path / "out"))
        assert counts(log) == {"new": 0, "updated": 3, "conflicting": 0}  # it, and the renumbered warnings
        note = note_by_key(col, f"{SEED}/warning/no-over-apologising")
        assert "retired" not in note.tags and note["Status"] == ""
    finally:
        col.close()


def test_source_date_epoch_dates_only_changed_notes(
    built: tuple[Path, Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    content, package, _ = built
    write_library(content.parent, seed_data=edited_seed())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    build(content, package.parent)
    state = load_state(content / "deck-state.json", package)
    times = {version.key: version.mtime for version in state.notes.values()}
    assert times[f"{SEED}/step/own-your-part"] == 1_800_000_000
    assert times[f"{SEED}/warning/no-defending"] == state.epoch < 1_800_000_000
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(ExporterError, match="SOURCE_DATE_EPOCH"):
        build(content, package.parent)


def test_missing_state_and_unreadable_deck_give_a_clear_message(built: tuple[Path, Path, bytes]) -> None:
    content, package, _ = built
    (content / "deck-state.json").unlink()
    package.write_bytes(b"not a zip file")
    with pytest.raises(ExporterError, match="cannot recover the deck state from this file"):
        build(content, package.parent)
    assert package.read_bytes() == b"not a zip file" and not (content / "deck-state.json").exists()


def test_deck_command_for_one_technique_leaves_the_others_alone(built: tuple[Path, Path, bytes]) -> None:
    content, package, _ = built
    before = json.loads((content / "deck-state.json").read_text(encoding="utf-8"))["notes"]
    args = ["deck", "--technique", "beta", "--content", str(content), "--out", str(package.parent), "-q", "-j", "1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    after = json.loads((content / "deck-state.json").read_text(encoding="utf-8"))["notes"]
    assert after == before
    with zipfile.ZipFile(package) as archive:
        assert SEED.encode() not in archive.read("collection.anki2")


def foreign_deck(path: Path, empty_models: bool = False) -> None:
    """A deck.apkg made by another tool (genanki's Basic note type), or one with no note types."""
    import genanki

    model = genanki.Model(1_607_392_319, "Basic", fields=[{"name": "Front"}, {"name": "Back"}],
                          templates=[{"name": "Card 1", "qfmt": "{{Front}}", "afmt": "{{Back}}"}])  # fmt: skip
    deck = genanki.Deck(2_059_400_110, "Other")
    deck.add_note(genanki.Note(model=model, fields=["a", "b"], guid="abc"))
    genanki.Package(deck).write_to_file(str(path))
    if empty_models:
        with zipfile.ZipFile(path) as archive:
            data = archive.read("collection.anki2")
        database = path.with_suffix(".anki2")
        database.write_bytes(data)
        import sqlite3

        connection = sqlite3.connect(database)
        connection.execute("UPDATE col SET models = '{}'")
        connection.commit()
        connection.close()
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("collection.anki2", database.read_bytes())
            archive.writestr("media", "{}")


@pytest.mark.parametrize("empty_models", [False, True])
def test_missing_state_and_a_deck_from_another_tool_give_one_line(
    built: tuple[Path, Path, bytes], empty_models: bool
) -> None:
    content, package, _ = built
    (content / "deck-state.json").unlink()
    foreign_deck(package, empty_models)
    before = package.read_bytes()
    result = CliRunner().invoke(main, ["deck", "--content", str(content), "--out", str(package.parent), "-j", "1"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "cannot recover the deck state from this file: it was not made by exporter" in result.output
    assert package.read_bytes() == before and not (content / "deck-state.json").exists()


def test_an_absurd_source_date_epoch_is_refused_before_anything_is_stored(
    built: tuple[Path, Path, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    content, package, before = built
    state_before = (content / "deck-state.json").read_bytes()
    write_library(content.parent, seed_data=edited_seed())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "9223372036854775807")
    args = ["deck", "--content", str(content), "--out", str(package.parent), "-j", "1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, from 1767225600" in result.output
    assert (content / "deck-state.json").read_bytes() == state_before and package.read_bytes() == before
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert CliRunner().invoke(main, args).exit_code == 0  # later builds are not broken
