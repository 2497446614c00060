"""The Textual TUI. ``run_app(args)`` is plain ``drifttui``."""

from __future__ import annotations

import argparse
import sys

from drifttui.tui.app import DriftApp

__all__ = ["DriftApp", "run_app"]


def run_app(args: argparse.Namespace) -> int:
    """Check the inputs and load the model (clear errors, exit 2), then run the app."""
    from drifttui.conversation import Conversation
    from drifttui.engine import open_engine
    from drifttui.persona import resolve_persona
    from drifttui.runtime import ChatRuntime, RuntimeOptions

    options = RuntimeOptions(
        model=args.model, engine=args.engine, threads=args.threads, score_while_streaming=getattr(args, "score_while_streaming", False)
    )
    recorder = None
    if args.session:
        from drifttui.session import resume_session

        plan = resume_session(args.session, model=args.model)
        print(f"drifttui: loading {plan.model_path.name} to continue {args.session}…", file=sys.stderr)
        engine = plan.open_engine(**options.engine_options(plan.engine))
        conversation = plan.conversation
        if plan.sampling is not None:
            options.params = plan.sampling
        recorder = plan.recorder()
    else:
        persona = resolve_persona(args.persona)
        print("drifttui: loading the model…", file=sys.stderr)
        engine = open_engine(args.model, engine=args.engine, n_ctx=options.n_ctx, **options.engine_options())
        conversation = Conversation(persona)

    def runtime_factory(conv: Conversation, recorder=None) -> ChatRuntime:
        return ChatRuntime(conv, options, engine_factory=lambda: engine, recorder=recorder)

    app = DriftApp(runtime_factory, conversation, recorder=recorder)
    try:
        app.run()
    finally:
        chat = app.chat
        if chat is not None:
            chat.runtime.close_recording()
        engine.close()
    return app.return_code or 0
