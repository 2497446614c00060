"""``drifttui replay``: re-score a recorded session with the current scorer and show the differences."""

from __future__ import annotations

import argparse
import sys
from typing import Any

import orjson


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "replay",
        help="re-score every turn of a recorded session with the current scorer; show what changed",
    )
    parser.add_argument("file", metavar="FILE", help="session file (.jsonl)")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--model", help="the session's model file, if it moved (its sha256 must match)")
    parser.add_argument("--threads", type=int, help="CPU threads for the model")
    parser.add_argument(
        "--tolerance", type=float, default=1e-3, help="report a score as changed above this difference (default 0.001)"
    )
    parser.set_defaults(run=run)


def _cell(row: Any, name: str) -> str:
    new = row.current.get(name)
    now = f"{new:.2f}" if isinstance(new, (int, float)) else "–"
    if row.recorded is None:
        return f"   – → {now}  "
    old = row.recorded.get(name)
    before = f"{old:.2f}" if isinstance(old, (int, float)) else "–"
    delta = row.deltas.get(name)
    mark = " !" if delta is not None and abs(delta) > row.tolerance else "  "
    return f"{before:>4} → {now}{mark}"


def render_text(replay: Any, out: Any) -> None:
    from drifttui.session.agreement import fmt

    session = replay.session
    conv = session.conversation
    n_turns = sum(1 for t in conv.turns if t.role == "assistant")
    print(f"# {session.path}: {conv.persona.name}, {len(conv.turns)} turns ({n_turns} assistant)", file=out)
    changed, missing = len(replay.changed), len(replay.unrecorded)
    print(
        f"re-scored {len(replay.rows)} swipes: {changed} differ from the recorded scores"
        f"{f', {missing} had no recorded scores' if missing else ''}",
        file=out,
    )
    print("", file=out)
    print(f"{'turn':>4} {'swipe':>5}  {'label':<12}  {'local':^14}  {'global':^14}  {'factual':^14}", file=out)
    for row in replay.rows:
        swipe = f"{row.swipe_id + 1}{'*' if row.selected else ' '}"
        label = row.label or ""
        cells = "  ".join(_cell(row, name) for name in ("local", "global", "factual"))
        print(f"{row.turn:>4} {swipe:>5}  {label:<12}  {cells}", file=out)
    print("(* = the swipe shown; ! = changed; rec → now)", file=out)
    for title, agreement in (("recorded", replay.recorded_agreement), ("current", replay.current_agreement)):
        print("", file=out)
        if agreement.empty:
            print(f"agreement with your labels ({title} scores): no labelled turn has scores", file=out)
            continue
        counts = ", ".join(f"{k} {v}" for k, v in sorted(agreement.label_counts.items()))
        print(f"agreement with your labels ({title} scores; {len(agreement.items)} labelled turns: {counts})", file=out)
        print(f"  {'score':<8} {'truth':<16} {'n':>3} {'pos':>3} {'thr':>5} {'prec':>5} {'recall':>6} {'AUROC':>6} {'tau':>6}", file=out)
        for r in agreement.rows:
            truth = "any drift" if r.target == "any" else f"label={r.target}"
            print(
                f"  {r.score:<8} {truth:<16} {r.n:>3} {r.positives:>3} {r.threshold:>5.2f} {fmt(r.precision):>5} "
                f"{fmt(r.recall):>6} {fmt(r.auroc):>6} {fmt(r.kendall_tau):>6}",
                file=out,
            )


def _progress(done: int, total: int) -> None:
    sys.stderr.write(f"\rscoring swipe {done}/{total}" + ("\n" if done == total else ""))
    sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    from drifttui.session import load_session
    from drifttui.session.rescore import rescore
    from drifttui.session.scoring import open_scorer

    session = load_session(args.file)
    for warning in session.warnings:
        print(f"drifttui: warning: {warning}", file=sys.stderr)
    scorer, engine = open_scorer(session, model=args.model, threads=args.threads)
    try:
        replay = rescore(session, scorer, tolerance=args.tolerance, progress=_progress if sys.stderr.isatty() else None)
    finally:
        engine.close()
    if args.json:
        data = replay.to_dict()
        data["warnings"] = session.warnings
        sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SERIALIZE_NUMPY).decode() + "\n")
    else:
        render_text(replay, sys.stdout)
    return 0
