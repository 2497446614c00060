"""Markdown transcript of a session, with scores, labels, swipes and probes."""

from __future__ import annotations

from collections.abc import Mapping

from drifttui.session.agreement import Agreement, fmt
from drifttui.session.reader import Session
from drifttui.session.report import header_facts, score_stats, score_text, timeline, top_evidence


def _quote(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in text.splitlines() or [""])


def agreement_markdown(agreement: Agreement) -> list[str]:
    """The agreement table (Markdown lines); empty when no labelled turn has scores."""
    if agreement.empty:
        return []
    counts = ", ".join(f"{k} {v}" for k, v in sorted(agreement.label_counts.items()))
    out = [
        f"Labelled turns with scores: {len(agreement.items)} ({counts}).",
        "",
        "| score | truth | n | positives | threshold | precision | recall | AUROC | Kendall τ |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in agreement.rows:
        truth = "any drift" if r.target == "any" else f"label = {r.target}"
        out.append(
            f"| {r.score} | {truth} | {r.n} | {r.positives} | {r.threshold:.2f} | {fmt(r.precision)} | "
            f"{fmt(r.recall)} | {fmt(r.auroc)} | {fmt(r.kendall_tau)} |"
        )
    return out


def to_markdown(session: Session, agreement: Agreement, thresholds: Mapping[str, float]) -> str:
    """The whole report as Markdown text."""
    conv = session.conversation
    name = session.header.character_name or conv.persona.name
    user = session.header.user_name or "You"
    out = [f"# {name} — drift session", ""]
    out += [f"- **{k}:** {v}" for k, v in header_facts(session)]
    if session.warnings:
        out += ["", "**Warnings while loading:**", ""] + [f"- {w}" for w in session.warnings]
    out += ["", "## Scores", "", "| score | scored turns | mean | max | threshold | turns ≥ threshold |", "|---|---:|---:|---:|---:|---:|"]
    for s in score_stats(session, thresholds):
        out.append(f"| {s.score} | {s.n} | {fmt(s.mean)} | {fmt(s.maximum)} | {s.threshold:.2f} | {s.over} |")
    lines = agreement_markdown(agreement)
    if lines:
        out += ["", "## Agreement with your labels", ""] + lines
    out += ["", "## Transcript", ""]
    for item in timeline(session):
        if item.kind == "trim" and item.trim is not None:
            out += [
                f"*— context trimmed before turn {item.trim.at_turn}: the window now starts at turn "
                f"{item.trim.first_kept} ({item.trim.dropped_tokens} tokens dropped) —*",
                "",
            ]
        elif item.kind == "probe" and item.probe is not None:
            out.append(f"**Probes after turn {item.index}** (asked in a fork, not part of the chat):")
            out.append("")
            for r in item.probe.results:
                mark = "✓" if r.get("passed") else "✗"
                out.append(f"- {mark} {r.get('question', '?')} → {str(r.get('answer', '')).strip()!r}")
            out.append("")
        elif item.turn is not None:
            turn, i = item.turn, item.index
            if turn.role == "user":
                out += [f"**{user}** (turn {i})", "", _quote(turn.text), ""]
                continue
            head = f"**{name}** (turn {i}"
            if len(turn.swipes) > 1:
                head += f", swipe {turn.swipe_id + 1}/{len(turn.swipes)}"
            if turn.swipe.source != "model":
                head += f", {turn.swipe.source}"
            head += ")"
            if turn.swipe.scores or turn.swipe.source == "model":
                head += f" — {score_text(turn.swipe.scores)}"
            out += [head, "", _quote(turn.text), ""]
            if turn.label or turn.note:
                label = f"**your label: {turn.label}**" if turn.label else "**your note**"
                if turn.label and session.labelled_swipe(i) != turn.swipe_id:
                    label += f" (on swipe {session.labelled_swipe(i) + 1})"
                out += [f"{label}" + (f" — {turn.note}" if turn.note else ""), ""]
            evidence = top_evidence(turn.swipe.scores)
            if evidence:
                out += ["Evidence:", ""] + [f"- {e}" for e in evidence] + [""]
            others = [(k, s) for k, s in enumerate(turn.swipes) if k != turn.swipe_id]
            if others:
                out.append("Other swipes:")
                out.append("")
                for k, s in others:
                    text = " ".join(s.text.split())
                    out.append(f"- swipe {k + 1} ({score_text(s.scores)}): {text}")
                out.append("")
    return "\n".join(out).rstrip() + "\n"
