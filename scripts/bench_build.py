#!/usr/bin/env python
"""Benchmark two llama-cpp-python builds side by side: scoring, log-prob and generation speed.

    .venv/bin/python scripts/bench_build.py --b ~/.cache/drifttui/wheels/llama-cpp-python-0.3.36-<id>
    .venv/bin/python scripts/bench_build.py --a DIR_OR_WHEEL --b DIR_OR_WHEEL --rounds 4

``scripts/setup.sh`` builds llama.cpp with the CPU flags the machine can run (AVX-512
when a test program using it runs, AVX2 otherwise; never native, never AMX). This
script measures what a flag set buys. Each side is a cached wheel, a folder holding
one, or a folder with an unpacked ``llama_cpp`` package; the default *a* is the
build installed in this environment. Both sides run the same work in fresh worker
processes, alternating in ABBA blocks (this machine's speed drifts by the minute):

- full scores of the bench chat's turns 6-14 (all three scores, as the TUI asks for
  them), median ms; each side reads them from the copy its build chooses (the BF16
  reading copy where it runs AVX-512: ``drifttui/engine/_recode.py``);
- the model pass alone: log-probs of a 336-token text in the chat's own slot (the
  Q8_0 copy on both sides), tokens/s;
- generation: 64 greedy tokens after a persona prompt, tokens/s.

It prints each side's medians and the ratios b/a. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _site(path: Path, scratch: Path) -> Path:
    """A folder to put first on ``sys.path`` so ``import llama_cpp`` loads the build at ``path`` (unpacked into ``scratch``)."""
    if path.is_dir() and (path / "llama_cpp").is_dir():
        return path
    wheels = [path] if path.is_file() else sorted(path.glob("llama_cpp_python-*.whl"))
    if not wheels:
        raise SystemExit(f"error: {path}: no llama_cpp_python wheel or llama_cpp package there")
    target = scratch / wheels[0].stem  # scratch is each side's own: two builds' wheels share a name
    target.mkdir(parents=True)
    with zipfile.ZipFile(wheels[0]) as z:
        z.extractall(target)
    return target


def worker(threads: int) -> None:
    """Run the measured work once with whichever llama_cpp is importable; print one JSON line."""
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "scripts"))
    import llama_cpp

    from bench_scoring import long_chat
    from drifttui.drift import DriftScorer, load_embedder
    from drifttui.engine import Message, SamplingParams, open_engine
    from drifttui.engine._selfcheck import cpu_features
    from drifttui.persona import resolve_persona

    engine = open_engine(n_ctx=2048, threads=threads, slots=("main", "plain", "score", "score-plain"))
    persona = resolve_persona(None)
    scorer = DriftScorer(persona, engine=engine, embedder=load_embedder())
    chat = long_chat(2 * 15)
    full = []
    for t in range(15):
        index = 2 * t + 1
        started = time.perf_counter()
        scorer.score(chat[:index], chat[index].content, index, model=False)
        scorer.score(chat[:index], chat[index].content, index)
        if t >= 6:
            full.append(time.perf_counter() - started)
    text = " ".join(m.content for m in chat[:40])[:1200]
    engine.reset("main")
    started = time.perf_counter()
    lp = engine.logprobs([Message("user", "Read this.")], text, slot="main")
    logprob_rate = len(lp.tokens) / (time.perf_counter() - started)
    engine.reset("main")
    prompt = [Message("system", persona.system_prompt()), Message("user", "Tell me about your week, day by day.")]
    params = SamplingParams(temperature=0.0, max_tokens=64, seed=1)
    generate_rate = engine.stream(prompt, params, slot="main").result().tokens_per_second
    engine.close()
    print(json.dumps({"full_ms": statistics.median(full) * 1000, "logprob_tps": logprob_rate, "generate_tps": generate_rate, "llama_cpp": llama_cpp.__file__, "system": cpu_features()}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--a", type=Path, help="build a: a wheel, a folder with one, or an unpacked llama_cpp (default: the installed build)")
    parser.add_argument("--b", type=Path, required=False, help="build b (same forms)")
    parser.add_argument("--rounds", type=int, default=2, help="ABBA blocks (each runs each build twice)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.threads)
        return 0
    if args.b is None:
        parser.error("--b is required")
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs; {args.threads} threads")
    with tempfile.TemporaryDirectory(prefix="drifttui-bench-build-") as tmp:
        sites = {side: _site(path, Path(tmp) / side) if path else None for side, path in (("a", args.a), ("b", args.b))}
        runs: dict[str, list[dict]] = {"a": [], "b": []}
        for _ in range(args.rounds):
            for side in ("a", "b", "b", "a"):
                env = dict(os.environ)
                if sites[side] is not None:
                    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(sites[side]), env.get("PYTHONPATH", "")]))
                done = subprocess.run([sys.executable, __file__, "--worker", "--threads", str(args.threads)], env=env, capture_output=True, text=True)
                if done.returncode != 0:
                    tail = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
                    print(f"error: build {side} failed (exit {done.returncode}): {tail}", file=sys.stderr)
                    return 1
                runs[side].append(json.loads(done.stdout.strip().splitlines()[-1]))
                print(f"  {side}: {runs[side][-1]}", file=sys.stderr, flush=True)
    for side in ("a", "b"):
        print(f"build {side}: {runs[side][0]['system']}")
    rows = (("full scores of one turn (median ms, turns 6-14)", "full_ms", False), ("log-probs, tokens/s", "logprob_tps", True), ("generation, tokens/s", "generate_tps", True))
    for label, key, higher in rows:
        a = statistics.median(r[key] for r in runs["a"])
        b = statistics.median(r[key] for r in runs["b"])
        ratio = b / a if higher else a / b
        print(f"  {label:48} a {a:7.1f}   b {b:7.1f}   b is x{ratio:.2f} {'faster' if ratio >= 1 else 'slower'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
