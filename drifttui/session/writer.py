"""Appending events to a session file, one fsynced line at a time.

Each event is serialised to one line and handed to the kernel in a single
``write(2)`` on an ``O_APPEND`` descriptor, then ``fsync``\\ ed before the
method returns: once ``writer.user(...)`` is back, that turn survives a
``kill -9`` or a power cut. The file is never rewritten, truncated or
replaced; while a writer is open it holds an exclusive ``flock`` so two
processes cannot interleave lines in one session.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import orjson

from drifttui.conversation import Swipe, Trim, Turn, now_iso
from drifttui.errors import SessionError
from drifttui.session.format import SessionHeader, swipe_info

_DUMP_OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS


def encode(obj: Mapping[str, Any]) -> bytes:
    """One JSONL line (with its newline)."""
    try:
        return orjson.dumps(obj, option=_DUMP_OPTIONS) + b"\n"
    except TypeError as exc:
        raise ValueError(f"cannot store this event as JSON: {exc}") from None


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _lock(fd: int, path: Path) -> None:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise SessionError("the session is being recorded by another drifttui process", path=path) from None


class SessionWriter:
    """Appends events to one session file.

    ``SessionWriter(path, header)`` starts a new session: ``path`` must not
    exist, or be the empty file :func:`~drifttui.session.paths.new_session_path`
    reserved. Use :meth:`reopen` to continue a recorded one.

    Every event method appends one line, fsyncs, and returns the event dict.

    Args:
        path: The session file.
        header: What line 1 records (persona snapshot, model + sha256, settings).
        model_name: The model's display name, copied into each swipe's ``swipe_info.extra.model``.
    """

    def __init__(self, path: str | Path, header: SessionHeader, *, model_name: str | None = None) -> None:
        self.path = Path(path)
        flags = os.O_WRONLY | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
        try:
            try:
                fd = os.open(self.path, flags | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                fd = os.open(self.path, flags)
                _lock(fd, self.path)
                if os.fstat(fd).st_size:
                    os.close(fd)
                    raise SessionError("a file with this name exists already; not overwriting it", path=self.path) from None
            else:
                _lock(fd, self.path)
        except IsADirectoryError:
            raise SessionError("is a directory, not a session file", path=self.path) from None
        except OSError as exc:
            raise SessionError(f"cannot create the session file: {exc.strerror}", path=self.path) from None
        self._fd: int | None = fd
        self.header = header
        self.model_name = model_name if model_name is not None else header.model.name
        self.api = str(header.engine.get("engine", ""))
        self.lines = 0
        self._append(header.to_dict())
        _fsync_dir(self.path.resolve().parent)

    @classmethod
    def reopen(
        cls,
        path: str | Path,
        header: SessionHeader,
        *,
        lines: int,
        torn: bool,
        ends_with_newline: bool,
        size: int | None = None,
    ) -> SessionWriter:
        """Continue appending to a recorded session (the caller loaded it first).

        A file whose last line was torn gets a newline and a ``recover`` event
        naming the skipped line, so later readers know that line is garbage
        and not a corruption in the middle of the file.

        Args:
            path: The session file.
            header: Its (migrated) header.
            lines: Lines in the file, a torn last line included.
            torn: The last line is a torn (incomplete) write.
            ends_with_newline: The file ends with ``\\n``.
            size: The file size the caller loaded; a different size means the file changed since.
        """
        self = cls.__new__(cls)
        self.path = Path(path)
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | getattr(os, "O_CLOEXEC", 0))
        except OSError as exc:
            raise SessionError(f"cannot append to the session: {exc.strerror}", path=self.path) from None
        _lock(fd, self.path)
        if size is not None and os.fstat(fd).st_size != size:
            os.close(fd)
            raise SessionError("the session file changed since it was loaded; load it again", path=self.path)
        self._fd = fd
        self.header = header
        self.model_name = header.model.name
        self.api = str(header.engine.get("engine", ""))
        self.lines = lines
        if not ends_with_newline:
            self._write(b"\n")
        if torn:
            self._append({"type": "recover", "at": now_iso(), "skipped_line": lines})
        return self

    # ------------------------------------------------------------ plumbing
    @property
    def closed(self) -> bool:
        return self._fd is None

    def _write(self, data: bytes) -> None:
        if self._fd is None:
            raise ValueError("the session writer is closed")
        view = memoryview(data)
        while view:
            written = os.write(self._fd, view)
            view = view[written:]
        os.fsync(self._fd)

    def _append(self, event: Mapping[str, Any]) -> dict[str, Any]:
        self._write(encode(event))
        self.lines += 1
        return dict(event)

    def event(self, kind: str, **fields: Any) -> dict[str, Any]:
        """Append an event of type ``kind`` (no checks: prefer the named methods)."""
        return self._append({"type": kind, "at": now_iso(), **fields})

    def close(self) -> None:
        """Release the file (every event is already on disk)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> SessionWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:  # pragma: no cover - safety net
        try:
            self.close()
        except Exception:
            pass

    def info(self, swipe: Swipe) -> dict[str, Any]:
        return swipe_info(swipe, model=self.model_name, api=self.api)

    # -------------------------------------------------------------- events
    def user(self, turn_index: int, text: str | Turn, *, name: str | None = None) -> dict[str, Any]:
        """A user message became turn ``turn_index``."""
        send_date = now_iso()
        if isinstance(text, Turn):
            send_date, text = text.swipe.created, text.text
        return self.event(
            "user",
            turn=turn_index,
            name=name or self.header.user_name,
            is_user=True,
            is_system=False,
            send_date=send_date,
            mes=text,
        )

    def assistant(self, turn_index: int, turn: Turn, *, name: str | None = None) -> dict[str, Any]:
        """Assistant turn ``turn_index`` appeared, with all its swipes so far (and their scores)."""
        return self.event(
            "assistant",
            turn=turn_index,
            name=name or self.header.character_name or str(self.header.persona.get("name", "")),
            is_user=False,
            is_system=False,
            send_date=turn.swipe.created,
            mes=turn.text,
            swipes=[s.text for s in turn.swipes],
            swipe_id=turn.swipe_id,
            swipe_info=[self.info(s) for s in turn.swipes],
        )

    def swipe(self, turn_index: int, swipe_id: int, swipe: Swipe, *, selected: bool = True) -> dict[str, Any]:
        """Swipe ``swipe_id`` (the next free index) was added to assistant turn ``turn_index``."""
        return self.event(
            "swipe", turn=turn_index, swipe_id=swipe_id, mes=swipe.text, swipe_info=self.info(swipe), selected=selected
        )

    def select(self, turn_index: int, swipe_id: int) -> dict[str, Any]:
        """The user switched turn ``turn_index`` to swipe ``swipe_id``."""
        return self.event("select", turn=turn_index, swipe_id=swipe_id)

    def edit(self, turn_index: int, swipe_id: int, text: str) -> dict[str, Any]:
        """The text of an existing swipe (or user message, ``swipe_id`` 0) was changed."""
        return self.event("edit", turn=turn_index, swipe_id=swipe_id, mes=text)

    def annotate(self, turn_index: int, label: str | None, note: str = "", *, swipe_id: int | None = None) -> dict[str, Any]:
        """The user labelled turn ``turn_index`` (``label=None`` clears); ``swipe_id`` = the swipe shown."""
        fields: dict[str, Any] = {"turn": turn_index, "label": label, "note": note}
        if swipe_id is not None:
            fields["swipe_id"] = swipe_id
        return self.event("annotate", **fields)

    def scores(self, turn_index: int, swipe_id: int, score: Mapping[str, Any], *, scorer: str | None = None) -> dict[str, Any]:
        """Drift scores (``TurnScore.to_dict()``) of one swipe arrived."""
        fields: dict[str, Any] = {"turn": turn_index, "swipe_id": swipe_id, "drift": dict(score)}
        if scorer is not None:
            fields["scorer"] = scorer
        return self.event("score", **fields)

    def probe(self, turn_index: int, results: Iterable[Any]) -> dict[str, Any]:
        """Probe results (``ProbeResult`` objects or dicts) asked after turn ``turn_index``."""
        return self.event("probe", turn=turn_index, results=[probe_dict(r) for r in results])

    def trim(self, trim: Trim) -> dict[str, Any]:
        """The context window was cut."""
        return self.event("trim", at_turn=trim.at_turn, first_kept=trim.first_kept, dropped_tokens=trim.dropped_tokens)

    def pin(self, fact: str) -> dict[str, Any]:
        return self.event("pin", fact=fact)

    def unpin(self, fact: str) -> dict[str, Any]:
        return self.event("unpin", fact=fact)

    def truncate(self, turns: int) -> dict[str, Any]:
        """Turns from index ``turns`` on were deleted."""
        return self.event("truncate", turns=turns)

    def resume(self, *, app_version: str, model_sha256: str | None) -> dict[str, Any]:
        """A process continued this session."""
        return self.event("resume", app_version=app_version, model_sha256=model_sha256)


def probe_dict(result: Any) -> dict[str, Any]:
    """A probe result as JSON data (dataclass, object with ``to_dict`` or mapping)."""
    import dataclasses

    if isinstance(result, Mapping):
        data = dict(result)
    elif callable(getattr(result, "to_dict", None)):
        data = result.to_dict()
    elif dataclasses.is_dataclass(result):
        data = dataclasses.asdict(result)
    else:
        raise TypeError(f"cannot record probe result {result!r}")
    if isinstance(data.get("expect"), tuple):
        data["expect"] = list(data["expect"])
    return data
