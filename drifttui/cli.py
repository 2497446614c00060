"""The ``drifttui`` command line.

Each subcommand lives in :mod:`drifttui.commands` as a module with
``register(subparsers)`` and ``run(args) -> int``. Plain ``drifttui`` starts
the TUI. Every :class:`~drifttui.errors.UserError` becomes one line on stderr
and exit status 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from drifttui import __version__
from drifttui.errors import DriftError, UserError

COMMANDS = ("chat", "score", "persona", "model", "doctor", "replay", "export", "lab")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="drifttui",
        description="Chat with a local model under a persona and watch it drift.",
    )
    parser.add_argument("--version", action="version", version=f"drifttui {__version__}")
    from drifttui.commands import app

    app.add_arguments(parser)
    parser.set_defaults(run=app.run)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"drifttui.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"drifttui.commands.{name}":
                continue  # not built yet
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except UserError as exc:
        print(f"drifttui: error: {exc}", file=sys.stderr)
        return 2
    except DriftError as exc:
        print(f"drifttui: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("drifttui: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `drifttui chat ... | head`
        sys.stderr.close()
        return 0
