"""Which text goes on which pocket card, at which size, and which card on which sheet: the plan.

Every card of the set uses the card size's regular body size; a technique that needs fewer
cards at the compact size uses that one. So a set has at most two body sizes, and no text on a
card is smaller than MIN_SIZE. exporter.writers.cards.fitting fits one technique at one size; nothing
here draws: exporter.writers.cards.drawing puts the plan on paper.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from exporter.errors import ExporterError, Problem
from exporter.model import Library, Technique
from exporter.options import CARD_SIZES, BuildOptions
from exporter.pdf.glyphs.fonts import register_fonts
from exporter.writers.cards.blocks import MIN_SIZE, Block, Card, CardSide, DoesNotFit, SetBlock, Side
from exporter.writers.cards.fit_cache import FittedCards, FittedList, PlannedCards
from exporter.writers.cards.fitting import CardFitter
from exporter.writers.cards.lines import LineSetter
from exporter.writers.cards.sheet import MM, SAFE_INSET_MM, Rect, SheetLayout, layout_sheet

__all__ = ["MIN_SIZE", "BODY_SIZES", "Card", "CardPlan", "CardSide", "PagePlan", "Placement", "SetBlock", "plan_cards"]

#: Body sizes per card size: (regular, compact). The compact size only where it saves a card.
BODY_SIZES: dict[str, tuple[float, float]] = {name: size.body_pt for name, size in CARD_SIZES.items()}

#: Up to this many continued techniques are warned about one by one, more in one line.
LIST_CONTINUED_UP_TO = 8


@dataclass(frozen=True)
class Placement:
    """One side of one card drawn on a page."""

    card: int
    side: str
    rect: Rect

    @property
    def safe(self) -> Rect:
        return self.rect.inset(SAFE_INSET_MM * MM)


@dataclass(frozen=True)
class PagePlan:
    #: "front", "back", "fold" (fronts and backs side by side), "calibration-front", "calibration-back".
    kind: str
    sheet_number: int
    placements: tuple[Placement, ...]
    #: Slots used on this sheet: their cut marks are drawn (front and fold pages only).
    slots: tuple[int, ...]


@dataclass(frozen=True)
class CardPlan:
    sheet: SheetLayout
    #: Every card in order (a PlannedCards from plan_cards: decoded when read).
    cards: Sequence[Card]
    pages: tuple[PagePlan, ...]
    back_offset: tuple[float, float]
    warnings: tuple[str, ...]
    body_sizes: tuple[float, ...] = ()


class TooLongForACard(ExporterError):
    """A text that no card of the chosen size can hold, whatever the type size."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _fitter(library: Library, options: BuildOptions) -> tuple[SheetLayout, CardFitter]:
    register_fonts()
    sheet = layout_sheet(options.paper, options.card_size, options.duplex, options.back_offset_mm)
    safe = Rect(0, 0, sheet.card_width, sheet.card_height).inset(SAFE_INSET_MM * MM)
    return sheet, CardFitter(library.labels(), LineSetter(library.language), safe.width, safe.height, sheet.duplex)


def texts_too_long_for_a_card(library: Library, options: BuildOptions) -> list[Problem]:
    """Every text no card can hold, for `exporter validate` (a build stops at the first)."""
    _, fitter = _fitter(library, options)
    problems = []
    for technique in library.ordered_techniques():
        try:
            fit_technique(fitter, technique, library, options.card_size)
        except TooLongForACard as exc:
            problems.append(exc.problem)
    return problems


def plan_cards(library: Library, options: BuildOptions, out_dir: Path | None = None) -> CardPlan:
    """Fit every technique onto cards in handbook order and place the cards on sheets (the
    cards of techniques unchanged since the last build into out_dir are taken from its cache)."""
    sheet, fitter = _fitter(library, options)
    regular, compact = BODY_SIZES[options.card_size]
    remembered = FittedCards(library, options, out_dir)
    try:
        fitted = _one_size_per_sheet(fitter, library, options.card_size, sheet.cards_per_sheet, remembered)
        remembered.save()
    finally:
        remembered.close()
    cards = PlannedCards([technique_cards for _, technique_cards in fitted])
    continued = [f"{t.id} ({len(found)} cards)" for t, found in fitted if len(found) > 1]
    warnings = continued_warnings(continued, options.card_size)
    pages = page_plans(sheet, len(cards), options.calibration)
    if options.calibration and not sheet.has_back_page:
        warnings.append(f"--calibration is for two-sided printing; left out with --duplex {options.duplex}")
    used = tuple(sorted({cards.size(index) for index in range(len(cards))}, reverse=True)) or (regular,)
    assert set(used) <= {regular, compact}
    return CardPlan(sheet, cards, pages, options.back_offset_mm, tuple(warnings), used)


def _one_size_per_sheet(
    fitter: CardFitter, library: Library, card_size: str, per_sheet: int, remembered: FittedCards
) -> list[tuple[Technique, FittedList]]:
    """Every technique's cards, in order, with one type size on each sheet: a technique that
    needs the compact size sets the others already on its sheet compact too, and a technique
    landing on a compact sheet is set compact (it never needs more cards for that)."""
    regular, compact = BODY_SIZES[card_size]
    fitted: list[tuple[Technique, FittedList]] = []
    sheet: list[int] = []  # indexes into fitted of the techniques with a card on the open sheet
    spilled = False  # whether the sheet's first technique began on the sheet before
    used = 0  # cards before the open sheet

    def at(technique: Technique, size: float) -> FittedList:
        return remembered.get(technique, size, lambda: _fit_at(fitter, technique, library, size))

    for technique in library.ordered_techniques():
        cards = remembered.get(technique, None, partial(fit_technique, fitter, technique, library, card_size))
        sheet_compact = any(fitted[index][1].sizes[-1] == compact for index in sheet)
        if cards.sizes[0] != compact and sheet_compact:
            cards = at(technique, compact)
        elif cards.sizes[0] == compact and sheet and not sheet_compact:
            if spilled:  # its first cards are on a regular sheet already: stay regular if it can
                cards = _fit_or(at, technique, regular, cards)
            else:
                for index in sheet:
                    earlier, _ = fitted[index]
                    fitted[index] = (earlier, at(earlier, compact))
        fitted.append((technique, cards))
        sheet.append(len(fitted) - 1)
        total = sum(len(found) for _, found in fitted)
        while total - used >= per_sheet:
            used += per_sheet
            # The last technique may run onto the next sheet: it opens that one at its size.
            sheet, spilled = ([len(fitted) - 1], True) if total > used else ([], False)
    return fitted


def _fit_or(
    at: Callable[[Technique, float], FittedList], technique: Technique, size: float, fallback: FittedList
) -> FittedList:
    try:
        return at(technique, size)
    except DoesNotFit:
        return fallback


def _fit_at(fitter: CardFitter, technique: Technique, library: Library, size: float) -> list[Card]:
    sides = fitter.with_optional(technique, size, fitter.required(technique, size))
    return fitter.cards(technique, library, size, sides)


def continued_warnings(continued: list[str], card_size: str) -> list[str]:
    """One line per continued technique, or one line for them all when there are many."""
    if len(continued) <= LIST_CONTINUED_UP_TO:
        return [f"{entry} does not fit one {card_size} card: continued" for entry in continued]
    shown = ", ".join(continued[:LIST_CONTINUED_UP_TO])
    return [
        f"{len(continued)} techniques do not fit one {card_size} card and continue on more: {shown} "
        f"and {len(continued) - LIST_CONTINUED_UP_TO} more"
    ]


def fit_technique(fitter: CardFitter, technique: Technique, library: Library, card_size: str) -> list[Card]:
    """The technique's cards at the regular size, or the compact one if that needs fewer cards.

    The size is chosen on the sections every card shows; the optional ones are then added at
    that size only, so they are never measured at a size that is not used.
    """
    regular, compact = BODY_SIZES[card_size]
    chosen: tuple[float, list[Side]] | None
    try:
        chosen = (regular, fitter.required(technique, regular))
    except DoesNotFit:
        chosen = None
    if chosen is None or fitter.card_count(chosen[1]) > 1:
        try:
            smaller = (compact, fitter.required(technique, compact))
        except DoesNotFit as exc:
            if chosen is None:
                raise _too_long(technique, exc.block, card_size, compact) from exc
            smaller = chosen
        if chosen is None or fitter.card_count(smaller[1]) < fitter.card_count(chosen[1]):
            chosen = smaller
    size, sides = chosen
    return fitter.cards(technique, library, size, fitter.with_optional(technique, size, sides))


def _too_long(technique: Technique, block: Block, card_size: str, size: float) -> TooLongForACard:
    problem = Problem(
        technique.path or technique.id,
        technique.line_of_text(block.field),
        block.field,
        f"too long for a {card_size} pocket card even at {size:g} pt (technique '{technique.id}', "
        f"{technique.title}); shorten it or choose a larger --card-size",
    )
    return TooLongForACard(problem)


def page_plans(sheet: SheetLayout, card_count: int, calibration: bool) -> tuple[PagePlan, ...]:
    pages: list[PagePlan] = []
    if calibration and sheet.has_back_page:
        pages += [PagePlan("calibration-front", 0, (), ()), PagePlan("calibration-back", 0, (), ())]
    per_sheet = sheet.cards_per_sheet
    for number, first in enumerate(range(0, card_count, per_sheet), start=1):
        cards = range(first, min(first + per_sheet, card_count))
        slots = tuple(card - first for card in cards)
        fronts = tuple(Placement(card, "front", sheet.fronts[card - first]) for card in cards)
        backs = tuple(Placement(card, "back", sheet.backs[card - first]) for card in cards) if sheet.backs else ()
        if sheet.duplex == "fold":
            pages.append(PagePlan("fold", number, fronts + backs, slots))
        else:
            pages.append(PagePlan("front", number, fronts, slots))
            if sheet.has_back_page:
                pages.append(PagePlan("back", number, backs, ()))
    return tuple(pages)
