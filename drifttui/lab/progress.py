"""A one-line progress bar on stderr (a plain line per conversation when stderr is not a terminal)."""

from __future__ import annotations

import sys
import time
from typing import TextIO

BLOCKS = " ▏▎▍▌▋▊▉█"


def bar(fraction: float, width: int = 24) -> str:
    """``fraction`` in [0, 1] as a bar of ``width`` cells with eighth-cell resolution."""
    fraction = max(0.0, min(1.0, fraction))
    eighths = int(round(fraction * width * 8))
    full, part = divmod(eighths, 8)
    return ("█" * full + (BLOCKS[part] if part else "")).ljust(width)


def duration(seconds: float) -> str:
    """``42s``, ``3m05s``, ``1h02m``."""
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{(seconds % 3600) // 60:02d}m"


class Progress:
    """Counts turns done out of ``total`` and shows rate and time left.

    Args:
        total: Turns the run will play.
        stream: Where to draw (default stderr).
        live: Redraw in place (default: when ``stream`` is a terminal).
        quiet: Draw nothing.
    """

    def __init__(self, total: int, *, stream: TextIO | None = None, live: bool | None = None, quiet: bool = False) -> None:
        self.total = max(1, total)
        self.done = 0
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self.quiet = quiet
        self.label = ""
        self.started = time.perf_counter()
        self._last_draw = 0.0

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    @property
    def rate(self) -> float:
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    def line(self) -> str:
        left = (self.total - self.done) / self.rate if self.rate > 0 else None
        eta = f"  ~{duration(left)} left" if left is not None and self.done < self.total else ""
        return (
            f"lab ▕{bar(self.done / self.total)}▏ {self.done}/{self.total} turns  "
            f"{self.rate:.2f} turns/s  {duration(self.elapsed)}{eta}  {self.label}"
        )

    def status(self, label: str) -> None:
        """What is running now (shown at the end of the bar)."""
        self.label = label
        self._draw(force=False)

    def advance(self, n: int = 1) -> None:
        self.done += n
        self._draw(force=False)

    def note(self, text: str) -> None:
        """A line of its own (a finished conversation, a phase)."""
        if self.quiet:
            return
        if self.live:
            self.stream.write("\r\033[K" + text + "\n")
            self._draw(force=True)
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def _draw(self, *, force: bool) -> None:
        if self.quiet or not self.live:
            return
        now = time.perf_counter()
        if not force and now - self._last_draw < 0.1 and self.done < self.total:
            return
        self._last_draw = now
        width = 140
        self.stream.write("\r\033[K" + self.line()[:width])
        self.stream.flush()

    def finish(self) -> None:
        if self.quiet:
            return
        if self.live:
            self.stream.write("\r\033[K" + self.line() + "\n")
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()
