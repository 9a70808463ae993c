"""`exporter watch` reads the library again in the same process after every save: what it reads
the second time is the files as they are now, with their problems on their current lines."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import technique, write_content

from exporter.build.pipeline import load_checked
from exporter.content.techniques import read_library
from exporter.errors import ContentError


def test_a_file_saved_again_is_read_as_it_is_now_and_the_others_as_they_were(tmp_path: Path) -> None:
    content = write_content(tmp_path, techniques=[technique("alpha"), technique("beta")])
    first, _ = read_library(content, learning=True)
    alpha = content / "techniques" / "alpha.yaml"
    edited = yaml.safe_load(alpha.read_text(encoding="utf-8"))
    edited["steps"][0] = "A first step written again, after the save."
    alpha.write_text(yaml.safe_dump(edited, allow_unicode=True), encoding="utf-8")

    second, _ = read_library(content, learning=True)
    assert second.technique("alpha").steps[0].text == "A first step written again, after the save."
    assert second.technique("beta") == first.technique("beta")


def test_problems_of_a_file_saved_again_name_its_current_lines(tmp_path: Path) -> None:
    long_step = " ".join(["word"] * 40)  # the learning lint warns: more than one idea
    content = write_content(tmp_path, techniques=[technique("alpha", steps=[long_step, "Second step."])])
    _, warnings = read_library(content, learning=True)
    before = [p for p in warnings if p.field == "steps[0]"]
    assert len(before) == 1
    alpha = content / "techniques" / "alpha.yaml"
    alpha.write_text("# a comment line added on top\n\n" + alpha.read_text(encoding="utf-8"), encoding="utf-8")

    _, warnings = read_library(content, learning=True)
    after = [p for p in warnings if p.field == "steps[0]"]
    assert [p.line for p in after] == [before[0].line + 2]


def test_a_character_the_fonts_cannot_draw_is_found_among_texts_they_can(tmp_path: Path) -> None:
    missing = "\U0001d11e"  # MUSICAL SYMBOL G CLEF: in no bundled font
    content = write_content(
        tmp_path, techniques=[technique("alpha"), technique("beta", sources=["A source", f"Notes {missing}"])]
    )
    with pytest.raises(ContentError) as raised:
        load_checked(content, strict=False, pdf=True)
    found = [(Path(p.path).name, p.field) for p in raised.value.problems if "U+1D11E" in p.message]
    assert found == [("beta.yaml", "sources[1]")]
