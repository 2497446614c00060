#!/usr/bin/env python
"""Benchmark the llama.cpp and CTranslate2 engines side by side, in one run.

    .venv/bin/python scripts/bench_engines.py                 # default model, 2 threads, 3 rounds
    .venv/bin/python scripts/bench_engines.py --model X.gguf --rounds 5 --n 8

For each engine, on the same model, prompt, sampling settings and thread count:

* **tok/s**: streaming generation speed (prompt evaluation excluded);
* **N=8 ÷ N=1**: wall time of ``sample(n=8)`` over wall time of ``sample(n=1)``
  (the superposition view's cost; goal ≤ 3.0), with the prompt warm as in a chat
  (llama.cpp keeps it in the slot cache; the ct2 engine evaluates it into the
  next generator's cache in the background, and the benchmark lets that finish
  before each timed call, as a user's think time would);
* **log-prob ms / 100 tok**: ``logprobs()`` of a fixed ~100-token reply, per 100 reply tokens;
* **peak RSS** of the process running the engine.

Each engine runs in its own child process (so each peak RSS is its own), one
after the other; timings are medians over ``--rounds``. A benchmark, not a
test: the numbers depend on the machine and its load (the load average is
printed). The results are saved to ``cache_dir()/bench/engines-<model sha16>.json``,
which :func:`drifttui.engine._ct2.preferred_batch_engine` reads to pick the
engine for batched sampling.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from drifttui.engine import Message, SamplingParams, default_model_path, open_engine  # noqa: E402

PROMPT = [
    Message("system", "You are Mara Silva, a dentist in Lisbon with a grey cat named Olive. You love telling long stories."),
    Message("user", "Tell me a long, detailed story about your week at the clinic, day by day."),
]
REPLY = (
    "On Monday the clinic opened late because the tram broke down on Rua da Prata, so I walked. "
    "My first patient was a retired sailor with a cracked molar who told me about storms off the Azores "
    "while I worked. On Tuesday Olive knocked my coffee onto the appointment book, and I spent lunch "
    "copying names by hand. Wednesday was quiet; I cleaned instruments and read a novel between fillings."
)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(engine_name: str, model: str, threads: int, rounds: int, n: int, max_tokens: int) -> dict:
    """Measure one engine in this process; returns the numbers as a dict."""
    started = time.perf_counter()
    engine = open_engine(model, engine=engine_name, n_ctx=2048, threads=threads)
    load_s = time.perf_counter() - started
    ready = getattr(engine, "wait_ready", lambda: None)  # ct2: let the background generator load finish first
    params = SamplingParams(max_tokens=max_tokens, temperature=0.8, seed=1)
    engine.stream(PROMPT, params.with_seed(0)).result()  # warm-up (and llama: prompt into the slot cache)

    rates, walls1, wallsn, tokens1, tokensn, lp_times = [], [], [], [], [], []
    for r in range(rounds):
        ready()
        reply = engine.stream(PROMPT, params.with_seed(100 + r)).result()
        if reply.n_tokens > 1 and reply.seconds > 0:
            rates.append(reply.n_tokens / reply.seconds)
        ready()
        t = time.perf_counter()
        one = engine.sample(PROMPT, 1, params.with_seed(200 + r))
        walls1.append(time.perf_counter() - t)
        tokens1.append(sum(x.n_tokens for x in one))
        ready()
        t = time.perf_counter()
        many = engine.sample(PROMPT, n, params.with_seed(300 + r * n))
        wallsn.append(time.perf_counter() - t)
        tokensn.append(sum(x.n_tokens for x in many))
        t = time.perf_counter()
        lp = engine.logprobs(PROMPT, f"{REPLY} ({r})")
        lp_times.append((time.perf_counter() - t) / max(1, len(lp.tokens)) * 100)
    peak = peak_rss_mb()
    reload_s = None
    gens = getattr(engine, "_gens", None)
    if gens is not None:  # ct2: what a seeded call costs when no fresh generator is ready
        t = time.perf_counter()
        gens._load()
        reload_s = time.perf_counter() - t
    info = engine.info
    engine.close()
    wall1, walln = statistics.median(walls1), statistics.median(wallsn)
    return {
        "engine": engine_name,
        "model_name": info.model_name,
        "threads": info.threads,
        "load_s": load_s,
        "tok_s": statistics.median(rates) if rates else 0.0,
        "n": n,
        "wall_1_s": wall1,
        "wall_n_s": walln,
        "ratio_n_over_1": walln / wall1 if wall1 else float("inf"),
        "tokens_1": statistics.median(tokens1),
        "tokens_n": statistics.median(tokensn),
        "batch_tok_s": statistics.median(tokensn) / walln if walln else 0.0,
        "logprob_ms_per_100": statistics.median(lp_times) * 1000,
        "prompt_tokens": engine_prompt_tokens(model),
        "generator_reload_s": reload_s,
        "peak_rss_mb": peak,
        "rounds": rounds,
    }


def engine_prompt_tokens(model: str) -> int:
    from drifttui.engine._gguf_vocab import GGUFVocab

    vocab = GGUFVocab(model)
    try:
        return len(vocab.prompt_tokens(vocab.template.render(PROMPT)))
    finally:
        vocab.close()


def results_path(model: str) -> Path:
    from drifttui.engine._convert import gguf_digest
    from drifttui.paths import cache_dir

    return cache_dir() / "bench" / f"engines-{gguf_digest(Path(model))[:16]}.json"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="GGUF model (default: the bundled model)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--n", type=int, default=8, help="alternatives per batched call")
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--engines", nargs="+", default=["llama", "ct2"])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    model = str(Path(args.model).expanduser()) if args.model else str(default_model_path())
    if args.child:
        print(json.dumps(child(args.child, model, args.threads, args.rounds, args.n, args.max_tokens)))
        return 0

    if "ct2" in args.engines:  # convert outside the timed child (once)
        from drifttui.engine._convert import convert_gguf

        convert_gguf(model, log=lambda line: print(line, file=sys.stderr))
    load = os.getloadavg()
    print(f"model {Path(model).name}, {args.threads} threads, {args.rounds} rounds, N={args.n}, "
          f"max_tokens {args.max_tokens}; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} CPUs")
    results = []
    for name in args.engines:
        cmd = [sys.executable, __file__, "--child", name, "--model", model, "--threads", str(args.threads),
               "--rounds", str(args.rounds), "--n", str(args.n), "--max-tokens", str(args.max_tokens)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            print(f"{name}: failed\n{proc.stderr.strip()}", file=sys.stderr)
            return 1
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))

    rows = [
        ("generation tok/s (1 stream)", "tok_s", "{:.1f}"),
        (f"N={args.n} wall s", "wall_n_s", "{:.2f}"),
        ("N=1 wall s", "wall_1_s", "{:.2f}"),
        (f"N={args.n} ÷ N=1 (goal ≤ 3.0)", "ratio_n_over_1", "{:.2f}"),
        (f"tokens in N={args.n} / N=1", None, None),
        (f"batched tok/s (N={args.n})", "batch_tok_s", "{:.1f}"),
        ("log-prob ms per 100 tokens", "logprob_ms_per_100", "{:.0f}"),
        ("peak RSS MB", "peak_rss_mb", "{:.0f}"),
        ("load s", "load_s", "{:.2f}"),
        ("generator reload s (ct2 seeds)", "generator_reload_s", "{:.2f}"),
    ]
    width = 34
    print(f"{'':{width}}" + "".join(f"{r['engine']:>12}" for r in results))
    for label, key, fmt in rows:
        if key is None:
            cells = [f"{r['tokens_n']:.0f}/{r['tokens_1']:.0f}" for r in results]
        else:
            cells = ["-" if r[key] is None else fmt.format(r[key]) for r in results]
        print(f"{label:{width}}" + "".join(f"{c:>12}" for c in cells))
    print(f"(prompt: {results[0]['prompt_tokens']} tokens, warm for both engines: llama.cpp keeps it in the slot cache, "
          "ct2 evaluates it into the next generator's cache in the background between calls)")
    faster = max(results, key=lambda r: r["batch_tok_s"])["engine"]
    print(f"faster at batched sampling: {faster}")
    out = results_path(model)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"model": model, "measured": time.time(), "load_average": load, "results": results,
                               "faster_batched": faster}, indent=2) + "\n")
    print(f"saved {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
