"""``drifttui doctor``: check that the engine generates its first token on this CPU."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("doctor", help="check that llama.cpp runs on this CPU (first token generates)")
    parser.add_argument("--model", help="GGUF to test with (default: the bundled model)")
    parser.add_argument("--quiet", action="store_true", help="print only problems")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from drifttui.engine import default_model_path
    from drifttui.engine._selfcheck import cpu_features, library_id, run_check

    model = args.model or default_model_path()
    failure = run_check(model)
    if failure is not None and not failure.isdigit():
        from drifttui.engine._llama import LlamaEngine

        LlamaEngine(model, n_ctx=256, n_parallel=1).close()  # raises the real, readable error
        raise SystemExit(f"drifttui: error: first-token check failed: {failure}")
    if not args.quiet:
        from pathlib import Path

        from drifttui.engine._recode import encoding_name, existing_copy, existing_reading_copy

        copy = existing_copy(Path(model))
        loaded = f" (loaded from its Q8_0 copy {copy})" if copy else ""
        reading = existing_reading_copy(Path(model))
        if reading is not None:
            loaded += f"; drift log-probs are read from its {encoding_name(reading)} copy {reading}"
        print(f"ok: llama.cpp build {library_id()} ({cpu_features()}) generates tokens with {model}{loaded}")
    return 0
