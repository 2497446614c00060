"""Re-scoring recorded sessions: diffing, agreement metrics, the replay command."""

from __future__ import annotations

import math

import orjson
import pytest

from drifttui.cli import main
from drifttui.session import load_session, make_header, start_session
from drifttui.session import scoring
from drifttui.session.agreement import (
    LabelledScore,
    auroc,
    compute,
    kendall_tau_b,
    precision_recall,
    session_agreement,
)
from drifttui.session.rescore import rescore, with_scores
from drifttui.session.testing import FakeScorer, fake_model, sample_conversation


pytestmark = pytest.mark.usefixtures("isolated_dirs")


@pytest.fixture
def recorded(tmp_path):
    model = fake_model(tmp_path / "model.gguf")
    conv = sample_conversation()
    path = tmp_path / "s.jsonl"
    start_session(conv, make_header(conv, model_path=model), path=path).close()
    return path


# ------------------------------------------------------------------ metrics
def test_auroc_known_values():
    assert auroc([0.1, 0.4, 0.35, 0.8], [False, False, True, True]) == 0.75
    assert auroc([0.5, 0.5], [True, False]) == 0.5
    assert auroc([0.1, 0.2], [True, True]) is None


def test_kendall_tau_b_known_values():
    # scipy.stats.kendalltau documentation example
    assert math.isclose(kendall_tau_b([12, 2, 1, 12, 2], [1, 4, 7, 1, 0]), -0.47140452079103173)
    assert kendall_tau_b([1, 2, 3], [1, 2, 3]) == 1.0
    assert kendall_tau_b([1, 2, 3], [3, 2, 1]) == -1.0
    assert kendall_tau_b([1, 1, 1], [1, 2, 3]) is None


def test_precision_recall():
    pr = precision_recall([0.9, 0.6, 0.2, 0.7], [True, False, True, False], 0.5)
    assert (pr.tp, pr.fp, pr.fn) == (1, 2, 1)
    assert math.isclose(pr.precision, 1 / 3) and pr.recall == 0.5
    assert precision_recall([0.1], [True], 0.5).precision is None


def test_agreement_rows():
    items = [
        LabelledScore(2, 0, "in-character", {"local": 0.1, "global": 0.2, "factual": 0.0}),
        LabelledScore(4, 0, "factual", {"local": 0.3, "global": 0.4, "factual": 0.9}),
        LabelledScore(6, 0, "global", {"local": 0.2, "global": 0.8, "factual": 0.1}),
    ]
    report = compute(items, {"local": 0.5, "global": 0.5, "factual": 0.5})
    assert report.label_counts == {"in-character": 1, "factual": 1, "global": 1}
    glob = report.row("global", "any")
    assert glob.n == 3 and glob.positives == 2 and glob.auroc == 1.0 and glob.recall == 0.5
    fact = report.row("factual", "factual")
    assert fact.positives == 1 and fact.auroc == 1.0 and fact.precision == 1.0
    assert report.row("local", "local").auroc is None  # no positive label


# ------------------------------------------------------------------- diffing
def test_rescore_with_the_same_scorer_changes_nothing(recorded):
    session = load_session(recorded)
    replay = rescore(session, FakeScorer())
    assert replay.changed == []
    # turn 6 was recorded without scores; the greeting is never scored
    assert [(r.turn, r.swipe_id) for r in replay.unrecorded] == [(6, 0)]
    assert [(r.turn, r.swipe_id) for r in replay.rows] == [(2, 0), (2, 1), (2, 2), (4, 0), (6, 0)]


def test_rescore_reports_differences(recorded):
    session = load_session(recorded)
    scorer = FakeScorer(shift=0.2)
    replay = rescore(session, scorer)
    changed = {(r.turn, r.swipe_id) for r in replay.changed}
    assert changed == {(2, 0), (2, 1), (2, 2), (4, 0)}
    row = replay.rows[0]
    assert row.selected and row.label == "in-character"
    for name in ("local", "global", "factual"):
        expected = round(row.current[name] - row.recorded[name], 6)
        assert row.deltas[name] == expected
    # the scorer saw the history before each reply: the shown swipes of earlier turns
    assert scorer.calls[0][:2] == (2, 2)
    assert scorer.calls[3][:2] == (4, 4)


def test_with_scores_fills_missing_only(recorded):
    session = load_session(recorded)
    replay = rescore(session, FakeScorer(shift=0.3))
    filled = with_scores(session, replay.scores())
    assert filled.conversation.turns[6].swipe.scores is not None
    assert filled.conversation.turns[2].swipe.scores == session.conversation.turns[2].swipe.scores
    assert session.conversation.turns[6].swipe.scores is None  # the original is untouched
    agreement = session_agreement(filled)
    assert len(agreement.items) == 3


def test_replay_command_text_and_json(recorded, monkeypatch, capsys):
    closed = []

    class Engine:
        def close(self):
            closed.append(True)

    monkeypatch.setattr(scoring, "open_scorer", lambda session, **kw: (FakeScorer(shift=0.1), Engine()))
    assert main(["replay", str(recorded)]) == 0
    out = capsys.readouterr().out
    assert "re-scored 5 swipes: 4 differ from the recorded scores, 1 had no recorded scores" in out
    assert "agreement with your labels (current scores; 3 labelled turns" in out
    assert " !" in out and closed == [True]
    assert main(["replay", str(recorded), "--json"]) == 0
    data = orjson.loads(capsys.readouterr().out)
    assert data["changed"] == 4 and data["unrecorded"] == 1 and len(data["rows"]) == 5
    assert data["agreement"]["current"]["n"] == 3
    assert {r["score"] for r in data["agreement"]["current"]["rows"]} == {"local", "global", "factual"}


def test_replay_without_a_scorer_build_is_a_clear_error(recorded, monkeypatch, capsys):
    import builtins

    real_import = builtins.__import__

    def no_drift(name, *args, **kwargs):
        if name == "drifttui.drift" and args and args[2] and "DriftScorer" in args[2]:
            raise ImportError("no scorer")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_drift)
    assert main(["replay", str(recorded)]) == 1
    assert "drift scorer" in capsys.readouterr().err
