"""The labelled drift set is well-formed: every transcript reads as `drifttui score` input, has its persona, valid labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drifttui.commands.score import read_transcript
from drifttui.persona import load_persona

DATA = Path(__file__).parent / "data"
TRANSCRIPTS = sorted((DATA / "labelled").glob("*/*.jsonl"))
LABELS = {"in-character", "local", "global", "factual"}
HARD = {"paraphrase", "helping", "quiet"}


def _eval_script():
    import importlib.util

    spec = importlib.util.spec_from_file_location("eval_scorer", DATA.parents[1] / "scripts" / "eval_scorer.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_split_is_listed_by_the_eval_script():
    assert set(_eval_script().SPLITS) == {p.parent.name for p in TRANSCRIPTS}


@pytest.mark.model
def test_the_eval_script_scores_the_models_own_replies(llama_engine, capsys):
    """``--own-replies``: the model's own in-persona replies, scored, and the fire rates printed."""
    module = _eval_script()
    rows = module.score_own_replies(llama_engine, None, 2, lambda _m: None)
    assert [r["persona"] for r in rows] == [p for p in module.OWN_PERSONAS for _ in range(2)]
    assert all(r["text"].strip() and all(0.0 <= r[s] <= 1.0 for s in ("local", "global", "factual")) for r in rows)
    assert all("model.gap" in r["components"] for r in rows)  # the model signals were computed
    module.report_own(rows, 0.5)
    out = capsys.readouterr().out
    assert "the model's own replies: 6 over 3 library personas" in out and "local    fires on" in out


@pytest.mark.parametrize("path", TRANSCRIPTS, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_transcript_reads_and_is_labelled(path):
    rows = read_transcript(str(path))
    persona = load_persona(DATA / "personas" / f"{path.stem}.toml", warn=lambda _m: None)
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) == len(lines) >= 20
    assert lines[0]["role"] == "assistant" and persona.greeting  # the greeting opens the chat (an author may have extended it)
    for line in lines:
        if line["role"] == "assistant":
            assert line.get("label", "in-character") in LABELS
            assert line.get("hard") in HARD | {None}
        else:
            assert "label" not in line
    assert [r for _, r, _ in rows[1:3]] == ["user", "assistant"]
