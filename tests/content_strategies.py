"""Hypothesis strategies for whole content trees: valid libraries of random techniques.

Text is drawn from what the bundled fonts draw (Latin with accents, Cyrillic, Greek,
typographic punctuation, ⚠ and the emoji the icon font covers) plus the characters and
snippets that mean something to ReportLab, HTML or Anki (`<`, `&`, `{{c1::x}}`, `</para>`).
Sizes are mostly small (fast examples) and now and then as large as the validator allows, so
every example drawn here is valid content: the tool must build it (a pocket card may refuse
only an entry too long for any card, with a message naming it).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from hypothesis import strategies as st

from exporter.content.field_checks import WINDOWS_DEVICE_NAMES
from exporter.content.techniques import MAX_ITEM_CHARS, MAX_ITEMS, MAX_SUMMARY_CHARS, MAX_TITLE_CHARS
from exporter.options import SETTINGS_CHOICES
from exporter.pdf.glyphs.fonts import missing_characters
from exporter.text.invisible import clean_invisible, has_visible

LATIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
ACCENTED = "àáâäãåæçèéêëìíîïñòóôöõøœùúûüýÿßÀÉÈÎÖÕÜÇŁłŚśŽžĞğŞşİıŐőŰű"
CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЫЭЮЯіїєґ"
GREEK = "αβγδεζηθικλμνξοπρσςτυφχψωάέήίόύώϊΐΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩΆΈΉΊΌΎΏ"
PUNCTUATION = ".,;:!?()[]/*#%+=_@$|~^`-\\"
TYPOGRAPHIC = "‘’“”„«»‹›—–…•·°§±×€£"
MARKUP = "<>&\"'{}"
#: Combining accents: the loader stores text as NFC, so "e" + U+0301 must come out as "é".
COMBINING = "\u0301\u0308\u0327"
#: Emoji and symbols the bundled fonts draw (checked on import below), with emoji sequences
#: that must print as one glyph: ZWJ sequences, skin tones, flags, tag flags, keycaps.
ICONS = (
    *("⚠", "⚠\ufe0f", "🔧", "👥", "🧠", "💬", "🤝", "⭐", "✅", "❤", "❤\ufe0f", "📌"),
    *("🧩", "🫶", "🧘\u200d♀\ufe0f", "❤\ufe0f\u200d🩹", "👩🏽\u200d⚕\ufe0f", "🧑🏿\u200d🤝\u200d🧑🏻", "🐦\u200d🔥"),
    *("🇺🇦", "🇧🇷", "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f", "1\ufe0f\u20e3", "#\ufe0f\u20e3"),
)
#: Right-to-left words (Hebrew, Arabic) and what gets mixed into them: numbers, Latin words.
HEBREW_WORDS = ("שלום", "עצירה", "וחזרה", "לאחור", "מטפל", "רגע", "סקרנות", "בלי", "שאלה")
ARABIC_WORDS = ("مرحبا", "الإبطاء", "والعودة", "لحظة", "المعالج", "سؤال", "لا", "هدوء", "فضول")
MIXED_WORDS = ("MBT", "CBT", "2026", "10", "3.5", "Fonagy", "(A)")
#: Snippets that are markup somewhere: ReportLab paragraphs, HTML, Anki templates and clozes.
SNIPPETS = (
    "<b>",
    "</b>",
    "</para>",
    "<br/>",
    "&amp;",
    "&lt;",
    "&#123;",
    "R&D",
    "a<b",
    "{{c1::x}}",
    "{{Answer}}",
    "{{#Status}}",
    "[sound:x.mp3]",
    '"quoted"',
    "'single'",
    "<script>alert(1)</script>",
    '<font name="Courier">',
    "%s",
    "::",
)

#: Single characters of the icons, without the joiner: a joiner between two random letters is
#: removed by the loader (emoji sequences come whole, as words, from ICONS).
ALPHABET = (
    LATIN
    + ACCENTED
    + CYRILLIC
    + GREEK
    + PUNCTUATION
    + TYPOGRAPHIC
    + MARKUP
    + COMBINING
    + "".join(ICONS).replace("\u200d", "")
)
assert not missing_characters(ALPHABET), missing_characters(ALPHABET)
assert not missing_characters("".join(HEBREW_WORDS + ARABIC_WORDS + MIXED_WORDS))


def nfc(text: str) -> str:
    """text as the loader keeps it: NFC, without the invisible characters that change nothing."""
    return clean_invisible(unicodedata.normalize("NFC", text))


#: Between words: mostly spaces; a line break, tab or no-break space now and then. Titles and
#: names are kept to one line: see test_line_breaks_in_titles_draw_no_missing_glyph.
SEPARATORS = st.sampled_from([" "] * 8 + ["\n", "\t", "\u00a0"])

word = st.one_of(
    st.text(alphabet=ALPHABET, min_size=1, max_size=12),
    st.text(alphabet=LATIN + CYRILLIC + GREEK, min_size=1, max_size=12),
    st.sampled_from(SNIPPETS),
    st.sampled_from(ICONS),
)


#: A word with no place to break a line, like a web address.
long_word = st.text(alphabet=LATIN + "/.-_:%", min_size=20, max_size=90)


def rarely(draw: st.DrawFn) -> bool:
    """True about one time in ten: for the big cases that would make every example slow."""
    return draw(st.integers(0, 9)) == 0


@st.composite
def text(
    draw: st.DrawFn, min_words: int = 1, max_words: int = 20, one_line: bool = False, limit: int = MAX_ITEM_CHARS
) -> str:
    """Words joined by spaces (and, unless one_line, line breaks): never empty, never padded,
    at most limit characters (the validator's limit for the field)."""
    words = draw(st.lists(word, min_size=min_words, max_size=max_words))
    if rarely(draw):
        words.insert(draw(st.integers(0, len(words))), draw(long_word))
    joined = words[0]
    for next_word in words[1:]:
        joined += (" " if one_line else draw(SEPARATORS)) + next_word
    joined = joined[:limit].rstrip()
    # Combining accents alone have nothing to sit on: the validator refuses such a text as empty.
    return joined if has_visible(joined) else "x" + joined[: limit - 1]


@st.composite
def title(draw: st.DrawFn, max_words: int = 6, limit: int = MAX_TITLE_CHARS) -> str:
    """One line; now and then as long as the validator allows."""
    if rarely(draw):
        return draw(text(min_words=max_words, max_words=40, one_line=True, limit=limit))
    return draw(text(max_words=max_words, one_line=True, limit=limit))


@st.composite
def item_text(draw: st.DrawFn) -> str:
    """An entry of a list: usually a sentence or two, now and then up to the validator's limit."""
    if rarely(draw):
        return draw(text(min_words=40, max_words=300))
    return draw(text(max_words=25))


item_id = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=6), min_size=1, max_size=3
).map("-".join)


@st.composite
def items(draw: st.DrawFn, min_size: int = 0, max_size: int = 6) -> list[Any]:
    """A list section: plain texts and {text, id?, cue?} mappings, ids unique in the list."""
    entries: list[Any] = []
    used: set[str] = set()
    # Now and then a list as long as the validator allows, of short entries (to keep examples small).
    long_list = rarely(draw)
    count = draw(st.integers(min_size, MAX_ITEMS if long_list else max_size))
    for _ in range(count):
        body = draw(text(max_words=3) if long_list else item_text())
        if not draw(st.booleans()):
            entries.append(body)
            continue
        entry: dict[str, str] = {"text": body}
        if draw(st.booleans()):
            key = draw(item_id)
            while key in used:
                key += "-x"
            used.add(key)
            entry["id"] = key
        if draw(st.booleans()):
            entry["cue"] = draw(text(max_words=10))
        entries.append(entry)
    return entries


colour = st.text(alphabet="0123456789abcdefABCDEF", min_size=6, max_size=6).map(lambda digits: "#" + digits)


@st.composite
def library_data(draw: st.DrawFn) -> dict[str, Any]:
    """library.yaml: random title, disclaimer, 1-3 categories and output settings."""
    names = draw(st.lists(title(max_words=3), min_size=1, max_size=3, unique_by=nfc))
    data: dict[str, Any] = {
        "title": draw(title()),
        "disclaimer": draw(text(max_words=30 if not rarely(draw) else 600, limit=MAX_SUMMARY_CHARS)),
        "categories": [
            {"name": name, "icon": draw(st.sampled_from(("", *ICONS))), "colour": draw(colour)} for name in names
        ],
        "settings": {key: draw(st.sampled_from(choices)) for key, choices in SETTINGS_CHOICES.items()},
    }
    for key, limit in (("subtitle", MAX_TITLE_CHARS), ("organisation", MAX_TITLE_CHARS), ("edition", 100)):
        if draw(st.booleans()):
            data[key] = draw(title(limit=limit))
    if draw(st.booleans()):
        data["short_disclaimer"] = draw(title(max_words=8))
    return data


@st.composite
def technique_data(draw: st.DrawFn, technique_id: str, category_names: list[str], ids: list[str]) -> dict[str, Any]:
    """techniques/<id>.yaml with every field random; `similar` names other techniques (or itself)."""
    data: dict[str, Any] = {
        "id": technique_id,
        "title": draw(title()),
        "categories": draw(st.lists(st.sampled_from(category_names), min_size=1, unique=True)),
        "summary": draw(text(max_words=40 if not rarely(draw) else 600, limit=MAX_SUMMARY_CHARS)),
        "steps": draw(items(min_size=1, max_size=8)),
    }
    for name in ("when_to_use", "key_phrases", "follow_up_questions", "alternative_phrasings", "warnings"):
        entries = draw(items(max_size=4))
        written_empty = draw(st.booleans())
        if entries or written_empty:
            data[name] = entries
    sources = draw(st.lists(text(max_words=12), max_size=3))
    if sources:
        data["sources"] = sources
    similar = draw(st.lists(st.sampled_from(ids), max_size=3, unique=True))
    if similar:
        data["similar"] = similar
    return data


@st.composite
def content(draw: st.DrawFn, max_techniques: int = 3) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(library.yaml data, technique data) for write_content."""
    library = draw(library_data())
    names = [category["name"] for category in library["categories"]]
    # A technique id is a file name: not one Windows keeps for a device (validate refuses those).
    technique_ids = item_id.filter(lambda name: name not in WINDOWS_DEVICE_NAMES)
    ids = draw(st.lists(technique_ids, min_size=1, max_size=max_techniques, unique=True))
    techniques = [draw(technique_data(technique_id, names, ids)) for technique_id in ids]
    return library, techniques


@st.composite
def rtl_text(draw: st.DrawFn, max_words: int = 30) -> str:
    """A right-to-left paragraph: Hebrew or Arabic words, now and then a number, a Latin word,
    an emoji or punctuation, as a trainer writes them."""
    script = draw(st.sampled_from((HEBREW_WORDS, ARABIC_WORDS)))
    words = draw(
        st.lists(
            st.one_of(
                st.sampled_from(script),
                st.sampled_from(script),
                st.sampled_from(MIXED_WORDS),
                st.sampled_from(ICONS[12:]),
            ),
            min_size=1,
            max_size=max_words,
        )
    )
    if not any(word in script for word in words):
        words.insert(0, script[0])
    ends = draw(st.lists(st.sampled_from(("", "", "", ",", ".", "?", ":")), min_size=len(words), max_size=len(words)))
    return " ".join(word + end for word, end in zip(words, ends, strict=True))
