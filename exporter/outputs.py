"""Writing output files so that a failed build never leaves a half-written or destroyed file.

Two layers:
- `atomic_output(target)`: each file is written to a temporary file beside it and renamed over
  the target only when complete, so one file is never half-written.
- `build_journal(out_dir)`: around a whole build, every file replaced by `atomic_output` keeps a
  backup (a hard link to its old bytes) until the build succeeds; if any writer fails or the
  build is interrupted, every replaced file gets its old bytes back and new files are removed.
  The journal's folder travels in an environment variable and its list of files is on disk,
  so writers running in worker processes record into the same journal.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import click

from exporter.errors import ExporterError

#: Names the journal folder of the build in progress, for writers in worker processes too.
JOURNAL_ENV = "EXPORTER_BUILD_JOURNAL"
JOURNAL_PREFIX = ".exporter-build-"
_MANIFEST = "manifest"

_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "permission denied (the folder is not writable)",
    errno.EPERM: "permission denied (the folder is not writable)",
    errno.EROFS: "the disk is read-only",
    errno.ENAMETOOLONG: "the file name is too long",
    errno.ENOTDIR: "part of the path is a file, not a folder",
}


def describe_os_error(exc: OSError) -> str:
    """An OSError in words: 'the disk is full' rather than '[Errno 28] ...'."""
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    return exc.strerror or str(exc)


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
    new_folder = not target.parent.exists()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise ExporterError(f"{target}: cannot write: {describe_os_error(exc)}") from exc
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o644)
        _remember_previous(target, new_folder)
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise ExporterError(f"{target}: cannot write: {describe_os_error(exc)}; the previous file was kept") from exc
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_bytes_atomic(target: Path, data: bytes) -> None:
    with atomic_output(target) as temporary:
        temporary.write_bytes(data)


def remove_output(target: Path) -> None:
    """Delete an output file (e.g. the handout of a removed technique); undone if the build fails."""
    if not target.exists():
        return
    _remember_previous(target, new_folder=False)
    target.unlink()


@contextlib.contextmanager
def build_journal(out_dir: Path) -> Iterator[None]:
    """Every output replaced inside the block gets its previous bytes back if the block fails.

    Files that did not exist before are removed again; no journal files are left behind.
    A journal already open (a build inside a build) covers the inner one.
    """
    if _open_journal() is not None:
        yield
        return
    try:
        journal = Path(tempfile.mkdtemp(prefix=JOURNAL_PREFIX, dir=out_dir))
    except OSError as exc:
        raise ExporterError(f"{out_dir}: cannot write to the output folder: {describe_os_error(exc)}") from exc
    folders_before = _folders_in(out_dir)
    os.environ[JOURNAL_ENV] = str(journal)
    try:
        yield
    except BaseException:
        failed = _roll_back(journal)
        for folder in _folders_in(out_dir) - folders_before - {journal}:
            with contextlib.suppress(OSError):
                folder.rmdir()  # a folder a writer made itself (handouts/), only when left empty
        if failed:
            click.echo(f"Could not restore: {'; '.join(failed)}", err=True)
        else:
            click.echo("The build failed; every output file was left as it was before.", err=True)
        raise
    finally:
        os.environ.pop(JOURNAL_ENV, None)
        shutil.rmtree(journal, ignore_errors=True)


def _folders_in(folder: Path) -> set[Path]:
    return {entry for entry in folder.iterdir() if entry.is_dir()}


def _open_journal() -> Path | None:
    value = os.environ.get(JOURNAL_ENV)
    if not value:
        return None
    journal = Path(value)
    return journal if journal.is_dir() else None


def _remember_previous(target: Path, new_folder: bool) -> None:
    """Record target's current bytes (or its absence) in the open journal, once per build."""
    journal = _open_journal()
    if journal is None:
        return
    target = target.absolute()
    manifest = journal / _MANIFEST
    if any(entry[2] == str(target) for entry in _entries(manifest)):
        return
    entries: list[list[str]] = []
    if new_folder:
        entries.append(["folder", "", str(target.parent)])
    if target.exists():
        handle, backup = tempfile.mkstemp(prefix="kept-", dir=journal)
        os.close(handle)
        os.unlink(backup)
        try:
            os.link(target, backup)
        except OSError:  # another disk, or a file system without hard links
            shutil.copy2(target, backup)
        entries.append(["kept", Path(backup).name, str(target)])
    else:
        entries.append(["new", "", str(target)])
    # One short append per call: records from parallel worker processes do not interleave.
    with manifest.open("a", encoding="utf-8") as handle_out:
        handle_out.write("".join(json.dumps(entry) + "\n" for entry in entries))


def _entries(manifest: Path) -> list[list[str]]:
    if not manifest.exists():
        return []
    return [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines() if line]


def _roll_back(journal: Path) -> list[str]:
    """Undo every recorded change, newest first; the files that could not be restored."""
    failed: list[str] = []
    for kind, backup, target_name in reversed(_entries(journal / _MANIFEST)):
        target = Path(target_name)
        try:
            if kind == "kept":
                os.replace(journal / backup, target)
            elif kind == "new":
                target.unlink(missing_ok=True)
            elif kind == "folder":
                with contextlib.suppress(OSError):
                    target.rmdir()  # only when empty
        except OSError as exc:
            failed.append(f"{target}: {describe_os_error(exc)}")
    return failed
