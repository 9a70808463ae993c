"""The label catalogue: every bundled language complete, plurals by language, overrides checked."""

from __future__ import annotations

import pytest

from exporter.labels import _catalogue, bundled_languages, english_keys, labels_for, template_fields


@pytest.mark.parametrize("language", [lang for lang in bundled_languages() if lang != "en"])
def test_every_bundled_language_translates_every_key_with_the_same_fields(language: str) -> None:
    catalogue = _catalogue(language)
    english = _catalogue("en")
    missing = sorted(english_keys() - set(catalogue))
    assert not missing, f"{language}.yaml lacks {missing}"
    wrong = [key for key in english if template_fields(catalogue[key]) != template_fields(english[key])]
    assert not wrong, f"{language}.yaml fills in other fields than en.yaml for {wrong}"


def test_an_unknown_language_falls_back_to_english_words() -> None:
    assert labels_for("xx")("handbook.contents") == labels_for("en")("handbook.contents")


def test_a_regional_code_uses_its_language_catalogue() -> None:
    assert labels_for("en-GB")("handbook.contents") == "Contents"


def test_an_override_replaces_one_label_and_keeps_the_rest() -> None:
    labels = labels_for("en", (("handbook.contents", "Overview"),))
    assert labels("handbook.contents") == "Overview"
    assert labels("common.language_name") == "English"


def test_plural_forms_follow_the_language_rules() -> None:
    forms = (("one", "{count} техника"), ("few", "{count} техники"), ("many", "{count} техник"), ("other", "x"))
    labels = labels_for("ru", (("common.language_name", forms),))
    assert [labels("common.language_name", count=n) for n in (1, 3, 5, 21)] == [
        "1 техника",
        "3 техники",
        "5 техник",
        "21 техника",
    ]


#: Labels whose wording is the English one on purpose: templates of fields only, and words the
#: language shares with English. Any other label equal to its English wording is an untranslated
#: label (the PDF checks cannot see it: they skip wordings a catalogue shares with English).
SAME_AS_ENGLISH: dict[str, set[str]] = {
    "*": {"handouts.title", "cards.part", "deck.header", "deck.header_situation"},
    "de": {"deck.situation", "deck.kind.situation", "deck.field.status"},  # Situation, Status
    "fr": {
        "cards.sources", "common.sections.sources", "deck.field.source", "deck.source", "handbook.sources",
        "handbook.section.sources", "importer.headings.sources", "importer.source",  # Source(s)
        "deck.field.technique", "handbook.column_technique",  # Technique
        "handbook.column_page",  # Page
        "deck.situation", "deck.kind.situation",  # Situation
        "importer.back_link",
    },
}  # fmt: skip


@pytest.mark.parametrize("language", [code for code in bundled_languages() if code != "en"])
def test_no_label_is_left_in_english_unless_the_language_shares_the_word(language: str) -> None:
    english = labels_for("en").entries
    own = labels_for(language).entries
    allowed = SAME_AS_ENGLISH["*"] | SAME_AS_ENGLISH.get(language, set())
    untranslated = sorted(key for key in english if own.get(key) == english[key] and key not in allowed)
    assert untranslated == []
