"""One writer per output. Each takes the validated Library and writes its files atomically.

A writer is a function `write(library, out_dir, options) -> WriteResult`, named in WRITERS as
"module:function" so that `exporter --help` does not import ReportLab or genanki.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from exporter.model import Library

WRITERS: dict[str, str] = {
    "handbook": "exporter.writers.handbook:write_handbook",
    "cards": "exporter.writers.cards:write_cards",
    "deck": "exporter.writers.anki:write_deck",
    "handouts": "exporter.writers.handouts:write_handouts",
}

#: Writers that draw text into a PDF and so need every character covered by the fonts.
PDF_WRITERS = ("handbook", "cards", "handouts")


@dataclass(frozen=True)
class BuildOptions:
    """Settings resolved from library.yaml and command-line flags (flags win)."""

    paper: str = "a4"
    card_size: str = "a7"
    duplex: str = "long-edge"
    back_offset_mm: tuple[float, float] = (0.0, 0.0)
    calibration: bool = False
    #: Where the deck keeps note modification times between builds (commit it with the content).
    deck_state: Path | None = None
    #: True when --technique/--category chose part of the library: outputs of the techniques
    #: left out are not "removed" (the deck does not retire their notes).
    partial: bool = False


@dataclass(frozen=True)
class WriteResult:
    """What a writer wrote, for the closing summary."""

    name: str
    paths: tuple[Path, ...]
    summary: str
    warnings: tuple[str, ...] = ()


Writer = Callable[[Library, Path, BuildOptions], WriteResult]


def get_writer(name: str) -> Writer:
    module_name, function_name = WRITERS[name].split(":")
    module = importlib.import_module(module_name)
    writer: Writer = getattr(module, function_name)
    return writer
