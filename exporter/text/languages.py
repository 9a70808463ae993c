"""What a library's language code says about its text, for every output (PDFs and the deck)."""

from __future__ import annotations

#: Languages whose pages run right to left.
RTL_LANGUAGES = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ps", "sd", "ug", "ur", "yi"})


def base_language(code: str) -> str:
    """The language of a code without its region or script, in lower case ("pt-BR" → "pt")."""
    return code.split("-")[0].split("_")[0].lower()


def is_rtl_language(language: str) -> bool:
    return base_language(language) in RTL_LANGUAGES
