"""``drifttui chat``: play scripted user turns headless and print the replies."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from drifttui.errors import TranscriptError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("chat", help="play scripted user turns against the model, print the replies")
    parser.add_argument("--persona", help="persona name or TOML file (default: the bundled persona)")
    parser.add_argument("--model", help="GGUF model file (default: the bundled model)")
    parser.add_argument("--engine", choices=("llama", "ct2"), default="llama")
    parser.add_argument("--script", required=True, help="text file, one user turn per line ('-' for stdin)")
    parser.add_argument("--turns", type=int, help="play this many turns, cycling through the script")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first reply (turn k uses seed+k)")
    parser.add_argument("--max-tokens", type=int, default=120)
    parser.add_argument("--temperature", type=float, default=0.8)
    parser.add_argument("--n-ctx", type=int, default=2048, help="context window in tokens")
    parser.add_argument("--threads", type=int)
    parser.add_argument("--quiet", action="store_true", help="print only the replies")
    parser.set_defaults(run=run)


def read_script(ref: str) -> list[str]:
    """User turns from a text file: one per line; blank lines and '#' comments skipped."""
    if ref == "-":
        text = sys.stdin.read()
    else:
        path = Path(ref)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise TranscriptError("script file not found", path=path) from None
        except IsADirectoryError:
            raise TranscriptError("is a directory, not a script file", path=path) from None
        except UnicodeDecodeError as exc:
            raise TranscriptError(f"not UTF-8 text (byte {exc.start})", path=path) from None
        except OSError as exc:
            raise TranscriptError(f"cannot read the script: {exc.strerror}", path=path) from None
    turns = [line.strip() for line in text.splitlines()]
    turns = [t for t in turns if t and not t.startswith("#")]
    if not turns:
        raise TranscriptError("the script has no user turns (one per line)", path=ref)
    return turns


def run(args: argparse.Namespace) -> int:
    from drifttui.conversation import Conversation, Swipe
    from drifttui.engine import SamplingParams, open_engine
    from drifttui.persona import resolve_persona

    script = read_script(args.script)
    persona = resolve_persona(args.persona)
    options = {"n_ctx": args.n_ctx}
    if args.threads:
        options["threads"] = args.threads
    engine = open_engine(args.model, engine=args.engine, **options)
    conv = Conversation(persona)
    out = sys.stdout
    if not args.quiet:
        print(f"# {persona.name} on {engine.info.model_name} ({engine.info.engine}, n_ctx {engine.info.n_ctx})", file=out)
        if conv.turns:
            print(f"{persona.name}: {conv.turns[0].text}\n", file=out)
    n = args.turns or len(script)
    trims_seen = 0
    for k in range(n):
        user = script[k % len(script)]
        conv.add_user(user)
        params = SamplingParams(max_tokens=args.max_tokens, temperature=args.temperature, seed=args.seed + k)
        messages = conv.context(engine.count_tokens, engine.info.n_ctx, reserve=args.max_tokens + 8)
        if len(conv.trims) > trims_seen and not args.quiet:
            trim = conv.trims[-1]
            print(f"[context trimmed before turn {trim.at_turn}: oldest turns dropped, window now starts at turn {trim.first_kept}]", file=out)
        trims_seen = len(conv.trims)
        generation = engine.stream(messages, params)
        if args.quiet:
            reply = generation.result()
            print(reply.text, file=out, flush=True)
        else:
            print(f"[{k + 1}] You: {user}", file=out)
            print(f"[{k + 1}] {persona.name}: ", end="", file=out, flush=True)
            for piece in generation:
                out.write(piece)
                out.flush()
            reply = generation.reply
            print(f"\n    ({reply.n_tokens} tok, {reply.tokens_per_second:.0f} tok/s, prompt {reply.prompt_evaluated}/{reply.prompt_tokens} evaluated)\n", file=out)
        conv.add_assistant(Swipe.from_reply(reply, params))
    engine.close()
    return 0
