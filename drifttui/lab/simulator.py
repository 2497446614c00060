"""A user-simulator persona plays the human side of a lab conversation.

The shipped ``daniel-okafor`` (a therapy patient) and ``priya-nair`` (a
physics student) are ``kind = "user-simulator"`` personas. To write the user's
next turn, the model is given the simulator's prompt and the conversation with
the roles swapped: the character's replies become the "user" messages, the
simulator's own earlier turns its "assistant" messages. Only *neutral* turns
come from the simulator; emotional and meta-reflective turns, and the turns at
which alternatives are sampled, come from the scripted pools, so the shares
hold exactly and the sampled turns ask every persona the same thing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from drifttui.engine import Message, SamplingParams

SLOT = "sim"
"""Engine slot the simulator's context is cached in (the chat keeps ``main``)."""

_SPEAKER = re.compile(r"^\s*\**\s*([A-Z][\w .'-]{0,40}):\s*", re.M)
_NEXT_SPEAKER = re.compile(r"(?:^|\n|(?<=[.!?…\"]) )\s*\**([A-Z][\w'-]{0,20}(?: [A-Z][\w'-]{0,20})?):\s")


class SimulatedUser:
    """Writes user turns in the voice of a user-simulator persona.

    Args:
        persona: The simulator persona (its ``full`` prompt is used).
        engine: The chat engine.
        params: Base sampling parameters (the seed is set per turn).
        slot: Engine slot for the simulator's context.
        window: History messages kept (the window restarts in blocks so the cache stays valid).
    """

    def __init__(self, persona, engine, params: SamplingParams, *, slot: str = SLOT, window: int = 8) -> None:
        self.persona = persona
        self.engine = engine
        self.params = params
        self.slot = slot
        self.window = window
        # The partner's name is not given: under variant "none" the simulator must not leak a persona into the chat.
        self.system = Message("system", persona.system_prompt("full"))
        self.generated = 0
        self.fallbacks = 0

    def opener(self) -> str | None:
        """The simulator's greeting: its first user turn (None: use a scripted opener)."""
        return self.persona.greeting or None

    def swapped(self, transcript: Sequence[Message]) -> list[Message]:
        """``transcript`` (user = the simulator) with the roles swapped, windowed, ending on the character's reply."""
        swapped = [Message("assistant" if m.role == "user" else "user", m.content) for m in transcript if m.role != "system"]
        start = window_start(swapped, self.window, self.window)
        msgs = swapped[start:]
        budget = self.engine.info.n_ctx - self.params.max_tokens - 64
        while len(msgs) > 1 and self.engine.count_tokens([self.system, *msgs]) > budget:
            msgs = msgs[2:]
        while msgs and msgs[0].role != "user":  # the simulator's context starts with what it hears
            msgs = msgs[1:]
        return [self.system, *msgs]

    def next(self, transcript: Sequence[Message], seed: int) -> str | None:
        """The simulator's next turn after ``transcript`` (None if it produced nothing usable)."""
        messages = self.swapped(transcript)
        if len(messages) < 2:
            return None
        reply = self.engine.stream(messages, self.params.with_seed(seed), slot=self.slot).result()
        self.generated += 1
        text = clean(reply.text, self.persona.name)
        if not text:
            self.fallbacks += 1
            return None
        return text


def clean(text: str, name: str = "") -> str:
    """One user turn from a raw simulator reply: no speaker tags, no second speaker, at most ~400 characters."""
    text = text.strip()
    first = _SPEAKER.match(text)
    if first and (not name or first.group(1).strip().lower() in (name.lower(), name.split()[0].lower(), "user", "me")):
        text = text[first.end() :]
    nxt = _NEXT_SPEAKER.search(text)
    if nxt and nxt.start() > 0:  # the model went on to write the other side too
        text = text[: nxt.start()]
    text = text.strip().strip('"').strip()
    if len(text) > 400:
        cut = max(text.rfind(". ", 0, 400), text.rfind("? ", 0, 400), text.rfind("! ", 0, 400))
        text = text[: cut + 1] if cut > 40 else text[:400]
    return text.strip()


def window_start(history: Sequence[Message], size: int, block: int) -> int:
    """First history index of a window of ``size``..``size + block - 1`` messages that moves in blocks.

    The start only changes every ``block`` messages, so consecutive turns share
    a prefix (and the engine's cache). The window never starts on an assistant
    message when a user message follows.
    """
    n = len(history)
    if n <= size:
        return 0
    start = ((n - size) // max(1, block)) * max(1, block)
    while start < n - 1 and history[start].role != "user":
        start += 1
    return start
