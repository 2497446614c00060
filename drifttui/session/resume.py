"""Continuing a recorded session: same persona, same model (checked), same settings.

:func:`resume_session` is the headless half of ``drifttui --session FILE``
and ``drifttui chat --session FILE``: it loads the file, finds the model the
session was recorded with and verifies its sha256, and returns everything
needed to carry on. It writes nothing; :meth:`ResumePlan.recorder` opens the
file for appending once the caller is ready.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from drifttui.conversation import Conversation
from drifttui.errors import SessionError
from drifttui.session.reader import Session, load_session
from drifttui.session.recorder import Recorder, continue_session
from drifttui.filehash import model_sha256


@dataclass
class ResumePlan:
    """A loaded session plus the verified model and the settings to continue it with.

    Attributes:
        session: The loaded session (its ``warnings`` say whether a torn line was skipped).
        model_path: The model file, sha256-verified against the header.
        model_sha256: Its hash.
        engine: Engine name (``llama`` or ``ct2``).
        engine_options: Keyword options for :func:`~drifttui.engine.open_engine` (``n_ctx``).
        sampling: The session's base sampling parameters.
    """

    session: Session
    model_path: Path
    model_sha256: str
    engine: str
    engine_options: dict[str, Any]
    sampling: Any

    @property
    def conversation(self) -> Conversation:
        return self.session.conversation

    @property
    def persona(self) -> Any:
        return self.session.conversation.persona

    @property
    def user_turns(self) -> int:
        """User turns recorded so far (the headless chat seeds turn ``k`` with ``seed + k``)."""
        return sum(1 for t in self.conversation.turns if t.role == "user")

    def open_engine(self, **overrides: Any) -> Any:
        """Load the verified model with the recorded engine settings (``overrides`` win)."""
        from drifttui.engine import open_engine

        return open_engine(self.model_path, engine=self.engine, **{**self.engine_options, **overrides})

    def recorder(self, conversation: Conversation | None = None) -> Recorder:
        """Open the session file for appending (writes a ``resume`` event)."""
        return continue_session(self.session, conversation, model_sha256=self.model_sha256)


def resolve_model(session: Session, model: str | Path | None = None) -> tuple[Path, str]:
    """The model file to continue ``session`` with, and its (verified) sha256.

    Tries ``model`` when given; otherwise the recorded path, then the bundled
    default model if the recorded hash is the bundled model's pinned hash
    (sessions shared between machines).

    Raises:
        SessionError: the file is missing or its sha256 differs from the recorded one
            (the message gives both hashes).
    """
    ref = session.header.model
    where = {"path": session.path, "line": 1}
    if model is not None:
        candidate = Path(model).expanduser()
        if not candidate.exists():
            raise SessionError(f"model file {candidate} not found", **where)
    else:
        candidate = Path(ref.path).expanduser()
        if not candidate.exists():
            bundled = _bundled_with_hash(ref.sha256)
            if bundled is None:
                raise SessionError(
                    f"the session's model file {ref.path} is not there",
                    hint=f"pass --model with the file whose sha256 is {ref.sha256}",
                    **where,
                )
            candidate = bundled
    actual = model_sha256(candidate)
    if actual != ref.sha256:
        raise SessionError(
            f"model hash mismatch: the session was recorded with sha256 {ref.sha256} ({ref.name or ref.path}), "
            f"but {candidate} has sha256 {actual}",
            hint="resume with the same model file (--model FILE)",
            **where,
        )
    return candidate.resolve(), actual


def _bundled_with_hash(sha256: str) -> Path | None:
    from drifttui.assets import ASSETS

    for asset in ASSETS.values():
        if asset.files.get(asset.main) == sha256 and asset.is_present():
            return asset.main_path
    return None


def sampling_from(data: dict[str, Any]) -> Any:
    """:class:`~drifttui.engine.SamplingParams` from a header's ``sampling`` dict (unknown keys ignored)."""
    from drifttui.engine import SamplingParams

    known = {f.name for f in fields(SamplingParams)}
    return SamplingParams(**{k: v for k, v in data.items() if k in known})


def resume_session(path: str | Path, *, model: str | Path | None = None) -> ResumePlan:
    """Load ``path`` and verify its model, ready to continue.

    Raises:
        SessionError: bad file (see :func:`load_session`), missing model, or hash mismatch.
    """
    session = load_session(path)
    model_path, digest = resolve_model(session, model)
    engine = session.header.engine
    options: dict[str, Any] = {}
    if isinstance(engine.get("n_ctx"), int):
        options["n_ctx"] = engine["n_ctx"]
    try:
        sampling = sampling_from(session.header.sampling)
    except TypeError as exc:
        raise SessionError(f"header: unusable sampling parameters ({exc})", path=session.path, line=1) from None
    return ResumePlan(
        session=session,
        model_path=model_path,
        model_sha256=digest,
        engine=str(engine.get("engine") or "llama"),
        engine_options=options,
        sampling=sampling,
    )
