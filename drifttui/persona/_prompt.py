"""Prompt assembly: a persona + a variant → the system prompt text.

The template is plain text with ``{{macro}}`` placeholders, rendered line by
line:

* a line whose macros include one that renders empty is left out (so an
  absent role leaves no "Your role: ." line behind);
* a ``.`` right after a macro whose value already ends in ``.``, ``!``, ``?``
  or ``…`` is dropped;
* runs of blank lines collapse to one; unknown macros stay as written.

A variant switches conditioning parts off by rendering their macros empty.
See docs/personas.md for the macro list and how to override the template.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from drifttui.errors import PersonaError
from drifttui.persona._vocab import PARTS, VARIANTS

if TYPE_CHECKING:
    from drifttui.persona._model import Persona

DEFAULT_TEMPLATE = """\
You are {{char}}.
Your role: {{role}}.
Your personality: {{personality}}.
{{backstory}}
Situation: {{scenario}}
Facts about you: {{facts}}.
How you talk: {{speech}}.
Your habits: {{habits}}.
Avoid: {{avoid}}.
Things you might say: {{examples}}
{{instruction}}"""
"""The default system-prompt template."""

DEFAULT_INSTRUCTION = "Stay in character as {{char}}. Never say you are an AI, a language model or an assistant."
"""The default closing instruction (``{{instruction}}``; a card's ``system_prompt`` replaces it)."""

MACRO_PARTS: dict[str, str] = {
    "role": "role",
    "personality": "personality",
    "backstory": "backstory",
    "scenario": "scenario",
    "facts": "facts",
    "speech": "style",
    "habits": "style",
    "avoid": "style",
    "examples": "examples",
}
"""Macro → the conditioning part that switches it on."""

MACROS: tuple[str, ...] = ("char", "user", *MACRO_PARTS, "instruction", "original")
"""Every macro a template may use."""

MACRO_RE = re.compile(r"\{\{\s*([A-Za-z_]+)\s*\}\}")
_END_PUNCT = (".", "!", "?", "…")


def active_parts(persona: Persona, variant: str = "full") -> tuple[str, ...]:
    """The non-empty conditioning parts ``variant`` puts in ``persona``'s prompt.

    Raises:
        PersonaError: ``variant`` is unknown.
    """
    if variant not in VARIANTS:
        raise PersonaError(f"unknown prompt variant {variant!r} (choose from: {', '.join(VARIANTS)})")
    wanted = VARIANTS[variant]
    if wanted is None:
        wanted = persona.conditioning
    return tuple(p for p in PARTS if p in wanted and part_text(persona, p))


def part_text(persona: Persona, part: str) -> bool:
    """Whether ``persona`` has any content for conditioning ``part``."""
    style = persona.style
    return bool(
        {
            "role": persona.role,
            "personality": persona.personality,
            "backstory": persona.backstory,
            "scenario": persona.scenario,
            "facts": persona.facts,
            "style": style.speech or style.habits or style.avoid,
            "examples": style.examples,
        }[part]
    )


def macro_values(persona: Persona, parts: tuple[str, ...]) -> dict[str, str]:
    """What each macro renders to when only ``parts`` are switched on."""
    style = persona.style
    raw = {
        "role": persona.role.strip(),
        "personality": persona.personality.strip(),
        "backstory": persona.backstory.strip(),
        "scenario": persona.scenario.strip(),
        "facts": "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in persona.facts.items()),
        "speech": style.speech.strip(),
        "habits": "; ".join(style.habits),
        "avoid": ", ".join(style.avoid),
        "examples": " ".join(f'"{line}"' for line in style.examples),
    }
    values = {macro: (text if MACRO_PARTS[macro] in parts else "") for macro, text in raw.items()}
    values["char"] = persona.name
    values["user"] = "the user"
    base = {"char": persona.name, "user": "the user"}
    default_instruction = fill(DEFAULT_INSTRUCTION, base)
    if persona.prompt.instruction:
        values["instruction"] = fill(persona.prompt.instruction, {**base, "original": default_instruction})
    else:
        values["instruction"] = default_instruction
    return values


def render(persona: Persona, variant: str = "full") -> str:
    """The system prompt of ``persona`` for ``variant`` (``""`` for ``none``).

    Raises:
        PersonaError: ``variant`` is unknown.
    """
    parts = active_parts(persona, variant)
    if variant == "none":
        return ""
    values = macro_values(persona, parts)
    template = persona.prompt.template or DEFAULT_TEMPLATE
    if "original" in _names(template):
        values["original"] = fill(DEFAULT_TEMPLATE, values)
    return fill(template, values)


def fill(template: str, values: dict[str, str]) -> str:
    """Render ``template`` with ``values`` by the line rules in the module docstring."""
    lines = []
    for line in template.split("\n"):
        if any(name in values and not values[name] for name in _names(line)):
            continue
        lines.append(_substitute(line, values).rstrip())
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def unknown_macros(text: str) -> list[str]:
    """Macro names in ``text`` that no template knows."""
    return [name for name in _names(text) if name not in MACROS]


def estimate_tokens(text: str) -> int:
    """A rough, slightly high token count for English prose: 3.5 characters per token.

    SmolLM2's tokenizer averages about 3.75 characters per token on the shipped prompts.
    """
    return math.ceil(len(text) / 3.5)


def _names(text: str) -> list[str]:
    return [m.group(1).lower() for m in MACRO_RE.finditer(text)]


def _substitute(line: str, values: dict[str, str]) -> str:
    out: list[str] = []
    pos = 0
    for match in MACRO_RE.finditer(line):
        name = match.group(1).lower()
        if name not in values:
            continue
        out.append(line[pos : match.start()])
        value = values[name]
        out.append(value)
        pos = match.end()
        if value.endswith(_END_PUNCT) and line.startswith(".", pos):
            pos += 1
    out.append(line[pos:])
    return "".join(out)
