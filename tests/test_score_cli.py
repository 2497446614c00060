"""``drifttui score``: the stable headless interface (JSON shape, table, errors naming the line)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drifttui.cli import main

DATA = Path(__file__).parent / "data"
PERSONA = str(DATA / "personas" / "mara.toml")

TRANSCRIPT = [
    {"role": "assistant", "content": "Mm. Come in, sit down."},
    {"role": "user", "content": "How old are you?"},
    {"role": "assistant", "content": "Thirty-four. Old enough to have opinions about floss."},
    {"role": "user", "content": "And where do you live?"},
    {"role": "assistant", "content": "I live in Sydney, right by the beach."},
    {"role": "user", "content": "What's the worst part of your job?"},
    {"role": "assistant", "content": "As an AI language model, I don't have a job. How can I assist you today?"},
]


def write(tmp_path, rows, name="t.jsonl") -> str:
    path = tmp_path / name
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def run_json(capsys, argv) -> dict:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.model
def test_json_on_the_real_model(tmp_path, capsys):
    out = run_json(capsys, ["score", "--persona", PERSONA, write(tmp_path, TRANSCRIPT), "--json"])
    turns = out["turns"]
    assert [t["turn"] for t in turns] == [0, 2, 4, 6]
    for t in turns:
        assert set(t) == {"turn", "local", "global", "factual", "evidence"}
        assert all(0.0 <= t[k] <= 1.0 for k in ("local", "global", "factual"))
        assert all({"score", "message"} <= set(e) for e in t["evidence"])
    assert turns[2]["factual"] >= 0.5 and turns[1]["factual"] == 0.0
    assert turns[3]["global"] >= 0.5 > turns[1]["global"]
    assert any("contradicts fact city=Lisbon" in e["message"] for e in turns[2]["evidence"])


def test_lexical_only_json_and_table(tmp_path, capsys):
    path = write(tmp_path, TRANSCRIPT)
    out = run_json(capsys, ["score", "--persona", PERSONA, path, "--json", "--no-model", "--no-embedder"])
    assert len(out["turns"]) == 4
    assert any("unavailable" in e["message"] for e in out["turns"][0]["evidence"])
    assert main(["score", "--persona", PERSONA, path, "--no-model", "--no-embedder"]) == 0
    table = capsys.readouterr().out
    assert table.splitlines()[0].split()[:4] == ["turn", "local", "global", "factual"]
    assert 'contradicts fact city=Lisbon' in table


def test_extra_keys_and_blank_lines_are_fine(tmp_path, capsys):
    rows = [dict(TRANSCRIPT[0], label="in-character"), "", TRANSCRIPT[1], dict(TRANSCRIPT[2], note="x")]
    out = run_json(capsys, ["score", "--persona", PERSONA, write(tmp_path, rows), "--json", "--no-model", "--no-embedder"])
    assert [t["turn"] for t in out["turns"]] == [0, 3]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "invalid JSON"),
        ('["user", "hi"]', "expected a JSON object"),
        ('{"role": "system", "content": "x"}', '"role" must be "user" or "assistant"'),
        ('{"content": "x"}', '"role" must be "user" or "assistant" (missing)'),
        ('{"role": "user", "content": 3}', '"content" must be a string'),
    ],
)
def test_bad_lines_are_named_and_exit_2(tmp_path, capsys, line, message):
    path = write(tmp_path, [TRANSCRIPT[0], TRANSCRIPT[1], line])
    assert main(["score", "--persona", PERSONA, path, "--json", "--no-model", "--no-embedder"]) == 2
    err = capsys.readouterr().err
    assert f"{path}:3: " in err and message in err
    assert "Traceback" not in err


def test_missing_transcript_file(tmp_path, capsys):
    assert main(["score", "--persona", PERSONA, str(tmp_path / "nope.jsonl"), "--no-model"]) == 2
    assert "transcript file not found" in capsys.readouterr().err


@pytest.mark.parametrize("persona", sorted(p.stem for p in (Path(__file__).parents[1] / "personas").glob("*.toml")))
def test_every_shipped_persona_scores(tmp_path, capsys, persona):
    out = run_json(capsys, ["score", "--persona", persona, write(tmp_path, TRANSCRIPT), "--json", "--no-model", "--no-embedder"])
    assert len(out["turns"]) == 4
