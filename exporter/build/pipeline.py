"""What the commands do: load and check the content once, then hand it to the writers."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from exporter.build.record import (
    NEVER_SKIPPED,
    RECORD_FILE,
    BuildRecord,
    cache_salt,
    content_digests,
    without_state,
)
from exporter.content.read_cache import fill_memos, keep_memos
from exporter.content.techniques import read_library
from exporter.errors import ContentError, ExporterError, Problem
from exporter.files.atomic import build_journal, prepare_out_dir, remove_output
from exporter.files.journal import recover
from exporter.files.lock import STATE_BUSY, build_lock
from exporter.files.signals import stop_signals_raise
from exporter.messages import counted, did_you_mean
from exporter.model import PHRASE_FIELDS, Library
from exporter.options import BuildOptions, release_time
from exporter.writers import WRITERS, WriteResult

if TYPE_CHECKING:
    from exporter.build.workers import Written


def print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


def load_checked(content_dir: Path, strict: bool, pdf: bool, learning: bool = False) -> tuple[Library, list[Problem]]:
    """The validated library; with pdf, every character is also checked against the fonts."""
    library, warnings = read_library(content_dir, strict, learning)
    if pdf:
        from exporter.pdf.glyphs.fonts import check_glyphs

        glyph_problems = check_glyphs(library)
        if glyph_problems:
            raise ContentError(glyph_problems + warnings)
    return library, warnings


def check_source_date_epoch() -> None:
    """Refuse a SOURCE_DATE_EPOCH no writer can use, once, before any writer runs: it must be a
    time the PDF writers and Anki can store (ReportLab reads the variable itself and formats it
    as a date), from the start of every deck (2026) to ten years before the end of the year 9999."""
    release_time()


def validate_content(content_dir: Path, strict: bool) -> None:
    """Everything a build would refuse, without writing anything: the content, the fonts'
    coverage, the learning lint, SOURCE_DATE_EPOCH and the writers' state files."""
    check_source_date_epoch()
    library, warnings = load_checked(content_dir, strict, pdf=True, learning=True)
    check_state_files(library, content_dir)
    check_cards_fit(library, content_dir)
    print_problems(warnings)
    click.echo(f"OK: {counted(len(library.techniques), 'technique')}, {counted(len(warnings), 'warning')}.")


def check_cards_fit(library: Library, content_dir: Path) -> None:
    """A text too long for any pocket card of the library's card size: the cards build would stop."""
    from exporter.writers.cards.plan import texts_too_long_for_a_card

    options = resolve_options(library, content_dir, None, None, None, (0.0, 0.0), False)
    problems = texts_too_long_for_a_card(library, options)
    if problems:
        raise ContentError(problems)


def check_state_files(library: Library, content_dir: Path) -> None:
    """A writer's state file that its next build would refuse (damaged, or another library's)."""
    from exporter.writers.deck.continuity import check_state_file
    from exporter.writers.deck.state import state_path

    check_state_file(state_path(content_dir), library)


def list_content(content_dir: Path) -> None:
    library, _ = read_library(content_dir)
    for technique in library.ordered_techniques():
        phrases = sum(len(technique.items(name)) for name in PHRASE_FIELDS)
        click.echo(
            f"{technique.id}\t{technique.title}\t{', '.join(technique.categories)}\t"
            f"{len(technique.steps)} steps, {phrases} phrases, {len(technique.warnings)} warnings"
        )


def parse_only(only: str) -> list[str]:
    names = [name.strip().lower() for name in only.split(",") if name.strip()]
    unknown = [name for name in names if name not in WRITERS]
    if unknown or not names:
        raise click.BadParameter(
            f"unknown output {', '.join(unknown) or '(none)'}; choose from {', '.join(WRITERS)}",
            param_hint="--only",
        )
    return [name for name in WRITERS if name in names]


def resolve_options(
    library: Library,
    content_dir: Path,
    paper: str | None,
    card_size: str | None,
    duplex: str | None,
    back_offset: tuple[float, float],
    calibration: bool,
) -> BuildOptions:
    return BuildOptions(
        paper=(paper or library.settings.paper).lower(),
        card_size=(card_size or library.settings.card_size).lower(),
        duplex=(duplex or library.settings.duplex).lower(),
        back_offset_mm=(float(back_offset[0]), float(back_offset[1])),
        calibration=calibration,
        state_dir=content_dir,
    )


def run_build(
    names: list[str],
    content_dir: Path,
    out_dir: Path,
    technique_ids: tuple[str, ...] = (),
    category_names: tuple[str, ...] = (),
    paper: str | None = None,
    card_size: str | None = None,
    duplex: str | None = None,
    back_offset: tuple[float, float] = (0.0, 0.0),
    calibration: bool = False,
    strict: bool = False,
    quiet: bool = False,
    jobs: int | None = None,
    booklet: bool = False,
    course_ids: tuple[str, ...] = (),
) -> list[WriteResult]:
    """Load and check everything, then run the writers (in parallel processes unless jobs is 1).

    Nothing is written before the whole library has passed validation and the glyph check.
    """
    started = time.perf_counter()
    check_source_date_epoch()
    arguments = _output_arguments(content_dir, paper, card_size, duplex, back_offset, calibration, booklet, course_ids)
    # A part of the library or a course is built whole, and leaves the full build's record alone.
    incremental = not (technique_ids or category_names) and not any(n in NEVER_SKIPPED for n in names)
    before: dict[str, str] = {}
    if incremental:
        # Taken before the content is read: an edit saved from here on is not taken as built.
        before = content_digests(content_dir) if content_dir.is_dir() else {}
        unchanged = _all_unchanged(names, before, out_dir, arguments, strict)
        if unchanged is not None:
            if not quiet:
                _print_unchanged(unchanged, time.perf_counter() - started)
            return unchanged
        fill_memos(out_dir, cache_salt())
    library, warnings = load_checked(
        content_dir,
        strict,
        pdf=any(WRITERS[n].draws_text for n in names),
        learning=any(WRITERS[n].makes_flash_cards for n in names),
    )
    if booklet and "courses" not in names:
        raise click.BadParameter(
            "only course packs and handouts are made as booklets; add --only courses or use `exporter course ID`",
            param_hint="--booklet",
        )
    if "courses" in names and (technique_ids or category_names):
        raise click.BadParameter(
            "a course chooses its own techniques; build it without --technique/--category", param_hint="--technique"
        )
    _check_courses(library, course_ids)
    library = _select(library, technique_ids, category_names)
    if technique_ids or category_names:
        _refuse_replacing_the_full_outputs(out_dir)
    options = resolve_options(library, content_dir, paper, card_size, duplex, back_offset, calibration)
    options = replace(
        options,
        partial=bool(technique_ids or category_names),
        booklet=booklet,
        courses=tuple(course_ids),
        cache_salt=cache_salt() if incremental else "",
    )
    prepare_out_dir(out_dir)
    print_problems(warnings)
    import exporter.build.workers  # noqa: F401  (imported before the locks: less time in which a kill -9 leaves them)

    # A writer's state file in the content folder is shared by builds into other folders.
    keeps_state = any(WRITERS[n].state_file for n in names)
    shares_state = keeps_state and content_dir.resolve() != out_dir.resolve()
    state_lock = build_lock(content_dir, STATE_BUSY) if shares_state else contextlib.nullcontext()
    with stop_signals_raise(), build_lock(out_dir), state_lock:
        _recover_interrupted_build(out_dir)
        record = BuildRecord(out_dir) if incremental else None
        skipped = [r for n in names if record and (r := _unchanged_result(record, n, before, arguments, out_dir))]
        to_write = [n for n in names if n not in {r.name for r in skipped}]
        written = _write_outputs(to_write, library, out_dir, options, jobs, quiet) if to_write else []
        if record is not None:
            after = content_digests(content_dir)
            if without_state(after) == without_state(before):  # else an edit came in while building
                record.remember([w.result for w in written], after, arguments, [str(p) for p in warnings])
    results = sorted([*skipped, *(w.result for w in written)], key=lambda r: names.index(r.name))
    try:
        if not quiet:
            _print_unchanged(skipped, None)
            print_summary(written, len(library.techniques), len(warnings), time.perf_counter() - started)
        else:
            _print_writer_warnings(results)
    except BrokenPipeError:  # `exporter build | head -1`: the reader left, the outputs are all written
        _silence_stdout()
    except KeyboardInterrupt:  # a stop after the commit: nothing is undone, so say so, and say it is done
        click.echo("Stopped while printing the summary; the build had finished: every output is new.", err=True)
    return results


def _output_arguments(
    content_dir: Path,
    paper: str | None,
    card_size: str | None,
    duplex: str | None,
    back_offset: tuple[float, float],
    calibration: bool,
    booklet: bool,
    course_ids: tuple[str, ...],
) -> dict[str, object]:
    """The command line's choices that decide the outputs' bytes (library.yaml's are content)."""
    return {
        "content": str(content_dir.resolve()),
        "paper": paper and paper.lower(),
        "card_size": card_size and card_size.lower(),
        "duplex": duplex and duplex.lower(),
        "back_offset": [float(v) for v in back_offset],
        "calibration": calibration,
        "booklet": booklet,
        "courses": list(course_ids),
    }


def _unchanged_result(
    record: BuildRecord, name: str, digests: dict[str, str], arguments: dict[str, object], out_dir: Path
) -> WriteResult | None:
    recorded = record.fresh(name, digests, arguments)
    if recorded is None:
        return None
    paths = tuple(sorted(out_dir / relative for relative in recorded.files))
    return WriteResult(
        name=name, paths=paths, summary=recorded.summary, warnings=tuple(recorded.warnings), unchanged=True
    )


def _all_unchanged(
    names: list[str], digests: dict[str, str], out_dir: Path, arguments: dict[str, object], strict: bool
) -> list[WriteResult] | None:
    """Every output named, from the build record, if none of them would change; else None.

    Decided before the content is even read: a build with nothing to do takes a fraction of a
    second. The content's warnings of the build that made the outputs are printed again."""
    if not (out_dir / RECORD_FILE).is_file() or not digests:
        return None
    with build_lock(out_dir):
        _recover_interrupted_build(out_dir)
        record = BuildRecord(out_dir)
        if strict and record.warnings:
            return None  # the build itself says why it stops
        results = [_unchanged_result(record, name, digests, arguments, out_dir) for name in names]
    if any(result is None for result in results):
        return None
    for line in record.warnings:
        click.echo(line, err=True)
    unchanged = [result for result in results if result is not None]
    _print_writer_warnings(unchanged)
    return unchanged


def _print_unchanged(results: list[WriteResult], seconds: float | None) -> None:
    """One line per output taken from the build record; with seconds, the closing line too."""
    for result in results:
        # The recorded summary may tell what that build changed (moved cards): not repeated here.
        click.echo(f"  {result.name}  {_describe_paths(result.paths)}  unchanged")
    if seconds is not None:
        click.echo(
            f"Nothing changed since the last build: {counted(len(results), 'output')} up to date ({seconds:.1f} s)."
        )


def _write_outputs(
    names: list[str], library: Library, out_dir: Path, options: BuildOptions, jobs: int | None, quiet: bool
) -> list[Written]:
    """Run the writers as one transaction: if any fails or the build is stopped, every output
    (and the deck state) gets its previous bytes back; outputs no longer produced are removed."""
    from exporter.build.status_line import StatusLine, Ticker
    from exporter.build.workers import default_jobs, run_writers, worth_dividing

    jobs = (jobs or default_jobs(names, library)) if worth_dividing(names, library) else 1
    status = StatusLine(len(names), enabled=not quiet and _stderr_is_terminal())
    with build_journal(out_dir):
        try:
            if jobs > 1:
                written = run_writers(names, library, out_dir, options, jobs, status)
            else:
                with Ticker(status):
                    written = run_writers(names, library, out_dir, options, 1, status)
        finally:
            with contextlib.suppress(OSError):  # a closed terminal
                status.clear()
        if not options.partial:
            remove_stale_outputs(out_dir, [w.result for w in written])
        if options.cache_salt:
            keep_memos(out_dir, options.cache_salt)
    return written


def remove_stale_outputs(out_dir: Path, results: list[WriteResult]) -> list[Path]:
    """Delete what an earlier build wrote into a writer's own folder that this build did not
    (the handout of a removed technique), as part of the build: a rollback puts it back."""
    removed: list[Path] = []
    for result in results:
        folders = {path.parent for path in result.paths}
        if len(folders) != 1 or (folder := folders.pop()) == out_dir or folder.parent != out_dir:
            continue  # only a subfolder of --out that holds nothing but this writer's files
        if folder.is_symlink() or not folder.resolve().is_relative_to(out_dir.resolve()):
            continue  # a link to a folder elsewhere: its files are not this build's to delete
        produced = {path.name for path in result.paths}
        suffixes = {path.suffix for path in result.paths}
        for path in sorted(folder.iterdir()):
            earlier = path.suffix in suffixes and not path.name.startswith(".") and path.name not in produced
            if earlier and path.is_file():
                remove_output(path)
                removed.append(path)
    return removed


def _recover_interrupted_build(out_dir: Path) -> None:
    restored, failed = recover(out_dir)
    if failed:
        raise ExporterError(
            f"{out_dir}: a build that was stopped left files that cannot be put back: {'; '.join(failed)}"
        )
    if restored:
        click.echo(
            "Put back the previous outputs of a build that was stopped before it finished"
            f" ({counted(restored, 'file')}).",
            err=True,
        )


def print_summary(written: list[Written], technique_count: int, content_warnings: int, seconds: float) -> None:
    """What was written and how much of it, warnings, and the time taken."""
    results = [w.result for w in written]
    name_width = max((len(r.name) for r in results), default=0)
    paths = [_describe_paths(r.paths) for r in results]
    path_width = max((len(p) for p in paths), default=0)
    for entry, path in zip(written, paths, strict=True):
        name = entry.result.name.ljust(name_width)
        click.echo(f"  {name}  {path.ljust(path_width)}  {entry.seconds:5.1f} s  {entry.result.summary}")
    for result in results:
        for notice in result.notices:
            click.echo(f"{result.name}: {notice}")
    _print_writer_warnings(results)
    warning_count = content_warnings + sum(len(r.all_warnings) for r in results)
    click.echo(
        f"Built {counted(len(results), 'output')} from {counted(technique_count, 'technique')} in {seconds:.1f} s"
        + (f", {counted(warning_count, 'warning')}." if warning_count else ".")
    )


def _print_writer_warnings(results: list[WriteResult]) -> None:
    for result in results:
        for warning in result.all_warnings:
            click.echo(f"{result.name}: warning: {warning}", err=True)


def _describe_paths(paths: tuple[Path, ...]) -> str:
    if len(paths) == 1:
        return str(paths[0])
    folders = {p.parent for p in paths}
    if len(folders) == 1:
        return f"{folders.pop()}/ ({counted(len(paths), 'file')})"
    return counted(len(paths), "file")


def _silence_stdout() -> None:
    """Send what is left of the output to nowhere (Python would complain on exit otherwise)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            os.dup2(devnull, stream.fileno())
    os.close(devnull)


def _stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


#: Where the full outputs go unless --out says otherwise: a part of the library never replaces them.
FULL_OUTPUT_FOLDER = Path("output")


def _refuse_replacing_the_full_outputs(out_dir: Path) -> None:
    if out_dir.resolve() == FULL_OUTPUT_FOLDER.resolve():
        raise click.BadParameter(
            f"a build of part of the library would replace the full outputs in {out_dir}/; give it a folder "
            f"of its own, for example --out {FULL_OUTPUT_FOLDER}/my-course",
            param_hint="--out",
        )


def _check_courses(library: Library, course_ids: tuple[str, ...]) -> None:
    known = [course.id for course in library.courses]
    for course_id in course_ids:
        if course_id not in known:
            listed = f"; the courses are: {', '.join(known)}" if known else "; content/courses/ has no course yet"
            raise click.BadParameter(
                f"{course_id!r} is not a course{did_you_mean(course_id, known)}{listed}", param_hint="ID"
            )


def _select(library: Library, technique_ids: tuple[str, ...], category_names: tuple[str, ...]) -> Library:
    known_ids = [t.id for t in library.techniques]
    known_categories = [c.name for c in library.categories]
    for wanted, known, option in (
        (technique_ids, known_ids, "--technique"),
        (category_names, known_categories, "--category"),
    ):
        for name in wanted:
            if name not in known:
                raise click.BadParameter(
                    f"{name!r} is not in the library{did_you_mean(name, known)} (see `exporter list`)",
                    param_hint=option,
                )
    subset = library.subset(set(technique_ids) or None, set(category_names) or None)
    if not subset.techniques:
        raise ExporterError("no technique matches --technique/--category")
    return subset
