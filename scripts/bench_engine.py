#!/usr/bin/env python
"""Benchmark the llama.cpp engine against raw llama-cpp-python, side by side in one run.

Prints:
- streaming tok/s of drifttui's engine ÷ raw ``Llama.create_completion(stream=True)`` tok/s
  (same model, same thread count, same sampling settings, runs interleaved A/B/A/B);
- prompt tokens evaluated (and seconds) per turn at turn 50 of a scripted chat, with
  and without prefix reuse;
- cancel latency (cancel() → generator returns);
- resident memory.

Usage: .venv/bin/python scripts/bench_engine.py [--model GGUF] [--threads 2] [--rounds 4]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import threading
import time
from pathlib import Path

from drifttui.engine import CancelToken, Message, SamplingParams, default_model_path
from drifttui.engine._llama import LlamaEngine

PROMPT = [
    Message("system", "You are Mara Silva, a dentist in Lisbon. You love telling long stories."),
    Message("user", "Tell me a long, detailed story about your week at the clinic, day by day."),
]
USER_TURNS = [
    "How was your day?",
    "What's your cat called?",
    "Tell me something about Lisbon.",
    "Do you like your job?",
    "What did you eat today?",
]


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def rate_from_stamps(stamps: list[float]) -> tuple[int, float]:
    """Tokens after the first and the time they took (prompt evaluation excluded)."""
    return max(0, len(stamps) - 1), (stamps[-1] - stamps[0]) if len(stamps) > 1 else 0.0


def raw_run(llm, prompt_text: str, max_tokens: int, seed: int) -> tuple[int, float]:
    stamps = []
    for _chunk in llm.create_completion(
        prompt_text,
        max_tokens=max_tokens,
        stream=True,
        temperature=0.8,
        top_k=40,
        top_p=0.95,
        min_p=0.05,
        repeat_penalty=1.1,
        seed=seed,
    ):
        stamps.append(time.perf_counter())
    return rate_from_stamps(stamps)


def app_run(engine: LlamaEngine, max_tokens: int, seed: int) -> tuple[int, float]:
    engine.reset("main")
    stamps = []
    gen = engine.stream(PROMPT, SamplingParams(max_tokens=max_tokens, seed=seed))
    for _piece in gen:
        stamps.append(time.perf_counter())
    # pieces can merge tokens (UTF-8 / stop-string hold-back): count real tokens over the same span
    n, seconds = rate_from_stamps(stamps)
    if n and gen.reply is not None:
        n = gen.reply.n_tokens - 1
    return n, seconds


def bench_streaming(model: str, threads: int, rounds: int, max_tokens: int) -> float:
    from llama_cpp import Llama

    engine = LlamaEngine(model, n_ctx=2048, threads=threads, n_parallel=1)
    # the same file the engine loaded (for the bundled model, its Q8_0 copy: drifttui/engine/_recode.py)
    llm = Llama(model_path=engine.info.weights_path or model, n_ctx=2048, n_threads=threads, n_threads_batch=threads, verbose=False)
    prompt_text = engine.template.render(PROMPT)
    raw_tokens = raw_time = app_tokens = app_time = 0.0
    raw_run(llm, prompt_text, 8, 0)  # warm-up both
    app_run(engine, 8, 0)
    for r in range(rounds):
        n, t = raw_run(llm, prompt_text, max_tokens, seed=r)
        raw_tokens, raw_time = raw_tokens + n, raw_time + t
        n, t = app_run(engine, max_tokens, seed=r)
        app_tokens, app_time = app_tokens + n, app_time + t
    raw_rate, app_rate = raw_tokens / raw_time, app_tokens / app_time
    print(f"streaming: raw llama-cpp-python {raw_rate:6.1f} tok/s ({int(raw_tokens)} tokens)")
    print(f"streaming: drifttui engine      {app_rate:6.1f} tok/s ({int(app_tokens)} tokens)")
    print(f"streaming ratio app/raw = {app_rate / raw_rate:.3f}   (goal >= 0.95)")
    del llm
    engine.close()
    return app_rate / raw_rate


def bench_prefix_reuse(model: str, threads: int, turns: int) -> None:
    engine = LlamaEngine(model, n_ctx=2048, threads=threads, n_parallel=1)
    history = [PROMPT[0]]
    per_turn = []
    for k in range(turns):
        history.append(Message("user", USER_TURNS[k % len(USER_TURNS)]))
        params = SamplingParams(max_tokens=20, seed=k)
        started = time.perf_counter()
        gen = engine.stream(history, params)
        first = None
        for _ in gen:
            first = first or time.perf_counter()
        reply = gen.reply
        per_turn.append((reply.prompt_evaluated, reply.prompt_tokens, (first or time.perf_counter()) - started))
        history.append(Message("assistant", reply.text))
    engine.close()
    cold = LlamaEngine(model, n_ctx=2048, threads=threads, n_parallel=1, reuse_prefix=False)
    cold_turn = []
    for k in range(turns - 5, turns):
        upto = 1 + 2 * k + 1  # system + k exchanges + the user turn
        started = time.perf_counter()
        gen = cold.stream(history[:upto], SamplingParams(max_tokens=1, seed=k))
        for _ in gen:
            break
        gen.result()
        cold_turn.append((gen.reply.prompt_evaluated, gen.reply.prompt_tokens, time.perf_counter() - started))
    cold.close()
    warm = per_turn[-5:]
    print(f"turn {turns}: prompt {warm[-1][1]} tokens")
    print(
        f"  with prefix reuse:    {statistics.mean(e for e, _, _ in warm):7.1f} tokens evaluated/turn, "
        f"time to first token {statistics.mean(t for _, _, t in warm) * 1000:7.1f} ms (turns {turns - 4}-{turns})"
    )
    print(
        f"  without prefix reuse: {statistics.mean(e for e, _, _ in cold_turn):7.1f} tokens evaluated/turn, "
        f"time to first token {statistics.mean(t for _, _, t in cold_turn) * 1000:7.1f} ms"
    )
    ratio = statistics.mean(e for e, _, _ in cold_turn) / max(1.0, statistics.mean(e for e, _, _ in warm))
    print(f"  re-evaluation saved: {ratio:.1f}x fewer tokens per turn with reuse")


def bench_cancel(model: str, threads: int) -> None:
    engine = LlamaEngine(model, n_ctx=2048, threads=threads, n_parallel=1)
    latencies = []
    for seed in range(5):
        cancel = CancelToken()
        gen = engine.stream(PROMPT, SamplingParams(max_tokens=400, seed=seed), cancel=cancel)
        stamp = {}

        def fire(cancel=cancel, stamp=stamp):
            stamp["t"] = time.perf_counter()
            cancel.cancel()

        timer = threading.Timer(0.3, fire)
        timer.start()
        gen.result()
        latencies.append(time.perf_counter() - stamp.get("t", time.perf_counter()))
        timer.join()
    engine.close()
    print(f"cancel latency: max {max(latencies) * 1000:.1f} ms, mean {statistics.mean(latencies) * 1000:.1f} ms (goal < 200 ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--max-tokens", type=int, default=128)
    parser.add_argument("--turns", type=int, default=50)
    args = parser.parse_args()
    model = args.model or str(default_model_path())
    from drifttui.engine._recode import existing_copy

    copy = existing_copy(Path(model))
    loaded = f" (loaded from its Q8_0 copy {copy})" if copy else ""
    print(f"model {model}{loaded}, {args.threads} threads")
    bench_streaming(model, args.threads, args.rounds, args.max_tokens)
    bench_prefix_reuse(model, args.threads, args.turns)
    bench_cancel(model, args.threads)
    print(f"RSS now {rss_mb():.0f} MB, peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
