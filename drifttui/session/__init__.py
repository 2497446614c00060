"""Recorded sessions: a crash-safe, append-only JSONL event log of a chat.

What the app calls:

- start recording: ``rec = start_session(conv, make_header(conv, model_path=..., engine_info=engine.info,
  sampling=params))``; then ``rec.sync()`` after every completed event and ``rec.probe(turn, results)``
  for probe answers; ``rec.close()`` at the end.
- continue one: ``plan = resume_session(path, model=None)`` (checks the model's sha256), then
  ``plan.conversation``, ``plan.open_engine()``, ``rec = plan.recorder()``.
- read one: ``load_session(path) -> Session`` (``.header``, ``.conversation``, ``.probes``, ``.warnings``).

The format is described in ``docs/session-format.md``.
"""

from drifttui.session.format import FORMAT, FORMAT_VERSION, ModelRef, SessionHeader
from drifttui.session.paths import new_session_path, safe_name, sessions_dir
from drifttui.session.reader import Session, load_session
from drifttui.session.rebuild import ProbeRecord
from drifttui.session.recorder import Recorder, continue_session, make_header, start_session
from drifttui.session.resume import ResumePlan, resolve_model, resume_session
from drifttui.session.writer import SessionWriter

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "ModelRef",
    "ProbeRecord",
    "Recorder",
    "ResumePlan",
    "Session",
    "SessionHeader",
    "SessionWriter",
    "continue_session",
    "load_session",
    "make_header",
    "new_session_path",
    "resolve_model",
    "resume_session",
    "safe_name",
    "sessions_dir",
    "start_session",
]
