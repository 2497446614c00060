"""Persona TOML files: reading, validating and writing."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from drifttui.persona._model import Persona
from drifttui.persona._schema import Warn, parse_persona
from drifttui.persona._toml import dumps, loads, read_text
from drifttui.persona._vocab import MAX_PERSONA_FILE_BYTES

JSON_SUFFIX = "_json"
"""In a file's ``[card]`` table, ``KEY_json = '<json>'`` stands for a value TOML cannot hold (one with nulls)."""


def print_warning(message: str) -> None:
    """The default warning sink: one line on stderr."""
    print(f"drifttui: warning: {message}", file=sys.stderr)


def load_persona(ref: str | Path, *, warn: Warn | None = None) -> Persona:
    """Read and validate a persona TOML file.

    Args:
        ref: Path of the ``.toml`` file.
        warn: Receives one line per warning; default: print to stderr.

    Raises:
        PersonaError: The file is missing, not TOML, or not a valid persona
            (the message names the field and, when it can, the line).
    """
    path = Path(ref).expanduser()
    text = read_text(path, MAX_PERSONA_FILE_BYTES)
    data = loads(text, path)
    if isinstance(data.get("card"), dict):
        data["card"] = decode_card_table(data["card"])
    persona = parse_persona(data, path=path, text=text, warn=warn or print_warning)
    persona.source = path
    return persona


def persona_toml(persona: Persona, *, header: str = "") -> str:
    """The persona as TOML file text (``source`` left out), optionally after ``header`` comment lines."""
    data = persona.to_dict()
    data.pop("source", None)
    if "card" in data:
        data["card"] = encode_card_table(data["card"])
    comment = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    return comment + ("\n" if comment else "") + dumps(data)


def encode_card_table(card: dict[str, Any]) -> dict[str, Any]:
    """Values holding ``null`` become ``KEY_json`` strings (TOML has no null)."""
    return {
        (f"{k}{JSON_SUFFIX}" if _has_null(v) else k): (json.dumps(v, ensure_ascii=False) if _has_null(v) else v)
        for k, v in card.items()
    }


def decode_card_table(card: dict[str, Any]) -> dict[str, Any]:
    """Inverse of :func:`encode_card_table`; a ``KEY_json`` value that is not JSON stays as it is."""
    out: dict[str, Any] = {}
    for key, value in card.items():
        if key.endswith(JSON_SUFFIX) and isinstance(value, str):
            try:
                out[key[: -len(JSON_SUFFIX)]] = json.loads(value)
                continue
            except json.JSONDecodeError:
                pass
        out[key] = value
    return out


def _has_null(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, dict):
        return any(_has_null(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_null(v) for v in value)
    return False
