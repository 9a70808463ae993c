"""The words a catalogue page prints, in each bundled language, from the label catalogue.

Every language file of exporter/labels/ has an `importer:` section: the back-link above the title,
the label of the "Source:" line, the section headings, and the words of the site's closing
disclaimer. A page's language is the one whose headings it uses most.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from exporter.labels import Overrides, bundled_languages, catalogue_language, labels_for
from exporter.model import LIST_FIELDS

#: The technique fields a page's headings stand for, in the order a page shows them.
HEADING_FIELDS = (*LIST_FIELDS, "sources", "similar")
#: A page is a catalogue page only if it has at least one of these sections.
CORE_FIELDS = ("steps", "when_to_use", "key_phrases", "warnings")

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'"})


def heading_key(line: str) -> str:
    """A line as headings are compared: one space, no trailing colon, no leading symbol, any case."""
    key = re.sub(r"\s+", " ", line.strip().rstrip(":").strip()).casefold().translate(_APOSTROPHES)
    return key.lstrip("".join(c for c in key[:3] if not c.isalnum()))


def _wordings(text: str) -> list[str]:
    return [part.strip() for part in text.split("|") if part.strip()]


@dataclass(frozen=True)
class PageLanguage:
    """How catalogue pages in one language name their parts."""

    code: str
    name: str
    #: heading_key(heading) -> technique field
    headings: Mapping[str, str]
    #: technique field -> the heading as the catalogue prints it (for messages)
    heading_names: Mapping[str, str]
    source_line: re.Pattern[str]
    back_link: str
    disclaimer_words: re.Pattern[str]
    new_library_title: str
    placeholder_disclaimer: str

    def heading_field(self, line: str) -> str | None:
        return self.headings.get(heading_key(line))

    def source_text(self, line: str) -> str | None:
        """The citation of a "Source: ..." line, or None if line is not one."""
        match = self.source_line.match(line)
        return match.group("text") if match else None

    def is_back_link(self, line: str) -> bool:
        """`← Techniques`, `<- Techniques`, or the bare word when the arrow was lost on copying."""
        return heading_key(line) == self.back_link

    def known_sections(self) -> str:
        return ", ".join(self.heading_names[name] for name in HEADING_FIELDS if name != "sources")


@lru_cache(maxsize=16)
def page_language(code: str, overrides: Overrides = ()) -> PageLanguage:
    """The page words of a bundled language (a code such as `de-AT` uses `de`), with a library's
    `labels:` overrides of its `importer.` keys."""
    bundled = catalogue_language(code) or "en"
    labels = labels_for(bundled, overrides)
    headings: dict[str, str] = {}
    names: dict[str, str] = {}
    for name in HEADING_FIELDS:
        wordings = _wordings(labels(f"importer.headings.{name}"))
        names[name] = wordings[0]
        for wording in wordings:
            headings.setdefault(heading_key(wording), name)
    source_words = "|".join(re.escape(word) for word in _wordings(labels("importer.source")))
    # Pages in other languages sometimes keep the site's English disclaimer.
    disclaimer_words = _wordings(labels("importer.disclaimer_words"))
    disclaimer_words += _wordings(labels_for("en")("importer.disclaimer_words")) if bundled != "en" else []
    disclaimer = "|".join(re.escape(word) for word in disclaimer_words)
    return PageLanguage(
        code=bundled,
        name=labels("common.language_name"),
        headings=headings,
        heading_names=names,
        source_line=re.compile(rf"^\s*(?:{source_words})\s*:\s*(?P<text>\S.*)$", re.IGNORECASE),
        back_link=heading_key(labels("importer.back_link")),
        disclaimer_words=re.compile(rf"\b(?:{disclaimer})", re.IGNORECASE),
        new_library_title=labels("importer.new_library_title"),
        placeholder_disclaimer=labels("importer.placeholder_disclaimer"),
    )


def page_languages(own: str = "en", overrides: Overrides = ()) -> tuple[PageLanguage, ...]:
    """Every bundled language, English first; the library's own language with its overrides."""
    own = catalogue_language(own) or "en"
    return tuple(page_language(code, overrides if code == own else ()) for code in bundled_languages())


def _sections_found(language: PageLanguage, lines: list[str]) -> int:
    """How many different sections of language the lines have (0 without one of CORE_FIELDS)."""
    found = {language.heading_field(line) for line in lines} - {None}
    if any(language.source_text(line) for line in lines):
        found.add("sources")
    return len(found) if found & set(CORE_FIELDS) else 0


def detect_language(lines: list[str], languages: tuple[PageLanguage, ...] = ()) -> PageLanguage | None:
    """The language whose headings (and Source line) the page uses most; None if it uses none.

    A tie (English and French share "Sources") goes to the language listed first.
    """
    best: PageLanguage | None = None
    best_score = 0
    for language in languages or page_languages():
        score = _sections_found(language, lines)
        if score > best_score:
            best, best_score = language, score
    return best


def headings_found(lines: list[str]) -> int:
    """How many sections of its best language the lines have: how much they look like a page."""
    return max(_sections_found(language, lines) for language in page_languages())
