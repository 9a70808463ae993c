"""What a card is made of: measured blocks of text, the sides and cards they are placed on, and
the type metrics every part of the cards writer shares (sizes, gaps, the smallest size)."""

from __future__ import annotations

from dataclasses import dataclass

from exporter.pdf.glyphs.fonts import BOLD, ITALIC, REGULAR

#: Nothing on a card (or sheet) is printed smaller than this.
MIN_SIZE = 7.0
#: A card wider than this many ems of body text gets two columns (shorter lines read faster).
TWO_COLUMNS_ABOVE_EM = 34.0
COLUMN_GAP_MM = 4.0

#: Sections that go on a card whatever it takes, and those added only if they need no extra card.
REQUIRED_BACK = ("key_phrases", "warnings")
OPTIONAL_BACK = ("follow_up_questions", "when_to_use")
SOURCES = "sources"
#: How each section's entries are set: (role, bullet).
SECTION_STYLE: dict[str, tuple[str, str]] = {
    "steps": ("step", ""),
    "key_phrases": ("phrase", "\u2022"),
    "follow_up_questions": ("phrase", "\u2022"),
    "when_to_use": ("item", "\u2022"),
    "warnings": ("warning", "\u26a0"),
    SOURCES: ("source", ""),
}
FACES = {"step": REGULAR, "phrase": ITALIC, "item": REGULAR, "warning": REGULAR, "source": REGULAR, "heading": BOLD}

#: Vertical extent of a line of type, in ems, as a PDF reader measures its characters (the
#: font's ascent and descent): Noto Serif and Noto Sans give 1.069 em above the baseline (room
#: for stacked Vietnamese accents) and 0.293 em below, the icon face 0.34 em below.
ASCENT = 1.07
DESCENT = 0.3
ICON_DESCENT = 0.35
LEADING = 1.2
#: Warning boxes: padding around the text and the bar on their left, in ems.
BOX_PAD = 0.3
BOX_BAR = 0.2


def small_size(size: float) -> float:
    """Sources and the "1/2" marks: a little smaller than the body, never below MIN_SIZE."""
    return max(MIN_SIZE, size - 1.0)


@dataclass(frozen=True)
class Block:
    """One paragraph of a card: a step, a phrase, a warning, a heading or a source."""

    role: str
    text: str
    bullet: str = ""
    #: Which field of the technique it shows, for messages ("steps[3]").
    field: str = ""
    #: The section it belongs to ("steps", "warnings", ...).
    section: str = ""

    @property
    def content(self) -> bool:
        return self.role != "heading"


@dataclass(frozen=True)
class SetBlock:
    """A block broken into lines at one size and width; offsets are from the block's top-left."""

    block: Block
    lines: tuple[str, ...]
    face: str
    size: float
    leading: float
    #: Baseline of the first line below the block's top.
    first_baseline: float
    height: float
    text_x: float
    bullet_x: float
    #: Warnings sit in a tinted box with a bar: the box's width (0 for no box).
    box_width: float = 0.0


@dataclass(frozen=True)
class Placed:
    set_block: SetBlock
    #: Distance from the top of the card's text area to the top of the block.
    top: float

    @property
    def block(self) -> Block:
        return self.set_block.block


@dataclass(frozen=True)
class CardSide:
    size: float
    title: SetBlock | None
    #: Columns of placed blocks; column k starts at x = k * (column_width + column_gap).
    columns: tuple[tuple[Placed, ...], ...]
    column_width: float
    column_gap: float
    #: Height of the title, the icon/marker row and the rule, above the text area.
    header_height: float
    #: Whether the row under the title is drawn (fronts: icons; continued cards: "1/2").
    meta_row: bool = True

    @property
    def blocks(self) -> tuple[Block, ...]:
        return tuple(placed.block for column in self.columns for placed in column)

    @property
    def empty(self) -> bool:
        return not any(self.columns)


@dataclass(frozen=True)
class Card:
    technique_id: str
    title: str
    icons: tuple[str, ...]
    colour: str
    part: int
    parts: int
    front: CardSide
    back: CardSide
    #: "1/2", "2/2" on continued techniques (from the label catalogue), else "".
    marker: str = ""


class DoesNotFit(Exception):
    def __init__(self, block: Block) -> None:
        self.block = block


Side = list[list[Placed]]


def text_size(role: str, size: float) -> float:
    return {"title": size * 1.15, "source": small_size(size)}.get(role, size)


GAPS = {"heading": 0.8, "source": 0.3}


def gap_before(block: Block, size: float) -> float:
    """Space above a block (in ems of the body size) when something is above it in its column."""
    return GAPS.get(block.role, 0.35) * size


def meta_height(size: float) -> float:
    """The row under the title with the category icons and the "1/2" mark."""
    return 1.35 * size


def rule_gap(size: float) -> float:
    return 0.55 * size
