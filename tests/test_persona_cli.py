"""``drifttui persona list|show|validate|import``: output, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from drifttui.cli import main
from drifttui.persona import VARIANTS, Persona, load_persona, resolve_persona
from tests.test_cards import b64, make_png, v2_card

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted((ROOT / "personas").glob("*.toml"))


@pytest.fixture(autouse=True)
def _isolated_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from an empty directory with no $DRIFTTUI_PERSONAS: the library is the repo's plus the package's."""
    monkeypatch.delenv("DRIFTTUI_PERSONAS", raising=False)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["persona", *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------ list/show
def test_list_shows_every_shipped_persona(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "list")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["NAME", "KIND", "FACTS", "PROBES", "SUMMARY"]
    names = [line.split()[0] for line in lines[1:]]
    assert names == sorted(p.stem for p in SHIPPED)
    mara = next(line for line in lines if line.startswith("mara-silva "))
    assert "[default]" in mara and "character" in mara
    assert any(line.startswith("daniel-okafor") and "user-simulator" in line for line in lines)


def test_list_marks_an_invalid_file_and_keeps_going(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    write(mine / "broken.toml", 'role = "x"\n')
    monkeypatch.setenv("DRIFTTUI_PERSONAS", str(mine))
    code, out, _ = run(capsys, "list", "--paths")
    assert code == 0
    assert "broken" in out and "INVALID: missing required field 'name'" in out
    assert str(ROOT / "personas" / "bramble.toml") in out


def test_show_describes_the_persona(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "mara-silva")
    assert code == 0
    assert out.startswith("Mara Silva  (")
    for text in ("role: dentist", "age: 34", "How old are you?  → 34 | thirty-four", "[fact: age]", "target: INTJ", "conditioning (full variant): role, personality"):
        assert text in out


def test_show_prompt_prints_every_variant(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "mara-silva", "--prompt")
    assert code == 0
    persona = resolve_persona("mara-silva")
    for variant in VARIANTS:
        assert f"=== {variant} (parts: " in out
    for variant in ("full", "role+personality", "personality", "role"):
        assert persona.system_prompt(variant) in out
    assert "(no system message: the model's own default system prompt applies)" in out


@pytest.mark.parametrize("variant", ["full", "role+personality", "personality", "role"])
def test_show_one_variant_prints_exactly_its_prompt(capsys: pytest.CaptureFixture[str], variant: str) -> None:
    code, out, _ = run(capsys, "show", "viktor-hale", "--variant", variant)
    assert code == 0
    assert out == resolve_persona("viktor-hale").system_prompt(variant) + "\n"


def test_show_variant_none_prints_nothing_and_says_why(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "show", "mara-silva", "--variant", "none")
    assert (code, out) == (0, "")
    assert "no system message" in err


def test_show_json_is_the_snapshot_form(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "bramble", "--json")
    assert code == 0
    assert Persona.from_dict(json.loads(out)) == resolve_persona("bramble")


def test_show_a_path_and_an_unknown_name(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path / "solo.toml", 'name = "Solo"\nrole = "hermit"\n')
    code, out, _ = run(capsys, "show", str(path), "--variant", "role")
    assert code == 0 and out.startswith("You are Solo.\nYour role: hermit.")
    code, out, err = run(capsys, "show", "nobody")
    assert code == 2 and out == ""
    assert err.startswith("drifttui: error: no persona named 'nobody' in the library (known: bramble, ")
    assert err.count("\n") == 1


# ------------------------------------------------------------------ validate
def test_validate_the_whole_library(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate")
    assert code == 0, err
    assert err == ""
    for path in SHIPPED:
        assert f"ok: {path}: " in out
    assert "drifttui/data/personas/mara-silva.toml: Mara Silva" in out


BAD_FILES = {
    "syntax.toml": ('name = "X"\nrole = dentist\n', ":2:8: TOML syntax error: Invalid value"),
    "noname.toml": ('role = "x"\n', ": missing required field 'name'"),
    "types.toml": ('name = "X"\n[facts]\nage = [1]\n', ":3: field 'facts.age' must be a string (one short value), got an array"),
    "emptyprobes.toml": ('name = "X"\nprobes = []\n', ":2: field 'probes' is empty"),
    "emptyexpect.toml": ('name = "X"\n[[probes]]\nquestion = "Q?"\nexpect = []\n', ":4: field 'probes[0].expect' is empty"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_validate_bad_file_exits_2_with_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str) -> None:
    body, expected = BAD_FILES[name]
    path = write(tmp_path / name, body)
    code, out, err = run(capsys, "validate", str(path))
    assert code == 2 and out == ""
    first, summary = err.splitlines()
    assert first == f"drifttui: error: {path}{expected}" or first.startswith(f"drifttui: error: {path}{expected}")
    assert summary == "drifttui: 1 of 1 persona files invalid"


def test_validate_mixed_files_reports_each(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    good = write(tmp_path / "good.toml", 'name = "Good"\n')
    bad = write(tmp_path / "bad.toml", 'name = "X"\nrole = \n')
    code, out, err = run(capsys, "validate", str(good), str(bad), str(tmp_path / "missing.toml"))
    assert code == 2
    assert out == f"ok: {good}: Good, 0 facts, 0 probes, full prompt about 29 tokens\n"
    assert f"drifttui: error: {bad}:2:8: TOML syntax error" in err
    assert f"drifttui: error: {tmp_path / 'missing.toml'}: persona file not found" in err
    assert err.endswith("drifttui: 2 of 3 persona files invalid\n")


def test_validate_unknown_fields_warns_but_passes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path / "extra.toml", 'name = "X"\nmood = "grim"\n[style]\nspeach = "slow"\n')
    code, out, err = run(capsys, "validate", str(path))
    assert code == 0 and out.startswith(f"ok: {path}: X")
    assert err.splitlines() == [
        f"drifttui: warning: {path}:2: unknown field 'mood' ignored",
        f"drifttui: warning: {path}:4: unknown field 'style.speach' ignored; did you mean 'speech'?",
    ]


def test_validate_checks_cards_too(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    good = tmp_path / "good.png"
    good.write_bytes(make_png([("chara", b64(v2_card()))]))
    bad = tmp_path / "bad.png"
    bad.write_bytes(make_png([("Title", "no card")]))
    code, out, err = run(capsys, "validate", str(good), str(bad))
    assert code == 2
    assert f"ok: {good}: Seraphina" in out
    assert f"drifttui: error: {bad}: no character card in this PNG" in err


# ------------------------------------------------------------------ import
def test_import_json_card_writes_a_valid_persona(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    card = tmp_path / "sera.json"
    card.write_text(json.dumps(v2_card()), encoding="utf-8")
    out_path = tmp_path / "personas" / "sera.toml"
    code, out, err = run(capsys, "import", str(card), "-o", str(out_path), "--user", "Alex")
    assert code == 0, err
    assert out.startswith(f"wrote {out_path}: Seraphina from a chara_card_v2 card (JSON); 2 alternate greetings, 2 example lines")
    assert "next: add [facts] and [[probes]]" in out
    persona = load_persona(out_path)
    assert persona.greeting == "*Seraphina smiles at Alex* You are safe now."
    text = out_path.read_text(encoding="utf-8")
    assert text.startswith("# Imported from sera.json (chara_card_v2, JSON) by `drifttui persona import`.")
    code, _, err = run(capsys, "validate", str(out_path))
    assert code == 0


def test_import_png_card_and_show_it(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    card = tmp_path / "sera.png"
    card.write_bytes(make_png([("chara", b64(v2_card()))]))
    out_path = tmp_path / "sera.toml"
    code, _, _ = run(capsys, "import", str(card), "-o", str(out_path))
    assert code == 0
    code, out, _ = run(capsys, "show", str(out_path), "--prompt")
    assert code == 0
    assert "Seraphina is a forest guardian who protects User." in out
    assert "SECRET-CREATOR-NOTES" not in out


def test_import_refuses_to_overwrite_without_force(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    card = tmp_path / "sera.json"
    card.write_text(json.dumps(v2_card()), encoding="utf-8")
    out_path = write(tmp_path / "taken.toml", "# mine\n")
    code, _, err = run(capsys, "import", str(card), "-o", str(out_path))
    assert code == 2
    assert err == f"drifttui: error: {out_path}: output file exists (pass --force to overwrite it)\n"
    assert out_path.read_text() == "# mine\n"
    code, _, _ = run(capsys, "import", str(card), "-o", str(out_path), "--force")
    assert code == 0 and load_persona(out_path).name == "Seraphina"


def test_import_to_stdout(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    card = tmp_path / "sera.json"
    card.write_text(json.dumps(v2_card()), encoding="utf-8")
    code, out, _ = run(capsys, "import", str(card), "-o", "-")
    assert code == 0
    assert 'name = "Seraphina"' in out and "[card.extensions]" in out


def _truncated(tmp_path: Path) -> Path:
    blob = make_png([("chara", b64(v2_card()))])
    path = tmp_path / "cut.png"
    path.write_bytes(blob[:-100])
    return path


BAD_CARDS = {
    "no card in png": (lambda d: _bytes(d / "a.png", make_png([("Software", "x")])), "no character card in this PNG"),
    "truncated png": (_truncated, "truncated PNG: chunk 'tEXt'"),
    "invalid base64": (lambda d: _bytes(d / "b.png", make_png([("chara", "%%%")])), "the 'chara' chunk is not valid base64"),
    "invalid json in png": (
        lambda d: _bytes(d / "c.png", make_png([("chara", "e25vdCBqc29u")])),  # base64 of "{not json"
        "the 'chara' chunk holds invalid JSON",
    ),
    "invalid json file": (lambda d: _bytes(d / "d.json", b'{"spec": '), ":1:10: invalid JSON: Expecting value"),
    "huge description": (
        lambda d: _bytes(d / "e.json", json.dumps(v2_card(description="z" * 2_500_000)).encode()),
        "card field 'data.description' is 2,500,000 characters; the limit is 100,000 per field",
    ),
}


def _bytes(path: Path, blob: bytes) -> Path:
    path.write_bytes(blob)
    return path


@pytest.mark.parametrize("case", sorted(BAD_CARDS))
def test_import_bad_card_exits_2_with_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path, case: str) -> None:
    make, expected = BAD_CARDS[case]
    card = make(tmp_path)
    out_path = tmp_path / "out.toml"
    code, out, err = run(capsys, "import", str(card), "-o", str(out_path))
    assert code == 2 and out == ""
    assert err.startswith(f"drifttui: error: {card}")
    assert expected in err
    assert err.count("\n") == 1
    assert not out_path.exists()


# ------------------------------------------------------------------ a real process
def _drifttui(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DRIFTTUI_PERSONAS"}
    return subprocess.run(
        [sys.executable, "-m", "drifttui", "persona", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_subprocess_validate_library_and_bad_file(tmp_path: Path) -> None:
    done = _drifttui("validate", cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("ok: ") == len(SHIPPED) + 1  # + the packaged default
    bad = write(tmp_path / "bad.toml", 'name = "X"\n[[probes]]\nquestion = "Q"\nexpect = "yes"\n')
    done = _drifttui("validate", str(bad), cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[0] == (
        f"drifttui: error: {bad}:4: field 'probes[0].expect' must be an array of strings, got a string (write expect = [\"yes\"])"
    )
