"""The empty collection every deck starts from is genanki's, to the letter (vendored, not imported)."""

from __future__ import annotations

import genanki.apkg_col
import genanki.apkg_schema

from exporter.writers.deck import empty_collection


def test_the_vendored_collection_is_genankis_to_the_letter() -> None:
    assert empty_collection.APKG_SCHEMA == genanki.apkg_schema.APKG_SCHEMA
    assert empty_collection.APKG_COL == genanki.apkg_col.APKG_COL
