"""Upgrading session files written by older format versions.

Like ``llm``'s log store, upgrades are named functions applied in order.
Each :class:`Migration` takes format version ``n`` to ``n + 1``: one
function for the header, one for each event (events keep their line
numbers, so errors still point at the right line). Files are never rewritten:
the upgrade happens in memory on every load, so any older file stays readable
by every newer drifttui.

To change the format: bump :data:`~drifttui.session.format.FORMAT_VERSION`,
register ``m00N_what_changed`` below with ``@migration(N - 1)``, and describe
the change in ``docs/session-format.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from drifttui.session.format import FORMAT_VERSION

Json = dict[str, Any]


def _same(data: Json) -> Json:
    return data


@dataclass(frozen=True)
class Migration:
    """Takes format version ``from_version`` to ``from_version + 1``."""

    name: str
    from_version: int
    header: Callable[[Json], Json] = _same
    event: Callable[[Json], Json] = _same


MIGRATIONS: list[Migration] = []
"""Every migration, ordered by ``from_version``. Version 1 is the first released format."""

FIRST_VERSION = 1
"""The oldest format version this build can read."""


def migration(from_version: int, *, header: Callable[[Json], Json] | None = None) -> Callable[[Callable[[Json], Json]], Callable[[Json], Json]]:
    """Register the decorated per-event function (and ``header``) as the upgrade from ``from_version``."""

    def register(fn: Callable[[Json], Json]) -> Callable[[Json], Json]:
        MIGRATIONS.append(Migration(fn.__name__, from_version, header or _same, fn))
        MIGRATIONS.sort(key=lambda m: m.from_version)
        return fn

    return register


def chain(version: int, target: int = FORMAT_VERSION, migrations: list[Migration] | None = None) -> list[Migration]:
    """The migrations that take ``version`` to ``target``, in order.

    Raises:
        LookupError: one step of the chain is missing.
    """
    steps = MIGRATIONS if migrations is None else migrations
    by_version = {m.from_version: m for m in steps}
    out = []
    for v in range(version, target):
        if v not in by_version:
            raise LookupError(f"no migration from session format version {v} to {v + 1}")
        out.append(by_version[v])
    return out


def readable(version: int) -> bool:
    """Can this build read (possibly after upgrading) format ``version``?"""
    if version == FORMAT_VERSION:
        return True
    if version > FORMAT_VERSION or version < 0:
        return False
    try:
        chain(version)
    except LookupError:
        return False
    return True


# --------------------------------------------------------------------------
# Migrations, oldest first. Format version 1 is the first public format, so
# there are none yet. Example of the shape a future one takes:
#
#   @migration(1, header=_m002_header)
#   def m002_rename_trim_field(event: Json) -> Json:
#       if event.get("type") == "trim":
#           event["dropped"] = event.pop("dropped_tokens", 0)
#       return event
