"""The drift scorer: three scores per assistant turn, each with evidence.

``DriftScorer.score(history, reply, turn)`` is a pure function of the persona,
the history and the reply (caches are keyed by text), so the TUI can score
swipes, replay recorded sessions and re-score with the same call. It never
imports Textual and is safe to call from a worker thread (the engine
serialises model calls itself).

* **factual** — claim ledger (:mod:`~drifttui.drift.factual`): contradictions
  with the persona's facts or with its own earlier statements; below the firing
  threshold, a weak general signal (:mod:`~drifttui.drift.mismatch`: a sentence
  about a fact naming another detail) orders the turns the ledger found nothing in.
* **global** — the persona gap (model log-likelihood with the persona prompt
  minus without it, :mod:`~drifttui.drift.likelihood`), the assistant register
  (:mod:`~drifttui.drift.register`) and the fit to the persona's stated style
  (:mod:`~drifttui.drift.fit`).
* **local** — the shift in style, voice and meaning from the persona's recent
  replies, announced changes of mind (:mod:`~drifttui.drift.local`), and the
  persona gap (a voice break is a reply the persona prompt no longer prefers).

Each score is a small logistic model over its signals, fitted on the
development splits of the labelled set (``tests/data/labelled/``; see
docs/scoring.md) with drifting and in-character turns weighted equally, so 0.5
is the balanced decision point. When a signal is unavailable (no engine, no
embedder) the model fitted without it is used and the evidence says so; a
score is never silently 0.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from drifttui.drift.factual import ClaimLedger, Conflict, factual_score
from drifttui.drift.mismatch import EVIDENCE_FLOOR as WEAK_EVIDENCE_FLOOR
from drifttui.drift.mismatch import FactIndex, Mismatch, weak_score
from drifttui.drift.fit import fit_checks, fit_misses, fit_score
from drifttui.drift.likelihood import DEFAULT_SLOTS, GAP_TOKENS, OPENER, Likelihoods, LikelihoodModel
from drifttui.drift.local import LocalSignals, local_signals
from drifttui.drift.probes import probe_evidence, probe_score, run_probes
from drifttui.drift.register import register_hits, register_score
from drifttui.drift.types import Evidence, ProbeResult, TurnScore
from drifttui.engine import Message, SamplingParams


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, x))))


@dataclass(frozen=True)
class Logit:
    """A logistic model over named signals: ``sigmoid(bias + sum(w * x))``."""

    bias: float
    weights: tuple[tuple[str, float], ...]

    def __call__(self, x: dict[str, float]) -> float:
        return _sigmoid(self.bias + sum(w * x[name] for name, w in self.weights))

    def contributions(self, x: dict[str, float]) -> dict[str, float]:
        return {name: w * x[name] for name, w in self.weights}


# Fitted on the pooled development splits of tests/data/labelled (dev, heldout, blind, dev2, blind2: 675 turns,
# 25 personas, six authors) by scripts/eval_scorer.py --fit: class-balanced logistic regression (the direction L2-penalised as strongly as
# leave-one-persona-out AUROC supports, then scale and bias), the bias lowered by 1.0 so that 0.5 fires on few
# in-character turns. "turn" (an announced change of mind) is set by hand, not fitted: it occurs in six labelled turns.
# See docs/scoring.md.
TURNAROUND_WEIGHT = 2.5
DEFAULT_LOGITS: dict[str, Logit] = {
    "global": Logit(-1.63, (("gap", 8.39), ("register", 8.68), ("fit", 2.38))),  # L2 1
    "global-nomodel": Logit(-4.50, (("register", 12.08), ("fit", 4.23))),  # L2 1
    "local": Logit(-3.51, (("gap", 3.02), ("style", 2.17), ("meaning", 0.33), ("voice", 0.23), ("fit", 6.59), ("turn", TURNAROUND_WEIGHT))),  # L2 30
    "local-noembed": Logit(-2.30, (("gap", 3.53), ("style", 1.50), ("voice", 0.39), ("fit", 7.50), ("turn", TURNAROUND_WEIGHT))),  # L2 1
    "local-nomodel": Logit(-4.63, (("style", 2.04), ("meaning", 0.35), ("voice", 0.19), ("fit", 7.46), ("turn", TURNAROUND_WEIGHT))),  # L2 30
    "local-nomodel-noembed": Logit(-3.98, (("style", 1.61), ("voice", 0.32), ("fit", 9.12), ("turn", TURNAROUND_WEIGHT))),  # L2 1
}


@dataclass(frozen=True)
class ScorerConfig:
    """Settings of :class:`DriftScorer` (defaults are the calibrated ones; see docs/scoring.md).

    Attributes:
        variant: Persona prompt variant the model signals condition on.
        local_window: Earlier persona replies the local score compares style and meaning against.
        use_model: Use the engine's log-probabilities when an engine is given.
        slots: Engine slot per model context (``persona``, ``plain``).
        probe_every: Suggested probe period in turns (:meth:`DriftScorer.probe_due`); 0 = on demand only.
        gap_tokens: The model signals read a reply's first ``gap_tokens`` tokens (None: all of it),
            so a turn's model cost is bounded whatever the reply's length.
        gap_shift: Added to the measured gap: the median per-turn difference between this measure (the
            reply's first tokens, no question) and the one the logistic models were fitted on (the whole
            reply after the last user message), so their thresholds keep their meaning (docs/scoring.md).
        gap_prior_tokens: A short reply's gap is shrunk toward ``gap_prior`` with this many pseudo-tokens.
        gap_prior: The typical in-character gap (nats/token).
        gap_alarm: Gap below which the evidence calls the reply assistant-like.
        logits: The logistic models turning signals into scores (keyed by score and available signals).
    """

    variant: str = "full"
    local_window: int = 8
    use_model: bool = True
    slots: tuple[tuple[str, str], ...] = tuple(DEFAULT_SLOTS.items())
    probe_every: int = 5
    gap_tokens: int | None = GAP_TOKENS
    gap_shift: float = -0.17
    gap_prior_tokens: float = 6.0
    gap_prior: float = 0.5
    gap_alarm: float = 0.2
    logits: tuple[tuple[str, Logit], ...] = tuple(DEFAULT_LOGITS.items())

    def logit(self, name: str) -> Logit:
        return dict(self.logits)[name]


class DriftScorer:
    """Scores persona drift of assistant replies.

    Args:
        persona: The :class:`~drifttui.persona.Persona` being played.
        engine: The chat engine for the model-based signals (None: lexical signals only).
        embedder: Sentence embedder with ``encode(texts)`` (None: meaning shift is left out).
        config: Calibration and windows.
    """

    def __init__(self, persona, engine=None, embedder=None, config: ScorerConfig = ScorerConfig()) -> None:
        self.persona = persona
        self.engine = engine
        self.embedder = embedder
        self.config = config
        self.ledger = ClaimLedger(dict(persona.facts), getattr(persona, "role", ""), persona.name, getattr(persona, "backstory", "") or "")
        style = getattr(persona, "style", None)
        self._avoid = list(getattr(style, "avoid", []) or [])
        self._speech = str(getattr(style, "speech", "") or "")
        self._examples = [e for e in [persona.greeting, *list(getattr(style, "examples", []) or [])] if e]
        self._fit = fit_checks(self._avoid, self._speech, persona.personality)
        self._persona_text = " ".join([persona.greeting, *self._examples])
        self._model: LikelihoodModel | None = None
        self._no_model = "no engine given" if engine is None else "model signals turned off"
        missing = _missing_slots(engine, dict(config.slots).values()) if engine is not None else []
        if missing:
            self._no_model = f"the engine has no slot {', '.join(map(repr, missing))}; open it with slots=(\"main\", \"plain\", \"score\", \"score-plain\")"
        if engine is not None and config.use_model and not missing:
            self._model = LikelihoodModel(
                engine,
                persona.system_prompt(config.variant),
                slots=dict(config.slots),
                max_tokens=config.gap_tokens,
            )
        self._ledgers: OrderedDict[tuple, list] = OrderedDict()
        self._fact_index: FactIndex | None = None
        self._lock = threading.Lock()

    # ------------------------------------------------------------------ public
    @property
    def uses_model(self) -> bool:
        """True when full scores include model log-prob passes (then :meth:`score` with ``model=False`` is much faster)."""
        return self._model is not None

    def model_contexts(self, history: Sequence[Message]) -> list[tuple[str, list[Message], int | None]]:
        """The engine contexts the next reply after ``history`` is measured in (none without a model).

        Pass them to ``engine.stream(..., measure=...)``: the engine then scores the reply in
        them as it generates it, and :meth:`score` finds the log-probs cached.
        """
        if self._model is None:
            return []
        return self._model.contexts([_as_message(m) for m in history])

    def score(self, history: Sequence[Message], reply: str, turn: int, *, model: bool = True) -> TurnScore:
        """Score ``reply``, the assistant's answer after ``history``.

        Args:
            history: The user/assistant messages before the reply, oldest first (a leading system message is ignored).
            reply: The assistant reply to score.
            turn: The reply's turn index (0-based, as in the conversation); earlier turns are numbered
                ``turn - len(history) + i``.
            model: False for the *quick* scores: everything but the model's log-prob passes
                (milliseconds instead of about a second on a laptop CPU), calibrated as the
                no-model fallback. The TUI shows them at once and replaces them with the full
                scores when those arrive.

        Returns:
            The three scores with evidence and raw components.
        """
        history = [_as_message(m) for m in history]
        history = [m for m in history if m.role != "system"]
        offset = turn - len(history)
        evidence: list[Evidence] = []
        components: dict[str, float] = {}
        question = next((m.content for m in reversed(history) if m.role == "user"), None)

        factual = self._factual(history, reply, offset, question, evidence, components)
        if model or self._model is None:
            lik = self._likelihoods(history, reply, evidence)
        else:
            lik = None
            components["quick"] = 1.0
            evidence.append(Evidence("info", "info: quick scores without the model's log-probs; the full scores follow"))
        global_ = self._global(reply, lik, evidence, components)
        local = self._local(history, reply, offset, lik, evidence, components)
        return TurnScore(turn, local, global_, factual, evidence, components)

    def prepare(self) -> None:
        """Do now what the first turn would otherwise pay for (call it from a worker, once loaded).

        Scores the persona's greeting once: that builds the fact index, makes the
        embedder's first call, evaluates both model contexts' prompts and, on the llama
        engine, loads the reading copy. The first real turn's full scores then take what
        every turn takes (~0.1 s here instead of ~0.7 s). Only caches change.
        """
        self.score([], self.persona.greeting or OPENER.content, 0)

    def probe_due(self, turn: int) -> bool:
        """True every ``config.probe_every`` turns (the TUI then calls :meth:`run_probes`)."""
        k = self.config.probe_every
        return bool(k) and turn > 0 and turn % k == 0 and bool(self.persona.probes)

    def run_probes(self, history: Sequence[Message], engine=None, params: SamplingParams | None = None) -> list[ProbeResult]:
        """Ask the persona's probes after ``history`` in a forked context (answers never enter the chat)."""
        engine = engine or self.engine
        if engine is None:
            raise ValueError("run_probes needs an engine")
        history = [_as_message(m) for m in history]
        return run_probes(
            self.persona, history, engine, params=params, system_prompt=self.persona.system_prompt(self.config.variant), ledger=self.ledger
        )

    @staticmethod
    def probe_score(results: Sequence[ProbeResult]) -> float:
        """Share of probes failed."""
        return probe_score(results)

    @staticmethod
    def probe_evidence(results: Sequence[ProbeResult], turn: int | None = None) -> list[Evidence]:
        """Evidence lines for probe results (score ``probe``)."""
        return probe_evidence(results, turn)

    # --------------------------------------------------------------- factual
    def _earlier_claims(self, replies: tuple) -> list:
        with self._lock:
            if replies in self._ledgers:
                self._ledgers.move_to_end(replies)
                return self._ledgers[replies]
            # extend the longest cached prefix (sequential scoring: the previous turn's)
            base: list = []
            start = 0
            for k in range(len(replies) - 1, 0, -1):
                cached = self._ledgers.get(replies[:k])
                if cached is not None:
                    base, start = cached, k
                    break
        kept = list(base)
        for turn, text, question in replies[start:]:
            claims = self.ledger.extract(text, turn, question)
            bad = {id(c.claim) for c in self.ledger.conflicts(claims, kept)}
            kept.extend(c for c in claims if id(c) not in bad and (not c.negated or c.slot == "pet"))
        with self._lock:
            self._ledgers[replies] = kept
            while len(self._ledgers) > 64:
                self._ledgers.popitem(last=False)
        return kept

    def _factual(self, history, reply, offset, question, evidence, components) -> float:
        replies = []
        last_user = None
        before = next((m.content for m in reversed(history[:-1]) if m.role == "assistant"), None) if history and history[-1].role == "user" else None
        for i, m in enumerate(history):
            if m.role == "user":
                last_user = m.content
            else:
                replies.append((offset + i, m.content, last_user))
        earlier = self._earlier_claims(tuple(replies))
        claims = self.ledger.extract(reply, offset + len(history), question, before)
        conflicts: list[Conflict] = self.ledger.conflicts(claims, earlier)
        score = factual_score(conflicts)
        components["factual.claims"] = float(len(claims))
        components["factual.conflicts"] = float(len(conflicts))
        read = self._weak(reply, question)
        if read is not None:
            features, weak = read
            components.update({f"factual.{k}": round(v, 4) for k, v in features.items()})
            value = weak_score(features)
            components["factual.weak"] = round(value, 4)
            if weak and value > score:
                score = value
                if value >= WEAK_EVIDENCE_FLOOR:  # below it the score still ranks the turn, silently
                    evidence.append(Evidence("factual", weak[0].message(), None, {"kind": weak[0].kind, "said": list(weak[0].said), "expected": list(weak[0].expected), "similarity": round(weak[0].similarity, 3)}))
        shown: set[tuple[str, int | None]] = set()
        for c in sorted(conflicts, key=lambda c: -c.confidence):
            if (c.message(), c.reference.turn) in shown:
                continue  # two claims of one sentence against one reference read the same: one line
            shown.add((c.message(), c.reference.turn))
            evidence.append(
                Evidence(
                    "factual",
                    c.message(),
                    c.reference.turn,
                    {"slot": c.claim.slot, "claim": c.claim.value, "reference": c.reference.describe(), "confidence": round(c.confidence, 3)},
                )
            )
        if not conflicts and claims:
            slots = sorted({c.slot for c in claims})
            evidence.append(Evidence("factual", f"factual: {len(claims)} claim(s) checked ({', '.join(slots)}), no contradiction", None, {"slots": slots}))
        return score

    def _weak(self, reply: str, question: str | None) -> tuple[dict[str, float], list[Mismatch]] | None:
        """The weak factual signal's features and mismatches (:mod:`~drifttui.drift.mismatch`); None without the embedder."""
        if self.embedder is None:
            return None
        with self._lock:
            if self._fact_index is None:
                self._fact_index = FactIndex(dict(self.persona.facts), getattr(self.persona, "backstory", "") or "", self.embedder.encode)
        return self._fact_index.read(reply, question)

    # ----------------------------------------------------------------- model
    def _likelihoods(self, history, reply, evidence) -> Likelihoods | None:
        if self._model is None:
            evidence.append(Evidence("info", f"info: model log-prob signals unavailable ({self._no_model}); global and local use lexical signals only"))
            return None
        if not reply.strip():
            return None
        try:
            return self._model.measure(history, reply)
        except Exception as exc:  # the engine may refuse an over-long prompt: degrade, say so
            evidence.append(Evidence("info", f"info: model log-prob signals failed ({type(exc).__name__}: {exc})".splitlines()[0]))
            return None

    # ---------------------------------------------------------------- global
    def _gap(self, lik: Likelihoods | None, components: dict[str, float]) -> float | None:
        """The persona gap, shrunk toward the typical in-character gap for short replies (None without a model)."""
        if lik is None or not lik.n:
            return None
        cfg = self.config
        n = lik.n
        gap = lik.gap + cfg.gap_shift
        shrunk = (n * gap + cfg.gap_prior_tokens * cfg.gap_prior) / (n + cfg.gap_prior_tokens)
        components["model.gap"] = gap
        components["model.gap_shrunk"] = shrunk
        components["model.persona_lp"] = float(lik.persona.mean())
        components["model.plain_lp"] = float(lik.plain.mean())
        components["model.tokens"] = float(n)
        return shrunk

    def _global(self, reply: str, lik: Likelihoods | None, evidence, components) -> float:
        cfg = self.config
        hits = register_hits(reply)
        reg = register_score(hits, persona_text=self._persona_text)
        misses = fit_misses(reply, self._fit)
        fit = fit_score(misses)
        gap = self._gap(lik, components)
        components["global.register"] = reg
        components["global.fit"] = fit
        score = global_score(components, cfg)
        if hits:
            phrases = ", ".join(f'"{h.text}"' for h in hits[:4])
            evidence.append(Evidence("global", f"global: assistant register: {phrases}", None,
                                     {"register": round(reg, 3), "markers": [h.label for h in hits]}))  # fmt: skip
        if gap is not None and lik is not None:
            low = gap < cfg.gap_alarm
            tokens = lik.assistant_tokens() if low else []
            said = f"; most assistant-like tokens: {', '.join(repr(t.strip() or t) for t, _ in tokens)}" if tokens else ""
            verdict = "the plain assistant explains it about as well as the persona" if low else "the persona explains it better than the plain assistant"
            evidence.append(Evidence("global", f"global: likelihood gap {components['model.gap']:+.2f} nats/token ({verdict}){said}", None,
                                     {"gap": round(components["model.gap"], 4), "persona_lp": round(float(lik.persona.mean()), 4),
                                      "plain_lp": round(float(lik.plain.mean()), 4), "tokens": lik.n}))  # fmt: skip
        for miss in misses[:3]:
            evidence.append(Evidence("global", f"global: {miss.message}", None, {"cue": miss.cue, "amount": round(miss.amount, 3)}))
        return float(min(1.0, max(0.0, score)))

    # ----------------------------------------------------------------- local
    def _local(self, history, reply, offset, lik: Likelihoods | None, evidence, components) -> float:
        cfg = self.config
        window = [(offset + i, m.content) for i, m in enumerate(history) if m.role == "assistant"][-cfg.local_window :]
        embed = self.embedder.encode if self.embedder is not None else None
        signals: LocalSignals = local_signals(reply, window, self._examples, embed=embed)
        if not window and not signals.used_examples:
            evidence.append(Evidence("info", "info: local: no earlier persona replies or examples to compare with"))
            return 0.0
        gap = components.get("model.gap_shrunk")
        components["local.style"] = signals.style
        components["local.voice_z"] = signals.voice_z
        components["local.turnaround"] = 1.0 if signals.turnaround else 0.0
        if signals.meaning_z is not None:
            components["local.meaning_z"] = signals.meaning_z
        score = local_score(components, cfg)
        if self.embedder is None:
            evidence.append(Evidence("info", "info: sentence embedder unavailable; local uses style and model signals only"))
        span = signals.span()
        moved = [sh for sh in signals.shifts if abs(sh.z) >= 2.0][:3]
        if moved:
            what = ", ".join(sh.describe() for sh in moved)
            evidence.append(Evidence("local", f"local: {what} vs {span} (z={max(abs(sh.z) for sh in moved):.1f})",
                                     min(signals.turns) if signals.turns else None,
                                     {sh.name: round(sh.z, 2) for sh in moved}))  # fmt: skip
        if signals.meaning_z is not None and signals.meaning_z >= 1.5:
            near = f"; closest is turn {signals.nearest}" if signals.nearest is not None else ""
            evidence.append(Evidence("local", f"local: meaning departs from {span} (similarity {signals.meaning_sim:.2f}, z={signals.meaning_z:.1f}){near}",
                                     signals.nearest, {"similarity": round(signals.meaning_sim or 0.0, 3), "z": round(signals.meaning_z, 2)}))  # fmt: skip
        if signals.voice_z >= 2.0:
            evidence.append(Evidence("local", f"local: the voice (character n-grams) departs from {span} (z={signals.voice_z:.1f})",
                                     min(signals.turns) if signals.turns else None, {"z": round(signals.voice_z, 2)}))  # fmt: skip
        if signals.turnaround:
            evidence.append(Evidence("local", f'local: announces a change of mind ("{signals.turnaround}")', None, {"words": signals.turnaround}))
        if gap is not None and gap < cfg.gap_alarm:
            evidence.append(Evidence("local", f"local: the persona prompt does not make this reply more expected than the plain assistant does (gap {components['model.gap']:+.2f})",
                                     None, {"gap": round(components["model.gap"], 4)}))  # fmt: skip
        fit_lines = [e for e in evidence if e.score == "global" and "which the persona avoids" in e.message or e.score == "global" and "but the persona is" in e.message]
        for e in fit_lines[:2]:
            evidence.append(Evidence("local", "local: " + e.message.removeprefix("global: "), None, dict(e.data)))
        return float(min(1.0, max(0.0, score)))


def global_score(components: dict[str, float], config: ScorerConfig = ScorerConfig()) -> float:
    """The global score from its raw components (``global.register``, ``global.fit``, ``model.gap_shrunk``)."""
    gap = components.get("model.gap_shrunk")
    reg = components.get("global.register", 0.0)
    x = {"register": reg, "fit": components.get("global.fit", 0.0), "gap": -(gap if gap is not None else 0.0)}
    score = config.logit("global" if gap is not None else "global-nomodel")(x)
    # categorical evidence: an AI disclaimer or a service formula is global drift whatever else is said
    return float(min(1.0, max(score, 0.95 * reg)))


def local_score(components: dict[str, float], config: ScorerConfig = ScorerConfig()) -> float:
    """The local score from its raw components (``local.style``, ``local.meaning_z``, ``global.fit``, ``model.*``)."""
    gap = components.get("model.gap_shrunk")
    meaning = components.get("local.meaning_z")
    x = {
        "style": math.log1p(components.get("local.style", 0.0)),
        "fit": components.get("global.fit", 0.0),
        "gap": -(gap if gap is not None else 0.0),
        "voice": components.get("local.voice_z", 0.0),
        "turn": components.get("local.turnaround", 0.0),
        "meaning": meaning if meaning is not None else 0.0,
    }
    name = "local" + ("" if gap is not None else "-nomodel") + ("" if meaning is not None else "-noembed")
    return float(config.logit(name)(x))


def _missing_slots(engine, slots) -> list[str]:
    """Slots the engine does not have (engines without ``slot_tokens`` are trusted)."""
    check = getattr(engine, "slot_tokens", None)
    if check is None:
        return []
    missing = []
    for slot in slots:
        try:
            check(slot)
        except KeyError:
            missing.append(slot)
    return missing


def _as_message(m) -> Message:
    if isinstance(m, Message):
        return m
    if isinstance(m, dict):
        return Message(m["role"], m["content"])
    return Message(m.role, m.content)
