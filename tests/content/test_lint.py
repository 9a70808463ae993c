"""The learning lint, as an author meets it: `exporter validate` warnings, errors with --strict."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import BUNDLED_CONTENT, technique, write_content

from exporter.cli import main
from exporter.content.learning_lint import listed_things

LONG = " ".join(["word"] * 26) + "."


def validate(content: Path, *flags: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["validate", "--content", str(content), *flags])
    return result.exit_code, result.output.splitlines()


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"warnings": ["Do not rush — it backfires.", "Do not rush — it scares them."]}, "warnings[1]",
         "would ask the same question as the card of item 1 (it has no cue, and its mistake is the same"),
        ({"steps": ["Name the feeling.", "Name the feeling."]}, "steps[1]",
         "shows the step before it, which already holds this step's words"),
        ({"key_phrases": ["Wait."]}, "key_phrases[0]", "too short to be asked by its opening words"),
        ({"follow_up_questions": ["Tell me about it. It matters to me."]}, "follow_up_questions[0]",
         "is not a question, but its card asks 'What could you ask?'"),
        ({"when_to_use": ["When Alpha's ideas would help"]}, "when_to_use[0]", "names its own technique ('alpha…')"),
        ({"key_phrases": [{"cue": " ".join(["quiet"] * 26), "text": "Take your time."}]}, "key_phrases[0].cue",
         "has 26 words; a situation is read at a glance"),
        ({"key_phrases": [{"cue": "The client is quiet", "text": "Take your time."},
                          {"cue": "The client is quiet", "text": "I am here."}]}, "key_phrases[1]",
         "its cue is the same as the cue of item 1"),
        ({"steps": ["One step.", LONG]}, "steps[1]", "has 26 words; a card's answer should be one idea of at most 25"),
        ({"steps": ["Notice whether the client freezes, shouts, laughs or leaves."]}, "steps[0]", "lists 4 things"),
        ({"warnings": ["Do not hurry the client."]}, "warnings[0]", "says what to avoid but not why"),
        ({"warnings": [{"cue": "Hurrying the client along", "text": "Do not hurry the client — it scares them."}]},
         "warnings[0].cue", "the situation names the mistake itself ('hurry…')"),
        ({"follow_up_questions": [{"cue": "Ask what was going on for them", "text": "What was going on for you?"}]},
         "follow_up_questions[0].cue", "the cue holds most of the words of its answer"),
    ],
)  # fmt: skip
def test_each_rule_is_a_located_warning_and_an_error_with_strict(
    tmp_path: Path, overrides: dict[str, object], field: str, words: str
) -> None:
    content = write_content(tmp_path, techniques=[technique("alpha", **overrides)])
    code, lines = validate(content)
    assert code == 0
    (line,) = [line for line in lines if "warning:" in line]
    assert line.startswith(f"{content}/techniques/alpha.yaml:") and f": {field}: warning: " in line
    assert words in line
    code, lines = validate(content, "--strict")
    assert code == 1 and lines[-1] == "Error: 1 warning, which --strict treats as errors"


def test_the_bundled_content_passes_the_lint() -> None:
    assert validate(BUNDLED_CONTENT, "--strict") == (0, ["OK: 3 techniques, 0 warnings."])


def test_commas_between_clauses_are_not_a_list() -> None:
    assert listed_things("Ich sehe, dass es Sie traf. Das wollte ich nicht, und ich möchte verstehen, was war.") == 1
    assert listed_things('Say it: "Wait, stop, look, listen or leave."') == 1  # quoted speech is one phrase
    assert listed_things("Watch for signs: the client shuts down, turns hostile, goes passive or pulls away.") == 4


@pytest.mark.parametrize("command", ["deck", "build"])
def test_the_lint_runs_wherever_a_deck_is_built_and_strict_fails_on_it(tmp_path: Path, command: str) -> None:
    content = write_content(tmp_path, techniques=[technique("alpha", steps=["One step.", LONG])])
    out = tmp_path / "out"
    args = [command, "--content", str(content), "--out", str(out), "-j", "1"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert f"{content}/techniques/alpha.yaml:" in result.output and ": steps[1]: warning: has 26 words" in result.output
    strict = CliRunner().invoke(main, [*args, "--strict"])
    assert strict.exit_code == 1
    assert strict.output.splitlines()[-1] == "Error: 1 warning, which --strict treats as errors"


def test_outputs_without_flash_cards_do_not_run_the_lint(tmp_path: Path) -> None:
    content = write_content(tmp_path, techniques=[technique("alpha", steps=["One step.", LONG])])
    result = CliRunner().invoke(main, ["handbook", "--content", str(content), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0 and "warning" not in result.output


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        # A cue that holds its whole short answer (short words used to be ignored).
        ({"key_phrases": [{"cue": "Tell me more about it", "text": "Tell me more about it."}]},
         "key_phrases[0].cue", "the cue holds the whole answer"),
        # A warning whose reason runs long: the whole warning is the card's answer.
        ({"warnings": ["Do not hurry the client — " + " ".join(["because it matters"] * 20) + "."]},
         "warnings[0]", "has 66 words; a warning card's answer (the mistake and its reason) should be at most 25"),
    ],
)  # fmt: skip
def test_the_lint_sees_what_it_used_to_miss(
    tmp_path: Path, overrides: dict[str, object], field: str, words: str
) -> None:
    content = write_content(tmp_path, techniques=[technique("alpha", **overrides)])
    code, lines = validate(content)
    assert code == 0
    (line,) = [line for line in lines if "warning:" in line]
    assert f": {field}: warning: " in line and words in line


def test_a_word_is_not_taken_for_another_that_only_begins_the_same() -> None:
    from exporter.content.learning_lint import cue_gives_away
    from exporter.model import Item

    warning = Item(text="Do not offer an interpretation — the client stops thinking.", cue="The client interrupts you")
    assert cue_gives_away("warnings", warning) is None  # "interrupt" is not "interpretation"
    hurried = Item(text="Do not hurry the client — it scares them.", cue="Hurrying the client along")
    assert cue_gives_away("warnings", hurried) is not None  # "hurrying" is "hurry"


@pytest.mark.parametrize(
    ("language", "warning"),
    [
        ("he", "אל תמהרו את המטופל כי הוא יפסיק לחשוב."),
        ("ar", "لا تستعجل المراجع لأن ذلك يوقف تفكيره."),
        ("uk", "Не поспішайте з клієнтом, бо він перестане думати."),
    ],
)
def test_a_reason_in_the_librarys_language_is_a_reason(language: str, warning: str) -> None:
    from exporter.content.learning_lint import has_reason

    assert has_reason(warning, language)
    assert not has_reason(warning.replace("כי", "").replace("لأن", "").replace(", бо", ""), language)
