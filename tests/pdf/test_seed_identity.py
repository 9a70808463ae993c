"""The keys of replayed parts name the fonts' seed by what it draws, never by the private values a
process gave its glyph codes (they depend on what the process shaped first): the same library
gives the same key in any process, so an edit does not make every card page look new."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES

PROGRAM = """
import sys
from pathlib import Path
from exporter.build.pipeline import load_checked
from exporter.pdf.glyphs.glyphcodes import seed_identity
from exporter.pdf.lines.runs import text_width
from exporter.pdf.pages.subsets import library_seed
if sys.argv[2] == "shaped-first":  # as the cards writer fits an edited technique before seeding
    text_width("Vowels Tov AVAWAY fine office Wałęsa", 9)
library, _ = load_checked(Path(sys.argv[1]), False, True)
print(seed_identity(library_seed(library)))
"""


def _identity(content: str, history: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM, content, history], capture_output=True, text=True, timeout=300, check=True
    )
    return result.stdout


def test_the_seed_is_named_the_same_whatever_the_process_shaped_before() -> None:
    content = str(FIXTURES / "libraries" / "de")
    plain, shaped = _identity(content, "plain"), _identity(content, "shaped-first")
    assert plain == shaped and len(plain) > 100


KEPT = """
import sys
from pathlib import Path
from exporter.build.pipeline import load_checked
from exporter.pdf.glyphs.glyphcodes import seed_identity
from exporter.pdf.lines.runs import text_width
from exporter.pdf.pages.seed_cache import kept_library_seed
if sys.argv[3] == "shaped-first":
    text_width("Vowels Tov AVAWAY fine office Wałęsa", 9)
library, _ = load_checked(Path(sys.argv[1]), False, True)
seed = kept_library_seed(library, Path(sys.argv[2]), "salt", "handbook")
print(seed_identity(seed))
print(sum(len(chars) for chars in seed.values()))
"""


def test_a_kept_seed_read_by_another_process_draws_the_same_glyphs(tmp_path: Path) -> None:
    """The seed a build keeps beside its output is read back by the next process, whose private
    glyph codes differ, as the same glyphs in the same order (emoji sequences, Hebrew, kerning)."""
    for fixture in ("emoji", "he", "de"):
        out = tmp_path / fixture
        out.mkdir()
        runs = [
            subprocess.run(
                [sys.executable, "-c", KEPT, str(FIXTURES / "libraries" / fixture), str(out), history],
                capture_output=True, text=True, timeout=300, check=True,
            ).stdout
            for history in ("plain", "shaped-first", "plain")
        ]  # fmt: skip
        assert (out / ".exporter-cache" / "handbook-seed.json").is_file()
        assert runs[0] == runs[1] == runs[2] and int(runs[0].split()[-1]) > 90


def _kept_seed(fixture: str, out: Path) -> str:
    from exporter.build.pipeline import load_checked
    from exporter.pdf.glyphs.glyphcodes import seed_identity
    from exporter.pdf.pages.seed_cache import kept_library_seed

    library, _ = load_checked(FIXTURES / "libraries" / fixture, False, True)
    return seed_identity(kept_library_seed(library, out, "salt", "handbook"))


def test_a_damaged_seed_part_is_made_again(tmp_path: Path) -> None:
    """A part whose characters are not a string, or whose glyph places are not places in the
    table, is no part: the seed is the one a build without the file makes."""
    import json

    fresh = _kept_seed("emoji", tmp_path / "fresh")
    path = tmp_path / "fresh" / ".exporter-cache" / "handbook-seed.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    parts = {key: json.loads(part) for key, part in data["entries"]["parts"].items()}  # each part JSON text
    damaged = [key for key, part in parts.items() if any(places for _, places in part["glyphs"].values())][:2]
    first, second = (parts[key]["glyphs"] for key in damaged)
    font = next(iter(first))
    first[font][0] = list(first[font][0]) or ["ab"]
    font = next(font for font, (_, places) in second.items() if places)
    second[font][1] = [-1]
    data["entries"]["parts"] = {key: json.dumps(part) for key, part in parts.items()}
    path.write_text(json.dumps(data), encoding="utf-8")
    assert _kept_seed("emoji", tmp_path / "fresh") == fresh


def test_codes_no_part_names_are_dropped_once_the_table_is_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from exporter.pdf.pages import seed_cache

    fresh = _kept_seed("he", tmp_path / "out")
    path = tmp_path / "out" / ".exporter-cache" / "handbook-seed.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["entries"]["codes"] += [["ExporterSans", 3, "unused", None]] * 5  # described, named by no part
    data["entries"]["parts"]["stale"] = json.dumps({"glyphs": {}, "beyond_ascii": "", "right_to_left": False})
    path.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(seed_cache, "MOST_CODES", 1)
    assert _kept_seed("he", tmp_path / "out") == fresh
    saved = json.loads(path.read_text(encoding="utf-8"))["entries"]
    parts = [json.loads(part) for part in saved["parts"].values()]
    named = {place for part in parts for _, places in part["glyphs"].values() for place in places}
    assert "stale" not in saved["parts"] and named == set(range(len(saved["codes"]))) and saved["codes"]
    assert _kept_seed("he", tmp_path / "out") == fresh


def test_a_seed_file_whose_parts_did_not_change_is_left_as_it_was(tmp_path: Path) -> None:
    first = _kept_seed("de", tmp_path / "out")
    path = tmp_path / "out" / ".exporter-cache" / "handbook-seed.json"
    written = path.stat().st_mtime_ns, path.read_bytes()
    assert _kept_seed("de", tmp_path / "out") == first
    assert (path.stat().st_mtime_ns, path.read_bytes()) == written
    assert [p.name for p in path.parent.iterdir()] == ["handbook-seed.json"]  # no temporary file left
