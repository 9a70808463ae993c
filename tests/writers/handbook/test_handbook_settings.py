"""The handbook in another language and with the chapter_start settings, read back from the PDF."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import LIBRARY as LIBRARY_FOR_SETTINGS
from conftest import technique, write_content
from pypdf import PdfReader
from test_handbook import build_with_library

from exporter.content.techniques import read_library
from exporter.options import BuildOptions
from exporter.writers.handbook import write_handbook

GERMAN_LIBRARY: dict[str, Any] = {
    "title": "Mentalisierende Techniken",
    "subtitle": "Ein Handbuch für die Weiterbildung",
    "organisation": "Institut für Weiterbildung",
    "language": "de",
    "edition": "Ausgabe 2026",
    "disclaimer": "Nur für die Ausbildung. Kein Ersatz für fachliche Beratung.",
    "categories": [{"name": "Beziehung", "icon": "👥", "colour": "#2e6f95"}],
}


def german_technique(technique_id: str, title: str, similar: list[str]) -> dict[str, Any]:
    return technique(
        technique_id,
        title=title,
        categories=["Beziehung"],
        summary="Eine Haltung, die neugierig bleibt und nachfragt, statt zu erklären oder zu deuten.",
        steps=["Innehalten und die Veränderung benennen.", "Die eigene Beteiligung offen ansprechen."],
        when_to_use=["Wenn die Klientin verstummt.", "Wenn ein Missverständnis spürbar wird."],
        key_phrases=["Da ist gerade etwas passiert."],
        follow_up_questions=["Wie haben Sie das erlebt?"],
        alternative_phrasings=["Vielleicht habe ich mich ungeschickt ausgedrückt."],
        warnings=["Nicht rechtfertigen — das verschließt das Gespräch."],
        sources=["Beispiel, B. (2020). Ein Lehrbuch. Verlag."],
        similar=similar,
    )


def test_a_german_library_prints_no_english_label(tmp_path: Path) -> None:
    from label_check import english_labels_left

    from exporter.writers.handouts import write_handouts

    techniques = [
        german_technique("innehalten", "Innehalten und benennen", ["nachfragen"]),
        german_technique("nachfragen", "Neugierig nachfragen", ["innehalten"]),
    ]
    library, _ = read_library(write_content(tmp_path, techniques, GERMAN_LIBRARY))
    write_handbook(library, tmp_path / "out", BuildOptions(paper="a4"))
    handouts = write_handouts(library, tmp_path / "out", BuildOptions(paper="a4"))
    for path in [tmp_path / "out" / "handbook.pdf", *handouts.paths]:
        reader = PdfReader(path)
        text = "\n".join(page.extract_text() for page in reader.pages)
        outline = " ".join(item.title for item in reader.outline if not isinstance(item, list))
        assert re.search(r"Seite \d+ von \d+", text)
        assert not english_labels_left(text + "\n" + outline, "de", ["handbook.", "handouts."]), path.name


@pytest.mark.parametrize("mode", ["right", "continuous"])
def test_chapter_start_setting(tmp_path: Path, mode: str) -> None:
    techniques = [technique(f"t{n}", title=f"Technique {n}", similar=[]) for n in (1, 2, 10, 3)]
    library_data = {**LIBRARY_FOR_SETTINGS, "settings": {"chapter_start": mode}}
    built = build_with_library(tmp_path, techniques, library_data)
    order = [t.title for t in built.library.ordered_techniques()]
    assert order == ["Technique 1", "Technique 2", "Technique 3", "Technique 10"]  # natural order
    pages = [built.reader.get_destination_page_number(item) + 1 for item in built.reader.outline[4]]
    starts = sorted(set(pages))
    if mode == "right":
        assert all(page % 2 == 1 for page in starts)
        blank = [n for n in range(starts[0], starts[-1]) if n not in starts and not built.texts[n - 1].strip()]
        assert blank  # a left-hand page left blank, without header or footer
    else:
        assert len(starts) < 4  # chapters run on, several on one page


def test_an_unknown_chapter_start_is_a_content_problem(tmp_path: Path) -> None:
    from exporter.errors import ContentError

    content = write_content(tmp_path, [technique()], {**LIBRARY_FOR_SETTINGS, "settings": {"chapter_start": "left"}})
    with pytest.raises(ContentError) as raised:
        read_library(content)
    assert any(
        p.field == "settings.chapter_start" and "any, right, continuous" in p.message for p in raised.value.problems
    )
