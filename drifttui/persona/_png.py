"""Reading text chunks out of PNG files with the standard library only."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

from drifttui.errors import PersonaError

SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Chunk:
    """One PNG chunk: its 4-letter type, data, and byte offset in the file."""

    type: str
    data: bytes
    offset: int


def is_png(blob: bytes) -> bool:
    return blob.startswith(SIGNATURE)


def chunks(blob: bytes, path: str | Path | None = None) -> list[Chunk]:
    """Every chunk up to ``IEND``, with length and CRC checked.

    Raises:
        PersonaError: Not a PNG, truncated (a chunk runs past the end, or no ``IEND``), or a CRC mismatch.
    """
    if not is_png(blob):
        raise PersonaError("not a PNG file (bad signature)", path=path)
    out = []
    pos = len(SIGNATURE)
    while True:
        if pos + 8 > len(blob):
            raise PersonaError(f"truncated PNG: the file ends at byte {len(blob):,} before the IEND chunk", path=path)
        length, kind = struct.unpack(">I4s", blob[pos : pos + 8])
        name = kind.decode("latin-1")
        end = pos + 8 + length + 4
        if end > len(blob):
            raise PersonaError(
                f"truncated PNG: chunk {name!r} at byte {pos:,} needs {length + 12:,} bytes, the file ends at byte {len(blob):,}",
                path=path,
            )
        data = blob[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", blob[end - 4 : end])
        if zlib.crc32(kind + data) != crc:
            raise PersonaError(f"corrupt PNG: CRC mismatch in chunk {name!r} at byte {pos:,}", path=path)
        out.append(Chunk(name, data, pos))
        pos = end
        if name == "IEND":
            return out


def text_chunks(blob: bytes, path: str | Path | None = None) -> dict[str, str]:
    """``tEXt`` (Latin-1) and ``iTXt`` (UTF-8) chunks as keyword → text; the first of a keyword wins.

    Raises:
        PersonaError: As :func:`chunks`, or an ``iTXt`` chunk that cannot be decoded.
    """
    out: dict[str, str] = {}
    for chunk in chunks(blob, path):
        if chunk.type == "tEXt":
            keyword, _, text = chunk.data.partition(b"\0")
            out.setdefault(keyword.decode("latin-1"), text.decode("latin-1"))
        elif chunk.type == "iTXt":
            keyword, text = _itxt(chunk, path)
            out.setdefault(keyword, text)
    return out


def _itxt(chunk: Chunk, path: str | Path | None) -> tuple[str, str]:
    try:
        keyword, rest = chunk.data.split(b"\0", 1)
        compressed, _method = rest[0], rest[1]
        _lang, _translated, text = rest[2:].split(b"\0", 2)
        if compressed:
            text = zlib.decompress(text)
        return keyword.decode("latin-1"), text.decode("utf-8")
    except (ValueError, IndexError, zlib.error, UnicodeDecodeError) as exc:
        raise PersonaError(f"corrupt PNG: unreadable iTXt chunk at byte {chunk.offset:,} ({exc})", path=path) from None
