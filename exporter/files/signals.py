"""Stop signals as exceptions, so that a build stopped by any of them is rolled back like Ctrl-C.

Ctrl-C (SIGINT) raises KeyboardInterrupt; SIGTERM (`timeout`, `docker stop`, a CI cancel) and
SIGHUP (a closed terminal) raise `Stopped`, a KeyboardInterrupt too, so every `except
BaseException` that cleans up (temporary files, the build journal) runs for all three.

A few steps must not be cut in half (recording a file in the journal and renaming it into place):
inside `signals_deferred()` a stop signal is held back and raised when the block ends. Once a stop
has been raised, further stop signals are ignored while the process unwinds, so an impatient
second Ctrl-C cannot interrupt the rollback.

This module imports nothing heavy: the program installs its handlers before importing Click.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterator
from types import FrameType

STOP_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Stopped(KeyboardInterrupt):
    """The process was asked to stop by a signal other than Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    def __str__(self) -> str:
        return f"stopped by {signal.Signals(self.signum).name}"


class _State:
    depth = 0  # how many signals_deferred() blocks are open
    held: int | None = None  # a signal that arrived inside one
    stopping = False  # a stop was raised; ignore more signals while unwinding
    #: In a worker process between writers: what to do instead of raising (nothing to unwind).
    on_idle_stop: Callable[[int], None] | None = None


def install_stop_handlers() -> dict[int, object]:
    """Turn every stop signal into an exception; return the previous handlers (for restore)."""
    _State.stopping = False
    _State.held = None
    previous: dict[int, object] = {}
    for signum in STOP_SIGNALS:
        if signal.getsignal(signum) is signal.SIG_IGN and signum != signal.SIGINT:
            continue  # `nohup exporter build &`: whoever started us asked for the hang-up to be ignored
        previous[signum] = signal.signal(signum, _on_stop_signal)
    return previous


def restore_handlers(previous: dict[int, object]) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler)  # type: ignore[arg-type]


@contextlib.contextmanager
def stop_signals_raise() -> Iterator[None]:
    """Inside the block, SIGINT/SIGTERM/SIGHUP raise; the previous handlers come back after it.

    After a stop, the process keeps ignoring further stop signals while it unwinds.
    """
    previous = install_stop_handlers()
    try:
        yield
    finally:
        restore_handlers(previous)


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """A stop signal arriving inside the block is raised only when the block is done."""
    _State.depth += 1
    try:
        yield
    finally:
        _State.depth -= 1
        if _State.depth == 0 and _State.held is not None:
            signum, _State.held = _State.held, None
            _raise_stop(signum)


def set_idle_stop(action: Callable[[int], None] | None) -> None:
    """In a worker process between writers, a stop signal calls action(signum) (which ends the
    process) instead of raising; None while a writer runs, so the writer unwinds."""
    _State.on_idle_stop = action


def stop_exception(signum: int) -> KeyboardInterrupt:
    return KeyboardInterrupt() if signum == signal.SIGINT else Stopped(signum)


def _on_stop_signal(signum: int, frame: FrameType | None) -> None:
    if _State.stopping:
        return
    if _State.depth:
        _State.held = signum
        return
    if _State.on_idle_stop is not None:
        _State.on_idle_stop(signum)
        return
    _raise_stop(signum)


def _raise_stop(signum: int) -> None:
    _State.stopping = True
    raise stop_exception(signum)
