"""What the drift scorer returns: per-turn scores with evidence, and probe results."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

EvidenceKind = Literal["local", "global", "factual", "probe", "info"]
EVIDENCE_KINDS: tuple[str, ...] = ("local", "global", "factual", "probe", "info")


@dataclass(frozen=True)
class Evidence:
    """Why a score is what it is, in one line a person can check.

    Attributes:
        score: Which score it explains: ``local``, ``global``, ``factual``, ``probe`` or ``info``
            (a note about the scorer itself, e.g. that the embedder is unavailable).
        message: One readable line, e.g. ``factual: "I'm 29" contradicts fact age=34``.
        turn: The earlier turn it points at (0-based, same numbering as the scored turn), if any.
        data: Machine-readable details (feature values, z-scores, the conflicting claim…).
    """

    score: str
    message: str
    turn: int | None = None
    data: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.score not in EVIDENCE_KINDS:
            raise ValueError(f"evidence score must be one of {', '.join(EVIDENCE_KINDS)}, not {self.score!r}")

    def to_dict(self) -> dict[str, Any]:
        return {"score": self.score, "message": self.message, "turn": self.turn, "data": dict(self.data)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Evidence:
        return cls(str(data["score"]), str(data["message"]), data.get("turn"), dict(data.get("data") or {}))


@dataclass
class TurnScore:
    """The three drift scores of one assistant turn, each in [0, 1] (higher = more drift).

    Attributes:
        turn: Index of the scored turn.
        local: The reply breaks with the persona's own recent replies.
        global_: The reply no longer fits the persona (drifts toward the default assistant).
        factual: The reply contradicts the persona's facts or an earlier statement.
        evidence: Why, one line each.
        components: The raw signals behind the scores (log-prob gap, z-scores, …), for plots and tuning.
    """

    turn: int
    local: float
    global_: float
    factual: float
    evidence: list[Evidence] = field(default_factory=list)
    components: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict; the global score's key is ``"global"``."""
        return {
            "turn": self.turn,
            "local": round(float(self.local), 4),
            "global": round(float(self.global_), 4),
            "factual": round(float(self.factual), 4),
            "evidence": [e.to_dict() for e in self.evidence],
            "components": {k: round(float(v), 4) for k, v in self.components.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TurnScore:
        return cls(
            turn=int(data["turn"]),
            local=float(data["local"]),
            global_=float(data["global"]),
            factual=float(data["factual"]),
            evidence=[Evidence.from_dict(e) for e in data.get("evidence", [])],
            components={str(k): float(v) for k, v in (data.get("components") or {}).items()},
        )

    def evidence_for(self, score: str) -> list[Evidence]:
        """The evidence lines explaining one score."""
        return [e for e in self.evidence if e.score == score]


@dataclass(frozen=True)
class ProbeResult:
    """One Q&A consistency probe, asked in a forked context (never part of the chat).

    Attributes:
        question: What was asked.
        answer: What the model answered, in character.
        expect: Accepted answers (any one, case-insensitive, after normalisation).
        passed: The answer contains an expected value and contradicts no fact.
        reason: Why it failed (or passed), one line.
    """

    question: str
    answer: str
    expect: tuple[str, ...]
    passed: bool
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"question": self.question, "answer": self.answer, "expect": list(self.expect), "passed": self.passed, "reason": self.reason}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ProbeResult:
        return cls(str(data["question"]), str(data["answer"]), tuple(data.get("expect", ())), bool(data["passed"]), str(data.get("reason", "")))
