"""A way to start: `exporter init` and `exporter new` write files that pass `validate --strict`."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from pdf_reading import squash
from pypdf import PdfReader

from exporter.cli import main
from exporter.labels import bundled_languages
from exporter.starter import TEXTS


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


@pytest.mark.parametrize("language", bundled_languages())
def test_init_then_build_gives_every_output_from_a_library_that_passes_strict(tmp_path: Path, language: str) -> None:
    content = tmp_path / "course" / "content"
    result = run("init", content, "--language", language)
    assert result.exit_code == 0, result.output
    assert yaml.safe_load((content / "library.yaml").read_text(encoding="utf-8"))["language"] == language
    assert run("validate", "--content", content, "--strict").exit_code == 0
    build = run("build", "--content", content, "--out", tmp_path / "out", "-j", "1", "--strict")
    assert build.exit_code == 0, build.output
    assert "warning" not in build.output.replace("warning cards", "")  # quiet: no lost-state warning either
    out = tmp_path / "out"
    assert all((out / name).stat().st_size > 0 for name in ("handbook.pdf", "pocket-cards.pdf", "deck.apkg"))
    assert [p.name for p in (out / "handouts").iterdir()] == ["curious-questioning.pdf"]
    # The example is written in the library's language, not only its labels.
    texts = yaml.safe_load((TEXTS / f"{language}.yaml").read_text(encoding="utf-8"))
    handout = PdfReader(out / "handouts" / "curious-questioning.pdf").pages[0].extract_text()
    for key in ("title", "when_to_use", "warning"):
        assert shown_in(texts[key], handout), key
    if language != "en":
        assert not re.search(r"\b(Curious|Questioning|therapist|Notice)\b", handout)


def shown_in(text: str, page_text: str) -> bool:
    """Whether the page shows text: squashed for left-to-right text (which hyphenation may break);
    word by word for right-to-left text, which the text layer gives back in visual order."""
    if not any("\u0590" <= char <= "\u06ff" for char in text):
        return squash(text) in squash(page_text)

    def bare(word: str) -> str:  # vowel marks come back from the text layer in drawing order
        return "".join(char for char in word if not unicodedata.combining(char)).strip(".,;:?!،؛؟")

    words = {bare(word) for word in page_text.split()}
    return all(bare(word) in words for word in text.split())


def test_every_language_has_every_starter_text() -> None:
    english = yaml.safe_load((TEXTS / "en.yaml").read_text(encoding="utf-8"))
    for language in bundled_languages():
        texts = yaml.safe_load((TEXTS / f"{language}.yaml").read_text(encoding="utf-8"))
        assert texts.keys() == english.keys(), language
        assert len(texts["steps"]) == len(english["steps"]), language
        assert all(isinstance(value, (str, list)) and value for value in texts.values()), language


def test_init_never_writes_over_a_library(tmp_path: Path) -> None:
    content = tmp_path / "content"
    assert run("init", content).exit_code == 0
    before = (content / "library.yaml").read_bytes()
    again = run("init", content)
    assert again.exit_code == 1 and "a library is already there" in again.output
    assert (content / "library.yaml").read_bytes() == before


def test_new_writes_a_technique_that_passes_validate_and_refuses_a_second_of_the_same_title(tmp_path: Path) -> None:
    content = tmp_path / "content"
    assert run("init", content).exit_code == 0
    title = 'Holding "the" <Balance> & {{more}}'
    first = run("new", title, "--content", content)
    assert first.exit_code == 0, first.output
    path = content / "techniques" / "holding-the-balance-more.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["title"] == title and data["categories"] == ["Therapeutic stance"]  # text is data
    assert run("validate", "--content", content).exit_code == 0
    second = run("new", title, "--content", content)
    assert second.exit_code == 1
    assert second.output.strip().endswith(
        "a technique with the id 'holding-the-balance-more' exists already; edit that file"
    )


def test_new_names_a_category_the_library_lacks_as_a_usage_error(tmp_path: Path) -> None:
    content = tmp_path / "content"
    assert run("init", content).exit_code == 0
    result = run("new", "Another One", "--content", content, "--category", "Nowhere")
    assert result.exit_code == 2 and "'Nowhere' is not a category of the library (Therapeutic stance)" in result.output
    assert not (content / "techniques" / "another-one.yaml").exists()


def test_a_new_technique_left_as_the_template_wrote_it_does_not_pass_strict(tmp_path: Path) -> None:
    content = tmp_path / "content"
    assert run("init", content).exit_code == 0
    assert run("new", "Some Title", "--content", content).exit_code == 0
    path = content / "techniques" / "some-title.yaml"
    strict = run("validate", "--content", content, "--strict")
    assert strict.exit_code == 1
    flagged = [line for line in strict.output.splitlines() if "template's example text" in line]
    assert any(f"{path}:" in line and ": steps[0]: " in line for line in flagged), strict.output
    assert any(": sources[0]: " in line for line in flagged)
    # Written over, the file passes.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(
        summary="Staying with the client's pace when a topic becomes hard to talk about.",
        steps=["Notice the pause before the client changes the subject.", "Say what you noticed, briefly."],
        when_to_use=["The client moves away from a painful topic."],
        key_phrases=[{"cue": "The client changes the subject", "text": "We moved away from that quickly."}],
        warnings=[
            {"cue": "You want to get back to the topic", "text": "Do not push, because pressure closes the topic."}
        ],
        sources=["Allen, J. G. (2013). Restoring Mentalizing in Attachment Relationships. APPI."],
    )
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert [
        line for line in run("validate", "--content", content, "--strict").output.splitlines() if "template" in line
    ] == []


def test_inside_a_library_made_by_init_the_advice_is_to_name_this_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("init", tmp_path / "newlib").exit_code == 0
    monkeypatch.chdir(tmp_path / "newlib")
    result = run("new", "Some Title")
    assert result.exit_code == 1
    assert result.output.strip().endswith("no library here; this folder holds one: add `--content .`")
    build = run("validate")
    assert "content:0: content: no such folder; the library.yaml here is a library: add `--content .`" in build.output
