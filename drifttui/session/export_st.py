"""SillyTavern chat JSONL, importable in SillyTavern (Chat → Import).

Line 1: ``{user_name, character_name, create_date, chat_metadata}``; then
one message per line ``{name, is_user, is_system, send_date, mes, extra}``,
assistant messages adding ``swipes``, ``swipe_id`` and ``swipe_info``
(``mes == swipes[swipe_id]``, one ``swipe_info`` entry per swipe). drifttui's
data rides in ``extra.drift`` and ``chat_metadata.drift``, keys SillyTavern
keeps untouched.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import orjson

from drifttui.conversation import Swipe, Turn
from drifttui.session.reader import Session


def _parse(stamp: str) -> datetime | None:
    try:
        return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except (ValueError, AttributeError):
        return None


def st_create_date(stamp: str) -> str:
    """SillyTavern's ``create_date`` style: ``2025-06-01@15h45m30s`` (local time)."""
    moment = _parse(stamp) or datetime.now().astimezone()
    local = moment.astimezone()
    return f"{local.year}-{local.month:02d}-{local.day:02d}@{local.hour:02d}h{local.minute:02d}m{local.second:02d}s"


def _gen_times(swipe: Swipe) -> dict[str, str]:
    finished = _parse(swipe.created)
    if finished is None or swipe.source != "model":
        return {}
    started = finished - timedelta(seconds=swipe.seconds)
    return {"gen_started": started.isoformat(timespec="milliseconds"), "gen_finished": swipe.created}


def _swipe_drift(swipe: Swipe) -> dict[str, Any]:
    return {
        "source": swipe.source,
        "seed": swipe.seed,
        "finish_reason": swipe.finish_reason,
        "n_tokens": swipe.n_tokens,
        "params": swipe.params,
        "scores": swipe.scores,
    }


def _message(session: Session, index: int, turn: Turn) -> dict[str, Any]:
    header = session.header
    if turn.role == "user":
        return {
            "name": header.user_name or "You",
            "is_user": True,
            "is_system": False,
            "send_date": turn.swipe.created,
            "mes": turn.text,
            "extra": {},
        }
    api = str(header.engine.get("engine", ""))
    model = header.model.name
    drift: dict[str, Any] = {"turn": index, "scores": turn.swipe.scores}
    if turn.label is not None:
        drift["label"] = turn.label
        drift["label_swipe_id"] = session.labelled_swipe(index)
    if turn.note:
        drift["note"] = turn.note
    message: dict[str, Any] = {
        "name": header.character_name or session.conversation.persona.name,
        "is_user": False,
        "is_system": False,
        "send_date": turn.swipe.created,
        "mes": turn.text,
        "extra": {"api": api, "model": model, "drift": drift},
        "swipe_id": turn.swipe_id,
        "swipes": [s.text for s in turn.swipes],
        "swipe_info": [
            {
                "send_date": s.created,
                **_gen_times(s),
                "extra": {"api": api, "model": model, "drift": _swipe_drift(s)},
            }
            for s in turn.swipes
        ],
    }
    message.update(_gen_times(turn.swipe))
    return message


def to_st_lines(session: Session) -> list[dict[str, Any]]:
    """The chat as SillyTavern JSONL records (header first)."""
    header = session.header
    metadata = {
        "integrity": str(uuid.uuid5(uuid.NAMESPACE_URL, f"drifttui-session:{header.id}")),
        "drift": {
            "session_id": header.id,
            "format_version": header.version,
            "app_version": header.app_version,
            "model": {"name": header.model.name, "sha256": header.model.sha256},
            "variant": header.variant,
            "probes": [{"turn": p.turn, "results": p.results} for p in session.probes],
            "trims": [t.__dict__ for t in session.conversation.trims],
            "pinned": list(session.conversation.pinned),
        },
    }
    lines: list[dict[str, Any]] = [
        {
            "user_name": header.user_name or "You",
            "character_name": header.character_name or session.conversation.persona.name,
            "create_date": st_create_date(header.created),
            "chat_metadata": metadata,
        }
    ]
    lines += [_message(session, i, t) for i, t in enumerate(session.conversation.turns)]
    return lines


def to_st_jsonl(session: Session) -> str:
    """The SillyTavern JSONL text (no trailing newline after the last message, as SillyTavern writes it)."""
    return "\n".join(orjson.dumps(line, option=orjson.OPT_SERIALIZE_NUMPY).decode() for line in to_st_lines(session))
