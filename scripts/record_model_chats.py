#!/usr/bin/env python
"""Record chats in which the default model itself plays library personas, for annotators to label.

The labelled splits under ``tests/data/labelled/`` are written by people; the app scores
text the model writes. This records the model's own replies to a fixed user script (a
mix of the lab's opener, neutral, emotional and meta-reflective turns and questions
about the persona's facts) as ``drifttui score`` transcripts without labels, one per
persona, so that annotators can label them (``tests/data/labelled_model/README.md``).

    .venv/bin/python scripts/record_model_chats.py --out DIR [--personas A,B] [--seed S] [--threads 2]

Seeds are fixed (reply i uses seed S + i), so a rerun on the same CPU repeats the chats.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from drifttui.engine import Message, SamplingParams, open_engine  # noqa: E402
from drifttui.lab.userturns import EMOTIONAL, META, NEUTRAL, OPENERS  # noqa: E402
from drifttui.persona import resolve_persona  # noqa: E402

PERSONAS = ("mara-silva", "viktor-hale", "percival-ashgrove", "silas-crane", "bramble")
SCRIPT = (
    OPENERS[0], "How old are you, if you don't mind me asking?", NEUTRAL[0], "Where do you live these days?",
    "What do you do for work?", EMOTIONAL[0], NEUTRAL[14], "Do you have any family? Brothers, sisters, kids?",
    META[1], "Any pets?", NEUTRAL[10], EMOTIONAL[7], "Where did you grow up?", META[9],
)  # fmt: skip
"""The user's turns, the same for every persona."""


def record(persona_name: str, engine, max_tokens: int, seed: int = 0) -> list[dict]:
    """One chat: the persona's greeting, then the model's reply to each turn of :data:`SCRIPT`."""
    persona = resolve_persona(persona_name)
    system = Message("system", persona.system_prompt("full"))
    history = [Message("assistant", persona.greeting)]
    for i, question in enumerate(SCRIPT):
        history.append(Message("user", question))
        context = history
        while len(context) > 2 and engine.count_tokens([system, *context]) + max_tokens > engine.info.n_ctx:
            context = context[2:]  # drop the oldest exchange, as the chat's window does
        reply = engine.sample([system, *context], 1, SamplingParams(temperature=0.7, max_tokens=max_tokens, seed=seed + i))[0]
        history.append(Message("assistant", reply.text.strip()))
    return [{"role": m.role, "content": m.content} for m in history]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="folder for the transcripts (<persona>.jsonl)")
    parser.add_argument("--personas", default=",".join(PERSONAS), help="library personas, comma-separated")
    parser.add_argument("--threads", type=int, help="model threads")
    parser.add_argument("--max-tokens", type=int, default=120)
    parser.add_argument("--seed", type=int, default=0, help="seed of the first reply (reply i uses seed + i)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    engine = open_engine(n_ctx=2048, **({"threads": args.threads} if args.threads else {}))
    for name in args.personas.split(","):
        lines = record(name, engine, args.max_tokens, args.seed)
        (out / f"{name}.jsonl").write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
        print(f"{name}: {sum(1 for line in lines if line['role'] == 'assistant')} assistant lines", file=sys.stderr)
    engine.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
