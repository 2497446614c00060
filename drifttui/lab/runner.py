"""Running the lab: every conversation of the grid, scored and recorded, then the three analyses.

Order of work (one engine, one conversation at a time, so each turn only
evaluates what is new on the ``main`` slot's cached prefix):

1. the default profile: the questionnaire with no system message;
2. for each persona, for each variant: the questionnaire after the bare
   system prompt (its "start" profile), then one conversation per seed —
   K user turns, each reply generated, recorded and scored with the
   persona's :class:`~drifttui.drift.DriftScorer`; at sampled turns N
   alternatives in one batched call (they become the turn's swipes);
   after the last turn the questionnaire again (its "end" profile);
3. drift curves, instability and resistance from what was collected.

Contexts that are identical are generated once: with variant ``none`` there
is no system prompt, so every persona's conversation of a given seed is the
same chat with the same model and the same user. It is generated for the
first persona and reused (replies, alternatives, end profile) for the others,
then scored against each persona. The session header says so
(``lab.reused_from``).
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from drifttui.conversation import Conversation, Swipe
from drifttui.drift.likelihood import LikelihoodModel
from drifttui.engine import Message, SamplingParams
from drifttui.errors import UserError
from drifttui.lab import curves as C
from drifttui.lab.instability import AltGroup
from drifttui.lab.machine import auto_threads, machine_load
from drifttui.lab.instability import summarise as instability_summary
from drifttui.lab.plan import Cell, LabConfig, expand
from drifttui.lab.progress import Progress
from drifttui.lab.questionnaire import Profile, item_bank, measure_profile
from drifttui.lab.results import assemble
from drifttui.lab.resistance import Comparison, compare
from drifttui.lab.simulator import SLOT as SIM_SLOT
from drifttui.lab.simulator import SimulatedUser
from drifttui.lab.userturns import ScriptedUser

GAP_SLOT = "lab"
SLOTS: tuple[str, ...] = ("main", "plain", "score", "score-plain", GAP_SLOT, SIM_SLOT)
"""Engine slots: the chat, its no-persona controls (and the plain half of the lab's persona gap), the scorer's two
contexts, the persona half of the lab's gap, and the user simulator."""

_UNSET: Any = object()


def prepare_out(out: Path) -> Path:
    """Create ``out`` and ``out/sessions``; refuse one holding an earlier run or not writable."""
    out = Path(out).expanduser()
    sessions = out / "sessions"
    if out.exists() and not out.is_dir():
        raise UserError("is a file, not a directory; --out needs a directory", path=out)
    try:
        sessions.mkdir(parents=True, exist_ok=True)
        probe = out / f".drifttui-lab-write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except FileExistsError:
        raise UserError("is a file, not a directory; --out needs a directory", path=out) from None
    except NotADirectoryError:
        raise UserError("a part of this path is a file, not a directory", path=out) from None
    except OSError as exc:
        raise UserError(f"cannot write the lab output here: {exc.strerror or exc}", path=out) from None
    if any(sessions.glob("*.jsonl")) or (out / "results.json").exists():
        raise UserError("already holds a lab run; choose another --out or remove it first", path=out)
    return out


def check_personas(config: LabConfig) -> dict[str, Any]:
    """Resolve every persona of ``config`` (and the simulator); :class:`UserError` on an unknown or unsuitable one."""
    from drifttui.persona import resolve_persona

    personas = {}
    for ref in config.personas:
        persona = resolve_persona(ref)
        if persona.kind != "character":
            raise UserError(
                f"persona {ref!r} is a {persona.kind}, not a character; the lab tests characters",
                hint="user simulators play the user with --user simulator",
            )
        personas[ref] = persona
    if config.user == "simulator":
        resolve_persona(config.simulator)
    return personas


@dataclass
class _Transcript:
    """A generated conversation kept for reuse by an identical context."""

    cell: Cell
    users: list[tuple[str, str]] = field(default_factory=list)
    swipes: list[list[Swipe]] = field(default_factory=list)
    end_profile: Profile | None = None


@dataclass
class Timing:
    phases: dict[str, float] = field(default_factory=dict)
    generated_replies: int = 0
    alternatives: int = 0
    simulator_turns: int = 0
    tokens: int = 0
    reused_turns: int = 0
    profiles: int = 0
    cpu_seconds: float = 0.0
    """CPU time of this process (all its threads) over the run."""

    def add(self, phase: str, seconds: float) -> None:
        self.phases[phase] = self.phases.get(phase, 0.0) + seconds


class _Clock:
    def __init__(self, timing: Timing, phase: str) -> None:
        self.timing, self.phase = timing, phase

    def __enter__(self) -> None:
        self.start = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.timing.add(self.phase, time.perf_counter() - self.start)


class LabRunner:
    """Plays a :class:`LabConfig` and returns its results (a JSON-ready dict).

    Args:
        config: What to run.
        out: Output directory (``sessions/`` is written inside; report and results by the caller).
        engine: An open engine (default: opened from the config, closed at the end).
        embedder: Sentence embedder (default: :func:`drifttui.drift.load_embedder`; None: lexical distances).
        scorer_factory: ``(persona, engine, embedder) -> scorer`` (default: :class:`~drifttui.drift.DriftScorer`).
        progress: Progress display (default: a bar on stderr).
        notice: Receives one-line notes (default: the progress bar's note line).
    """

    def __init__(
        self,
        config: LabConfig,
        out: Path,
        *,
        engine=None,
        embedder: Any = _UNSET,
        scorer_factory: Callable[[Any, Any, Any], Any] | None = None,
        progress: Progress | None = None,
        notice: Callable[[str], None] | None = None,
    ) -> None:
        config.validate()
        self.config = config
        self.out = Path(out)
        self._engine = engine
        self._own_engine = engine is None
        self._embedder = embedder
        self._scorer_factory = scorer_factory
        self.progress = progress or Progress(config.total_turns)
        self.notice = notice or self.progress.note
        self.timing = Timing()
        self.records: list[C.TurnRecord] = []
        self.alt_groups: list[AltGroup] = []
        self.comparisons: list[Comparison] = []
        self.conversations: list[dict[str, Any]] = []
        self.notes: list[str] = []
        self._transcripts: dict[tuple[str, int], _Transcript] = {}
        self.run_id = uuid.uuid4().hex[:12]
        self.threads_note = ""
        self._gap_model: LikelihoodModel | None = None

    # ------------------------------------------------------------------ setup
    def _personas(self) -> dict[str, Any]:
        return check_personas(self.config)

    def _open_engine(self):
        if self._engine is not None:
            return self._engine
        from drifttui.engine import open_engine

        threads = self.config.threads
        if threads is None:
            threads, self.threads_note = auto_threads()
        else:
            self.threads_note = f"{threads} thread(s) (set with --threads)"
        self._engine = open_engine(
            self.config.model, engine=self.config.engine, n_ctx=self.config.n_ctx, threads=threads, slots=SLOTS
        )
        return self._engine

    def _load_embedder(self):
        if self._embedder is _UNSET:
            from drifttui.drift import load_embedder

            self._embedder = load_embedder(notice=None)
            if self._embedder is None:
                from drifttui.drift.embed import embedder_unavailable_reason

                self.notes.append(f"sentence embedder unavailable ({embedder_unavailable_reason()}); distances are lexical")
        return self._embedder

    def _scorer(self, persona, engine, embedder):
        if self._scorer_factory is not None:
            return self._scorer_factory(persona, engine, embedder)
        from drifttui.drift import DriftScorer

        return DriftScorer(persona, engine=engine, embedder=embedder)

    # -------------------------------------------------------------------- run
    def run(self) -> dict[str, Any]:
        """Play every conversation and compute the results (also writes the session files)."""
        cfg = self.config
        personas = self._personas()
        if cfg.user == "simulator":
            from drifttui.persona import resolve_persona

            self.simulator_persona = resolve_persona(cfg.simulator)
            if self.simulator_persona.kind != "user-simulator":
                self.notes.append(f"{cfg.simulator} is not marked as a user simulator; it plays the user anyway")
        load_before = machine_load()
        started = time.perf_counter()
        cpu_started = time.process_time()
        engine = self._open_engine()
        try:
            embedder = self._load_embedder()
            self.params = SamplingParams(max_tokens=cfg.max_tokens, temperature=cfg.temperature)
            self.items = item_bank(cfg.items_per_scale)
            self.progress.status("questionnaire: the unconditioned model")
            with _Clock(self.timing, "questionnaire"):
                self.default_profile = measure_profile(engine, [], self.items, fmt=cfg.questionnaire)
            self.timing.profiles += 1
            self.start_profiles: dict[tuple[str, str], Profile] = {}
            by_persona: dict[str, list[Cell]] = {}
            for cell in expand(cfg):
                by_persona.setdefault(cell.persona, []).append(cell)
            for ref, cells in by_persona.items():
                persona = personas[ref]
                scorer = self._scorer(persona, engine, embedder)
                self._gap_model = LikelihoodModel(
                    engine, persona.system_prompt("full"), slots={"persona": GAP_SLOT, "plain": "plain"}, max_tokens=None, with_question=True
                )
                for cell in cells:
                    if (ref, cell.variant) not in self.start_profiles:
                        self._start_profile(engine, ref, persona, cell.variant)
                    self._play(engine, cell, persona, scorer)
            self.progress.status("analysis")
            with _Clock(self.timing, "analysis"):
                instability = instability_summary(
                    self.alt_groups, embedder, alternatives=cfg.alternatives, sampled_turns=cfg.sampled_turns
                )
            wall = time.perf_counter() - started
            self.timing.cpu_seconds = time.process_time() - cpu_started
            self.progress.finish()
            return assemble(self, personas, engine.info, instability, wall, load_before)
        finally:
            if self._own_engine and self._engine is not None:
                self._engine.close()
                self._engine = None

    # ---------------------------------------------------------- questionnaire
    def _start_profile(self, engine, ref: str, persona, variant: str) -> None:
        if variant == "none":
            profile = self.default_profile
        else:
            self.progress.status(f"questionnaire: {ref} · {variant}")
            context = [Message("system", persona.system_prompt(variant))]
            with _Clock(self.timing, "questionnaire"):
                profile = measure_profile(engine, context, self.items, fmt=self.config.questionnaire)
            self.timing.profiles += 1
        self.start_profiles[(ref, variant)] = profile
        if variant != "none":
            self.comparisons.append(compare(ref, variant, profile, self.default_profile, persona.target))

    # ------------------------------------------------------------ conversation
    def _play(self, engine, cell: Cell, persona, scorer) -> None:
        from drifttui.session import make_header, start_session

        cfg = self.config
        conv = Conversation(persona, variant=cell.variant, greeting=False)
        key = (conv.system_message().content, cell.seed)
        cached = self._transcripts.get(key)
        transcript = cached or _Transcript(cell)
        scripted = ScriptedUser(cfg.turns, cell.seed, cfg.emotional_share, cfg.meta_share)
        base_seed = cell.seed * 1000
        sampled = set(cfg.sampled_turns)
        sim = None
        if cfg.user == "simulator" and cached is None:
            sim = SimulatedUser(self.simulator_persona, engine, replace(self.params, max_tokens=min(48, cfg.max_tokens)))
        header = make_header(
            conv,
            model_path=engine.info.model_path,
            engine_info=engine.info,
            sampling=self.params.with_seed(base_seed),
            extra={"lab": {
                "run": self.run_id, "persona_ref": cell.persona, "seed": cell.seed, "user": cfg.user,
                "kinds": scripted.kinds, "sampled_turns": sorted(sampled),
                "reused_from": cached.cell.name if cached else None,
            }},
        )  # fmt: skip
        path = self.out / "sessions" / f"{cell.name}.jsonl"
        recorder = start_session(conv, header, path=path)
        label = f"{cell.persona} · {cell.variant} · seed {cell.seed}"
        self.progress.status(label)
        try:
            for k in range(cfg.turns):
                kind = scripted[k].kind
                if cached is not None:
                    text, kind = cached.users[k]
                else:
                    text = self._user_text(k, scripted, sim, conv, sampled, base_seed)
                    transcript.users.append((text, kind))
                conv.add_user(text)
                recorder.sync()
                index = len(conv.turns)
                if cached is not None:
                    swipes = [replace(s, scores=None) for s in cached.swipes[k]]
                    self.timing.reused_turns += 1
                else:
                    swipes = self._generate(engine, conv, k, base_seed, (k + 1) in sampled)
                    transcript.swipes.append(swipes)
                conv.add_assistant(swipes[0])
                for s in swipes[1:]:
                    conv.add_swipe(index, s, select=False)
                recorder.sync()
                if len(swipes) > 1:
                    self.alt_groups.append(AltGroup(cell.persona, cell.variant, cell.seed, k + 1, [s.text for s in swipes]))
                history = conv.history(upto=index)
                with _Clock(self.timing, "score"):
                    ts = scorer.score(history, swipes[0].text, index)
                    gap = self._gap(history, swipes[0].text)
                conv.turns[index].swipes[0].scores = ts.to_dict()
                recorder.sync()
                scores = {"global": ts.global_, "local": ts.local, "factual": ts.factual}
                if gap is not None:
                    scores["gap"] = gap
                self.records.append(
                    C.TurnRecord(
                        cell.persona, cell.variant, cell.seed, k + 1, kind, scores,
                        n_tokens=swipes[0].n_tokens, alternatives=len(swipes), reused=cached is not None,
                        components=dict(ts.components),
                    )
                )  # fmt: skip
                self.progress.advance()
            if cfg.end_profiles:
                if cached is not None and cached.end_profile is not None:
                    end = cached.end_profile
                else:
                    self.progress.status(f"questionnaire: {label} (after the chat)")
                    context = conv.context(engine.count_tokens, engine.info.n_ctx, reserve=160)
                    with _Clock(self.timing, "questionnaire"):
                        end = measure_profile(engine, context, self.items, fmt=cfg.questionnaire)
                    self.timing.profiles += 1
                    transcript.end_profile = end
                self.comparisons.append(
                    compare(cell.persona, cell.variant, end, self.default_profile, persona.target, when="end", seed=cell.seed)
                )
        finally:
            recorder.close()
        if cached is None:
            self._transcripts[key] = transcript
        if sim is not None:
            self.timing.simulator_turns += sim.generated
            if sim.fallbacks:
                self.notes.append(f"{label}: the simulator produced {sim.fallbacks} empty turn(s); scripted ones were used")
        means = {s: round(sum(v) / len(v), 4) for s in C.METRICS if (v := [r.scores[s] for r in self.records[-cfg.turns:] if s in r.scores])}
        self.conversations.append({
            "persona": cell.persona, "variant": cell.variant, "seed": cell.seed,
            "session": f"sessions/{path.name}", "means": means, "kinds": scripted.kinds,
            "reused_from": cached.cell.name if cached else None,
        })  # fmt: skip
        self.notice(
            f"  {label}: global {means.get('global', 0):.2f} · local {means.get('local', 0):.2f} · "
            f"factual {means.get('factual', 0):.2f}" + ("  (reused the none-variant chat)" if cached else "")
        )

    def _gap(self, history: list[Message], reply: str) -> float | None:
        """The history-free persona gap of ``reply``: mean log-prob per token after the persona's full prompt and the
        last user message, minus after that message alone (no system prompt). No earlier replies are in either
        context, so a chat that has drifted as a whole cannot vouch for its own drift. (The scorer's gap reads the
        reply's first tokens after a fixed opener instead: :mod:`drifttui.drift.likelihood`.)"""
        if not reply.strip() or self._gap_model is None:
            return None
        try:
            lik = self._gap_model.measure(history, reply)
        except Exception as exc:  # an over-long prompt: leave the gap out, say so once
            note = f"persona gap unavailable for some replies ({type(exc).__name__})"
            if note not in self.notes:
                self.notes.append(note)
            return None
        return lik.gap if lik.n else None

    def _user_text(self, k: int, scripted: ScriptedUser, sim: SimulatedUser | None, conv: Conversation, sampled: set[int], base_seed: int) -> str:
        turn = scripted[k]
        if sim is None or turn.kind != "neutral" or (k + 1) in sampled:
            return turn.text
        self.progress.status("user simulator")
        with _Clock(self.timing, "simulator"):
            if k == 0:
                text = sim.opener()
            else:
                text = sim.next(conv.history(), base_seed + 500 + k)
        return text or turn.text

    def _generate(self, engine, conv: Conversation, k: int, base_seed: int, sample: bool) -> list[Swipe]:
        cfg = self.config
        params = self.params.with_seed(base_seed + k)
        messages = conv.context(engine.count_tokens, engine.info.n_ctx, reserve=cfg.max_tokens + 16)
        if sample:
            with _Clock(self.timing, "alternatives"):
                replies = engine.sample(messages, cfg.alternatives, params)
            self.timing.alternatives += len(replies)
        else:
            with _Clock(self.timing, "generate"):
                replies = [engine.stream(messages, params).result()]
        self.timing.generated_replies += 1
        self.timing.tokens += sum(r.n_tokens for r in replies)
        return [Swipe.from_reply(r, params) for r in replies]
