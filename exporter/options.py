"""Every choice a build can make, and the one place each list of choices is spelt out.

Papers, card sizes, duplex modes and chapter starts are named here once; the command line,
library.yaml's checks, the sheet geometry and the PDF styles all read these tables. BuildOptions
is what a build resolved from library.yaml and the flags; release_time() reads
SOURCE_DATE_EPOCH once for every writer.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from exporter.errors import ExporterError


@dataclass(frozen=True)
class Paper:
    #: As people write it: "A4", "Letter".
    label: str
    size_mm: tuple[float, float]
    #: The same size in PDF points, exactly as ReportLab's pagesizes give it.
    size_pt: tuple[float, float]


PAPERS: dict[str, Paper] = {
    "a4": Paper("A4", (210.0, 297.0), (595.2755905511812, 841.8897637795277)),
    "letter": Paper("Letter", (215.9, 279.4), (612.0, 792.0)),
}


#: A booklet's pages: half the sheet, set at their own size (the type at its real size) and
#: imposed two to a sheet side (exporter.writers.courses.booklet), by the sheet's paper.
BOOKLET_PAGES: dict[str, Paper] = {
    "a4": Paper("A5", (148.0, 210.0), (419.52755905511816, 595.2755905511812)),
    "letter": Paper("half-letter", (139.7, 215.9), (396.0, 612.0)),
}


def booklet_page(paper: str) -> str:
    """The name of the page a booklet on this paper is set at ("a5", "half-letter")."""
    return BOOKLET_PAGES[paper.lower()].label.lower()


@dataclass(frozen=True)
class CardSize:
    #: As people say it: "A7", "3×5 index card".
    label: str
    #: Width x height as the card is read (index cards and business cards lie landscape).
    size_mm: tuple[float, float]
    #: Body type sizes: the regular one, and the compact one used only where it saves a card.
    body_pt: tuple[float, float]


CARD_SIZES: dict[str, CardSize] = {
    "a6": CardSize("A6", (105.0, 148.0), (10.0, 9.0)),
    "a7": CardSize("A7", (74.0, 105.0), (8.5, 7.5)),
    "index-3x5": CardSize("3×5 in index card", (127.0, 76.2), (9.0, 8.0)),
    "business": CardSize("business card", (85.0, 55.0), (7.5, 7.0)),
    "poker": CardSize("poker card", (63.0, 88.0), (8.0, 7.5)),
}

DUPLEX_MODES = ("long-edge", "short-edge", "fold", "none")
#: Where handbook chapters start: any new page, a right-hand page, or straight on.
CHAPTER_STARTS = ("any", "right", "continuous")

DEFAULT_PAPER = "a4"
DEFAULT_CARD_SIZE = "a7"
DEFAULT_DUPLEX = "long-edge"
DEFAULT_CHAPTER_START = "any"

#: The choices library.yaml's `settings:` accepts, by key.
#: A switch's values (YAML's own true/false and yes/no are read as the text written).
SWITCH_CHOICES = ("on", "off", "yes", "no", "true", "false")
SWITCH_ON = ("on", "yes", "true")

SETTINGS_CHOICES: dict[str, tuple[str, ...]] = {
    "paper": tuple(PAPERS),
    "card_size": tuple(CARD_SIZES),
    "duplex": DUPLEX_MODES,
    "chapter_start": CHAPTER_STARTS,
    # The flash-card kinds a library may leave out of its deck.
    "situation_cards": SWITCH_CHOICES,
    "step_order_cards": SWITCH_CHOICES,
    "step_sequence_cards": SWITCH_CHOICES,
}


def switched_on(value: str) -> bool:
    return value.lower() in SWITCH_ON


def paper_label(paper: str) -> str:
    """The paper's name as users write it (A4, Letter)."""
    pages = {page.label.lower(): page for page in BOOKLET_PAGES.values()}
    known = PAPERS.get(paper.lower()) or pages.get(paper.lower())
    return known.label if known else paper


def card_size_label(card_size: str) -> str:
    known = CARD_SIZES.get(card_size.lower())
    return known.label if known else card_size


#: The epoch of every deck state written by the first release: 2026-01-01 00:00:00 UTC.
FIRST_MTIME = 1_767_225_600
#: 9999-12-31 23:59:59 UTC: later times do not fit Anki's dates (and hint at a mistyped number).
MAX_MTIME = 253_402_300_799
#: The latest release time accepted: each later change still needs room to move a second forward.
LATEST_RELEASE = MAX_MTIME - 10 * 366 * 86_400


def release_time() -> int:
    """SOURCE_DATE_EPOCH (the reproducible-builds convention) when set, else 0: see the guide."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return 0
    if not (value.isascii() and value.isdigit()) or len(value) > 12 or int(value) > LATEST_RELEASE:
        raise ExporterError(
            f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, from {FIRST_MTIME} (2026-01-01) "
            f"to {LATEST_RELEASE} (the year 9989), not {value[:40]!r}; set it to the time of your release "
            "(for example `git log -1 --format=%ct`), or unset it"
        )
    if int(value) < FIRST_MTIME:
        raise ExporterError(
            f"SOURCE_DATE_EPOCH={value} is before 2026-01-01 ({FIRST_MTIME}), the start of every deck "
            "exporter writes: Anki would treat later updates as older. Set it to the time of your release "
            "(for example `git log -1 --format=%ct`), or unset it"
        )
    return int(value)


@dataclass(frozen=True)
class BuildOptions:
    """Settings resolved from library.yaml and command-line flags (flags win)."""

    paper: str = DEFAULT_PAPER
    card_size: str = DEFAULT_CARD_SIZE
    duplex: str = DEFAULT_DUPLEX
    back_offset_mm: tuple[float, float] = (0.0, 0.0)
    calibration: bool = False
    #: The content folder: a writer that keeps state between builds (the deck's note times)
    #: keeps it here, to be committed with the content. None: keep no state.
    state_dir: Path | None = None
    #: True when --technique/--category chose part of the library: outputs of the techniques
    #: left out are not "removed" (the deck does not retire their notes).
    partial: bool = False
    #: The courses to build (ids from content/courses/); empty: every course.
    courses: tuple[str, ...] = ()
    #: Course packs and handouts as booklets: set at half the paper, imposed for saddle-stitching.
    booklet: bool = False
    #: What decides the outputs' bytes besides the content and these options (the exporter's
    #: code, the drawing libraries, SOURCE_DATE_EPOCH), for the per-item caches beside the
    #: output (exporter.files.output_cache). Empty: no cache is read or written.
    cache_salt: str = ""
