"""Turns token bytes into safe text deltas, holding back partial UTF-8 and stop strings."""

from __future__ import annotations

import codecs


class TextStream:
    """Accumulates token pieces; :meth:`push` returns text that is safe to show.

    Text that might be the start of a stop string is held back until it is
    clearly not one; once a stop string appears, :attr:`stopped` is set and the
    text is cut just before it.
    """

    def __init__(self, stops: tuple[str, ...] = ()) -> None:
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._stops = tuple(s for s in stops if s)
        self.text = ""
        self._emitted = 0
        self.stopped = False

    def push(self, piece: bytes) -> str:
        if self.stopped:
            return ""
        self.text += self._decoder.decode(piece)
        for stop in self._stops:
            at = self.text.find(stop)
            if at >= 0:
                self.text = self.text[:at]
                self.stopped = True
        safe = len(self.text) if self.stopped else len(self.text) - self._held_back()
        delta = self.text[self._emitted : safe]
        self._emitted = max(self._emitted, safe)
        return delta

    def finish(self) -> str:
        """Flush what was held back (the stream ended without a stop string)."""
        if not self.stopped:
            self.text += self._decoder.decode(b"", final=True)
        delta = self.text[self._emitted :]
        self._emitted = len(self.text)
        return delta

    def _held_back(self) -> int:
        longest = 0
        for stop in self._stops:
            for n in range(min(len(stop) - 1, len(self.text)), 0, -1):
                if self.text.endswith(stop[:n]):
                    longest = max(longest, n)
                    break
        return longest
