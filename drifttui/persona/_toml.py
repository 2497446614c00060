"""TOML in and out: parsing with ``FILE:LINE:COL`` errors, and a small writer.

The writer covers what persona files hold (strings, numbers, booleans,
arrays, tables, arrays of tables); ``None`` has no TOML form and is rejected.
"""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from drifttui.errors import PersonaError

_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def loads(text: str, path: str | Path | None = None) -> dict[str, Any]:
    """Parse TOML ``text``; syntax errors become :class:`PersonaError` with line and column."""
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise PersonaError("TOML nested too deeply to read", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        reason = str(exc)
        line = col = None
        match = _POSITION.search(reason)
        if match:
            line, col = int(match.group(1)), int(match.group(2))
            reason = reason[: match.start()]
        elif reason.endswith("(at end of document)"):
            reason = reason[: -len("(at end of document)")].rstrip()
            lines = text.split("\n")
            line, col = len(lines), len(lines[-1]) + 1
        raise PersonaError(f"TOML syntax error: {reason}", path=path, line=line, col=col) from None


def read_text(path: Path, max_bytes: int) -> str:
    """A UTF-8 text file's content, with readable errors for the usual failures."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise PersonaError("is a directory, not a persona file", path=path)
        if size > max_bytes:
            raise PersonaError(f"file is {size:,} bytes; the limit for a persona file is {max_bytes:,}", path=path)
        data = path.read_bytes()
    except FileNotFoundError:
        raise PersonaError("persona file not found", path=path) from None
    except OSError as exc:
        raise PersonaError(f"cannot read the file: {exc.strerror}", path=path) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise PersonaError(f"not UTF-8 text (byte 0x{data[exc.start]:02x})", path=path, line=line, col=col) from None
    return text.removeprefix("\ufeff")


def dumps(data: dict[str, Any]) -> str:
    """TOML text for ``data``: plain values first, then tables, then arrays of tables.

    Raises:
        ValueError: A value has no TOML form (``None``, NaN keys, other objects).
    """
    out: list[str] = []
    _table(data, [], out)
    return "\n".join(out).strip("\n") + "\n"


def _table(data: dict[str, Any], prefix: list[str], out: list[str]) -> None:
    tables = {k: v for k, v in data.items() if isinstance(v, dict)}
    arrays = {k: v for k, v in data.items() if _is_table_array(v)}
    plain = {k: v for k, v in data.items() if k not in tables and k not in arrays}
    if prefix and (plain or not (tables or arrays)):
        out.append("")
        out.append(f"[{_dotted(prefix)}]")
    for key, value in plain.items():
        out.append(f"{_key(key)} = {_value(value, multiline=True)}")
    for key, value in tables.items():
        _table(value, [*prefix, key], out)
    for key, items in arrays.items():
        for item in items:
            out.append("")
            out.append(f"[[{_dotted([*prefix, key])}]]")
            for k, v in item.items():
                out.append(f"{_key(k)} = {_value(v, multiline=True)}")


def _is_table_array(value: Any) -> bool:
    """Arrays of flat tables are written as ``[[name]]``; anything nested stays inline."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) and not any(isinstance(x, (dict, list)) and _nested(x) for x in v.values()) for v in value)
    )


def _nested(value: Any) -> bool:
    if isinstance(value, dict):
        return True
    return isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value)


def _dotted(keys: list[str]) -> str:
    return ".".join(_key(k) for k in keys)


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _basic(key)


def _value(value: Any, *, multiline: bool = False) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return _multiline(value) if multiline and "\n" in value else _basic(value)
    if isinstance(value, (list, tuple)):
        items = [_value(v) for v in value]
        if multiline and sum(len(i) for i in items) > 60:
            return "[\n" + "".join(f"    {i},\n" for i in items) + "]"
        return "[" + ", ".join(items) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }" if value else "{}"
    raise ValueError(f"no TOML form for {type(value).__name__} value {value!r}")


def _escape_char(ch: str) -> str:
    return {"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}.get(ch, f"\\u{ord(ch):04x}")


def _control(ch: str) -> bool:
    return ch < " " or ch == "\x7f"


def _basic(text: str) -> str:
    if ('"' in text or "\\" in text) and "'" not in text and not any(_control(ch) for ch in text):
        return f"'{text}'"  # a literal string: no escapes needed, easier to read
    body = []
    for ch in text:
        if ch in '"\\':
            body.append("\\" + ch)
        elif _control(ch):
            body.append(_escape_char(ch))
        else:
            body.append(ch)
    return '"' + "".join(body) + '"'


def _multiline(text: str) -> str:
    body = []
    for i, ch in enumerate(text):
        if ch == "\\":
            body.append("\\\\")
        elif ch == '"' and (i + 1 == len(text) or text[i + 1] == '"'):
            body.append('\\"')  # never let quotes run into the closing """
        elif ch == "\n":
            body.append("\n")
        elif ch == "\t":
            body.append("\t")
        elif _control(ch):
            body.append(_escape_char(ch))
        else:
            body.append(ch)
    return '"""\n' + "".join(body) + '"""'
