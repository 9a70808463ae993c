"""Writing output files so that a failed build never leaves a half-written or destroyed file.

Two layers:
- `atomic_output(target)`: each file is written to a temporary file beside it and renamed over
  the target only when complete, so one file is never half-written.
- `build_journal(out_dir)`: around a whole build, every file replaced or removed keeps its
  previous bytes until the build succeeds; if any writer fails or the build is stopped (Ctrl-C,
  SIGTERM, SIGHUP), every replaced file gets its old bytes back and new files are removed
  (see exporter.files.journal, which also undoes what a killed build left behind).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import click

from exporter.errors import ExporterError, describe_os_error
from exporter.files import journal as journals
from exporter.files.journal import JOURNAL_ENV, JOURNAL_PREFIX, current_journal, journal_step
from exporter.files.signals import signals_deferred

__all__ = [
    "JOURNAL_ENV",
    "JOURNAL_PREFIX",
    "atomic_output",
    "build_journal",
    "describe_os_error",
    "prepare_out_dir",
    "remove_output",
    "write_bytes_atomic",
]


def prepare_out_dir(out_dir: Path) -> None:
    """Create the output folder, or explain why it cannot be used."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ExporterError(f"{out_dir}: --out must be a folder, but a file has that name")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:  # a file somewhere along the path
        raise ExporterError(f"{out_dir}: cannot create the output folder: a file is in the way") from exc
    except OSError as exc:
        raise ExporterError(f"{out_dir}: cannot create the output folder: {describe_os_error(exc)}") from exc
    # Trying is the only honest test: os.access says yes to root on a read-only disk.
    try:
        handle, probe = tempfile.mkstemp(prefix=".exporter-probe-", dir=out_dir)
    except OSError as exc:
        raise ExporterError(f"{out_dir}: cannot write to the output folder: {describe_os_error(exc)}") from exc
    os.close(handle)
    os.unlink(probe)


@contextlib.contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside target; rename it over target only if the block succeeds.

    On any failure (an exception, Ctrl-C, a full disk) the temporary file is removed and
    target keeps its previous bytes. Inside `build_journal`, the previous bytes are also kept
    until the whole build has succeeded.
    """
    journal = current_journal()
    new_folder = not target.parent.exists()
    existed = target.exists()
    temporary: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with journal_step(journal):
            handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            os.close(handle)
            temporary = Path(name)
            if journal is not None:
                _record_or_remove(journal, temporary)
    except OSError as exc:
        raise ExporterError(f"{target}: cannot write: {describe_os_error(exc)}") from exc
    except BaseException:  # a stop held back while the file was made is raised as the step ends
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise
    try:
        yield temporary
        os.chmod(temporary, 0o644)
        with journal_step(journal):
            if journal is not None:
                journals.record_previous(journal, target, new_folder)
                journals.record_written(journal, target, temporary)
            os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        kept = "; the previous file was kept" if existed else "; nothing was written"
        raise ExporterError(f"{target}: cannot write: {describe_os_error(exc)}{kept}") from exc
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _record_or_remove(journal: Path, temporary: Path) -> None:
    try:
        journals.record_temporary(journal, temporary)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_bytes_atomic(target: Path, data: bytes) -> None:
    with atomic_output(target) as temporary:
        temporary.write_bytes(data)


def rewrite_user_file(path: Path, text: str) -> None:
    """Replace a file the user keeps (library.yaml, a technique) as they keep it: through a
    symlink to the file it names, with its permissions, its BOM and its line endings."""
    real = path.resolve() if path.is_symlink() else path
    old = real.read_bytes() if real.is_file() else b""
    bom = b"\xef\xbb\xbf" if old.startswith(b"\xef\xbb\xbf") else b""
    text = text.removeprefix("\ufeff")
    if b"\r\n" in old:
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    mode = stat.S_IMODE(real.stat().st_mode) if real.is_file() else None
    write_bytes_atomic(real, bom + text.encode("utf-8"))
    if mode is not None:
        os.chmod(real, mode)


def remove_output(target: Path) -> None:
    """Delete an output file (e.g. the handout of a removed technique); undone if the build fails."""
    if not target.exists():
        return
    journal = current_journal()
    with journal_step(journal):
        if journal is not None:
            journals.record_previous(journal, target, new_folder=False)
        target.unlink()


@contextlib.contextmanager
def build_journal(out_dir: Path) -> Iterator[None]:
    """Every output replaced inside the block gets its previous bytes back if the block fails.

    Files that did not exist before are removed again; no journal files are left behind.
    A journal already open (a build inside a build) covers the inner one.
    """
    if current_journal() is not None:
        yield
        return
    journal = journals.open_journal(out_dir)
    folders_before = _folders_in(out_dir)
    os.environ[JOURNAL_ENV] = str(journal)
    try:
        yield
    except BaseException as exc:
        with signals_deferred():
            failed = journals.roll_back(journal)
            for folder in _folders_in(out_dir) - folders_before - {journal}:
                with contextlib.suppress(OSError):
                    folder.rmdir()  # a folder a writer made itself (handouts/), only when left empty
            _say_rolled_back(failed, journal, stopped=isinstance(exc, KeyboardInterrupt))
        raise
    else:
        journals.commit(journal)
    finally:
        os.environ.pop(JOURNAL_ENV, None)


def _say_rolled_back(failed: list[str], journal: Path, stopped: bool) -> None:
    if failed:
        lines = [f"Could not restore {line}" for line in failed]
        lines.append(f"The previous files are kept in {journal}; the next build into this folder puts them back.")
    elif stopped:
        lines = ["The build was stopped; every output file was left as it was before."]
    else:
        lines = ["The build failed; every output file was left as it was before."]
    with contextlib.suppress(OSError):  # a closed terminal (SIGHUP) cannot show it
        for line in lines:
            click.echo(line, err=True)


def _folders_in(folder: Path) -> set[Path]:
    return {entry for entry in folder.iterdir() if entry.is_dir()}
