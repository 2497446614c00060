"""Fixed vocabularies of the persona format: fact keys, prompt parts, variants, limits.

These names are a contract: persona files use them, the prompt template masks
by them, and the factual-contradiction scorer keys on :data:`FACT_KEYS`.
"""

from __future__ import annotations

FACT_KEYS: dict[str, str] = {
    "name": "the name the persona answers to, if it differs from `name` (e.g. a full name)",
    "nickname": "what friends call them",
    "age": "age in years, digits only: '34'",
    "gender": "e.g. 'woman', 'man', 'non-binary'",
    "species": "for non-human personas: 'red fox'",
    "nationality": "'Portuguese'",
    "hometown": "where they grew up: 'Porto'",
    "city": "where they live now: 'Lisbon'",
    "country": "country they live in now: 'Portugal'",
    "home": "a dwelling when 'city' does not fit: 'a den under the hawthorn hedge'",
    "job": "occupation: 'dentist'",
    "workplace": "employer or place of work: 'a small clinic in Alfama'",
    "education": "highest or defining education: 'dental school in Lisbon'",
    "partner": "spouse or partner, or 'none'",
    "children": "'none', 'two daughters'",
    "siblings": "'one older brother, Rui'",
    "parents": "'a retired fisherman father'",
    "pet": "'a grey cat named Olive', or 'none'",
    "hobby": "main pastime: 'bouldering'",
    "likes": "one thing they love: 'fado music'",
    "dislikes": "one thing they hate: 'small talk'",
    "food": "favourite food",
    "drink": "favourite drink",
    "music": "favourite music",
    "languages": "languages spoken: 'Portuguese and English'",
    "fear": "what they are afraid of",
    "goal": "what they want right now",
}
"""Fact keys with what each holds. Values are single short strings the scorer can compare."""

PARTS: tuple[str, ...] = ("role", "personality", "backstory", "scenario", "facts", "style", "examples")
"""Conditioning parts of a persona prompt, in template order. The name is always present."""

VARIANTS: dict[str, tuple[str, ...] | None] = {
    "full": None,  # the persona's own `conditioning` list (default: every part)
    "role+personality": ("role", "personality"),
    "personality": ("personality",),
    "role": ("role",),
    "none": (),
}
"""Prompt variants → the parts they switch on. ``none`` means no system prompt at all."""

KINDS: tuple[str, ...] = ("character", "user-simulator")
"""``user-simulator``: the model plays the human side (a patient, a student) to the user's expert."""

BIG_FIVE: tuple[str, ...] = ("openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism")
"""Big Five trait names; targets are scores in [0, 1]."""

MAX_FIELD_CHARS = 100_000
"""Longest text field accepted in a persona file or character card (characters)."""

MAX_PERSONA_FILE_BYTES = 1_000_000
"""Largest persona TOML file accepted."""

MAX_CARD_FILE_BYTES = 50_000_000
"""Largest character card file (PNG or JSON) accepted."""

PROMPT_TOKEN_BUDGET = 400
"""Warn when a persona's full prompt is estimated above this many tokens (2048-token default window)."""
