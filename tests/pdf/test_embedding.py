"""Fonts embedded once per process: each handout's bytes do not depend on what was built before it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import BUNDLED_CONTENT, REPO
from reportlab.pdfbase import pdfdoc, pdfmetrics

from exporter.build.pipeline import load_checked
from exporter.pdf.glyphs import embedding
from exporter.pdf.glyphs.fonts import BODY_FACES, drawable, register_fonts
from exporter.writers.handouts import build_handout, library_characters


def subset_state(name: str, doc: pdfdoc.PDFDocument) -> tuple[object, ...]:
    state = pdfmetrics.getFont(name).state[doc]
    return dict(state.assignments), [list(s) for s in state.subsets], state.nextCode


def test_a_seeded_document_gets_the_state_seeding_character_by_character_gives() -> None:
    register_fonts()
    characters = "".join(sorted(set("Привет, κόσμε — “déjà vu” ⚠ → ½")))
    embedding._SEEDED.clear()
    first, second = pdfdoc.PDFDocument(), pdfdoc.PDFDocument()
    embedding.seed_subsets(BODY_FACES, characters, first)  # character by character
    embedding.seed_subsets(BODY_FACES, characters, second)  # from the copy
    for name in BODY_FACES:
        assert subset_state(name, second) == subset_state(name, first)
        assert subset_state(name, second)[0] is not subset_state(name, first)[0]
    assert pdfmetrics.getFont(BODY_FACES[0]).splitString("Пк", second) == pdfmetrics.getFont(BODY_FACES[0]).splitString(
        "Пк", first
    )


def test_a_handout_has_the_same_bytes_whatever_was_built_before_it_in_the_process(tmp_path: Path) -> None:
    library, _ = load_checked(BUNDLED_CONTENT, strict=False, pdf=True)
    first, second = library.ordered_techniques()[:2]
    seed = library_characters(library)
    embedding._SEEDED.clear()
    build_handout(library, first, tmp_path / "alone.pdf", "a4", seed)
    build_handout(library, second, tmp_path / "other.pdf", "letter", seed)
    build_handout(library, first, tmp_path / "after.pdf", "a4", seed)
    assert (tmp_path / "after.pdf").read_bytes() == (tmp_path / "alone.pdf").read_bytes()


@pytest.mark.parametrize("folder", ["content", "tests/fixtures/libraries/he", "tests/fixtures/libraries/emoji"])
def test_the_handouts_seed_holds_every_character_their_text_draws(folder: str) -> None:
    """The seed is taken from all texts at once where the body faces draw them all; each text's
    own drawable form (emoji sequences, stray selectors) must give the same characters."""
    library, _ = load_checked(REPO / folder, strict=False, pdf=True)
    texts = [library.title, library.subtitle, library.organisation, library.disclaimer, library.short_disclaimer]
    texts += [category.name for category in library.categories]
    texts += [text for technique in library.techniques for _, text in technique.texts()]
    labels = library.labels().entries.values()
    texts += [entry if isinstance(entry, str) else " ".join(entry.values()) for entry in labels]
    one_by_one = {char for text in texts for char in drawable(text) if ord(char) > 127}
    assert library_characters(library) == "".join(sorted(one_by_one))
