"""Garbled pages ("mojibake") repaired: the Greek/Western kind the seed page has, every Cyrillic
code page, and a page garbled twice refused; correct text of every script left alone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st
from test_importer import import_into

from exporter.content.techniques import read_library
from exporter.importer.parse.mojibake import repair_mojibake, still_garbled

PAGES = FIXTURES / "pages"
SEED_GARBLING = PAGES / "seed-garbling"
LANGUAGE_PAGES = PAGES / "languages"
FUZZ_EXAMPLES = int(os.environ.get("EXPORTER_FUZZ_EXAMPLES", "40"))
CYRILLIC_CODE_PAGES = ("cp1251", "koi8_r", "cp866", "mac_cyrillic")


def through(text: str, code_page: str) -> str:
    """text's UTF-8 bytes shown through a code page (a byte it leaves undefined as its C1 control)."""
    shown = []
    for byte in text.encode("utf-8"):
        try:
            shown.append(bytes([byte]).decode(code_page))
        except UnicodeDecodeError:
            shown.append(chr(byte))
    return "".join(shown)


# The seed page's garbled sequences, exactly as its bytes have them (the seed-page test itself
# skips in a clone without ../shared; these fixtures do not).
SEED_SEQUENCES = [
    ("wrench-icon.txt", "πŸ”§", "🔧"),
    ("people-icon-drachma-sign.txt", "πŸ‘\u20af", "👥"),
    ("em-dash.txt", "β€”", "—"),
]


@pytest.mark.parametrize(("fixture", "garbled", "original"), SEED_SEQUENCES, ids=[s[0] for s in SEED_SEQUENCES])
def test_each_repair_the_seed_page_needs_has_its_own_fixture(
    tmp_path: Path, fixture: str, garbled: str, original: str
) -> None:
    page = SEED_GARBLING / fixture
    assert garbled in page.read_text(encoding="utf-8")
    content = tmp_path / "content"
    result = import_into(content, page)
    assert result.exit_code == 0, result.output
    assert "repaired" in result.stdout
    library, _ = read_library(content)
    shift = library.technique("naming-the-shift")
    if original == "—":
        assert "changes — a silence, a sharp reply — the therapist" in shift.summary
        assert shift.steps[1].text == 'Name it without blame — "Something just changed, I think"'
        assert shift.warnings[0].text == "Do not name every small change — the session becomes a running commentary"
    else:
        assert library.category(shift.categories[0]).icon == original
    written = "".join(p.read_text(encoding="utf-8") for p in content.rglob("*.yaml"))
    assert garbled not in written and "\u20af" not in written


@pytest.mark.parametrize(("fixture", "garbled", "original"), SEED_SEQUENCES, ids=[s[0] for s in SEED_SEQUENCES])
def test_each_seed_sequence_repairs_alone_and_among_intact_symbols(fixture: str, garbled: str, original: str) -> None:
    assert repair_mojibake(garbled) == (original, 1)
    line = f"  • ⚠️ Do not {garbled} ← “quoted” Ελληνικά"
    assert repair_mojibake(line)[0] == f"  • ⚠️ Do not {original} ← “quoted” Ελληνικά"


RUSSIAN = (LANGUAGE_PAGES / "ru.txt").read_text(encoding="utf-8")
MIXED = "«Позиция» — 🔧 Решение ⚠️ Иван и всё, і ї є ґ №5; Її, Ті, Він, Рік, Її мама. Ελληνικά “quotes”"


@pytest.mark.parametrize("code_page", CYRILLIC_CODE_PAGES)
def test_cyrillic_text_through_each_code_page_comes_back_exactly(code_page: str) -> None:
    for text in (RUSSIAN, MIXED, "Позиция незнания", "и"):
        garbled = through(text, code_page)
        assert garbled != text
        if len(text) > 1:
            assert repair_mojibake(garbled)[0] == text
    assert still_garbled(repair_mojibake(through(RUSSIAN, code_page))[0]) is None


def test_the_issues_examples_are_repaired() -> None:
    assert repair_mojibake("РџРѕР·РёС†РёСЏ вЂ” РЅРµР·РЅР°РЅРёСЏ")[0] == "Позиция — незнания"


@pytest.mark.parametrize("code_page", CYRILLIC_CODE_PAGES)
def test_text_garbled_twice_is_recognised_after_one_repair(code_page: str) -> None:
    twice = through(through(RUSSIAN, code_page), code_page)
    once_repaired, _ = repair_mojibake(twice)
    assert still_garbled(once_repaired) is not None


_WORDS = (
    "Привет всё хорошо там тех рад тек пёс Её мнение Он она они это мы вы Ты и в с к у о а я "
    "Позиция незнания Рік Він Ні Ті Зі Її Ці Сі Ді Ві ООО ТВ-Р С° №5 «Пауза» — … • · "
    "Ελληνικά καλημέρα ΚΑΤΕ” Γ” ή” και…” café naïve Straße Ærø São ½ € ™ “quoted” ‘single’ ⚠️ 🔧 👥 ✔️"
).split()


@settings(max_examples=FUZZ_EXAMPLES * 5, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=30), st.sampled_from([" ", ", ", ". ", " — ", "\n"]))
def test_correct_cyrillic_greek_and_quotes_are_never_changed(words: list[str], separator: str) -> None:
    text = separator.join(words)
    assert repair_mojibake(text) == (text, 0)
    assert still_garbled(text) is None


_CYRILLIC_LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯіїєґІЇЄҐ"
_CYRILLIC_TEXT = st.text(
    alphabet=st.sampled_from(list(_CYRILLIC_LETTERS + " .,!?—«»…🔧")),
    min_size=2,
    max_size=60,
)


@settings(max_examples=FUZZ_EXAMPLES * 5, deadline=None)
@given(_CYRILLIC_TEXT, st.sampled_from(CYRILLIC_CODE_PAGES))
def test_any_cyrillic_text_garbled_through_a_code_page_is_repaired(text: str, code_page: str) -> None:
    original = f"{text} Позиция — 🔧"
    repaired, _ = repair_mojibake(through(original, code_page))
    assert repaired == original
    assert still_garbled(repaired) is None


def test_a_page_garbled_twice_the_greek_way_is_refused_too(tmp_path: Path) -> None:
    from test_importer import garble

    page = tmp_path / "twice.txt"
    page.write_text(garble(garble((PAGES / "clean.txt").read_text(encoding="utf-8"))), encoding="utf-8")
    result = import_into(tmp_path / "content", page)
    assert result.exit_code == 1
    assert "twice.txt:6: page: the page was garbled twice" in result.stderr
    assert not (tmp_path / "content").exists()


@settings(max_examples=FUZZ_EXAMPLES * 5, deadline=None)
@given(_CYRILLIC_TEXT, st.sampled_from(["cp1251", "koi8_r"]))
def test_no_break_spaces_copied_as_plain_spaces_are_repaired_too(text: str, code_page: str) -> None:
    # Windows-1251 shows byte A0 (in "Р", D0 A0) and KOI8-R byte 9A (in "К") as a no-break space,
    # which browsers such as Firefox copy as a plain space.
    original = f"{text} Россия, Карл — ⚠️ Рак"
    repaired, _ = repair_mojibake(through(original, code_page).replace("\xa0", " "))
    assert repaired == original
