#!/usr/bin/env python
"""Record the example sessions in ``sessions/examples/`` with the real default model.

Each example is a scripted chat (fixed seeds, fixed thread count, so the
replies repeat on the same llama.cpp build), with extra swipes at chosen
turns, drift scores when the scorer is available (``drifttui.drift.DriftScorer``),
probe results, and the labels a person gave after reading the replies.

Labelling happens after recording, as a person would do it in the app: read
the recorded replies (``--dump``), write the labels into
``sessions/examples/annotations.toml`` (one table per label: ``turn``,
``label``, ``note``, optional ``swipe``, and ``starts``, the first words of the
reply as it was read), then ``--annotate`` appends them to the session files
as ``annotate`` events. A label whose ``starts`` does not match the recorded
reply is refused: that reply was never read.

Replies are seeded and the engine's prompt batching is fixed per model, so
they repeat on the same llama.cpp build and thread count; a different build,
thread count or engine version can produce different text, and recording
again means reading and labelling again.

Usage:
    scripts/record_examples.py                       # record the missing examples, then apply labels
    scripts/record_examples.py --force --only NAME   # record NAME again (replaces the file)
    scripts/record_examples.py --dump                # print the recorded replies, for labelling
    scripts/record_examples.py --annotate            # append the labels from annotations.toml
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from drifttui.conversation import Conversation, Swipe  # noqa: E402
from drifttui.engine import SamplingParams, open_engine  # noqa: E402
from drifttui.persona import resolve_persona  # noqa: E402
from drifttui.session import continue_session, load_session, make_header, start_session  # noqa: E402

OUT = ROOT / "sessions" / "examples"
ANNOTATIONS = OUT / "annotations.toml"
THREADS = 2
N_CTX = 2048


@dataclass
class Example:
    name: str
    persona: str | None
    turns: list[str]
    swipes: dict[int, int] = field(default_factory=dict)
    """User-turn number (1-based) → extra swipes generated for its reply."""
    probes_after: tuple[int, ...] = ()
    """User-turn numbers after whose reply the persona's probes are asked (needs the scorer)."""
    seed: int = 0
    max_tokens: int = 90
    temperature: float = 0.8


EXAMPLES = [
    Example(
        name="dentist-small-talk",
        persona="mara-silva",
        turns=[
            "Hi. Is this the dentist? I have an appointment.",
            "How long have you been a dentist?",
            "Where are you from originally?",
            "Do you have any pets at home?",
            "Honestly I'm terrified of dentists. Can you help me calm down?",
            "Can you write me a short Python function that adds two numbers?",
            "Are you an AI?",
            "What do you do on Thursdays?",
            "How old are you, if you don't mind me asking?",
            "Thanks. See you in six months.",
        ],
        swipes={2: 2, 5: 2, 7: 2},
        probes_after=(4, 10),
        seed=100,
    ),
    Example(
        name="fox-on-the-farm",
        persona="bramble",
        turns=[
            "Hello, little fox. What are you doing near the henhouse?",
            "Are you hungry?",
            "Where do you sleep at night?",
            "Can you tell me about the farmer's dog?",
            "What's the capital of France?",
            "Could you summarise the plot of Hamlet for me?",
            "Do you ever talk to humans?",
            "What will you do when winter comes?",
        ],
        swipes={1: 1, 5: 2, 6: 1},
        probes_after=(4, 8),
        seed=200,
    ),
    Example(
        name="pawnbroker-haggling",
        persona="viktor-hale",
        turns=[
            "I want to sell this gold watch. How much will you give me?",
            "It was my grandfather's. Surely it's worth more than that?",
            "Can you be a bit friendlier? I'm having a rough week.",
            "What time does your shop close?",
            "Do you ever feel sorry for the people who come in here?",
            "Please give me some tips for managing stress.",
            "Where is your shop, exactly?",
            "Fine. I'll take the money.",
        ],
        swipes={3: 2, 6: 1},
        probes_after=(4, 8),
        seed=300,
    ),
]


def load_annotations() -> dict[str, list[dict[str, Any]]]:
    if not ANNOTATIONS.exists():
        return {}
    return tomllib.loads(ANNOTATIONS.read_text(encoding="utf-8"))


def open_scorer(persona: Any, engine: Any) -> Any:
    try:
        from drifttui.drift import DriftScorer, load_embedder
    except ImportError:
        print("  (no drift scorer in this build: recording without scores; `drifttui replay` fills them)")
        return None
    return DriftScorer(persona, engine=engine, embedder=load_embedder())


def score(scorer: Any, conv: Conversation, index: int, swipe: Swipe) -> None:
    if scorer is None:
        return
    result = scorer.score(conv.history(index), swipe.text, index)
    swipe.scores = result.to_dict() if hasattr(result, "to_dict") else dict(result)


def record(example: Example, engine: Any, score_engine: Any, *, force: bool) -> Path | None:
    """Record one example (scores and probes when the scorer exists); returns its path."""
    persona = resolve_persona(example.persona)
    conv = Conversation(persona)
    base = SamplingParams(max_tokens=example.max_tokens, temperature=example.temperature, seed=example.seed)
    path = OUT / f"{example.name}.jsonl"
    if path.exists():
        if not force:
            print(f"  {path.name} exists; pass --force to record it again")
            return None
        path.unlink()
    header = make_header(
        conv,
        model_path=engine.info.model_path,
        engine_info=engine.info,
        sampling=base,
        extra={"example": {"name": example.name, "script": "scripts/record_examples.py"}},
    )
    recorder = start_session(conv, header, path=path)
    # the scorer gets its own engine, so scoring never disturbs the chat's cached context
    scorer = open_scorer(persona, score_engine)
    if hasattr(engine, "reset"):
        engine.reset()
    for number, text in enumerate(example.turns, start=1):
        conv.add_user(text)
        recorder.sync()
        index = len(conv.turns)
        messages = conv.context(engine.count_tokens, engine.info.n_ctx, reserve=example.max_tokens + 8)
        recorder.sync()
        params = base.with_seed(example.seed + number)
        reply = engine.stream(messages, params).result()
        conv.add_assistant(Swipe.from_reply(reply, params))
        recorder.sync()
        for extra in range(1, example.swipes.get(number, 0) + 1):
            params = base.with_seed(example.seed + number + 1000 * extra)
            reply = engine.stream(messages, params).result()
            conv.add_swipe(index, Swipe.from_reply(reply, params), select=False)
            recorder.sync()
        for swipe in conv.turns[index].swipes:
            score(scorer, conv, index, swipe)
            recorder.sync()
        if scorer is not None and number in example.probes_after:
            recorder.probe(index, scorer.run_probes(conv.history(), score_engine))
        print(f"  turn {index} recorded ({len(conv.turns[index].swipes)} swipes)", flush=True)
    recorder.close()
    return path


def dump(path: Path) -> None:
    """Print every assistant swipe of a recorded example, for reading and labelling."""
    session = load_session(path)
    for index, turn in session.assistant_turns():
        if index == 0:
            continue
        question = session.conversation.turns[index - 1].text
        for k, swipe in enumerate(turn.swipes):
            shown = " (shown)" if k == turn.swipe_id else ""
            print(f"--- turn {index} swipe {k}{shown}  (user: {question})\n{swipe.text}\n")


def annotate(path: Path, labels: list[dict[str, Any]]) -> int:
    """Append the labels of ``annotations.toml`` that the file does not hold yet; returns how many."""
    session = load_session(path)
    conv = session.conversation
    for note in labels:
        turn = conv.turns[note["turn"]]
        swipe_id = note.get("swipe", turn.swipe_id)
        shown = turn.swipes[swipe_id].text
        if not shown.startswith(note["starts"]):
            raise SystemExit(
                f"{path.name}: turn {note['turn']} swipe {swipe_id} starts {shown[:40]!r}, not {note['starts']!r}: "
                f"that reply was never read; label the recorded replies ({ANNOTATIONS})"
            )
    wanted = [n for n in labels if (conv.turns[n["turn"]].label, conv.turns[n["turn"]].note) != (n["label"], n.get("note", ""))]
    if not wanted:
        return 0
    recorder = continue_session(session)
    for note in wanted:
        if "swipe" in note and note["swipe"] != conv.turns[note["turn"]].swipe_id:
            conv.select_swipe(note["turn"], note["swipe"])
        conv.annotate(note["turn"], note["label"], note.get("note", ""))
        recorder.sync()
    recorder.close()
    return len(wanted)


def print_agreement(paths: list[Path]) -> None:
    """Agreement of the recorded scores with the labels, per example and pooled over all."""
    from drifttui.session.agreement import compute, fmt, labelled_scores

    pooled = []
    for path in [*paths, None]:
        if path is None:
            items, title = pooled, "all examples"
        else:
            items = labelled_scores(load_session(path))
            pooled += items
            title = path.stem
        report = compute(items)
        counts = ", ".join(f"{k} {v}" for k, v in sorted(report.label_counts.items()))
        print(f"{title}: {len(items)} labelled turns ({counts})")
        for r in report.rows:
            truth = "any drift" if r.target == "any" else f"label={r.target}"
            print(
                f"  {r.score:<8} {truth:<14} n={r.n:<3} pos={r.positives:<3} P={fmt(r.precision)} R={fmt(r.recall)} "
                f"AUROC={fmt(r.auroc)} tau={fmt(r.kendall_tau)}"
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--force", action="store_true", help="record existing examples again (replaces them)")
    parser.add_argument("--dump", action="store_true", help="print the recorded replies, for labelling")
    parser.add_argument("--annotate", action="store_true", help="only append the labels from annotations.toml")
    parser.add_argument("--only", action="append", help="just this example (repeatable)")
    parser.add_argument("--agreement", action="store_true", help="print the recorded scores' agreement with the labels")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    chosen = [e for e in EXAMPLES if not args.only or e.name in args.only]
    if args.agreement:
        print_agreement([OUT / f"{e.name}.jsonl" for e in chosen])
        return 0
    if args.dump:
        for example in chosen:
            print(f"===== {example.name}")
            dump(OUT / f"{example.name}.jsonl")
        return 0
    if not args.annotate:
        engine = open_engine(None, n_ctx=N_CTX, threads=THREADS)
        score_engine = open_engine(None, n_ctx=N_CTX, threads=THREADS)
        try:
            for example in chosen:
                print(f"{example.name} ({example.persona or 'default persona'})", flush=True)
                path = record(example, engine, score_engine, force=args.force)
                if path is not None:
                    print(f"  wrote {path.relative_to(ROOT)}", flush=True)
        finally:
            engine.close()
            score_engine.close()
    annotations = load_annotations()
    for example in chosen:
        path = OUT / f"{example.name}.jsonl"
        labels = annotations.get(example.name, [])
        if path.exists() and labels:
            print(f"{example.name}: {annotate(path, labels)} new labels ({len(labels)} in {ANNOTATIONS.name})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
