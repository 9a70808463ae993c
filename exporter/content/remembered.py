"""What this process has already read and checked.

`exporter watch` builds again in the same process after every save: a technique file whose text
did not change is not parsed and linted again. Entries are keyed by a digest of everything the
result depends on (the text, the path it is reported under, the library's categories and
language), so an entry can only ever be reused for the same input; the code cannot change within
a process. A bounded number of entries is kept, the oldest dropped first.

A build into an output folder also keeps the entries it used there between processes
(exporter.content.read_cache), so a one-shot build after an edit reads only the edited file.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Generic, TypeVar

Result = TypeVar("Result")


class Remembered(Generic[Result]):
    """Results by a digest of their inputs, at most `limit` of them."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._entries: OrderedDict[bytes, Result] = OrderedDict()
        self._used: set[bytes] = set()

    def get(self, inputs: tuple[str, ...], make: Callable[[], Result]) -> Result:
        """The result for these inputs: remembered, or made now and remembered."""
        key = hashlib.blake2b("\x00".join(inputs).encode("utf-8", "surrogatepass"), digest_size=20).digest()
        self._used.add(key)
        if key in self._entries:
            self._entries.move_to_end(key)
            return self._entries[key]
        result = make()
        self._entries[key] = result
        if len(self._entries) > self.limit:
            self._entries.popitem(last=False)
        return result

    def __len__(self) -> int:
        return len(self._entries)

    def fill(self, entries: Mapping[bytes, Result]) -> None:
        """Remember entries (kept from an earlier process) beside the ones this process has."""
        for key, result in list(entries.items())[: self.limit]:
            self._entries.setdefault(key, result)
        while len(self._entries) > self.limit:
            self._entries.popitem(last=False)

    def used(self) -> dict[bytes, Result]:
        """The entries asked for since the last call (the next call starts afresh)."""
        found = {key: self._entries[key] for key in self._used if key in self._entries}
        self._used = set()
        return found
