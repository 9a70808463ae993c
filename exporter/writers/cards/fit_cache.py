"""Remembering each technique's fitted cards between builds into the same folder.

Fitting is most of the cards writer's time (every text set by the total-fit breaker at each
size tried); drawing the fitted cards is the rest. A technique's cards at a size depend only on
the technique, the library's own fields (labels, language, categories' icons and colours), the
sheet and card size and exporter's code, so `<out>/.exporter-cache/fitted-cards.parts` (a
exporter.files.byte_pack) keeps them as JSON data under a hash of all of that. A later build
takes the cards of an unchanged technique from there: planning reads only the cards' type sizes,
written before their data, and the data is parsed and decoded into dataclasses only when
something asks for a card (the pages drawn; replayed pages never do). The PDF is the same
bytes, since drawing only ever sees the fitted cards. Each build keeps only the entries it used,
and the file is replaced whole through the build's journal.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import tempfile
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cache, partial
from pathlib import Path
from typing import Any, overload

from exporter.files.byte_pack import BytePack
from exporter.files.output_cache import digest_of
from exporter.model import Library, Technique
from exporter.options import BuildOptions
from exporter.writers.cards.blocks import Card

CACHE_NAME = "fitted-cards"
#: Each entry starts with this many bytes of a hash of the rest: a damaged entry is no entry.
_CHECK = 16
#: Where rounds before the pack kept the cards (removed by the first build that saves the pack).
_OLD_CACHE = "cards.json"


def _checksum(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=_CHECK).digest()


class FittedList(Sequence[Card]):
    """One technique's cards at one size: made now, or kept as data and decoded when first read.

    `key` names them in the cache (with the index, a card's identity across builds). Kept cards
    are read from a spill file (`Spill`) when asked for; once decoded they may be let go again
    (`forget`), so a plan of thousands of techniques holds their type sizes, not their cards."""

    def __init__(
        self,
        key: str,
        cards: list[Card] | None = None,
        text: Callable[[], bytes] | None = None,
        sizes: tuple[float, ...] = (),
        make: Callable[[], list[Card]] | None = None,
    ) -> None:
        """Made cards, or how to read the JSON text of kept ones and their type sizes."""
        self.key = key
        self._cards = cards
        self._text = text if cards is None else None
        self._make = make
        self.sizes: tuple[float, ...] = tuple(card.front.size for card in cards) if cards is not None else sizes

    def __len__(self) -> int:
        return len(self.sizes)

    @overload
    def __getitem__(self, index: int) -> Card: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Card]: ...
    def __getitem__(self, index: int | slice) -> Card | Sequence[Card]:
        if self._cards is None:
            self._cards = self._decoded()
        return self._cards[index]

    @property
    def decoded(self) -> bool:
        return self._cards is not None

    def forget(self) -> None:
        """Let go of the decoded cards, if they can be read again."""
        if self._text is not None:
            self._cards = None

    def _decoded(self) -> list[Card]:
        try:
            cards = [decode(Card, item) for item in json.loads(self._text() if self._text else b"[]")]
            if tuple(card.front.size for card in cards) == self.sizes:
                return cards
        except (TypeError, ValueError, KeyError):
            pass
        if self._make is None:  # a damaged entry is no entry: fitted again
            raise ValueError("a damaged fitted card and no way to fit it again")
        return self._make()


#: Techniques whose cards a plan keeps decoded: a sheet's front and back pages read the same
#: few techniques, one after the other.
KEEP_DECODED = 32


class PlannedCards(Sequence[Card]):
    """Every card of a plan, in order, over the techniques' FittedLists (decoded when read, and
    let go again once KEEP_DECODED other techniques' cards have been read since)."""

    def __init__(self, lists: Sequence[FittedList]) -> None:
        self._places = [(fitted, index) for fitted in lists for index in range(len(fitted))]
        self._decoded: dict[int, FittedList] = {}

    def __len__(self) -> int:
        return len(self._places)

    @overload
    def __getitem__(self, index: int) -> Card: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Card]: ...
    def __getitem__(self, index: int | slice) -> Card | Sequence[Card]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        fitted, place = self._places[index]
        if not fitted.decoded:
            self._decoded[id(fitted)] = fitted
            if len(self._decoded) > KEEP_DECODED:
                self._decoded.pop(next(iter(self._decoded))).forget()
        return fitted[place]

    def size(self, index: int) -> float:
        fitted, place = self._places[index]
        return fitted.sizes[place]

    def identity(self, index: int) -> str:
        """What names the index-th card's content without decoding it: its fitting's key and place."""
        fitted, place = self._places[index]
        return f"{fitted.key}:{place}"

    def __repr__(self) -> str:
        return f"PlannedCards({len(self)} cards)"


class FittedCards:
    """The cards fitted so far, from the last build's cache or made now (see the module's doc).
    Without options.cache_salt it only makes them."""

    def __init__(self, library: Library, options: BuildOptions, out_dir: Path | None) -> None:
        sheet = (options.paper, options.card_size, options.duplex, options.back_offset_mm)
        self.shared = digest_of(options.cache_salt, repr(replace(library, techniques=(), courses=())), repr(sheet))
        folder = out_dir if options.cache_salt else None
        self.pack = BytePack(folder, CACHE_NAME, self.shared) if folder is not None else None
        self.spill = Spill(folder) if folder is not None else None

    def get(self, technique: Technique, size: float | None, make: Callable[[], list[Card]]) -> FittedList:
        """technique's cards at size (None: the size fit_technique chooses), made by make if new."""
        key = digest_of(self.shared, repr(technique), repr(size))
        if self.pack is None:
            return FittedList(key, make())
        assert self.spill is not None
        stored = self.pack.get(key)
        if stored is not None:
            check, body = stored[:_CHECK], stored[_CHECK:]
            sizes_line, _, text = body.partition(b"\n")
            try:
                sizes = tuple(float(size) for size in sizes_line.split(b",")) if _checksum(body) == check else ()
                if sizes:
                    return FittedList(key, text=self.spill.keep(text), sizes=sizes, make=make)
            except ValueError:
                pass  # a damaged entry is no entry
            self.pack.discard(key)
        cards = make()
        text = json.dumps([encode(card) for card in cards], separators=(",", ":")).encode("utf-8")
        sizes_line = ",".join(repr(card.front.size) for card in cards).encode("ascii")
        body = sizes_line + b"\n" + text
        self.pack.put(key, _checksum(body) + body)
        return FittedList(key, text=self.spill.keep(text), sizes=tuple(card.front.size for card in cards), make=make)

    def save(self) -> None:
        if self.pack is not None:
            self.pack.save(replaces=_OLD_CACHE)

    def close(self) -> None:
        if self.pack is not None:
            self.pack.close()


class Spill:
    """The JSON text of a plan's fitted cards, in a nameless temporary file beside the output
    (it goes when the last FittedList reading from it does)."""

    def __init__(self, folder: Path) -> None:
        # Unbuffered: a write the disk has no room for fails here, not in a later read's flush.
        self._file = tempfile.TemporaryFile(dir=folder, buffering=0)
        self._end = 0

    def keep(self, text: bytes) -> Callable[[], bytes]:
        """Spill text; return how to read it back (from memory, where the disk has no room)."""
        start = self._end
        try:
            self._file.seek(start)
            written = self._file.write(text)
        except OSError:
            written = None
        if written != len(text):
            return partial(bytes, text)
        self._end += len(text)
        return partial(self._read, start, len(text))

    def _read(self, start: int, length: int) -> bytes:
        self._file.seek(start)
        return self._file.read(length)


def encode(value: Any) -> Any:
    """A dataclass tree as JSON data (floats keep every bit: JSON writes them as repr does)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: encode(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, tuple):
        return [encode(item) for item in value]
    return value


def decode(kind: Any, data: Any) -> Any:
    """encode's data back as kind (a dataclass, tuple[X, ...], X | None, str, float, int, bool)."""
    return _decoder(kind)(data)


@cache
def _decoder(kind: Any) -> Callable[[Any], Any]:
    """A function that turns data back into kind, made once per type (decoding is most of a
    cached build's fitting time)."""
    origin = typing.get_origin(kind)
    if origin is types.UnionType or origin is typing.Union:
        (inner,) = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        inner_decoder = _decoder(inner)
        return lambda data: None if data is None else inner_decoder(data)
    if origin is tuple:
        item_decoder = _decoder(typing.get_args(kind)[0])

        def items(data: Any) -> tuple[Any, ...]:
            if not isinstance(data, list):
                raise TypeError(f"expected a list for {kind}")
            return tuple(map(item_decoder, data))

        return items
    if dataclasses.is_dataclass(kind):
        record: Any = kind
        hints = typing.get_type_hints(record)
        fields = {field.name: _decoder(hints[field.name]) for field in dataclasses.fields(record)}

        def instance(data: Any) -> Any:
            if not isinstance(data, dict):
                raise TypeError(f"expected an object for {kind}")
            return record(**{name: fields[name](value) for name, value in data.items()})

        return instance
    return partial(_plain, kind)


def _plain(kind: type, data: Any) -> Any:
    if kind is float and isinstance(data, (int, float)) and not isinstance(data, bool):
        return data  # an int stays an int, as it was made (JSON tells 8 from 8.0)
    if isinstance(data, kind) and not (kind is int and isinstance(data, bool)):
        return data
    raise TypeError(f"expected {kind}, found {type(data).__name__}")
