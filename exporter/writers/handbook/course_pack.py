"""A course pack: the handbook's pages for one session of a course (or the whole course).

Cover (course, session, date, trainer, group), contents with page numbers, then the chapters in
the order the sessions teach them, each session opening with its heading: the handbook's
chapter, styles and page planning, so a pack reads like the handbook it comes from.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path

from reportlab.platypus import Flowable

from exporter.labels import Labels
from exporter.model import Course, Library, Session, Technique
from exporter.pdf.glyphs.fonts import para_text
from exporter.pdf.pages.chapter import LevelledBuilder, chapter_flowables, technique_key
from exporter.pdf.pages.document import OnePassDocument, OutlineEntry
from exporter.pdf.pages.fitting import PartLayout
from exporter.pdf.pages.flowables import Anchor, KeepWithNext, PageRefRow, Para
from exporter.pdf.pages.groups import RowGroup
from exporter.pdf.pages.pagerefs import PageNumbers
from exporter.pdf.pages.styles import HANDBOOK_LEVELS, LEADER, Styles, make_styles
from exporter.pdf.pages.subsets import library_seed
from exporter.pdf.tagging.marking import link_row, list_path, with_tag
from exporter.pdf.tagging.structure import Container
from exporter.writers.handbook import (
    CONTENTS_KEY,
    CONTENTS_PATH,
    COVER_KEY,
    cover_page,
    cover_title_style,
    linked_similar_row,
    part_heading,
)


def session_label(labels: Labels, number: int, session: Session) -> str:
    return labels("courses.session", number=number, title=session.title)


def session_key(number: int) -> str:
    return f"session-{number}"


def long_date(iso_date: str, language: str) -> str:
    """A session's date as the library's language writes it ("2 March 2026"); ISO if unknown."""
    from babel.core import UnknownLocaleError
    from babel.dates import format_date

    try:
        return str(format_date(datetime.date.fromisoformat(iso_date), format="long", locale=language))
    except (UnknownLocaleError, ValueError):
        return iso_date


def pack_sessions(course: Course, session_index: int | None) -> list[tuple[int, Session]]:
    """(number, session) of what a pack holds: one session, or all of them (None)."""
    numbered = list(enumerate(course.sessions, start=1))
    return numbered if session_index is None else [numbered[session_index]]


def build_course_pack(library: Library, course: Course, session_index: int | None, target: Path, paper: str) -> int:
    """Write the pack of one session (or of the whole course: None) to target; return its page count."""
    sessions = pack_sessions(course, session_index)
    chosen = {technique_id for _, session in sessions for technique_id in session.techniques}
    library = library.subset(chosen, None)
    labels = library.labels()
    styles = make_styles(library.language)
    heading = session_label(labels, *sessions[0]) if session_index is not None else labels("courses.whole_course")
    document = OnePassDocument(
        target,
        library,
        paper,
        styles,
        title=f"{course.title} — {heading}",
        subject=labels("courses.subject", course=course.title),
        header_right=course.title,
        outline=True,
        cover_page=True,
        page_of=labels("handbook.page_of", page="{page}", total="{total}"),
        seed=library_seed(library, _pack_texts(library, course, sessions)),
    )
    layout = PartLayout(document.pager(), float(styles.body.leading))
    width, height = float(document.width), float(document.height)
    layout.extend(pack_cover(library, course, sessions, heading, styles, width, height))
    numbers = document.numbers
    layout.part(lambda level: pack_contents(library, sessions, labels, styles, numbers))
    for number, session in sessions:
        for position, technique_id in enumerate(session.techniques):
            opens = session_label(labels, number, session) if position == 0 else None
            layout.new_page()
            build = _chapter_builder(library, library.technique(technique_id), opens, number, numbers)
            layout.part(build, False, HANDBOOK_LEVELS)
    document.outline_entries = pack_outline(library, sessions, labels)
    return document.build_once(layout)


def _pack_texts(library: Library, course: Course, sessions: list[tuple[int, Session]]) -> list[str]:
    """What a pack prints besides the library's texts: the course's, its sessions' headings
    (in capitals where a session opens) and dates."""
    labels = library.labels()
    headings = [session_label(labels, number, session) for number, session in sessions]
    dates = [long_date(session.date, library.language) for _, session in sessions if session.date]
    texts = [text for _, text in course.texts()] + headings + [heading.upper() for heading in headings]
    return [*texts, *dates, pack_dates(library, sessions)]


def pack_dates(library: Library, sessions: list[tuple[int, Session]]) -> str:
    """When the pack's sessions take place: the first and last date ("" when none has one)."""
    dates = [session.date for _, session in sessions if session.date]
    return " – ".join(dict.fromkeys(long_date(d, library.language) for d in (dates[0], dates[-1]))) if dates else ""


def pack_cover(
    library: Library,
    course: Course,
    sessions: list[tuple[int, Session]],
    heading: str,
    styles: Styles,
    width: float,
    height: float,
) -> list[Flowable]:
    """The course's title, the session (or "the whole course"), its date, the trainer and the
    group, the library it comes from; the disclaimer at the foot."""
    labels = library.labels()
    title = Anchor(para_text(course.title), cover_title_style(course.title, styles, width), key=COVER_KEY)
    when = pack_dates(library, sessions)
    count = labels("courses.session_count", count=len(sessions)) if len(sessions) > 1 else ""
    lines = [
        (heading, styles.cover_subtitle),
        (when, styles.cover_line),
        (count, styles.cover_line),
        (labels("courses.trainer", name=course.trainer), styles.cover_line),
        (labels("courses.group", name=course.group), styles.cover_line),
        (library.title, styles.cover_line),
    ]
    return cover_page(title, lines, library, styles, width, height)


def pack_contents(
    library: Library, sessions: list[tuple[int, Session]], labels: Labels, styles: Styles, numbers: PageNumbers
) -> list[Flowable]:
    """One linked row per session and one per technique under it, with their page numbers."""
    heading = part_heading(labels("handbook.contents"), CONTENTS_KEY, styles)
    flowables: list[Flowable] = [with_tag(heading, "H1", CONTENTS_PATH)]
    rows = list_path(CONTENTS_PATH, "contents-rows")
    for number, session in sessions:
        label = session_label(labels, number, session)
        row = link_row(PageRefRow(label, styles.toc_category, numbers, session_key(number)), rows)
        entries: list[Flowable] = [
            link_row(
                PageRefRow(
                    library.technique(technique_id).title,
                    styles.toc_entry,
                    numbers,
                    technique_key(library.technique(technique_id)),
                    number_width=30,
                    leaders=True,
                    leader_colour=LEADER,
                ),
                rows,
            )  # fmt: skip
            for technique_id in session.techniques
        ]
        continued = with_tag(Para(para_text(labels("handbook.continued", section=label)), styles.toc_category),
                             "Artifact")  # fmt: skip
        flowables.append(RowGroup(row, entries, continued, min_rows=3))
    flowables[0:2] = [KeepWithNext(flowables[0], flowables[1])]
    return flowables


def _chapter_builder(
    library: Library, technique: Technique, opens: str | None, number: int, numbers: PageNumbers
) -> Callable[[int], list[Flowable]]:
    def make(styles: Styles) -> list[Flowable]:
        part: tuple[Container, ...] = ((session_key(number), "Part"),)
        similar = linked_similar_row(library, styles, numbers)
        flowables = chapter_flowables(technique, library, styles, similar, True, path=part, level=2)
        if opens is not None:
            anchor = Anchor(para_text(opens.upper()), styles.category, key=session_key(number))
            flowables[0] = KeepWithNext(with_tag(anchor, "H1", part), flowables[0])
        return flowables

    return LevelledBuilder(make, lambda level: make_styles(library.language, level=level))


def pack_outline(library: Library, sessions: list[tuple[int, Session]], labels: Labels) -> list[OutlineEntry]:
    entries: list[OutlineEntry] = [
        (labels("handbook.cover"), COVER_KEY, 0),
        (labels("handbook.contents"), CONTENTS_KEY, 0),
    ]
    for number, session in sessions:
        entries.append((session_label(labels, number, session), session_key(number), 0))
        entries += [(library.technique(t).title, technique_key(library.technique(t)), 1) for t in session.techniques]
    return entries
