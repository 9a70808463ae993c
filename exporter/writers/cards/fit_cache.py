"""Remembering each technique's fitted cards between builds into the same folder.

Fitting is most of the cards writer's time (every text set by the total-fit breaker at each
size tried); drawing the fitted cards is the rest. A technique's cards at a size depend only on
the technique, the library's own fields (labels, language, categories' icons and colours), the
sheet and card size and exporter's code, so `<out>/.exporter-cache/cards.json` keeps them as
data under a hash of all of that (exporter.files.output_cache). A later build takes the cards of
an unchanged technique from there and draws them as before: the PDF is the same bytes, since
drawing only ever sees the fitted cards. Each build keeps only the entries it used, and the file
is replaced whole, so a stopped build leaves either the old entries or the new, both right.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from dataclasses import replace
from functools import cache, partial
from pathlib import Path
from typing import Any

from exporter.files.output_cache import digest_of, read_entries, save_entries
from exporter.model import Library, Technique
from exporter.options import BuildOptions
from exporter.writers.cards.blocks import Card

CACHE_NAME = "cards"


class FittedCards:
    """The cards fitted so far, from the last build's cache or made now (see the module's doc).
    Without options.cache_salt it only makes them."""

    def __init__(self, library: Library, options: BuildOptions, out_dir: Path | None) -> None:
        self.out_dir = out_dir if options.cache_salt else None
        self.entries: dict[str, Any] = read_entries(self.out_dir, CACHE_NAME) if self.out_dir else {}
        self.used: dict[str, Any] = {}
        sheet = (options.paper, options.card_size, options.duplex, options.back_offset_mm)
        self.shared = digest_of(options.cache_salt, repr(replace(library, techniques=(), courses=())), repr(sheet))

    def get(self, technique: Technique, size: float | None, make: Callable[[], list[Card]]) -> list[Card]:
        """technique's cards at size (None: the size fit_technique chooses), made by make if new."""
        if self.out_dir is None:
            return make()
        key = digest_of(self.shared, repr(technique), repr(size))
        stored = self.entries.get(key)
        if stored is not None:
            try:
                cards = [decode(Card, card) for card in stored]
                self.used[key] = stored
                return cards
            except (TypeError, ValueError, KeyError):
                pass  # a damaged entry is no entry
        cards = make()
        self.used[key] = [encode(card) for card in cards]
        return cards

    def save(self) -> None:
        if self.out_dir is not None:
            save_entries(self.out_dir, CACHE_NAME, self.used)


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
