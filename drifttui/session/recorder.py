"""Recording a live :class:`~drifttui.conversation.Conversation`.

The app mutates its conversation as usual and calls :meth:`Recorder.sync`
after each completed event (message sent, reply finished, swipe added or
chosen, label set, scores arrived, context trimmed, fact pinned). ``sync``
compares the conversation with what the file already holds and appends
exactly the missing events, each fsynced. Nothing in the app has to know the
event vocabulary; the per-event :class:`~drifttui.session.writer.SessionWriter`
methods remain available for callers that prefer them.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from drifttui import __version__
from drifttui.conversation import Conversation, Turn
from drifttui.session.format import ModelRef, SessionHeader, persona_snapshot
from drifttui.filehash import model_sha256
from drifttui.session.paths import new_session_path
from drifttui.session.reader import Session
from drifttui.session.writer import SessionWriter


@dataclass
class _Seen:
    """What the file holds about one turn."""

    role: str
    texts: list[str]
    swipe_id: int
    label: str | None
    note: str
    scores: list[Any]

    @classmethod
    def of(cls, turn: Turn) -> _Seen:
        return cls(
            turn.role,
            [s.text for s in turn.swipes],
            turn.swipe_id,
            turn.label,
            turn.note,
            [copy.deepcopy(s.scores) for s in turn.swipes],
        )


def make_header(
    conversation: Conversation,
    *,
    model_path: str | Path,
    engine_info: Any = None,
    sampling: Any = None,
    user_name: str = "You",
    extra: dict[str, Any] | None = None,
) -> SessionHeader:
    """The header for recording ``conversation``.

    Args:
        conversation: The chat (its persona and variant are recorded).
        model_path: The model file; its sha256 is computed (or taken from the hash cache).
        engine_info: ``engine.info`` (:class:`~drifttui.engine.EngineInfo`), if an engine is open.
        sampling: The base :class:`~drifttui.engine.SamplingParams` (or their dict).
        user_name: How the user is called in exports.
        extra: More header keys (kept by readers as ``header.extra``).
    """
    path = Path(model_path).expanduser().resolve()
    engine: dict[str, Any] = {}
    name = path.stem
    if engine_info is not None:
        engine = {
            "engine": engine_info.engine,
            "n_ctx": engine_info.n_ctx,
            "chat_template": engine_info.chat_template,
            "threads": engine_info.threads,
        }
        if getattr(engine_info, "reading_weights", ""):  # the drift log-probs come from another copy of the model
            from drifttui.engine._recode import encoding_name

            engine["scores_read_from"] = encoding_name(Path(engine_info.reading_weights)).lower()
        name = engine_info.model_name or name
    if sampling is not None and not isinstance(sampling, dict):
        sampling = sampling.to_dict()
    return SessionHeader(
        persona=persona_snapshot(conversation.persona),
        model=ModelRef(path=str(path), sha256=model_sha256(path), name=name, size=path.stat().st_size),
        engine=engine,
        sampling=dict(sampling or {}),
        variant=conversation.variant,
        user_name=user_name,
        character_name=conversation.persona.name,
        app_version=__version__,
        extra=dict(extra or {}),
    )


class Recorder:
    """Keeps a session file in step with a conversation.

    Args:
        writer: An open writer positioned after what ``seen`` describes.
        conversation: The live chat.
        seen: The conversation state the file already holds (``None``: nothing yet).
    """

    def __init__(self, writer: SessionWriter, conversation: Conversation, seen: Conversation | None = None) -> None:
        self.writer = writer
        self.conversation = conversation
        self._seen: list[_Seen] = [_Seen.of(t) for t in seen.turns] if seen is not None else []
        self._trims = len(seen.trims) if seen is not None else 0
        self._pinned: list[str] = list(seen.pinned) if seen is not None else []
        self._lock = threading.Lock()

    @property
    def path(self) -> Path:
        return self.writer.path

    # ----------------------------------------------------------------- sync
    def sync(self) -> int:
        """Append whatever changed in the conversation since the last call; returns the event count.

        Call it after each *completed* event (not while a reply is still streaming into a swipe):
        a recorded swipe's text only changes again through an ``edit`` event. Thread-safe, but the
        conversation must not be mutated by another thread while it runs.
        """
        with self._lock:
            return self._sync()

    def _sync(self) -> int:
        before = self.writer.lines
        turns = self.conversation.turns
        common = 0
        for i, seen in enumerate(self._seen):
            if i >= len(turns) or turns[i].role != seen.role or len(turns[i].swipes) < len(seen.texts):
                break
            common = i + 1
        if common < len(self._seen):
            self.writer.truncate(common)
            del self._seen[common:]
        for i in range(common):
            self._sync_turn(i, turns[i], self._seen[i])
        self._sync_pins()
        for trim in self.conversation.trims[self._trims :]:
            self.writer.trim(trim)
        self._trims = len(self.conversation.trims)
        for i in range(len(self._seen), len(turns)):
            turn = turns[i]
            if turn.role == "user":
                self.writer.user(i, turn)
            else:
                self.writer.assistant(i, turn)
            if turn.label is not None or turn.note:
                self.writer.annotate(i, turn.label, turn.note, swipe_id=turn.swipe_id)
            self._seen.append(_Seen.of(turn))
        return self.writer.lines - before

    def _sync_turn(self, i: int, turn: Turn, seen: _Seen) -> None:
        for k, text in enumerate(seen.texts):
            if turn.swipes[k].text != text:
                self.writer.edit(i, k, turn.swipes[k].text)
                seen.texts[k] = turn.swipes[k].text
        for k in range(len(seen.texts), len(turn.swipes)):
            self.writer.swipe(i, k, turn.swipes[k], selected=k == turn.swipe_id)
            seen.texts.append(turn.swipes[k].text)
            seen.scores.append(copy.deepcopy(turn.swipes[k].scores))
            if k == turn.swipe_id:
                seen.swipe_id = k
        if turn.swipe_id != seen.swipe_id:
            self.writer.select(i, turn.swipe_id)
            seen.swipe_id = turn.swipe_id
        for k, swipe in enumerate(turn.swipes):
            if swipe.scores is not None and swipe.scores != seen.scores[k]:
                self.writer.scores(i, k, swipe.scores)
                seen.scores[k] = copy.deepcopy(swipe.scores)
        if (turn.label, turn.note) != (seen.label, seen.note):
            self.writer.annotate(i, turn.label, turn.note, swipe_id=turn.swipe_id)
            seen.label, seen.note = turn.label, turn.note

    def _sync_pins(self) -> None:
        current = list(self.conversation.pinned)
        for fact in self._pinned:
            if fact not in current:
                self.writer.unpin(fact)
        for fact in current:
            if fact not in self._pinned:
                self.writer.pin(fact)
        self._pinned = current

    # --------------------------------------------------------------- extras
    def probe(self, turn_index: int, results: Iterable[Any]) -> None:
        """Record probe results (they are not part of the conversation)."""
        with self._lock:
            self.writer.probe(turn_index, results)

    def close(self) -> None:
        self.writer.close()

    def __enter__(self) -> Recorder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def start_session(
    conversation: Conversation,
    header: SessionHeader,
    *,
    path: str | Path | None = None,
    directory: Path | None = None,
) -> Recorder:
    """Create a new session file for ``conversation`` and record its current state.

    Args:
        conversation: The chat; whatever it already holds (e.g. the greeting) is written at once.
        header: From :func:`make_header`.
        path: The file to create (it must not exist). ``None``: a fresh unique name in ``directory``.
        directory: Where auto-named sessions go (default :func:`~drifttui.session.paths.sessions_dir`).
    """
    target = Path(path) if path is not None else new_session_path(conversation.persona.name, directory)
    recorder = Recorder(SessionWriter(target, header), conversation)
    recorder.sync()
    return recorder


def continue_session(session: Session, conversation: Conversation | None = None, *, model_sha256: str | None = None) -> Recorder:
    """Append to a loaded session: a ``resume`` event, then whatever :meth:`Recorder.sync` finds.

    Args:
        session: From :func:`~drifttui.session.reader.load_session` (its file is reopened).
        conversation: The live chat continuing it (default: ``session.conversation``).
        model_sha256: The hash of the model the new process runs.
    """
    assert session.path is not None, "an in-memory session has no file to continue"
    writer = SessionWriter.reopen(
        session.path,
        session.header,
        lines=session.lines,
        torn=session.torn_line is not None,
        ends_with_newline=session.ends_with_newline,
        size=session.size,
    )
    writer.resume(app_version=__version__, model_sha256=model_sha256)
    return Recorder(writer, conversation or session.conversation, seen=session.conversation)
