"""The chat being held: turns, swipes, labels, and fitting it into the context window.

A :class:`Conversation` is the one in-memory record the headless chat, the
TUI, the lab and session files share. Assistant turns keep every generated
alternative (*swipes*, as SillyTavern users know them) with its own drift
scores; the chat continues from the swipe shown (``swipe_id``).

Long chats: :meth:`Conversation.context` drops the oldest exchanges when the
prompt would not leave room for a reply, always keeping the persona block and
pinned facts, and records where each cut happened (:attr:`Conversation.trims`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from drifttui.engine import Message, Reply, SamplingParams
from drifttui.persona import Persona

LABELS = ("in-character", "local", "global", "factual", "other")
"""Annotation labels a user can put on an assistant turn."""


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


@dataclass
class Swipe:
    """One generated (or authored) alternative of an assistant turn."""

    text: str
    seed: int | None = None
    finish_reason: str = "stop"
    n_tokens: int = 0
    seconds: float = 0.0
    source: str = "model"
    """``model``, ``greeting`` or ``edit``."""
    created: str = field(default_factory=now_iso)
    params: dict[str, Any] = field(default_factory=dict)
    scores: dict[str, Any] | None = None
    """Drift scores of this swipe (``TurnScore.to_dict()``), once computed."""

    @classmethod
    def from_reply(cls, reply: Reply, params: SamplingParams) -> Swipe:
        return cls(
            text=reply.text,
            seed=reply.seed,
            finish_reason=reply.finish_reason,
            n_tokens=reply.n_tokens,
            seconds=round(reply.seconds, 4),
            params=params.with_seed(reply.seed).to_dict(),
        )


@dataclass
class Turn:
    """One message of the chat. User turns have exactly one swipe."""

    role: str
    swipes: list[Swipe]
    swipe_id: int = 0
    label: str | None = None
    note: str = ""

    @property
    def swipe(self) -> Swipe:
        return self.swipes[self.swipe_id]

    @property
    def text(self) -> str:
        return self.swipe.text

    def message(self) -> Message:
        return Message(self.role, self.text)  # type: ignore[arg-type]


@dataclass
class Trim:
    """The context window was cut: from now on it starts at turn ``first_kept``."""

    at_turn: int
    """Index of the turn being generated when the cut happened."""
    first_kept: int
    dropped_tokens: int


class Conversation:
    """Persona + pinned facts + turns, and the context the engine sees.

    Args:
        persona: Who the model plays.
        variant: Which conditioning parts of the persona are active (see :meth:`Persona.system_prompt`).
        greeting: Start with the persona's greeting as the first assistant turn.
    """

    def __init__(self, persona: Persona, *, variant: str = "full", greeting: bool = True) -> None:
        self.persona = persona
        self.variant = variant
        self.pinned: list[str] = []
        self.turns: list[Turn] = []
        self.trims: list[Trim] = []
        self.context_start = 0
        """Index of the first turn still in the context window."""
        if greeting and persona.greeting:
            greetings = [persona.greeting, *getattr(persona, "alternate_greetings", ())]
            self.turns.append(Turn("assistant", [Swipe(g, source="greeting") for g in greetings]))

    # ----------------------------------------------------------------- edits
    def add_user(self, text: str) -> Turn:
        turn = Turn("user", [Swipe(text, source="user")])
        self.turns.append(turn)
        return turn

    def add_assistant(self, swipe: Swipe) -> Turn:
        turn = Turn("assistant", [swipe])
        self.turns.append(turn)
        return turn

    def add_swipe(self, index: int, swipe: Swipe, *, select: bool = True) -> int:
        """Add an alternative to assistant turn ``index``; returns its swipe id."""
        turn = self.turns[index]
        if turn.role != "assistant":
            raise ValueError(f"turn {index} is not an assistant turn")
        turn.swipes.append(swipe)
        if select:
            turn.swipe_id = len(turn.swipes) - 1
        return len(turn.swipes) - 1

    def select_swipe(self, index: int, swipe_id: int) -> None:
        turn = self.turns[index]
        if not 0 <= swipe_id < len(turn.swipes):
            raise IndexError(f"turn {index} has {len(turn.swipes)} swipes, not {swipe_id + 1}")
        turn.swipe_id = swipe_id

    def annotate(self, index: int, label: str | None, note: str = "") -> None:
        if label is not None and label not in LABELS:
            raise ValueError(f"unknown label {label!r}; choose from {', '.join(LABELS)}")
        turn = self.turns[index]
        turn.label, turn.note = label, note

    def pin(self, fact: str) -> None:
        """Keep ``fact`` in the persona block from now on (it survives every trim)."""
        if fact and fact not in self.pinned:
            self.pinned.append(fact)

    # ------------------------------------------------------------- messages
    @property
    def last_assistant(self) -> int | None:
        for i in range(len(self.turns) - 1, -1, -1):
            if self.turns[i].role == "assistant":
                return i
        return None

    def system_message(self, variant: str | None = None) -> Message:
        """The persona block (plus pinned facts). Its content is empty for variant ``none``:
        :meth:`context` then sends no system message, so the model's own default applies."""
        text = self.persona.system_prompt(variant or self.variant)
        if self.pinned:
            pinned = "Always remember:\n" + "\n".join(f"- {fact}" for fact in self.pinned)
            text = f"{text}\n\n{pinned}" if text else pinned
        return Message("system", text)

    def history(self, upto: int | None = None, start: int = 0) -> list[Message]:
        """Turns ``start..upto-1`` as messages (the shown swipe of each), no system block."""
        return [t.message() for t in self.turns[start:upto]]

    def context(
        self,
        count_tokens: Callable[[Sequence[Message]], int],
        n_ctx: int,
        *,
        upto: int | None = None,
        reserve: int = 256,
        keep_ratio: float = 0.6,
    ) -> list[Message]:
        """The messages to send for generating turn ``upto`` (default: the next one).

        Keeps ``system + turns[context_start:upto]`` under ``n_ctx - reserve``
        tokens. When it would overflow, whole exchanges are dropped from the
        oldest end until the prompt takes at most ``keep_ratio`` of the budget,
        so cuts happen rarely and the cached prefix stays valid in between.
        """
        upto = len(self.turns) if upto is None else upto
        system = self.system_message()
        budget = n_ctx - reserve
        start = min(self.context_start, upto)

        head = [system] if system.content else []  # variant "none": no system message at all

        def build(first: int) -> list[Message]:
            return [*head, *self.history(upto, first)]

        messages = build(start)
        total = count_tokens(messages)
        if total <= budget:
            return messages
        before = total
        target = int(budget * keep_ratio)
        first = start
        while first < upto - 1 and total > target:
            first += 1
            # never start the window on an assistant turn: drop whole exchanges
            while first < upto - 1 and self.turns[first].role != "user":
                first += 1
            total = count_tokens(build(first))
        if total > budget:
            raise OverflowError(
                f"the persona block and the last message need {total} tokens; the context window is {n_ctx}"
            )
        if first > self.context_start:
            self.context_start = first
            self.trims.append(Trim(at_turn=upto, first_kept=first, dropped_tokens=before - total))
        return build(first)
