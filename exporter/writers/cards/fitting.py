"""Fitting one technique's text onto card sides at one body size: measured blocks in columns.

A technique's text is one stream of sections: the numbered steps, then key phrases and
warnings, then (as many entries as fit without another card) follow-up questions and when to
use, then its sources. The stream runs over the sides in reading order (front 1, back 1, front
2, ...): the steps start on a front, the other sections on a back, a side that continues a
section starts with its heading and "(continued)", and a card whose back would stay empty shares
its front's text with it. Each block is broken into lines once per size and width, and the
drawing reuses those lines.
"""

from __future__ import annotations

from dataclasses import replace

from exporter.labels import Labels
from exporter.model import Library, Technique
from exporter.pdf.glyphs.fonts import BOLD, REGULAR
from exporter.writers.cards.blocks import (
    ASCENT,
    BOX_BAR,
    BOX_PAD,
    COLUMN_GAP_MM,
    DESCENT,
    FACES,
    ICON_DESCENT,
    LEADING,
    OPTIONAL_BACK,
    REQUIRED_BACK,
    SECTION_STYLE,
    SOURCES,
    TWO_COLUMNS_ABOVE_EM,
    Block,
    Card,
    CardSide,
    DoesNotFit,
    Placed,
    SetBlock,
    Side,
    gap_before,
    meta_height,
    rule_gap,
    text_size,
)
from exporter.writers.cards.lines import LineSetter, LineTooWide, bounded
from exporter.writers.cards.sheet import MM


class CardFitter:
    """Measures blocks (once per text, size and width) and paginates streams of them over sides."""

    def __init__(self, labels: Labels, setter: LineSetter, width: float, height: float, duplex: str) -> None:
        self.labels = labels
        self.setter = setter
        self.width = width
        self.height = height
        self.two_sided = duplex != "none"
        self._measured: dict[tuple[Block, float, float], SetBlock] = {}
        self._sections: dict[tuple[str, str, int | None], list[Block]] = {}
        self._headers: dict[tuple[str, str, float], float] = {}

    # -- what goes on the cards

    def stream(self, technique: Technique, optional: tuple[tuple[str, int], ...]) -> list[Block]:
        """The technique's blocks in reading order; optional sections as (name, entries shown)."""
        sections: list[tuple[str, int | None]] = [("steps", None)]
        if self.two_sided:
            sections += [*((name, None) for name in REQUIRED_BACK), *optional, (SOURCES, None)]
        blocks: list[Block] = []
        for name, shown in sections:
            blocks += self.section_blocks(technique, name, shown)
        return blocks

    def section_blocks(self, technique: Technique, name: str, shown: int | None) -> list[Block]:
        """One section's heading and entries (the first `shown` of them), made once per technique."""
        key = (technique.id, name, shown)
        found = self._sections.get(key)
        if found is not None:
            return found
        every = technique.sources if name == SOURCES else tuple(item.text for item in technique.items(name))
        texts = every[:shown] if shown is not None else every
        role, bullet = SECTION_STYLE[name]
        blocks: list[Block] = []
        if texts and name != "steps":
            heading = self.heading(name, len(texts))
            if len(texts) < len(every):  # the reader learns that the handbook has the others
                heading = self.labels("cards.some", heading=heading, shown=len(texts), total=len(every))
            blocks.append(Block("heading", heading, field=name, section=name))
        for index, text in enumerate(texts):
            marker = f"{index + 1}." if name == "steps" else bullet
            blocks.append(Block(role, text, marker, f"{name}[{index}]", name))
        bounded(self._sections)[key] = blocks
        return blocks

    def heading(self, section: str, count: int = 1) -> str:
        return self.labels(f"cards.{section}", count=count)

    def continued_heading(self, section: str) -> Block:
        text = self.labels("cards.continued", heading=self.heading(section, 2))
        return Block("heading", text, field=section, section=section)

    def required(self, technique: Technique, size: float) -> list[Side]:
        """The sides at this size with the sections every card set shows."""
        return self.paginate(self.stream(technique, ()), size, technique.title)

    def with_optional(self, technique: Technique, size: float, sides: list[Side]) -> list[Side]:
        """The sides with as many entries of each optional section as fit without another card."""
        optional: tuple[tuple[str, int], ...] = ()
        cards = self.card_count(sides)
        for name in OPTIONAL_BACK if self.two_sided else ():
            # More entries never need fewer cards: find the most that need no extra card.
            low, high = 0, len(technique.items(name))
            best: list[Side] | None = None
            while low < high:
                middle = (low + high + 1) // 2
                try:
                    fuller = self.paginate(self.stream(technique, (*optional, (name, middle))), size, technique.title)
                except DoesNotFit:
                    fuller = None
                if fuller is not None and self.card_count(fuller) <= cards:
                    low, best = middle, fuller
                else:
                    high = middle - 1
            if best is not None:
                optional, sides = (*optional, (name, low)), best
        return sides

    def card_count(self, sides: list[Side]) -> int:
        return (len(sides) + 1) // 2 if self.two_sided else len(sides)

    # -- measuring

    def columns(self, size: float) -> int:
        return 2 if self.width / size > TWO_COLUMNS_ABOVE_EM else 1

    def column_width(self, size: float) -> float:
        count = self.columns(size)
        return (self.width - (count - 1) * COLUMN_GAP_MM * MM) / count

    def title_block(self, title: str, kind: str, size: float) -> SetBlock:
        role = "title" if kind == "front" else "back-title"
        return self.measure(Block(role, title, field="title"), size, self.width)

    def header_height(self, title: str, kind: str, size: float) -> float:
        key = (title, kind, size)
        found = self._headers.get(key)
        if found is None:
            found = self.title_block(title, kind, size).height + meta_height(size) + rule_gap(size)
            bounded(self._headers)[key] = found
        return found

    def measure(self, block: Block, size: float, width: float) -> SetBlock:
        key = (block, size, width)
        found = self._measured.get(key)
        if found is None:
            found = bounded(self._measured)[key] = self._set(block, size, width)
        return found

    def _set(self, block: Block, size: float, width: float) -> SetBlock:
        font_size = text_size(block.role, size)
        title = block.role in ("title", "back-title")
        face = BOLD if title else FACES.get(block.role, REGULAR)
        boxed = block.role == "warning"
        bullet_x = (BOX_BAR + BOX_PAD) * font_size if boxed else 0.0
        right = BOX_PAD * font_size if boxed else 0.0
        text_x = bullet_x + self.bullet_room(block, font_size)
        room = width - text_x - right
        if room <= 0:
            raise DoesNotFit(block)
        try:
            lines = self.setter.lines(block.text, face, font_size, room, hyphenate=not title)
        except LineTooWide as exc:
            raise DoesNotFit(block) from exc
        icons = self.setter.uses_fallback(f"{block.text} {block.bullet}")
        leading = LEADING * font_size
        top_pad = BOX_PAD * font_size if boxed else 0.0
        first_baseline = top_pad + ASCENT * font_size
        height = first_baseline + (len(lines) - 1) * leading + (ICON_DESCENT if icons else DESCENT) * font_size
        return SetBlock(
            block, lines, face, font_size, leading, first_baseline, height + top_pad, text_x, bullet_x,
            box_width=width if boxed else 0.0,
        )  # fmt: skip

    def bullet_room(self, block: Block, font_size: float) -> float:
        """Indent of the text past its bullet; steps leave room for a two-digit number."""
        if not block.bullet:
            return 0.0
        shown = "99." if block.role == "step" else block.bullet
        face = BOLD if block.role == "step" else REGULAR
        return self.setter.width(shown, face, font_size) + 0.45 * font_size

    # -- pagination

    def paginate(self, stream: list[Block], size: float, title: str) -> list[Side]:
        """The stream over sides at this size; a card whose back would be empty shares its front."""
        sides, starts = self._flow(stream, size, title, 0)
        if self.two_sided and len(sides) % 2 == 1:
            shared = self._share_last_front(stream[starts[-1] :], size, title, len(sides) - 1)
            if shared is not None:
                sides[-1:] = shared
        return sides

    def _flow(self, stream: list[Block], size: float, title: str, first_side: int) -> tuple[list[Side], list[int]]:
        """Blocks into columns and sides, and the stream index each side starts at."""
        width = self.column_width(size)
        count = self.columns(size)
        sides: list[Side] = []
        starts: list[int] = []
        capacities: list[float] = []
        column = 0
        used = 0.0

        def open_side(index: int) -> None:
            nonlocal column, used
            capacity = self.height - self.header_height(title, self.kind(first_side + len(sides)), size)
            if capacity <= 0:
                raise DoesNotFit(Block("title", title, field="title"))
            sides.append([[] for _ in range(count)])
            starts.append(index)
            capacities.append(capacity)
            column, used = 0, 0.0

        set_blocks = [self.measure(block, size, width) for block in stream]
        for index, block in enumerate(stream):
            measured = set_blocks[index]
            need = measured.height
            follower = stream[index + 1] if block.role == "heading" and index + 1 < len(stream) else None
            if follower is not None:
                need += gap_before(follower, size) + set_blocks[index + 1].height
            gap = gap_before(block, size)
            after_steps = index > 0 and stream[index - 1].section == "steps" and block.section != "steps"
            on_front = bool(sides) and self.kind(first_side + len(sides) - 1) == "front"
            if not sides or (after_steps and self.two_sided and on_front):
                open_side(index)
            elif used + gap + need > capacities[-1]:
                if column + 1 < count:
                    column, used = column + 1, 0.0
                else:
                    open_side(index)
            placed = sides[-1][column]
            if not any(sides[-1]) and block.content and first_side + len(sides) > 1:
                heading = self.measure(self.continued_heading(block.section), size, width)
                # An entry that fills a whole card on its own goes without the "continued" heading.
                if heading.height + gap + need <= capacities[-1]:
                    placed.append(Placed(heading, 0.0))
                    used = heading.height
            top = used + gap if placed else 0.0
            if top + need > capacities[-1]:
                raise DoesNotFit(follower or block)
            placed.append(Placed(measured, top))
            used = top + measured.height
        for side, capacity in zip(sides, capacities, strict=True):
            if count == 2:
                self._balance_columns(side, capacity, size)
            self._sources_to_bottom(side, capacity)
        return sides, starts

    @staticmethod
    def _balance_columns(side: Side, capacity: float, size: float) -> None:
        """Two columns of a side split where their heights come closest, in reading order."""
        placed = [p for column in side for p in column]
        if len(placed) < 2:
            return

        def stacked(part: list[Placed]) -> list[Placed]:
            out: list[Placed] = []
            bottom = 0.0
            for item in part:
                top = bottom + gap_before(item.block, size) if out else 0.0
                out.append(replace(item, top=top))
                bottom = top + item.set_block.height
            return out

        def height(part: list[Placed]) -> float:
            return part[-1].top + part[-1].set_block.height if part else 0.0

        best: tuple[float, list[Placed], list[Placed]] | None = None
        for cut in range(1, len(placed) + 1):
            if placed[cut - 1].block.role == "heading" and cut < len(placed):
                continue
            left, right = stacked(placed[:cut]), stacked(placed[cut:])
            tallest = max(height(left), height(right))
            if tallest <= capacity + 1e-6 and (best is None or tallest < best[0] - 1e-6):
                best = (tallest, left, right)
        if best is not None:
            side[0][:] = best[1]
            side[1][:] = best[2]

    def kind(self, side_index: int) -> str:
        return "back" if self.two_sided and side_index % 2 == 1 else "front"

    def _share_last_front(self, segment: list[Block], size: float, title: str, side_index: int) -> list[Side] | None:
        """The last front's blocks split over that front and its back, as evenly as they go."""
        width = self.column_width(size)
        heights = [self.measure(block, size, width).height for block in segment]
        total = sum(heights)
        cuts = [
            cut
            for cut in range(1, len(segment))
            if segment[cut - 1].content and any(block.content for block in segment[cut:])
        ]
        cuts.sort(key=lambda cut: abs(total - 2 * sum(heights[:cut])))
        for cut in cuts:
            try:
                front, _ = self._flow(segment[:cut], size, title, side_index)
                back, _ = self._flow(segment[cut:], size, title, side_index + 1)
            except DoesNotFit:
                continue
            if len(front) == 1 and len(back) == 1:
                return front + back
        return None

    @staticmethod
    def _sources_to_bottom(side: Side, capacity: float) -> None:
        """Sources sit at the foot of the side's last column, as small print does."""
        column = next((c for c in reversed(side) if c), None)
        if not column:
            return
        first = len(column)
        while first > 0 and column[first - 1].block.section == SOURCES:
            first -= 1
        if first == 0 or first == len(column):
            return
        bottom = column[-1].top + column[-1].set_block.height
        shift = capacity - bottom
        if shift > 0:
            column[first:] = [replace(placed, top=placed.top + shift) for placed in column[first:]]

    # -- the cards

    def cards(self, technique: Technique, library: Library, size: float, sides: list[Side]) -> list[Card]:
        categories = [library.category(name) for name in technique.categories]
        count = self.card_count(sides)
        per_card = 2 if self.two_sided else 1
        cards = []
        for index in range(count):
            own = sides[index * per_card : (index + 1) * per_card]
            front = own[0]
            back = own[1] if len(own) > 1 else []
            marker = self.labels("cards.part", number=index + 1, total=count) if count > 1 else ""
            cards.append(
                Card(
                    technique_id=technique.id,
                    title=technique.title,
                    icons=tuple(c.icon for c in categories if c.icon),
                    colour=categories[0].colour if categories else "#4a6fa5",
                    part=index + 1,
                    parts=count,
                    front=self.card_side(technique.title, "front", size, front, marker),
                    back=self.card_side(technique.title, "back", size, back, marker),
                    marker=marker,
                )
            )
        return cards

    def card_side(self, title: str, kind: str, size: float, side: Side, marker: str) -> CardSide:
        """A side as drawn; a back with no "1/2" to show leaves out the empty row under its title."""
        meta_row = kind == "front" or bool(marker)
        header = self.header_height(title, kind, size) - (0.0 if meta_row else meta_height(size))
        columns = [list(column) for column in side]
        if not meta_row:
            self._sources_to_bottom(columns, self.height - header)
        return CardSide(
            size=size,
            title=self.title_block(title, kind, size),
            columns=tuple(tuple(column) for column in columns),
            column_width=self.column_width(size),
            column_gap=COLUMN_GAP_MM * MM,
            header_height=header,
            meta_row=meta_row,
        )
