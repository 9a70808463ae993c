"""Reading and writing the packs of entries kept in `<out>/.exporter-cache/` (exporter.files.byte_pack)."""

from __future__ import annotations

import marshal
from pathlib import Path


def pack_entries(path: Path) -> dict[str, bytes]:
    """A pack's entries, by key."""
    data = path.read_bytes()
    head = data.index(b"\n") + 1
    size = int.from_bytes(data[head : head + 8], "big")
    index = marshal.loads(data[head + 8 : head + 8 + size])
    start = head + 8 + size
    return {key: data[start + offset : start + offset + length] for key, (offset, length) in index.items()}


def write_pack(path: Path, entries: dict[str, bytes]) -> None:
    """Replace a pack's entries (as the program lays a pack out)."""
    head = path.read_bytes()
    magic = head[: head.index(b"\n") + 1]
    index, end = {}, 0
    for key, entry in entries.items():
        index[key] = (end, len(entry))
        end += len(entry)
    table = marshal.dumps(index)
    path.write_bytes(magic + len(table).to_bytes(8, "big") + table + b"".join(entries.values()))
