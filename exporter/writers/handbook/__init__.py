"""The PDF handbook: cover, contents, quick reference, chapters by category, situation index, sources.

Every part is planned page by page before it is drawn (exporter.pdf.pages.fitting), so no chapter or
list leaves three or four lines alone on a page, and a chapter that spills a few lines is set
a little tighter instead. Chapters start on any new page, on a right-hand page, or run on,
as `settings: chapter_start:` in library.yaml says.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache, partial
from pathlib import Path

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, NextPageTemplate, Spacer, TopPadder

from exporter.files.atomic import atomic_output
from exporter.files.output_cache import digest_of
from exporter.labels import Labels
from exporter.messages import counted
from exporter.model import Category, Library, Technique
from exporter.options import BuildOptions, paper_label
from exporter.pdf.glyphs.fonts import para_text
from exporter.pdf.lines.paragraphs import Paragraph, is_rtl_style
from exporter.pdf.pages.chapter import SEE_ALSO, LevelledBuilder, SimilarRow, chapter_flowables, technique_key
from exporter.pdf.pages.document import BODY, BlankPage, OnePassDocument, OutlineEntry
from exporter.pdf.pages.fitting import PartLayout
from exporter.pdf.pages.flowables import Anchor, KeepWithNext, PageRefRow, Para
from exporter.pdf.pages.groups import RowGroup
from exporter.pdf.pages.pagerefs import PageNumbers
from exporter.pdf.pages.part_cache import PartCache
from exporter.pdf.pages.replay import StaleRecord
from exporter.pdf.pages.seed_cache import kept_library_seed
from exporter.pdf.pages.styles import HANDBOOK_LEVELS, LEADER, MUTED, Styles, make_styles
from exporter.pdf.pages.subsets import FontSeed, library_seed
from exporter.pdf.tagging.marking import link_row, list_path, with_tag
from exporter.pdf.tagging.structure import Container
from exporter.text.collation import collation_key
from exporter.writers import WriteResult
from exporter.writers.handbook.finding_aids import has_situations, quick_reference, situation_index
from exporter.writers.handbook.page_cache import Replaying, finding_aid_keys, handbook_cache, plan_recorded

HANDBOOK_FILE = "handbook.pdf"
COVER_KEY = "cover"
CONTENTS_KEY = "contents"
QUICK_REFERENCE_KEY = "quick-reference"
SITUATIONS_KEY = "situations"
SOURCES_KEY = "sources"

#: The cover and the contents in the structure tree (each a section of the document).
COVER_PATH: tuple[Container, ...] = ((COVER_KEY, "Sect"),)
CONTENTS_PATH: tuple[Container, ...] = ((CONTENTS_KEY, "Sect"),)

RUN_ON_GAP = 30.0
#: Space above the title on the cover (less when the cover's texts need it).
COVER_TOP_SPACE = 150.0


def write_handbook(library: Library, out_dir: Path, options: BuildOptions) -> WriteResult:
    target = out_dir / HANDBOOK_FILE
    seed = kept_library_seed(library, out_dir, options.cache_salt, "handbook")
    cache = None
    if options.cache_salt and library.settings.chapter_start != "continuous":
        cache = handbook_cache(out_dir, options.cache_salt, library, options.paper, seed)
    try:
        with atomic_output(target) as temporary:
            pages = build_handbook(library, temporary, options.paper, cache, seed)
        if cache is not None:
            cache.save()
    finally:
        if cache is not None:
            cache.close()
    parts = [counted(pages, "page"), counted(len(library.techniques), "technique"), paper_label(options.paper)]
    return WriteResult(
        name="handbook",
        paths=(target,),
        summary=", ".join(parts) + (cache.replayed_note("part") if cache is not None else ""),
    )


def build_handbook(
    library: Library, target: Path, paper: str, cache: PartCache | None = None, seed: FontSeed | None = None
) -> int:
    """Write the handbook PDF to target in one layout pass; return its page count.

    With a cache, parts (chapters, the contents, the indexes) recorded by an earlier build are
    replayed, the others drawn and recorded (exporter.writers.handbook.page_cache)."""
    seed = library_seed(library) if seed is None else seed
    try:
        pages = _build_handbook(library, target, paper, seed, cache)
    except StaleRecord:
        if cache is not None:
            cache.forget_counts()
        pages = _build_handbook(library, target, paper, seed, None)
    return pages


def _build_handbook(library: Library, target: Path, paper: str, seed: FontSeed, cache: PartCache | None) -> int:
    labels = library.labels()
    styles = make_styles(library.language)
    document = OnePassDocument(
        target,
        library,
        paper,
        styles,
        title=library.title,
        subject=library.subtitle or labels("handbook.subject", title=library.title),
        header_right=library.title,
        outline=True,
        cover_page=True,
        page_of=labels("handbook.page_of", page="{page}", total="{total}"),
        # Every glyph's code fixed before the first page: a page's bytes depend on it alone.
        seed=seed,
    )
    layout = PartLayout(document.pager(), float(styles.body.leading))
    layout.extend(cover(library, labels, styles, float(document.width), float(document.height)))
    numbers = document.numbers
    replaying = Replaying(document, cache) if cache is not None else None
    aids = finding_aid_keys(library) if replaying is not None else {}

    def part(name: str, build: Callable[[int], list[Flowable]]) -> None:
        what = (name, aids[name]) if replaying is not None else ()

        def step() -> None:
            layout.break_page()
            plan_recorded(layout, replaying, what, lambda: layout.plan_part(build, False, 1))

        layout.later(step)

    part(CONTENTS_KEY, lambda level: contents(library, labels, styles, numbers))
    quick = part_heading(labels("handbook.quick_reference"), QUICK_REFERENCE_KEY, styles)
    part(QUICK_REFERENCE_KEY, lambda level: quick_reference(library, labels, styles, numbers, quick))
    chapters(library, layout, numbers, replaying)
    if has_situations(library):
        situations = part_heading(labels("handbook.situations"), SITUATIONS_KEY, styles)
        part(SITUATIONS_KEY, lambda level: situation_index(library, labels, styles, numbers, situations))
    if cites_sources(library):
        part(SOURCES_KEY, lambda level: sources(library, labels, styles, numbers))
    document.outline_entries = outline(library, labels)
    return document.build_once(layout)


def cover(library: Library, labels: Labels, styles: Styles, width: float, height: float) -> list[Flowable]:
    """Title, subtitle, organisation, edition and the number of techniques, the disclaimer at
    the foot: all on one page. A long title is set smaller (at most four lines), and the space
    above the title gives way to long texts."""
    title = Anchor(para_text(library.title), cover_title_style(library.title, styles, width), key=COVER_KEY)
    count = labels("handbook.technique_count", count=len(library.techniques))
    lines = [
        (library.subtitle, styles.cover_subtitle),
        (library.organisation, styles.cover_line),
        (library.edition, styles.cover_line),
        (count, styles.cover_line),
    ]
    return cover_page(title, lines, library, styles, width, height)


def cover_page(
    title: Flowable,
    lines: list[tuple[str, ParagraphStyle]],
    library: Library,
    styles: Styles,
    width: float,
    height: float,
) -> list[Flowable]:
    """A cover: the title, the lines that have text, and the library's disclaimer at the foot
    (TopPadder sets one flowable there: its heading and text are kept as one); the space above
    the title gives way to long texts."""
    flowables: list[Flowable] = [with_tag(title, "H1", COVER_PATH)]
    flowables += [with_tag(Para(para_text(text), style), "P", COVER_PATH) for text, style in lines if text]
    note = ParagraphStyle("cover_note", parent=styles.source, leftIndent=0, firstLineIndent=0)
    heading = para_text(library.labels()("handbook.disclaimer"), bold=True)
    # Two paragraphs held as one (a line break inside one paragraph left it to ReportLab's
    # greedy breaker, which ended it on "fessional." after "pro-").
    disclaimer = KeepWithNext(
        with_tag(Para(f"<b>{heading}</b>", note), "P", COVER_PATH),
        with_tag(Para(para_text(library.disclaimer), note), "P", COVER_PATH),
    )
    used = sum(f.wrap(width, height)[1] + f.getSpaceAfter() for f in [*flowables, disclaimer])
    top = max(0.0, min(COVER_TOP_SPACE, height - used - 40))
    return [Spacer(1, top), *flowables, TopPadder(disclaimer), NextPageTemplate(BODY)]


def cover_title_style(title: str, styles: Styles, width: float) -> ParagraphStyle:
    style = styles.cover_title
    for size in (30, 26, 22, 18, 15):
        style = ParagraphStyle(f"cover_title_{size}", parent=styles.cover_title, fontSize=size, leading=size * 1.2)
        paragraph = Paragraph(para_text(title), style)
        _, height = paragraph.wrap(width, 10_000)
        if height <= 4 * style.leading + 0.01:
            break
    return style


@lru_cache(maxsize=4)
def listings(library: Library) -> list[tuple[Category, list[Technique]]]:
    """Every category that has techniques, with all of them (cross-listed ones too), by title."""
    by_title = collation_key(library.language)
    listed = []
    for category in library.categories:
        members = [t for t in library.techniques if category.name in t.categories]
        if members:
            members.sort(key=lambda t: (by_title(t.title), t.id))
            listed.append((category, members))
    return listed


def category_destinations(library: Library) -> dict[str, str]:
    """Where a category's contents row and bookmark point: its first chapter, or (a category
    no technique has first) the first technique listed under it (an alias of that chapter)."""
    opening = {category.name: category_key(index) for index, (category, _) in enumerate(library.chapters())}
    return {
        category.name: opening.get(category.name, f"listed-{position}")
        for position, (category, _) in enumerate(listings(library))
    }


def listing_key(technique: Technique, position: int) -> str:
    """The bookmark destination of a technique under the position-th listed category."""
    return f"{technique_key(technique)}-listed-{position}"


def chapter_aliases(library: Library) -> dict[str, tuple[str, ...]]:
    """Every extra destination name each chapter's title carries (see Anchor.aliases)."""
    aliases: dict[str, list[str]] = {}
    destinations = category_destinations(library)
    for position, (category, members) in enumerate(listings(library)):
        if destinations[category.name] == f"listed-{position}":
            aliases.setdefault(members[0].id, []).append(destinations[category.name])
        for technique in members:
            aliases.setdefault(technique.id, []).append(listing_key(technique, position))
    return {key: tuple(names) for key, names in aliases.items()}


def contents(library: Library, labels: Labels, styles: Styles, numbers: PageNumbers) -> list[Flowable]:
    """One linked row per category and per technique under it (a technique under each of its
    categories), dot leaders to the page numbers, which are filled in after the last page."""
    rows = list_path(CONTENTS_PATH, "contents-rows")
    flowables: list[Flowable] = [
        with_tag(part_heading(labels("handbook.contents"), CONTENTS_KEY, styles), "H1", CONTENTS_PATH),
        link_row(
            PageRefRow(labels("handbook.quick_reference"), styles.toc_category, numbers, QUICK_REFERENCE_KEY), rows
        ),
    ]
    destinations = category_destinations(library)
    for category, members in listings(library):
        label = f"{category.icon} {category.name}".strip()
        # A category is an item of the contents whose body holds the list of its chapters.
        item = (*rows, (f"contents-{category.name}", "LI"), (f"contents-{category.name}-body", "LBody"))
        row = with_tag(PageRefRow(label, styles.toc_category, numbers, destinations[category.name]), "Link", item)
        chapters = list_path(item, f"contents-{category.name}-chapters")
        entries: list[Flowable] = [
            link_row(_leader_row(t.title, styles.toc_entry, numbers, technique_key(t)), chapters) for t in members
        ]
        continued = Para(para_text(labels("handbook.continued", section=label)), styles.toc_category)
        flowables.append(RowGroup(row, entries, with_tag(continued, "Artifact"), min_rows=3))
    for key, label, present in (
        (SITUATIONS_KEY, "handbook.situations", has_situations(library)),
        (SOURCES_KEY, "handbook.sources", cites_sources(library)),
    ):
        if present:
            flowables.append(link_row(PageRefRow(labels(label), styles.toc_category, numbers, key), rows))
    flowables[0:2] = [KeepWithNext(flowables[0], flowables[1])]
    return flowables


def _leader_row(text: str, style: ParagraphStyle, numbers: PageNumbers, key: str) -> PageRefRow:
    return PageRefRow(text, style, numbers, key, number_width=30, leaders=True, leader_colour=LEADER)


def part_heading(text: str, key: str, styles: Styles) -> Anchor:
    return Anchor(para_text(text), styles.page_heading, key=key, header=text)


def category_key(index: int) -> str:
    return f"category-{index}"


def chapters(library: Library, layout: PartLayout, numbers: PageNumbers, replaying: Replaying | None = None) -> None:
    """Every technique once, grouped by its first category, each category opening with its heading."""
    aliases = chapter_aliases(library)
    for index, (category, members) in enumerate(library.chapters()):
        for position, technique in enumerate(members):
            opens = category if position == 0 else None
            first = index == 0 and position == 0
            build = _chapter_builder(library, technique, opens, index, numbers, not first and _runs_on(library),
                                     aliases[technique.id])  # fmt: skip
            # Hashed now: 5,000 chapters' texts were otherwise held until each was planned.
            what = (
                (digest_of(repr(technique), repr(opens), str(index), repr(aliases[technique.id])),) if replaying else ()
            )
            layout.later(partial(_plan_chapter, layout, library, build, first, replaying, what))


def _runs_on(library: Library) -> bool:
    return library.settings.chapter_start == "continuous"


def _plan_chapter(
    layout: PartLayout,
    library: Library,
    build: Callable[[int], list[Flowable]],
    first: bool,
    replaying: Replaying | None = None,
    what: tuple[str, ...] = (),
) -> None:
    """A chapter on a new page (a right-hand one if the settings say so), or run on; replayed
    from its record when there is one, else recorded (with replaying)."""
    mode = library.settings.chapter_start
    if mode != "continuous" or first:
        layout.break_page()
        if mode == "right" and layout.pager.page % 2 == 0:
            layout.append(BlankPage())
            layout.break_page()
    plan_recorded(layout, replaying, what, lambda: layout.plan_part(build, False, HANDBOOK_LEVELS))


def _chapter_builder(
    library: Library,
    technique: Technique,
    opens: Category | None,
    index: int,
    numbers: PageNumbers,
    run_on: bool,
    aliases: tuple[str, ...],
) -> Callable[[int], list[Flowable]]:
    def make(styles: Styles) -> list[Flowable]:
        part: tuple[Container, ...] = ((category_key(index), "Part"),)
        similar = linked_similar_row(library, styles, numbers)
        flowables = chapter_flowables(technique, library, styles, similar, True, path=part, level=2)
        title = flowables[0].heading
        assert isinstance(title, Anchor)
        title.aliases = aliases
        if opens is not None:
            label = f"{opens.icon} {opens.name}".strip()
            anchor = Anchor(para_text(label.upper()), styles.category, key=category_key(index))
            flowables[0] = KeepWithNext(with_tag(anchor, "H1", part), flowables[0])
        return flowables

    return LevelledBuilder(make, lambda level: _chapter_styles(library.language, level, run_on))


@lru_cache(maxsize=16)
def _chapter_styles(language: str, level: int, run_on: bool) -> Styles:
    styles = make_styles(language, level=level)
    if not run_on:
        return styles
    gap = {"spaceBefore": RUN_ON_GAP}
    return replace(
        styles,
        title=ParagraphStyle("title-run-on", parent=styles.title, **gap),
        category=ParagraphStyle("category-run-on", parent=styles.category, **gap),
    )


def linked_similar_row(library: Library, styles: Styles, numbers: PageNumbers) -> SimilarRow:
    template = library.labels()("handbook.see_page", page="{page}")

    def row(other: Technique) -> Flowable:
        return PageRefRow(
            other.title, styles.ref, numbers, technique_key(other), template=template, number_width=70, bullet=SEE_ALSO
        )

    return row


@lru_cache(maxsize=4)
def cites_sources(library: Library) -> bool:
    """Whether any technique cites a source (the handbook then ends with them): cited_sources
    without sorting them."""
    return any(source.strip() for technique in library.ordered_techniques() for source in technique.sources)


def cited_sources(library: Library) -> list[tuple[str, list[Technique]]]:
    """Each distinct source once (by collation), with the techniques citing it in handbook order."""
    citing: dict[str, list[Technique]] = {}
    for technique in library.ordered_techniques():
        for source in dict.fromkeys(s.strip() for s in technique.sources if s.strip()):
            citing.setdefault(source, []).append(technique)
    by_text = collation_key(library.language)
    return sorted(citing.items(), key=lambda pair: by_text(pair[0]))


def sources(library: Library, labels: Labels, styles: Styles, numbers: PageNumbers) -> list[Flowable]:
    """Every source once, hanging indent, with the techniques that cite it and their pages (in
    smaller type than the source, which is what the page is for), a line's space between two."""
    flowables: list[Flowable] = []
    source = styles.source
    cited = ParagraphStyle("cited_source", parent=source, spaceBefore=source.leading * 0.6)
    # The citing techniques line up under the source's hanging indent (at the right in a
    # right-to-left library), a point smaller and grey: the source is what the page is for.
    if is_rtl_style(source):
        indents = {"leftIndent": 0.0, "rightIndent": source.rightIndent - source.firstLineIndent}
    else:
        indents = {"leftIndent": source.leftIndent, "rightIndent": source.rightIndent}
    small = {"fontSize": source.fontSize - 1, "leading": source.leading - 1.5, "textColor": MUTED}
    citing = ParagraphStyle("citing", parent=styles.index_entry, **indents, **small)
    path: tuple[Container, ...] = ((SOURCES_KEY, "Sect"),)
    for number, (text, techniques) in enumerate(cited_sources(library)):
        # Each source is an item of the list of sources, with the list of its citing chapters.
        item = (*path, ("sources-list", "L"), (f"source-{number}", "LI"), (f"source-{number}-body", "LBody"))
        rows = [
            link_row(_leader_row(t.title, citing, numbers, technique_key(t)), list_path(item, f"citing-{number}"))
            for t in techniques
        ]
        source = with_tag(Para(para_text(text), cited), "P", item)
        flowables += [KeepWithNext(source, rows[0]), *rows[1:]]
    heading = with_tag(part_heading(labels("handbook.sources"), SOURCES_KEY, styles), "H1", path)
    return [KeepWithNext(heading, flowables[0]), *flowables[1:]]


def outline(library: Library, labels: Labels) -> list[OutlineEntry]:
    """The bookmarks: front matter, every category with all its techniques, back matter."""
    entries: list[OutlineEntry] = [
        (labels("handbook.cover"), COVER_KEY, 0),
        (labels("handbook.contents"), CONTENTS_KEY, 0),
        (labels("handbook.quick_reference"), QUICK_REFERENCE_KEY, 0),
    ]
    destinations = category_destinations(library)
    for position, (category, members) in enumerate(listings(library)):
        entries.append((category.name, destinations[category.name], 0))
        entries += [(t.title, listing_key(t, position), 1) for t in members]
    if has_situations(library):
        entries.append((labels("handbook.situations"), SITUATIONS_KEY, 0))
    if cites_sources(library):
        entries.append((labels("handbook.sources"), SOURCES_KEY, 0))
    return entries
