"""Loading a session file: checks, upgrades, torn-line recovery, rebuild.

:func:`load_session` never writes. Every problem with the file is a
:class:`~drifttui.errors.SessionError` naming the file and the line (exit
status 2 on the command line); the one tolerated defect is a *torn last
line*, the incomplete write a crash can leave, which is skipped with a
warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from drifttui.conversation import Conversation, Turn
from drifttui.errors import SessionError, UserError
from drifttui.session import migrate
from drifttui.session.format import (
    EVENT_FIELDS,
    EVENT_TYPES,
    FORMAT,
    FORMAT_VERSION,
    HEADER_FIELDS,
    MODEL_FIELDS,
    ModelRef,
    SessionHeader,
    json_type_name,
    persona_from_snapshot,
    type_problem,
)
from drifttui.session.rebuild import ProbeRecord, Rebuilder

_HEADER_KEYS = {"type", "format", *HEADER_FIELDS}


@dataclass
class Session:
    """A loaded (or in-memory) session.

    Attributes:
        path: The file it was read from (``None`` for one built from a live conversation).
        header: Line 1, upgraded to the current format.
        conversation: The chat, rebuilt event by event.
        probes: Probe results in the order they were recorded.
        label_swipes: Turn index → the swipe that was shown when the turn was labelled.
        warnings: Problems that did not stop loading (a torn last line, unknown labels, ...).
        lines: Lines in the file (a torn last line included).
        torn_line: The number of a torn, skipped last line.
        ends_with_newline: Whether the file ends with a newline (appending needs one first).
        source_version: The format version the file was written in.
        resumes: The ``resume`` events (each process that continued the session).
        size: The file's size in bytes when it was read.
    """

    header: SessionHeader
    conversation: Conversation
    path: Path | None = None
    probes: list[ProbeRecord] = field(default_factory=list)
    label_swipes: dict[int, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    lines: int = 0
    torn_line: int | None = None
    ends_with_newline: bool = True
    source_version: int = FORMAT_VERSION
    resumes: list[dict[str, Any]] = field(default_factory=list)
    size: int = 0

    @property
    def persona(self) -> Any:
        return self.conversation.persona

    @classmethod
    def from_conversation(
        cls,
        conversation: Conversation,
        header: SessionHeader,
        *,
        probes: list[ProbeRecord] | None = None,
    ) -> Session:
        """An in-memory session for a live chat (e.g. to export it without recording)."""
        labelled = {i: t.swipe_id for i, t in enumerate(conversation.turns) if t.label is not None}
        return cls(header=header, conversation=conversation, probes=list(probes or []), label_swipes=labelled)

    def labelled_swipe(self, index: int) -> int:
        """The swipe of turn ``index`` its label refers to."""
        turn = self.conversation.turns[index]
        k = self.label_swipes.get(index, turn.swipe_id)
        return k if 0 <= k < len(turn.swipes) else turn.swipe_id

    def assistant_turns(self) -> list[tuple[int, Turn]]:
        return [(i, t) for i, t in enumerate(self.conversation.turns) if t.role == "assistant"]


def _error(path: Path, message: str, line: int | None = None, hint: str | None = None) -> SessionError:
    return SessionError(message, path=path, line=line, hint=hint)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise _error(path, "session file not found") from None
    except IsADirectoryError:
        raise _error(path, "is a directory, not a session file") from None
    except OSError as exc:
        raise _error(path, f"cannot read the session file: {exc.strerror}") from None


def _parse_header(path: Path, raw: bytes) -> dict[str, Any]:
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise _error(
            path, f"not a drifttui session (JSONL): line 1 is not JSON ({_short(exc)})", 1
        ) from None
    if not isinstance(data, dict):
        raise _error(path, f"not a drifttui session: line 1 is {json_type_name(data)}, not a header object", 1)
    if data.get("format") != FORMAT:
        if "user_name" in data and "character_name" in data:
            raise _error(
                path,
                "this is a SillyTavern chat, not a drifttui session (missing the drifttui header)",
                1,
            )
        if data.get("type") in EVENT_TYPES:
            raise _error(path, f"missing header: line 1 is a {data['type']!r} event, not the session header", 1)
        raise _error(path, f"missing header: line 1 is not a drifttui session header (no \"format\": \"{FORMAT}\")", 1)
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _error(path, f"header 'version' must be an integer, not {json_type_name(version)}", 1)
    if version > FORMAT_VERSION:
        raise _error(
            path,
            f"unknown session format version {version}: this drifttui reads versions "
            f"{migrate.FIRST_VERSION}..{FORMAT_VERSION}",
            1,
            hint="the file was written by a newer drifttui; upgrade drifttui to read it",
        )
    if not migrate.readable(version):
        raise _error(path, f"unknown session format version {version}", 1)
    return data


def _check_fields(path: Path, line: int, obj: dict[str, Any], spec: dict[str, Any], where: str) -> None:
    for key, (types, required) in spec.items():
        if key not in obj:
            if required:
                raise _error(path, f"{where}: missing field '{key}'", line)
            continue
        problem = type_problem(obj[key], types)
        if problem:
            raise _error(path, f"{where}: field '{key}' must be {problem}", line)


def _header(path: Path, data: dict[str, Any]) -> SessionHeader:
    _check_fields(path, 1, data, HEADER_FIELDS, "header")
    model = data["model"]
    _check_fields(path, 1, model, MODEL_FIELDS, "header model")
    return SessionHeader(
        persona=data["persona"],
        model=ModelRef(
            path=model["path"], sha256=model["sha256"], name=model.get("name", ""), size=model.get("size", 0)
        ),
        engine=data.get("engine", {}),
        sampling=data.get("sampling", {}),
        variant=data.get("variant", "full"),
        user_name=data.get("user_name", "You"),
        character_name=data.get("character_name", ""),
        app_version=data.get("app_version", ""),
        created=data.get("created", ""),
        id=data.get("id", ""),
        version=FORMAT_VERSION,
        extra={k: v for k, v in data.items() if k not in _HEADER_KEYS},
    )


def _short(exc: Exception) -> str:
    return str(exc).split(":", 1)[0]


def load_session(path: str | Path) -> Session:
    """Read, check, upgrade and rebuild a session file.

    Raises:
        SessionError: the file is missing, is not a drifttui session, has an unknown
            format version, wrong JSON types, or events that contradict each other.
    """
    path = Path(path)
    data = _read(path)
    if not data.strip():
        raise _error(path, "empty file: not a drifttui session (missing header)", 1)
    ends_with_newline = data.endswith(b"\n")
    raw_lines = data.split(b"\n")
    if ends_with_newline:
        raw_lines.pop()
    n_lines = len(raw_lines)

    header_data = _parse_header(path, raw_lines[0])
    source_version = header_data["version"]
    steps = migrate.chain(source_version)
    for step in steps:
        header_data = step.header(header_data)
    header = _header(path, header_data)
    try:
        persona = persona_from_snapshot(header.persona)
    except (KeyError, TypeError, ValueError, UserError) as exc:
        detail = exc.message if isinstance(exc, UserError) else str(exc)
        raise _error(path, f"header: the persona snapshot is not usable ({detail})", 1) from None
    conversation = Conversation(persona, variant=header.variant, greeting=False)
    rebuilder = Rebuilder(conversation)
    warnings: list[str] = []
    torn_line: int | None = None
    pending: tuple[int, str] | None = None  # a bad line, acceptable only if a recover event vouches for it

    for index in range(1, n_lines):
        line_no = index + 1
        raw = raw_lines[index]
        if not raw.strip():
            continue
        try:
            event = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            if pending is not None:
                raise _error(path, pending[1], pending[0])
            is_last = index == n_lines - 1
            if is_last and not ends_with_newline:
                torn_line = line_no
                warnings.append(
                    f"{path}:{line_no}: incomplete last line (a crash while recording?); skipped"
                )
                break
            pending = (line_no, f"line is not valid JSON ({_short(exc)})")
            continue
        if pending is not None:
            if isinstance(event, dict) and event.get("type") == "recover" and event.get("skipped_line") == pending[0]:
                warnings.append(f"{path}:{pending[0]}: incomplete line left by a crash; skipped")
                pending = None
            else:
                raise _error(path, pending[1], pending[0])
        if not isinstance(event, dict):
            raise _error(path, f"an event must be a JSON object, not {json_type_name(event)}", line_no)
        kind = event.get("type")
        if not isinstance(kind, str):
            raise _error(path, "event without a 'type'" if kind is None else "event 'type' must be a string", line_no)
        if kind == "header":
            raise _error(path, "a second header line in the middle of the session", line_no)
        for step in steps:
            event = step.event(event)
        if kind not in EVENT_FIELDS:
            raise _error(path, f"unknown event type {kind!r} for session format version {FORMAT_VERSION}", line_no)
        _check_fields(path, line_no, event, EVENT_FIELDS[kind], f"{kind} event")
        try:
            for warning in rebuilder.apply(event):
                warnings.append(f"{path}:{line_no}: {warning}")
        except ValueError as exc:
            raise _error(path, str(exc), line_no) from None
    if pending is not None:
        raise _error(path, pending[1], pending[0])

    return Session(
        header=header,
        conversation=conversation,
        path=path,
        probes=rebuilder.probes,
        label_swipes=rebuilder.label_swipes,
        warnings=warnings,
        lines=n_lines,
        torn_line=torn_line,
        ends_with_newline=ends_with_newline,
        source_version=source_version,
        resumes=rebuilder.resumes,
        size=len(data),
    )
