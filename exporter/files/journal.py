"""The build journal: what a build changed, so that all of it can be undone, even after a kill.

A build opens one journal, a hidden folder `.exporter-build-*` inside `--out`. Before a file is
replaced or removed, its previous bytes are kept (a hard link when possible) and one line is
added to the journal's `manifest`; temporary files are listed too. Then:

- the build succeeds: the manifest is renamed to `committed` (the moment the build counts as
  done), the kept copies are deleted and the folder goes;
- the build fails or is stopped: every change is undone, newest first, and the folder goes only
  when everything was restored; otherwise it stays, holding the previous bytes, and the next
  build puts them back;
- the process dies without a chance to clean up (kill -9, power cut): the next build into the
  same folder finds the journal and undoes the changes before it starts (`recover`).

A previous copy always lives on the same file system as its file (in the journal when that is
the same disk, else beside the file), so putting it back is a rename and never a copy across
disks. Worker processes record into the same journal (its folder travels in an environment
variable); recording and renaming happen under a lock on the journal folder, and once the
journal is closed (committed or rolled back) no process may record or rename into it.
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

from exporter.errors import ExporterError, describe_os_error
from exporter.files.signals import signals_deferred

try:
    import fcntl
except ImportError:  # Windows: one process writes at a time there anyway
    fcntl = None  # type: ignore[assignment]

#: Names the journal folder of the build in progress, for writers in worker processes too.
JOURNAL_ENV = "EXPORTER_BUILD_JOURNAL"
JOURNAL_PREFIX = ".exporter-build-"
MANIFEST = "manifest"
COMMITTED = "committed"
KEPT_BESIDE = ".exporter-kept-"
_CLOSED = "the build was stopped; nothing more is written"


class JournalClosed(ExporterError):
    """A worker tried to write after its build was rolled back (its parent had died)."""


def open_journal(out_dir: Path) -> Path:
    try:
        journal = Path(tempfile.mkdtemp(prefix=JOURNAL_PREFIX, dir=out_dir))
        (journal / MANIFEST).touch()
    except OSError as exc:
        raise ExporterError(f"{out_dir}: cannot write to the output folder: {describe_os_error(exc)}") from exc
    return journal


def current_journal() -> Path | None:
    """The journal of the build this process belongs to, or None outside a build."""
    value = os.environ.get(JOURNAL_ENV)
    return Path(value) if value else None


@contextlib.contextmanager
def journal_step(journal: Path | None) -> Iterator[None]:
    """A step no signal may cut in half and no rollback may overlap (record, then rename)."""
    with signals_deferred():
        if journal is None:
            yield
            return
        with _locked(journal):
            if not (journal / MANIFEST).is_file():
                raise JournalClosed(_CLOSED)
            yield


def record_temporary(journal: Path, temporary: Path) -> None:
    _append(journal, [["temp", "", str(temporary.absolute())]])


def record_written(journal: Path, target: Path, new_file: Path) -> None:
    """Note which file a build is about to rename over target (its inode, size and time survive the
    rename): undoing puts the previous bytes back only over that file, never over a newer one
    another build wrote since (a deck state shared by builds into two folders)."""
    _append(journal, [["wrote", signature(new_file), str(target.absolute())]])


def signature(path: Path) -> str:
    """Which file this is, as a rename keeps it: inode, size and modification time."""
    stat = os.stat(path)
    return f"{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}"


def record_previous(journal: Path, target: Path, new_folder: bool) -> None:
    """Keep target's current bytes (or note its absence), once per build; inside journal_step."""
    target = target.absolute()
    if _already_recorded(journal, target):
        return
    entries: list[list[str]] = []
    if new_folder:
        entries.append(["folder", "", str(target.parent)])
    backup = _keep_copy(journal, target) if target.exists() else None
    entries.append(["kept", str(backup), str(target)] if backup else ["new", "", str(target)])
    try:
        _append(journal, entries)
    except BaseException:
        if backup is not None:
            backup.unlink(missing_ok=True)  # unrecorded, it would be a stray file beside the target
        raise


def commit(journal: Path) -> None:
    """The build succeeded: forget the previous bytes."""
    with signals_deferred():
        with _locked(journal):
            os.replace(journal / MANIFEST, journal / COMMITTED)
        _discard(journal, journal / COMMITTED)


def roll_back(journal: Path) -> list[str]:
    """Undo every change, newest first; the journal is removed unless something could not be
    restored. Returns what could not be restored (empty when all is well)."""
    with signals_deferred():
        with _locked(journal):
            manifest = journal / MANIFEST
            if not manifest.is_file():
                return []  # already rolled back (by a worker whose parent died) or committed
            failed = _undo(journal, _entries(manifest))
            if failed:
                return failed
            manifest.unlink()
        shutil.rmtree(journal, ignore_errors=True)
    return []


def recover(out_dir: Path) -> tuple[int, list[str]]:
    """Undo what builds killed before they could clean up left behind in out_dir.

    Call only while holding the output folder's build lock. Returns how many files were put
    back and what could not be (their journals stay for another try).
    """
    restored = 0
    failed: list[str] = []
    for journal in sorted(out_dir.glob(JOURNAL_PREFIX + "*")):
        if not journal.is_dir():
            continue
        if (journal / MANIFEST).is_file():
            entries = _entries(journal / MANIFEST)
            restored += sum(1 for kind, _, _ in entries if kind in {"kept", "new"})
            problems = roll_back(journal)
            failed += problems
        elif (journal / COMMITTED).is_file():
            _discard(journal, journal / COMMITTED)
        else:
            shutil.rmtree(journal, ignore_errors=True)
    for probe in out_dir.glob(".exporter-probe-*"):
        probe.unlink(missing_ok=True)
    return restored, failed


def _keep_copy(journal: Path, target: Path) -> Path:
    """A copy of target's bytes on target's own file system: a hard link, else a real copy."""
    same_disk = os.stat(journal).st_dev == os.stat(target).st_dev
    folder = journal if same_disk else target.parent
    prefix = "kept-" if same_disk else f".{target.name}{KEPT_BESIDE}"
    handle, name = tempfile.mkstemp(prefix=prefix, dir=folder)
    os.close(handle)
    backup = Path(name)
    try:
        backup.unlink()
        try:
            os.link(target, backup)
        except OSError:  # a file system without hard links (FAT, some network shares)
            shutil.copy2(target, backup)
    except BaseException:
        backup.unlink(missing_ok=True)
        raise
    return backup


#: Per journal, how much of its manifest this process has read and the paths its lines end with:
#: a build records thousands of files, and reading the whole manifest for each would be quadratic.
_read_so_far: dict[Path, tuple[int, set[str]]] = {}


def _already_recorded(journal: Path, target: Path) -> bool:
    # A kept/new line ends with the target; a temp line ends with its own, different path. Other
    # worker processes append to the same manifest, so its new lines are read every time.
    offset, ends = _read_so_far.get(journal, (0, set()))
    with (journal / MANIFEST).open("rb") as handle:
        if handle.seek(0, 2) < offset:  # not the manifest read before
            offset, ends = 0, set()
        handle.seek(offset)
        tail = handle.read()
    whole = tail.rfind(b"\n") + 1
    ends.update(json.loads(line)[-1] for line in tail[:whole].splitlines() if line.strip())
    _read_so_far[journal] = (offset + whole, ends)
    return str(target) in ends


def _append(journal: Path, entries: list[list[str]]) -> None:
    # One short append per call: records from parallel worker processes do not interleave.
    with (journal / MANIFEST).open("a", encoding="utf-8") as handle:
        handle.write("".join(json.dumps(entry) + "\n" for entry in entries))


def _entries(manifest: Path) -> list[list[str]]:
    entries = []
    for line in manifest.read_text(encoding="utf-8").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:  # the last line of a process killed while writing it: nothing was renamed
            continue
        if isinstance(entry, list) and len(entry) == 3:
            entries.append([str(part) for part in entry])
    return entries


def _undo(journal: Path, entries: list[list[str]]) -> list[str]:
    failed: list[str] = []
    written = {target: mark for kind, mark, target in entries if kind == "wrote"}
    for kind, backup, target_name in reversed(entries):
        target = Path(target_name)
        try:
            if kind in {"kept", "new"} and _changed_since(target, written.get(target_name)):
                if kind == "kept":
                    _forget(journal, backup)
                continue  # another build replaced it after this one: the newer file stays
            if kind == "kept":
                _put_back(journal / backup, target)  # an absolute backup path stays as it is
            elif kind in {"new", "temp"}:
                target.unlink(missing_ok=True)
            elif kind == "folder":
                with contextlib.suppress(OSError):
                    target.rmdir()  # only when empty
        except OSError as exc:
            failed.append(f"{target}: {describe_os_error(exc)} (its previous bytes are kept in {backup})")
    return failed


def _changed_since(target: Path, mark: str | None) -> bool:
    """Whether target is no longer the file this build wrote (or was about to write)."""
    if mark is None:
        return False  # stopped before it renamed anything over target: put back what was there
    try:
        return signature(target) != mark
    except OSError:
        return False


def _forget(journal: Path, backup: str) -> None:
    (journal / backup).unlink(missing_ok=True)


def _put_back(backup: Path, target: Path) -> None:
    if not backup.exists():
        return  # put back already, by an earlier attempt
    try:
        os.replace(backup, target)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
        # Never expected (copies live on their file's disk), but a copy back is as good.
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(handle)
        shutil.copy2(backup, name)
        os.replace(name, target)
        backup.unlink()


def _discard(journal: Path, committed: Path) -> None:
    for kind, backup, _ in _entries(committed):
        if kind == "kept" and not Path(backup).is_relative_to(journal):
            Path(backup).unlink(missing_ok=True)
    shutil.rmtree(journal, ignore_errors=True)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    if fcntl is None:
        if not folder.is_dir():
            raise JournalClosed(_CLOSED)
        yield
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except FileNotFoundError:
        raise JournalClosed(_CLOSED) from None
    try:
        with contextlib.suppress(OSError):  # a share without locks: the build still goes ahead
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)
