"""The technique files a build read are kept beside its outputs: a build in a new process after an
edit parses only the edited file, with the same warnings; a damaged file only costs a full read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from build_outputs import EPOCH
from click.testing import CliRunner

from exporter.cli import main
from exporter.content import learning_lint, techniques
from exporter.content.read_cache import CACHE_FILE
from exporter.files.output_cache import CACHE_DIR
from exporter.testing.synthetic import write_synthetic_content


def build(content: Path, out: Path) -> str:
    result = CliRunner().invoke(
        main, ["build", "--only", "handouts,deck", "--content", str(content), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return result.output


def new_process() -> None:
    """Forget what this process read, as a new `exporter build` starts."""
    techniques._READ._entries.clear()
    learning_lint._LINTED._entries.clear()


def test_a_new_build_after_an_edit_reads_only_the_edited_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    content = write_synthetic_content(tmp_path / "lib", 10, seed=8)
    out = tmp_path / "out"
    first = build(content, out)
    assert (out / CACHE_DIR / CACHE_FILE).is_file()
    edited = sorted((content / "techniques").glob("*.yaml"))[2]
    edited.write_text(edited.read_text(encoding="utf-8").replace("steps:", "# a comment\nsteps:", 1), encoding="utf-8")
    parsed: list[str] = []
    real = techniques._technique_from_text

    def counted(text: str, display: str, *args: Any) -> Any:
        parsed.append(display)
        return real(text, display, *args)

    monkeypatch.setattr(techniques, "_technique_from_text", counted)
    new_process()
    second = build(content, out)
    assert [Path(name).name for name in parsed] == [edited.name]

    def content_warnings(output: str) -> list[str]:
        return [line.replace("# a comment", "") for line in output.splitlines() if "/techniques/" in line]

    # The same warnings (the edited file's one line further down, from its comment).
    assert len(content_warnings(first)) == len(content_warnings(second)) > 0
    (out / CACHE_DIR / CACHE_FILE).write_bytes(b"\x80\x05not a pickle")
    new_process()
    parsed.clear()
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    build(content, out)
    assert len(parsed) == 10  # a damaged file is no file: every technique read again
