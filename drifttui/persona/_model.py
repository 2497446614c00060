"""The persona data model: plain dataclasses, JSON-safe via ``to_dict``."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drifttui.persona._vocab import PARTS


@dataclass(frozen=True)
class Probe:
    """A Q&A consistency probe: ask ``question``; pass if any of ``expect`` is in the answer.

    Matching is a case-insensitive substring test. ``reject`` fragments fail the
    probe even when an ``expect`` fragment is present (e.g. "language model").

    Attributes:
        question: What to ask, in the user's voice.
        expect: Answer fragments; a correct answer contains at least one.
        fact: The ``[facts]`` key this probe checks, if any.
        reject: Fragments a correct answer never contains.
    """

    question: str
    expect: tuple[str, ...]
    fact: str = ""
    reject: tuple[str, ...] = ()

    def passes(self, answer: str) -> bool:
        """Whether ``answer`` contains an expected fragment and no rejected one."""
        low = answer.lower()
        if any(r.lower() in low for r in self.reject):
            return False
        return any(e.lower() in low for e in self.expect)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"question": self.question, "expect": list(self.expect)}
        if self.fact:
            out["fact"] = self.fact
        if self.reject:
            out["reject"] = list(self.reject)
        return out


@dataclass
class Style:
    """How the persona talks.

    Attributes:
        speech: One phrase on the voice: "short, clipped sentences; dry".
        habits: Verbal habits: "starts answers with 'Mm.'".
        avoid: Things the persona never says or uses: "exclamation marks".
        examples: Lines in the persona's own voice.
    """

    speech: str = ""
    habits: list[str] = field(default_factory=list)
    avoid: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return _drop_empty(
            {"speech": self.speech, "habits": list(self.habits), "avoid": list(self.avoid), "examples": list(self.examples)}
        )


@dataclass
class Target:
    """The personality the persona should express (for measurement; never in the prompt).

    Attributes:
        mbti: Four-letter type, e.g. ``"INTJ"``.
        big_five: Trait → score in [0, 1] (see :data:`drifttui.persona.BIG_FIVE`).
    """

    mbti: str = ""
    big_five: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return _drop_empty({"mbti": self.mbti, "big_five": dict(self.big_five)})


@dataclass
class PromptSpec:
    """Overrides of the prompt assembly (see :mod:`drifttui.persona._prompt`).

    Attributes:
        template: Replaces the default template; ``{{original}}`` inserts the default one.
        instruction: Replaces the closing instruction; ``{{original}}`` inserts the default one
            (a SillyTavern card's ``system_prompt`` lands here).
    """

    template: str = ""
    instruction: str = ""

    def to_dict(self) -> dict[str, Any]:
        return _drop_empty({"template": self.template, "instruction": self.instruction})


@dataclass
class Persona:
    """A character the model plays, and what to check it against.

    The first eight fields keep their historical order. ``to_dict`` gives the
    same structure as a persona TOML file (plus ``source``), JSON-safe;
    ``Persona.from_dict(p.to_dict()) == p``.
    """

    name: str
    role: str = ""
    personality: str = ""
    backstory: str = ""
    greeting: str = ""
    facts: dict[str, str] = field(default_factory=dict)
    probes: list[Probe] = field(default_factory=list)
    source: Path | None = None
    alternate_greetings: list[str] = field(default_factory=list)
    scenario: str = ""
    """The situation the chat starts in (a card's ``scenario``)."""
    summary: str = ""
    """One line for ``persona list``; never in the prompt."""
    kind: str = "character"
    tags: list[str] = field(default_factory=list)
    conditioning: tuple[str, ...] = PARTS
    """Parts switched on in the ``full`` variant."""
    style: Style = field(default_factory=Style)
    target: Target = field(default_factory=Target)
    prompt: PromptSpec = field(default_factory=PromptSpec)
    card: dict[str, Any] = field(default_factory=dict)
    """Character-card metadata kept verbatim on import (``creator_notes``, ``extensions``…); never in prompts."""

    def system_prompt(self, variant: str = "full") -> str:
        """The system prompt for ``variant``.

        Variants: ``full`` (the parts in :attr:`conditioning`), ``role+personality``,
        ``personality``, ``role``, and ``none``. ``none`` returns ``""``: the caller
        then sends no system message at all, so the model's own default applies
        (SmolLM2 inserts "You are a helpful AI assistant named SmolLM…").

        Raises:
            PersonaError: ``variant`` is not one of the above.
        """
        from drifttui.persona._prompt import render

        return render(self, variant)

    def parts(self, variant: str = "full") -> tuple[str, ...]:
        """The conditioning parts present in ``variant``'s prompt (e.g. whether facts were given)."""
        from drifttui.persona._prompt import active_parts

        return active_parts(self, variant)

    def to_dict(self) -> dict[str, Any]:
        """The persona as the TOML-file structure, JSON-safe; empty fields are left out."""
        out: dict[str, Any] = {
            "name": self.name,
            "summary": self.summary,
            "kind": "" if self.kind == "character" else self.kind,
            "tags": list(self.tags),
            "role": self.role,
            "personality": self.personality,
            "backstory": self.backstory,
            "scenario": self.scenario,
            "greeting": self.greeting,
            "alternate_greetings": list(self.alternate_greetings),
            "conditioning": [] if self.conditioning == PARTS else list(self.conditioning),
            "style": self.style.to_dict(),
            "target": self.target.to_dict(),
            "facts": dict(self.facts),
            "prompt": self.prompt.to_dict(),
            "probes": [p.to_dict() for p in self.probes],
            "card": copy.deepcopy(self.card),
            "source": "" if self.source is None else str(self.source),
        }
        return _drop_empty(out)

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, warn: Callable[[str], None] | None = None) -> Persona:
        """Build a persona from :meth:`to_dict` output (or a parsed persona file), validating it.

        Raises:
            PersonaError: A field is missing or has the wrong type.
        """
        from drifttui.persona._schema import parse_persona

        data = dict(data)
        source = data.pop("source", "")
        persona = parse_persona(data, warn=warn or (lambda message: None))
        persona.source = Path(source) if source else None
        return persona


def _drop_empty(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v not in ("", [], {}, None)}
