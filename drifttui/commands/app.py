"""Plain ``drifttui``: the chat TUI."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--persona", help="persona name (from personas/) or TOML file (default: the bundled persona)")
    parser.add_argument("--model", help="GGUF model file (default: the bundled SmolLM2-135M-Instruct)")
    parser.add_argument("--engine", choices=("llama", "ct2"), default="llama", help="inference engine")
    parser.add_argument("--session", help="recorded session file to continue")
    parser.add_argument("--threads", type=int, help="CPU threads for the model")
    parser.add_argument(
        "--score-while-streaming",
        action="store_true",
        help="score each reply in the drift contexts while it streams: full scores the moment it ends, but a slower stream (about 0.7x on the default model) and a longer turn; log-probs are then read from the weights the reply streams from, not a faster reading copy",
    )


def run(args: argparse.Namespace) -> int:
    from drifttui.tui import run_app

    return run_app(args)
