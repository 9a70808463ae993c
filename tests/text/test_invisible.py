"""Invisible characters: removed where they change nothing, kept where they draw (emoji
sequences, joining scripts), refused where they would reorder the text (bidi controls)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from conftest import FIXTURES, technique
from pypdf import PdfReader

from exporter.cli import main
from exporter.content.techniques import check_library
from exporter.text.invisible import clean_invisible

MakeContent = Callable[..., Path]


def read(make_content: MakeContent, *techniques: dict[str, Any]) -> tuple[Any, list[str]]:
    library, problems = check_library(make_content(techniques=list(techniques)))
    return library, [str(p) for p in problems]


@pytest.mark.parametrize("invisible", ["\u00ad", "\u200d", "\u200c", "\u2060", "\u200b", "\ufeff", "\u200e"], ids=repr)
def test_an_invisible_character_in_a_title_is_removed_so_equal_titles_are_equal(
    make_content: MakeContent, invisible: str
) -> None:
    library, problems = read(
        make_content,
        technique("grounding", title="Grounding"),
        technique("second", title=f"Groun{invisible}ding", steps=[f"Breathe{invisible} out"]),
    )
    assert library is not None
    assert [t.title for t in library.techniques] == ["Grounding", "Grounding"]
    assert library.technique("second").steps[0].text == "Breathe out"
    assert any(
        ": title: warning: the same title as " in p and p.endswith("grounding.yaml; readers cannot tell the two apart")
        for p in problems
    ), problems


def test_a_file_name_with_a_soft_hyphen_gives_the_id_without_it(make_content: MakeContent, tmp_path: Path) -> None:
    data = technique("x")
    del data["id"]
    content = make_content(techniques=[])
    (content / "techniques" / "groun\u00adding.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    library, _ = check_library(content)
    assert library is not None
    assert [t.id for t in library.techniques] == ["grounding"]


@pytest.mark.parametrize(
    "text",
    ["🧘\u200d♀️ Yoga", "❤️\u200d🩹 Mending", "👩🏽\u200d⚕️ Nurse", "⚠\ufe0f Careful", "1\ufe0f\u20e3 First"],
)
def test_joiners_and_variation_selectors_inside_emoji_are_kept(text: str) -> None:
    assert clean_invisible(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "می\u200cخواهم",  # Persian: the non-joiner keeps two letters apart
        "क्\u200dष",  # Devanagari: the joiner asks for a half form
        "שָׁלוֹם עֲלֵיכֶם",  # Hebrew: right to left by its letters, no control needed
        "السلام عليكم",  # Arabic
    ],
)
def test_text_in_joining_and_right_to_left_scripts_is_kept_as_written(make_content: MakeContent, text: str) -> None:
    assert clean_invisible(text) == text
    library, problems = read(make_content, technique("alpha", title=text, steps=[text]))
    assert library is not None, problems
    assert library.techniques[0].title == text and library.techniques[0].steps[0].text == text


@pytest.mark.parametrize("control", ["\u202e", "\u202d", "\u202a", "\u2066", "\u2067", "\u2069"], ids=repr)
def test_a_direction_control_is_refused_with_its_code(
    make_content: MakeContent, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, control: str
) -> None:
    make_content(techniques=[technique("alpha", warnings=[f"Do not {control}use force"])])
    monkeypatch.chdir(tmp_path)
    for command in ("validate", "build"):
        result = CliRunner().invoke(main, [command, "--content", "content"])
        assert result.exit_code == 1
        first = result.output.splitlines()[0]
        assert first.startswith("content/techniques/alpha.yaml:")
        assert first.endswith(
            f": warnings[0]: contains U+{ord(control):04X} (a direction control), which would show the text in "
            "another order; delete it (Hebrew and Arabic are shown right to left without it)"
        )
        assert control not in result.output
    assert not (tmp_path / "output").exists()


@pytest.mark.parametrize("title", ["\u200b\u200d", "\u0301\u0308", "\u00ad", " \u200c "], ids=repr)
def test_a_title_with_nothing_visible_is_refused(make_content: MakeContent, title: str) -> None:
    library, problems = read(make_content, technique("alpha", title=title))
    assert library is None
    assert any("techniques/alpha.yaml:" in p and ": title: " in p for p in problems), problems
    assert any("expected text" in p or "has no visible character" in p for p in problems)


def test_a_soft_hyphen_never_prints_as_a_hyphen(make_content: MakeContent, tmp_path: Path) -> None:
    content = make_content(
        techniques=[technique("alpha", title="Self\u00adsoothing breath", steps=["Ex\u00adhale slowly"] * 3)]
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--content", str(content), "--out", str(out), "--only", "handbook"])
    assert result.exit_code == 0, result.output
    text = "\n".join(page.extract_text() for page in PdfReader(out / "handbook.pdf").pages)
    assert "Selfsoothing breath" in text and "Exhale slowly" in text
    assert "Self-" not in text and "Ex-" not in text and "\u00ad" not in text


def test_an_imported_page_whose_title_hides_a_soft_hyphen_updates_the_same_technique(tmp_path: Path) -> None:
    page = (FIXTURES / "pages" / "clean.txt").read_text(encoding="utf-8")
    into = tmp_path / "content"
    (tmp_path / "first.txt").write_text(page, encoding="utf-8")
    first = CliRunner().invoke(main, ["import", str(tmp_path / "first.txt"), "--into", str(into)])
    assert first.exit_code == 0, first.output
    names_before = sorted(p.name for p in (into / "techniques").iterdir())
    hidden = page.replace("Grounding Through", "Groun\u00adding\u200b Through")
    (tmp_path / "again.txt").write_text(hidden, encoding="utf-8")
    CliRunner().invoke(main, ["import", str(tmp_path / "again.txt"), "--into", str(into)])
    assert sorted(p.name for p in (into / "techniques").iterdir() if not p.name.endswith(".bak")) == names_before
    library, problems = check_library(into)
    assert library is not None, problems
    assert [t.title for t in library.techniques] == ["Grounding Through the Senses"]
