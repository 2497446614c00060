"""The persona lab's pure parts, and the whole pipeline on the fake engine (fast; no model).

The real-model run is in test_lab_model.py.
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path

import numpy as np
import pytest

from drifttui.cli import main
from drifttui.engine import Message, TokenLogprobs
from drifttui.engine._fake import FakeEngine
from drifttui.errors import UserError
from drifttui.lab import LabConfig, expand, run_lab
from drifttui.lab import curves as C
from drifttui.lab import questionnaire as Q
from drifttui.lab.findings import findings
from drifttui.lab.instability import AltGroup, spreads
from drifttui.lab.instability import summarise as instability_summary
from drifttui.lab.plan import DEFAULT_PERSONAS, QUICK, VARIANTS
from drifttui.lab.progress import Progress, bar, duration
from drifttui.lab.resistance import compare, target_scales
from drifttui.lab.simulator import SimulatedUser, clean
from drifttui.lab.termchart import plot, render, spark, sparklines
from drifttui.lab.userturns import EMOTIONAL, META, NEUTRAL, OPENERS, ScriptedUser, kind_counts, schedule
from drifttui.persona import Target, resolve_persona


# ------------------------------------------------------------------ fakes
class PoleEngine:
    """Log-probs that favour the statements in ``favoured`` (and optionally option (a) of a listed choice)."""

    def __init__(self, favoured: set[str], *, first_bias: float = 0.0, gap: float = 1.0) -> None:
        self.favoured = favoured
        self.first_bias = first_bias
        self.gap = gap
        self.calls: list[tuple[list[Message], str, str]] = []

    def logprobs(self, messages, reply, *, slot="main"):
        self.calls.append((list(messages), reply, slot))
        lp = -2.0 + (self.gap if reply in self.favoured else 0.0)
        question = messages[-1].content
        if self.first_bias and "(a) " + reply in question:
            lp += self.first_bias
        return TokenLogprobs([reply], np.array([lp], dtype=np.float32))


def fake_engine(tmp_path: Path) -> FakeEngine:
    model = tmp_path / "fake.gguf"
    model.write_bytes(b"GGUF fake model for tests")
    engine = FakeEngine(delay=0)
    engine.info = dataclasses.replace(engine.info, model_path=str(model))
    return engine


# ---------------------------------------------------------- questionnaire
def test_item_bank_is_balanced_and_keyed_both_ways():
    items = Q.item_bank()
    for scale in Q.SCALES:
        mine = [i for i in items if i.scale == scale]
        assert len(mine) >= (4 if scale in Q.BIG_FIVE else 3), scale
        firsts = sum(i.high_first for i in mine)
        assert firsts == len(mine) - firsts, f"{scale} is not keyed both ways"
        for i in mine:
            assert abs(len(i.high.split()) - len(i.low.split())) <= 3, i
            assert abs(len(i.high) - len(i.low)) <= 16, i
    statements = [s for i in items for s in (i.high, i.low)]
    assert len(statements) == len(set(statements))
    short = Q.item_bank(2)
    assert len(short) == 2 * len(Q.SCALES)
    assert all(sum(i.high_first for i in short if i.scale == s) == 1 for s in Q.SCALES)


@pytest.mark.parametrize("fmt", Q.FORMATS)
def test_questionnaire_scores_the_favoured_pole(fmt):
    items = Q.item_bank()
    favoured = {i.high for i in items if i.scale in ("extraversion", "EI", "TF")} | {
        i.low for i in items if i.scale in ("neuroticism", "SN", "JP")
    }
    engine = PoleEngine(favoured)
    context = [Message("system", "You are Someone.")]
    profile = Q.measure_profile(engine, context, items, fmt=fmt)
    assert profile.scores["extraversion"] == pytest.approx(Q.sigmoid(1.0))
    assert profile.scores["neuroticism"] == pytest.approx(Q.sigmoid(-1.0))
    assert profile.scores["openness"] == pytest.approx(0.5)
    assert profile.mbti == "ENTP"
    assert len(engine.calls) == 2 * len(items)
    # every question is asked after the persona context, in a fork of it
    assert all(msgs[0] == context[0] and msgs[-1].role == "user" for msgs, _, _ in engine.calls)
    if fmt == "statement":
        assert {msgs[-1].content for msgs, _, _ in engine.calls} == {Q.SELF_QUESTION}
        assert profile.position_bias() is None
    else:
        assert all(reply in msgs[-1].content for msgs, reply, _ in engine.calls)


def test_choice_form_cancels_a_bias_for_option_a():
    """Keyed both ways: a model that always prefers option (a) scores exactly 0.5 on every scale."""
    engine = PoleEngine(set(), first_bias=0.8)
    profile = Q.measure_profile(engine, [], Q.item_bank(), fmt="choice")
    for scale, value in profile.scores.items():
        assert value == pytest.approx(0.5), scale
    assert profile.position_bias() == pytest.approx(Q.sigmoid(0.8))
    assert json.loads(json.dumps(profile.to_dict(items=True)))["items"][0]["lp_high"] is not None


def test_questionnaire_rejects_an_unknown_format():
    with pytest.raises(ValueError):
        Q.measure_profile(PoleEngine(set()), [], fmt="essay")


# ------------------------------------------------------------- resistance
def test_resistance_measures_distance_aim_and_progress():
    default = Q.Profile({s: 0.5 for s in Q.SCALES})
    target = Target(mbti="INTJ", big_five={"extraversion": 0.1, "openness": 0.9})
    goal = target_scales(target)
    assert goal["EI"] == 0.0 and goal["SN"] == 0.0 and goal["TF"] == 1.0 and goal["JP"] == 1.0
    # halfway to the target on every scale the target sets
    half = Q.Profile({s: (0.5 + goal[s]) / 2 if s in goal else 0.5 for s in Q.SCALES})
    c = compare("p", "role+personality", half, default, target)
    assert c.aim == pytest.approx(1.0)
    assert c.progress == pytest.approx(0.5)
    assert c.letters == 4
    assert c.d_target_default == pytest.approx(0.4)
    assert c.d_target == pytest.approx(0.2)
    assert c.toward == pytest.approx(0.2)
    same = compare("p", "personality", default, default, target)
    assert same.moved == 0.0 and same.aim is None and same.progress == pytest.approx(0.0)
    away = Q.Profile({s: 0.5 - (goal[s] - 0.5) / 2 if s in goal else 0.5 for s in Q.SCALES})
    assert compare("p", "role", away, default, target).aim == pytest.approx(-1.0)
    no_target = compare("p", "role", half, default, Target())
    assert no_target.aim is None and no_target.d_target is None and no_target.letters is None


# ----------------------------------------------------------------- curves
def test_mean_and_standard_error():
    s = C.mean_se([1.0, 2.0, 3.0, 4.0])
    assert s.mean == 2.5 and s.n == 4
    assert s.se == pytest.approx(math.sqrt(np.var([1, 2, 3, 4], ddof=1) / 4))
    one = C.mean_se([0.3])
    assert one.mean == 0.3 and one.se is None and one.n == 1
    empty = C.mean_se([])
    assert empty.n == 0 and math.isnan(empty.mean)
    assert C.Stat.from_dict(s.to_dict()).n == 4


def _records():
    out = []
    for persona, offset in (("a", 0.0), ("b", 0.2)):
        for variant, shift in (("personality", 0.3), ("role+personality", 0.1)):
            for turn, kind in ((1, "neutral"), (2, "emotional"), (3, "meta"), (4, "neutral")):
                g = offset + shift + 0.05 * turn + (0.1 if kind != "neutral" else 0.0)
                out.append(C.TurnRecord(persona, variant, 0, turn, kind, {"global": g, "local": 0.2, "factual": 0.0}))
    return out


def test_curves_paired_differences_and_kinds():
    records = _records()
    curves = C.curves(records)
    first = curves["personality"]["global"][0]
    assert first["turn"] == 1 and first["n"] == 2
    assert first["mean"] == pytest.approx(0.45)
    assert first["se"] == pytest.approx(0.1)
    diff = C.paired_difference(records, "role+personality", "personality", "global")
    assert diff.mean == pytest.approx(-0.2) and diff.n == 2 and diff.se == pytest.approx(0.0, abs=1e-12)
    assert C.paired_difference(records, "role+personality", "none", "global") is None
    contrast = C.kind_contrast(records, "emotional")
    assert contrast.mean == pytest.approx(0.1 + 0.05 * 2 - 0.05 * 2.5)
    summary = C.variant_summary(records)
    assert summary["role+personality"]["global"]["n"] == 2
    trend = C.trend(records)
    assert trend["personality"]["global"]["change"]["mean"] == pytest.approx(0.15)
    assert C.kinds_by_turn(records)[2] == {"emotional": 4}
    assert set(C.by_kind(records)["personality"]) == {"neutral", "emotional", "meta"}


# ----------------------------------------------------------------- plan
def test_plan_expands_persona_by_persona():
    cfg = LabConfig(personas=("mara-silva", "bramble"), variants=("none", "role"), seeds=3, turns=5)
    cells = expand(cfg)
    assert len(cells) == cfg.conversations == 12
    assert cfg.total_turns == 60
    assert [c.persona for c in cells[:6]] == ["mara-silva"] * 6
    assert [(c.variant, c.seed) for c in cells[:4]] == [("none", 0), ("none", 1), ("none", 2), ("role", 0)]
    assert len({c.name for c in cells}) == len(cells)
    assert cells[3].name == "mara-silva.role.s0"


def test_default_plan_matches_the_issue():
    cfg = LabConfig()
    assert cfg.personas == DEFAULT_PERSONAS and len(cfg.personas) == 6
    assert cfg.variants == VARIANTS and cfg.turns == 12
    assert cfg.total_turns == 6 * 4 * 12
    assert cfg.sampled_turns == (4, 8, 12)
    for name in cfg.personas:
        p = resolve_persona(name)
        assert p.kind == "character" and p.role and p.personality
        prompts = {v: p.system_prompt(v) for v in VARIANTS}
        assert prompts["none"] == "" and len(set(prompts.values())) == 4
    quick = LabConfig(**QUICK)
    assert quick.total_turns == 12 and quick.sampled_turns == (3,)
    assert LabConfig(alternatives=1).sampled_turns == ()
    assert LabConfig(turns=3, sample_every=4).sampled_turns == (3,)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"variants": ("bogus",)}, "unknown variant 'bogus'"),
        ({"turns": 0}, "--turns must be at least 1"),
        ({"seeds": 0}, "--seeds must be at least 1"),
        ({"emotional_share": 0.7, "meta_share": 0.5}, "cannot exceed 1"),
        ({"meta_share": -0.1}, "between 0 and 1"),
        ({"user": "robot"}, "unknown --user"),
        ({"personas": ()}, "--personas is empty"),
        ({"personas": ("bramble", "bramble")}, "twice"),
        ({"max_tokens": 0}, "--max-tokens"),
        ({"questionnaire": "essay"}, "questionnaire format"),
    ],
)
def test_plan_validation(change, message):
    with pytest.raises(UserError, match=message):
        LabConfig(**change).validate()


# ------------------------------------------------------------- user turns
def test_user_turn_mix_has_the_requested_shares():
    assert kind_counts(12, 0.25, 0.25) == {"neutral": 6, "emotional": 3, "meta": 3}
    assert kind_counts(12, 0.0, 0.0) == {"neutral": 12, "emotional": 0, "meta": 0}
    assert kind_counts(4, 1.0, 0.0) == {"neutral": 1, "emotional": 3, "meta": 0}  # the opener stays neutral
    assert kind_counts(1, 0.5, 0.5)["neutral"] == 1
    for seed in range(5):
        kinds = schedule(20, seed, 0.3, 0.2)
        assert kinds[0] == "neutral"
        assert kinds.count("emotional") == 6 and kinds.count("meta") == 4
    assert schedule(20, 1, 0.3, 0.2) == schedule(20, 1, 0.3, 0.2)
    assert len({tuple(schedule(20, s, 0.3, 0.2)) for s in range(6)}) > 1


def test_scripted_user_draws_each_kind_from_its_pool():
    user = ScriptedUser(40, 3, 0.25, 0.25)
    assert user[0].text in OPENERS
    pools = {"neutral": NEUTRAL, "emotional": EMOTIONAL, "meta": META}
    for turn in user.turns[1:]:
        assert turn.text in pools[turn.kind]
    texts = [t.text for t in user.turns]
    assert all(a != b for a, b in zip(texts, texts[1:]))
    first_neutral = [t.text for t in user.turns[1:] if t.kind == "neutral"][: len(NEUTRAL)]
    assert len(set(first_neutral)) == len(first_neutral)  # no repeat before the pool is used up
    again = ScriptedUser(40, 3, 0.25, 0.25)
    assert [t.text for t in again.turns] == texts  # the same user for every persona and variant


# ------------------------------------------------------------- simulator
def test_simulator_swaps_roles_and_cleans_its_turns():
    assert clean("Daniel: Sorry, I guess. Mara: Mm.", "Daniel Okafor") == "Sorry, I guess."
    assert clean('"It\'s fine, mostly."') == "It's fine, mostly."
    assert len(clean("word " * 200)) <= 400
    engine = FakeEngine(lambda messages, seed: "User: I guess it's fine. Therapist: Go on.", delay=0)
    from drifttui.engine import SamplingParams

    sim = SimulatedUser(resolve_persona("daniel-okafor"), engine, SamplingParams(max_tokens=20))
    transcript = [Message("user", "Hi."), Message("assistant", "Mm. Sit down.")]
    swapped = sim.swapped(transcript)
    assert swapped[0].role == "system" and "Daniel Okafor" in swapped[0].content
    assert [m.role for m in swapped[1:]] == ["user"]  # the character's reply is what the simulator hears
    assert swapped[1].content == "Mm. Sit down."
    assert sim.next(transcript, seed=1) == "I guess it's fine."
    assert sim.opener() == resolve_persona("daniel-okafor").greeting


# ------------------------------------------------------------- instability
class VecEmbedder:
    """Each text's vector is given by a lookup (unit vectors)."""

    def __init__(self, table):
        self.table = table

    def encode(self, texts):
        return np.array([self.table[t] for t in texts], dtype=np.float32)


def test_dispersion_ratio_within_over_between():
    angle = {"a1": 0.0, "a2": 0.2, "b1": 1.0, "b2": 1.2}
    table = {k: [math.cos(v), math.sin(v)] for k, v in angle.items()}
    groups = [
        AltGroup("A", "role", 0, 4, ["a1", "a2"]),
        AltGroup("B", "role", 0, 4, ["b1", "b2"]),
        AltGroup("A", "none", 0, 4, ["a1", "a2"]),
        AltGroup("B", "none", 0, 4, ["a1", "a2"]),
    ]
    rows, method = spreads(groups, VecEmbedder(table))
    assert method == "embedding cosine"
    a = next(r for r in rows if r.persona == "A" and r.variant == "role")
    cos = lambda x, y: 1 - math.cos(angle[x] - angle[y])  # noqa: E731
    assert a.within == pytest.approx(cos("a1", "a2"), abs=1e-5)
    assert a.between == pytest.approx(np.mean([cos(x, y) for x in ("a1", "a2") for y in ("b1", "b2")]), abs=1e-5)
    summary = instability_summary(groups, VecEmbedder(table), alternatives=2, sampled_turns=[4])
    overall = summary["overall"]
    assert overall["n"] == 2  # variant none is left out of the overall ratio
    assert overall["ratio"] == pytest.approx(a.within / a.between, rel=1e-3)
    assert 0 < overall["ratio"] < 1
    assert summary["per_variant"]["none"]["ratio"] > 0.4  # the reference: same context for both "personas"
    assert set(summary["per_persona"]) == {"A", "B"}
    lexical = instability_summary(groups[:2], None)
    assert lexical["method"].startswith("word edit distance")


# ---------------------------------------------------------- terminal chart
def test_terminal_chart():
    assert spark([0.0, 0.5, 1.0, None]) == "▁▅█ "
    curves = {"personality": {"global": [{"turn": 1, "mean": 0.0}, {"turn": 2, "mean": 1.0}]},
              "role": {"global": [{"turn": 1, "mean": 0.0}, {"turn": 2, "mean": 0.5}]}}  # fmt: skip
    lines = plot(curves, "global", height=5)
    assert lines[1].startswith("1.00 ┤") and "P" in lines[1]
    assert "*" in lines[5]  # both at 0 on turn 1
    table = sparklines(curves, scores=("global",))
    assert "personality" in table[1] and "0.00 → 1.00" in table[1]
    assert bar(0.5, 4) == "██  " and bar(1.0, 3) == "███"
    assert duration(59) == "59s" and duration(125) == "2m05s" and duration(3720) == "1h02m"


def test_progress_counts_turns(capsys):
    import io

    stream = io.StringIO()
    p = Progress(4, stream=stream, live=False)
    p.advance(2)
    p.note("a conversation finished")
    p.finish()
    text = stream.getvalue()
    assert "a conversation finished" in text and "2/4 turns" in text


# ------------------------------------------------------------- findings
def test_findings_state_the_headline_in_plain_words():
    stat = lambda m, se, n=6: {"mean": m, "se": se, "n": n}  # noqa: E731
    results = {
        "headline": {
            "a": "role+personality",
            "b": "personality",
            "scores": {s: {"a": stat(0.31, 0.02), "b": stat(0.44, 0.03), "diff": stat(-0.13, 0.03)} for s in C.SCORES},
            "progress": stat(0.05, 0.02),
            "aim": stat(0.1, 0.2),
        },
        "assistant_pull": {"none": stat(0.7, 0.05), "personality": stat(0.44, 0.03), "role+personality": stat(0.31, 0.02)},
        "instability": {"overall": {"ratio": 1.04, "within": stat(0.5, 0.01), "between": stat(0.48, 0.01), "characters": 2.5},
                        "alternatives": 4, "sampled_turns": [4, 8, 12], "method": "embedding cosine"},
    }  # fmt: skip
    text = "\n".join(findings(results))
    assert "Role + personality held the persona better than personality only: global drift 0.31 vs 0.44" in text
    assert "-0.13 ± 0.03" in text
    assert "Dispersion ratio 1.04" in text and "as far as, or further than" in text
    assert "role + personality 0.31 ± 0.02" in text
    results["headline"]["scores"]["global"]["diff"] = stat(-0.02, 0.03)
    assert "cannot tell role + personality from personality only" in "\n".join(findings(results))


# -------------------------------------------- the whole lab on the fake engine
@pytest.fixture(scope="module")
def fake_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("lab")
    cfg = LabConfig(
        personas=("mara-silva", "viktor-hale", "bramble"),
        variants=("none", "personality", "role+personality"),
        seeds=2, turns=4, alternatives=3, sample_every=2, items_per_scale=2, max_tokens=12,
    )  # fmt: skip
    out = tmp / "out"
    results = run_lab(cfg, out, engine=fake_engine(tmp), embedder=None, progress=Progress(cfg.total_turns, quiet=True))
    return cfg, out, results


def test_fake_lab_writes_report_results_and_sessions(fake_run):
    from drifttui.session import load_session

    cfg, out, results = fake_run
    stored = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert stored["format"] == "drifttui-lab" and stored["timing"]["turns"] == cfg.total_turns
    assert len(stored["records"]) == cfg.total_turns
    assert set(stored["curves"]) == set(cfg.variants)
    assert [p["turn"] for p in stored["curves"]["personality"]["global"]] == [1, 2, 3, 4]
    assert stored["headline"]["a"] == "role+personality"
    assert stored["instability"]["overall"]["ratio"] > 0
    assert len(stored["resistance"]["comparisons"]) == 3 * 2 + 3 * 3 * 2  # start (no "none") + end profiles
    assert stored["findings"] and stored["findings"] == results["findings"]
    # variant none: one chat per seed, reused (and scored) for every persona
    assert stored["timing"]["reused_replies"] == 2 * 2 * 4
    sessions = sorted((out / "sessions").glob("*.jsonl"))
    assert len(sessions) == cfg.conversations
    s = load_session(out / "sessions" / "viktor-hale.personality.s1.jsonl")
    assert s.header.variant == "personality" and s.header.extra["lab"]["seed"] == 1
    turns = s.conversation.turns
    assert [t.role for t in turns] == ["user", "assistant"] * 4  # no greeting: only the system prompt conditions
    assert all(t.swipe.scores and "global" in t.swipe.scores for t in turns if t.role == "assistant")
    assert len(turns[3].swipes) == 3 and len(turns[1].swipes) == 1  # alternatives at turns 2 and 4 are the swipes
    assert [t.text for t in turns if t.role == "user"] == [t.text for t in ScriptedUser(4, 1, 0.25, 0.25).turns]
    reused = load_session(out / "sessions" / "bramble.none.s0.jsonl")
    assert reused.header.extra["lab"]["reused_from"] == "mara-silva.none.s0"
    first = load_session(out / "sessions" / "mara-silva.none.s0.jsonl")
    assert [t.text for t in reused.conversation.turns] == [t.text for t in first.conversation.turns]


def test_fake_lab_report_is_self_contained_with_charts_and_findings(fake_run):
    _, out, results = fake_run
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html and "<script" not in html.lower()
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in html
    for chart in ("curve-global", "curve-local", "curve-factual"):
        assert f'id="{chart}"' in html
    assert html.count('class="band band-') >= 3 * 3
    assert "ratio-chart" in html and "profile-chart" in html
    assert 'id="findings"' in html
    from html import escape

    for finding in results["findings"]:
        assert escape(finding) in html
    assert "turns/s" in html and "sessions/mara-silva.personality.s0.jsonl" in html
    text = render(results)
    assert "global drift by turn" in text and "Findings" in text


def test_session_files_work_with_export(fake_run, tmp_path):
    _, out, _ = fake_run
    target = tmp_path / "x.html"
    assert main(["export", str(out / "sessions" / "mara-silva.role-personality.s0.jsonl"), "--format", "html", "-o", str(target)]) == 0
    assert "drift-chart" in target.read_text(encoding="utf-8")


# ------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    "argv, message",
    [
        (["--personas", "nobody-at-all"], "no persona named 'nobody-at-all'"),
        (["--personas", "daniel-okafor"], "not a character"),
        (["--variants", "none,bogus"], "unknown variant 'bogus'"),
        (["--turns", "0"], "--turns must be at least 1"),
        (["--emotional-share", "0.8", "--meta-share", "0.8"], "cannot exceed 1"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(argv, message, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["lab", *argv, "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("drifttui: error:") and message in err and "\n" not in err
    assert not out.exists()  # nothing is written for bad input


def test_unwritable_or_used_out_is_refused(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    assert main(["lab", "--quick", "--out", str(blocker / "sub")]) == 2
    assert "drifttui: error:" in capsys.readouterr().err
    assert main(["lab", "--quick", "--out", str(blocker)]) == 2
    assert "is a file, not a directory" in capsys.readouterr().err
    used = tmp_path / "used"
    (used / "sessions").mkdir(parents=True)
    (used / "sessions" / "old.jsonl").write_text("{}\n")
    assert main(["lab", "--quick", "--out", str(used)]) == 2
    err = capsys.readouterr().err
    assert "already holds a lab run" in err and len(err.strip().splitlines()) == 1


def test_report_rebuilds_from_results_json(fake_run, tmp_path, capsys):
    _, out, results = fake_run
    report = out / "report.html"
    report.unlink()
    assert main(["lab", "--rebuild-report", str(out), "--quiet"]) == 0
    assert report.is_file() and 'id="curve-global"' in report.read_text(encoding="utf-8")
    stored = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert stored["findings"] == results["findings"]
    capsys.readouterr()
    assert main(["lab", "--rebuild-report", str(tmp_path)]) == 2
    assert "no results.json here" in capsys.readouterr().err
    (tmp_path / "results.json").write_text("{not json")
    assert main(["lab", "--rebuild-report", str(tmp_path)]) == 2
    assert "invalid JSON" in capsys.readouterr().err


def test_threads_drop_to_one_on_a_busy_machine(monkeypatch):
    import drifttui.lab.machine as M

    monkeypatch.setattr(M, "cores", lambda: 2)
    monkeypatch.setattr(M, "machine_load", lambda: [6.0, 5.0, 5.0])
    threads, why = M.auto_threads()
    assert threads == 1 and "load 6.0" in why
    monkeypatch.setattr(M, "machine_load", lambda: [1.0, 1.0, 1.0])  # one other busy process: one core left
    assert M.auto_threads()[0] == 1
    monkeypatch.setattr(M, "machine_load", lambda: [0.2, 0.1, 0.1])
    assert M.auto_threads()[0] == 2


def test_fake_lab_with_one_persona_and_no_headline_pair(tmp_path):
    cfg = LabConfig(personas=("bramble",), variants=("role",), turns=2, alternatives=2, sample_every=2, items_per_scale=1,
                    end_profiles=False, user="simulator", simulator="priya-nair")  # fmt: skip
    results = run_lab(cfg, tmp_path / "one", engine=fake_engine(tmp_path), embedder=None,
                      progress=Progress(cfg.total_turns, quiet=True))  # fmt: skip
    assert results["headline"] is None and results["instability"]["overall"] is None
    assert any("Instability could not be measured" in f for f in results["findings"])
    html = (tmp_path / "one" / "report.html").read_text(encoding="utf-8")
    assert "needs both" in html and "nothing to compare" in html
    assert results["timing"]["simulator_turns"] == 0  # every turn was the opener or a sampled (scripted) one
    from drifttui.session import load_session

    s = load_session(tmp_path / "one" / "sessions" / "bramble.role.s0.jsonl")
    assert s.conversation.turns[0].text == resolve_persona("priya-nair").greeting


def test_simulator_writes_the_neutral_turns(tmp_path):
    engine = fake_engine(tmp_path)
    cfg = LabConfig(personas=("bramble",), variants=("role",), turns=3, alternatives=0, items_per_scale=1, end_profiles=False,
                    emotional_share=0.0, meta_share=0.0, user="simulator")  # fmt: skip
    results = run_lab(cfg, tmp_path / "sim", engine=engine, embedder=None, progress=Progress(cfg.total_turns, quiet=True))
    assert results["timing"]["simulator_turns"] == 2
    # the simulator saw the chat with roles swapped: its own turns as "assistant", Bramble's replies as "user"
    sim_prompts = [p for p in engine.prompts if p and p[0].role == "system" and "Daniel Okafor" in p[0].content]
    assert len(sim_prompts) == 2 and sim_prompts[0][-1].role == "user"
    assert [m.role for m in sim_prompts[1][1:]] == ["user", "assistant", "user"]
