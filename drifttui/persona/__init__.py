"""Personas: the TOML format, prompt assembly, the library, and character-card import.

See docs/personas.md for the file format, the fact-key vocabulary and the
prompt template.
"""

from drifttui.persona._card import Card, card_to_persona, import_card, parse_card, read_card
from drifttui.persona._file import load_persona, persona_toml, print_warning
from drifttui.persona._library import (
    DEFAULT_NAME,
    LibraryEntry,
    default_persona,
    find_persona,
    library,
    library_dirs,
    resolve_persona,
    slug,
)
from drifttui.persona._model import Persona, Probe, PromptSpec, Style, Target
from drifttui.persona._prompt import DEFAULT_INSTRUCTION, DEFAULT_TEMPLATE, MACROS, estimate_tokens
from drifttui.persona._vocab import BIG_FIVE, FACT_KEYS, KINDS, MAX_FIELD_CHARS, PARTS, VARIANTS

__all__ = [
    "BIG_FIVE",
    "Card",
    "DEFAULT_INSTRUCTION",
    "DEFAULT_NAME",
    "DEFAULT_TEMPLATE",
    "FACT_KEYS",
    "KINDS",
    "LibraryEntry",
    "MACROS",
    "MAX_FIELD_CHARS",
    "PARTS",
    "Persona",
    "Probe",
    "PromptSpec",
    "Style",
    "Target",
    "VARIANTS",
    "card_to_persona",
    "default_persona",
    "estimate_tokens",
    "find_persona",
    "import_card",
    "library",
    "library_dirs",
    "load_persona",
    "parse_card",
    "persona_toml",
    "print_warning",
    "read_card",
    "resolve_persona",
    "slug",
]
