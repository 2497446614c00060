"""sha256 of model files, cached per (path, size, mtime).

Hashing a multi-gigabyte GGUF takes seconds to minutes; a session header needs
the hash on every recording and resume. The cache lives in
``<cache dir>/model-sha256.json`` and is keyed by the resolved path; an entry
is used only while the file's size and modification time are unchanged.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import orjson

from drifttui.paths import cache_dir

CACHE_NAME = "model-sha256.json"


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
            digest.update(f"{item.relative_to(resolved)}\0{_file_sha256(item)}\n".encode())
        return digest.hexdigest()
    return _file_sha256(resolved)


def _file_sha256(resolved: Path) -> str:
    from drifttui.assets import sha256_file

    st = resolved.stat()
    key = str(resolved)
    cache = _read_cache()
    entry = cache.get(key)
    if isinstance(entry, dict) and entry.get("size") == st.st_size and entry.get("mtime_ns") == st.st_mtime_ns:
        digest = entry.get("sha256")
        if isinstance(digest, str) and len(digest) == 64:
            return digest
    digest = sha256_file(resolved)
    cache = _read_cache()  # another process may have added entries meanwhile
    cache[key] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": digest}
    _write_cache(cache)
    return digest
