"""Crash safety with a real process and the real default model: kill -9 mid-generation, reload, resume."""

from __future__ import annotations

import html
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import orjson
import pytest

from drifttui.assets import DEFAULT_CHAT_MODEL
from drifttui.cli import main
from drifttui.session import load_session

pytestmark = pytest.mark.model

NAME = "Mara Silva"
SCRIPT = [
    "Hi, who are you?",
    "What do you do for work?",
    "Tell me about the city you live in.",
    "Do you have any pets?",
    "What did you do last weekend?",
    "What is the hardest part of your job?",
    "Where did you grow up?",
    "Do you like your patients?",
    "What do you do to relax?",
    "Tell me a secret.",
]


@pytest.fixture(autouse=True)
def _need_model(tmp_path, monkeypatch):
    if not DEFAULT_CHAT_MODEL.is_present():
        pytest.skip("the default model is not fetched (drifttui model fetch)")
    monkeypatch.setenv("DRIFTTUI_SESSIONS_DIR", str(tmp_path / "sessions"))


def drifttui(*args: str) -> list[str]:
    return [sys.executable, "-m", "drifttui", *args]


class Output:
    """Collects a child's stdout on a thread, so the test can watch it stream."""

    def __init__(self, stream) -> None:
        self.text = ""
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self._thread.start()

    def _pump(self, stream) -> None:
        while True:
            chunk = os.read(stream.fileno(), 4096)
            if not chunk:
                return
            with self._lock:
                self.text += chunk.decode("utf-8", "replace")

    def snapshot(self) -> str:
        with self._lock:
            return self.text

    def join(self) -> str:
        self._thread.join(timeout=30)
        return self.snapshot()


def completed_replies(text: str) -> list[str]:
    """Replies the chat printed as finished (their stats line follows)."""
    return [m.group(2).strip() for m in re.finditer(rf"\[(\d+)\] {NAME}: (.*?)\n    \(\d+ tok, ", text, re.S)]


def in_progress(text: str) -> tuple[int, str] | None:
    """(turn number, text so far) of a reply that is streaming right now."""
    prefixes = list(re.finditer(rf"\[(\d+)\] {NAME}: ", text))
    if not prefixes:
        return None
    last = prefixes[-1]
    rest = text[last.end() :]
    if "\n    (" in rest:
        return None
    return int(last.group(1)), rest


def events(path: Path) -> list[dict]:
    out = []
    for line in path.read_bytes().splitlines():
        try:
            out.append(orjson.loads(line))
        except orjson.JSONDecodeError:
            out.append({"type": "<torn>"})
    return out


def test_kill_9_mid_generation_then_reload_resume_export(tmp_path, capsys):
    script = tmp_path / "script.txt"
    script.write_text("\n".join(SCRIPT) + "\n")
    session_file = tmp_path / "killed.jsonl"
    proc = subprocess.Popen(
        drifttui(
            "chat", "--record", str(session_file), "--script", str(script), "--max-tokens", "100", "--threads", "2",
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    out = Output(proc.stdout)
    deadline = time.monotonic() + 600
    victim: tuple[int, str] | None = None
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            text = out.snapshot()
            state = in_progress(text)
            # at least two replies complete, the third (or later) streaming right now
            if state is not None and state[0] >= 3 and len(state[1].strip()) >= 3:
                os.kill(proc.pid, signal.SIGKILL)
                victim = state
                break
            time.sleep(0.01)
    finally:
        if proc.poll() is None and victim is None:
            proc.kill()
    assert proc.wait(timeout=60) == -signal.SIGKILL, proc.stderr.read().decode()[-2000:]
    assert victim is not None, "never caught the chat mid-generation"
    text = out.join()
    done = completed_replies(text)
    assert len(done) >= 2

    # reload: every completed turn is there, the in-progress user turn too, nothing else
    session = load_session(session_file)
    assert all("incomplete last line" in w for w in session.warnings)
    turns = session.conversation.turns
    assistant = [t.text for t in turns[1:] if t.role == "assistant"]
    users = [t.text for t in turns if t.role == "user"]
    assert turns[0].swipe.source == "greeting"
    assert assistant[: len(done)] == done
    assert len(assistant) in (len(done), len(done) + 1)  # +1: killed between fsync and the stats line
    assert users == SCRIPT[: victim[0]]
    assert turns[-1].role == "user" and turns[-1].text == SCRIPT[victim[0] - 1]

    # a torn write (what a crash inside a multi-page write or a power cut leaves) is detected and skipped
    last = session_file.read_bytes().splitlines()[-1]
    with open(session_file, "ab") as handle:
        handle.write(last[: len(last) // 2])
    torn = load_session(session_file)
    assert torn.torn_line == session.lines + 1
    assert any(f"{session_file}:{session.lines + 1}: incomplete last line" in w for w in torn.warnings)
    assert torn.conversation.turns == turns

    # resume headless: the interrupted turn is answered first, then the new script
    more = tmp_path / "more.txt"
    more.write_text("Are you still there?\nWhat is your cat called?\n")
    before = session_file.read_bytes()
    resumed = subprocess.run(
        drifttui("chat", "--session", str(session_file), "--script", str(more), "--max-tokens", "40", "--threads", "2"),
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"[{victim[0]}] You: {SCRIPT[victim[0] - 1]}" in resumed.stdout
    assert f"[{victim[0] + 2}] You: What is your cat called?" in resumed.stdout
    assert session_file.read_bytes().startswith(before)  # appended, never rewritten
    again = load_session(session_file)
    assert any("incomplete line left by a crash" in w for w in again.warnings)
    assert again.torn_line is None and len(again.resumes) == 1
    conv = again.conversation
    assert [t.role for t in conv.turns] == ["assistant"] + ["user", "assistant"] * (victim[0] + 2)
    assert conv.turns[: len(turns)] == turns
    kinds = [e["type"] for e in events(session_file)]
    assert kinds[kinds.index("<torn>") + 1 : kinds.index("<torn>") + 3] == ["recover", "resume"]
    seeds = [t.swipe.seed for t in conv.turns[1:] if t.role == "assistant"]
    assert seeds == list(range(len(seeds)))  # turn k keeps seed + k across the crash

    # round trip: load → resume → export
    for fmt in ("md", "html", "st-jsonl"):
        assert main(["export", str(session_file), "--format", fmt, "-o", str(tmp_path / f"export.{fmt}")]) == 0
    last_line = conv.turns[-1].text.splitlines()[0]
    assert last_line in (tmp_path / "export.md").read_text()
    assert html.escape(last_line) in (tmp_path / "export.html").read_text()
    st_lines = [orjson.loads(line) for line in (tmp_path / "export.st-jsonl").read_text().splitlines()]
    assert [m["mes"] for m in st_lines[1:]] == [t.text for t in conv.turns]
    capsys.readouterr()


def test_record_auto_name_and_fork(tmp_path):
    script = tmp_path / "one.txt"
    script.write_text("Hello there.\n")
    first = subprocess.run(
        drifttui("chat", "--record", "--script", str(script), "--max-tokens", "12", "--quiet"),
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )
    assert first.returncode == 0, first.stderr
    recorded = sorted((tmp_path / "sessions").glob("*.jsonl"))
    assert len(recorded) == 1 and "mara-silva" in recorded[0].name
    original = recorded[0].read_bytes()
    fork = tmp_path / "fork.jsonl"
    second = subprocess.run(
        drifttui("chat", "--session", str(recorded[0]), "--record", str(fork), "--script", str(script),
                 "--max-tokens", "12", "--quiet"),
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )
    assert second.returncode == 0, second.stderr
    assert recorded[0].read_bytes() == original  # the source session is untouched
    forked = load_session(fork)
    assert forked.header.extra["forked_from"]["id"] == load_session(recorded[0]).header.id
    assert [t.role for t in forked.conversation.turns] == ["assistant", "user", "assistant", "user", "assistant"]
    again = subprocess.run(
        drifttui("chat", "--record", str(fork), "--script", str(script), "--max-tokens", "4"),
        capture_output=True, text=True, timeout=600, cwd=tmp_path,
    )
    assert again.returncode == 2 and "exists already" in again.stderr
