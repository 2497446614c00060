"""Session files: writing, reading, exact rebuild, durability, torn lines, migrations."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import orjson
import pytest

from drifttui.conversation import Conversation, Swipe, Trim
from drifttui.errors import SessionError
from drifttui.persona import default_persona
from drifttui.session import (
    FORMAT_VERSION,
    SessionWriter,
    continue_session,
    load_session,
    make_header,
    start_session,
)
from drifttui.session import migrate
from drifttui.session.testing import FakeScorer, fake_model, sample_conversation


pytestmark = pytest.mark.usefixtures("isolated_dirs")


@pytest.fixture
def model(tmp_path) -> Path:
    return fake_model(tmp_path / "model.gguf")


def record(conv: Conversation, model: Path, path: Path):
    return start_session(conv, make_header(conv, model_path=model), path=path)


def lines(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]


def same_state(a: Conversation, b: Conversation) -> None:
    assert a.turns == b.turns
    assert a.trims == b.trims
    assert a.pinned == b.pinned
    assert a.context_start == b.context_start
    assert a.variant == b.variant
    assert a.persona == b.persona


def test_snapshot_round_trip(tmp_path, model):
    conv = sample_conversation()
    rec = record(conv, model, tmp_path / "s.jsonl")
    rec.close()
    session = load_session(tmp_path / "s.jsonl")
    same_state(session.conversation, conv)
    assert session.warnings == []
    assert session.header.model.sha256 and session.header.version == FORMAT_VERSION
    assert session.label_swipes == {2: 0, 4: 0, 6: 0}


def test_incremental_sync_rebuilds_exactly(tmp_path, model):
    """Events written one by one, as the app does, replay into the identical conversation."""
    scorer = FakeScorer()
    conv = Conversation(default_persona())
    rec = record(conv, model, tmp_path / "s.jsonl")
    steps = []

    def step(action):
        action()
        rec.sync()
        steps.append(copy.deepcopy(conv.turns))

    step(lambda: conv.add_user("hello"))
    step(lambda: conv.add_assistant(Swipe("first", seed=1)))
    step(lambda: conv.add_swipe(2, Swipe("second", seed=2)))
    step(lambda: conv.add_swipe(2, Swipe("third", seed=3), select=False))
    step(lambda: setattr(conv.turns[2].swipes[1], "scores", scorer.score([], "second", 2)))
    step(lambda: setattr(conv.turns[2].swipes[0], "scores", scorer.score([], "first", 2)))
    step(lambda: conv.select_swipe(2, 2))
    step(lambda: conv.annotate(2, "local", "odd"))
    step(lambda: conv.annotate(2, None))
    step(lambda: conv.annotate(2, "global", "really odd"))
    step(lambda: conv.pin("fact one"))
    step(lambda: conv.pin("fact two"))
    step(lambda: conv.pinned.remove("fact one"))
    step(lambda: conv.add_user("and then?"))
    step(lambda: (conv.trims.append(Trim(4, 3, 10)), setattr(conv, "context_start", 3)))
    step(lambda: conv.add_assistant(Swipe("more", seed=4)))
    step(lambda: setattr(conv.turns[4].swipes[0], "text", "more, edited"))
    step(lambda: conv.turns.pop())  # deleted the last reply
    step(lambda: conv.add_assistant(Swipe("regenerated", seed=5)))
    rec.close()
    session = load_session(tmp_path / "s.jsonl")
    same_state(session.conversation, conv)
    kinds = [e["type"] for e in lines(tmp_path / "s.jsonl")]
    assert kinds[0] == "header"
    for kind in ("user", "assistant", "swipe", "select", "score", "annotate", "pin", "unpin", "trim", "edit", "truncate"):
        assert kind in kinds, kind
    # a recorded label remembers which swipe it was about
    assert session.label_swipes == {2: 2}


def test_every_prefix_of_the_log_loads(tmp_path, model):
    """A crash after any complete line leaves a loadable file holding every earlier event."""
    conv = sample_conversation()
    record(conv, model, tmp_path / "s.jsonl").close()
    raw = (tmp_path / "s.jsonl").read_bytes().splitlines(keepends=True)
    for n in range(1, len(raw) + 1):
        prefix = tmp_path / f"p{n}.jsonl"
        prefix.write_bytes(b"".join(raw[:n]))
        session = load_session(prefix)
        assert session.warnings == []


def test_torn_last_line_is_skipped_with_a_warning(tmp_path, model):
    conv = sample_conversation()
    record(conv, model, tmp_path / "s.jsonl").close()
    raw = (tmp_path / "s.jsonl").read_bytes()
    body = raw.splitlines(keepends=True)
    complete = b"".join(body[:-1])
    last = body[-1]
    full = load_session(tmp_path / "s.jsonl").conversation
    expected = load_session(_write(tmp_path / "c.jsonl", complete)).conversation
    for cut in range(1, len(last) - 1):
        torn = _write(tmp_path / "t.jsonl", complete + last[:cut])
        session = load_session(torn)
        assert session.torn_line == len(body)
        assert len(session.warnings) == 1 and f":{len(body)}: incomplete last line" in session.warnings[0]
        assert session.conversation.turns == expected.turns
    assert len(full.turns) >= len(expected.turns)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_garbage_in_the_middle_is_an_error(tmp_path, model):
    conv = sample_conversation()
    record(conv, model, tmp_path / "s.jsonl").close()
    body = (tmp_path / "s.jsonl").read_bytes().splitlines(keepends=True)
    bad = _write(tmp_path / "b.jsonl", b"".join(body[:3]) + b'{"type": "us\n' + b"".join(body[3:]))
    with pytest.raises(SessionError) as err:
        load_session(bad)
    assert err.value.line == 4 and "not valid JSON" in err.value.message


def test_reopen_after_torn_line_marks_it_recovered(tmp_path, model):
    conv = sample_conversation()
    record(conv, model, tmp_path / "s.jsonl").close()
    path = tmp_path / "s.jsonl"
    n_lines = len(path.read_bytes().splitlines())
    with open(path, "ab") as handle:
        handle.write(b'{"type":"assistant","turn":7,"mes":"half a li')
    session = load_session(path)
    assert session.torn_line == n_lines + 1
    rec = continue_session(session)
    session.conversation.add_user("after the crash")
    rec.sync()
    rec.close()
    again = load_session(path)
    assert again.torn_line is None
    assert any("incomplete line left by a crash" in w for w in again.warnings)
    assert again.conversation.turns[-1].text == "after the crash"
    kinds = [e.get("type") for e in _json_lines(path)]
    assert kinds[-3:] == ["recover", "resume", "user"]


def _json_lines(path: Path) -> list[dict]:
    out = []
    for line in path.read_bytes().splitlines():
        try:
            out.append(orjson.loads(line))
        except orjson.JSONDecodeError:
            out.append({})
    return out


def test_each_event_is_fsynced(tmp_path, model, monkeypatch):
    calls = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append(fd), real(fd))[1])
    conv = Conversation(default_persona())
    rec = record(conv, model, tmp_path / "s.jsonl")
    start = len(calls)
    conv.add_user("one")
    rec.sync()
    assert len(calls) == start + 1
    conv.add_assistant(Swipe("two"))
    rec.sync()
    assert len(calls) == start + 2
    rec.close()


def test_writer_methods_and_file_is_append_only(tmp_path, model):
    conv = Conversation(default_persona())
    header = make_header(conv, model_path=model)
    path = tmp_path / "w.jsonl"
    with SessionWriter(path, header) as w:
        w.assistant(0, conv.turns[0])
        first = path.read_bytes()
        w.user(1, "hi")
        assert path.read_bytes().startswith(first)
        turn = conv.add_user("hi")
        conv.add_assistant(Swipe("hello"))
        w.assistant(2, conv.turns[2])
        w.swipe(2, 1, Swipe("hey"), selected=True)
        w.select(2, 0)
        w.scores(2, 1, FakeScorer().score([], "hey", 2))
        w.annotate(2, "other", "hm", swipe_id=0)
        w.probe(2, [{"question": "How old are you?", "answer": "34", "passed": True, "expect": ("34",)}])
        w.trim(Trim(2, 1, 5))
    assert turn.text == "hi"
    session = load_session(path)
    t = session.conversation.turns[2]
    assert [s.text for s in t.swipes] == ["hello", "hey"] and t.swipe_id == 0
    assert t.swipes[1].scores["turn"] == 2 and t.label == "other"
    assert session.probes[0].results[0]["expect"] == ["34"]
    assert session.conversation.context_start == 1


def test_existing_file_is_never_overwritten(tmp_path, model):
    path = tmp_path / "taken.jsonl"
    path.write_text("precious\n")
    conv = Conversation(default_persona())
    with pytest.raises(SessionError, match="exists already"):
        SessionWriter(path, make_header(conv, model_path=model))
    assert path.read_text() == "precious\n"


def test_second_writer_is_refused(tmp_path, model):
    conv = sample_conversation()
    rec = record(conv, model, tmp_path / "s.jsonl")
    session = load_session(tmp_path / "s.jsonl")
    with pytest.raises(SessionError, match="another drifttui process"):
        continue_session(session)
    rec.close()
    continue_session(load_session(tmp_path / "s.jsonl")).close()


def test_reopen_refuses_a_file_changed_since_loading(tmp_path, model):
    conv = sample_conversation()
    record(conv, model, tmp_path / "s.jsonl").close()
    session = load_session(tmp_path / "s.jsonl")
    with open(tmp_path / "s.jsonl", "ab") as handle:
        handle.write(b'{"type":"pin","fact":"x"}\n')
    with pytest.raises(SessionError, match="changed since it was loaded"):
        continue_session(session)


def test_unknown_label_is_kept_with_a_warning(tmp_path, model):
    conv = sample_conversation()
    path = tmp_path / "s.jsonl"
    record(conv, model, path).close()
    with open(path, "ab") as handle:
        handle.write(b'{"type":"annotate","turn":2,"label":"sarcastic","note":""}\n')
    session = load_session(path)
    assert session.conversation.turns[2].label == "sarcastic"
    assert "unknown label" in session.warnings[0]


def test_header_keeps_unknown_keys(tmp_path, model):
    conv = sample_conversation()
    header = make_header(conv, model_path=model, extra={"experiment": {"arm": "B"}})
    start_session(conv, header, path=tmp_path / "s.jsonl").close()
    assert load_session(tmp_path / "s.jsonl").header.extra == {"experiment": {"arm": "B"}}


def test_older_versions_are_upgraded_through_named_migrations(tmp_path, model, monkeypatch):
    """A (hypothetical) version-0 file is read through the migration chain, in memory."""
    conv = sample_conversation()
    path = tmp_path / "s.jsonl"
    record(conv, model, path).close()
    old = []
    for event in lines(path):
        if event["type"] == "header":
            event["version"] = 0
        elif event["type"] == "trim":
            event["dropped"] = event.pop("dropped_tokens")
        old.append(orjson.dumps(event))
    legacy = _write(tmp_path / "v0.jsonl", b"\n".join(old) + b"\n")
    with pytest.raises(SessionError, match="unknown session format version 0"):
        load_session(legacy)

    def m001_rename_dropped(event):
        if event.get("type") == "trim":
            event["dropped_tokens"] = event.pop("dropped")
        return event

    def header(data):
        return {**data, "version": 1}

    monkeypatch.setattr(migrate, "MIGRATIONS", [migrate.Migration("m001_rename_dropped", 0, header, m001_rename_dropped)])
    session = load_session(legacy)
    assert session.source_version == 0
    assert session.conversation.trims == conv.trims
    assert legacy.read_bytes() == b"\n".join(old) + b"\n"  # upgraded in memory only


def test_migration_registry_is_ordered():
    saved = list(migrate.MIGRATIONS)
    try:
        migrate.MIGRATIONS.clear()

        @migrate.migration(1)
        def m002_b(event):
            return event

        @migrate.migration(0)
        def m001_a(event):
            return event

        assert [m.name for m in migrate.chain(0, 2)] == ["m001_a", "m002_b"]
        with pytest.raises(LookupError):
            migrate.chain(0, 3)
    finally:
        migrate.MIGRATIONS[:] = saved


def test_header_says_which_copy_the_scores_were_read_from(tmp_path, model):
    from drifttui.engine import EngineInfo

    conv = Conversation(default_persona())
    info = EngineInfo("llama", str(model), "smol", 2048, "gguf", 2, weights_path="/c/x-q8_0.gguf")
    assert "scores_read_from" not in make_header(conv, model_path=model, engine_info=info).engine
    reading = EngineInfo("llama", str(model), "smol", 2048, "gguf", 2, weights_path="/c/x-q8_0.gguf", reading_weights="/c/x-bf16.gguf")
    header = make_header(conv, model_path=model, engine_info=reading)
    assert header.engine["scores_read_from"] == "bf16"
    path = tmp_path / "s.jsonl"
    start_session(conv, header, path=path).close()
    assert load_session(path).header.engine["scores_read_from"] == "bf16"
