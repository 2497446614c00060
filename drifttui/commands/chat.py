"""``drifttui chat``: play scripted user turns headless and print the replies."""

from __future__ import annotations

import argparse
import sys

from drifttui.errors import TranscriptError, read_text_file


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("chat", help="play scripted user turns against the model, print the replies")
    parser.add_argument("--persona", help="persona name or TOML file (default: the bundled persona)")
    parser.add_argument("--model", help="GGUF model file (default: the bundled model)")
    parser.add_argument("--engine", choices=("llama", "ct2"), default=None, help="inference engine (default: llama)")
    parser.add_argument("--script", required=True, help="text file, one user turn per line ('-' for stdin)")
    parser.add_argument("--turns", type=int, help="play this many turns, cycling through the script")
    parser.add_argument("--seed", type=int, default=None, help="seed of the first reply (turn k uses seed+k; default 0)")
    parser.add_argument("--max-tokens", type=int, default=None, help="reply length limit (default 120)")
    parser.add_argument("--temperature", type=float, default=None, help="default 0.8")
    parser.add_argument("--n-ctx", type=int, default=None, help="context window in tokens (default 2048)")
    parser.add_argument("--threads", type=int)
    parser.add_argument("--quiet", action="store_true", help="print only the replies")
    parser.add_argument(
        "--record",
        nargs="?",
        const="",
        metavar="FILE",
        help="record the chat as a session (FILE must not exist; no FILE: a new file in the sessions directory)",
    )
    parser.add_argument(
        "--session",
        metavar="FILE",
        help="continue a recorded session (same persona, model and settings) and append to it",
    )
    parser.set_defaults(run=run)


DEFAULTS = {"engine": "llama", "seed": 0, "max_tokens": 120, "temperature": 0.8, "n_ctx": 2048}


def read_script(ref: str) -> list[str]:
    """User turns from a text file: one per line; blank lines and '#' comments skipped."""
    text = read_text_file(ref, "script")
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
    plan = None
    if args.session is not None:
        from drifttui.session import resume_session

        if args.persona is not None:
            raise TranscriptError("--persona cannot be combined with --session: the session fixes the persona")
        plan = resume_session(args.session, model=args.model)
        _settings_from_session(args, plan)
    for key, value in DEFAULTS.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    options = {"n_ctx": args.n_ctx}
    if args.threads:
        options["threads"] = args.threads
    if plan is not None:
        persona = plan.persona
        engine = open_engine(plan.model_path, engine=args.engine, **options)
        conv = plan.conversation
    else:
        persona = resolve_persona(args.persona)
        engine = open_engine(args.model, engine=args.engine, **options)
        conv = Conversation(persona)
    recorder = _recorder(args, plan, conv, engine, SamplingParams(max_tokens=args.max_tokens, temperature=args.temperature, seed=args.seed))
    out = sys.stdout
    if not args.quiet:
        print(f"# {persona.name} on {engine.info.model_name} ({engine.info.engine}, n_ctx {engine.info.n_ctx})", file=out)
        if conv.turns and plan is None:
            print(f"{persona.name}: {conv.turns[0].text}\n", file=out)
    n = args.turns or len(script)
    pending = [(script[k % len(script)], True) for k in range(n)]
    if conv.turns and conv.turns[-1].role == "user":  # resumed after a crash mid-reply: answer that turn first
        pending.insert(0, (conv.turns[-1].text, False))
    trims_seen = len(conv.trims)
    for user, new_turn in pending:
        if new_turn:
            conv.add_user(user)
            if recorder is not None:
                recorder.sync()
        k = sum(1 for t in conv.turns if t.role == "user") - 1
        params = SamplingParams(max_tokens=args.max_tokens, temperature=args.temperature, seed=args.seed + k)
        messages = conv.context(engine.count_tokens, engine.info.n_ctx, reserve=args.max_tokens + 8)
        if len(conv.trims) > trims_seen and not args.quiet:
            trim = conv.trims[-1]
            print(f"[context trimmed before turn {trim.at_turn}: oldest turns dropped, window now starts at turn {trim.first_kept}]", file=out)
        trims_seen = len(conv.trims)
        if recorder is not None:
            recorder.sync()
        generation = engine.stream(messages, params)
        if args.quiet:
            reply = generation.result()
        else:
            print(f"[{k + 1}] You: {user}", file=out)
            print(f"[{k + 1}] {persona.name}: ", end="", file=out, flush=True)
            for piece in generation:
                out.write(piece)
                out.flush()
            reply = generation.reply
        conv.add_assistant(Swipe.from_reply(reply, params))
        if recorder is not None:
            recorder.sync()  # on disk before the reply is reported complete
        if args.quiet:
            print(reply.text, file=out, flush=True)
        else:
            print(f"\n    ({reply.n_tokens} tok, {reply.tokens_per_second:.0f} tok/s, prompt {reply.prompt_evaluated}/{reply.prompt_tokens} evaluated)\n", file=out)
    if recorder is not None:
        recorder.close()
    engine.close()
    return 0


def _settings_from_session(args: argparse.Namespace, plan) -> None:  # type: ignore[no-untyped-def]
    """Fill unset options from the session header (engine, n_ctx, sampling)."""
    if args.engine is None:
        args.engine = plan.engine
    if args.n_ctx is None:
        args.n_ctx = plan.engine_options.get("n_ctx")
    sampling = plan.sampling
    if args.temperature is None:
        args.temperature = sampling.temperature
    if args.max_tokens is None:
        args.max_tokens = sampling.max_tokens
    if args.seed is None and sampling.seed is not None:
        args.seed = sampling.seed


def _recorder(args: argparse.Namespace, plan, conv, engine, sampling):  # type: ignore[no-untyped-def]
    """The session recorder for ``--record`` / ``--session`` (``None`` when not recording)."""
    if args.record is None and plan is None:
        return None
    from drifttui.session import make_header, start_session

    if args.record is None:  # --session alone: append to it
        recorder = plan.recorder(conv)
    else:
        extra = {}
        if plan is not None:
            extra["forked_from"] = {"path": str(plan.session.path), "id": plan.session.header.id}
        header = make_header(conv, model_path=engine.info.model_path, engine_info=engine.info, sampling=sampling, extra=extra)
        recorder = start_session(conv, header, path=args.record or None)
    if not args.quiet:
        print(f"drifttui: recording to {recorder.path}", file=sys.stderr)
    return recorder
