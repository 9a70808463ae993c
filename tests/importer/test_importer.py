"""`exporter import`: catalogue pages -> technique files that validate and say what the page said."""

from __future__ import annotations

import codecs
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from conftest import FIXTURES, LIBRARY, SEEDS, technique, write_content
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exporter.cli import main
from exporter.content.techniques import read_library
from exporter.errors import ExporterError
from exporter.importer import clean_page_text, parse_page, run_import, slugify, technique_data, to_yaml
from exporter.importer.parse.mojibake import repair_mojibake
from exporter.model import LIST_FIELDS, Library, Technique

PAGES = FIXTURES / "pages"
SEED_PAGE = SEEDS / "000_54890d37042c7ef8.txt"
FUZZ_EXAMPLES = int(os.environ.get("EXPORTER_FUZZ_EXAMPLES", "40"))


def repaired(text: str) -> str:
    return repair_mojibake(text)[0]


def run(*args: str) -> Result:
    return CliRunner().invoke(main, ["import", *args])


def import_into(content: Path, *pages: Path, force: bool = False, language: str | None = None) -> Result:
    options = (["--force"] if force else []) + (["--language", language] if language else [])
    return run(*(str(page) for page in pages), "--into", str(content), *options)


def texts(technique: Technique, field_name: str) -> list[str]:
    return [item.text for item in technique.items(field_name)]


def garble(text: str, keep: str = "") -> str:
    """Text as the catalogue pages arrive: UTF-8 bytes read through Windows-1253, -1252 for its gaps."""

    def byte_as_character(byte: int) -> str:
        for code_page in ("cp1253", "cp1252", "latin-1"):
            try:
                return bytes([byte]).decode(code_page)
            except UnicodeDecodeError:
                continue
        raise AssertionError("latin-1 decodes every byte")

    return "".join(
        c if ord(c) < 128 or c in keep else "".join(byte_as_character(b) for b in c.encode("utf-8")) for c in text
    )


def test_seed_like_page_imports_every_field_with_its_mojibake_repaired(tmp_path: Path) -> None:
    # The seed page's layout and damage, in our own words: its UTF-8 read as Windows-1253 (-1252
    # for its gaps) in the icons and dashes only; the arrow, bullets and warning signs intact.
    page = PAGES / "seed-like.txt"
    text = page.read_text(encoding="utf-8")
    assert text.count("πŸ”§") == 1 and text.count("πŸ‘\u20af") == 1 and text.count("β€”") == 6
    assert text.startswith("← Techniques\n") and text.count("  • ⚠️ Do not") == 3 and not text.endswith("\n")
    content = tmp_path / "content"
    result = import_into(content, page)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "repaired 8 garbled characters" in result.stdout

    library, _ = read_library(content)
    rupture = library.technique("repairing-an-alliance-rupture")
    assert rupture.title == "Repairing an Alliance Rupture"
    assert rupture.categories == ("Problem processing", "Interpersonal")
    assert library.category("Problem processing").icon == "🔧"
    assert library.category("Interpersonal").icon == "👥"
    assert len(rupture.steps) == 7
    assert rupture.steps[0].text == (
        "Watch for the signs of a rupture: the client goes quiet, turns suddenly hostile, becomes passive or pulls away"
    )
    assert rupture.steps[4].text == (
        "Resist the urge to justify yourself — even when the reaction looks out of proportion to you"
    )
    assert len(rupture.when_to_use) == 3
    assert texts(rupture, "key_phrases") == ["I think I just got something wrong. I may have put that badly."]
    assert texts(rupture, "follow_up_questions") == [
        "Something shifted between us just now. Would you help me understand what happened?",
        "It matters a lot to me that we can talk about this. You have every right to feel what you feel towards me.",
    ]
    assert len(rupture.alternative_phrasings) == 1
    assert texts(rupture, "warnings") == [
        "Do not get defensive — defending yourself shuts mentalizing down, while owning a mistake shows strength",
        "Do not let ruptures pass unspoken — left alone, they wear the therapy down",
        "Do not keep apologizing — the attention drifts onto the therapist's feelings",
    ]
    assert rupture.sources == (
        "Bateman A.W. Fonagy P. (2016). Mentalization-Based Treatment for Personality Disorders",
    )
    assert "rather than as a failure — while it is still fresh" in rupture.summary
    assert "What matters most — the therapist's willingness" in rupture.summary
    assert rupture.similar == ()
    assert library.disclaimer.startswith("These pages are informational and educational summaries")
    written = (content / "techniques" / "repairing-an-alliance-rupture.yaml").read_text(encoding="utf-8")
    assert not any(garbled in written for garbled in ("β€", "πŸ", "Ÿ", "₯", "⚠"))


@pytest.mark.skipif(not SEED_PAGE.is_file(), reason="the shared seed pages are not next to this checkout")
def test_seed_page_imports_every_field_with_its_mojibake_repaired(tmp_path: Path) -> None:
    content = tmp_path / "content"
    result = import_into(content, SEED_PAGE)
    assert result.exit_code == 0, result.output
    assert "repaired 8 garbled characters" in result.stdout

    library, _ = read_library(content)
    rupture = library.technique("repair-of-therapeutic-rupture")
    assert rupture.title == "Repair of Therapeutic Rupture"
    assert rupture.categories == ("Problem processing", "Interpersonal")
    assert library.category("Problem processing").icon == "🔧"
    assert library.category("Interpersonal").icon == "👥"
    assert len(rupture.steps) == 7
    assert (
        rupture.steps[0].text
        == "Notice signs of rupture: the client closing off, sudden aggression, passivity, withdrawal"
    )
    assert rupture.steps[4].text == "Do not defend yourself — even if the client's reaction seems excessive"
    assert len(rupture.when_to_use) == 3
    assert texts(rupture, "key_phrases") == [
        "I think I have just made a mistake. It seems to me I said something the wrong way."
    ]
    assert texts(rupture, "follow_up_questions") == [
        "Something has changed right now. Can you help me understand what happened?",
        "It is very important for me that we can talk about this. Your feelings toward me are absolutely legitimate.",
    ]
    assert len(rupture.alternative_phrasings) == 1
    assert texts(rupture, "warnings") == [
        "Do not defend yourself — that kills mentalization. Acknowledging the mistake is a strength, not a weakness",
        "Do not ignore ruptures — unaddressed ruptures destroy therapy",
        "Do not over-apologize — that can shift the focus to the therapist",
    ]
    assert len(rupture.sources) == 1
    assert all(name in rupture.sources[0] for name in ("Bateman", "Fonagy", "2016"))
    assert "mentalization — it is precisely" in rupture.summary
    assert rupture.similar == ()
    assert library.disclaimer.startswith("Materials are informational and educational")
    written = (content / "techniques" / "repair-of-therapeutic-rupture.yaml").read_text(encoding="utf-8")
    assert not any(garbled in written for garbled in ("β€", "πŸ", "Ÿ", "⚠"))


def test_garbled_fixture_page_comes_back_exactly(tmp_path: Path) -> None:
    content = tmp_path / "content"
    result = import_into(content, PAGES / "mojibake.txt")
    assert result.exit_code == 0, result.output
    library, _ = read_library(content)
    page = library.technique("pause-and-name")
    assert [library.category(name).icon for name in page.categories] == ["🔧", "👥"]
    assert page.summary.startswith("When the conversation suddenly tightens, the therapist stops and names the change")
    assert "out loud — a “stop and rewind” that turns" in page.summary
    assert "Naïve reassurance is avoided; the aim is curiosity, not a cliché." in page.summary
    assert texts(page, "steps")[1] == "Stop what you were doing: “Can we pause for a moment?”"
    assert texts(page, "steps")[3] == "Ask what the client made of the moment…"
    assert texts(page, "key_phrases") == [
        "Let’s rewind a little. Something happened just now — I would like to understand it."
    ]
    assert texts(page, "warnings")[1] == "Do not guess the feeling for the client — ask"


@pytest.mark.parametrize(
    "original",
    [
        "🔧 Problem processing 👥 Interpersonal",
        "Do not defend yourself — that kills mentalization…",
        "“Quoted” and ‘single’, café, naïve, Straße, Ærø, São Paulo, ½ € ™",
        "Привет — как дела? Ελληνικά: «καλημέρα»",
        "🧑‍🤝‍🧑 ⚠️ ✔️ ← → • ·",
    ],
)
def test_every_garbled_character_is_repaired(original: str) -> None:
    assert repaired(garble(original)) == original


def test_garbled_and_correct_characters_mixed_on_one_line() -> None:
    correct = " « Ελληνικά » “quotes” ΠΆΝΩ ΚΑΤΕ” ή” και…” «Что?» Ærø"
    line = "  • ⚠️ Μην αμύνεστε " + garble("— that kills it 🔧") + correct
    assert repaired(line) == "  • ⚠️ Μην αμύνεστε — that kills it 🔧" + correct


def test_correct_greek_cyrillic_and_quotes_are_left_untouched(tmp_path: Path) -> None:
    page = (PAGES / "greek.txt").read_text(encoding="utf-8")
    assert repaired(page) == page

    content = tmp_path / "content"
    result = import_into(content, PAGES / "greek.txt")
    assert result.exit_code == 0, result.output
    library, _ = read_library(content)
    greek = library.technique("epanasyndesi-meta-apo-rixi")
    assert greek.title == "Επανασύνδεση μετά από ρήξη"
    assert texts(greek, "steps")[1] == "Πείτε: “Νομίζω ότι σας πλήγωσα.”"
    assert texts(greek, "steps")[3] == (
        "Ask in the client's language: «Что вы почувствовали?» — café, naïve, São Paulo, Ærø, Straße, ½ …"
    )
    assert texts(greek, "key_phrases") == ["“Η ΣΧΕΣΗ ΜΑΣ ΜΕΤΡΑΕΙ” — ΚΑΤΕ” and Γ” stay as written, so do ή” and και…”"]
    assert texts(greek, "warnings") == ["Μην υπερασπίζεστε τον εαυτό σας — αυτό σταματά τη σκέψη"]


_REPAIRABLE = st.characters(
    codec="utf-8",
    include_characters="\u200d\ufe0f",
    categories=("L", "P", "S", "N", "Zs"),
).filter(
    lambda c: (
        ord(c) < 0x80
        or 0xA0 <= ord(c) <= 0x17F
        or 0x370 <= ord(c) <= 0x4FF
        or 0x2000 <= ord(c) <= 0x2BFF
        or 0x1F000 <= ord(c) <= 0x1FAFF
    )
)


@settings(max_examples=FUZZ_EXAMPLES * 5, deadline=None)
@given(st.text(alphabet=_REPAIRABLE, max_size=60))
def test_any_garbled_text_of_the_scripts_pages_use_is_repaired(text: str) -> None:
    original = f"{text} — 🔧"
    assert repaired(garble(original)) == original


@pytest.fixture(scope="module")
def fixture_import(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Library, Path]:
    """All good fixture pages imported together into a copy of a small library."""
    root = tmp_path_factory.mktemp("fixtures")
    content = write_content(root, techniques=[technique("rupture-repair", title="Repair of Therapeutic Rupture")])
    pages = root / "pages"
    pages.mkdir()
    for name in ("clean.txt", "mojibake.txt", "missing-sections.txt", "extra-section.txt", "markup.txt"):
        shutil.copy(PAGES / name, pages / name)
    result = import_into(content, pages)
    library, _ = read_library(content)
    return result, library, content


def test_every_good_fixture_page_is_written_once(fixture_import: tuple[Result, Library, Path]) -> None:
    result, library, _ = fixture_import
    assert result.exit_code == 0, result.output
    written = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("wrote ")]
    assert sorted(Path(p).stem for p in written) == [
        "curious-not-knowing",
        "grounding-through-the-senses",
        "marking-the-b-mode-b-shift",
        "pause-and-name",
        "validating-the-feeling",
    ]
    assert len(library.techniques) == 6


def test_clean_page_fills_every_field(fixture_import: tuple[Result, Library, Path]) -> None:
    _, library, _ = fixture_import
    grounding = library.technique("grounding-through-the-senses")
    assert grounding.categories == ("Emotion regulation", "Self-awareness")
    assert grounding.summary.startswith("A short exercise that brings an overwhelmed client back into the room")
    assert texts(grounding, "steps") == [
        "Notice that the client is flooded: rushed speech, a fixed stare, shallow breathing",
        'Slow your own voice and ask for permission: "Shall we stop for a moment?"',
        "Ask the client to name five things they can see in the room",
        "Ask for three sounds they can hear right now",
        "Invite them to press their feet into the floor and describe what that feels like",
    ]
    assert texts(grounding, "when_to_use") == [
        "When panic or anger floods the client during a session",
        "Before going back to difficult material after a dissociative moment",
    ]
    assert texts(grounding, "key_phrases") == ["Let us come back to this room for a moment. Tell me what you can see."]
    assert texts(grounding, "follow_up_questions") == [
        "What changed in your body while we did that?",
        "How strong is the feeling now, from zero to ten?",
    ]
    assert texts(grounding, "alternative_phrasings") == ["Could we take one slow breath together and look around?"]
    assert texts(grounding, "warnings")[0] == (
        "Do not use it to steer away from painful topics — grounding is a way back, not an exit"
    )
    assert grounding.sources == ("Linehan, M. M. (2015). DBT Skills Training Manual (2nd ed.). Guilford Press.",)


def test_new_categories_are_declared_with_their_icons_and_existing_ones_kept(
    fixture_import: tuple[Result, Library, Path],
) -> None:
    result, library, content = fixture_import
    assert [(c.name, c.icon) for c in library.categories] == [
        ("Problem processing", "🔧"),
        ("Interpersonal", "👥"),
        ("Emotion regulation", "🌿"),
        ("Self-awareness", "🧠"),
    ]
    assert library.title == LIBRARY["title"]
    assert library.disclaimer == LIBRARY["disclaimer"]
    assert f"updated {(content / 'library.yaml').as_posix()}: added categories Emotion regulation, Self-awareness" in (
        result.stdout
    )


def test_similar_titles_become_ids_from_the_import_and_the_library(
    fixture_import: tuple[Result, Library, Path],
) -> None:
    result, library, _ = fixture_import
    assert library.technique("pause-and-name").similar == ("grounding-through-the-senses", "rupture-repair")
    assert library.technique("grounding-through-the-senses").similar == ("pause-and-name",)
    page = PAGES / "clean.txt"
    line = page.read_text(encoding="utf-8").splitlines().index("Breathing Space") + 1
    assert (
        f"clean.txt:{line}: similar: warning: no technique titled 'Breathing Space' in the library or this import;"
        in result.stderr
    )


def test_unknown_section_is_a_warning_with_its_line_and_nothing_else_is_lost(
    fixture_import: tuple[Result, Library, Path],
) -> None:
    result, library, _ = fixture_import
    assert "extra-section.txt:18: section: warning: unknown section 'Common pitfalls'; its 2 lines were left out" in (
        result.stderr
    )
    curious = library.technique("curious-not-knowing")
    assert texts(curious, "when_to_use") == ["When the client expects you to read their mind"]
    assert texts(curious, "key_phrases") == ["I am not sure I follow. Could you tell me more?"]
    assert texts(curious, "warnings") == ["Do not feign ignorance — clients notice and trust drops"]


def test_page_with_only_the_required_sections_imports(fixture_import: tuple[Result, Library, Path]) -> None:
    _, library, _ = fixture_import
    validating = library.technique("validating-the-feeling")
    assert validating.categories == ("Interpersonal",)
    assert len(validating.steps) == 3
    assert validating.warnings == validating.when_to_use == validating.key_phrases == ()
    assert validating.sources == ()


def test_markup_characters_are_data(fixture_import: tuple[Result, Library, Path]) -> None:
    _, library, content = fixture_import
    marked = library.technique("marking-the-b-mode-b-shift")
    assert marked.title == "Marking the <b>Mode</b> Shift"
    assert "<b>bold</b> tags, a lone & ampersand, template braces like {{x}} and {{Front}}" in marked.summary
    assert texts(marked, "steps") == [
        'Say "<stop>" & wait',
        "Name the mode: {{x}} is what we call it",
        "yes",
        "- not a list, a dash",
        "# not a comment",
        "'single' and \"double\" quotes, and a trailing colon:",
    ]
    assert texts(marked, "when_to_use") == ["When A < B && B > C", "50% of the time; @mentions and `backticks` too"]
    assert texts(marked, "warnings") == ["Do not paste {{cloze}} markers — they are literal text here"]
    assert marked.sources == ("Example, E. (2020). <i>Markup</i> & Data. Press & Co.",)


def test_written_yaml_is_readable_block_style(fixture_import: tuple[Result, Library, Path]) -> None:
    _, _, content = fixture_import
    text = (content / "techniques" / "grounding-through-the-senses.yaml").read_text(encoding="utf-8")
    assert text.startswith("title: Grounding Through the Senses\ncategories:\n  - Emotion regulation\n")
    assert "summary: >-\n  A short exercise" in text
    assert "\n  - Ask for three sounds they can hear right now\n" in text
    assert "{" not in text and "\\u" not in text


BAD_PAGES = {
    "empty.txt": "empty.txt:1: page: the page is empty",
    "binary.txt": "binary.txt:1: page: this is a binary file, not a text page",
    "no-title.txt": "no-title.txt:1: title: the page has no title line before its categories and sections",
    "html-page.txt": "html-page.txt:1: page: not a catalogue page: none of the sections",
    "markdown-page.txt": "markdown-page.txt:3: categories: no categories line under the title",
    "no-steps.txt": "no-steps.txt:1: steps: missing: a technique needs a 'Step-by-step guide' section",
}


@pytest.mark.parametrize("name", sorted(BAD_PAGES))
def test_bad_page_gets_one_clear_line_and_exit_1(tmp_path: Path, name: str) -> None:
    content = write_content(tmp_path)
    before = sorted(p.name for p in (content / "techniques").iterdir())
    result = import_into(content, PAGES / "bad" / name)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    problem_lines = [line for line in result.stderr.splitlines() if not line.startswith("Error:")]
    assert len(problem_lines) == 1 and BAD_PAGES[name] in problem_lines[0], result.stderr
    assert f"1 page could not be imported ({(PAGES / 'bad' / name).as_posix()})" in result.stderr
    assert sorted(p.name for p in (content / "techniques").iterdir()) == before


def test_one_bad_page_among_good_ones_is_named_and_the_good_ones_import(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(PAGES / "clean.txt", pages / "a-clean.txt")
    shutil.copy(PAGES / "bad" / "no-steps.txt", pages / "b-broken.txt")
    shutil.copy(PAGES / "missing-sections.txt", pages / "c-short.txt")
    (pages / "notes.md").write_text("not a page", encoding="utf-8")
    content = tmp_path / "content"
    result = import_into(content, pages)
    assert result.exit_code == 1
    assert "b-broken.txt:1: steps: missing" in result.stderr
    assert "1 page could not be imported" in result.stderr and "b-broken.txt" in result.stderr
    library, _ = read_library(content)
    assert sorted(t.id for t in library.techniques) == ["grounding-through-the-senses", "validating-the-feeling"]


def test_imported_library_passes_the_validate_command(fixture_import: tuple[Result, Library, Path]) -> None:
    _, _, content = fixture_import
    result = CliRunner().invoke(main, ["validate", "--content", str(content)])
    assert result.exit_code == 0, result.output
    assert "OK: 6 techniques" in result.stdout


@pytest.mark.parametrize(
    ("encode", "warning"),
    [
        (lambda text: text.encode("utf-16"), None),
        (lambda text: codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8"), None),
        (
            # Windows-1252 has no emoji: the categories line carries a symbol it does have.
            lambda text: (
                text.replace("🌿", "©")
                .replace("🧠", "®")
                .replace("⚠️ ", "")
                .replace("← ", "<- ")
                .encode("cp1252", "ignore")
            ),
            "Windows-1252 (Western)",
        ),
    ],
    ids=["utf-16", "utf-8-bom-crlf", "windows-1252"],
)
def test_pages_saved_by_other_editors_import(tmp_path: Path, encode: Any, warning: str | None) -> None:
    page = tmp_path / "saved.txt"
    page.write_bytes(encode((PAGES / "clean.txt").read_text(encoding="utf-8").replace("five things", "cinq choses é")))
    content = tmp_path / "content"
    result = import_into(content, page)
    assert result.exit_code == 0, result.output
    page_warnings = [line for line in result.stderr.splitlines() if ": page: warning:" in line]
    assert [line.split(":", 2)[2] for line in page_warnings] == (
        [f" page: warning: not UTF-8; read it as {warning}"] if warning else []
    )
    library, _ = read_library(content)
    grounding = library.technique("grounding-through-the-senses")
    assert texts(grounding, "steps")[2] == "Ask the client to name cinq choses é they can see in the room"
    assert len(grounding.warnings) == 2


def test_control_characters_are_dropped_and_lost_characters_refused(tmp_path: Path) -> None:
    text = (PAGES / "missing-sections.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    (tmp_path / "control.txt").write_text(text.replace("Listen until", "Listen\x07 until"), encoding="utf-8")
    (tmp_path / "lost.txt").write_text(text.replace("Check whether", "Check wh\ufffdther"), encoding="utf-8")
    content = tmp_path / "content"
    result = import_into(content, tmp_path / "control.txt", tmp_path / "lost.txt")
    assert result.exit_code == 1
    step_line = next(n for n, line in enumerate(lines, 1) if "Listen until" in line)
    lost_line = next(n for n, line in enumerate(lines, 1) if "Check whether" in line)
    assert f"control.txt:{step_line}: page: warning: control character U+0007 removed" in result.stderr
    assert f"lost.txt:{lost_line}: page: contains U+FFFD" in result.stderr
    library, _ = read_library(content)
    assert texts(library.technique("validating-the-feeling"), "steps")[0] == "Listen until you can name the feeling"


def test_two_pages_with_the_same_title_import_only_the_first(tmp_path: Path) -> None:
    shutil.copy(PAGES / "clean.txt", tmp_path / "copy.txt")
    content = tmp_path / "content"
    result = import_into(content, PAGES / "clean.txt", tmp_path / "copy.txt")
    assert result.exit_code == 1
    assert "copy.txt:1: title: gives the same id 'grounding-through-the-senses'" in result.stderr
    assert len(read_library(content)[0].techniques) == 1


def test_existing_file_is_kept_without_force_and_backed_up_with_it(tmp_path: Path) -> None:
    content = tmp_path / "content"
    assert import_into(content, PAGES / "clean.txt").exit_code == 0
    target = content / "techniques" / "grounding-through-the-senses.yaml"
    imported = target.read_bytes()

    again = import_into(content, PAGES / "clean.txt")
    assert again.exit_code == 0, again.output
    assert f"unchanged {target.as_posix()}" in again.stdout

    edited = imported.replace(b"shallow breathing", b"shallow breathing (my note)")
    target.write_bytes(edited)
    refused = import_into(content, PAGES / "clean.txt")
    assert refused.exit_code == 1
    assert f"skipped {target.as_posix()}" in refused.stdout and "--force" in refused.stdout
    assert "1 technique file already exists and was left as it is" in refused.stderr
    assert target.read_bytes() == edited

    forced = import_into(content, PAGES / "clean.txt", force=True)
    assert forced.exit_code == 0, forced.output
    assert target.read_bytes() == imported
    assert (content / "techniques" / "grounding-through-the-senses.yaml.bak").read_bytes() == edited
    assert not list(content.rglob("*.tmp"))
    read_library(content)


def test_a_failed_write_keeps_the_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = tmp_path / "content"
    assert import_into(content, PAGES / "clean.txt").exit_code == 0
    target = content / "techniques" / "grounding-through-the-senses.yaml"
    target.write_bytes(b"title: my own edit\n")
    real_replace = os.replace

    def disk_full(source: str | Path, destination: str | Path) -> None:
        if Path(destination) == target:
            raise OSError(28, "No space left on device")
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", disk_full)
    result = import_into(content, PAGES / "clean.txt", force=True)
    assert result.exit_code == 1
    assert f"{target.as_posix()}: cannot write: the disk is full; the previous file was kept" in result.stderr
    assert target.read_bytes() == b"title: my own edit\n"
    assert not [p for p in content.rglob("*") if p.name.endswith(".tmp")]


def test_reimporting_a_title_updates_the_file_that_has_it(tmp_path: Path) -> None:
    content = write_content(tmp_path, techniques=[technique("grounding", title="Grounding Through the Senses")])
    result = import_into(content, PAGES / "clean.txt")
    assert result.exit_code == 1
    assert f"skipped {(content / 'techniques' / 'grounding.yaml').as_posix()}" in result.stdout
    assert not (content / "techniques" / "grounding-through-the-senses.yaml").exists()


def test_a_file_holding_another_technique_is_named_in_the_skip_line(tmp_path: Path) -> None:
    other = technique("grounding-through-the-senses", title="Something Else Entirely")
    content = write_content(tmp_path, techniques=[other])
    result = import_into(content, PAGES / "clean.txt")
    assert result.exit_code == 1
    assert "that file holds another technique ('Something Else Entirely'); use --force to replace it" in result.stdout
    assert read_library(content)[0].technique("grounding-through-the-senses").title == "Something Else Entirely"


def test_new_library_is_created_with_disclaimer_and_categories(tmp_path: Path) -> None:
    content = tmp_path / "new-library"
    result = import_into(content, PAGES / "clean.txt")
    assert result.exit_code == 0, result.output
    assert f"created {(content / 'library.yaml').as_posix()} (title 'Technique library': change it)" in result.stdout
    library, _ = read_library(content)
    assert library.title == "Technique library"
    assert library.disclaimer.startswith("These pages are educational summaries of published sources.")
    assert [(c.name, c.icon, c.colour) for c in library.categories] == [
        ("Emotion regulation", "🌿", "#b5651d"),
        ("Self-awareness", "🧠", "#2e6f95"),
    ]


def test_new_library_without_any_disclaimer_gets_a_placeholder_and_a_warning(tmp_path: Path) -> None:
    content = tmp_path / "content"
    result = import_into(content, PAGES / "missing-sections.txt")
    assert result.exit_code == 0, result.output
    written = (content / "library.yaml").read_text(encoding="utf-8").splitlines()
    line = next(number for number, text in enumerate(written, 1) if text.startswith("disclaimer:"))
    assert f"library.yaml:{line}: disclaimer: warning: no page had a disclaimer; a placeholder was written" in (
        result.stderr
    )
    library, _ = read_library(content)
    assert library.disclaimer == "For training and education only; not medical or psychological advice."


def test_library_edits_keep_comments_and_add_what_is_missing(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "techniques").mkdir(parents=True)
    original = (
        "# Our library: keep this comment\n"
        "title: Practice library   # and this one\n"
        "categories:\n"
        "  # the first chapter\n"
        "  - name: Interpersonal\n"
        '    icon: "👥"\n'
        "\n"
        "# settings follow\n"
        "settings:\n"
        "  paper: letter\n"
    )
    (content / "library.yaml").write_text(original, encoding="utf-8")
    result = import_into(content, PAGES / "mojibake.txt")
    assert result.exit_code == 0, result.output
    assert "added the disclaimer and category Problem processing" in result.stdout
    text = (content / "library.yaml").read_text(encoding="utf-8")
    for kept in ("# Our library: keep this comment", "# and this one", "# the first chapter", "# settings follow"):
        assert kept in text
    data = yaml.safe_load(text)
    assert data["settings"] == {"paper": "letter"}
    assert [c["name"] for c in data["categories"]] == ["Interpersonal", "Problem processing"]
    assert data["categories"][1]["icon"] == "🔧"
    library, _ = read_library(content)
    assert library.technique("pause-and-name").categories == ("Problem processing", "Interpersonal")


def test_library_categories_match_regardless_of_case(tmp_path: Path) -> None:
    library_data = {**LIBRARY, "categories": [{"name": "interpersonal", "icon": "👥", "colour": "#2e6f95"}]}
    content = write_content(tmp_path, techniques=[technique(categories=["interpersonal"])], library=library_data)
    assert import_into(content, PAGES / "missing-sections.txt").exit_code == 0
    library, _ = read_library(content)
    assert [c.name for c in library.categories] == ["interpersonal"]
    assert library.technique("validating-the-feeling").categories == ("interpersonal",)


def test_flow_style_library_is_rewritten_with_the_same_data(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "techniques").mkdir(parents=True)
    (content / "library.yaml").write_text(
        "{title: Flow, disclaimer: Training only., categories: [{name: Interpersonal, icon: '👥'}]}\n", encoding="utf-8"
    )
    result = import_into(content, PAGES / "clean.txt")
    assert result.exit_code == 0, result.output
    assert "rewrote" in result.stdout and "comments could not be kept" in result.stdout
    data = yaml.safe_load((content / "library.yaml").read_text(encoding="utf-8"))
    assert data["title"] == "Flow" and data["disclaimer"] == "Training only."
    assert [c["name"] for c in data["categories"]] == ["Interpersonal", "Emotion regulation", "Self-awareness"]


def test_broken_library_yaml_stops_the_import_before_writing(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "techniques").mkdir(parents=True)
    (content / "library.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    result = import_into(content, PAGES / "clean.txt")
    assert result.exit_code == 1
    assert "library.yaml" in result.stderr and "fix library.yaml first" in result.stderr
    assert not list((content / "techniques").iterdir())


MINIMAL_PAGE = "Title\n🔧 Problem processing\n\nSummary.\n\nStep-by-step guide\n\n  1. One\n\nKey phrases\n\n"


@pytest.mark.parametrize(
    ("ending", "disclaimer", "key_phrases"),
    [
        (
            "I am not here to give you advice; I would like to understand what happened between us today.",
            "",
            ["I am not here to give you advice; I would like to understand what happened between us today."],
        ),
        (
            "Short phrase.\n\nEducational material, not advice; consult a qualified professional before using it.",
            "Educational material, not advice; consult a qualified professional before using it.",
            ["Short phrase."],
        ),
    ],
    ids=["long-key-phrase-stays", "disclaimer-after-phrases"],
)
def test_the_closing_disclaimer_is_told_from_a_long_key_phrase(
    ending: str, disclaimer: str, key_phrases: list[str]
) -> None:
    page, problems = parse_page(MINIMAL_PAGE + ending, "page.txt")
    assert page is not None, problems
    assert page.disclaimer == disclaimer
    assert page.fields["key_phrases"] == key_phrases


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Repair of Therapeutic Rupture", "repair-of-therapeutic-rupture"),
        ("Café & Crème: <b>2</b> steps!", "cafe-creme-b-2-b-steps"),
        ("Техника «Пауза»", "tekhnika-pauza"),
        ("Επανασύνδεση", "epanasyndesi"),
        ("🔧 🔧", ""),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


@settings(max_examples=FUZZ_EXAMPLES * 5, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=200),
        min_size=1,
        max_size=5,
    )
)
def test_written_yaml_reads_back_exactly(entries: list[str]) -> None:
    data = {"title": entries[0], "steps": entries}
    assert yaml.safe_load(to_yaml(data)) == data


_WORDS = st.text(
    alphabet=st.sampled_from(list("abcdefghij ABC Ελληνικάπρσ Кирил éüßÆ <>&{}\"'“”«»:#-—…•⚠️🔧👥1.?!\t")),
    min_size=1,
    max_size=60,
)
_HEADINGS = st.sampled_from(
    [
        "Step-by-step guide",
        "When to use",
        "Key phrases",
        "Follow-up questions",
        "Alternative phrasings",
        "Warnings",
        "Similar techniques",
        "Source: X (2020)",
        "Unknown Part",
        "",
    ]
)
_LINE_PREFIXES = st.sampled_from(["", "  1. ", "  2) ", "  • ", "  • ⚠️ ", "- ", "⚠ ", "    "])


@st.composite
def page_like_text(draw: st.DrawFn) -> str:
    categories = ["🔧 Problem processing 👥 Interpersonal", "💬 Talk", "🧠 Self-awareness", ""]
    lines = [draw(_WORDS), "", draw(st.sampled_from(categories)), "", draw(_WORDS)]
    if draw(st.integers(0, 4)):
        lines += ["", "Step-by-step guide", ""]
        lines += [f"  {n}. {draw(_WORDS)}" for n in range(1, draw(st.integers(1, 5)) + 1)]
    for _ in range(draw(st.integers(0, 8))):
        lines += ["", draw(_HEADINGS), ""]
        lines += [draw(_LINE_PREFIXES) + draw(_WORDS) for _ in range(draw(st.integers(0, 4)))]
    if draw(st.booleans()):
        lines += ["", "These notes are educational and not medical advice; consult a qualified professional."]
    text = "\n".join(lines)
    if draw(st.booleans()):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, len(text)))
        text = text[:start] + garble(text[start:end], keep=draw(st.sampled_from(["", "•", "⚠️•"]))) + text[end:]
    return text


def _import_text_and_check(page: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "page.txt").write_bytes(page)
        try:
            run_import([root / "page.txt"], root / "content", force=False)
        except ExporterError:
            return
        library, _ = read_library(root / "content")
        assert len(library.techniques) == 1


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page_like_text())
def test_fuzz_page_like_text_imports_to_valid_content_or_fails_cleanly(text: str) -> None:
    _import_text_and_check(text.encode("utf-8"))


@settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400) | st.text(max_size=300).map(lambda t: garble(t).encode("utf-8", "surrogatepass")))
def test_fuzz_arbitrary_bytes_and_mojibake_fail_only_with_the_tools_error(data: bytes) -> None:
    _import_text_and_check(data)


@given(page_like_text())
@settings(max_examples=FUZZ_EXAMPLES, deadline=None)
def test_fuzz_parsed_pages_write_yaml_that_reads_back(text: str) -> None:
    cleaned, _, _ = clean_page_text(text, "page.txt")
    page, _ = parse_page(cleaned, "page.txt")
    if page is not None:
        data = technique_data(page, [])
        assert yaml.safe_load(to_yaml(data)) == data


# An existing technique is found by its id and title whatever its file is called (issue 12, item 5).


def _grounding(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {"title": "Grounding Through the Senses", "categories": ["Interpersonal"], **overrides}
    return technique("grounding-through-the-senses", **fields)


@pytest.mark.parametrize(
    "file_name", ["my-grounding.yaml", "grounding-through-the-senses.yml", "Grounding.YAML", "case.YAML"]
)
def test_a_technique_in_a_renamed_or_yml_file_is_updated_not_duplicated(tmp_path: Path, file_name: str) -> None:
    content = write_content(tmp_path, techniques=[])
    existing = content / "techniques" / file_name
    existing.write_text(yaml.safe_dump(_grounding(), allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert read_library(content)[0].technique("grounding-through-the-senses").path == existing.as_posix()

    skipped = import_into(content, PAGES / "clean.txt")
    assert skipped.exit_code == 1
    assert f"skipped {existing.as_posix()} from" in skipped.stdout
    assert sorted(p.name for p in (content / "techniques").iterdir()) == [file_name]

    forced = import_into(content, PAGES / "clean.txt", force=True)
    assert forced.exit_code == 0, forced.output
    assert f"replaced {existing.as_posix()} from" in forced.stdout
    assert sorted(p.name for p in (content / "techniques").iterdir()) == [file_name, f"{file_name}.bak"]
    assert existing.read_text(encoding="utf-8").startswith("id: grounding-through-the-senses\ntitle: Grounding")
    library, _ = read_library(content)
    assert [t.id for t in library.techniques] == ["grounding-through-the-senses"]
    assert len(library.technique("grounding-through-the-senses").steps) == 5

    again = import_into(content, PAGES / "clean.txt")
    assert again.exit_code == 0, again.output
    assert f"unchanged {existing.as_posix()}" in again.stdout


def test_an_id_held_by_another_file_is_never_written_a_second_time(tmp_path: Path) -> None:
    other = _grounding(title="Something Else Entirely")
    content = write_content(tmp_path, techniques=[])
    holder = content / "techniques" / "renamed.yaml"
    holder.write_text(yaml.safe_dump(other, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = import_into(content, PAGES / "clean.txt")
    assert result.exit_code == 1
    assert f"skipped {holder.as_posix()} from" in result.stdout
    assert "that file holds another technique ('Something Else Entirely')" in result.stdout
    assert not (content / "techniques" / "grounding-through-the-senses.yaml").exists()
    validate = CliRunner().invoke(main, ["validate", "--content", str(content)])
    assert validate.exit_code == 0, validate.output


def test_two_pages_that_would_write_the_same_file_import_only_the_first(tmp_path: Path) -> None:
    content = write_content(tmp_path, techniques=[technique("grounding", title="Grounding Through the Senses")])
    renamed = tmp_path / "renamed.txt"
    renamed.write_text(
        (PAGES / "clean.txt").read_text(encoding="utf-8").replace("Grounding Through the Senses", "Grounding"),
        encoding="utf-8",
    )
    result = import_into(content, PAGES / "clean.txt", renamed, force=True)
    assert result.exit_code == 1
    assert "renamed.txt:1: title: would be written to" in result.stderr and "only the first was imported" in (
        result.stderr
    )
    assert [t.id for t in read_library(content)[0].techniques] == ["grounding"]


# A character no bundled font can draw: a warning when the import writes it (issue 10).


def _undrawable() -> str:
    from exporter.pdf.glyphs.fonts import missing_characters

    candidates = ["\U0001cf50", "\U0001fbc5", "\U0001d000"]  # Znamenny neume, stick figure, Byzantine psili
    found = [c for c in candidates if missing_characters(c)]
    if not found:
        pytest.skip("the bundled fonts draw every candidate symbol")
    return found[0]


def test_an_undrawable_icon_or_text_is_a_warning_with_its_line(tmp_path: Path) -> None:
    symbol = _undrawable()
    text = (PAGES / "clean.txt").read_text(encoding="utf-8")
    text = text.replace("🧠 Self-awareness", f"{symbol} Self-awareness").replace("five things", f"five {symbol} things")
    text = text.replace("These pages are educational", f"These {symbol} pages are educational")
    page = tmp_path / "page.txt"
    page.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    categories_line = next(n for n, line in enumerate(lines, 1) if "Self-awareness" in line)
    step_line = next(n for n, line in enumerate(lines, 1) if "five" in line)
    content = tmp_path / "content"
    result = import_into(content, page)
    assert result.exit_code == 0, result.output
    code = f"U+{ord(symbol):04X}"
    assert f"page.txt:{categories_line}: categories: warning: the fonts cannot draw '{symbol}' ({code}" in (
        result.stderr
    )
    assert "in the icon of 'Self-awareness'; `exporter validate` will fail until it is replaced" in result.stderr
    assert f"page.txt:{step_line}: steps[2]: warning: the fonts cannot draw '{symbol}' ({code}" in result.stderr
    disclaimer_line = next(n for n, line in enumerate(lines, 1) if line.startswith("These"))
    assert f"page.txt:{disclaimer_line}: disclaimer: warning: the fonts cannot draw '{symbol}'" in result.stderr
    validate = CliRunner().invoke(main, ["validate", "--content", str(content)])
    assert validate.exit_code == 1 and "cannot draw" in validate.output


def test_an_icon_the_library_already_has_is_not_warned_about(tmp_path: Path) -> None:
    symbol = _undrawable()
    text = (PAGES / "missing-sections.txt").read_text(encoding="utf-8")
    assert "🤝 Interpersonal" in text
    page = tmp_path / "page.txt"
    page.write_text(text.replace("🤝 Interpersonal", f"{symbol} Interpersonal"), encoding="utf-8")
    content = write_content(tmp_path)
    result = import_into(content, page)
    assert result.exit_code == 0, result.output
    assert "cannot draw" not in result.stderr


def test_import_force_keeps_the_ids_cues_and_fields_a_maintainer_added(tmp_path: Path) -> None:
    """Re-importing every page of a library whose items have ids and cues costs no card its history."""
    content = tmp_path / "content"
    pages = [PAGES / "clean.txt", PAGES / "seed-like.txt", PAGES / "extra-section.txt"]
    assert import_into(content, *pages).exit_code == 0
    files = sorted((content / "techniques").glob("*.yaml"))
    for path in files:  # what a maintainer adds by hand: an id and a cue on every item, and a field
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name in LIST_FIELDS:
            data[name] = [
                {"id": f"{name[:4].strip('_')}-{n}", "cue": f"When {name} {n} is due", "text": text}
                for n, text in enumerate(data.get(name, []), 1)
            ]  # fmt: skip
        data["similar"] = [p.stem for p in files if p != path][:1]
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    edited = {path.name: path.read_text(encoding="utf-8") for path in files}
    out = tmp_path / "out"
    first = CliRunner().invoke(main, ["deck", "--content", str(content), "--out", str(out), "-j", "1"])
    assert first.exit_code == 0, first.output

    result = import_into(content, *pages, force=True)
    assert result.exit_code == 0, result.output
    assert result.stdout.count("; kept ") == 3  # the page says nothing new: the files say what they said
    for path in files:
        assert yaml.safe_load(path.read_text(encoding="utf-8")) == yaml.safe_load(edited[path.name]), path.name
    edited = {path.name: path.read_text(encoding="utf-8") for path in files}

    reworded = tmp_path / "reworded.txt"
    reworded.write_text(
        (PAGES / "clean.txt").read_text(encoding="utf-8").replace("  1. ", "  1. Gently, ", 1), encoding="utf-8"
    )
    result = import_into(content, reworded, force=True)
    assert result.exit_code == 0, result.output
    assert "kept " in result.stdout and " ids and " in result.stdout and "similar from the file" in result.stdout
    (changed,) = [p for p in files if p.read_text(encoding="utf-8") != edited[p.name]]
    data = yaml.safe_load(changed.read_text(encoding="utf-8"))
    assert data["steps"][0]["id"] == "step-1" and data["steps"][0]["text"].startswith("Gently, ")
    assert all("id" in item and "cue" in item for name in LIST_FIELDS for item in data.get(name, []))
    assert (changed.parent / (changed.name + ".bak")).read_text(encoding="utf-8") == edited[changed.name]
    again = CliRunner().invoke(main, ["deck", "--content", str(content), "--out", str(out), "-j", "1"])
    assert again.exit_code == 0 and "retired" not in again.output, again.output


@pytest.mark.parametrize("locks", ["fcntl", "filelock"])  # filelock: the way Windows locks
def test_two_imports_into_one_library_at_once_keep_both_changes(
    tmp_path: Path, locks: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """They take turns on the content folder's lock: no import loses the other's library.yaml change."""
    monkeypatch.setenv("EXPORTER_LOCKS", locks)
    pages = [PAGES / "clean.txt", PAGES / "seed-like.txt"]
    for round_number in range(8):  # without the lock, about one round in five lost a change
        content = tmp_path / f"round-{round_number}" / "content"
        runs = [
            subprocess.Popen(
                [sys.executable, "-m", "exporter", "import", str(page), "--content", str(content)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for page in pages
        ]
        for run_ in runs:
            _, stderr = run_.communicate(timeout=120)
            assert run_.returncode == 0, stderr
        library, _ = read_library(content)
        assert len(library.techniques) == 2
        assert {c.name for c in library.categories} >= {c for t in library.techniques for c in t.categories}
        assert not (content / ".exporter-lock").exists()


def test_import_keeps_the_users_library_yaml_as_they_keep_it(tmp_path: Path) -> None:
    """A symlinked, private, BOM-marked, CRLF library.yaml is updated in place, not replaced by a copy."""
    content = tmp_path / "content"
    assert import_into(content, PAGES / "clean.txt").exit_code == 0
    shared = tmp_path / "shared" / "library.yaml"
    shared.parent.mkdir()
    text = (content / "library.yaml").read_text(encoding="utf-8").replace("\n", "\r\n")
    shared.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    shared.chmod(0o600)
    (content / "library.yaml").unlink()
    (content / "library.yaml").symlink_to(shared)
    result = import_into(content, PAGES / "seed-like.txt")  # brings a category the library lacks
    assert result.exit_code == 0, result.output
    assert (content / "library.yaml").is_symlink()
    data = shared.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\n") == data.count(b"\r\n")
    assert b"Interpersonal" in data and (shared.stat().st_mode & 0o777) == 0o600
    assert read_library(content)[0].category("Interpersonal").name == "Interpersonal"


@pytest.mark.parametrize(
    "title, expected",
    [
        # Today's ids stay what they were:
        ("Repair of Therapeutic Rupture", "repair-of-therapeutic-rupture"),
        ("Позиция незнания", "pozitsiya-neznaniya"),
        ("Stoppen, Zurückspulen, Erkunden", "stoppen-zuruckspulen-erkunden"),
        ("Ελληνικά λέξη", "ellinika-lexi"),
        ("Réparer une rupture de l’alliance thérapeutique", "reparer-une-rupture-de-l-alliance-therapeutique"),
        ("עמדת אי-ידיעה (Not-Knowing Stance)", "not-knowing-stance"),
        # Titles that lost letters, or gave no id at all, are readable now:
        ("Søren's Question", "soren-s-question"),
        ("Łódź Protocol", "lodz-protocol"),
        ("Київ і Йошкар", "kiyiv-i-yoshkar"),  # й and ї were dropped to i before
        ("Straße der Gefühle", "strasse-der-gefuhle"),
        ("עמדת אי-ידיעה", "mdt-y-ydy-h"),
        ("إصلاح التصدع", "slh-ltsd"),
        ("Con", "con-technique"),  # con.yaml, lpt1.yaml: names Windows keeps for devices
        ("LPT1", "lpt1-technique"),
    ],
)
def test_every_title_in_every_script_gives_a_readable_stable_id(title: str, expected: str) -> None:
    assert slugify(title) == expected


def test_a_page_titled_only_in_hebrew_imports(tmp_path: Path) -> None:
    page = tmp_path / "he.txt"
    text = (FIXTURES / "pages" / "languages" / "he.txt").read_text(encoding="utf-8")
    page.write_text(text.replace(" (Not-Knowing Stance)", ""), encoding="utf-8")
    result = import_into(tmp_path / "content", page)
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "content" / "techniques").iterdir()] == ["mdt-y-ydy-h.yaml"]


def test_a_page_saved_as_utf16_without_a_byte_order_mark_imports(tmp_path: Path) -> None:
    page = tmp_path / "utf16.txt"
    page.write_bytes((PAGES / "clean.txt").read_text(encoding="utf-8").encode("utf-16-le"))
    result = import_into(tmp_path / "content", page)
    assert result.exit_code == 0, result.output
    assert "UTF-16 without a byte order mark; read it as UTF-16" in result.output


def test_a_title_too_long_says_so_not_that_there_is_none(tmp_path: Path) -> None:
    page = tmp_path / "long.txt"
    text = (PAGES / "clean.txt").read_text(encoding="utf-8")
    title = "Grounding Through the Senses"
    page.write_text(text.replace(title, title + " and a summary pasted onto its line" * 12, 1), encoding="utf-8")
    result = import_into(tmp_path / "content", page)
    assert result.exit_code == 1
    assert ": title: the title is 4" in result.output and "(is the summary on the title's line?)" in result.output


def test_an_import_removes_what_a_killed_import_left_behind(tmp_path: Path) -> None:
    content = tmp_path / "content"
    assert import_into(content, PAGES / "clean.txt").exit_code == 0
    stray = content / "techniques" / ".grounding-through-the-senses.yaml.k3j2h1.tmp"
    stray.write_text("half a file", encoding="utf-8")
    assert import_into(content, PAGES / "seed-like.txt").exit_code == 0
    assert not stray.exists()
