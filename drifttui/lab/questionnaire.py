"""A short personality questionnaire scored by log-likelihood, not by free text.

A 135M model's free-text answers to "rate yourself 1 to 5" are noise. Instead
each item is a pair of first-person statements at opposite poles of one
scale, similar in length and wording, and the model's mean log-probability
per token of *answering with* each statement is read off
(:meth:`Engine.logprobs`) in a fork after the persona's context. The item's
score is ``sigmoid(scale × (lp_high − lp_low))``: above 0.5 the model prefers
the high pole. A trait (or MBTI axis) is the mean over its items. MBTI axes
report the probability of the first letter (E, S, T, J).

Two ways to ask (``fmt``):

* ``statement`` (default) — the user asks "Describe yourself in one
  sentence." and both statements are scored as the answer. The question is
  the same for every item, so the engine caches it and each item costs only
  its two statements.
* ``choice`` — a forced choice that lists both statements, "Which of these
  two sentences is more like you? (a) … (b) …", answered with one of them.
  Half the items of each scale list the high pole first (keyed both ways), so
  a preference for option (a) or (b) cancels within the scale.

On SmolLM2-135M the ``choice`` form mostly measures copying: every persona
prompt left all nine scales within ±0.03 of 0.5 and moved the profile 0.01
off the unconditioned one, with no consistent direction; the ``statement``
form moved profiles about three times as far, mostly toward the persona's
target, at half the cost (see docs/lab.md).

Items were written for this tool: 4 per Big Five trait, 4 per MBTI axis, the
high pole worded affirmatively in some and the low pole in others.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from drifttui.engine import Message

BIG_FIVE: tuple[str, ...] = ("openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism")
MBTI_AXES: dict[str, tuple[str, str]] = {"EI": ("E", "I"), "SN": ("S", "N"), "TF": ("T", "F"), "JP": ("J", "P")}
SCALES: tuple[str, ...] = (*BIG_FIVE, *MBTI_AXES)

QUESTION = "Which of these two sentences is more like you?\n(a) {a}\n(b) {b}\nAnswer with the sentence that fits you."
"""The ``choice`` form."""

SELF_QUESTION = "Describe yourself in one sentence."
"""The ``statement`` form: the same question for every item."""

FORMATS: tuple[str, ...] = ("statement", "choice")


@dataclass(frozen=True)
class Item:
    """A forced choice between two statements at opposite poles of ``scale``.

    Attributes:
        scale: A Big Five trait or an MBTI axis (``EI``, ``SN``, ``TF``, ``JP``).
        high: The statement at the high pole (for MBTI axes: the first letter).
        low: The statement at the low pole.
        high_first: The high statement is option (a).
    """

    scale: str
    high: str
    low: str
    high_first: bool = True

    def question(self, fmt: str = "statement") -> str:
        if fmt == "statement":
            return SELF_QUESTION
        a, b = (self.high, self.low) if self.high_first else (self.low, self.high)
        return QUESTION.format(a=a, b=b)


def _items(scale: str, pairs: Sequence[tuple[str, str]]) -> list[Item]:
    return [Item(scale, high, low, high_first=i % 2 == 0) for i, (high, low) in enumerate(pairs)]


BIG_FIVE_ITEMS: tuple[Item, ...] = tuple(
    _items("openness", [
        ("I love trying foods I have never heard of before.", "I like sticking to the foods I already know well."),
        ("I often daydream about ideas and strange new worlds.", "I prefer to think about practical, everyday matters."),
        ("I enjoy art and poetry that I don't fully understand.", "I find art and poetry a bit pointless, to be honest."),
        ("I like to question the usual way of doing things.", "I like to follow the usual way of doing things."),
    ])
    + _items("conscientiousness", [
        ("I always plan my day carefully before it begins.", "I rarely plan my day; I just see what happens."),
        ("My things are kept neat and in their proper place.", "My things are usually scattered all over the place."),
        ("I finish my work long before it is due.", "I usually finish my work at the last minute."),
        ("I keep my promises, even the small ones.", "I often forget the small promises I make."),
    ])
    + _items("extraversion", [
        ("I'd rather spend the evening with a crowd of friends.", "I'd rather spend the evening alone with a good book."),
        ("I love being the centre of attention at a party.", "I prefer to stay quietly at the edge of a party."),
        ("I talk a lot, and I enjoy meeting strangers.", "I talk little, and I avoid meeting strangers."),
        ("Being around lots of people gives me energy.", "Being around lots of people wears me out."),
    ])
    + _items("agreeableness", [
        ("I trust people and assume they mean well.", "I distrust people and assume they want something."),
        ("I go out of my way to help others in need.", "I look after myself first and let others manage."),
        ("I forgive people quickly when they hurt me.", "I hold a grudge for a long time when hurt."),
        ("I care deeply about how other people feel.", "I don't much care how other people feel."),
    ])
    + _items("neuroticism", [
        ("I worry about things that might go wrong.", "I rarely worry about things that might go wrong."),
        ("Small problems can upset me for the whole day.", "Small problems hardly bother me at all."),
        ("I often feel nervous or on edge.", "I usually feel calm and relaxed."),
        ("My mood changes quickly and often.", "My mood stays steady most of the time."),
    ])
)  # fmt: skip

MBTI_ITEMS: tuple[Item, ...] = tuple(
    _items("EI", [
        ("I think best by talking things through with others.", "I think best by mulling things over on my own."),
        ("After a long week, I want to go out and see people.", "After a long week, I want a quiet night at home."),
        ("I make new friends easily and quickly.", "I make new friends slowly, and only a few."),
        ("I speak up first in a group discussion.", "I listen first and speak later in a group."),
    ])
    + _items("SN", [
        ("I trust facts and things I can see and touch.", "I trust hunches and patterns I can sense."),
        ("I focus on what is happening here and now.", "I focus on what could happen in the future."),
        ("I prefer practical details to big theories.", "I prefer big theories to practical details."),
        ("I describe things plainly and literally.", "I describe things with metaphors and images."),
    ])
    + _items("TF", [
        ("I make decisions with logic, not feelings.", "I make decisions with feelings, not logic."),
        ("Telling the truth matters more than being kind.", "Being kind matters more than telling the truth."),
        ("I notice the flaws in an argument first.", "I notice how people feel about an argument first."),
        ("I value being right over keeping the peace.", "I value keeping the peace over being right."),
    ])
    + _items("JP", [
        ("I like to have everything decided in advance.", "I like to keep my options open until the end."),
        ("I stick to a schedule and make lists.", "I go with the flow and skip the lists."),
        ("Unfinished tasks bother me until they are done.", "Unfinished tasks don't bother me much at all."),
        ("I pack for a trip days before I leave.", "I pack for a trip an hour before I leave."),
    ])
)  # fmt: skip

ITEMS: tuple[Item, ...] = BIG_FIVE_ITEMS + MBTI_ITEMS


def item_bank(per_scale: int | None = None) -> list[Item]:
    """The items, at most ``per_scale`` per scale (the first ones: keyed both ways from 2 on)."""
    out: list[Item] = []
    seen: dict[str, int] = {}
    for item in ITEMS:
        if per_scale is not None and seen.get(item.scale, 0) >= per_scale:
            continue
        seen[item.scale] = seen.get(item.scale, 0) + 1
        out.append(item)
    return out


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, x))))


@dataclass(frozen=True)
class ItemResult:
    """What the model preferred on one item."""

    item: Item
    lp_high: float
    lp_low: float
    scale: float = 1.0

    @property
    def delta(self) -> float:
        """Mean log-prob per token, high statement minus low statement (nats)."""
        return self.lp_high - self.lp_low

    @property
    def p_high(self) -> float:
        return sigmoid(self.scale * self.delta)


@dataclass
class Profile:
    """A measured personality: each Big Five trait and MBTI axis in [0, 1].

    ``axes[axis]`` is the probability of the axis' first letter (``EI`` → E).
    """

    scores: dict[str, float]
    items: list[ItemResult] = field(default_factory=list, repr=False)
    fmt: str = "statement"

    @property
    def big_five(self) -> dict[str, float]:
        return {k: v for k, v in self.scores.items() if k in BIG_FIVE}

    @property
    def axes(self) -> dict[str, float]:
        return {k: v for k, v in self.scores.items() if k in MBTI_AXES}

    @property
    def mbti(self) -> str:
        """Four letters where all four axes were measured, else the measured ones with ``?`` for the rest."""
        return "".join(
            (first if self.scores[axis] >= 0.5 else second) if axis in self.scores else "?"
            for axis, (first, second) in MBTI_AXES.items()
        )

    def position_bias(self) -> float | None:
        """Mean preference for option (a) over all items (0.5 = no bias; None for the ``statement`` form)."""
        if not self.items or self.fmt != "choice":
            return None
        return sum(r.p_high if r.item.high_first else 1.0 - r.p_high for r in self.items) / len(self.items)

    def to_dict(self, *, items: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {"scores": {k: round(v, 4) for k, v in self.scores.items()}, "mbti": self.mbti, "format": self.fmt}
        bias = self.position_bias()
        if bias is not None:
            out["position_bias"] = round(bias, 4)
        if items:
            out["items"] = [
                {"scale": r.item.scale, "high": r.item.high, "low": r.item.low, "high_first": r.item.high_first,
                 "lp_high": round(r.lp_high, 4), "lp_low": round(r.lp_low, 4), "p_high": round(r.p_high, 4)}
                for r in self.items
            ]  # fmt: skip
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Profile:
        return cls({str(k): float(v) for k, v in data["scores"].items()}, fmt=str(data.get("format", "statement")))


def profile_from(results: Sequence[ItemResult], fmt: str = "statement") -> Profile:
    """Mean item score per scale."""
    sums: dict[str, list[float]] = {}
    for r in results:
        sums.setdefault(r.item.scale, []).append(r.p_high)
    scores = {scale: sum(v) / len(v) for scale in SCALES if (v := sums.get(scale))}
    return Profile(scores, list(results), fmt)


def measure_profile(
    engine,
    context: Sequence[Message],
    items: Sequence[Item] | None = None,
    *,
    slot: str = "main",
    scale: float = 1.0,
    fmt: str = "statement",
) -> Profile:
    """Ask every item after ``context`` (in forks: nothing is added to the conversation) and score it.

    Args:
        engine: Anything with ``logprobs(messages, reply, slot=)`` returning ``.mean``.
        context: The persona's context: its system message (if any) and the history so far.
        items: The questionnaire (default: all items).
        slot: Engine slot to score in; ``context`` stays cached there between items.
        scale: Multiplies the per-token log-prob difference before the sigmoid.
        fmt: ``statement`` or ``choice`` (see the module docstring).
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown questionnaire format {fmt!r} (choose from: {', '.join(FORMATS)})")
    items = list(ITEMS if items is None else items)
    results = []
    for item in items:
        messages = [*context, Message("user", item.question(fmt))]
        first, second = (item.high, item.low) if item.high_first else (item.low, item.high)
        lp_first = engine.logprobs(messages, first, slot=slot).mean
        lp_second = engine.logprobs(messages, second, slot=slot).mean
        lp_high, lp_low = (lp_first, lp_second) if item.high_first else (lp_second, lp_first)
        results.append(ItemResult(item, float(lp_high), float(lp_low), scale))
    return profile_from(results, fmt)
