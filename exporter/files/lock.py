"""One build at a time per output folder (and per content folder while the deck is built).

Two builds into the same `--out` would each keep the other's half-written outputs as "previous
bytes", and one's rollback could put old files back over what the other had just written. A
build therefore holds an exclusive lock (fcntl.flock) on `<out>/.exporter-lock` from before it
writes anything until it has committed or rolled back. The kernel drops the lock when the
process dies, however it dies, so a lock is never stale: a lock file left by a killed build is
simply taken over. Worker processes inherit the lock, so a folder stays locked while a worker of
a killed build is still undoing its work. A build that makes the deck also locks the content
folder, since builds into different output folders share its deck-state.json.

Where there is no fcntl (Windows) the lock is taken through filelock, which uses the system's
own locks there (msvcrt); EXPORTER_LOCKS=filelock takes that path on Linux too, for the tests.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

from exporter.errors import ExporterError, describe_os_error

try:
    import fcntl
except ImportError:  # Windows: filelock's msvcrt locks instead (below)
    fcntl = None  # type: ignore[assignment]

#: "filelock" forces the portable path (filelock) where fcntl exists too.
LOCKS_ENV = "EXPORTER_LOCKS"

LOCK_NAME = ".exporter-lock"
#: The lock files this build holds, so that its worker processes can remove them if it dies.
HELD_ENV = "EXPORTER_BUILD_LOCKS"


OUT_BUSY = "is writing to this folder; wait for it to finish, or build into another --out"
STATE_BUSY = "is updating the deck state in this folder; wait for it to finish, then build again"
#: Imports into one library wait their turn (a script may start several): at most this long.
IMPORT_WAIT_SECONDS = 120.0
IMPORT_BUSY = f"has been writing to this content folder for over {IMPORT_WAIT_SECONDS:g} s; try again later"


@contextlib.contextmanager
def build_lock(folder: Path, busy: str = OUT_BUSY, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold folder's lock for the block, waiting up to wait_seconds for it, or refuse with who
    holds it (busy says what they do)."""
    path = folder / LOCK_NAME
    if fcntl is None or os.environ.get(LOCKS_ENV) == "filelock":
        with _portable_lock(path, busy, wait_seconds):
            yield
        return
    descriptor = _acquire(path, busy, time.monotonic() + wait_seconds)
    try:
        with _held(path):
            yield
    finally:
        # Unlink while still holding the lock: a build waiting on the old file notices (below).
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(descriptor)


@contextlib.contextmanager
def _held(path: Path) -> Iterator[None]:
    """Name the lock in HELD_ENV while it is held, for the workers (remove_held_lock_files)."""
    held = os.environ.get(HELD_ENV, "")
    os.environ[HELD_ENV] = os.pathsep.join(filter(None, [held, str(path.absolute())]))
    try:
        yield
    finally:
        os.environ[HELD_ENV] = held


@contextlib.contextmanager
def _portable_lock(path: Path, busy: str, wait_seconds: float) -> Iterator[None]:
    from filelock import FileLock, Timeout

    lock = FileLock(path)
    try:
        lock.acquire(timeout=wait_seconds, poll_interval=0.05)
    except Timeout:
        raise ExporterError(f"{path.parent}: another exporter build {busy}") from None
    except OSError as exc:
        raise ExporterError(f"{path}: cannot create the lock file: {describe_os_error(exc)}") from exc
    try:
        with _held(path):
            yield
    finally:
        lock.release()
        with contextlib.suppress(OSError):
            path.unlink()


def remove_held_lock_files() -> None:
    """For a worker that has undone the build of a command that died: the lock files it held."""
    for name in filter(None, os.environ.get(HELD_ENV, "").split(os.pathsep)):
        with contextlib.suppress(OSError):
            Path(name).unlink()


def _acquire(path: Path, busy: str, deadline: float) -> int:
    while True:
        try:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise ExporterError(f"{path}: cannot create the lock file: {describe_os_error(exc)}") from exc
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(descriptor)
            os.close(descriptor)
            if time.monotonic() < deadline:
                time.sleep(0.05)
                continue
            raise ExporterError(f"{path.parent}: another exporter build{holder} {busy}") from None
        except OSError:  # a network share without locks: build unguarded rather than not at all
            return descriptor
        if _still_the_lock_file(descriptor, path):
            with contextlib.suppress(OSError):  # who holds it is only for the message (a full disk)
                os.ftruncate(descriptor, 0)
                os.write(descriptor, f"{os.getpid()}\n".encode())
            return descriptor
        os.close(descriptor)  # the previous holder removed it as we opened it: take the new one


def _still_the_lock_file(descriptor: int, path: Path) -> bool:
    try:
        return os.stat(path).st_ino == os.fstat(descriptor).st_ino
    except FileNotFoundError:
        return False


def _holder(descriptor: int) -> str:
    try:
        text = os.pread(descriptor, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return f" (process {text})" if text.isdigit() else ""
