"""sha256 of model files, remembered per (path, size, mtime).

Hashing a multi-gigabyte GGUF takes seconds to minutes, and two places need it
again and again: a session header records the model's hash on every recording
and resume, and the CTranslate2 conversion of a GGUF is cached under its hash.
Both ask :func:`model_sha256`. Known hashes live in ``<cache dir>/model-sha256.json``
(and in memory), keyed by the resolved path; an entry is used only while the
file's size and modification time are unchanged, and entries for files that no
longer exist are dropped when the cache is written.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path

import orjson

from drifttui.paths import cache_dir

CACHE_NAME = "model-sha256.json"

_KNOWN: dict[tuple[str, int, int], str] = {}
_LOCK = threading.Lock()


def _cache_file() -> Path:
    return cache_dir() / CACHE_NAME


def _read_cache() -> dict[str, dict[str, object]]:
    try:
        data = orjson.loads(_cache_file().read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_cache(data: dict[str, dict[str, object]]) -> None:
    target = _cache_file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".model-sha256-", dir=target.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(orjson.dumps(data, option=orjson.OPT_INDENT_2))
        os.replace(tmp, target)
    except OSError:
        pass  # a cache that cannot be written only costs time


def model_sha256(path: str | Path) -> str:
    """The file's sha256 (hex), from the cache when its size and mtime are unchanged.

    A directory (a converted CTranslate2 model) hashes as the sha256 of its
    files' relative paths and hashes, in sorted order.
    """
    resolved = Path(path).expanduser().resolve()
    if resolved.is_dir():
        digest = hashlib.sha256()
        for item in sorted(p for p in resolved.rglob("*") if p.is_file()):
            digest.update(f"{item.relative_to(resolved)}\0{file_sha256(item)}\n".encode())
        return digest.hexdigest()
    return file_sha256(resolved)


def file_sha256(path: str | Path) -> str:
    """One file's sha256 (hex), remembered in memory and in the cache file."""
    from drifttui.assets import sha256_file

    resolved = Path(path).expanduser().resolve()
    st = resolved.stat()
    key = str(resolved)
    with _LOCK:
        known = _KNOWN.get((key, st.st_size, st.st_mtime_ns))
    if known is not None:
        return known
    entry = _read_cache().get(key)
    if isinstance(entry, dict) and entry.get("size") == st.st_size and entry.get("mtime_ns") == st.st_mtime_ns:
        digest = entry.get("sha256")
        if isinstance(digest, str) and len(digest) == 64:
            with _LOCK:
                _KNOWN[(key, st.st_size, st.st_mtime_ns)] = digest
            return digest
    digest = sha256_file(resolved)
    with _LOCK:
        _KNOWN[(key, st.st_size, st.st_mtime_ns)] = digest
        cache = {k: v for k, v in _read_cache().items() if Path(k).exists()}  # another process may have added entries
        cache[key] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": digest}
        _write_cache(cache)
    return digest
