"""`exporter import`: every page read and checked first, then library.yaml and the technique files
written, one line per page and every problem as path:line: field: message."""

from __future__ import annotations

import contextlib
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
import yaml

from exporter.content.yaml_nodes import parse_yaml
from exporter.errors import ExporterError, Problem, describe_os_error, errors_only
from exporter.files.atomic import rewrite_user_file, write_bytes_atomic
from exporter.files.lock import IMPORT_BUSY, IMPORT_WAIT_SECONDS, build_lock
from exporter.importer.edit.library_file import (
    LibraryPlan,
    PageAdditions,
    declared_categories,
    library_page_words,
    plan_library,
)
from exporter.importer.edit.merge import Kept, merged
from exporter.importer.edit.targets import Target, TargetLibrary, existing_techniques, scalar_text, technique_data
from exporter.importer.edit.yaml_text import to_yaml
from exporter.importer.parse.headings import PageLanguage, page_languages
from exporter.importer.parse.page import ParsedPage, import_page
from exporter.messages import counted
from exporter.writers.deck.state import start_state

#: Folders given on the command line contribute the files with these endings.
PAGE_SUFFIXES = (".txt", ".text")


def collect_pages(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """The page files named on the command line; a folder contributes its .txt files."""
    pages: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in PAGE_SUFFIXES and not p.name.startswith(".")
            )
            if not found:
                problems.append(Problem(path.as_posix(), 0, "page", "no .txt pages in this folder"))
            pages += found
        else:
            pages.append(path)
    unique: dict[Path, Path] = {}
    for page in pages:
        unique.setdefault(page.resolve(), page)
    return list(unique.values()), problems


@dataclass
class _Outcome:
    """What went wrong, for the closing message: pages that failed, files left as they were."""

    failed: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def run_import(paths: list[Path], into_dir: Path, force: bool, language: str | None = None) -> None:
    """Import every page, print one line per page and every problem, fail at the end if any page did.

    `language` (a bundled language code) fixes the headings pages are read with; without it each
    page's language is found from its headings. The target library's `labels:` overrides of the
    `importer.` keys apply to its own language.
    """
    page_files, problems = collect_pages(paths)
    outcome = _Outcome()
    outcome.failed += [p.path for p in problems]
    _echo_problems(problems)
    languages = page_languages(*library_page_words(into_dir))
    given = _language_named(languages, language) if language else None
    parsed: list[ParsedPage] = []
    for path in page_files:
        page, page_problems = import_page(path, path.as_posix(), given, languages)
        page = _check_duplicate(page, parsed, page_problems)
        _echo_problems(page_problems)
        if page is None:
            outcome.failed.append(path.as_posix())
            continue
        _echo_problems(glyph_warnings(page))
        parsed.append(page)
    if parsed:
        with _content_folder_lock(into_dir):  # imports into one library take turns
            _remove_stray_temporary_files(into_dir)
            _write_pages(parsed, given or _library_language(parsed, languages), into_dir, force, outcome)
    _finish(outcome)


def _remove_stray_temporary_files(into_dir: Path) -> None:
    """What an import killed mid-write left (`.<id>.yaml.XXXX.tmp`): under the lock, nobody's."""
    for folder in (into_dir, into_dir / "techniques"):
        for path in folder.glob(".*.tmp") if folder.is_dir() else ():
            if path.is_file() and path.name.count(".") >= 3:
                path.unlink(missing_ok=True)


def _content_folder_lock(into_dir: Path) -> contextlib.AbstractContextManager[None]:
    try:
        into_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExporterError(f"{into_dir}: cannot create the content folder: {describe_os_error(exc)}") from exc
    return build_lock(into_dir, IMPORT_BUSY, IMPORT_WAIT_SECONDS)


def _language_named(languages: tuple[PageLanguage, ...], code: str) -> PageLanguage:
    return next((language for language in languages if language.code == code), languages[0])


def _library_language(parsed: list[ParsedPage], languages: tuple[PageLanguage, ...]) -> PageLanguage:
    """The language most pages are in (the first page's on a tie); a mix is reported."""
    counts = Counter(page.language for page in parsed)
    code = max(counts, key=counts.__getitem__)  # a Counter keeps first-seen order: ties go to the first page
    if len(counts) > 1:
        shown = ", ".join(f"{c}: {n}" for c, n in counts.most_common())
        click.echo(
            f"warning: the pages are in several languages ({shown}); the library's language is '{code}'", err=True
        )
    return _language_named(languages, code)


def _check_duplicate(page: ParsedPage | None, parsed: list[ParsedPage], problems: list[Problem]) -> ParsedPage | None:
    if page is None:
        return None
    other = next((p for p in parsed if p.technique_id == page.technique_id), None)
    if other is None:
        return page
    problems.append(
        Problem(
            page.display,
            1,
            "title",
            f"gives the same id '{page.technique_id}' as {other.display}; only the first was imported",
        )
    )
    return None


def _cannot_draw(text: str) -> str | None:
    from exporter.pdf.glyphs.fonts import missing_characters

    missing = missing_characters(text)
    if not missing:
        return None
    return ", ".join(f"'{c}' (U+{ord(c):04X} {unicodedata.name(c, 'unnamed')})" for c in missing)


def _glyph_warning(display: str, line: int, name: str, shown: str) -> Problem:
    return Problem(
        display,
        line,
        name,
        f"the fonts cannot draw {shown}; `exporter validate` will fail until it is replaced",
        "warning",
    )


def glyph_warnings(page: ParsedPage) -> list[Problem]:
    """Every technique text of the page with a character no bundled font can draw, as a warning."""
    texts: list[tuple[str, str]] = [("title", page.title), ("summary", page.fields["summary"])]
    for name, entries in page.fields.items():
        if isinstance(entries, list) and name != "categories":
            texts += [(f"{name}[{index}]", entry) for index, entry in enumerate(entries)]
    problems = []
    for name, text in texts:
        shown = _cannot_draw(text)
        if shown:
            line = page.lines.get(name, page.lines.get(name.split("[")[0], 1))
            problems.append(_glyph_warning(page.display, line, name, shown))
    return problems


def _library_glyph_warnings(plan: LibraryPlan, parsed: list[ParsedPage]) -> list[Problem]:
    """The categories and disclaimer this import writes into library.yaml, checked the same way
    and reported at the page line they came from (a page's icons are on its categories line)."""
    problems = []
    for category in plan.added_categories:
        page = next(p for p in parsed if category["name"].casefold() in (n.casefold() for n, _ in p.categories))
        for part in ("icon", "name"):
            shown = _cannot_draw(category.get(part, ""))
            if shown:
                where = f"{shown} in the {part} of '{category['name']}'"
                problems.append(_glyph_warning(page.display, page.lines.get("categories", 1), "categories", where))
    shown = _cannot_draw(plan.added_disclaimer)
    if shown:
        page = next(p for p in parsed if p.disclaimer == plan.added_disclaimer)
        problems.append(_glyph_warning(page.display, page.lines.get("disclaimer", 1), "disclaimer", shown))
    return problems


def _write_pages(
    parsed: list[ParsedPage], language: PageLanguage, into_dir: Path, force: bool, outcome: _Outcome
) -> None:
    library = TargetLibrary(into_dir, existing_techniques(into_dir))
    targets = _targets(parsed, library, outcome)
    parsed = [page for page in parsed if page.display in targets]
    imported = {page.title.casefold(): targets[page.display].technique_id for page in parsed}
    available = set(library.by_id) | {target.technique_id for target in targets.values()}
    disclaimer = next((page.disclaimer for page in parsed if page.disclaimer), "")
    categories = [category for page in parsed for category in page.categories]
    plan = plan_library(into_dir, PageAdditions(categories, disclaimer, language))
    _echo_problems(plan.problems)
    if errors_only(plan.problems):
        outcome.failed += [page.display for page in parsed]
        return
    _echo_problems(_library_glyph_warnings(plan, parsed))
    library_path = into_dir / "library.yaml"
    if plan.text is not None:
        new_library = not library_path.exists()
        rewrite_user_file(library_path, plan.text)
        if new_library:
            start_state(into_dir)
        click.echo(plan.message)
    declared = declared_categories(yaml.safe_load(library_path.read_bytes().decode("utf-8-sig")))
    for page in parsed:
        target = targets[page.display]
        similar, similar_problems = library.resolve_similar(page, target.technique_id, imported, available)
        _echo_problems(similar_problems)
        page.fields["categories"] = list(
            dict.fromkeys(
                str(declared.get(name.casefold(), {"name": name})["name"]) for name in page.fields["categories"]
            )
        )
        data = technique_data(page, similar, target.technique_id if target.writes_id else None)
        _write_technique(page, target.path, data, force, outcome)


def _targets(parsed: list[ParsedPage], library: TargetLibrary, outcome: _Outcome) -> dict[str, Target]:
    """Each page's target; a second page that would go to a file another page takes is refused."""
    targets: dict[str, Target] = {}
    taken: dict[Path, str] = {}
    for page in parsed:
        target = library.target_for(page)
        if target.path in taken:
            _echo_problems(
                [
                    Problem(
                        page.display,
                        1,
                        "title",
                        f"would be written to {target.path.as_posix()}, like {taken[target.path]}; "
                        "only the first was imported",
                    )
                ]
            )
            outcome.failed.append(page.display)
            continue
        taken[target.path] = page.display
        targets[page.display] = target
    return targets


def _write_technique(page: ParsedPage, target: Path, fields: dict[str, Any], force: bool, outcome: _Outcome) -> None:
    display = target.as_posix()
    counts = ", ".join(
        counted(len(page.fields.get(name, [])), noun) for name, noun in (("steps", "step"), ("warnings", "warning"))
    )
    note = f"; repaired {counted(page.repaired, 'garbled character')}" if page.repaired else ""
    data = to_yaml(fields).encode("utf-8")
    kept = Kept()
    if target.exists() and not target.is_file():
        what = "a folder" if target.is_dir() else "not a regular file (a device, a pipe or a socket)"
        click.echo(f"{display}: {what} has the technique file's name; nothing was written there", err=True)
        outcome.failed.append(page.display)
        return
    if target.exists():
        old = target.read_bytes()
        fields, kept = merged(fields, old.decode("utf-8-sig", "replace"))
        data = to_yaml(fields).encode("utf-8")
        if old.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n") == data:
            click.echo(f"unchanged {display} from {page.display} (already imported)")
            return
        if not force:
            click.echo(f"skipped {display} from {page.display}: {_why_kept(page, old)}; use --force to replace it")
            outcome.conflicts.append(display)
            return
        backup = target.with_name(target.name + ".bak")
        write_bytes_atomic(backup, old)
        rewrite_user_file(target, data.decode("utf-8"))
        keeps = f"; {kept.describe()}" if kept.describe() else ""
        click.echo(
            f"replaced {display} from {page.display} ({counts}{note}{keeps}; the old file is kept as {backup.name})"
        )
        return
    write_bytes_atomic(target, data)
    click.echo(f"wrote {display} from {page.display} ({counts}{note})")


def _why_kept(page: ParsedPage, old: bytes) -> str:
    root, _ = parse_yaml(old.decode("utf-8", "replace"), "")
    old_title = scalar_text(root.value.get("title")) if root is not None and isinstance(root.value, dict) else ""
    if old_title and old_title.casefold() != page.title.casefold():
        return f"that file holds another technique ('{old_title}')"
    return "the file exists and differs from the page"


def _echo_problems(problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


def _finish(outcome: _Outcome) -> None:
    parts = []
    if outcome.failed:
        names = ", ".join(dict.fromkeys(outcome.failed))
        failed = len(dict.fromkeys(outcome.failed))
        parts.append(f"{counted(failed, 'page')} could not be imported ({names})")
    if outcome.conflicts:
        parts.append(
            f"{counted(len(outcome.conflicts), 'technique file')} already "
            f"{'exists and was' if len(outcome.conflicts) == 1 else 'exist and were'} left as "
            f"{'it is' if len(outcome.conflicts) == 1 else 'they are'}"
            " (use --force to replace them)"
        )
    if parts:
        raise ExporterError("; ".join(parts))
