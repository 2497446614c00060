"""The bundled model's Q8_0 copy: made once, used only for the bundled model, the same model as shipped."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from drifttui.engine import Message
from drifttui.engine import _recode
from drifttui.engine._llama import LlamaEngine

REPLY = "Och, the harbour's been quiet all week. I mended nets and watched the gulls fight over scraps."
CONTEXT = [Message("system", "You are Mara, a 34-year-old fisherwoman from Tromsø."), Message("user", "How was your week?")]


@pytest.fixture(scope="module")
def copy(default_model_path, tmp_path_factory):
    """The re-encoded copy, made into a directory of this module's own."""
    target = tmp_path_factory.mktemp("recode") / "smol-q8_0.gguf"
    return _recode.recode(default_model_path, target)


def test_copy_is_q8_0_with_the_same_tensors(default_model_path, copy):
    gguf = pytest.importorskip("gguf")
    source = {t.name: (t.tensor_type.name, tuple(t.shape)) for t in gguf.GGUFReader(default_model_path).tensors}
    recoded = {t.name: (t.tensor_type.name, tuple(t.shape)) for t in gguf.GGUFReader(copy).tensors}
    assert recoded.keys() == source.keys()
    for name, (kind, shape) in recoded.items():
        assert shape == source[name][1], name
        if source[name][0] == "Q4_1":
            assert kind == "Q8_0", name
        else:  # norms stay float, the Q8_0 embedding stays as it is
            assert kind == source[name][0], name


def test_copy_computes_the_same_log_probs(default_model_path, copy):
    shipped = LlamaEngine(default_model_path, n_ctx=512, n_parallel=1, recode=False)
    recoded = LlamaEngine(copy, n_ctx=512, n_parallel=1)
    try:
        a = shipped.logprobs(CONTEXT, REPLY)
        b = recoded.logprobs(CONTEXT, REPLY)
    finally:
        shipped.close()
        recoded.close()
    assert a.tokens == b.tokens and len(a.tokens) > 15
    assert np.corrcoef(a.logprobs, b.logprobs)[0, 1] > 0.98
    # nats/token (the gap is in tenths): 0.01 on an AVX2 build of llama.cpp, 0.06 on an AVX-512 one, whose
    # Q4_1 kernel lands further from float32 compute on this reply (-0.11 vs -0.06; the Q8_0 copy -0.05 vs -0.07)
    assert abs(float(np.mean(a.logprobs) - np.mean(b.logprobs))) < 0.08


def test_bundled_model_loads_from_its_copy(default_model_path, copy, monkeypatch):
    monkeypatch.setattr(_recode, "recoded_path", lambda encoding=_recode.ENCODING: copy)
    monkeypatch.setenv(_recode.READ_ENV, "q8_0")  # one copy (the reading copy: tests/test_reading_copy.py)
    engine = LlamaEngine(default_model_path, n_ctx=256, n_parallel=1)
    try:
        assert engine.info.model_path == str(default_model_path)  # sessions name the shipped file
        assert engine.info.weights_path == str(copy)
    finally:
        engine.close()
    plain = LlamaEngine(default_model_path, n_ctx=256, n_parallel=1, recode=False)
    try:
        assert plain.info.weights_path == str(default_model_path)
    finally:
        plain.close()


def test_switch_off_and_other_models_run_as_given(default_model_path, tmp_path, monkeypatch):
    other = tmp_path / "mine.gguf"
    shutil.copyfile(default_model_path, other)  # the same bytes elsewhere: a model the user brings
    made = []
    monkeypatch.setattr(_recode, "recode", lambda source, target: made.append(source) or target)
    assert _recode.runtime_weights(other) == other
    monkeypatch.setenv(_recode.ENV_SWITCH, "0")
    assert _recode.runtime_weights(default_model_path) == default_model_path
    assert made == []


def test_missing_copy_is_made_once(default_model_path, tmp_path, monkeypatch):
    target = tmp_path / "converted" / "copy.gguf"
    monkeypatch.setattr(_recode, "recoded_path", lambda: target)
    made = []

    def fake_recode(source, dest):
        made.append(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(b"GGUF")
        return dest

    monkeypatch.setattr(_recode, "recode", fake_recode)
    lines: list[str] = []
    assert _recode.runtime_weights(default_model_path, log=lines.append) == target
    assert _recode.runtime_weights(default_model_path, log=lines.append) == target
    assert made == [default_model_path]
    assert len(lines) == 1 and "re-encoding the default model" in lines[0]


def test_failed_recoding_falls_back_to_the_shipped_file(default_model_path, tmp_path, monkeypatch):
    monkeypatch.setattr(_recode, "recoded_path", lambda: tmp_path / "copy.gguf")

    def broken(source, dest):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_recode, "recode", broken)
    lines: list[str] = []
    assert _recode.runtime_weights(default_model_path, log=lines.append) == default_model_path
    assert "loading it as shipped" in lines[-1] and "No space left" in lines[-1]


def test_recode_of_a_broken_file_leaves_nothing_behind(tmp_path):
    source = tmp_path / "broken.gguf"
    source.write_bytes(b"GGUF" + b"\0" * 64)
    target = tmp_path / "out" / "copy.gguf"
    with pytest.raises(RuntimeError, match="could not re-encode broken.gguf"):
        _recode.recode(source, target)
    assert list(target.parent.iterdir()) == []


def test_a_damaged_copy_is_dropped_and_the_shipped_file_loads(default_model_path, tmp_path, monkeypatch):
    damaged = tmp_path / "copy.gguf"
    damaged.write_bytes(b"GGUF" + b"\x03\x00\x00\x00" + b"\0" * 256)  # a GGUF header and nothing after it
    monkeypatch.setattr(_recode, "recoded_path", lambda encoding=_recode.ENCODING: damaged)
    monkeypatch.setenv(_recode.READ_ENV, "q8_0")
    engine = LlamaEngine(default_model_path, n_ctx=256, n_parallel=1)
    try:
        assert engine.info.weights_path == str(default_model_path)
        assert engine.logprobs(CONTEXT, "Aye.").tokens
    finally:
        engine.close()
    assert not damaged.exists()  # made again on the next load


def test_model_fetch_makes_the_copy_once(default_model_path, isolated_dirs, capsys, monkeypatch):
    monkeypatch.setenv(_recode.READ_ENV, "bf16")  # as on a CPU with AVX-512: a reading copy too
    from drifttui.assets import DEFAULT_CHAT_MODEL, EMBEDDER
    from drifttui.cli import main

    for asset in (DEFAULT_CHAT_MODEL, EMBEDDER):  # the files are "present" in the test's own cache: no download
        for name in asset.files:
            real = (default_model_path.parent.parent / asset.name / name).resolve()
            (asset.directory / name).parent.mkdir(parents=True, exist_ok=True)
            (asset.directory / name).symlink_to(real)
    assert not _recode.recoded_path().exists()
    assert main(["model", "fetch"]) == 0
    out = capsys.readouterr().out
    assert "re-encoding the default model for this CPU" in out and "re-encoding the default model for reading" in out
    assert _recode.recoded_path().is_file() and _recode.recoded_path("bf16").is_file()
    assert main(["model", "fetch"]) == 0
    assert "re-encoding" not in capsys.readouterr().out
    assert main(["model", "list"]) == 0
    out = capsys.readouterr().out
    assert f"runs from its Q8_0 copy {_recode.recoded_path()}" in out
    assert f"reads drift log-probs from its BF16 copy {_recode.recoded_path('bf16')}" in out
