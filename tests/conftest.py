"""Shared fixtures: the real default model, loaded once per test session."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("DRIFTTUI_STATE_DIR", os.path.join(os.environ.get("TMPDIR", "/tmp"), "drifttui-test-state"))


def _default_model():
    from drifttui.assets import DEFAULT_CHAT_MODEL

    if not DEFAULT_CHAT_MODEL.is_present():
        pytest.fail("the default model is not fetched: run scripts/setup.sh test (it runs `drifttui model fetch`)")
    return DEFAULT_CHAT_MODEL.main_path


@pytest.fixture
def isolated_dirs(tmp_path, monkeypatch):
    """Cache and sessions directories of the test's own (for tests that write sessions or fake models)."""
    monkeypatch.setenv("DRIFTTUI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("DRIFTTUI_SESSIONS_DIR", str(tmp_path / "sessions"))


@pytest.fixture(scope="session")
def default_model_path():
    return _default_model()


ENGINES = ["llama", "ct2"]


@pytest.fixture(scope="session", params=ENGINES)
def engine(request, default_model_path):
    """Each engine on the real default model (shared by the whole session: reset slots if you need a clean one)."""
    from drifttui.engine import open_engine

    eng = open_engine(default_model_path, engine=request.param, n_ctx=2048)
    yield eng
    eng.close()


@pytest.fixture(scope="session")
def llama_engine(default_model_path):
    from drifttui.engine import open_engine

    eng = open_engine(default_model_path, engine="llama", n_ctx=2048)
    yield eng
    eng.close()
