"""What decides a handbook part's pages, and planning parts that are replayed or recorded.

The handbook's parts (each chapter, the contents, the quick reference, the situation index, the
sources) are kept in `<out>/.exporter-cache/handbook.parts` (exporter.pdf.pages.part_cache). A
part's key is a hash of the exporter's code and SOURCE_DATE_EPOCH (the build's cache salt), the
library's own settings, labels and categories, every technique's id, title and categories (a
chapter's "see p." rows and bookmarks name other chapters), the glyphs every font is seeded
with, the paper, and what the part shows. Not the page it starts on: a part replayed on
another page than it was drawn on shows its pages' new numbers (exporter.pdf.pages.replay).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from exporter.files.output_cache import digest_of
from exporter.model import Library
from exporter.pdf.glyphs.glyphcodes import seed_identity
from exporter.pdf.pages.fitting import PartLayout
from exporter.pdf.pages.part_cache import PartCache
from exporter.pdf.pages.replay import EndRecording, StartRecording, replayed_part

PACK_NAME = "handbook"


def handbook_cache(out_dir: Path, salt: str, library: Library, paper: str, seed: Mapping[str, str]) -> PartCache:
    """The recorded parts of the handbook in out_dir."""
    others = repr([(t.id, t.title, t.categories) for t in library.techniques])
    own = repr(replace(library, techniques=(), courses=()))
    return PartCache(out_dir, PACK_NAME, digest_of(salt, own, others, paper, seed_identity(seed)))


@dataclass(frozen=True)
class Replaying:
    """The document parts are replayed into, and the cache their records are kept in."""

    document: Any
    cache: PartCache


def plan_recorded(
    layout: PartLayout, replaying: Replaying | None, what: tuple[str, ...], plan: Callable[[], None]
) -> None:
    """plan() the part that starts at the top of the layout's page; with replaying, replay its
    record instead if there is one for what (and the page), else record it as it is drawn."""
    if replaying is None:
        plan()
        return
    start = layout.pager
    key = replaying.cache.key(*what)
    record = replaying.cache.replay_or_record(key)
    if record is not None:
        layout.extend(replayed_part(replaying.document, record))
        pages, used, at_top, space_after = record.end
        layout.pager = replace(start, page=start.page + pages, used=used, at_top=at_top, space_after=space_after)
        return
    layout.append(StartRecording(partial(replaying.cache.sink, key)))
    plan()
    end = layout.pager
    layout.append(EndRecording((end.page - start.page, end.used, end.at_top, end.space_after)))


def finding_aid_keys(library: Library) -> dict[str, str]:
    """A digest of what each finding aid shows of the techniques beyond their ids, titles and
    categories (which every part's key holds), by the aid's part name: a summary's second
    sentence or a new step redraws none of them, a new source only the sources. Each text is
    hashed as soon as it is made (at 10,000 techniques they are megabytes each)."""
    from exporter.writers.handbook import cites_sources
    from exporter.writers.handbook.finding_aids import has_situations, purpose

    techniques = library.techniques
    shown: dict[str, Callable[[], str]] = {
        "contents": lambda: repr((has_situations(library), cites_sources(library))),
        "quick-reference": lambda: repr([purpose(t) for t in techniques]),
        "situations": lambda: repr([tuple((i.text, i.id, i.cue) for i in t.when_to_use) for t in techniques]),
        "sources": lambda: repr([t.sources for t in techniques]),
    }
    return {name: digest_of(text()) for name, text in shown.items()}
