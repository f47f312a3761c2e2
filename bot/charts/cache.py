"""Recently rendered charts, by content.

Undo and redo, the same photo sent again, and a tap back to an earlier chart type all ask for
a chart that was drawn moments ago; handing back those bytes costs microseconds instead of a
render. Memory is bounded by bytes, least recently used first out.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict

from bot.charts.spec import ChartSpec
from bot.tables.table import Table

DEFAULT_MAX_BYTES = 32 * 1024 * 1024


class RenderCache:
    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self._max_bytes = max_bytes
        self._bytes = 0
        self._entries: OrderedDict[bytes, bytes] = OrderedDict()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(table: Table, spec: ChartSpec, words: str = "") -> bytes:
        """The chart's key; `words` are the chart's own words in the person's language."""
        digest = hashlib.sha256(table.model_dump_json().encode())
        digest.update(b"\0")
        digest.update(spec.model_dump_json().encode())
        digest.update(b"\0")
        digest.update(words.encode())
        return digest.digest()

    def get(self, key: bytes) -> bytes | None:
        png = self._entries.get(key)
        if png is None:
            self.misses += 1
            return None
        self._entries.move_to_end(key)
        self.hits += 1
        return png

    def put(self, key: bytes, png: bytes) -> None:
        if len(png) > self._max_bytes // 4:
            return
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= len(old)
        self._entries[key] = png
        self._bytes += len(png)
        while self._bytes > self._max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self._bytes -= len(evicted)

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)
