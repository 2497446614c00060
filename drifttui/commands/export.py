"""``drifttui export``: a recorded session as Markdown, a self-contained HTML report, or SillyTavern JSONL."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

FORMATS = ("md", "html", "st-jsonl")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("export", help="export a recorded session as md, html (report) or st-jsonl (SillyTavern)")
    parser.add_argument("file", metavar="FILE", help="session file (.jsonl)")
    parser.add_argument("--format", "-f", choices=FORMATS, required=True, help="output format")
    parser.add_argument("-o", "--output", metavar="OUT", help="write here instead of stdout (never the session file)")
    parser.add_argument(
        "--rescore",
        action="store_true",
        help="score swipes that have no recorded scores with the current scorer (loads the model)",
    )
    parser.add_argument("--model", help="the session's model file for --rescore, if it moved (sha256 must match)")
    parser.set_defaults(run=run)


def render(session, fmt: str) -> str:  # type: ignore[no-untyped-def]
    """The export text of ``session`` in format ``fmt``."""
    from drifttui.session.agreement import default_thresholds, session_agreement

    if fmt == "st-jsonl":
        from drifttui.session.export_st import to_st_jsonl

        return to_st_jsonl(session) + "\n"
    thresholds = default_thresholds()
    agreement = session_agreement(session, thresholds=thresholds)
    if fmt == "md":
        from drifttui.session.export_md import to_markdown

        return to_markdown(session, agreement, thresholds)
    from drifttui.session.export_html import to_html

    return to_html(session, agreement, thresholds)


def check_output(output: Path, source: Path) -> Path:
    """Refuse an output path that is the session file itself (or a link to it) or a directory."""
    from drifttui.errors import SessionError

    if output.is_dir():
        raise SessionError("the output is a directory; give a file name", path=output)
    same = output.resolve() == source.resolve()
    if not same and output.exists():
        try:
            same = os.path.samefile(output, source)
        except OSError:
            same = False
    if same:
        raise SessionError("refusing to overwrite the session file with its export; choose another -o", path=output)
    return output


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file next to ``path``, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def run(args: argparse.Namespace) -> int:
    from drifttui.session import load_session

    source = Path(args.file)
    output = check_output(Path(args.output), source) if args.output else None
    session = load_session(source)
    for warning in session.warnings:
        print(f"drifttui: warning: {warning}", file=sys.stderr)
    if args.rescore:
        from drifttui.session.rescore import rescore, with_scores
        from drifttui.session.scoring import open_scorer

        scorer, engine = open_scorer(session, model=args.model)
        try:
            replay = rescore(session, scorer, only_missing=True)
        finally:
            engine.close()
        session = with_scores(session, replay.scores())
    text = render(session, args.format)
    if output is None:
        sys.stdout.write(text)
    else:
        write_atomic(output, text)
        print(f"wrote {output}", file=sys.stderr)
    return 0
