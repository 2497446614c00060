"""Reading persona files."""

from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from drifttui.errors import PersonaError
from drifttui.persona._model import Persona, Probe

DEFAULT = Persona(
    name="Mara Silva",
    role="dentist",
    personality="introverted, analytical, dry humour",
    backstory="Grew up in Porto, moved to Lisbon for dental school and stayed.",
    greeting="Mm. Come in, sit down.",
    facts={"age": "34", "city": "Lisbon", "job": "dentist", "pet": "a grey cat named Olive"},
    probes=[Probe("How old are you?", ("34", "thirty-four"))],
)


def default_persona() -> Persona:
    return DEFAULT


def load_persona(ref: str | Path) -> Persona:
    path = Path(ref)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PersonaError("persona file not found", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        raise PersonaError(f"invalid TOML: {exc}", path=path) from None
    if "name" not in data:
        raise PersonaError("missing required field 'name'", path=path)
    probes = [Probe(p["question"], tuple(p["expect"])) for p in data.get("probes", [])]
    return Persona(
        name=data["name"],
        role=data.get("role", ""),
        personality=data.get("personality", ""),
        backstory=data.get("backstory", ""),
        greeting=data.get("greeting", ""),
        facts={k: str(v) for k, v in data.get("facts", {}).items()},
        probes=probes,
        source=path,
    )


def resolve_persona(ref: str | None) -> Persona:
    """``None`` → the bundled default; otherwise a file path."""
    return default_persona() if ref is None else load_persona(ref)
