"""The exception hierarchy.

Every error a user can cause with bad input (a broken persona file, card,
session, transcript or model path) is a :class:`UserError`: the command line
prints it as one line and exits with status 2, never a traceback.
"""

from __future__ import annotations

import sys
from pathlib import Path


class DriftError(Exception):
    """Base class of every error drifttui raises on purpose."""


class UserError(DriftError):
    """Bad input from the user, reported as ``FILE:LINE:COL: problem``.

    Args:
        message: What is wrong, in plain words.
        path: The file the problem is in, if any.
        line: 1-based line number inside ``path``, if known.
        col: 1-based column number inside ``line``, if known.
        hint: One more sentence on how to fix it, if there is one.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        col: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.path = None if path is None else str(path)
        self.line = line
        self.col = col
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = self.path
            if self.line is not None:
                where += f":{self.line}"
                if self.col is not None:
                    where += f":{self.col}"
            where += ": "
        text = f"{where}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class ModelError(UserError):
    """A model file that is missing, unreadable or not usable."""


class PersonaError(UserError):
    """A persona file or character card that cannot be used."""


class SessionError(UserError):
    """A session file that cannot be read or resumed."""


class TranscriptError(UserError):
    """A transcript or script file that cannot be read."""


def read_text_file(ref: str, what: str) -> str:
    """The text of a UTF-8 file named on the command line (``-`` = stdin); :class:`TranscriptError` naming it otherwise."""
    if ref == "-":
        return sys.stdin.read()
    path = Path(ref)
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TranscriptError(f"{what} file not found", path=path) from None
    except IsADirectoryError:
        raise TranscriptError(f"is a directory, not a {what} file", path=path) from None
    except UnicodeDecodeError as exc:
        raise TranscriptError(f"not UTF-8 text (byte {exc.start})", path=path) from None
    except OSError as exc:
        raise TranscriptError(f"cannot read the {what}: {exc.strerror}", path=path) from None


class AssetMissing(UserError):
    """A bundled model file has not been fetched into the cache yet."""


class EngineError(DriftError):
    """The inference engine failed at run time."""
