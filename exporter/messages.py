"""How exporter words its own messages on the terminal (English): counts and suggestions.

The words printed *in* the outputs come from the label catalogues (exporter.labels), per
language; these are the command's words to the person running it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """ "1 technique", "3 techniques", "1,200 pages"."""
    word = singular if number == 1 else (plural or singular + "s")
    return f"{number:,} {word}"


def did_you_mean(wrong: str, known: Iterable[str]) -> str:
    """ "; did you mean 'alpha'?" for the closest known name (any case), else ""."""
    choices = list(known)
    folded = {choice.casefold(): choice for choice in choices}
    close = difflib.get_close_matches(wrong.casefold(), list(folded), n=1, cutoff=0.6)
    return f"; did you mean '{folded[close[0]]}'?" if close else ""
