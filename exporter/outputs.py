"""Writing output files so that a failed build never leaves a half-written or destroyed file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator

from exporter.errors import ExporterError


def prepare_out_dir(out_dir: Path) -> None:
    """Create the output folder, or explain why it cannot be used."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ExporterError(f"{out_dir}: --out must be a folder, but a file has that name")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExporterError(f"{out_dir}: cannot create the output folder: {exc.strerror or exc}") from exc
    if not os.access(out_dir, os.W_OK):
        raise ExporterError(f"{out_dir}: the output folder is not writable")


@contextlib.contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside target; rename it over target only if the block succeeds.

    On any failure (an exception, Ctrl-C, a full disk) the temporary file is removed and
    target keeps its previous bytes.
    """
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise ExporterError(f"{target}: cannot write: {exc.strerror or exc}") from exc
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise ExporterError(f"{target}: cannot write: {exc.strerror or exc}") from exc
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_bytes_atomic(target: Path, data: bytes) -> None:
    with atomic_output(target) as temporary:
        temporary.write_bytes(data)
