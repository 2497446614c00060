"""Bad session input: one clear line naming file and line, exit status 2, nothing overwritten."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from drifttui.cli import main
from drifttui.errors import SessionError
from drifttui.session import load_session, make_header, resume_session, start_session
from drifttui.conversation import Swipe
from drifttui.session.testing import FakeScorer, fake_model, sample_conversation


pytestmark = pytest.mark.usefixtures("isolated_dirs")


@pytest.fixture
def good(tmp_path) -> Path:
    model = fake_model(tmp_path / "model.gguf")
    conv = sample_conversation()
    path = tmp_path / "good.jsonl"
    rec = start_session(conv, make_header(conv, model_path=model), path=path)
    conv.add_swipe(6, Swipe("Tea, mostly. And teeth.", seed=9))
    rec.sync()
    conv.turns[6].swipes[1].scores = FakeScorer().score(conv.history(6), conv.turns[6].text, 6)
    rec.sync()
    rec.close()
    return path


def events(path: Path) -> list[dict]:
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def write_events(path: Path, items: list[dict]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(e) + b"\n" for e in items))
    return path


def mutate(good: Path, target: Path, index: int, **changes) -> Path:
    items = events(good)
    items[index].update(changes)
    return write_events(target, items)


def first(items: list[dict], kind: str) -> int:
    return next(i for i, e in enumerate(items) if e["type"] == kind)


def expect_error(path: Path, line: int | None, *fragments: str) -> SessionError:
    with pytest.raises(SessionError) as err:
        load_session(path)
    exc = err.value
    assert exc.path == str(path)
    assert exc.line == line
    text = str(exc)
    assert text.startswith(f"{path}:{line}: " if line else f"{path}: ")
    for fragment in fragments:
        assert fragment in text
    assert "\n" not in text
    return exc


def test_unknown_format_version(good, tmp_path):
    path = mutate(good, tmp_path / "v.jsonl", 0, version=99)
    expect_error(path, 1, "unknown session format version 99", "upgrade drifttui")
    path = mutate(good, tmp_path / "v.jsonl", 0, version=-1)
    expect_error(path, 1, "unknown session format version -1")


@pytest.mark.parametrize(
    ("kind", "changes", "fragment"),
    [
        ("header", {"version": "1"}, "'version' must be an integer, not a string"),
        ("header", {"persona": ["Mara"]}, "field 'persona' must be an object, not a list"),
        ("header", {"model": {"path": 3, "sha256": "x"}}, "field 'path' must be a string, not an integer"),
        ("user", {"turn": "1"}, "field 'turn' must be an integer, not a string"),
        ("user", {"mes": None}, "field 'mes' must be a string, not null"),
        ("user", {"turn": True}, "field 'turn' must be an integer, not true/false"),
        ("assistant", {"swipes": "hello"}, "field 'swipes' must be a list, not a string"),
        ("assistant", {"swipes": [1, 2]}, "swipes[0] must be a string"),
        ("assistant", {"swipe_id": 1.5}, "field 'swipe_id' must be an integer, not a number"),
        ("assistant", {"swipe_info": [{"drift": {"seed": "7"}}]}, "swipe_info"),
        ("swipe", {"selected": "yes"}, "field 'selected' must be true/false"),
        ("score", {"drift": [0.1, 0.2]}, "field 'drift' must be an object, not a list"),
        ("annotate", {"label": 3}, "field 'label' must be a string or null, not an integer"),
        ("trim", {"first_kept": "3"}, "field 'first_kept' must be an integer"),
        ("pin", {"fact": {"a": 1}}, "field 'fact' must be a string, not an object"),
    ],
)
def test_wrong_json_types(good, tmp_path, kind, changes, fragment):
    items = events(good)
    index = 0 if kind == "header" else first(items, kind)
    path = mutate(good, tmp_path / "t.jsonl", index, **changes)
    expect_error(path, index + 1, fragment)


def test_missing_fields(good, tmp_path):
    items = events(good)
    index = first(items, "user")
    del items[index]["mes"]
    expect_error(write_events(tmp_path / "m.jsonl", items), index + 1, "user event: missing field 'mes'")
    items = events(good)
    del items[0]["model"]
    expect_error(write_events(tmp_path / "m.jsonl", items), 1, "header: missing field 'model'")


def test_missing_header(good, tmp_path):
    items = events(good)[1:]
    expect_error(write_events(tmp_path / "h.jsonl", items), 1, "missing header", "event, not the session header")
    expect_error(write_events(tmp_path / "h.jsonl", [{"hello": 1}]), 1, "missing header")
    st = [{"user_name": "You", "character_name": "Mara", "create_date": "2025-01-01@10h00m00s", "chat_metadata": {}}]
    expect_error(write_events(tmp_path / "st.jsonl", st), 1, "SillyTavern chat, not a drifttui session")


def test_not_jsonl(tmp_path):
    binary = tmp_path / "model.bin"
    binary.write_bytes(b"GGUF\x00\x01\xff\xfe" * 20)
    expect_error(binary, 1, "not a drifttui session (JSONL): line 1 is not JSON")
    text = tmp_path / "notes.txt"
    text.write_text("just some notes\nmore\n")
    expect_error(text, 1, "line 1 is not JSON")
    array = tmp_path / "a.json"
    array.write_text('[{"type": "header"}]\n')
    expect_error(array, 1, "line 1 is a list, not a header object")
    empty = tmp_path / "e.jsonl"
    empty.write_text("\n\n")
    expect_error(empty, 1, "empty file")


def test_missing_file_and_directory(tmp_path):
    expect_error(tmp_path / "nope.jsonl", None, "session file not found")
    expect_error(tmp_path, None, "is a directory")


def test_events_that_contradict_the_chat(good, tmp_path):
    items = events(good)
    index = first(items, "user")
    expect_error(mutate(good, tmp_path / "c.jsonl", index, turn=5), index + 1, "turn 5", "expected turn 1")
    items = events(good)
    items.append({"type": "select", "turn": 2, "swipe_id": 9})
    expect_error(write_events(tmp_path / "c.jsonl", items), len(items), "swipe 9 of turn 2, which has 3 swipes")
    items = events(good)
    items.append({"type": "score", "turn": 1, "swipe_id": 0, "drift": {}})
    expect_error(write_events(tmp_path / "c.jsonl", items), len(items), "turn 1, which is a user turn")
    items = events(good)
    items.append({"type": "teleport", "turn": 1})
    expect_error(write_events(tmp_path / "c.jsonl", items), len(items), "unknown event type 'teleport'")
    items = events(good)
    items.append([1, 2, 3])
    expect_error(write_events(tmp_path / "c.jsonl", items), len(items), "must be a JSON object, not a list")
    items = events(good)
    items.append(dict(items[0]))
    expect_error(write_events(tmp_path / "c.jsonl", items), len(items), "second header")


def test_cli_reports_one_line_and_exit_2(good, tmp_path, capsys):
    bad = mutate(good, tmp_path / "bad.jsonl", 0, version=7)
    out = tmp_path / "out.md"
    out.write_text("keep me")
    before = bad.read_bytes()
    for argv in (
        ["export", str(bad), "--format", "md", "-o", str(out)],
        ["export", str(bad), "--format", "html"],
        ["replay", str(bad)],
        ["chat", "--session", str(bad), "--script", str(tmp_path / "none.txt")],
    ):
        if argv[0] == "chat":
            (tmp_path / "none.txt").write_text("hello\n")
        assert main(argv) == 2, argv
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1, err
        assert err[0].startswith(f"drifttui: error: {bad}:1: unknown session format version 7"), err
    assert out.read_text() == "keep me"
    assert bad.read_bytes() == before


def test_resume_with_a_different_model_is_refused(good, tmp_path, capsys):
    header_hash = events(good)[0]["model"]["sha256"]
    other = fake_model(tmp_path / "other.gguf", b"different weights")
    with pytest.raises(SessionError) as err:
        resume_session(good, model=other)
    message = str(err.value)
    assert "model hash mismatch" in message and header_hash in message
    assert err.value.line == 1 and err.value.path == str(good)
    # the recorded file itself changed since recording
    fake_model(tmp_path / "model.gguf", b"retrained weights")
    before = good.read_bytes()
    script = tmp_path / "more.txt"
    script.write_text("hello again\n")
    assert main(["chat", "--session", str(good), "--script", str(script)]) == 2
    err_text = capsys.readouterr().err
    assert "model hash mismatch" in err_text and header_hash in err_text
    assert good.read_bytes() == before


def test_resume_with_a_missing_model_names_the_hash(good, tmp_path):
    (tmp_path / "model.gguf").unlink()
    with pytest.raises(SessionError, match="is not there") as err:
        resume_session(good)
    assert events(good)[0]["model"]["sha256"] in str(err.value)


def test_persona_snapshot_that_is_not_a_persona(good, tmp_path):
    path = mutate(good, tmp_path / "p.jsonl", 0, persona={"role": "dentist"})
    expect_error(path, 1, "persona snapshot is not usable")
