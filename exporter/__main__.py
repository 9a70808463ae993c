"""The `exporter` program: stop signals are handled before anything else is imported.

Ctrl-C, SIGTERM or SIGHUP while Python is still importing Click, YAML and exporter itself (the
first tens of milliseconds) ends the program with "Aborted!" instead of a KeyboardInterrupt
traceback: nothing has been read or written yet, so it simply exits. Once the command runs,
the signals raise (exporter.files.signals) and every command cleans up on the way out.

Exit codes: 0 done, 1 a problem with the content or the build, 2 a mistake on the command line,
128 + the signal's number when stopped (130 for Ctrl-C), as shells report a stopped program.
"""

from __future__ import annotations

import _signal  # the C half of `signal`: importing `signal` itself takes milliseconds (enum)
import os
from types import FrameType
from typing import Any

_STARTING_SIGNALS = [getattr(_signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(_signal, name)]


def _stop_while_starting(signum: int, frame: FrameType | None) -> None:
    os.write(2, b"Aborted!\n")
    os._exit(128 + signum)


def main() -> None:
    for signum in _STARTING_SIGNALS:
        if _signal.getsignal(signum) != _signal.SIG_IGN:  # nohup's ignored hang-up stays ignored
            _signal.signal(signum, _stop_while_starting)
    from exporter.cli import main as command
    from exporter.files.signals import install_stop_handlers

    install_stop_handlers()
    _leave(run(command))


def _leave(code: int) -> None:
    """Exit with code once what was printed is out, without tearing the interpreter down.

    Everything the command wrote is closed and committed by now; freeing the objects a large
    library made (a tenth of a second at 500 techniques) would only keep the shell waiting.
    """
    import sys

    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a reader that left, a closed stream: exit the ordinary way
        raise SystemExit(code) from None
    os._exit(code)


def run(command: Any) -> int:
    """The command's exit code; Click's own handling, with a stop's code as 128 + its signal."""
    import click

    try:
        result = command.main(prog_name="exporter", standalone_mode=False)
    except click.exceptions.Abort as exc:
        click.echo("Aborted!", err=True)
        return 128 + int(getattr(exc.__cause__, "signum", 2))  # SIGINT's number where none is known
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    main()
