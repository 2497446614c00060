"""Builders for fast UI tests: the fake engine and a tiny deterministic scorer.

The real engine and scorer are covered by their own suites and by the
end-to-end TUI test; these keep pilot tests quick and exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from drifttui.conversation import Conversation
from drifttui.engine._fake import FakeEngine
from drifttui.persona import default_persona
from drifttui.runtime import ChatRuntime, RuntimeOptions
from drifttui.tui.app import DriftApp


@dataclass
class _Score:
    turn: int
    values: dict[str, float]
    evidence: list[dict[str, Any]]

    def to_dict(self) -> dict[str, Any]:
        return {"turn": self.turn, **self.values, "evidence": self.evidence, "components": {}}


@dataclass
class FakeScorer:
    """Scores from the text: 'assistant' → global drift, '29' → factual, '!' → local."""

    calls: list[tuple[int, str]] = field(default_factory=list)

    def score(self, history, reply, turn):
        self.calls.append((turn, reply))
        low = reply.lower()
        values = {
            "local": 0.7 if "!" in reply else 0.1,
            "global": 0.8 if "assistant" in low else 0.05,
            "factual": 0.9 if "29" in low else 0.0,
        }
        evidence = []
        if values["factual"] > 0.5:
            evidence.append({"score": "factual", "message": 'factual: "I am 29" contradicts fact age=34', "turn": None, "data": {}})
        if values["global"] > 0.5:
            evidence.append({"score": "global", "message": 'global: assistant register ("as an AI assistant")', "turn": None, "data": {}})
        return _Score(turn, values, evidence)

    def run_probes(self, history, engine):
        return [{"question": "How old are you?", "answer": "34, since you ask.", "expect": ["34"], "passed": True}]


def make_app(
    reply_fn=None,
    *,
    persona=None,
    delay: float = 0.001,
    record: bool = False,
    session_dir=None,
    scorer: FakeScorer | None = None,
    probe_every: int = 0,
) -> tuple[DriftApp, FakeEngine, FakeScorer]:
    engine = FakeEngine(reply_fn, delay=delay) if reply_fn else FakeEngine(delay=delay)
    if record:  # a session header hashes the model file: give the fake one a real file
        from dataclasses import replace
        from pathlib import Path

        model = Path(session_dir) / "fake-model.gguf"
        model.write_bytes(b"GGUF fake weights")
        engine.info = replace(engine.info, model_path=str(model))
    scorer = scorer or FakeScorer()
    options = RuntimeOptions(record=record, session_dir=session_dir, superposition_n=4, control_n=2, probe_every=probe_every)

    def factory(conv: Conversation, recorder=None) -> ChatRuntime:
        return ChatRuntime(
            conv,
            options,
            engine_factory=lambda: engine,
            scorer_factory=lambda persona, eng, emb: scorer,
            embedder_factory=lambda: None,
            recorder=recorder,
        )

    app = DriftApp(factory, Conversation(persona or default_persona()), sessions_dir=session_dir)
    return app, engine, scorer


async def wait_until(pilot, condition, timeout: float = 10.0) -> None:
    """Let the app run until ``condition()`` holds (workers are threads: poll)."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await pilot.pause(0.05)
