"""Small fakes for tests of session code (and of the app's use of it).

``FakeScorer`` follows the ``DriftScorer.score`` contract with cheap,
deterministic numbers derived from the reply text, so recording, replay and
export can be tested without loading a model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from drifttui.conversation import Conversation, Swipe, Trim


def _unit(text: str, salt: str) -> float:
    digest = hashlib.sha256(f"{salt}:{text}".encode()).digest()
    return round(int.from_bytes(digest[:4], "big") / 2**32, 4)


class FakeScorer:
    """Deterministic stand-in for :class:`drifttui.drift.DriftScorer`.

    Args:
        shift: Added to every score (clipped to [0, 1]) — a "changed scorer" for diff tests.
    """

    def __init__(self, shift: float = 0.0) -> None:
        self.shift = shift
        self.calls: list[tuple[int, int, str]] = []

    def score(self, history: Sequence[Any], reply: str, turn: int) -> dict[str, Any]:
        self.calls.append((turn, len(history), reply))

        def value(salt: str) -> float:
            return round(min(1.0, max(0.0, _unit(reply, salt) + self.shift)), 4)

        return {
            "turn": turn,
            "local": value("local"),
            "global": value("global"),
            "factual": value("factual"),
            "evidence": [{"score": "local", "message": f"fake evidence for turn {turn}", "turn": None, "data": {}}],
            "components": {"fake": 1.0},
        }


def fake_model(path: Path, content: bytes = b"fake weights") -> Path:
    """A small file that starts like a GGUF (for header hashing and resume checks)."""
    path.write_bytes(b"GGUF" + content)
    return path


def sample_conversation(persona: Any | None = None, scorer: FakeScorer | None = None) -> Conversation:
    """A short chat exercising every kind of state: swipes, selection, labels, scores, pins, trims."""
    from drifttui.persona import default_persona

    conv = Conversation(persona or default_persona())
    scorer = scorer or FakeScorer()
    conv.add_user("Hi, who are you?")
    conv.add_assistant(Swipe("Mm. Mara. I fix teeth.", seed=1, n_tokens=7, seconds=0.25, params={"seed": 1}))
    conv.add_swipe(2, Swipe("I am an AI assistant.", seed=2, n_tokens=6, seconds=0.2, params={"seed": 2}))
    conv.add_swipe(2, Swipe("Dentist. Lisbon.", seed=3, n_tokens=4, seconds=0.1, params={"seed": 3}), select=False)
    conv.select_swipe(2, 0)
    for k, swipe in enumerate(conv.turns[2].swipes):
        swipe.scores = scorer.score(conv.history(2), swipe.text, 2)
    conv.annotate(2, "in-character", "sounds like her")
    conv.pin("Olive is a cat")
    conv.add_user("Where did you grow up?")
    conv.trims.append(Trim(at_turn=4, first_kept=3, dropped_tokens=42))
    conv.context_start = 3
    conv.add_assistant(Swipe("I grew up in Paris, darling!", seed=4, n_tokens=8, seconds=0.3))
    conv.turns[4].swipes[0].scores = scorer.score(conv.history(4), conv.turns[4].text, 4)
    conv.annotate(4, "factual", "Porto, not Paris")
    conv.add_user("Tell me about your day.")
    conv.add_assistant(Swipe("As a large language model, I do not have days.", seed=5, n_tokens=11, seconds=0.4))
    conv.annotate(6, "global")
    return conv
