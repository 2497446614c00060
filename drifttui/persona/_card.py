"""SillyTavern character cards (V1, V2 ``chara_card_v2``, V3 ``chara_card_v3``) → personas.

A card is a JSON file, or a PNG with the base64 JSON in a text chunk keyed
``chara`` (V2) or ``ccv3`` (V3; preferred when both exist). The mapping:

==========================  =========================================
card ``data`` field         persona field
==========================  =========================================
name                        name
description                 backstory
personality                 personality
scenario                    scenario
first_mes                   greeting
alternate_greetings         alternate_greetings
mes_example                 style.examples (the ``{{char}}:`` lines)
system_prompt               prompt.instruction (``{{original}}`` kept)
tags                        tags
everything else             [card], verbatim (creator_notes, extensions…)
==========================  =========================================

``{{char}}`` (the V3 ``nickname`` if set, else the name) and ``{{user}}``
(and the legacy ``<BOT>``/``<CHAR>``/``<USER>``) are substituted in the mapped
text. ``[card]`` never reaches a prompt.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drifttui.errors import PersonaError
from drifttui.persona._model import Persona
from drifttui.persona._png import is_png, text_chunks
from drifttui.persona._schema import Warn, parse_persona
from drifttui.persona._vocab import MAX_CARD_FILE_BYTES, MAX_FIELD_CHARS

CHUNK_KEYS = ("ccv3", "chara")
"""PNG text-chunk keywords, in order of preference."""

SPECS = ("chara_card_v2", "chara_card_v3")

TEXT_FIELDS = (
    "name",
    "description",
    "personality",
    "scenario",
    "first_mes",
    "mes_example",
    "system_prompt",
    "post_history_instructions",
    "creator_notes",
    "nickname",
)
LIST_FIELDS = ("alternate_greetings", "group_only_greetings", "tags")
MAPPED = ("name", "description", "personality", "scenario", "first_mes", "alternate_greetings", "system_prompt", "tags")

MAX_DEPTH = 64
"""Deepest JSON nesting accepted in a card (lorebooks and extensions are shallow in practice)."""

_MACRO = re.compile(r"\{\{\s*(char|user)\s*\}\}|<(bot|char|user)>", re.IGNORECASE)


@dataclass
class Card:
    """A decoded card.

    Attributes:
        spec: ``chara_card_v3``, ``chara_card_v2`` or ``chara_card_v1``.
        data: The character fields (V2/V3 ``data``; a V1 card's top level).
        top: The whole decoded JSON object.
        origin: Where it came from, for messages: ``JSON`` or ``PNG chunk 'ccv3'``.
        path: The card file.
    """

    spec: str
    data: dict[str, Any]
    top: dict[str, Any]
    origin: str
    path: Path | None = None


def read_card(ref: str | Path, *, warn: Warn) -> Card:
    """Read a card from a ``.json`` or ``.png`` file (detected by content, not extension).

    Raises:
        PersonaError: Missing file, over the size limit, a PNG without a card,
            truncated PNG, invalid base64 or JSON, or a field of the wrong type or size.
    """
    path = Path(ref).expanduser()
    try:
        if path.is_dir():
            raise PersonaError("is a directory, not a character card", path=path)
        size = path.stat().st_size
        if size > MAX_CARD_FILE_BYTES:
            raise PersonaError(f"file is {size:,} bytes; the limit for a card is {MAX_CARD_FILE_BYTES:,}", path=path)
        blob = path.read_bytes()
    except FileNotFoundError:
        raise PersonaError("character card not found", path=path) from None
    except OSError as exc:
        raise PersonaError(f"cannot read the card: {exc.strerror}", path=path) from None
    if is_png(blob):
        return _card_from_png(blob, path, warn)
    try:
        text = blob.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PersonaError("not a character card: expected a PNG image or a UTF-8 JSON file", path=path) from None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PersonaError(f"invalid JSON: {exc.msg}", path=path, line=exc.lineno, col=exc.colno) from None
    except RecursionError:
        raise PersonaError(f"invalid card: JSON nested deeper than {MAX_DEPTH} levels", path=path) from None
    return parse_card(obj, origin="JSON", path=path, warn=warn)


def _card_from_png(blob: bytes, path: Path, warn: Warn) -> Card:
    raw = text_chunks(blob, path)
    texts = {k.lower(): v for k, v in reversed(raw.items())}  # keywords match in any case; the first wins
    present = [k for k in CHUNK_KEYS if k in texts]
    if not present:
        found = f" (text chunks found: {', '.join(raw)})" if raw else ""
        raise PersonaError(f"no character card in this PNG: no 'chara' or 'ccv3' text chunk{found}", path=path)
    for i, key in enumerate(present):
        try:
            obj = _decode_chunk(texts[key], key, path)
            return parse_card(obj, origin=f"PNG chunk {key!r}", path=path, warn=warn)
        except PersonaError as exc:
            if i + 1 == len(present):
                raise
            warn(f"{exc}; using the {present[i + 1]!r} chunk instead")
    raise AssertionError("unreachable")  # pragma: no cover


def _decode_chunk(text: str, key: str, path: Path) -> Any:
    compact = "".join(text.split())
    try:
        raw = base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise PersonaError(f"the {key!r} chunk is not valid base64 ({exc})", path=path) from None
    try:
        decoded = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PersonaError(f"the {key!r} chunk does not decode to UTF-8 text (byte {exc.start})", path=path) from None
    try:
        return json.loads(decoded)
    except RecursionError:
        raise PersonaError(f"the {key!r} chunk holds JSON nested deeper than {MAX_DEPTH} levels", path=path) from None
    except json.JSONDecodeError as exc:
        raise PersonaError(
            f"the {key!r} chunk holds invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno} of the decoded text)",
            path=path,
        ) from None


def parse_card(obj: Any, *, origin: str = "JSON", path: Path | None = None, warn: Warn) -> Card:
    """Check a decoded card object's spec, field types and sizes.

    Raises:
        PersonaError: Unsupported spec, missing ``name``, or a field of the wrong type or over the limit.
    """
    if not isinstance(obj, dict):
        raise PersonaError(f"not a character card: the {origin} is not a JSON object", path=path)
    if _depth(obj) > MAX_DEPTH:
        raise PersonaError(f"invalid card: JSON nested deeper than {MAX_DEPTH} levels ({origin})", path=path)
    spec = obj.get("spec")
    if spec in SPECS:
        data = obj.get("data")
        prefix = "data."
        if not isinstance(data, dict):
            raise PersonaError(f"card field 'data' is missing or not an object ({origin})", path=path)
        version = str(obj.get("spec_version", ""))
        if spec == "chara_card_v3" and version and not version.startswith("3"):
            warn(f"{path}: card spec_version {version!r}; read as version 3")
    elif spec is None and isinstance(obj.get("name"), str):
        spec, data, prefix = "chara_card_v1", obj, ""
    else:
        raise PersonaError(
            f"unsupported card spec {spec!r} ({origin}); expected {' or '.join(SPECS)}", path=path
        )
    for key in TEXT_FIELDS:
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise PersonaError(f"card field '{prefix}{key}' must be a string, got {type(value).__name__}", path=path)
        _check_size(f"{prefix}{key}", value or "", path)
    for key in LIST_FIELDS:
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise PersonaError(f"card field '{prefix}{key}' must be an array of strings", path=path)
        for i, item in enumerate(value):
            _check_size(f"{prefix}{key}[{i}]", item, path)
    if not (data.get("name") or "").strip():
        raise PersonaError(f"card field '{prefix}name' is missing or empty ({origin})", path=path)
    return Card(spec=spec, data=data, top=obj, origin=origin, path=path)


def _depth(obj: Any) -> int:
    """Nesting depth of a JSON value, without recursion."""
    deepest, stack = 0, [(obj, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, (dict, list)):
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:
                stack.extend((v, depth + 1) for v in (value.values() if isinstance(value, dict) else value))
    return deepest


def _check_size(field: str, value: str, path: Path | None) -> None:
    if len(value) > MAX_FIELD_CHARS:
        raise PersonaError(
            f"card field '{field}' is {len(value):,} characters; the limit is {MAX_FIELD_CHARS:,} per field",
            path=path,
        )


def card_to_persona(card: Card, *, user: str = "User", warn: Warn) -> Persona:
    """Map a card onto a persona (see the module docstring); the result is validated.

    Args:
        card: From :func:`read_card` or :func:`parse_card`.
        user: What ``{{user}}`` becomes.
        warn: Receives notes on card parts drifttui keeps but does not use.
    """
    data = card.data
    name = data["name"].strip()
    char = (data.get("nickname") or "").strip() or name

    def sub(text: str | None) -> str:
        return substitute(text or "", char=char, user=user).strip()

    persona_data: dict[str, Any] = {
        "name": name,
        "summary": f"Imported from a SillyTavern card ({card.spec})",
        "tags": [t for t in (data.get("tags") or []) if t.strip()],
        "personality": sub(data.get("personality")),
        "backstory": sub(data.get("description")),
        "scenario": sub(data.get("scenario")),
        "greeting": sub(data.get("first_mes")),
        "alternate_greetings": [g for g in (sub(g) for g in data.get("alternate_greetings") or []) if g],
        "style": {"examples": [sub(line) for line in example_lines(data.get("mes_example") or "", names=(name, char))]},
        "prompt": {"instruction": sub(data.get("system_prompt"))},
        "card": preserved(card),
    }
    persona_data["style"] = {k: v for k, v in persona_data["style"].items() if v}
    persona_data["prompt"] = {k: v for k, v in persona_data["prompt"].items() if v}
    for key in ("post_history_instructions", "character_book"):
        if data.get(key):
            warn(f"{card.path}: the card's {key} is kept in [card] but not used in prompts")
    persona = parse_persona({k: v for k, v in persona_data.items() if v not in ("", [], {})}, path=card.path, warn=warn)
    persona.source = card.path
    return persona


def preserved(card: Card) -> dict[str, Any]:
    """The card's unmapped metadata, verbatim (empty values left out)."""
    out: dict[str, Any] = {}
    for key in ("spec", "spec_version"):
        if card.top.get(key) not in (None, ""):
            out[key] = card.top[key]
    for key, value in card.data.items():
        if key not in MAPPED and value not in (None, "", [], {}):
            out[key] = value
    return json.loads(json.dumps(out))  # a deep, JSON-safe copy


def substitute(text: str, *, char: str, user: str) -> str:
    """Replace ``{{char}}``/``{{user}}`` (any case, inner spaces) and ``<BOT>``/``<CHAR>``/``<USER>``."""

    def repl(match: re.Match[str]) -> str:
        who = (match.group(1) or match.group(2)).lower()
        return user if who == "user" else char

    return _MACRO.sub(repl, text)


def example_lines(mes_example: str, *, names: tuple[str, ...] = ()) -> list[str]:
    """The character's utterances in a card's ``mes_example`` block.

    Blocks start with ``<START>``; a line ``{{char}}: text`` (or ``<BOT>:``, or
    ``Name:``) starts an utterance that runs until the next speaker line.
    """
    speakers = "|".join([r"\{\{\s*char\s*\}\}", r"<bot>", r"<char>", *(re.escape(n) for n in names if n)])
    char_re = re.compile(rf"^\s*(?:{speakers})\s*:\s*(.*)$", re.IGNORECASE)
    other_re = re.compile(r"^\s*(?:\{\{\s*user\s*\}\}|<user>)\s*:", re.IGNORECASE)
    out: list[str] = []
    current: list[str] | None = None

    def flush() -> None:
        if current:
            text = " ".join(current).strip()
            if text:
                out.append(text)

    for line in mes_example.splitlines():
        if line.strip().lower().startswith("<start>"):
            flush()
            current = None
        elif match := char_re.match(line):
            flush()
            current = [match.group(1).strip()]
        elif other_re.match(line):
            flush()
            current = None
        elif current is not None and line.strip():
            current.append(line.strip())
    flush()
    return out


def import_card(ref: str | Path, *, user: str = "User", warn: Warn) -> Persona:
    """Read a card file and map it onto a persona."""
    return card_to_persona(read_card(ref, warn=warn), user=user, warn=warn)
