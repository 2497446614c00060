"""``drifttui lab --quick`` on the real default model: the whole lab end to end.

2 personas × 2 variants × 3 turns, N = 3 alternatives at turn 3, a short
questionnaire. Assertions are about what was written and whether it makes
sense, never about wall-clock time.
"""

from __future__ import annotations

import json

import pytest

from drifttui.cli import main
from drifttui.lab.questionnaire import SCALES
from drifttui.session import load_session

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory, default_model_path):
    out = tmp_path_factory.mktemp("lab") / "quick"
    return out, main(["lab", "--quick", "--out", str(out)])


def test_quick_lab_runs_and_writes_everything(quick_run):
    out, rc = quick_run
    assert rc == 0
    assert (out / "report.html").is_file() and (out / "results.json").is_file()
    r = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert r["config"]["quick"] is True
    assert r["timing"]["turns"] == 12 and len(r["records"]) == 12
    assert r["timing"]["turns_per_second"] > 0 and r["timing"]["tokens_generated"] > 0
    assert r["engine"]["engine"] == "llama" and r["model"]["name"]
    for rec in r["records"]:
        scores = rec["scores"]
        assert {"global", "local", "factual"} <= set(scores) <= {"global", "local", "factual", "gap"}
        assert all(0.0 <= scores[k] <= 1.0 for k in ("global", "local", "factual"))
        assert -10.0 < scores.get("gap", 0.0) < 10.0  # the history-free persona gap, nats/token
    assert sum("gap" in rec["scores"] for rec in r["records"]) >= 10  # missing only for an empty reply
    assert set(r["curves"]) == {"personality", "role+personality"}
    assert [p["turn"] for p in r["curves"]["personality"]["global"]] == [1, 2, 3]


def test_quick_lab_sessions_are_ordinary_sessions(quick_run):
    out, _ = quick_run
    files = sorted((out / "sessions").glob("*.jsonl"))
    assert [f.name for f in files] == [
        "mara-silva.personality.s0.jsonl",
        "mara-silva.role-personality.s0.jsonl",
        "viktor-hale.personality.s0.jsonl",
        "viktor-hale.role-personality.s0.jsonl",
    ]
    for f in files:
        s = load_session(f)
        assert not s.warnings
        turns = s.conversation.turns
        assert [t.role for t in turns] == ["user", "assistant"] * 3
        assert all(t.swipe.scores is not None for t in turns if t.role == "assistant")
        assert len(turns[5].swipes) == 3  # the N alternatives of the sampled turn
        assert s.header.model.sha256 and s.header.extra["lab"]["sampled_turns"] == [3]
    assert main(["replay", str(files[0]), "--json"]) == 0


def test_quick_lab_measures_instability_and_resistance(quick_run):
    out, _ = quick_run
    r = json.loads((out / "results.json").read_text(encoding="utf-8"))
    overall = r["instability"]["overall"]
    assert overall["n"] == 4 and overall["ratio"] > 0
    assert 0 < overall["within"]["mean"] <= 2 and 0 < overall["between"]["mean"] <= 2
    assert r["instability"]["method"] in ("embedding cosine", "word edit distance (no embedder)")
    default = r["resistance"]["default"]
    assert set(default["scores"]) == set(SCALES) and len(default["mbti"]) == 4
    assert all(0 < v < 1 for v in default["scores"].values())
    comparisons = r["resistance"]["comparisons"]
    assert len(comparisons) == 8  # 2 personas × 2 variants, at the start and after the chat
    assert all(c["moved"] is not None and c["aim"] is not None for c in comparisons)
    assert set(r["assistant_pull"]) == {"personality", "role+personality"}
    assert r["headline"]["scores"]["global"]["diff"]["n"] == 2


def test_quick_lab_report_and_terminal_state_the_findings(quick_run):
    out, _ = quick_run
    r = json.loads((out / "results.json").read_text(encoding="utf-8"))
    text = "\n".join(r["findings"])
    assert "role + personality" in text and "Dispersion ratio" in text and "turns/s" in text
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="curve-global"' in html and 'id="findings"' in html and "<script" not in html.lower()
