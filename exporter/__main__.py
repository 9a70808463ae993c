"""The `exporter` program: stop signals are handled before anything else is imported.

Ctrl-C, SIGTERM or SIGHUP while Python is still importing Click, YAML and exporter itself (the
first tens of milliseconds) ends the program with "Aborted!" instead of a KeyboardInterrupt
traceback: nothing has been read or written yet, so it simply exits. Once the command runs,
the signals raise (exporter.files.signals) and every command cleans up on the way out.
"""

from __future__ import annotations

import _signal  # the C half of `signal`: importing `signal` itself takes milliseconds (enum)
import os
from types import FrameType

_STARTING_SIGNALS = [getattr(_signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(_signal, name)]


def _stop_while_starting(signum: int, frame: FrameType | None) -> None:
    os.write(2, b"Aborted!\n")
    os._exit(1)


def main() -> None:
    for signum in _STARTING_SIGNALS:
        if _signal.getsignal(signum) != _signal.SIG_IGN:  # nohup's ignored hang-up stays ignored
            _signal.signal(signum, _stop_while_starting)
    from exporter.cli import main as command
    from exporter.files.signals import install_stop_handlers

    install_stop_handlers()
    command(prog_name="exporter")


if __name__ == "__main__":
    main()
