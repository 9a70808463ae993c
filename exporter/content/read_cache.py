"""The technique files a build read and linted, kept beside its outputs for the next build.

`<out>/.exporter-cache/content.pickle` holds the entries of the two per-process memos
(exporter.content.remembered) that the last build into that folder used: each technique file's
parsed technique and problems, by a digest of its text, path and the library's categories, and
each technique's lint problems. A build fills the memos from it before reading the content, so
after an edit only the edited file is parsed and linted again.

The file is written inside the build's journal, after the outputs, like the other caches; it is
read only when it was made by the same exporter code (the build's cache salt) and a damaged or
foreign file is no file. Like Sphinx's environment pickle it is the tool's own data in the user's
own folder; deleting it costs one full reading of the content.
"""

from __future__ import annotations

import contextlib
import pickle
from pathlib import Path
from typing import Any

from exporter.errors import ExporterError
from exporter.files.atomic import atomic_output
from exporter.files.output_cache import CACHE_DIR

CACHE_FILE = "content.pickle"
FORMAT = 2
_READ_LIMIT = 256 * 1024 * 1024


def _memos() -> dict[str, Any]:
    from exporter.content.learning_lint import _LINTED
    from exporter.content.techniques import _READ

    return {"read": _READ, "lint": _LINTED}


def fill_memos(out_dir: Path, salt: str) -> None:
    """Fill this process's empty memos with what the last build into out_dir kept."""
    memos = _memos()
    if any(len(memo) for memo in memos.values()):
        return  # a watching process already remembers more than the file holds
    path = out_dir / CACHE_DIR / CACHE_FILE
    try:
        if not path.is_file() or path.stat().st_size > _READ_LIMIT:
            return
        found: dict[str, dict[bytes, Any]] = {name: {} for name in memos}
        with open(path, "rb") as file:
            if pickle.load(file) != (FORMAT, salt):  # noqa: S301 (exporter's own file, checked by its salt)
                return
            while (entry := pickle.load(file)) is not None:  # noqa: S301
                name, key, value = entry
                found[name][key] = value
        for name, memo in memos.items():
            memo.fill(found[name])
    except Exception:  # noqa: BLE001 (a damaged cache is no cache, whatever unpickling raised)
        return


def keep_memos(out_dir: Path, salt: str) -> None:
    """Write the entries this build used (a failure only costs the next build its reuse).

    Entry by entry: one pickling of the whole memo held a table of every object in it (tens of
    megabytes at 5,000 techniques)."""
    path = out_dir / CACHE_DIR / CACHE_FILE
    with contextlib.suppress(OSError, ExporterError), atomic_output(path) as temporary, open(temporary, "wb") as file:
        pickle.dump((FORMAT, salt), file, protocol=pickle.HIGHEST_PROTOCOL)
        for name, memo in _memos().items():
            for key, value in memo.used().items():
                pickle.dump((name, key, value), file, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(None, file)
