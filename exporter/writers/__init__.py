"""The one table of outputs: each entry says everything the build, its workers and the command
line need to know about a writer. Adding an output is adding its home under writers/ and one
entry here.

A writer is a function `write(library, out_dir, options) -> WriteResult`, named as
"module:function" so that `exporter --help` imports neither ReportLab nor the deck code.
A divisible writer also names a `share` function, which writes every shares-th piece from its
own index on, and a `join` function, which makes one result of the shares in order.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the table itself stays light: `exporter --help` reads it
    from exporter.model import Library
    from exporter.options import BuildOptions


@dataclass(frozen=True)
class WriteResult:
    """What a writer wrote, for the closing summary."""

    name: str
    paths: tuple[Path, ...]
    summary: str
    warnings: tuple[str, ...] = ()
    #: What a reader of the summary should know, not a problem (the warnings a deck update changes).
    notices: tuple[str, ...] = ()
    #: Taken from the build record: nothing it is made from changed, so it was not written again.
    unchanged: bool = False
    #: Warnings about what this build did (a deck state started afresh, a card passed to another
    #: item): printed with the others but not kept in the build record, so that a later build
    #: in which nothing changed does not tell of them again.
    events: tuple[str, ...] = ()

    @property
    def all_warnings(self) -> tuple[str, ...]:
        return self.warnings + self.events


Writer = Callable[["Library", Path, "BuildOptions"], WriteResult]


@dataclass(frozen=True)
class WriterSpec:
    """One output: where its writer is, and what the build must know about it."""

    #: "module:function" of the writer.
    target: str
    #: The help text of its command (`exporter handbook --help`).
    help: str = ""
    #: It draws text into a PDF, so every character must be covered by the fonts first.
    draws_text: bool = False
    #: It makes flash cards: the learning lint checks the content first (as `validate` does;
    #: --strict fails on its warnings).
    makes_flash_cards: bool = False
    #: Rough time it takes, relative to the handbook (bench/, N=500): workers take the longest first.
    relative_cost: float = 1.0
    #: "module:function" pair writing one share and joining the shares, when its pieces are
    #: independent files that workers can divide between them.
    share: str | None = None
    join: str | None = None
    #: A file in the content folder the writer keeps up to date (the deck's state): builds into
    #: different output folders that run it take the content folder's lock too.
    state_file: str | None = None
    #: "module:function" of what this output lends a course (exporter.writers.courses): the
    #: handbook its course packs, the handouts one handout, the deck the course deck.
    course_part: str | None = None
    #: Built by `exporter build` without --only (a course is built only when asked for).
    in_full_build: bool = True

    @property
    def divisible(self) -> bool:
        return self.share is not None and self.join is not None


WRITERS: dict[str, WriterSpec] = {
    "handbook": WriterSpec(
        "exporter.writers.handbook:write_handbook",
        help="Build output/handbook.pdf (the whole library).",
        draws_text=True,
        relative_cost=1.0,
        course_part="exporter.writers.handbook.course_pack:build_course_pack",
    ),
    "cards": WriterSpec(
        "exporter.writers.cards:write_cards",
        help="Build output/pocket-cards.pdf (cards to cut out).",
        draws_text=True,
        relative_cost=0.35,
    ),
    "deck": WriterSpec(
        "exporter.writers.deck:write_deck",
        help="Build output/deck.apkg (Anki cards).",
        makes_flash_cards=True,
        relative_cost=0.25,
        state_file="deck-state.json",
        course_part="exporter.writers.deck.course_deck:write_course_deck",
    ),
    "handouts": WriterSpec(
        "exporter.writers.handouts:write_handouts",
        help="Build output/handouts/<id>.pdf (one per technique).",
        draws_text=True,
        relative_cost=0.9,
        share="exporter.writers.handouts:write_handout_share",
        join="exporter.writers.handouts:joined_result",
        course_part="exporter.writers.handouts:build_handout",
    ),
    "courses": WriterSpec(
        "exporter.writers.courses:write_courses",
        help="Build output/courses/<id>/ for every course in content/courses/ (packs, handouts, cards, deck).",
        draws_text=True,
        makes_flash_cards=True,
        relative_cost=1.5,
        in_full_build=False,
    ),
}


def full_build() -> list[str]:
    """The outputs `exporter build` makes when --only does not name them."""
    return [name for name, spec in WRITERS.items() if spec.in_full_build]


def resolve(target: str) -> Any:
    """The function a "module:function" target names (imported only now)."""
    module_name, function_name = target.split(":")
    return getattr(importlib.import_module(module_name), function_name)


def get_writer(name: str) -> Writer:
    writer: Writer = resolve(WRITERS[name].target)
    return writer


def import_writers(names: list[str]) -> None:
    """Import the named writers (and what they draw with) into this process. A long-lived command
    (`exporter watch`) does it once: its forked workers then start with them, instead of
    importing ReportLab and the deck code again in every worker of every build."""
    for name in names:
        spec = WRITERS[name]
        for target in (spec.target, spec.share, spec.join):
            if target:
                resolve(target)
