"""The session file format (version 1): header, event vocabulary, encoding.

A session is one JSONL file. Line 1 is the header; every further line is one
event, appended when it completes. Replaying the events in order rebuilds the
:class:`~drifttui.conversation.Conversation` exactly. Messages use the field
names SillyTavern users know (``mes``, ``swipes``, ``swipe_id``,
``swipe_info``); everything drifttui adds sits under a ``drift`` key.

See ``docs/session-format.md`` for the full description.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drifttui.conversation import Swipe, now_iso

FORMAT = "drifttui-session"
"""Value of the header's ``format`` key."""
FORMAT_VERSION = 1
"""The version this build writes. Older versions are upgraded on load (see :mod:`.migrate`)."""

EVENT_TYPES = (
    "user",
    "assistant",
    "swipe",
    "select",
    "edit",
    "annotate",
    "score",
    "probe",
    "trim",
    "pin",
    "unpin",
    "truncate",
    "resume",
    "recover",
)
"""Every event ``type`` of format version 1."""

_INT = (int,)
_NUM = (int, float)
_STR = (str,)
_BOOL = (bool,)
_LIST = (list,)
_DICT = (dict,)
_OPT_STR = (str, type(None))
_OPT_DICT = (dict, type(None))

# field -> (allowed JSON types, required)
EVENT_FIELDS: dict[str, dict[str, tuple[tuple[type, ...], bool]]] = {
    "user": {"turn": (_INT, True), "mes": (_STR, True), "name": (_STR, False), "send_date": (_STR, False)},
    "assistant": {
        "turn": (_INT, True),
        "mes": (_STR, False),
        "swipes": (_LIST, True),
        "swipe_id": (_INT, True),
        "swipe_info": (_LIST, False),
        "name": (_STR, False),
        "send_date": (_STR, False),
    },
    "swipe": {
        "turn": (_INT, True),
        "swipe_id": (_INT, True),
        "mes": (_STR, True),
        "swipe_info": (_DICT, False),
        "selected": (_BOOL, False),
    },
    "select": {"turn": (_INT, True), "swipe_id": (_INT, True)},
    "edit": {"turn": (_INT, True), "swipe_id": (_INT, True), "mes": (_STR, True)},
    "annotate": {"turn": (_INT, True), "label": (_OPT_STR, True), "note": (_STR, False), "swipe_id": (_INT, False)},
    "score": {"turn": (_INT, True), "swipe_id": (_INT, True), "drift": (_DICT, True), "scorer": (_OPT_STR, False)},
    "probe": {"turn": (_INT, True), "results": (_LIST, True)},
    "trim": {"at_turn": (_INT, True), "first_kept": (_INT, True), "dropped_tokens": (_INT, False)},
    "pin": {"fact": (_STR, True)},
    "unpin": {"fact": (_STR, True)},
    "truncate": {"turns": (_INT, True)},
    "resume": {"app_version": (_STR, False), "model_sha256": (_OPT_STR, False)},
    "recover": {"skipped_line": (_INT, True)},
}

JSON_TYPE_NAMES = {
    int: "an integer",
    float: "a number",
    str: "a string",
    bool: "true/false",
    list: "a list",
    dict: "an object",
    type(None): "null",
}


def json_type_name(value: object) -> str:
    """How a parsed JSON value is called in error messages."""
    if isinstance(value, bool):
        return "true/false"
    return JSON_TYPE_NAMES.get(type(value), type(value).__name__)


def type_problem(value: object, allowed: tuple[type, ...]) -> str | None:
    """``None`` if ``value`` has one of the ``allowed`` JSON types, else what was expected."""
    if isinstance(value, bool) and bool not in allowed:
        ok = False
    else:
        ok = isinstance(value, allowed)
    if ok:
        return None
    wanted = " or ".join(dict.fromkeys(JSON_TYPE_NAMES[t] for t in allowed))
    return f"{wanted}, not {json_type_name(value)}"


# ------------------------------------------------------------------ header
@dataclass
class ModelRef:
    """The model file a session was recorded with."""

    path: str
    sha256: str
    name: str = ""
    size: int = 0


@dataclass
class SessionHeader:
    """Line 1 of a session file.

    Attributes:
        persona: The persona snapshot (``Persona.to_dict()``): resuming uses it, not the persona file.
        variant: Which conditioning parts of the persona were active.
        model: The model file and its sha256 (checked on resume).
        engine: Engine name and settings (``engine``, ``n_ctx``, ``chat_template``, ``threads``).
        sampling: Base sampling parameters (``SamplingParams.to_dict()``).
        extra: Unknown header keys, kept so a rewrite by an export preserves them.
    """

    persona: dict[str, Any]
    model: ModelRef
    engine: dict[str, Any] = field(default_factory=dict)
    sampling: dict[str, Any] = field(default_factory=dict)
    variant: str = "full"
    user_name: str = "You"
    character_name: str = ""
    app_version: str = ""
    created: str = field(default_factory=now_iso)
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    version: int = FORMAT_VERSION
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": "header",
            "format": FORMAT,
            "version": self.version,
            "app_version": self.app_version,
            "created": self.created,
            "id": self.id,
            "user_name": self.user_name,
            "character_name": self.character_name or str(self.persona.get("name", "")),
            "persona": self.persona,
            "variant": self.variant,
            "model": dataclasses.asdict(self.model),
            "engine": self.engine,
            "sampling": self.sampling,
            **self.extra,
        }


HEADER_FIELDS: dict[str, tuple[tuple[type, ...], bool]] = {
    "version": (_INT, True),
    "persona": (_DICT, True),
    "model": (_DICT, True),
    "engine": (_DICT, False),
    "sampling": (_DICT, False),
    "variant": (_STR, False),
    "user_name": (_STR, False),
    "character_name": (_STR, False),
    "app_version": (_STR, False),
    "created": (_STR, False),
    "id": (_STR, False),
}
MODEL_FIELDS: dict[str, tuple[tuple[type, ...], bool]] = {
    "path": (_STR, True),
    "sha256": (_STR, True),
    "name": (_STR, False),
    "size": (_INT, False),
}


# ----------------------------------------------------------------- persona
def persona_snapshot(persona: Any) -> dict[str, Any]:
    """The persona as plain JSON data (``persona.to_dict()`` when it has one)."""
    to_dict = getattr(persona, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    return _plain(dataclasses.asdict(persona))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def persona_from_snapshot(data: dict[str, Any]) -> Any:
    """Rebuild the persona from its snapshot (``Persona.from_dict`` when it exists).

    Raises:
        ValueError / TypeError / KeyError: the snapshot does not describe a persona.
    """
    from drifttui.persona import Persona, Probe

    from_dict = getattr(Persona, "from_dict", None)
    if callable(from_dict):
        return from_dict(data)
    if not isinstance(data.get("name"), str) or not data["name"]:
        raise ValueError("the persona snapshot has no name")
    known = {f.name for f in dataclasses.fields(Persona)}
    kwargs = {k: v for k, v in data.items() if k in known}
    if "probes" in kwargs:
        kwargs["probes"] = [Probe(p["question"], tuple(p["expect"])) for p in kwargs["probes"]]
    if kwargs.get("source") is not None:
        kwargs["source"] = Path(kwargs["source"])
    if "facts" in kwargs:
        kwargs["facts"] = {str(k): str(v) for k, v in kwargs["facts"].items()}
    return Persona(**kwargs)


# ------------------------------------------------------------------ swipes
def swipe_info(swipe: Swipe, *, model: str = "", api: str = "") -> dict[str, Any]:
    """A swipe's ``swipe_info`` entry: SillyTavern's keys plus a ``drift`` namespace."""
    return {
        "send_date": swipe.created,
        "extra": {"api": api, "model": model},
        "drift": {
            "source": swipe.source,
            "seed": swipe.seed,
            "finish_reason": swipe.finish_reason,
            "n_tokens": swipe.n_tokens,
            "seconds": swipe.seconds,
            "params": swipe.params,
            "scores": swipe.scores,
        },
    }


SWIPE_DRIFT_FIELDS: dict[str, tuple[tuple[type, ...], bool]] = {
    "source": (_STR, False),
    "seed": ((int, type(None)), False),
    "finish_reason": (_STR, False),
    "n_tokens": (_INT, False),
    "seconds": (_NUM, False),
    "params": (_DICT, False),
    "scores": (_OPT_DICT, False),
}


def swipe_from_info(text: str, info: dict[str, Any] | None) -> Swipe:
    """The :class:`Swipe` described by its text and ``swipe_info`` entry (already validated)."""
    info = info or {}
    drift = info.get("drift") or {}
    swipe = Swipe(
        text,
        seed=drift.get("seed"),
        finish_reason=drift.get("finish_reason", "stop"),
        n_tokens=drift.get("n_tokens", 0),
        seconds=drift.get("seconds", 0.0),
        source=drift.get("source", "model"),
        params=drift.get("params") or {},
        scores=drift.get("scores"),
    )
    if isinstance(info.get("send_date"), str):
        swipe.created = info["send_date"]
    return swipe
