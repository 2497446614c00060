"""``drifttui score``: drift scores of every assistant turn of a transcript, headless.

Stable interface (other tools call it)::

    drifttui score --persona PERSONA.toml TRANSCRIPT.jsonl [--json]

Each transcript line is ``{"role": "user" | "assistant", "content": "..."}``
(other keys are ignored; blank lines are skipped). With ``--json`` the output
is one JSON object ``{"turns": [{"turn", "local", "global", "factual",
"evidence"}, ...]}``, one entry per assistant line in order, ``turn`` being the
0-based line index. A bad line is an error naming it (exit status 2).
"""

from __future__ import annotations

import argparse
import sys

from drifttui.errors import TranscriptError, read_text_file


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "score",
        help="score persona drift (local, global, factual) of each assistant turn of a transcript",
        description="Score persona drift of every assistant line of a JSONL transcript.",
    )
    parser.add_argument("transcript", help='JSONL file, one {"role": "user"|"assistant", "content": "..."} per line (- for stdin)')
    parser.add_argument("--persona", help="persona name or TOML file (default: the bundled persona)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.add_argument("--model", help="GGUF model file (default: the bundled model)")
    parser.add_argument("--no-model", action="store_true", help="skip the model log-prob signals (lexical signals only; fast)")
    parser.add_argument("--no-embedder", action="store_true", help="skip the sentence embedder")
    parser.add_argument("--probe-every", type=int, default=0, metavar="K", help="also run the persona's probes every K turns (default: never)")
    parser.add_argument("--components", action="store_true", help="include the raw signal components in --json output")
    parser.add_argument("--n-ctx", type=int, default=2048, help="context window in tokens")
    parser.add_argument("--threads", type=int, help="CPU threads for the model")
    parser.set_defaults(run=run)


def read_transcript(ref: str) -> list[tuple[int, str, str]]:
    """``(line index, role, content)`` of each non-blank line; :class:`TranscriptError` on a bad line."""
    import orjson

    name = "<stdin>" if ref == "-" else ref
    text = read_text_file(ref, "transcript")
    rows: list[tuple[int, str, str]] = []
    for index, line in enumerate(text.splitlines()):
        if not line.strip():
            continue
        where = {"path": name, "line": index + 1}
        try:
            obj = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise TranscriptError(f"invalid JSON: {exc}".split(": line")[0], **where) from None
        if not isinstance(obj, dict):
            raise TranscriptError(f"expected a JSON object with role and content, got {type(obj).__name__}", **where)
        role, content = obj.get("role"), obj.get("content")
        if role not in ("user", "assistant"):
            got = "missing" if role is None else repr(role)
            raise TranscriptError(f'"role" must be "user" or "assistant" ({got})', **where)
        if not isinstance(content, str):
            got = "missing" if content is None else f"a {type(content).__name__}"
            raise TranscriptError(f'"content" must be a string ({got})', **where)
        rows.append((index, role, content))
    return rows


def run(args: argparse.Namespace) -> int:
    import orjson

    from drifttui.drift import DriftScorer, load_embedder
    from drifttui.engine import Message
    from drifttui.persona import resolve_persona

    rows = read_transcript(args.transcript)
    persona = resolve_persona(args.persona)
    engine = None
    if not args.no_model:
        from drifttui.drift.likelihood import DEFAULT_SLOTS
        from drifttui.engine import open_engine

        options: dict[str, object] = {"n_ctx": args.n_ctx}
        if args.threads:
            options["threads"] = args.threads
        if not args.probe_every:  # nothing generates: only the scorer's slots (the llama engine then opens its reading copy alone)
            options.update(slots=tuple(DEFAULT_SLOTS.values()), n_parallel=0)
        engine = open_engine(args.model, **options)
    embedder = None if args.no_embedder else load_embedder()
    scorer = DriftScorer(persona, engine=engine, embedder=embedder)
    turns = []
    history: list[Message] = []
    if not args.json and any(role == "assistant" for _, role, _ in rows):
        print(f"{'turn':>4}  {'local':>5}  {'global':>6}  {'factual':>7}  reply / evidence")
    try:
        for count, (index, role, content) in enumerate(rows):
            if role == "assistant":
                result = scorer.score(history, content, index)
                if args.probe_every and engine is not None and persona.probes and count and count % args.probe_every == 0:
                    probes = scorer.run_probes(history, engine)
                    result.evidence.extend(scorer.probe_evidence(probes, index))
                    result.components["probe.score"] = scorer.probe_score(probes)
                turns.append((result, content))
                if not args.json:
                    _print_row(result, content)
            history.append(Message(role, content))
    finally:
        if engine is not None:
            engine.close()
    if args.json:
        out = []
        for result, _ in turns:
            d = result.to_dict()
            if not args.components:
                d.pop("components")
            out.append(d)
        sys.stdout.buffer.write(orjson.dumps({"turns": out}) + b"\n")
        sys.stdout.flush()
    elif not turns:
        print("(no assistant lines)")
    return 0


def _print_row(result, content: str) -> None:
    text = " ".join(content.split())
    if len(text) > 70:
        text = text[:69] + "…"
    print(f"{result.turn:>4}  {result.local:5.2f}  {result.global_:6.2f}  {result.factual:7.2f}  {text}")
    for e in result.evidence:
        if e.score == "info":
            continue
        print(f"{'':>29}{e.message}")
    sys.stdout.flush()
