"""Sort keys: an ASCII title or source, which takes the short way, gets exactly the key the
general way gives it, in every language (so every order stays the same), and orders read as
people expect."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from exporter.text.collation import _TAILORED, collation_key, general_key

ASCII_TEXT = st.text(alphabet=string.printable, max_size=40)


@settings(max_examples=300, deadline=None)
@given(text=ASCII_TEXT, language=st.sampled_from(["en", "de", "es", "ru", "uk", "he", "fr"]))
def test_an_ascii_text_gets_the_general_key(text: str, language: str) -> None:
    assert collation_key(language)(text) == general_key(text, _TAILORED.get(language, {}))


def test_titles_sort_by_number_value_then_word_by_word() -> None:
    titles = ["Technique 10", "technique 2", "Stopping", "Stop and rewind", "Émotion", "Zebra", "Echo"]
    key = collation_key("en")
    assert sorted(titles, key=key) == [
        "Echo",
        "Émotion",
        "Stop and rewind",
        "Stopping",
        "technique 2",
        "Technique 10",
        "Zebra",
    ]
