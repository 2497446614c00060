"""The machine the lab runs on: cores, load, and how many model threads to use."""

from __future__ import annotations

import os


def machine_load() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):  # pragma: no cover - not Unix
        return None


def cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def auto_threads() -> tuple[int, str]:
    """Model threads for a long batch job, and why: the cores the 1-minute load leaves free (at least 1).

    llama.cpp's worker threads spin at each barrier: when another process holds
    one of the cores, a thread that loses its slice stalls all the others, and two
    threads can run many times slower than one (measured on 2 cores with one other
    busy process: 40 tokens in 7.7-58.6 s with 2 threads, 1.3 s with 1). So a
    thread is only added for a core that is actually idle.
    """
    n = cores()
    load = machine_load()
    if load is None:
        return n, f"{n} threads"
    free = n - load[0]
    threads = max(1, min(n, int(free + 0.5)))
    why = "the cores the load leaves free" if threads < n else "the machine is idle"
    return threads, f"{threads} thread(s): {why} (load {load[0]:.1f} on {n} cores)"
