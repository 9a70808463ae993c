"""The `exporter` program: stop signals are handled before anything heavy is imported.

Ctrl-C, SIGTERM or SIGHUP while Python is still importing Click and YAML (the first tens of
milliseconds) ends the program with "Aborted!" instead of a KeyboardInterrupt traceback.
"""

from __future__ import annotations

import sys

from exporter.stopping import install_stop_handlers


def main() -> None:
    install_stop_handlers()
    try:
        from exporter.cli import main as command
    except KeyboardInterrupt:
        sys.stderr.write("Aborted!\n")
        raise SystemExit(1) from None
    command(prog_name="exporter")
