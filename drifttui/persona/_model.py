"""The persona data model."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Probe:
    """A Q&A consistency probe: ask ``question``, pass if any of ``expect`` is in the answer."""

    question: str
    expect: tuple[str, ...]

    def passes(self, answer: str) -> bool:
        low = answer.lower()
        return any(e.lower() in low for e in self.expect)


@dataclass
class Persona:
    name: str
    role: str = ""
    personality: str = ""
    backstory: str = ""
    greeting: str = ""
    facts: dict[str, str] = field(default_factory=dict)
    probes: list[Probe] = field(default_factory=list)
    source: Path | None = None

    def system_prompt(self, variant: str = "full") -> str:
        parts = [f"You are {self.name}."]
        if self.role and variant in ("full", "role", "role+personality"):
            parts.append(f"You work as a {self.role}.")
        if self.personality and variant in ("full", "personality", "role+personality"):
            parts.append(f"Your personality: {self.personality}.")
        if self.backstory and variant == "full":
            parts.append(self.backstory.strip())
        if self.facts and variant == "full":
            parts.append("Facts about you: " + "; ".join(f"{k}: {v}" for k, v in self.facts.items()) + ".")
        parts.append("Stay in character. Never say you are an AI.")
        return "\n".join(parts)
