"""What a lab run does: the grid of personas × variants × seeds and its settings.

:class:`LabConfig` holds every knob (command-line options map onto it one to
one); :func:`expand` turns it into the ordered list of conversations
(:class:`Cell`) the runner plays. Validation turns bad input into one-line
:class:`~drifttui.errors.UserError` messages.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from drifttui.errors import UserError

DEFAULT_PERSONAS: tuple[str, ...] = (
    "mara-silva",
    "viktor-hale",
    "percival-ashgrove",
    "silas-crane",
    "bramble",
    "template",
)
"""The shipped characters with both a role and a personality, so every variant differs
(``mara-silva-personality-only`` would duplicate Mara's reduced prompts; the two
user simulators play the human side)."""

VARIANTS: tuple[str, ...] = ("none", "personality", "role", "role+personality")
"""The conditioning setups of La Cava & Tagarelli, from no persona at all to role + personality."""

HEADLINE: tuple[str, str] = ("role+personality", "personality")
"""The comparison the research makes: does adding the role help over personality alone?"""

USER_MODES: tuple[str, ...] = ("scripted", "simulator")
ENGINES: tuple[str, ...] = ("llama", "ct2")


@dataclass(frozen=True)
class LabConfig:
    """Every setting of a lab run.

    Attributes:
        personas: Library names (or TOML paths) of the personas to test.
        variants: Conditioning variants (see :meth:`Persona.system_prompt`).
        seeds: Conversations per persona × variant (seeds ``0..seeds-1``).
        turns: User turns (exchanges) per conversation.
        emotional_share: Share of user turns drawn from the emotional pool.
        meta_share: Share of user turns drawn from the meta-reflective pool.
        user: ``scripted`` (pools) or ``simulator`` (a user-simulator persona writes the neutral turns).
        simulator: The user-simulator persona for ``user="simulator"``.
        alternatives: Replies drawn at each sampled turn for the instability measure (< 2: off).
        sample_every: Every this many turns, draw the alternatives.
        max_tokens: Reply length limit.
        temperature: Sampling temperature.
        engine: ``llama`` or ``ct2``.
        model: GGUF file (None: the bundled default model).
        threads: Model threads (None: all cores, or 1 when the machine is already busy).
        n_ctx: Context window.
        items_per_scale: Questionnaire items per Big Five trait / MBTI axis (None: all).
        questionnaire: How items are asked: ``statement`` or ``choice`` (see :mod:`drifttui.lab.questionnaire`).
        end_profiles: Also take the questionnaire after each conversation (profile drift).
        quick: A tiny run (tests, smoke checks).
    """

    personas: tuple[str, ...] = DEFAULT_PERSONAS
    variants: tuple[str, ...] = VARIANTS
    seeds: int = 1
    turns: int = 12
    emotional_share: float = 0.25
    meta_share: float = 0.25
    user: str = "scripted"
    simulator: str = "daniel-okafor"
    alternatives: int = 4
    sample_every: int = 4
    max_tokens: int = 60
    temperature: float = 0.8
    engine: str = "llama"
    model: str | None = None
    threads: int | None = None
    n_ctx: int = 2048
    items_per_scale: int | None = None
    questionnaire: str = "statement"
    end_profiles: bool = True
    quick: bool = False
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def validate(self) -> None:
        """Raise :class:`UserError` on settings that cannot run."""
        if not self.personas:
            raise UserError("--personas is empty: name at least one persona")
        if len(set(self.personas)) != len(self.personas):
            raise UserError(f"--personas lists a persona twice: {', '.join(self.personas)}")
        if not self.variants:
            raise UserError("--variants is empty: name at least one variant")
        for v in self.variants:
            if v not in (*VARIANTS, "full"):
                raise UserError(f"unknown variant {v!r} (choose from: {', '.join((*VARIANTS, 'full'))})")
        if len(set(self.variants)) != len(self.variants):
            raise UserError(f"--variants lists a variant twice: {', '.join(self.variants)}")
        if self.turns < 1:
            raise UserError(f"--turns must be at least 1, not {self.turns}")
        if self.turns > 200:
            raise UserError(f"--turns {self.turns} is more than the lab supports (200)")
        if self.seeds < 1:
            raise UserError(f"--seeds must be at least 1, not {self.seeds}")
        for name, share in (("--emotional-share", self.emotional_share), ("--meta-share", self.meta_share)):
            if not 0.0 <= share <= 1.0:
                raise UserError(f"{name} must be between 0 and 1, not {share}")
        if self.emotional_share + self.meta_share > 1.0 + 1e-9:
            raise UserError(
                f"--emotional-share + --meta-share is {self.emotional_share + self.meta_share:g}; it cannot exceed 1"
            )
        if self.user not in USER_MODES:
            raise UserError(f"unknown --user {self.user!r} (choose from: {', '.join(USER_MODES)})")
        if self.engine not in ENGINES:
            raise UserError(f"unknown engine {self.engine!r} (choose from: {', '.join(ENGINES)})")
        if self.alternatives < 0 or self.alternatives > 64:
            raise UserError(f"--alternatives must be between 0 and 64, not {self.alternatives}")
        if self.sample_every < 1:
            raise UserError(f"--sample-every must be at least 1, not {self.sample_every}")
        if not 1 <= self.max_tokens <= 1024:
            raise UserError(f"--max-tokens must be between 1 and 1024, not {self.max_tokens}")
        if not 0.0 <= self.temperature <= 5.0:
            raise UserError(f"--temperature must be between 0 and 5, not {self.temperature}")
        if self.threads is not None and self.threads < 1:
            raise UserError(f"--threads must be at least 1, not {self.threads}")
        if self.questionnaire not in ("statement", "choice"):
            raise UserError(f"unknown questionnaire format {self.questionnaire!r} (choose from: statement, choice)")
        if self.items_per_scale is not None and self.items_per_scale < 1:
            raise UserError(f"items per scale must be at least 1, not {self.items_per_scale}")

    @property
    def sampled_turns(self) -> tuple[int, ...]:
        """1-based turns at which N alternatives are drawn (empty when ``alternatives < 2``).

        Every ``sample_every``-th turn; a run shorter than that samples its last turn.
        """
        if self.alternatives < 2:
            return ()
        turns = tuple(k for k in range(1, self.turns + 1) if k % self.sample_every == 0)
        return turns or (self.turns,)

    @property
    def conversations(self) -> int:
        return len(self.personas) * len(self.variants) * self.seeds

    @property
    def total_turns(self) -> int:
        return self.conversations * self.turns

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["personas"] = list(self.personas)
        out["variants"] = list(self.variants)
        out["sampled_turns"] = list(self.sampled_turns)
        if not out["extra"]:
            del out["extra"]
        return out


QUICK: dict[str, Any] = {
    "personas": ("mara-silva", "viktor-hale"),
    "variants": ("personality", "role+personality"),
    "seeds": 1,
    "turns": 3,
    "alternatives": 3,
    "sample_every": 3,
    "max_tokens": 24,
    "items_per_scale": 2,
    "emotional_share": 0.34,
    "meta_share": 0.33,
}
"""``--quick``: 2 personas × 2 variants × 3 turns, N = 3, a short questionnaire. Explicit options still win."""


@dataclass(frozen=True)
class Cell:
    """One conversation of the grid."""

    persona: str
    variant: str
    seed: int

    @property
    def name(self) -> str:
        """A file-name-safe label: ``mara-silva.role-personality.s0``."""
        from drifttui.session.paths import slug

        return f"{slug(self.persona.removesuffix('.toml').rsplit('/', 1)[-1])}.{slug(self.variant)}.s{self.seed}"


def expand(config: LabConfig) -> list[Cell]:
    """The conversations to play, persona by persona (its scorer's cache stays warm), then variant, then seed."""
    return [Cell(p, v, s) for p in config.personas for v in config.variants for s in range(config.seeds)]
