"""``drifttui lab``: drift curves, instability and resistance of personas, measured headless.

Plays personas × conditioning variants × seeds against a scripted (or
simulated) user with a set share of emotional and meta-reflective turns,
scores every reply, draws N alternatives at sampled turns, asks a
log-likelihood personality questionnaire, and writes ``OUT/sessions/*.jsonl``,
``OUT/results.json`` and ``OUT/report.html``. See docs/lab.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from drifttui.errors import UserError


def _list(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def register(sub: argparse._SubParsersAction) -> None:
    from drifttui.lab.plan import DEFAULT_PERSONAS, USER_MODES, VARIANTS, LabConfig

    d = LabConfig()
    parser = sub.add_parser(
        "lab",
        help="measure persona drift curves, instability and resistance headless; write a report",
        description=(
            "Run personas × conditioning variants × seeds against a scripted user, score every reply, sample alternatives, "
            "ask a personality questionnaire by log-likelihood, and write session files, results.json and report.html."
        ),
    )
    parser.add_argument("--personas", type=_list, metavar="A,B,…", help=f"personas to test (default: {','.join(DEFAULT_PERSONAS)})")
    parser.add_argument("--variants", type=_list, metavar="V,…", help=f"conditioning variants (default: {','.join(VARIANTS)})")
    parser.add_argument("--seeds", type=int, metavar="N", help=f"conversations per persona × variant (default {d.seeds})")
    parser.add_argument("--turns", type=int, metavar="K", help=f"user turns per conversation (default {d.turns})")
    parser.add_argument("--emotional-share", type=float, metavar="F", help=f"share of emotional user turns (default {d.emotional_share})")
    parser.add_argument("--meta-share", type=float, metavar="F", help=f"share of meta-reflective user turns (default {d.meta_share})")
    parser.add_argument("--user", choices=USER_MODES, help="who writes the neutral user turns (default scripted)")
    parser.add_argument("--simulator", metavar="PERSONA", help=f"user-simulator persona for --user simulator (default {d.simulator})")
    parser.add_argument("--alternatives", type=int, metavar="N", help=f"alternatives drawn at sampled turns; 0 = off (default {d.alternatives})")
    parser.add_argument("--sample-every", type=int, metavar="K", help=f"draw alternatives every K turns (default {d.sample_every})")
    parser.add_argument("--engine", choices=("llama", "ct2"), help="inference engine (default llama)")
    parser.add_argument("--model", help="GGUF model file (default: the bundled model)")
    parser.add_argument("--threads", type=int, help="model threads (default: the cores the current load leaves free, at least 1)")
    parser.add_argument("--max-tokens", type=int, metavar="N", help=f"reply length limit (default {d.max_tokens})")
    parser.add_argument("--temperature", type=float, help=f"sampling temperature (default {d.temperature})")
    parser.add_argument("--items", type=int, metavar="N", help="questionnaire items per scale (default: all 4)")
    parser.add_argument("--questionnaire", choices=("statement", "choice"), help="how items are asked (default statement; see docs/lab.md)")
    parser.add_argument("--no-end-profiles", action="store_true", help="skip the questionnaire after each conversation")
    parser.add_argument("--out", metavar="DIR", help="output directory (default: lab-YYYYMMDD-HHMMSS); must not hold a run")
    parser.add_argument("--quick", action="store_true", help="a tiny run: 2 personas × 2 variants × 3 turns, N=3 (explicit options win)")
    parser.add_argument("--rebuild-report", metavar="DIR", help="only rebuild DIR/report.html (and the findings) from DIR/results.json")
    parser.add_argument("--quiet", action="store_true", help="no progress bar; print only where the report went")
    parser.set_defaults(run=run)


OPTIONS = {
    "personas": "personas",
    "variants": "variants",
    "seeds": "seeds",
    "turns": "turns",
    "emotional_share": "emotional_share",
    "meta_share": "meta_share",
    "user": "user",
    "simulator": "simulator",
    "alternatives": "alternatives",
    "sample_every": "sample_every",
    "engine": "engine",
    "model": "model",
    "threads": "threads",
    "max_tokens": "max_tokens",
    "temperature": "temperature",
    "items": "items_per_scale",
    "questionnaire": "questionnaire",
}


def config_from_args(args: argparse.Namespace):
    """The :class:`~drifttui.lab.LabConfig` for parsed options (``--quick`` first, explicit options over it)."""
    from drifttui.lab.plan import QUICK, LabConfig

    values: dict = dict(QUICK) if args.quick else {}
    values["quick"] = bool(args.quick)
    for option, field in OPTIONS.items():
        value = getattr(args, option, None)
        if value is not None:
            values[field] = value
    if args.no_end_profiles:
        values["end_profiles"] = False
    config = LabConfig(**values)
    config.validate()
    return config


def run(args: argparse.Namespace) -> int:
    from drifttui.lab import prepare_out, write_outputs
    from drifttui.lab.progress import Progress, duration
    from drifttui.lab.runner import LabRunner, check_personas
    from drifttui.lab.termchart import render

    if args.rebuild_report:
        from drifttui.lab import rebuild

        results = rebuild(args.rebuild_report)
        if not args.quiet:
            print(render(results))
        print(Path(args.rebuild_report) / "report.html")
        return 0
    config = config_from_args(args)
    out = Path(args.out) if args.out else Path(f"lab-{time.strftime('%Y%m%d-%H%M%S')}")
    if str(out).strip() == "":
        raise UserError("--out is empty")
    check_personas(config)
    out = prepare_out(out)
    progress = Progress(config.total_turns, quiet=args.quiet)
    if not args.quiet:
        print(
            f"drifttui lab: {len(config.personas)} personas × {len(config.variants)} variants × {config.seeds} seed(s) × "
            f"{config.turns} turns = {config.total_turns} turns → {out}",
            file=sys.stderr,
        )
    results = LabRunner(config, out, progress=progress).run()
    results_path, report_path = write_outputs(results, out)
    if not args.quiet:
        print(render(results))
        t = results["timing"]
        print(
            f"\n{t['turns']} turns in {duration(t['wall_seconds'])} ({t['turns_per_second']:.3f} turns/s). "
            f"Report: {report_path}  Results: {results_path}  Sessions: {out / 'sessions'}"
        )
    else:
        print(report_path)
    return 0
