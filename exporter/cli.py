"""The `exporter` command line: thin Click commands over the build and the importer.

Each command parses its options and calls one function; the build, ReportLab and the deck code
are imported inside the commands, so `exporter --help` stays fast. The outputs' commands come
from the one table of writers (exporter.writers.WRITERS).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from exporter import __version__
from exporter.labels import bundled_languages
from exporter.options import CARD_SIZES, DUPLEX_MODES, PAPERS
from exporter.writers import WRITERS, full_build

F = Callable[..., Any]

CONTENT_HELP = "Folder with library.yaml and techniques/."
OUT_HELP = "Folder the outputs are written to."


#: A printer further off than this needs fixing, not an offset (and nan, inf or 1e308 is a typo).
MAX_BACK_OFFSET_MM = 20.0


def _back_offset(ctx: click.Context, param: click.Parameter, value: tuple[float, float]) -> tuple[float, float]:
    if not all(math.isfinite(v) and abs(v) <= MAX_BACK_OFFSET_MM for v in value):
        shown = " ".join(f"{v:g}" for v in value)
        raise click.BadParameter(
            f"{shown}: each offset must be a number of millimetres between -{MAX_BACK_OFFSET_MM:g} and "
            f"{MAX_BACK_OFFSET_MM:g} (print the calibration sheet with --calibration to measure it)",
            ctx,
            param,
        )
    return value


def _out_folder(ctx: click.Context, param: click.Parameter, value: str) -> Path:
    """Refuse an --out that can only be a mistake, before anything is read or written."""
    if not value.strip():
        raise click.BadParameter("is empty (an unset variable?); name the folder, e.g. --out output", ctx, param)
    out_dir = Path(value)
    if out_dir.exists() and not out_dir.is_dir():
        raise click.BadParameter(f"{out_dir}: --out must be a folder, but a file has that name", ctx, param)
    return out_dir


def content_option(function: F) -> F:
    return click.option(
        "--content",
        "content_dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=Path("content"),
        show_default=True,
        help=CONTENT_HELP,
    )(function)


def output_options(function: F) -> F:
    """Options shared by every command that writes outputs."""
    options: list[Callable[[Any], Any]] = [
        click.option(
            "--out",
            "out_dir",
            type=click.Path(),
            default="output",
            show_default=True,
            help=OUT_HELP,
            callback=_out_folder,
        ),
        click.option(
            "--technique", "technique_ids", multiple=True, metavar="ID", help="Only this technique (repeatable)."
        ),
        click.option(
            "--category",
            "category_names",
            multiple=True,
            metavar="NAME",
            help="Only techniques in this category (repeatable).",
        ),
        click.option(
            "--paper",
            type=click.Choice(list(PAPERS), case_sensitive=False),
            help="Paper size (default: library.yaml, else a4).",
        ),
        click.option(
            "--card-size",
            type=click.Choice(list(CARD_SIZES), case_sensitive=False),
            help="Pocket card size (default: library.yaml, else a7).",
        ),
        click.option(
            "--duplex",
            type=click.Choice(list(DUPLEX_MODES), case_sensitive=False),
            help="How card backs are printed (default: library.yaml, else long-edge).",
        ),
        click.option(
            "--back-offset",
            nargs=2,
            type=float,
            default=(0.0, 0.0),
            metavar="X_MM Y_MM",
            callback=_back_offset,
            help="Shift card backs by this much (mm) for printers that misalign duplex pages.",
        ),
        click.option("--calibration", is_flag=True, help="Add a duplex calibration sheet to the pocket cards."),
        click.option(
            "--booklet",
            is_flag=True,
            help="Courses: packs and handouts as folded booklets (A5 on A4, half-letter on Letter).",
        ),
        click.option("--strict", is_flag=True, help="Treat content warnings as errors."),
        click.option("--quiet", "-q", is_flag=True, help="Print only problems."),
        click.option(
            "--jobs",
            "-j",
            type=click.IntRange(1, 64),
            default=None,
            help=(
                "Worker processes: outputs (and the handouts of a large library) built at the same time"
                " (default: one per core; 1: one by one)."
            ),
        ),
        content_option,
    ]
    for option in reversed(options):
        function = option(function)
    return function


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="exporter", message="%(prog)s %(version)s")
def main() -> None:
    """Turn a library of psychotherapy techniques into a PDF handbook, pocket cards,
    an Anki deck and per-technique handouts."""


@main.command()
@content_option
@click.option("--strict", is_flag=True, help="Treat warnings (no source, no warnings section) as errors.")
def validate(content_dir: Path, strict: bool) -> None:
    """Check the content and report every problem as path:line: field: message."""
    from exporter.build.pipeline import validate_content

    validate_content(content_dir, strict)


@main.command(name="list")
@content_option
def list_techniques(content_dir: Path) -> None:
    """List the techniques with their categories and counts."""
    from exporter.build.pipeline import list_content

    list_content(content_dir)


def _regular_pages(ctx: click.Context, param: click.Parameter, pages: tuple[Path, ...]) -> tuple[Path, ...]:
    """Refuse a device, a named pipe or a socket before anything reads it (/dev/zero never ends,
    a pipe waits forever for a writer)."""
    for page in pages:
        if not (page.is_file() or page.is_dir()):
            raise click.BadParameter(
                f"{page}: not a file or a folder (a device, a named pipe or a socket); name a text file or a folder",
                ctx=ctx,
                param=param,
            )
    return pages


@main.command(name="import")
@click.argument("pages", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True), callback=_regular_pages)
@click.option(
    "--content",
    "--into",
    "into_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("content"),
    show_default=True,
    help="Content folder to write into (--into is the older name).",
)
@click.option("--force", is_flag=True, help="Overwrite existing technique files (a .bak copy is kept).")
@click.option(
    "--language",
    type=click.Choice(bundled_languages(), case_sensitive=False),
    default=None,
    help="The pages' language (default: found from their headings).",
)
def import_pages(pages: tuple[Path, ...], into_dir: Path, force: bool, language: str | None) -> None:
    """Turn catalogue pages (text files, or folders of them) into technique YAML files."""
    from exporter.importer import run_import

    run_import(list(pages), into_dir, force, language.lower() if language else None)


@main.command()
@click.argument("folder", required=False, type=click.Path(path_type=Path, file_okay=False), default=Path("content"))
@click.option(
    "--language",
    type=click.Choice(bundled_languages(), case_sensitive=False),
    default="en",
    show_default=True,
    help="The library's language: the words exporter adds follow it.",
)
def init(folder: Path, language: str) -> None:
    """Start a library in FOLDER (default: content): library.yaml and one example technique."""
    from exporter.starter import init_library

    init_library(folder, language.lower())


@main.command()
@click.argument("title")
@content_option
@click.option("--category", default=None, metavar="NAME", help="Its category (default: the library's first).")
def new(title: str, content_dir: Path, category: str | None) -> None:
    """Add a technique called TITLE, from a commented template that already passes validate."""
    from exporter.starter import new_technique

    new_technique(content_dir, title, category)


@main.command()
@output_options
@click.option(
    "--only",
    default=",".join(full_build()),
    show_default=True,
    help=f"Comma-separated outputs to build (of {', '.join(WRITERS)}).",
)
def build(only: str, **kwargs: Any) -> None:
    """Build every output (or those named by --only) from one load of the content."""
    from exporter.build.pipeline import parse_only, run_build

    run_build(parse_only(only), **kwargs)


@main.command()
@content_option
@click.option(
    "--out", "out_dir", type=click.Path(), default="output", show_default=True, help=OUT_HELP, callback=_out_folder
)
@click.option(
    "--only",
    default=",".join(full_build()),
    show_default=True,
    help=f"Comma-separated outputs to build (of {', '.join(WRITERS)}).",
)
@click.option("--strict", is_flag=True, help="Treat content warnings as errors.")
def watch(content_dir: Path, out_dir: Path, only: str, strict: bool) -> None:
    """Build, then build again each time a content file is saved (Ctrl-C stops)."""
    from exporter.build.pipeline import parse_only, run_build
    from exporter.build.record import state_files
    from exporter.build.watch import watch as watch_content
    from exporter.writers import import_writers

    names = parse_only(only)
    import_writers(names)  # once here, not in every worker of every build
    watch_content(
        content_dir,
        out_dir,
        lambda: run_build(names, content_dir, out_dir, strict=strict, quiet=True),
        state_files(),
    )


@main.command()
@click.argument("course_id", metavar="ID")
@content_option
@click.option(
    "--out", "out_dir", type=click.Path(), default="output", show_default=True,
    help="Folder the course goes into, as <out>/courses/ID/.", callback=_out_folder,
)  # fmt: skip
@click.option(
    "--booklet", is_flag=True, help="Packs and handouts as folded booklets (A5 on A4, half-letter on Letter)."
)
@click.option(
    "--paper",
    type=click.Choice(list(PAPERS), case_sensitive=False),
    help="Paper size (default: library.yaml, else a4).",
)
@click.option("--strict", is_flag=True, help="Treat content warnings as errors.")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems.")
def course(course_id: str, **kwargs: Any) -> None:
    """Build the course content/courses/ID.yaml: packs, handouts, cards, deck, trainees' copies."""
    from exporter.build.pipeline import run_build

    run_build(["courses"], course_ids=(course_id,), **kwargs)


def _single_output_command(name: str, summary: str) -> None:
    @output_options
    def command(**kwargs: Any) -> None:
        from exporter.build.pipeline import run_build

        run_build([name], **kwargs)

    command.__doc__ = summary
    main.command(name=name)(command)


for _name, _spec in WRITERS.items():
    _single_output_command(_name, _spec.help)
