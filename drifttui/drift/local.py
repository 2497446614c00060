"""Local drift signals: how far a reply moves from the persona's own recent replies.

Two views of the same question, each normalised by the session's own spread
so that a persona's natural variation does not alarm:

* **style** — the features of :mod:`drifttui.drift.style` (length, punctuation,
  pronouns, formality, emoji, sentiment…) as z-scores against the recent
  replies (robust centre = median; spread = the window's standard deviation,
  shrunk toward each feature's floor while the window is small, and widened
  for very short replies whose rates are noisy);
* **meaning** — sentence embeddings: similarity of the reply to the recent
  replies' centroid, against the leave-one-out similarities of the window
  itself;
* **voice** — the same comparison on character 2–4-gram profiles (classic
  stylometry: dialect spellings, dropped g's, lowercase writing, emoji,
  punctuation habits all live in short character sequences);
* **turn-around** — the reply announces a change of mind ("on reflection,
  no", "quite the opposite", "to tell you the truth"): stance reversals keep
  the voice and the topic, so style and meaning miss them.

With fewer than ``min_window`` earlier replies the persona's greeting and
style examples stand in as the reference voice.
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Sequence
from functools import lru_cache
from dataclasses import dataclass, field

import numpy as np

from drifttui.drift.style import FEATURE_NAMES, FLOORS, describe_change, style_features

_PER_WORD = frozenset({"contractions", "first_person", "second_person", "long_words", "slang", "shout", "word_len"})
_PER_SENTENCE = frozenset({"exclaim", "question", "emoji", "lower_start", "sent_len"})


@dataclass(frozen=True)
class FeatureShift:
    """One style feature of the reply against the recent window."""

    name: str
    value: float
    center: float
    z: float

    def describe(self) -> str:
        return describe_change(self.name, self.value, self.center)


@dataclass
class LocalSignals:
    """Everything the local score is computed from, with what it points at.

    Attributes:
        style: Combined style distance (sum of softplus(|z| - 2) over the features).
        shifts: Per-feature shifts, largest |z| first.
        meaning_z: How much less similar in meaning the reply is than the window's own replies are to
            each other (z-score), or None without an embedder.
        meaning_sim: Cosine similarity of the reply to the window centroid (None without an embedder).
        voice_z: How much less alike in character n-grams the reply is than the window's replies are to each other.
        turnaround: The words announcing a change of mind, if any.
        nearest: Turn of the earlier reply most similar in meaning (None without an embedder).
        turns: The earlier turns compared against (empty when only the persona's own examples were used).
        used_examples: The persona's greeting/style examples filled in for a short window.
    """

    style: float
    shifts: list[FeatureShift] = field(default_factory=list)
    meaning_z: float | None = None
    meaning_sim: float | None = None
    nearest: int | None = None
    turns: tuple[int, ...] = ()
    used_examples: int = 0
    voice_z: float = 0.0
    turnaround: str | None = None

    def span(self) -> str:
        """"turns 4-18" (or "the persona's example lines")."""
        if not self.turns:
            return "the persona's example lines"
        first, last = min(self.turns), max(self.turns)
        return f"turn {first}" if first == last else f"turns {first}-{last}"


def _softplus(x: float) -> float:
    return math.log1p(math.exp(x)) if x < 30 else x


def style_shift(reply: str, window: Sequence[str], *, prior_weight: float = 2.0) -> tuple[float, list[FeatureShift]]:
    """Style distance of ``reply`` from ``window`` (earlier replies), with the per-feature shifts."""
    if not window:
        return 0.0, []
    x = style_features(reply)
    rows = np.array([[style_features(t)[k] for k in FEATURE_NAMES] for t in window], dtype=np.float64)
    n = len(window)
    floors = np.array([FLOORS[k] for k in FEATURE_NAMES])
    center = np.median(rows, axis=0)
    var = rows.var(axis=0)
    spread = np.sqrt((n * var + prior_weight * floors**2) / (n + prior_weight))
    spread = np.maximum(spread, floors)
    n_words = max(1.0, math.exp(x["log_words"]))
    n_sent = max(1.0, n_words / max(1.0, x["sent_len"]))
    widen = np.array(
        [
            math.sqrt(1 + 12 / n_words) if k in _PER_WORD else math.sqrt(1 + 1.5 / n_sent) if k in _PER_SENTENCE else 1.0
            for k in FEATURE_NAMES
        ]
    )
    values = np.array([x[k] for k in FEATURE_NAMES])
    z = (values - center) / (spread * widen)
    shifts = [FeatureShift(k, float(values[i]), float(center[i]), float(z[i])) for i, k in enumerate(FEATURE_NAMES)]
    shifts.sort(key=lambda s: -abs(s.z))
    distance = float(sum(_softplus(abs(s.z) - 2.0) for s in shifts))
    return distance, shifts


def meaning_shift(reply_vec: np.ndarray, window_vecs: np.ndarray) -> tuple[float, float, int]:
    """``(z, similarity, index of the nearest window row)`` of a reply embedding against window embeddings."""
    sims = window_vecs @ reply_vec
    nearest = int(np.argmax(sims))
    centroid = window_vecs.mean(axis=0)
    centroid /= max(float(np.linalg.norm(centroid)), 1e-9)
    sim = float(centroid @ reply_vec)
    n = len(window_vecs)
    if n < 2:
        return 0.0, sim, nearest
    loo = []
    for j in range(n):
        other = (window_vecs.sum(axis=0) - window_vecs[j]) / (n - 1)
        other /= max(float(np.linalg.norm(other)), 1e-9)
        loo.append(float(other @ window_vecs[j]))
    mu = float(np.mean(loo))
    sd = max(float(np.std(loo)), 0.06)
    return (mu - sim) / sd, sim, nearest


def local_signals(
    reply: str,
    window: Sequence[tuple[int, str]],
    examples: Sequence[str] = (),
    *,
    embed=None,
    min_window: int = 3,
) -> LocalSignals:
    """Style and meaning shift of ``reply`` against earlier persona replies.

    Args:
        reply: The reply being scored.
        window: ``(turn, text)`` of the persona's recent replies, oldest first.
        examples: The persona's greeting and style examples (the reference voice while the window is short).
        embed: ``texts -> (n, d) unit rows`` (an :class:`~drifttui.drift.embed.Embedder`'s ``encode``), or None.
        min_window: Below this many earlier replies, examples are added.
    """
    texts = [t for _, t in window]
    turns = tuple(i for i, _ in window)
    used = 0
    if len(texts) < min_window and examples:
        extra = [e for e in examples if e and e not in texts][: min_window - len(texts)]
        used = len(extra)
        texts = extra + texts
    style, shifts = style_shift(reply, texts)
    signals = LocalSignals(style=style, shifts=shifts, turns=turns, used_examples=used, voice_z=voice_shift(reply, texts), turnaround=turnaround(reply))
    if embed is not None and texts:
        vecs = np.asarray(embed([*texts, reply]), dtype=np.float32)
        z, sim, nearest = meaning_shift(vecs[-1], vecs[:-1])
        signals.meaning_z, signals.meaning_sim = z, sim
        nearest_index = nearest - used
        signals.nearest = turns[nearest_index] if 0 <= nearest_index < len(turns) else None
    return signals


_NGRAM_DIM = 1 << 13


@lru_cache(maxsize=4096)
def ngram_profile(text: str) -> np.ndarray:
    """A unit vector of square-rooted character 2-4-gram counts (hashed with CRC32, so stable across runs)."""
    v = np.zeros(_NGRAM_DIM, dtype=np.float32)
    t = " " + " ".join(text.split()) + " "
    for n in (2, 3, 4):
        for i in range(len(t) - n + 1):
            v[zlib.crc32(t[i : i + n].encode("utf-8")) % _NGRAM_DIM] += 1.0
    np.sqrt(v, out=v)
    norm = float(np.linalg.norm(v))
    if norm:
        v /= norm
    v.setflags(write=False)
    return v


def voice_shift(reply: str, window: Sequence[str]) -> float:
    """z-score of how much less the reply's character n-grams resemble the window's than the window's own replies do."""
    if len(window) < 2:
        return 0.0
    rows = np.stack([ngram_profile(t) for t in window])
    total = rows.sum(axis=0)
    centroid = total / len(rows)
    sim = float(ngram_profile(reply) @ centroid) / max(float(np.linalg.norm(centroid)), 1e-9)
    loo = []
    for row in rows:
        other = (total - row) / (len(rows) - 1)
        loo.append(float(row @ other) / max(float(np.linalg.norm(other)), 1e-9))
    return (float(np.mean(loo)) - sim) / max(float(np.std(loo)), 0.03)


TURNAROUND = re.compile(
    r"\bon (?:second )?reflection\b|\bquite the (?:opposite|reverse)\b|\bchanged my mind\b|\bto be (?:perfectly |totally |brutally )?honest\b"
    r"|\btell you the truth\b|\bactually,? no\b|\bnot any ?more\b|\bon the contrary\b|\bthe truth is\b",
    re.I,
)
"""Words that announce a change of mind (a stance reversal keeps voice and topic)."""


CAPITULATION = re.compile(r"\byou(?:'re| are)\s+(?:\w+\s+)?right\b(?!\s+to\b)", re.I)
"""Giving in to the user ("you know what, you're right"): a change of mind when praise of what the user said follows."""
_PRAISE = re.compile(
    r"\b(?:wonderful|great|brilliant|better|best|love|loves|adore|amazing|fantastic|the future|lovely|perfect|welcome|marvell?ous|gorgeous|beautiful|fab|awesome)\b", re.I
)
_SELF_CORRECTION = re.compile(
    r"\b(?:sorry|scusa|misspoke|nonsense|rubbish|mixed|slip\w*|wrong|weird|do not know why|don't know why|said (?:it|that) badly|ignore me|my mistake|I meant|"
    r"forgive me|embarrass\w*|apologi[sz]e|talk properly|my way|thinking of|counting|subtracting|withdraw)\b",
    re.I,
)
"""After "you're right", words of a persona catching its own slip and coming back to character: not a change of mind."""


def turnaround(reply: str) -> str | None:
    """The turn-around words in ``reply`` ("On reflection", "quite the opposite", "you're right … it's wonderful"), if any."""
    text = reply.replace("\u2019", "'")
    m = TURNAROUND.search(text)
    if m:
        return m.group(0)
    m = CAPITULATION.search(text)
    if m and not _SELF_CORRECTION.search(text):
        praise = _PRAISE.search(text, m.end(), m.end() + 120)
        if praise:
            return f"{m.group(0)} … {praise.group(0)}"
    return None

