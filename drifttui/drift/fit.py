"""Fit of a reply to the persona's *stated* style: what it says it avoids, how it says it talks.

Personas describe their voice in words (``style.speech``, ``style.avoid``,
``personality``): "short, precise sentences", "avoid: exclamation marks,
emoji, offers to help", "writes in lowercase". Each recognised cue becomes a
check on the reply; a violated cue is global-drift evidence a person can read
("uses exclamation marks, which the persona avoids"). Unrecognised cues are
ignored, so a persona without style notes simply gets no fit signal.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from drifttui.drift.register import register_hits
from drifttui.drift.style import style_features
from drifttui.drift.text import fold_quotes, is_negated

_EMOJI = re.compile("[\U0001f300-\U0001faff\U00002600-\U000027bf\U0001f000-\U0001f2ff\u2764\u2728]")
_GUSH = re.compile(r"\b(?:amazing|wonderful|fantastic|incredible|awesome|adore|magical|so much|the best|beautiful|blessed|lovely)\b", re.I)
_APOLOGY = re.compile(r"\b(?:sorry|apologi[sz]e|apologies|forgive me|my bad|my apologies)\b", re.I)
_PLEASANTRY = re.compile(r"\b(?:have a (?:nice|great|good|lovely) (?:day|one|evening)|nice to meet you|thank you so much|hope you(?:'re| are) (?:well|doing well)|take care)\b", re.I)
_NETSPEAK = re.compile(r"\b(?:lol|lmao|omg|tbh|ngl|fr|lowkey|highkey|no cap|bussin|slay|vibes?|vibing|sus|rizz|bestie|literally dying|idk|imo|btw|brb|ikr|smh)\b", re.I)
_TECH = re.compile(r"\b(?:phone|phones|computer|internet|online|app|email|website|car|cars|television|tv|wifi|smartphone|laptop)\b", re.I)
_ADVICE = re.compile(r"\b(?:you should|I (?:would )?(?:recommend|suggest|advise)|try to|make sure (?:to|you)|it(?:'s| is) important to)\b", re.I)
_QUESTION = re.compile(r"\?")


@dataclass(frozen=True)
class FitCheck:
    """A stated style cue, and how far a reply violates it (0 = fine, up to ``weight``)."""

    cue: str
    weight: float
    test: Callable[[str], float]
    message: str


@dataclass(frozen=True)
class FitMiss:
    """A violated cue in one reply."""

    cue: str
    amount: float
    message: str


def _count(pattern: re.Pattern[str], cap: int) -> Callable[[str], float]:
    return lambda text: min(1.0, len(pattern.findall(text)) / cap)


def _register(families: tuple[str, ...]) -> Callable[[str], float]:
    def test(text: str) -> float:
        hits = [h for h in register_hits(text) if h.family in families]
        return min(1.0, sum(h.weight for h in hits))

    return test


def _long(limit: int) -> Callable[[str], float]:
    def test(text: str) -> float:
        words = len(text.split())
        return max(0.0, min(1.0, (words - limit) / (2.0 * limit)))

    return test


def _capitals(text: str) -> float:
    starts = [s for s in re.split(r"(?<=[.!?])\s+|\n+", text.strip()) if s]
    caps = sum(1 for s in starts if s[:1].isupper() and not s.startswith("I "))
    return min(1.0, caps / max(1, len(starts)) * 1.5)


def _contractions(text: str) -> float:
    n = len(re.findall(r"\b\w+['’](?:s|re|ve|ll|d|m|t)\b", fold_quotes(text)))
    return min(1.0, n / 3)


def _formal(text: str) -> float:
    """How formal a reply sounds: long words and no contractions, unless it writes casually.

    The long-word rate is shrunk toward the everyday rate (0.12) with 10 pseudo-words, so
    "celeste. obviously" (one long word of two) is not formal; lowercase sentence starts,
    slang and emoji count against formality.
    """
    f = style_features(text)
    n = len(text.split())
    long_rate = (f["long_words"] * n + 0.12 * 10) / (n + 10)
    formal = (long_rate - 0.12) * 6 + (0.5 if f["contractions"] == 0 and n > 25 else 0.0)
    casual = f["lower_start"] + min(1.0, f["slang"] * 12) + min(1.0, f["emoji"])
    return max(0.0, min(1.0, formal - casual))


def _slang(text: str) -> float:
    f = style_features(text)
    return min(1.0, f["slang"] * 12)


# (cue pattern in the persona text, weight, test, message)
_RULES: tuple[tuple[str, float, Callable[[str], float], str], ...] = (
    (r"exclamation", 0.5, _count(re.compile(r"!+"), 2), "uses exclamation marks"),
    (r"emoji", 0.5, _count(_EMOJI, 2), "uses emoji"),
    (r"gushing|effusive|praise", 0.35, _count(_GUSH, 2), "gushes"),
    (r"apolog", 0.35, _count(_APOLOGY, 1), "apologises"),
    (r"pleasantr", 0.3, _count(_PLEASANTRY, 1), "uses pleasantries"),
    (r"offers? (?:to|of) help|customer[- ]service|assistant|helpful|service phrases", 0.6, _register(("service", "ai")), "uses assistant service phrases"),
    (r"lectur|textbook|explaining like a teacher|teacher-?like|counsell?or|therapy jargon|advice", 0.45, _register(("generic",)), "explains like a textbook or an assistant"),
    (r"giving advice", 0.4, _count(_ADVICE, 2), "gives advice"),
    (r"technology|modern (?:things|inventions|devices|gadgets|world|life|references|concepts|ideas)|anachronis|\binternet\b|computers|gadgets", 0.4, _count(_TECH, 2), "mentions modern technology"),
    (r"modern slang|internet (?:slang|talk)|netspeak|text-?speak", 0.35, _count(_NETSPEAK, 2), "uses internet slang"),
    (r"formal language|formality", 0.35, _formal, "sounds formal"),
    (r"slang", 0.35, _slang, "uses slang"),
    (r"(?:no|never|avoid\w*|without)\W+(?:\w+\W+){0,2}contractions", 0.4, _contractions, "uses contractions"),
)
_SPEECH_RULES: tuple[tuple[str, float, Callable[[str], float], str], ...] = (
    (r"\b(?:short|terse|clipped|brief|few words|laconic|one or two|curt|flat sentences|never more than asked)\b", 0.35, _long(45), "long-winded"),
    (r"\blower-?case\b", 0.45, _capitals, "writes with capital letters"),
    (r"\bno exclamation\b|\bnever exclaim", 0.5, _count(re.compile(r"!+"), 2), "uses exclamation marks"),
    (r"\bformal\b|\bno contractions\b|\bnever uses contractions\b", 0.3, _contractions, "uses contractions"),
    (r"\bslang\b|\binformal\b|\bcasual\b", 0.2, _formal, "sounds formal"),
)


_AVERSE = re.compile(r"\b(?:avoids?|avoiding|hates?|despises?|dislikes?|refuses?|free of|instead of)\b")


def _cue_negated(voice: str, start: int, end: int) -> bool:
    """True if the cue at ``voice[start:end]`` is denied in its clause ("never uses contractions or slang").

    A cue that carries its own negation ("no contractions") is matched as a whole and not denied.
    """
    clause = re.split(r"[,;:.()]", voice[:start])[-1]
    return bool(_AVERSE.search(clause)) or is_negated(f"{clause} {voice[start:end]}")


def fit_checks(avoid: list[str], speech: str, personality: str) -> list[FitCheck]:
    """The checks a persona's stated style supports (possibly none)."""
    checks: list[FitCheck] = []
    seen: set[str] = set()
    for item in avoid:
        low = item.lower()
        for pattern, weight, test, message in _RULES:
            if re.search(pattern, low) and message not in seen:
                seen.add(message)
                checks.append(FitCheck(item, weight, test, f"{message}, which the persona avoids ({item})"))
    voice = f"{speech}. {personality}".lower()
    for pattern, weight, test, message in _SPEECH_RULES:
        m = next((m for m in re.finditer(pattern, voice) if not _cue_negated(voice, m.start(), m.end())), None)
        if m and message not in seen:
            seen.add(message)
            checks.append(FitCheck(m.group(0), weight, test, f'{message}, but the persona is "{m.group(0)}"'))
    return checks


def fit_misses(reply: str, checks: list[FitCheck]) -> list[FitMiss]:
    """The cues ``reply`` violates, strongest first."""
    misses = []
    for check in checks:
        amount = check.weight * check.test(reply)
        if amount > 0.02:
            misses.append(FitMiss(check.cue, amount, check.message))
    return sorted(misses, key=lambda m: -m.amount)


def fit_score(misses: list[FitMiss]) -> float:
    """Violations combined as independent evidence (0 = fits every stated cue)."""
    remaining = 1.0
    for miss in misses:
        remaining *= 1.0 - miss.amount
    return 1.0 - remaining
