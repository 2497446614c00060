"""Q&A consistency probes: ask the persona's questions in a fork of the chat and judge the answers.

The engine answers each probe question after the chat history in a forked
context (``Engine.probe``): the answer never enters the conversation and the
chat's cache is left as it was. Sampling is greedy by default, so a probe of
the same history gives the same answer (re-scoring and replay agree).

An answer passes when it contains one of the probe's ``expect`` fragments
(compared case-insensitively, and also with number words as digits, so
"thirty-four" matches "34"), contains none of its ``reject`` fragments, does
not speak as an AI assistant, and contradicts none of the persona's facts.
"""

from __future__ import annotations

from collections.abc import Sequence

from drifttui.drift.factual import ClaimLedger
from drifttui.drift.register import register_hits
from drifttui.drift.text import fold_quotes, words_to_digits
from drifttui.drift.types import Evidence, ProbeResult
from drifttui.engine import Message, SamplingParams

PROBE_PARAMS = SamplingParams(temperature=0.0, top_k=1, top_p=1.0, min_p=0.0, repeat_penalty=1.0, max_tokens=48, seed=0)
"""Greedy decoding: the same history always gets the same probe answer."""


def _norm(text: str) -> str:
    return words_to_digits(fold_quotes(text)).casefold()


def judge_answer(probe, answer: str, ledger: ClaimLedger | None = None) -> tuple[bool, str]:
    """``(passed, reason)`` for one probe answer.

    Args:
        probe: A :class:`~drifttui.persona.Probe` (``question``, ``expect``, optional ``reject``).
        answer: The model's answer.
        ledger: The persona's facts, to catch answers that contradict them.
    """
    low = _norm(answer)
    for fragment in getattr(probe, "reject", ()) or ():
        if _norm(fragment) in low:
            return False, f'answer contains rejected "{fragment}"'
    ai = [h for h in register_hits(answer) if h.family == "ai"]
    if ai:
        return False, f'answers as an AI ("{ai[0].text}")'
    if ledger is not None:
        conflicts = ledger.conflicts(ledger.extract(answer, None, probe.question))
        if conflicts:
            return False, conflicts[0].message().removeprefix("factual: ")
    expected = [e for e in probe.expect if _norm(e) in low]
    if expected:
        return True, f'mentions "{expected[0]}"'
    return False, "expected " + " or ".join(f'"{e}"' for e in probe.expect)


def run_probes(
    persona,
    history: Sequence[Message],
    engine,
    *,
    params: SamplingParams | None = None,
    system_prompt: str | None = None,
    slot: str = "main",
    ledger: ClaimLedger | None = None,
    reserve: int = 64,
) -> list[ProbeResult]:
    """Ask every probe of ``persona`` after ``history`` (forked), judge each answer.

    Args:
        persona: The persona (its ``probes`` and ``system_prompt``).
        history: User/assistant messages so far (a system message, if first, is replaced by the persona's).
        engine: The engine to ask (``engine.probe``).
        params: Sampling (default greedy, 48 tokens).
        system_prompt: Overrides ``persona.system_prompt("full")``.
        slot: Slot whose cache the fork starts from (read only; ``main`` is usually the chat's own context).
        ledger: Facts to check answers against (built from the persona if None).
        reserve: Tokens kept free for the question and the answer beyond ``params.max_tokens``.
    """
    params = params or PROBE_PARAMS
    ledger = ledger or ClaimLedger(dict(persona.facts), persona.role, persona.name, persona.backstory or "")
    system = persona.system_prompt("full") if system_prompt is None else system_prompt
    messages = [m for m in history if m.role != "system"]
    head = [Message("system", system)] if system else []
    n_ctx = getattr(getattr(engine, "info", None), "n_ctx", 2048)
    budget = n_ctx - params.max_tokens - reserve
    count = getattr(engine, "count_tokens", None)
    while count is not None and len(messages) > 1 and count([*head, *messages]) > budget:
        messages = messages[2:] if len(messages) > 2 else messages[1:]
    results: list[ProbeResult] = []
    for probe in persona.probes:
        reply = engine.probe([*head, *messages], probe.question, params, slot=slot)
        passed, reason = judge_answer(probe, reply.text, ledger)
        results.append(ProbeResult(probe.question, reply.text, tuple(probe.expect), passed, reason))
    return results


def probe_score(results: Sequence[ProbeResult]) -> float:
    """Share of probes failed (0 = every probe answered in line with the persona)."""
    if not results:
        return 0.0
    return sum(not r.passed for r in results) / len(results)


def probe_evidence(results: Sequence[ProbeResult], turn: int | None = None) -> list[Evidence]:
    """One ``probe`` evidence line per probe, plus a summary line."""
    out = []
    for r in results:
        answer = " ".join(r.answer.split())
        if len(answer) > 80:
            answer = answer[:79] + "…"
        mark = "passed" if r.passed else "FAILED"
        out.append(Evidence("probe", f'probe {mark}: "{r.question}" → "{answer}" ({r.reason})', turn, r.to_dict()))
    if results:
        failed = sum(not r.passed for r in results)
        out.append(Evidence("probe", f"probe: {failed}/{len(results)} failed (score {probe_score(results):.2f})", turn,
                            {"failed": failed, "total": len(results), "score": probe_score(results)}))  # fmt: skip
    return out
