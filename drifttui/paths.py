"""Where drifttui keeps its files (XDG base directories, overridable)."""

from __future__ import annotations

import os
from pathlib import Path

APP = "drifttui"


def _xdg(var: str, default: str) -> Path:
    value = os.environ.get(var)
    return Path(value) if value else Path.home() / default


def cache_dir() -> Path:
    """Model files and converted models: ``$DRIFTTUI_CACHE_DIR`` or ``$XDG_CACHE_HOME/drifttui``."""
    override = os.environ.get("DRIFTTUI_CACHE_DIR")
    if override:
        return Path(override).expanduser()
    return _xdg("XDG_CACHE_HOME", ".cache") / APP


def data_dir() -> Path:
    """Recorded sessions when installed: ``$DRIFTTUI_DATA_DIR`` or ``$XDG_DATA_HOME/drifttui``."""
    override = os.environ.get("DRIFTTUI_DATA_DIR")
    if override:
        return Path(override).expanduser()
    return _xdg("XDG_DATA_HOME", ".local/share") / APP


def state_dir() -> Path:
    """Run markers (crash detection): ``$XDG_STATE_HOME/drifttui``."""
    override = os.environ.get("DRIFTTUI_STATE_DIR")
    if override:
        return Path(override).expanduser()
    return _xdg("XDG_STATE_HOME", ".local/state") / APP


def models_dir() -> Path:
    return cache_dir() / "models"


def config_dir() -> Path:
    """User settings such as ``keymap.toml``: ``$DRIFTTUI_CONFIG_DIR`` or ``$XDG_CONFIG_HOME/drifttui``."""
    override = os.environ.get("DRIFTTUI_CONFIG_DIR")
    if override:
        return Path(override).expanduser()
    return _xdg("XDG_CONFIG_HOME", ".config") / APP


def shown(path: Path) -> str:
    """``path`` as a person reads it: under the home directory as ``~/…``."""
    try:
        return "~/" + str(path.relative_to(Path.home())) if path != Path.home() else "~"
    except ValueError:
        return str(path)
