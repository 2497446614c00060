"""Resistance: does conditioning move the model's measured personality, and toward the target?

"Open Models, Closed Minds" (La Cava & Tagarelli) found open models answer
personality tests much the same whatever the persona prompt says: they
resist, staying near their own default type. Per persona and variant the lab
compares three profiles (:class:`~drifttui.lab.questionnaire.Profile`):

* the **measured** one under the variant,
* the persona's **target** (``[target]`` of its file: Big Five scores, MBTI letters),
* the **default**: the unconditioned model (no system message at all).

and reports:

* ``moved`` — mean absolute difference from the default over all nine scales
  (how far the prompt moved the model off its own personality);
* ``d_target`` / ``d_target_default`` — mean absolute difference from the
  target's Big Five scores, for the variant and for the default;
* ``toward`` — ``d_target_default − d_target``: positive = closer to the target
  than the default model is;
* ``aim`` — cosine between the move (measured − default) and the way to the
  target (target − default) over the scales the target sets (Big Five traits,
  and MBTI axes with the target's letter as 1 or 0): +1 = straight at the
  target, 0 = unrelated, −1 = away from it. It does not depend on how strongly
  the log-likelihoods separate, only on direction;
* ``progress`` — the move projected on the way to the target, as a share of
  that way: 1 = reached the target, 0 = no progress, negative = away;
* ``letters`` — MBTI letters matching the target's.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from drifttui.lab.curves import mean_se
from drifttui.lab.questionnaire import BIG_FIVE, MBTI_AXES, SCALES, Profile


def target_scales(target) -> dict[str, float]:
    """The target as scale → value: Big Five scores, and MBTI axes as 1.0 (first letter) or 0.0."""
    out: dict[str, float] = {}
    big_five = getattr(target, "big_five", None) or {}
    for trait in BIG_FIVE:
        if trait in big_five:
            out[trait] = float(big_five[trait])
    mbti = (getattr(target, "mbti", "") or "").upper()[:4]
    if len(mbti) == 4:
        for (axis, (first, second)), letter in zip(MBTI_AXES.items(), mbti):
            if letter in (first, second):
                out[axis] = 1.0 if letter == first else 0.0
    return out


def mean_abs(a: Mapping[str, float], b: Mapping[str, float], keys: Iterable[str] | None = None) -> float | None:
    """Mean absolute difference over ``keys`` (default: the keys both have)."""
    keys = [k for k in (keys if keys is not None else a) if k in a and k in b]
    if not keys:
        return None
    return sum(abs(a[k] - b[k]) for k in keys) / len(keys)


def cosine(u: Sequence[float], v: Sequence[float]) -> float | None:
    nu = math.sqrt(sum(x * x for x in u))
    nv = math.sqrt(sum(x * x for x in v))
    if nu < 1e-9 or nv < 1e-9:
        return None
    return sum(x * y for x, y in zip(u, v)) / (nu * nv)


def letters_matched(measured: str, target: str) -> int | None:
    if len(target or "") < 4:
        return None
    return sum(1 for a, b in zip(measured, target.upper()) if a == b)


@dataclass
class Comparison:
    """One measured profile against its target and the default."""

    persona: str
    variant: str
    when: str
    """``start`` (the prompt alone) or ``end`` (after the conversation; then ``seed`` is set)."""
    profile: Profile
    moved: float | None
    d_target: float | None
    d_target_default: float | None
    aim: float | None
    progress: float | None
    mbti_target: str
    letters: int | None
    seed: int | None = None

    @property
    def toward(self) -> float | None:
        if self.d_target is None or self.d_target_default is None:
            return None
        return self.d_target_default - self.d_target

    def to_dict(self) -> dict[str, Any]:
        r = _round
        return {
            "persona": self.persona,
            "variant": self.variant,
            "when": self.when,
            "seed": self.seed,
            "profile": self.profile.to_dict(),
            "moved": r(self.moved),
            "d_target": r(self.d_target),
            "d_target_default": r(self.d_target_default),
            "toward": r(self.toward),
            "aim": r(self.aim),
            "progress": r(self.progress),
            "mbti_target": self.mbti_target,
            "letters": self.letters,
        }


def compare(persona: str, variant: str, profile: Profile, default: Profile, target, *, when: str = "start", seed: int | None = None) -> Comparison:
    """Compare ``profile`` (persona ``persona`` under ``variant``) with ``target`` and ``default``."""
    goal = target_scales(target)
    traits = [k for k in BIG_FIVE if k in goal]
    aim_keys = [k for k in SCALES if k in goal and k in profile.scores and k in default.scores]
    move = [profile.scores[k] - default.scores[k] for k in aim_keys]
    way = [goal[k] - default.scores[k] for k in aim_keys]
    aim = cosine(move, way) if aim_keys else None
    length = sum(w * w for w in way)
    progress = sum(m * w for m, w in zip(move, way)) / length if aim_keys and length > 1e-12 else None
    mbti_target = (getattr(target, "mbti", "") or "").upper()[:4]
    return Comparison(
        persona=persona,
        variant=variant,
        when=when,
        profile=profile,
        moved=mean_abs(profile.scores, default.scores, SCALES),
        d_target=mean_abs(profile.scores, goal, traits),
        d_target_default=mean_abs(default.scores, goal, traits),
        aim=aim,
        progress=progress,
        mbti_target=mbti_target,
        letters=letters_matched(profile.mbti, mbti_target),
        seed=seed,
    )


def summarise(comparisons: Sequence[Comparison], variants: Sequence[str], when: str = "start") -> dict[str, dict[str, Any]]:
    """Per variant: mean ± SE over personas of moved, d_target, toward, aim, letters (and the mean profile)."""
    out: dict[str, dict[str, Any]] = {}
    for variant in variants:
        rows = [c for c in comparisons if c.variant == variant and c.when == when]
        if not rows:
            continue
        entry: dict[str, Any] = {"n": len(rows)}
        for key in ("moved", "d_target", "toward", "aim", "progress", "letters"):
            values = [float(v) for c in rows if (v := getattr(c, key)) is not None]
            entry[key] = mean_se(values).to_dict() if values else None
        scores: dict[str, list[float]] = {}
        for c in rows:
            for k, v in c.profile.scores.items():
                scores.setdefault(k, []).append(v)
        entry["mean_profile"] = {k: round(sum(v) / len(v), 4) for k, v in scores.items()}
        out[variant] = entry
    return out


def _round(x: float | None, nd: int = 4) -> float | None:
    return None if x is None else round(float(x), nd)
