"""What the Markdown and HTML reports share: facts, timeline, score summaries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from drifttui.conversation import Trim, Turn
from drifttui.session.agreement import SCORES
from drifttui.session.format import FORMAT_VERSION
from drifttui.session.reader import Session
from drifttui.session.rebuild import ProbeRecord


@dataclass(frozen=True)
class TimelineItem:
    """One entry of the transcript: a turn, a context trim before it, or probes after it."""

    kind: str
    """``turn``, ``trim`` or ``probe``."""
    index: int
    turn: Turn | None = None
    trim: Trim | None = None
    probe: ProbeRecord | None = None


def timeline(session: Session) -> list[TimelineItem]:
    """Turns in order, each trim just before the turn it was made for, probes just after their turn."""
    conv = session.conversation
    items: list[TimelineItem] = []
    for i, turn in enumerate(conv.turns):
        items += [TimelineItem("trim", i, trim=t) for t in conv.trims if t.at_turn == i]
        items.append(TimelineItem("turn", i, turn=turn))
        items += [TimelineItem("probe", i, probe=p) for p in session.probes if p.turn == i]
    n = len(conv.turns)
    items += [TimelineItem("trim", t.at_turn, trim=t) for t in conv.trims if t.at_turn >= n]
    items += [TimelineItem("probe", p.turn, probe=p) for p in session.probes if p.turn >= n]
    return items


def header_facts(session: Session) -> list[tuple[str, str]]:
    """Key facts of the header, for the top of a report."""
    h = session.header
    persona = h.persona
    who = persona.get("name", h.character_name)
    if persona.get("role"):
        who += f", {persona['role']}"
    model = h.model
    engine = h.engine
    engine_text = ", ".join(f"{k} {v}" for k, v in engine.items() if k in ("engine", "n_ctx", "chat_template"))
    sampling = ", ".join(f"{k} {v}" for k, v in h.sampling.items() if v is not None)
    facts = [
        ("Persona", f"{who} (variant {h.variant})"),
        ("Model", f"{model.name or model.path} — sha256 {model.sha256[:16]}…"),
        ("Engine", engine_text or "–"),
        ("Sampling", sampling or "–"),
        ("Recorded", f"{h.created} with drifttui {h.app_version or '?'} (session format {session.source_version}"
         + ("" if session.source_version == FORMAT_VERSION else f", read as {FORMAT_VERSION}") + ")"),
        ("Session id", h.id or "–"),
    ]
    if session.resumes:
        facts.append(("Resumed", f"{len(session.resumes)} time(s)"))
    return facts


@dataclass(frozen=True)
class ScoreStats:
    score: str
    n: int
    mean: float | None
    maximum: float | None
    over: int
    threshold: float


def score_stats(session: Session, thresholds: Mapping[str, float]) -> list[ScoreStats]:
    """Mean, maximum and turns over the threshold, over the shown swipes."""
    out = []
    for name in SCORES:
        values = [
            float(t.swipe.scores[name])
            for _, t in session.assistant_turns()
            if t.swipe.scores and isinstance(t.swipe.scores.get(name), (int, float))
        ]
        limit = thresholds.get(name, 0.5)
        out.append(
            ScoreStats(
                name,
                len(values),
                sum(values) / len(values) if values else None,
                max(values) if values else None,
                sum(1 for v in values if v >= limit),
                limit,
            )
        )
    return out


def score_text(scores: Mapping[str, Any] | None) -> str:
    """``local 0.12 · global 0.40 · factual 0.00`` (or ``not scored``)."""
    if not scores:
        return "not scored"
    parts = []
    for name in SCORES:
        value = scores.get(name)
        parts.append(f"{name} {value:.2f}" if isinstance(value, (int, float)) else f"{name} –")
    return " · ".join(parts)


def top_evidence(scores: Mapping[str, Any] | None, limit: int = 4) -> list[str]:
    """The first few evidence messages of a score dict."""
    if not scores:
        return []
    out = []
    for item in scores.get("evidence") or []:
        if isinstance(item, Mapping) and item.get("message"):
            out.append(f"{item.get('score', '?')}: {item['message']}")
        if len(out) >= limit:
            break
    return out
