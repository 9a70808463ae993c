"""The one-line status a build shows on a terminal while the writers run."""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from typing import TextIO


class StatusLine:
    """`building handbook, deck (2 of 4 done, 12 s)`, redrawn in place on stderr.

    Silent unless enabled (the command enables it only for a terminal and without --quiet),
    so logs and pipes get the closing summary and nothing else.
    """

    def __init__(self, total: int, enabled: bool, stream: TextIO | None = None) -> None:
        self.total = total
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        self.started_at = time.perf_counter()
        self.running: list[str] = []
        self.done = 0
        self._drawn = False
        self._lock = threading.Lock()

    def started(self, name: str) -> None:
        self.running.append(name)
        self.refresh()

    def finished(self, name: str) -> None:
        if name in self.running:
            self.running.remove(name)
        self.done += 1
        self.refresh()

    def refresh(self) -> None:
        if not self.enabled:
            return
        elapsed = time.perf_counter() - self.started_at
        waiting = ", ".join(self.running) or "finishing"
        line = f"building {waiting} ({self.done} of {self.total} done, {elapsed:.0f} s)"
        # A line wider than the terminal would wrap, and \r could no longer redraw it in place.
        width = self._columns() - 1
        with self._lock:
            # \r returns to the line start, \x1b[K clears what a longer earlier line left behind.
            self.stream.write(f"\r{line[:width]}\x1b[K")
            self.stream.flush()
            self._drawn = True

    def _columns(self) -> int:
        try:
            columns = os.get_terminal_size(self.stream.fileno()).columns
        except (AttributeError, OSError, ValueError):  # not a real terminal (a test's stream)
            columns = 0
        return columns or shutil.get_terminal_size().columns  # a new pseudo-terminal reports 0

    def clear(self) -> None:
        if self.enabled and self._drawn:
            with self._lock:
                self.stream.write("\r\x1b[K")
                self.stream.flush()
                self._drawn = False


class Ticker:
    """Redraws a StatusLine every half second while one writer works in this process.

    Only for in-process builds: a thread must not be running when worker processes are forked.
    """

    def __init__(self, status: StatusLine, interval: float = 0.5) -> None:
        self.status = status
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Ticker:
        if self.status.enabled:
            self._thread = threading.Thread(target=self._tick, name="exporter-status", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _tick(self) -> None:
        while not self._stop.wait(self.interval):
            self.status.refresh()
