"""The labelled drift set is well-formed: every transcript reads as `drifttui score` input, has its persona, valid labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drifttui.commands.score import read_transcript
from drifttui.persona import load_persona, resolve_persona

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


MODEL_WRITTEN = sorted((DATA / "labelled_model").glob("*/*.jsonl"))


@pytest.mark.parametrize("path", MODEL_WRITTEN, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_model_written_transcript_reads_and_both_annotators_labelled_it(path):
    rows = read_transcript(str(path))
    assert resolve_persona(path.stem).greeting == rows[0][2]  # a library persona; its greeting opens the chat
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) == len(lines) >= 20
    for line in lines:
        if line["role"] == "assistant":
            assert line["label"] in LABELS and line["label_b"] in LABELS
        else:
            assert "label" not in line and "label_b" not in line


@pytest.mark.model
def test_the_eval_script_reports_on_the_model_written_set(llama_engine, capsys):
    module = _eval_script()
    rows = module.score_transcripts(MODEL_WRITTEN[:1], resolve_persona, llama_engine, None, lambda _m: None)
    assert len(rows) == 15 and all(0.0 <= r[s] <= 1.0 for r in rows for s in ("local", "global", "factual"))
    assert all("label_b" in r and "model.gap" in r["components"] for r in rows[1:])
    module.report_model_written("batch1", rows, 0.5)
    out = capsys.readouterr().out
    assert "== model-written batch1: 14 replies by the model over 1 library personas" in out and "Cohen's kappa" in out


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
