"""Loading and validation: what the model holds for good input, the message format, `exporter list`."""

from __future__ import annotations

import codecs
import io
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import BUNDLED_CONTENT, FIXTURES, technique
from hypothesis import given, settings
from hypothesis import strategies as st

from exporter.cli import main
from exporter.content import yaml_nodes as load
from exporter.content.techniques import check_library, read_library
from exporter.content.yaml_nodes import Node
from exporter.errors import ContentError, Problem
from exporter.model import Item

MakeContent = Callable[..., Path]


def test_the_bundled_content_has_no_problem_at_all() -> None:
    library, problems = check_library(BUNDLED_CONTENT)
    assert problems == []
    assert library is not None
    assert "repair-of-therapeutic-rupture" in {t.id for t in library.techniques}


def test_validate_accepts_the_bundled_content(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BUNDLED_CONTENT.parent)
    result = CliRunner().invoke(main, ["validate", "--strict"])
    assert result.exit_code == 0, result.output
    library, _ = read_library(BUNDLED_CONTENT)
    assert result.output == f"OK: {len(library.techniques)} techniques, 0 warnings.\n"


def test_list_prints_the_seed_technique_with_its_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BUNDLED_CONTENT.parent)
    result = CliRunner().invoke(main, ["list"])
    assert result.exit_code == 0, result.output
    assert (
        "repair-of-therapeutic-rupture\tRepair of Therapeutic Rupture\tProblem processing, Interpersonal\t"
        "7 steps, 4 phrases, 3 warnings"
    ) in result.output.splitlines()


def test_list_prints_one_line_per_technique_in_handbook_order(make_content: MakeContent) -> None:
    content = make_content(
        techniques=[
            technique("zeta", title="Zeta", categories=["Interpersonal"]),
            technique("beta", title="Beta", key_phrases=["a", "b"], warnings=[]),
            technique("alpha", title="Alpha", categories=["Interpersonal", "Problem processing"], steps=["only"]),
        ]
    )
    result = CliRunner().invoke(main, ["list", "--content", str(content)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "beta\tBeta\tProblem processing\t3 steps, 4 phrases, 0 warnings",
        "alpha\tAlpha\tInterpersonal, Problem processing\t1 steps, 3 phrases, 1 warnings",
        "zeta\tZeta\tInterpersonal\t3 steps, 3 phrases, 1 warnings",
    ]


def test_list_of_broken_content_is_the_problem_list(make_content: MakeContent) -> None:
    content = make_content(techniques=[technique("alpha", title=["not", "text"])])
    result = CliRunner().invoke(main, ["list", "--content", str(content)])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert result.output.splitlines()[0].endswith("alpha.yaml:2: title: expected text, got a list")


def test_the_model_holds_what_the_file_says(make_content: MakeContent) -> None:
    content = make_content(
        techniques=[
            technique(
                "alpha",
                steps=["Plain step", {"id": "named", "cue": "When it shifts", "text": "Named step"}],
                sources="A single source, as text",
                similar=["beta", "beta"],
            ),
            technique("beta", similar=["alpha"]),
        ]
    )
    library, warnings = read_library(content)
    alpha = library.technique("alpha")
    assert warnings == []
    assert [(i.text, i.id, i.cue) for i in alpha.steps] == [
        ("Plain step", None, None),
        ("Named step", "named", "When it shifts"),
    ]
    assert alpha.sources == ("A single source, as text",)
    assert alpha.similar == ("beta",)
    assert alpha.path == (content / "techniques" / "alpha.yaml").as_posix()
    written = (content / "techniques" / "alpha.yaml").read_text(encoding="utf-8").splitlines()
    assert alpha.line_of("steps") == written.index("steps:") + 1
    assert [i.line for i in alpha.steps] == [written.index("steps:") + 2, written.index("steps:") + 3]


def test_the_id_defaults_to_the_file_name(make_content: MakeContent) -> None:
    data = technique("ignored")
    del data["id"]
    content = make_content(techniques=[], raw_files={"techniques/from-the-name.yaml": yaml.safe_dump(data)})
    library, _ = read_library(content)
    assert [t.id for t in library.techniques] == ["from-the-name"]


def test_similar_cycles_are_allowed_and_followed_nowhere(make_content: MakeContent) -> None:
    content = make_content(
        techniques=[
            technique("alpha", similar=["beta"]),
            technique("beta", similar=["gamma"]),
            technique("gamma", similar=["alpha", "beta"]),
        ]
    )
    library, warnings = read_library(content, strict=True)
    assert warnings == []
    assert {t.id: t.similar for t in library.techniques} == {
        "alpha": ("beta",),
        "beta": ("gamma",),
        "gamma": ("alpha", "beta"),
    }


def test_a_self_reference_is_dropped_with_a_warning(make_content: MakeContent) -> None:
    content = make_content(techniques=[technique("alpha", similar=["alpha"])])
    library, warnings = read_library(content)
    assert library.technique("alpha").similar == ()
    assert [(w.field, w.severity) for w in warnings] == [("similar[0]", "warning")]
    with pytest.raises(ContentError):
        read_library(content, strict=True)


def test_text_is_normalised_to_nfc(make_content: MakeContent) -> None:
    decomposed = unicodedata.normalize("NFD", "Café – Ærø, naïve")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    content = make_content(
        techniques=[technique("alpha", title=decomposed, steps=[decomposed, {"text": decomposed, "cue": decomposed}])]
    )
    library, _ = read_library(content)
    alpha = library.technique("alpha")
    texts = [text for _, text in alpha.texts()]
    assert alpha.title == "Café – Ærø, naïve"
    assert all(unicodedata.is_normalized("NFC", text) for text in texts)
    assert alpha.steps[1].cue == "Café – Ærø, naïve"


def test_a_utf8_bom_and_crlf_line_ends_are_accepted(make_content: MakeContent) -> None:
    text = yaml.safe_dump(technique("alpha", steps=["one", "two"]), allow_unicode=True, sort_keys=False)
    data = codecs.BOM_UTF8 + text.replace("\n", "\r\n").encode("utf-8")
    content = make_content(techniques=[], raw_files={"techniques/alpha.yaml": data})
    library, _ = read_library(content)
    alpha = library.technique("alpha")
    assert [i.text for i in alpha.steps] == ["one", "two"]
    assert alpha.title == "Technique Alpha"  # no BOM left on the first key or value
    assert alpha.line_of("steps") == text.splitlines().index("steps:") + 1


def test_old_mac_line_ends_are_accepted(make_content: MakeContent) -> None:
    text = yaml.safe_dump(technique("alpha"), sort_keys=False).replace("\n", "\r")
    content = make_content(techniques=[], raw_files={"techniques/alpha.yaml": text.encode()})
    library, _ = read_library(content)
    assert library.technique("alpha").steps[0].text == "alpha step one"


def test_markup_and_template_braces_stay_text(make_content: MakeContent) -> None:
    odd = "<b>bold</b> & {{Front}} \"quoted\" 'single' \\ 🔧"
    content = make_content(techniques=[technique("alpha", steps=[odd])])
    library, _ = read_library(content)
    written = (content / "techniques" / "alpha.yaml").read_text(encoding="utf-8").splitlines()
    assert library.technique("alpha").steps == (Item(text=odd, line=written.index("steps:") + 2),)


def test_dot_files_beside_techniques_are_ignored(make_content: MakeContent) -> None:
    content = make_content(
        raw_files={"techniques/._alpha.yaml": b"\x00\x05\x16\x07 AppleDouble", "techniques/.#alpha.yaml": "lock"}
    )
    library, problems = check_library(content)
    assert problems == [] and library is not None


def test_both_yaml_extensions_are_read(make_content: MakeContent) -> None:
    content = make_content(techniques=[technique("alpha")])
    (content / "techniques" / "beta.yml").write_text(yaml.safe_dump(technique("beta")), encoding="utf-8")
    library, _ = read_library(content)
    assert [t.id for t in library.techniques] == ["alpha", "beta"]


def test_a_broken_library_yaml_still_lets_every_technique_be_checked(make_content: MakeContent) -> None:
    library = {
        "title": ["not", "text"],
        "disclaimer": "d",
        "categories": [{"name": "Problem processing"}],
    }
    content = make_content(library=library, techniques=[technique("alpha", categories=["Problem procesing"])])
    _, problems = check_library(content)
    assert [(Path(p.path).name, p.field) for p in problems] == [
        ("library.yaml", "title"),
        ("alpha.yaml", "categories[0]"),
    ]


def test_problem_text_is_path_line_field_message() -> None:
    assert str(Problem("content/techniques/x.yaml", 12, "steps[2]", "expected text, got a list")) == (
        "content/techniques/x.yaml:12: steps[2]: expected text, got a list"
    )
    warning = Problem("content/techniques/x.yaml", 1, "sources", "no source given", "warning")
    assert str(warning) == "content/techniques/x.yaml:1: sources: warning: no source given"


def test_a_content_error_lists_problems_sorted_then_one_error_line() -> None:
    error = ContentError(
        [
            Problem("b.yaml", 3, "title", "is empty; expected text"),
            Problem("a.yaml", 9, "sources", "no source given", "warning"),
            Problem("a.yaml", 2, "steps", "expected a list, got text"),
        ]
    )
    shown = io.StringIO()
    error.show(shown)
    assert shown.getvalue().splitlines() == [
        "a.yaml:2: steps: expected a list, got text",
        "a.yaml:9: sources: warning: no source given",
        "b.yaml:3: title: is empty; expected text",
        "Error: 2 problems in the content; nothing was written",
    ]
    assert error.exit_code == 1


def test_strict_turns_warnings_into_the_error(make_content: MakeContent) -> None:
    content = make_content(techniques=[technique("alpha", sources=[], warnings=[])])
    _, warnings = read_library(content)
    assert [w.field for w in warnings] == ["sources", "warnings"]
    with pytest.raises(ContentError) as raised:
        read_library(content, strict=True)
    assert raised.value.message == "2 warnings, which --strict treats as errors"


def careful_and_fast(text: str) -> tuple[tuple[Node | None, list[Problem]], tuple[Node | None, list[Problem]]]:
    return load._parse_carefully(text, "f.yaml"), load.parse_yaml(text, "f.yaml")


@pytest.mark.parametrize(
    "path",
    sorted(BUNDLED_CONTENT.rglob("*.yaml")) + sorted((FIXTURES / "broken").rglob("*.yaml")),
    ids=lambda p: p.name,
)
def test_the_libyaml_fast_path_reads_every_file_as_the_careful_path_does(path: Path) -> None:
    careful, fast = careful_and_fast(path.read_text(encoding="utf-8"))
    assert fast == careful


YAMLISH = st.lists(
    st.sampled_from(
        [
            *"ab: -\n\t'\"[]{},#&*!|>?%@`\\~\x85\u2028é🔧\x1b",
            "null",
            "yes",
            "1.5",
            "- ",
            ": ",
            "\n  ",
            "!!str ",
            "---\n",
        ]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(YAMLISH)
def test_the_fast_path_reads_whatever_the_careful_path_accepts_the_same_way(text: str) -> None:
    careful, fast = careful_and_fast(text)
    if careful[0] is not None:
        assert fast == careful
    if fast[0] is None:
        assert careful[0] is None
    # libyaml may accept what PyYAML refuses (it follows the YAML spec on tabs inside text).
