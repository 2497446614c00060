#!/usr/bin/env python
"""Benchmark the drift scorer: time for all three scores of one turn, early and late in a long chat.

    .venv/bin/python scripts/bench_scoring.py            # 2 threads, turns 10 and 200
    .venv/bin/python scripts/bench_scoring.py --turns 400 --at 10 200 400

A long chat is built from the in-character lines of the labelled set (each
line made unique, so no cache hides the work). Around each checkpoint the
scorer runs turn by turn as the TUI would (each ``score`` call sees the whole
history before it), starting ``--warmup`` turns earlier so the caches are in
the state a running chat leaves them in. Reported
per checkpoint: that turn's time and the median over the 9 assistant turns
around it (probes excluded), with the split between the model, the embedder and
the rest; the same for the *quick* scores the TUI shows first (no model
passes); the slowest turn; and the embedder's
throughput in sentences per second. Then, with ``--stream N`` (default 6), N
generated replies per checkpoint, each produced twice side by side: scored after
the stream (the TUI's default) and scored while it streams (``drifttui
--score-while-streaming``: the engine decodes each new token in the two scoring
contexts too); printed are the stream's tokens/s, the time from the reply's end
to its full scores, and from Enter to full scores. Then (unless ``--no-encoding``)
the full scores of the same turns read from each encoding of the bundled model
(``drifttui/engine/_recode.py``): the engine as it opens (on a CPU with
AVX-512 it reads log-probs from a BF16 copy and generates from the Q8_0 one),
the Q8_0 copy alone, and the shipped Q4_1 file, in blocks ordered A B C C B A, with
the log-prob throughput of each. A benchmark, not a test:
numbers depend on the machine and its load (the load average is printed).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from drifttui.drift import DriftScorer, ScorerConfig, load_embedder  # noqa: E402
from drifttui.engine import Message, SamplingParams, open_engine  # noqa: E402
from drifttui.persona import resolve_persona  # noqa: E402


def long_chat(n_messages: int) -> list[Message]:
    """User/assistant messages from the labelled transcripts (in-character lines), each made unique."""
    pairs: list[tuple[str, str]] = []
    for path in sorted((ROOT / "tests" / "data" / "labelled").glob("*/*.jsonl")):
        lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        for a, b in zip(lines, lines[1:]):
            if a["role"] == "user" and b["role"] == "assistant" and b.get("label") == "in-character":
                pairs.append((a["content"], b["content"]))
    messages: list[Message] = []
    k = 0
    while len(messages) < n_messages:
        user, reply = pairs[k % len(pairs)]
        messages.append(Message("user", f"{user} ({k})"))
        messages.append(Message("assistant", f"{reply} (#{k})"))
        k += 1
    return messages[:n_messages]


class Timed:
    """Wraps an object's method to add up the time spent in it."""

    def __init__(self, obj, name: str) -> None:
        self.total = 0.0
        original = getattr(obj, name)

        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.total += time.perf_counter() - started

        setattr(obj, name, wrapper)


def _stream_once(engine, scorer, system: Message, chat: list[Message], index: int, seed: int, max_tokens: int, riders: bool) -> tuple[float, float, int, float, str]:
    """One reply to ``chat[:index]`` then its full scores: (stream tokens/s, ms from the reply's end to the scores, reply tokens, ms Enter to scores, reply).

    Both modes start from the same state: the chat slot holds the prompt, and the two
    scoring slots hold the persona's (or the default) system prompt and another user turn,
    as after the previous turn of a running chat.
    """
    start = 0
    while engine.count_tokens([system, *chat[start:index]]) > engine.info.n_ctx - max_tokens - 16:
        start += 2  # drop the oldest exchange, as the chat's context window does
    messages = [system, *chat[start:index]]
    engine.stream(messages, SamplingParams(max_tokens=0, seed=seed)).result()
    previous = Message("user", f"{chat[index - 3].content if index >= 3 else 'Hello.'}")
    engine.logprobs([system, previous], "Yes.", slot="score")
    engine.logprobs([previous], "Yes.", slot="score-plain")
    measure = scorer.model_contexts(chat[:index]) if riders else ()
    t0 = time.perf_counter()
    generation = engine.stream(messages, SamplingParams(max_tokens=max_tokens, seed=seed, temperature=0.0), measure=measure)
    first = None
    for _piece in generation:
        first = first or time.perf_counter()
    ended = time.perf_counter()
    reply = generation.reply
    scorer.score(chat[:index], reply.text, index)
    done = time.perf_counter()
    rate = reply.n_tokens / max(ended - (first or t0), 1e-9)
    return rate, (done - ended) * 1000, reply.n_tokens, (done - t0) * 1000, reply.text


def stream_section(engine, embedder, persona, chat: list[Message], args) -> None:
    """Generated replies, scored after streaming vs scored while streaming (side by side, alternating)."""
    if engine.info.reading_weights:
        print(
            "\nscored while streaming: skipped. This engine reads log-probs from its own copy "
            f"({Path(engine.info.reading_weights).name}), so nothing rides the stream; `drifttui --score-while-streaming` "
            "opens the engine with one copy. To measure that: DRIFTTUI_READ_ENCODING=q8_0 scripts/bench_scoring.py"
        )
        return
    system = Message("system", persona.system_prompt("full"))
    after = DriftScorer(persona, engine=engine, embedder=embedder)
    during = DriftScorer(persona, engine=engine, embedder=embedder)  # its own caches: nothing carries over from `after`
    print(
        f"\ngenerated replies (greedy, max {args.stream_tokens} tokens), scored after the stream (the default) -> while it streams "
        f"(--score-while-streaming), {args.stream} turns per checkpoint, alternating order:"
    )
    for at in args.at:
        rows = {False: [], True: []}
        same = 0
        for k in range(args.stream):
            t = at + k
            index = 2 * t + 1
            for riders in ((False, True) if k % 2 == 0 else (True, False)):
                rows[riders].append(_stream_once(engine, during if riders else after, system, chat, index, 1000 + t, args.stream_tokens, riders))
            same += rows[False][-1][4] == rows[True][-1][4]
            print(f"  turn {t}: {rows[False][-1][2]} / {rows[True][-1][2]} tokens", file=sys.stderr, flush=True)
        med = {r: [statistics.median(x[i] for x in rows[r]) for i in range(4)] for r in rows}
        per_token = {r: statistics.median(x[3] / max(x[2], 1) for x in rows[r]) for r in rows}
        a, b = med[False], med[True]
        print(
            f"  turn {at:4}: stream {a[0]:.0f} -> {b[0]:.0f} tokens/s (x{b[0] / a[0]:.2f}); reply end to full scores {a[1]:.0f} -> {b[1]:.0f} ms; "
            f"Enter to full scores {a[3]:.0f} -> {b[3]:.0f} ms (x{b[3] / a[3]:.2f}), per reply token {per_token[False]:.1f} -> {per_token[True]:.1f} ms "
            f"(x{per_token[True] / per_token[False]:.2f}); median reply {a[2]:.0f} / {b[2]:.0f} tokens; same reply both ways {same}/{args.stream} (greedy)"
        )


class OneCallPerContext:
    """The engine without ``logprobs_in``: the scorer then asks for its two contexts one call each."""

    def __init__(self, engine) -> None:
        self._engine = engine

    def __getattr__(self, name: str):
        if name == "logprobs_in":
            raise AttributeError(name)
        return getattr(self._engine, name)


def batching_section(engine, embedder, persona, chat: list[Message], args) -> None:
    """Full scores with the two scoring contexts decoded in one batch (the default) vs one engine call each.

    The same engine serves both, so they alternate turn by turn (ABBA within each pair of
    turns): on a shared, noisy machine only side-by-side ratios mean anything. Then the model
    pass alone, ``logprobs_in`` against two ``logprobs`` calls, on the same replies.
    """
    print("\nthe two scoring contexts in one batch (the default) vs one engine call each, alternating turn by turn:")
    own_slots = ScorerConfig(slots=(("persona", "bench-score"), ("plain", "bench-score-plain")))  # each keeps its own caches
    for at in args.at:
        scorers = {
            "batched": DriftScorer(persona, engine=engine, embedder=embedder),
            "separate": DriftScorer(persona, engine=OneCallPerContext(engine), embedder=embedder, config=own_slots),
        }
        spent: dict[str, list[float]] = {name: [] for name in scorers}
        for k, t in enumerate(range(max(0, at - args.warmup), min(len(chat) // 2, at + 5))):
            index = 2 * t + 1
            for name in ("batched", "separate") if k % 4 in (0, 3) else ("separate", "batched"):
                t0 = time.perf_counter()
                scorers[name].score(chat[:index], chat[index].content, index)
                if t >= at - 4:  # the earlier turns fill the caches, as a running chat has them
                    spent[name].append(time.perf_counter() - t0)
        a, b = (statistics.median(spent[n]) * 1000 for n in ("separate", "batched"))
        print(f"  turn {at:4}: full scores, median of {len(spent['batched'])} turns: one call each {a:.0f} ms -> one batch {b:.0f} ms (x{a / b:.2f} faster)")
    contexts = {name: scorer.model_contexts(chat[:21]) for name, scorer in scorers.items()}
    pairs = []
    for k in range(40):
        reply = f"{chat[2 * k + 1].content} ({k})"
        took = {}
        for name in ("batched", "separate") if k % 2 == 0 else ("separate", "batched"):
            t0 = time.perf_counter()
            if name == "batched":
                engine.logprobs_in(contexts[name], reply)
            else:
                for slot, messages, cap in contexts[name]:
                    engine.logprobs(messages, reply, slot=slot, max_tokens=cap)
            took[name] = time.perf_counter() - t0
        pairs.append(took)
    a, b = (statistics.median(p[n] for p in pairs) * 1000 for n in ("separate", "batched"))
    ratio = statistics.median(p["separate"] / p["batched"] for p in pairs)
    print(f"  the model pass alone, 40 replies: two logprobs calls {a:.0f} ms -> one logprobs_in {b:.0f} ms (median ratio per reply x{ratio:.2f})")


def encoding_section(engine, embedder, persona, chat: list[Message], args) -> None:
    """Full scores read from each encoding of the bundled model: the same turns, in blocks A B C C B A.

    Blocks, not turn-by-turn alternation: switching between loaded models every turn slows
    them (by a fifth for the Q8_0 copy here), which is not how the app runs.
    """
    from drifttui.engine._llama import LlamaEngine
    from drifttui.engine._recode import encoding_name

    info = engine.info
    if info.weights_path in ("", info.model_path):
        print("\nencoding comparison skipped: the engine runs the model file as given (not the bundled model, or DRIFTTUI_RECODE=0)")
        return
    default = f"{encoding_name(Path(info.reading_weights))} reading copy" if info.reading_weights else "Q8_0 copy"
    engines = {default: engine}
    if info.reading_weights:  # the Q8_0 copy reading too (what an AVX2-only build runs)
        engines["Q8_0 copy alone"] = LlamaEngine(info.model_path, n_ctx=info.n_ctx, threads=args.threads, read_slots=())
    engines["shipped Q4_1"] = LlamaEngine(info.model_path, n_ctx=info.n_ctx, threads=args.threads, recode=False)
    names = list(engines)
    order = [*names, *reversed(names)]
    print(f"\nthe bundled model read from {' vs '.join(names)} (the first is the engine as it opens), full scores of the same turns:")
    for at in args.at:
        spent: dict[str, list[float]] = {name: [] for name in engines}
        for block, name in enumerate(order):
            scorer = DriftScorer(persona, engine=engines[name], embedder=embedder)
            for t in range(max(0, at - 5), at + 5):
                index = 2 * t + 1
                t0 = time.perf_counter()
                scorer.score(chat[:index], f"{chat[index].content} [{block}]", index)
                if t >= at - 4:  # the first turn only fills the caches
                    spent[name].append(time.perf_counter() - t0)
        base = statistics.median(spent[default]) * 1000
        others = ", ".join(f"{n} {statistics.median(spent[n]) * 1000:.0f} ms (x{statistics.median(spent[n]) * 1000 / base:.2f})" for n in names[1:])
        print(f"  turn {at:4}: full scores, median of {len(spent[default])} turns: {default} {base:.0f} ms; {others} (xN: how much slower than the first)")
    text = " ".join(m.content for m in chat[:40])[:1200]
    rates: dict[str, list[float]] = {name: [] for name in engines}
    for name in order:
        for _ in range(2):
            engines[name].reset("score")
            t0 = time.perf_counter()
            lp = engines[name].logprobs([Message("user", "Read this.")], text, slot="score")
            rates[name].append(len(lp.tokens) / (time.perf_counter() - t0))
    base = statistics.median(rates[default])
    others = ", ".join(f"{n} {statistics.median(rates[n]):.0f} (x{base / statistics.median(rates[n]):.2f})" for n in names[1:])
    print(f"  log-prob throughput in the scorer's slot: {default} {base:.0f} tokens/s; {others}")
    for name in names[1:]:
        engines[name].close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--at", type=int, nargs="+", default=[10, 200], help="checkpoint turns (assistant turn numbers)")
    parser.add_argument("--turns", type=int, help="assistant turns in the chat (default: the last checkpoint + 5)")
    parser.add_argument("--warmup", type=int, default=12, help="turns scored before each checkpoint's window (the earlier ones are history only)")
    parser.add_argument("--persona", help="persona (default: the bundled one)")
    parser.add_argument("--stream", type=int, default=6, help="generated turns per checkpoint for the scored-while-streaming comparison (0: skip)")
    parser.add_argument("--stream-tokens", type=int, default=96, help="max tokens per generated reply in that comparison")
    parser.add_argument("--no-encoding", action="store_true", help="skip the Q8_0-copy vs shipped-Q4_1 comparison")
    parser.add_argument("--no-batching", action="store_true", help="skip the one-batch vs one-call-per-context comparison")
    args = parser.parse_args(argv)
    n_turns = args.turns or max(args.at) + 5
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    bench_slots = ("score", "score-plain", "bench-score", "bench-score-plain")  # all read from the reading copy, if there is one
    engine = open_engine(n_ctx=2048, threads=args.threads, slots=("main", "plain", *bench_slots), read_slots=bench_slots)
    embedder = load_embedder()
    loaded = f" (loaded from {Path(engine.info.weights_path).name})" if engine.info.weights_path not in ("", engine.info.model_path) else ""
    if engine.info.reading_weights:
        loaded += f", log-probs read from {Path(engine.info.reading_weights).name}"
    print(f"model: {engine.info.model_name}{loaded}, {engine.info.threads} threads; embedder: {'yes' if embedder else 'UNAVAILABLE'}")
    persona = resolve_persona(args.persona)
    scorer = DriftScorer(persona, engine=engine, embedder=embedder)
    model_time = Timed(engine, "logprobs_in")
    embed_time = Timed(embedder, "encode") if embedder is not None else None
    chat = long_chat(2 * n_turns)
    times: dict[int, tuple[float, float, float]] = {}
    evaluated: dict[int, int] = {}
    quick: dict[int, float] = {}
    stats = getattr(engine, "stats", {"prompt_evaluated": 0})
    todo: list[int] = []
    for at in args.at:  # warm up from `warmup` turns before each checkpoint, as a running chat would be
        todo += [t for t in range(max(0, at - args.warmup), min(n_turns, at + 5)) if t not in todo]
    for t in sorted(todo):
        index = 2 * t + 1
        m0, e0, k0 = model_time.total, embed_time.total if embed_time else 0.0, stats["prompt_evaluated"]
        t0 = time.perf_counter()
        scorer.score(chat[:index], chat[index].content, index, model=False)  # what the TUI shows at once
        quick[t] = time.perf_counter() - t0
        scorer.score(chat[:index], chat[index].content, index)
        total = time.perf_counter() - t0  # until the full scores are there
        times[t] = (total, model_time.total - m0, (embed_time.total if embed_time else 0.0) - e0)
        evaluated[t] = stats["prompt_evaluated"] - k0
        print(f"  turn {t}: {total * 1000:.0f} ms, {evaluated[t]} tokens evaluated", file=sys.stderr, flush=True)
    print(f"\nall three scores of one assistant turn (probes excluded), {engine.info.threads} threads:")
    for at in args.at:
        if at not in times:
            continue
        around = [times[t] for t in range(max(0, at - 4), min(n_turns, at + 5))]
        med = statistics.median(x[0] for x in around)
        mm = statistics.median(x[1] for x in around)
        me = statistics.median(x[2] for x in around)
        this = times[at]
        tokens = statistics.median(evaluated[t] for t in range(max(0, at - 4), min(n_turns, at + 5)))
        print(
            f"  turn {at:4} (message {2 * at + 1}): {this[0] * 1000:7.0f} ms this turn; median of turns {max(0, at - 4)}-{min(n_turns - 1, at + 4)}: "
            f"{med * 1000:6.0f} ms (model {mm * 1000:.0f}, embedder {me * 1000:.0f}, rest {(med - mm - me) * 1000:.0f}); "
            f"model tokens evaluated per turn: median {tokens:.0f}, this turn {evaluated[at]}"
        )
    print("quick scores (all three, no model passes; the TUI shows them at once, then the full ones; goal <= 150 ms):")
    for at in args.at:
        if at in quick:
            around = [quick[t] for t in range(max(0, at - 4), min(n_turns, at + 5))]
            print(f"  turn {at:4}: {quick[at] * 1000:6.1f} ms this turn; median {statistics.median(around) * 1000:6.1f} ms, max {max(around) * 1000:6.1f} ms")
    print("full scores, per turn above: from the start of the quick scores until the full ones are there")
    window = sorted(evaluated[t] for t in times if any(at - 4 <= t <= at + 4 for at in args.at))
    print(f"  model tokens evaluated per turn over the measured turns: mean {statistics.mean(window):.0f}, max {window[-1]}")
    measured = [t for t in times if any(at - 4 <= t <= at + 4 for at in args.at)]
    slow = max(measured, key=lambda t: times[t][0])
    print(f"  slowest measured turn: {slow} ({times[slow][0] * 1000:.0f} ms, {evaluated[slow]} model tokens)")
    if args.stream:
        stream_section(engine, embedder, persona, chat, args)
    if not args.no_batching:
        batching_section(engine, embedder, persona, chat, args)
    if not args.no_encoding:
        encoding_section(engine, embedder, persona, chat, args)
    text = " ".join(m.content for m in chat[:40])
    engine.reset("score")
    t0 = time.perf_counter()
    lp = engine.logprobs([Message("user", "Read this.")], text[:1200], slot="score")
    rate = len(lp.tokens) / (time.perf_counter() - t0)
    print(f"model throughput right now: {rate:.0f} tokens/s (log-probs of a {len(lp.tokens)}-token text in the scorer's slot); "
          f"per-turn model time ≈ tokens evaluated / throughput")
    if embedder is not None:
        sentences = [f"{m.content} [{i}]" for i, m in enumerate(long_chat(512))]
        t0 = time.perf_counter()
        embedder.encode(sentences[:256])
        batch = time.perf_counter() - t0
        t0 = time.perf_counter()
        for s in sentences[256:320]:
            embedder.encode([s])
        single = (time.perf_counter() - t0) / 64
        print(f"embedder: {256 / batch:.0f} sentences/s batched (256 chat lines), {single * 1000:.1f} ms for one sentence ({embedder.threads} thread)")
    engine.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
