"""Surface style of a reply as a small feature vector (for the local drift score).

Each feature is cheap, readable and has a *floor scale*: the smallest change
that is worth noticing even when a persona has been perfectly uniform so far
(a persona that never used an exclamation mark and suddenly uses three has
moved by 3 / 0.5 = 6 floors, not by infinity).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from drifttui.drift.text import fold_quotes, sentences

_EMOJI = re.compile(
    "[\U0001f300-\U0001faff\U00002600-\U000027bf\U0001f000-\U0001f2ff\U0001f900-\U0001f9ff\u2764\u2728\u263a]",
)
_WORD = re.compile(r"[A-Za-zÀ-ÿ]+(?:['’][A-Za-z]+)?")
_CONTRACTION = re.compile(r"\b\w+['’](?:s|re|ve|ll|d|m|t)\b|\b(?:gonna|wanna|gotta|kinda|sorta|dunno|y'all)\b", re.I)
_SLANG = frozenset(
    "lol lmao lmfao omg tbh ngl idk btw fr lowkey highkey bruh ur u pls plz thx ty gg imo imho smh rn af asf "
    "haha hahaha hehe yeah yep nope nah ya yo dude bro sis vibe vibes literally totally super awesome cool "
    "gonna wanna gotta kinda sorta".split()
)
_FIRST = frozenset("i me my mine myself i'm i've i'd i'll im".split())
_SECOND = frozenset("you your yours yourself you're you've you'd you'll u ur".split())
_LIST_LINE = re.compile(r"^\s*(?:\d+[.)]|[-*•])\s+", re.M)


@dataclass(frozen=True)
class Feature:
    """A style feature: its name, how to say it, and its floor scale."""

    name: str
    label: str
    floor: float
    ratio: bool = False
    """Report changes as a ratio (×3.2) rather than a difference."""


FEATURES: tuple[Feature, ...] = (
    Feature("log_words", "length", 0.45, ratio=True),
    Feature("sent_len", "sentence length", 4.0),
    Feature("exclaim", "exclamations", 0.35),
    Feature("question", "questions", 0.35),
    Feature("emoji", "emoji", 0.3),
    Feature("shout", "capitals (shouting)", 0.05),
    Feature("lower_start", "lowercase starts", 0.25),
    Feature("contractions", "contractions", 0.04),
    Feature("first_person", "first person", 0.04),
    Feature("second_person", "second person", 0.04),
    Feature("word_len", "word length", 0.35),
    Feature("long_words", "long words", 0.06),
    Feature("slang", "slang", 0.03),
    Feature("sentiment", "sentiment", 0.35),
    Feature("list_lines", "list formatting", 0.5),
)
FEATURE_NAMES = tuple(f.name for f in FEATURES)
FLOORS = {f.name: f.floor for f in FEATURES}
BY_NAME = {f.name: f for f in FEATURES}


@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=8192)
def style_features(text: str) -> dict[str, float]:
    """The style features of one reply (cached by text)."""
    text = fold_quotes(text)
    sents = sentences(text) or [text]
    words = _WORD.findall(text)
    n_words = max(1, len(words))
    n_sent = max(1, len(sents))
    lower = [w.lower() for w in words]
    letters = [c for c in text if c.isalpha()]
    caps_words = [w for w in words if len(w) >= 2 and w.isupper() and w not in ("I", "OK", "TV", "UK", "US")]
    starts = [s.lstrip("\"'(*-–— ")[:1] for s in sents]
    starts = [c for c in starts if c.isalpha()]
    return {
        "log_words": math.log(n_words),
        "sent_len": n_words / n_sent,
        "exclaim": min(3.0, len(re.findall(r"!+", text)) / n_sent),
        "question": min(3.0, text.count("?") / n_sent),
        "emoji": min(3.0, len(_EMOJI.findall(text)) / n_sent),
        "shout": len(caps_words) / n_words,
        "lower_start": (sum(c.islower() for c in starts) / len(starts)) if starts else 0.0,
        "contractions": len(_CONTRACTION.findall(text)) / n_words,
        "first_person": sum(w in _FIRST for w in lower) / n_words,
        "second_person": sum(w in _SECOND for w in lower) / n_words,
        "word_len": sum(len(w) for w in words) / n_words if words else 0.0,
        "long_words": sum(len(w) >= 8 for w in words) / n_words,
        "slang": sum(w in _SLANG for w in lower) / n_words,
        "sentiment": float(_vader().polarity_scores(text)["compound"]),
        "list_lines": float(len(_LIST_LINE.findall(text))) + (1.0 if "**" in text else 0.0),
        "_letters": float(len(letters)),
    }


def describe_change(name: str, value: float, center: float) -> str:
    """"length ×3.2", "exclamations +1.5/sentence", "sentiment -0.8" — for evidence lines."""
    feature = BY_NAME[name]
    if feature.ratio:
        factor = math.exp(value - center)
        return f"{feature.label} ×{factor:.1f}" if factor >= 1 else f"{feature.label} ×{factor:.2f}"
    delta = value - center
    sign = "+" if delta >= 0 else "−"
    unit = {"exclaim": "/sentence", "question": "/sentence", "emoji": "/sentence", "sent_len": " words"}.get(name, "")
    if name in ("shout", "lower_start", "contractions", "first_person", "second_person", "long_words", "slang"):
        return f"{feature.label} {sign}{abs(delta) * 100:.0f}%"
    return f"{feature.label} {sign}{abs(delta):.2f}{unit}"
