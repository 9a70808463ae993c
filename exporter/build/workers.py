"""Running the writers side by side in worker processes, with the same bytes as one after another.

The outputs are independent, so each writer runs in its own process from the one validated
Library. A writer's failure stops the others and reaches the command as the ExporterError it
raised; Ctrl-C or SIGTERM stops every worker, and each worker's atomic_output removes its
temporary file on the way out.

A worker also watches its parent: when the command dies without stopping it (SIGKILL, the OOM
killer), the worker stops its writer, undoes the build's journal itself and exits at once, so
nothing is replaced after the command is gone and no worker is left holding stdout open.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, Protocol

from exporter.build.memory import give_back_memory
from exporter.errors import ExporterError
from exporter.files import signals as stopping
from exporter.files.journal import current_journal, roll_back
from exporter.files.lock import remove_held_lock_files
from exporter.model import Library
from exporter.options import BuildOptions
from exporter.writers import WRITERS, WriteResult, WriterSpec, get_writer, resolve

#: How long a stopped worker gets to unwind (and remove its temporary file) before it is killed.
STOP_GRACE_SECONDS = 5.0

#: How often a worker checks that the command that started it is still alive.
PARENT_CHECK_SECONDS = 0.2

#: How long a worker whose command died gets to unwind its writer before it undoes the build anyway.
ORPHAN_GRACE_SECONDS = 1.0


class Progress(Protocol):
    """What the runner reports while writers run (see exporter.build.status_line.StatusLine)."""

    def started(self, name: str) -> None: ...

    def finished(self, name: str) -> None: ...

    def refresh(self) -> None: ...


@dataclass(frozen=True)
class Task:
    """One piece of work for a worker: a writer, or one share of a shared writer."""

    name: str
    share: int = 0
    shares: int = 1


@dataclass(frozen=True)
class SharePart:
    """What one share of a shared writer wrote, and how long it took."""

    task: Task
    #: Whatever the writer's share function returned, for its join function.
    part: Any
    seconds: float


@dataclass(frozen=True)
class Written:
    """A writer's result and how long the writer itself took (for the summary and the benchmark)."""

    result: WriteResult
    seconds: float


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


#: A library this large has its handouts divided between workers even when they are the only
#: output (`exporter handouts`): starting a worker costs about as much as three handouts.
SHARE_FROM_TECHNIQUES = 24


def worth_dividing(names: list[str], library: Library) -> bool:
    """Whether the named writers keep more than one process busy."""
    shared = any(WRITERS[name].divisible for name in names)
    return len(names) > 1 or (shared and len(library.techniques) >= SHARE_FROM_TECHNIQUES)


def default_jobs(names: list[str], library: Library) -> int:
    """One worker per core, at most one per writer (a divided writer can use them all)."""
    if not worth_dividing(names, library):
        return 1
    wanted = len(names) if not any(WRITERS[name].divisible for name in names) else available_cores()
    return max(1, min(available_cores(), wanted))


def run_writers(
    names: list[str], library: Library, out_dir: Path, options: BuildOptions, jobs: int, progress: Progress
) -> list[Written]:
    """Run every named writer, in parallel processes when jobs > 1 (the caller has asked
    worth_dividing); results in the order of names.

    The first writer to fail stops the others (the build is rolled back as a whole anyway) and
    its exception is raised here, an ExporterError exactly as the writer raised it.
    """
    if jobs <= 1:
        return [_run_here(name, library, out_dir, options, progress) for name in names]
    return _run_in_processes(names, library, out_dir, options, jobs, progress)


def write_one(name: str, library: Library, out_dir: Path, options: BuildOptions) -> Written:
    """The work one process does: import the writer (ReportLab, genanki...) and run it."""
    started = time.perf_counter()
    result = get_writer(name)(library, out_dir, options)
    return Written(result, time.perf_counter() - started)


def _run_here(name: str, library: Library, out_dir: Path, options: BuildOptions, progress: Progress) -> Written:
    progress.started(name)
    written = write_one(name, library, out_dir, options)
    progress.finished(name)
    return written


def _run_in_processes(
    names: list[str], library: Library, out_dir: Path, options: BuildOptions, jobs: int, progress: Progress
) -> list[Written]:
    earlier_children = set(multiprocessing.active_children())
    tasks = planned_tasks(names, jobs)
    context = _start_context()
    # A forked worker has the library already (copy-on-write): sent with every task, it was
    # pickled a dozen times over (0.1 s each at 500 techniques) while the workers ran.
    inherited = context.get_start_method() == "fork"
    _Worker.library = library if inherited else None
    sent = None if inherited else library
    workers = _Workers(context, min(jobs, len(tasks)), fresh=len(library.techniques) >= FRESH_WORKERS_FROM)
    results: dict[str, Written] = {}
    parts: dict[str, list[SharePart]] = {}
    try:
        futures: dict[Future[Written | SharePart], Task] = {}
        waiting: list[Task] = list(tasks)
        pending: set[Future[Written | SharePart]] = set()
        while waiting or pending:
            while waiting and workers.have_room():
                task = waiting.pop(0)
                future = workers.submit(task, sent, out_dir, options)
                futures[future] = task
                pending.add(future)
                if task.share == 0:
                    progress.started(task.name)
            done, pending = wait(pending, timeout=0.25, return_when=FIRST_COMPLETED)
            for future in done:
                workers.finished(future)
                task = futures[future]
                outcome = future.result()  # raises the writer's exception
                if isinstance(outcome, SharePart):
                    parts.setdefault(task.name, []).append(outcome)
                    if len(parts[task.name]) < task.shares:
                        continue
                    outcome = _joined(task.name, parts[task.name], options)
                results[task.name] = outcome
                progress.finished(task.name)
            progress.refresh()
    except BrokenProcessPool as exc:  # a worker was killed from outside (the OOM killer, kill -9)
        workers.stop(set(multiprocessing.active_children()) - earlier_children)
        raise ExporterError(
            "a worker process building the outputs was killed from outside (often: the machine ran out of "
            "memory); build again, with --jobs 1 to use less memory"
        ) from exc
    except BaseException:
        workers.stop(set(multiprocessing.active_children()) - earlier_children)
        raise
    finally:
        _Worker.library = None
    workers.shutdown()
    return [results[name] for name in names]


#: From this many techniques each task (a writer, a share of the handouts) runs in a worker of
#: its own that ends with it. A worker kept for the cards, then the deck, then handouts kept
#: what each had left behind: 523 MB at 5,000 techniques, where each writer alone stays under
#: 370 MB. Below it workers are kept between tasks: a fresh one pays its writer's imports
#: (0.3 s), which the build after a one-line edit would feel.
FRESH_WORKERS_FROM = 1000


class _Workers:
    """The processes the tasks run in: one pool of `jobs` workers kept for every task, or
    (fresh) a pool of one worker per task, at most `jobs` at a time, each ended with its task."""

    def __init__(self, context: multiprocessing.context.BaseContext, jobs: int, fresh: bool) -> None:
        self.context = context
        self.jobs = jobs
        self.kept = None if fresh else self._pool(jobs, kept=True)
        self.own: dict[Future[Written | SharePart], ProcessPoolExecutor] = {}

    def _pool(self, size: int, kept: bool = False) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=size,
            mp_context=self.context,
            initializer=_prepare_worker,
            initargs=(os.getpid(), dict(WRITERS), kept),
        )

    def have_room(self) -> bool:
        return self.kept is not None or len(self.own) < self.jobs

    def submit(
        self, task: Task, sent: Library | None, out_dir: Path, options: BuildOptions
    ) -> Future[Written | SharePart]:
        if self.kept is not None:
            return self.kept.submit(_write_in_worker, task, sent, out_dir, options)
        executor = self._pool(1)
        future = executor.submit(_write_in_worker, task, sent, out_dir, options)
        self.own[future] = executor
        return future

    def finished(self, future: Future[Written | SharePart]) -> None:
        executor = self.own.pop(future, None)
        if executor is not None:
            executor.shutdown(wait=True)

    def stop(self, workers: set[multiprocessing.process.BaseProcess]) -> None:
        for executor in [self.kept, *self.own.values()]:
            if executor is not None:
                executor.shutdown(wait=False, cancel_futures=True)
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.join(STOP_GRACE_SECONDS)
            if worker.is_alive():
                worker.kill()
                worker.join()

    def shutdown(self) -> None:
        if self.kept is not None:
            self.kept.shutdown(wait=True)


#: Shares of a shared writer per worker: small enough that the workers end within a share of
#: each other, few enough that handing them out costs nothing to speak of.
SHARES_PER_WORKER = 4


def planned_tasks(names: list[str], jobs: int) -> list[Task]:
    """The writers as tasks: the ones that cannot be divided first, longest first, then the
    shares of a shared writer (SHARES_PER_WORKER per worker), which fill in around them, so
    the last pieces of work are small and the workers end together."""
    tasks = [
        Task(name, share, shares)
        for name in names
        for shares in [SHARES_PER_WORKER * jobs if WRITERS[name].divisible else 1]
        for share in range(shares)
    ]
    return sorted(tasks, key=lambda t: (t.shares > 1, -WRITERS[t.name].relative_cost))


def write_share(task: Task, library: Library, out_dir: Path, options: BuildOptions) -> SharePart:
    """The work of one share of a divisible writer (the handouts of every shares-th technique)."""
    started = time.perf_counter()
    part = resolve(WRITERS[task.name].share or "")(library, out_dir, options, task.share, task.shares)
    return SharePart(task, part, time.perf_counter() - started)


def _joined(name: str, parts: list[SharePart], options: BuildOptions) -> Written:
    """The shares of a writer as one result; its time is the sum of its shares' times."""
    ordered = sorted(parts, key=lambda p: p.task.share)
    result: WriteResult = resolve(WRITERS[name].join or "")([p.part for p in ordered], options)
    return Written(result, sum(p.seconds for p in ordered))


#: Tests set these to run, on Linux, the code paths Windows and macOS take.
START_METHOD_ENV = "EXPORTER_START_METHOD"
PARENT_WATCH_ENV = "EXPORTER_PARENT_WATCH"


def _start_context() -> multiprocessing.context.BaseContext:
    # fork starts a worker in milliseconds with the library and fonts already in memory, and is
    # safe on Linux; macOS's system libraries are not fork-safe (Python defaults to spawn there
    # since 3.8) and Windows has only spawn.
    method = os.environ.get(START_METHOD_ENV) or ("fork" if sys.platform.startswith("linux") else "spawn")
    return multiprocessing.get_context(method)


def _prepare_worker(parent: int, writers: dict[str, WriterSpec], kept: bool) -> None:
    # Ctrl-C reaches the whole process group; the command decides how workers stop, so a
    # worker idle between writers does not die with a traceback of its own.
    stopping.install_stop_handlers()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stopping.set_idle_stop(_end_worker)
    WRITERS.update(writers)  # a spawned worker imports the table afresh: give it the command's
    _Worker.parent = parent
    _Worker.kept = kept
    threading.Thread(target=_watch_parent, args=(parent,), name="exporter-parent-watch", daemon=True).start()


def _write_in_worker(task: Task, sent: Library | None, out_dir: Path, options: BuildOptions) -> Written | SharePart:
    """write_one in a worker: a stop unwinds the writer (removing its temporary file), then ends
    the process; with the command gone, this worker also puts the previous outputs back. The
    library is sent, or (forked) the one the command had when it started the worker."""
    stopping.set_idle_stop(None)
    library = sent if sent is not None else _Worker.library
    if library is None:
        raise ExporterError("a worker process started without the library; build again with --jobs 1")
    try:
        if task.shares > 1:
            return write_share(task, library, out_dir, options)
        return write_one(task.name, library, out_dir, options)
    except KeyboardInterrupt as exc:
        _end_worker(getattr(exc, "signum", signal.SIGINT))
    finally:
        if _Worker.kept:  # a fresh worker ends with its task: nothing to give back first
            give_back_memory()
        stopping.set_idle_stop(_end_worker)


def _end_worker(signum: int) -> NoReturn:
    """Exit at once; first, if the command has died, undo the build it can no longer undo
    (what this or another worker had already written)."""
    journal = current_journal()
    if journal is not None and _parent_gone(_Worker.parent):
        with contextlib.suppress(Exception):  # another worker may have undone it already
            roll_back(journal)
            remove_held_lock_files()  # the locks themselves die with the last worker anyway
    os._exit(128 + signum)


class _Worker:
    parent = 0  # the process id of the command that started this worker
    #: Whether this worker is kept for the next task (else it ends with this one).
    kept = True
    #: The library a forked worker inherits from the command (set just before the workers start).
    library: Library | None = None


def _watch_parent(parent: int) -> None:
    while not _parent_gone(parent):
        time.sleep(PARENT_CHECK_SECONDS)
    os.kill(os.getpid(), signal.SIGTERM)  # handled in the main thread: unwind the writer, or exit
    time.sleep(ORPHAN_GRACE_SECONDS)
    # Still here: the stop landed where nothing could act on it (between a writer's end and the
    # worker loop, or in a long call). Undo from this thread; never outlive the command.
    _end_worker(signal.SIGTERM)


def _parent_gone(parent: int) -> bool:
    """Whether the command that started this worker has died: on POSIX its orphan is adopted by
    another process; on Windows (which adopts nobody) its sentinel handle is signalled."""
    if sys.platform == "win32" or os.environ.get(PARENT_WATCH_ENV) == "sentinel":
        process = multiprocessing.parent_process()
        return process is not None and bool(multiprocessing.connection.wait([process.sentinel], timeout=0))
    return os.getppid() != parent
