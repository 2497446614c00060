"""Long chats past the context window, and the headless `drifttui chat` command."""

from __future__ import annotations

import subprocess
import sys

import pytest

from drifttui.cli import main
from drifttui.conversation import Conversation, Swipe
from drifttui.engine import Message, SamplingParams, open_engine
from drifttui.persona import default_persona

USER_TURNS = [
    "Hi, how was your day?",
    "What's your cat called?",
    "Tell me something about Lisbon.",
    "Do you like your job?",
    "What did you eat today?",
    "Any plans for the weekend?",
]


@pytest.mark.model
def test_300_turn_chat_keeps_the_persona_block_through_many_trims(default_model_path):
    engine = open_engine(default_model_path, n_ctx=512, n_parallel=1)
    conv = Conversation(default_persona())
    conv.pin("Your dentist practice is on Rua Augusta.")
    system = conv.system_message()
    system_tokens = engine.prompt_tokens([system])[:-8]  # without the generation prompt's tail
    evaluated = []
    for k in range(300):
        conv.add_user(USER_TURNS[k % len(USER_TURNS)])
        params = SamplingParams(max_tokens=12, seed=k)
        messages = conv.context(engine.count_tokens, engine.info.n_ctx, reserve=params.max_tokens + 8)
        assert messages[0] == system, f"turn {k}: the persona block must open every context"
        assert "Rua Augusta" in messages[0].content
        reply = engine.stream(messages, params).result()
        assert reply.prompt_tokens + reply.n_tokens <= engine.info.n_ctx
        evaluated.append(reply.prompt_evaluated)
        conv.add_assistant(Swipe.from_reply(reply, params))
        assert engine.slot_tokens("main")[: len(system_tokens)] == system_tokens
    engine.close()
    assert len(conv.turns) == 1 + 600  # greeting + 300 exchanges
    assert len(conv.trims) >= 5, "a 512-token window must be cut many times in 300 turns"
    starts = [t.first_kept for t in conv.trims]
    assert starts == sorted(starts) and all(conv.turns[s].role == "user" for s in starts)
    # between cuts only the new text is evaluated: most turns evaluate a small fraction of the window
    small = sum(1 for e in evaluated if e < 80)
    assert small > 250


def _script(tmp_path, lines=USER_TURNS):
    path = tmp_path / "turns.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.model
def test_chat_command_plays_a_script(tmp_path, capsys, default_model_path):
    code = main(["chat", "--script", str(_script(tmp_path)), "--turns", "3", "--seed", "4", "--max-tokens", "20"])
    out = capsys.readouterr().out
    assert code == 0
    assert "[1] You: Hi, how was your day?" in out
    assert "[3] You: Tell me something about Lisbon." in out
    assert "[4]" not in out
    assert out.count("tok/s") == 3


@pytest.mark.model
def test_chat_command_is_reproducible_with_a_seed(tmp_path, capsys):
    args = ["chat", "--script", str(_script(tmp_path)), "--turns", "2", "--seed", "9", "--max-tokens", "16", "--quiet"]
    assert main(args) == 0
    first = capsys.readouterr().out
    assert main(args) == 0
    assert capsys.readouterr().out == first


def test_unreadable_script_is_one_clear_line(tmp_path, capsys):
    missing = tmp_path / "nope.txt"
    assert main(["chat", "--script", str(missing)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"drifttui: error: {missing}: script file not found"
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    assert main(["chat", "--script", str(binary)]) == 2
    assert "not UTF-8 text" in capsys.readouterr().err
    empty = _script(tmp_path, ["# only a comment", ""])
    assert main(["chat", "--script", str(empty)]) == 2
    assert "no user turns" in capsys.readouterr().err


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda p: p / "missing.gguf", "model file not found"),
        (lambda p: p, "is a directory"),
        (lambda p: (p / "text.gguf").write_text("hello") and p / "text.gguf", "not a GGUF model file"),
    ],
)
def test_bad_model_paths_are_one_clear_line(tmp_path, capsys, make, expected):
    model = make(tmp_path)
    code = main(["chat", "--model", str(model), "--script", str(_script(tmp_path))])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len(err) == 1 and expected in err[0] and str(model) in err[0]


def test_corrupt_gguf_is_one_clear_line_without_traceback(tmp_path, default_model_path):
    """A GGUF cut short: a real subprocess, so nothing can hide a traceback or a crash."""
    broken = tmp_path / "cut.gguf"
    with open(default_model_path, "rb") as src:
        broken.write_bytes(src.read(3_000_000))
    proc = subprocess.run(
        [sys.executable, "-m", "drifttui", "chat", "--model", str(broken), "--script", str(_script(tmp_path))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr
    assert str(broken) in lines[0] and "could not load" in lines[0]


@pytest.mark.model
def test_model_without_chat_template_uses_the_fallback(tmp_path, default_model_path):
    """Strip the template from a copy of the model: the engine must fall back to ChatML and still chat."""
    gguf = pytest.importorskip("gguf")
    from gguf.scripts import gguf_new_metadata as gnm  # noqa: F401  (ships with the gguf package)

    out = tmp_path / "no-template.gguf"
    proc = subprocess.run(
        [sys.executable, "-m", "gguf.scripts.gguf_new_metadata", "--remove-metadata", "tokenizer.chat_template", "--force", str(default_model_path), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    reader = gguf.GGUFReader(str(out))
    assert "tokenizer.chat_template" not in reader.fields
    engine = open_engine(out, n_ctx=512, n_parallel=1)
    assert "fallback" in engine.info.chat_template
    reply = engine.stream([Message("user", "Say hello.")], SamplingParams(max_tokens=12, seed=1)).result()
    assert reply.n_tokens > 0
    assert "<|im_start|>" not in reply.text and "<|im_end|>" not in reply.text
    engine.close()


def test_sigill_crash_gets_the_rebuild_hint(monkeypatch):
    """If the first token kills the process with SIGILL, the user is told why and how to rebuild."""
    from drifttui.engine import _selfcheck
    from drifttui.errors import EngineError

    real_run = subprocess.run

    def run_that_dies(cmd, **kwargs):
        return real_run([sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGILL)"], **kwargs)

    monkeypatch.setattr(_selfcheck.subprocess, "run", run_that_dies)
    with pytest.raises(EngineError) as info:
        _selfcheck.run_check("model.gguf")
    message = str(info.value)
    assert "SIGILL" in message and "GGML_NATIVE=OFF" in message and "setup.sh" in message
