"""Shared fixtures: content trees written from dicts, so every test reads on its own."""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import settings

# In CI the property tests draw the same examples every run: a red CI is for a change, not for a
# rare example found by chance (the default run, on a developer's machine, keeps exploring).
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"
BUNDLED_CONTENT = REPO / "content"
SEEDS = REPO.parent / "shared" / "seeds"

LIBRARY: dict[str, Any] = {
    "title": "Test Library",
    "subtitle": "For the test suite",
    "organisation": "Test Org",
    "language": "en",
    "edition": "Test edition 1",
    "disclaimer": "For training only. Not advice of any kind.",
    "categories": [
        {"name": "Problem processing", "icon": "🔧", "colour": "#b5651d"},
        {"name": "Interpersonal", "icon": "👥", "colour": "#2e6f95"},
    ],
}


def technique(technique_id: str = "alpha", **overrides: Any) -> dict[str, Any]:
    """A valid technique as a dict; override any field."""
    data: dict[str, Any] = {
        "id": technique_id,
        "title": f"Technique {technique_id.title()}",
        "categories": ["Problem processing"],
        "summary": f"What {technique_id} is for, in one paragraph.",
        "steps": [f"{technique_id} step one", f"{technique_id} step two", f"{technique_id} step three"],
        "when_to_use": ["When the client goes quiet"],
        "key_phrases": [f"A key phrase of {technique_id}"],
        "follow_up_questions": [f"A follow-up question of {technique_id}?"],
        "alternative_phrasings": [f"An alternative phrasing of {technique_id}"],
        "warnings": [f"Do not misuse {technique_id} — it backfires"],
        "sources": ["Author, A. (2020). A Book. Publisher."],
        "similar": [],
    }
    data.update(overrides)
    return data


def write_content(
    root: Path,
    techniques: list[dict[str, Any]] | None = None,
    library: dict[str, Any] | None = None,
    raw_files: dict[str, str | bytes] | None = None,
) -> Path:
    """Write a content tree (library.yaml + techniques/<id>.yaml) under root; return its path.

    raw_files maps a path relative to the content folder to exact text or bytes, for broken input.
    """
    content = root / "content"
    (content / "techniques").mkdir(parents=True, exist_ok=True)
    lib = copy.deepcopy(LIBRARY if library is None else library)
    (content / "library.yaml").write_text(yaml.safe_dump(lib, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for data in techniques if techniques is not None else [technique()]:
        name = data.get("id", "unnamed")
        (content / "techniques" / f"{name}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    for relative, value in (raw_files or {}).items():
        target = content / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(value, bytes):
            target.write_bytes(value)
        else:
            target.write_text(value, encoding="utf-8")
    return content


@pytest.fixture
def make_content(tmp_path: Path) -> Callable[..., Path]:
    """make_content(techniques=[...], library={...}, raw_files={...}) -> content folder."""

    def make(**kwargs: Any) -> Path:
        return write_content(tmp_path, **kwargs)

    return make


@pytest.fixture
def fakes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The stand-in writers of tests/fake_writers.py, registered for this test."""
    import fake_writers

    fake_writers.register(monkeypatch)
