"""Messages worker threads post to the UI (``post_message`` is thread-safe and never blocks)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from drifttui.conversation import Swipe
from drifttui.engine import Reply


@dataclass
class EngineReady(Message):
    """The model, scorer and recorder are loaded."""

    notes: list[str]


@dataclass
class EngineFailed(Message):
    """Loading failed; ``error`` is the one-line reason."""

    error: str


@dataclass
class ReplyPiece(Message):
    """More text of the reply being streamed into turn ``turn``."""

    turn: int
    text: str


@dataclass
class ReplyDone(Message):
    """A reply finished (or was cancelled); ``swipe`` is what to store."""

    turn: int
    new_turn: bool
    reply: Reply
    swipe: Swipe
    history_len: int


@dataclass
class ReplyFailed(Message):
    turn: int
    new_turn: bool
    error: str


@dataclass
class ScoreReady(Message):
    """Drift scores for swipe ``swipe_id`` of turn ``turn``."""

    turn: int
    swipe_id: int
    text: str
    scores: dict[str, Any] | None
    error: str | None = None
    provisional: bool = False
    """Quick scores (no model passes yet); the full scores follow in another message."""


@dataclass
class ProbesReady(Message):
    turn: int
    results: list[Any]
    error: str | None = None
