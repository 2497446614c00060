"""Where sessions live, and names that cannot escape that directory.

Sessions go to ``$DRIFTTUI_SESSIONS_DIR`` when set; otherwise to ``sessions/``
of a source checkout (the directory next to ``pyproject.toml``), and to
``$XDG_DATA_HOME/drifttui/sessions`` when drifttui is installed. New files
get unique names and are created with ``O_EXCL``: a recording never replaces
an existing file.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from drifttui.errors import SessionError
from drifttui.paths import data_dir

SUFFIX = ".jsonl"


def sessions_dir() -> Path:
    """The directory new sessions are recorded into (not created here)."""
    override = os.environ.get("DRIFTTUI_SESSIONS_DIR")
    if override:
        return Path(override).expanduser()
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "pyproject.toml").is_file() and (checkout / "sessions").is_dir():
        return checkout / "sessions"
    return data_dir() / "sessions"


def slug(text: str, limit: int = 40) -> str:
    """``text`` as a lower-case file-name fragment: letters, digits and dashes only."""
    out = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return out[:limit].strip("-") or "session"


def safe_name(directory: Path, name: str) -> Path:
    """``directory / name`` for a bare file name; refuses anything that could point elsewhere.

    Raises:
        SessionError: ``name`` has a directory part, is hidden, empty, ``.``/``..`` or resolves
            outside ``directory`` (e.g. through a symlink).
    """
    if (
        not name
        or name in (".", "..")
        or "/" in name
        or "\\" in name
        or "\0" in name
        or name.startswith(".")
        or os.path.isabs(name)
    ):
        raise SessionError(f"not a plain session file name: {name!r}", path=directory)
    if not name.endswith(SUFFIX):
        name += SUFFIX
    base = directory.resolve()
    target = (base / name).resolve()
    if target.parent != base:
        raise SessionError(f"session name {name!r} would leave the sessions directory", path=directory)
    return target


def _create_exclusive(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o644)
    except FileExistsError:
        return False
    os.close(fd)
    return True


def new_session_path(label: str, directory: Path | None = None, *, now: float | None = None) -> Path:
    """Reserve a fresh, unique file ``<date>-<time>-<label>.jsonl`` in ``directory``.

    The file is created empty (``O_EXCL``), so two recorders never get the same
    name; :class:`~drifttui.session.writer.SessionWriter` then claims it.
    """
    directory = sessions_dir() if directory is None else directory
    directory.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
    stem = f"{stamp}-{slug(label)}"
    for n in range(1, 10_000):
        name = stem if n == 1 else f"{stem}-{n}"
        path = safe_name(directory, name + SUFFIX)
        if _create_exclusive(path):
            return path
    raise SessionError("cannot find a free session file name", path=directory)  # pragma: no cover
