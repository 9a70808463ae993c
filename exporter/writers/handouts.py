"""Handouts: one short PDF per technique, the handbook's chapter with the library's title and disclaimer."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import zip_longest
from pathlib import Path

from reportlab.platypus import Flowable

from exporter.files.atomic import atomic_output
from exporter.files.output_cache import OutputCache, save_entries
from exporter.messages import counted
from exporter.model import Library, Technique
from exporter.options import BuildOptions, paper_label
from exporter.pdf.glyphs.fonts import BODY_FACES, drawable, plain_characters
from exporter.pdf.pages.chapter import LevelledBuilder, chapter_flowables, plain_similar_row
from exporter.pdf.pages.document import OnePassDocument
from exporter.pdf.pages.fitting import MIN_LAST_LINES, fit_part
from exporter.pdf.pages.styles import LEVELS, Styles, make_styles
from exporter.writers import WriteResult

HANDOUTS_DIR = "handouts"
#: A handout whose second page would hold less than this share of a page is tried tighter.
LAST_PAGE_SHARE = 0.55


@dataclass(frozen=True)
class HandoutShare:
    """The handouts one process wrote: every shares-th technique from its own index on."""

    paths: tuple[Path, ...]
    pages: int
    #: The output folder and the cache entries this share used (see exporter.files.output_cache).
    out_dir: Path | None = None
    cache_entries: dict[str, list[str]] = field(default_factory=dict)
    #: How many of paths were left as the last build wrote them.
    kept: int = 0


def write_handouts(library: Library, out_dir: Path, options: BuildOptions) -> WriteResult:
    return joined_result([write_handout_share(library, out_dir, options, 0, 1)], options)


def write_handout_share(
    library: Library, out_dir: Path, options: BuildOptions, share: int, shares: int
) -> HandoutShare:
    """Write the handouts of techniques share, share + shares, ... (exporter.build.workers divides
    the handouts between its workers this way; each handout's bytes do not depend on the others)."""
    paths = []
    pages = kept = 0
    seed = _seed_for(library)
    cache = OutputCache(out_dir, HANDOUTS_DIR, options.cache_salt)
    shared = _shared_key(library, seed, options.paper) if cache.enabled else ""
    for technique in library.ordered_techniques()[share::shares]:
        target = out_dir / HANDOUTS_DIR / f"{technique.id}.pdf"
        key = cache.key(shared, *_own_parts(library, technique)) if cache.enabled else ""
        if cache.reusable(key, target):
            pages += int(cache.note(key))
            kept += 1
        else:
            with atomic_output(target) as temporary:
                made = build_handout(library, technique, temporary, options.paper, seed)
            cache.made(key, target, str(made))
            pages += made
        paths.append(target)
    return HandoutShare(tuple(paths), pages, out_dir, cache.used, kept)


def joined_result(shares: list[HandoutShare], options: BuildOptions) -> WriteResult:
    """One result from the shares, in order of share index; paths back in technique order."""
    paths = tuple(path for group in zip_longest(*(s.paths for s in shares)) for path in group if path is not None)
    pages = sum(s.pages for s in shares)
    out_dirs = {s.out_dir for s in shares if s.out_dir is not None and s.cache_entries}
    for out_dir in out_dirs:
        save_entries(
            out_dir, HANDOUTS_DIR, {k: v for s in shares if s.out_dir == out_dir for k, v in s.cache_entries.items()}
        )
    return WriteResult(
        name="handouts",
        paths=paths,
        summary=f"{counted(len(paths), 'handout')}, {counted(pages, 'page')}, {paper_label(options.paper)}"
        + _kept_note(len(paths), sum(s.kept for s in shares)),
    )


def _kept_note(count: int, kept: int) -> str:
    """How many handouts this build made, when it left the others as they were."""
    return f"; {count - kept} made again, the others unchanged" if kept else ""


def _shared_key(library: Library, seed: str, paper: str) -> str:
    """What every handout is made from besides its technique: the library's own fields and
    settings (its techniques and courses aside), the font subsets' seed, the paper."""
    return repr((replace(library, techniques=(), courses=()), seed, paper))


def _own_parts(library: Library, technique: Technique) -> tuple[str, ...]:
    """A handout's technique, and the titles of the techniques its "similar" row names
    (plain_similar_row shows nothing else of them)."""
    return (repr(technique), *(library.technique(other).title for other in technique.similar))


@lru_cache(maxsize=1)
def _seed_for(library: Library) -> str:
    """library_characters, once per process and library: a worker writes several shares of the
    handouts, each from its own unpickled copy of the same library (equal, so the cache holds)."""
    return library_characters(library)


def library_characters(library: Library) -> str:
    """Every character beyond ASCII that the library's text and labels use, in code-point order.

    Each handout starts its font subsets with all of them, so all handouts share the same
    subsets and the fonts are cut, compressed and described once (exporter.pdf.glyphs.embedding).
    """
    texts = [library.title, library.subtitle, library.organisation, library.disclaimer, library.short_disclaimer]
    texts += [category.name for category in library.categories]
    for technique in library.techniques:
        texts += [text for _, text in technique.texts()]
    labels = library.labels()
    texts += [entry if isinstance(entry, str) else " ".join(entry.values()) for entry in labels.entries.values()]
    used = plain_characters("\n".join(texts)) or set("".join(map(drawable, texts)))
    return "".join(sorted(char for char in used if ord(char) > 127))


def build_handout(library: Library, technique: Technique, target: Path, paper: str, seed: str = "") -> int:
    """Write one technique's handout to target; return its page count."""
    labels = library.labels()
    styles = make_styles(library.language, compact=True)
    document = OnePassDocument(
        target,
        library,
        paper,
        styles,
        title=labels("handouts.title", technique=technique.title, library=library.title),
        subject=technique.summary,
        header_right=library.title,
        # A handout travels alone, so every page carries the whole disclaimer in its footer.
        footer_text=library.disclaimer,
        page_of=labels("handouts.page_of", page="{page}", total="{total}"),
        seed=dict.fromkeys(BODY_FACES, seed) if seed else None,
        keywords=technique.categories,
    )

    def make(tight: Styles) -> list[Flowable]:
        return chapter_flowables(technique, library, tight, plain_similar_row(tight))

    build = LevelledBuilder(make, lambda level: make_styles(library.language, compact=True, level=level))

    # A handout is one sheet: one page if a tighter setting saves a second page that would be
    # less than half full; else two, the first filled and the second holding more than a few
    # lines (moving lines over to half-fill the second left a third of the first page blank).
    pager = document.pager()
    fewest = MIN_LAST_LINES * float(styles.body.leading)
    fitted = fit_part(build, pager, fewest, LAST_PAGE_SHARE * pager.height, len(LEVELS))
    return document.build_once(fitted.flowables)
