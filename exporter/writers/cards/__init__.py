"""Pocket cards: one technique per card (or a few), steps on the front, what to say and avoid on the back.

The writer plans the cards (exporter.writers.cards.plan: which text on which card, at which size) and
draws the plan on sheets (exporter.writers.cards.drawing: cut marks, ruler, calibration sheet).
"""

from __future__ import annotations

from pathlib import Path

from exporter.files.atomic import atomic_output
from exporter.messages import counted
from exporter.model import Library
from exporter.options import BuildOptions, card_size_label, paper_label
from exporter.pdf.pages.seed_cache import kept_library_seed
from exporter.writers import WriteResult
from exporter.writers.cards.drawing import draw_plan
from exporter.writers.cards.plan import CardPlan, plan_cards
from exporter.writers.cards.sheet_replay import cards_cache

FILE_NAME = "pocket-cards.pdf"


def write_cards(library: Library, out_dir: Path, options: BuildOptions) -> WriteResult:
    plan = plan_cards(library, options, out_dir)
    target = out_dir / FILE_NAME
    seed = kept_library_seed(library, out_dir, options.cache_salt, "cards")
    cache = cards_cache(out_dir, options.cache_salt, library, plan, seed) if options.cache_salt else None
    try:
        with atomic_output(target) as temporary:
            draw_plan(plan, library, temporary, cache, seed)
        if cache is not None:
            cache.save()
    finally:
        if cache is not None:
            cache.close()
    return WriteResult(
        "cards",
        (target,),
        summary(plan, library, options) + (cache.replayed_note("page") if cache is not None else ""),
        plan.warnings,
    )


def summary(plan: CardPlan, library: Library, options: BuildOptions) -> str:
    sheets = max((page.sheet_number for page in plan.pages), default=0)
    sizes = "/".join(f"{size:g}" for size in plan.body_sizes)
    return (
        f"{counted(len(plan.cards), 'card')} for {counted(len(library.techniques), 'technique')}, "
        f"{card_size_label(options.card_size)} on {paper_label(options.paper)}, {counted(sheets, 'sheet')}, "
        f"{counted(len(plan.pages), 'page')}, duplex {options.duplex}, type {sizes} pt"
    )
