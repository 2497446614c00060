"""Session file names, the sessions directory, and the cached model hash."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest

from drifttui.errors import SessionError
from drifttui.session import make_header, new_session_path, safe_name, sessions_dir, start_session
from drifttui.filehash import CACHE_NAME, model_sha256
from drifttui.session.paths import slug
from drifttui.session.testing import fake_model, sample_conversation


pytestmark = pytest.mark.usefixtures("isolated_dirs")


def test_sessions_dir_override_and_checkout_default(tmp_path, monkeypatch):
    assert sessions_dir() == tmp_path / "sessions"
    monkeypatch.delenv("DRIFTTUI_SESSIONS_DIR")
    repo = Path(__file__).resolve().parents[1]
    assert sessions_dir() == repo / "sessions"


@pytest.mark.parametrize(
    "name", ["../evil", "../../etc/passwd", "/etc/passwd", "a/b", "a\\b", "..", ".", "", ".hidden", "x\0y"]
)
def test_names_cannot_escape(tmp_path, name):
    with pytest.raises(SessionError):
        safe_name(tmp_path, name)


def test_symlink_out_of_the_directory_is_refused(tmp_path):
    base = tmp_path / "sessions"
    base.mkdir()
    (base / "link.jsonl").symlink_to(tmp_path / "elsewhere.jsonl")
    with pytest.raises(SessionError, match="leave the sessions directory"):
        safe_name(base, "link.jsonl")
    assert safe_name(base, "fine") == (base / "fine.jsonl").resolve()


def test_auto_names_are_unique_and_inside(tmp_path):
    base = tmp_path / "sessions"
    paths = {new_session_path("../../Mara Silva/..", base, now=0) for _ in range(5)}
    assert len(paths) == 5
    for path in paths:
        assert path.parent == base.resolve()
        assert path.name.endswith(".jsonl") and ".." not in path.name and path.exists()
    assert slug("../../etc/passwd") == "etc-passwd"
    assert slug("☃") == "session"


def test_recording_into_the_default_directory(tmp_path):
    model = fake_model(tmp_path / "m.gguf")
    conv = sample_conversation()
    first = start_session(conv, make_header(conv, model_path=model))
    second = start_session(conv, make_header(conv, model_path=model))
    first.close(), second.close()
    assert first.path != second.path
    assert first.path.parent == second.path.parent == (tmp_path / "sessions").resolve()


def test_model_hash_is_cached_per_size_and_mtime(tmp_path, monkeypatch):
    model = fake_model(tmp_path / "m.gguf")
    import drifttui.assets as assets

    calls = []
    real = assets.sha256_file
    monkeypatch.setattr(assets, "sha256_file", lambda p, *a: (calls.append(p), real(p))[1])
    digest = model_sha256(model)
    assert model_sha256(model) == digest and len(calls) == 1
    cache = orjson.loads((tmp_path / "cache" / CACHE_NAME).read_bytes())
    assert cache[str(model.resolve())]["sha256"] == digest
    fake_model(model, b"changed!")
    st = model.stat()
    os.utime(model, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))
    changed = model_sha256(model)
    assert changed != digest and len(calls) == 2


def test_corrupt_hash_cache_is_ignored(tmp_path):
    model = fake_model(tmp_path / "m.gguf")
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / CACHE_NAME).write_text("{not json")
    assert len(model_sha256(model)) == 64


def test_one_hash_memo_serves_sessions_and_the_ct2_conversion_and_forgets_deleted_files(tmp_path, monkeypatch):
    """The session header's model hash and the CTranslate2 cache key are the same sha256, computed once."""
    from drifttui.engine._convert import gguf_digest

    model = fake_model(tmp_path / "one.gguf")
    gone = fake_model(tmp_path / "gone.gguf")
    import drifttui.assets as assets

    calls = []
    real = assets.sha256_file
    monkeypatch.setattr(assets, "sha256_file", lambda p, *a: (calls.append(p), real(p))[1])
    model_sha256(gone)
    gone.unlink()
    assert gguf_digest(model) == model_sha256(model) == real(model)
    assert len(calls) == 2  # gone.gguf and one.gguf, each once
    cache = orjson.loads((tmp_path / "cache" / CACHE_NAME).read_bytes())
    assert str(model.resolve()) in cache and str(gone.resolve()) not in cache


def test_paths_are_shown_from_the_home_directory():
    from drifttui.paths import shown

    assert shown(Path.home() / ".config" / "drifttui" / "keymap.toml") == "~/.config/drifttui/keymap.toml"
    assert shown(Path.home()) == "~"
    assert shown(Path("/etc/drifttui/keymap.toml")) == "/etc/drifttui/keymap.toml"
