"""Personas: the TOML format, prompt assembly and the shipped library."""

from drifttui.persona._model import Persona, Probe
from drifttui.persona._load import default_persona, load_persona, resolve_persona

__all__ = ["Persona", "Probe", "default_persona", "load_persona", "resolve_persona"]
