"""The example sessions in sessions/examples/: they load, replay and export."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from drifttui.assets import DEFAULT_CHAT_MODEL
from drifttui.cli import main
from drifttui.conversation import LABELS
from drifttui.session import load_session
from drifttui.session.agreement import session_agreement
from drifttui.session.rescore import rescore, with_scores
from drifttui.session.testing import FakeScorer

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "sessions" / "examples").glob("*.jsonl"))


def test_there_are_examples():
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_loads_cleanly(path):
    session = load_session(path)
    assert session.warnings == []
    assert session.header.model.sha256 == DEFAULT_CHAT_MODEL.files[DEFAULT_CHAT_MODEL.main]
    turns = session.assistant_turns()
    assert 8 <= sum(1 for i, _ in turns if i > 0) <= 12
    assert any(len(t.swipes) > 1 for _, t in turns[1:])
    labelled = [t for _, t in turns if t.label is not None]
    assert len(labelled) >= 6 and all(t.label in LABELS for t in labelled)
    assert all(t.note for t in labelled)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_replays_with_a_fake_scorer_and_exports(path, tmp_path, capsys):
    session = load_session(path)
    replay = rescore(session, FakeScorer())
    assert len(replay.rows) == sum(len(t.swipes) for i, t in session.assistant_turns() if i > 0)
    filled = with_scores(session, replay.scores())
    assert not session_agreement(filled).empty
    for fmt in ("md", "html", "st-jsonl"):
        out = tmp_path / f"x.{fmt}"
        assert main(["export", str(path), "--format", fmt, "-o", str(out)]) == 0
        assert out.stat().st_size > 1000
    st = [orjson.loads(line) for line in (tmp_path / "x.st-jsonl").read_text().splitlines()]
    assert len(st) == len(session.conversation.turns) + 1
    capsys.readouterr()


@pytest.mark.model
@pytest.mark.parametrize("path", sorted(EXAMPLES, key=lambda p: p.stat().st_size)[:1], ids=lambda p: p.stem)
def test_example_replays_with_the_real_scorer(path, capsys):
    pytest.importorskip("drifttui.drift", reason="needs the drift scorer")
    from drifttui import drift

    if not hasattr(drift, "DriftScorer"):
        pytest.skip("drifttui.drift.DriftScorer is not built yet")
    if not DEFAULT_CHAT_MODEL.is_present():
        pytest.skip("the default model is not fetched")
    assert main(["replay", str(path), "--json"]) == 0
    data = orjson.loads(capsys.readouterr().out)
    session = load_session(path)
    assert data["swipes"] == sum(len(t.swipes) for i, t in session.assistant_turns() if i > 0)
    assert all(set(r["current"]) == {"local", "global", "factual"} for r in data["rows"])
    assert data["agreement"]["current"]["n"] >= 6
