"""The persona library: where named personas are looked up, and the bundled default.

Search order for a name like ``mara-silva`` (file ``mara-silva.toml``):

1. each directory in ``$DRIFTTUI_PERSONAS`` (``os.pathsep``-separated);
2. ``./personas`` in the current directory;
3. the repository's ``personas/`` next to the package (source checkouts);
4. the package data ``drifttui/data/personas`` (always there, even in a wheel).

The first file found wins; later ones with the same name are *shadowed*.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from drifttui.errors import PersonaError
from drifttui.persona._file import load_persona
from drifttui.persona._model import Persona
from drifttui.persona._schema import Warn

DEFAULT_NAME = "mara-silva"
"""Library name of the persona the app starts on."""

ENV_VAR = "DRIFTTUI_PERSONAS"

_PACKAGE_DIR = Path(__file__).resolve().parent.parent / "data" / "personas"


@dataclass(frozen=True)
class LibraryEntry:
    """One persona file found in the library."""

    name: str
    """File stem, the name to pass to :func:`resolve_persona`."""
    path: Path
    shadowed: bool = False
    """An earlier directory has a persona of the same name."""


def package_dir() -> Path:
    """The persona files shipped inside the package (the bundled default)."""
    return _PACKAGE_DIR


def repo_dir() -> Path | None:
    """``personas/`` of the source checkout the package runs from, if any."""
    root = _PACKAGE_DIR.parents[2]
    folder = root / "personas"
    return folder if (root / "pyproject.toml").is_file() and folder.is_dir() else None


def library_dirs() -> list[Path]:
    """Existing library directories in search order, without duplicates."""
    candidates = [Path(p).expanduser() for p in os.environ.get(ENV_VAR, "").split(os.pathsep) if p]
    candidates += [Path.cwd() / "personas", repo_dir(), _PACKAGE_DIR]  # type: ignore[list-item]
    seen: set[Path] = set()
    out = []
    for folder in candidates:
        if folder is None or not folder.is_dir():
            continue
        key = folder.resolve()
        if key not in seen:
            seen.add(key)
            out.append(folder)
    return out


def library(*, include_shadowed: bool = False) -> list[LibraryEntry]:
    """Every ``*.toml`` in the library directories, by search order then name."""
    seen: set[str] = set()
    out = []
    for folder in library_dirs():
        for path in sorted(folder.glob("*.toml"), key=lambda p: p.stem):
            shadowed = path.stem in seen
            seen.add(path.stem)
            if include_shadowed or not shadowed:
                out.append(LibraryEntry(path.stem, path, shadowed))
    return out


def find_persona(name: str) -> Path | None:
    """The file of library persona ``name`` (a file stem, or a display name like "Mara Silva")."""
    for stem in dict.fromkeys((name, slug(name))):
        for folder in library_dirs():
            path = folder / f"{stem}.toml"
            if path.is_file():
                return path
    return None


def slug(name: str) -> str:
    """``"Mara Silva"`` → ``"mara-silva"``: the file stem for a persona name."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "persona"


def default_persona(*, warn: Warn | None = None) -> Persona:
    """The bundled default persona (Mara Silva), read from the package data."""
    return load_persona(_PACKAGE_DIR / f"{DEFAULT_NAME}.toml", warn=warn)


def resolve_persona(ref: str | None, *, warn: Warn | None = None) -> Persona:
    """A persona from a command-line reference.

    Args:
        ref: ``None`` for the bundled default; a library name (``mara-silva``);
            or a path to a ``.toml`` file.
        warn: Receives warning lines; default: stderr.

    Raises:
        PersonaError: No such persona, or the file is invalid.
    """
    if ref is None:
        return default_persona(warn=warn)
    if Path(ref).suffix.lower() in (".png", ".json"):
        raise PersonaError(
            "is a character card, not a persona file",
            path=ref,
            hint=f"convert it first: drifttui persona import {ref} -o personas/NAME.toml",
        )
    bare = "/" not in ref and os.sep not in ref
    if bare and ref.endswith(".toml") and not Path(ref).is_file() and find_persona(ref[: -len(".toml")]):
        ref = ref[: -len(".toml")]  # "mara-silva.toml" given as a library name
    if not bare or ref.endswith(".toml") or Path(ref).is_file():
        return load_persona(ref, warn=warn)
    path = find_persona(ref)
    if path is None:
        known = ", ".join(sorted({e.name for e in library()})) or "none"
        raise PersonaError(
            f"no persona named {ref!r} in the library (known: {known})",
            hint="pass a .toml path, or see `drifttui persona list`",
        )
    return load_persona(path, warn=warn)
