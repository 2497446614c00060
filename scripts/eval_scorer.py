#!/usr/bin/env python
"""Validate the drift scorer on the labelled set: AUROC per score, cross-fire rates, hard cases.

The labelled set is ``tests/data/labelled/<split>/<persona>.jsonl``: transcripts
whose assistant lines carry ``"label"`` (``in-character`` | ``local`` | ``global``
| ``factual``) and optionally ``"hard"`` (``paraphrase``, ``helping``, ``quiet``);
the persona is ``tests/data/personas/<persona>.toml``. Nine splits by fourteen
authors; ``tests/data/labelled/README.md`` says which were used for development
and which was scored only once (``blind6``, with the shipped scorer).

    .venv/bin/python scripts/eval_scorer.py                 # every split, real model + embedder (~15 min)
    .venv/bin/python scripts/eval_scorer.py --split blind6
    .venv/bin/python scripts/eval_scorer.py --no-model      # lexical signals only (fast)
    .venv/bin/python scripts/eval_scorer.py --save scores.json   # per-turn results for inspection
    .venv/bin/python scripts/eval_scorer.py --threads 1     # faster on a machine shared with other jobs
    .venv/bin/python scripts/eval_scorer.py --split blind6 --model-written   # also: the model's own replies, labelled

Prints, per split: AUROC of each score on its own drift type against
in-character turns (goal >= 0.90), the AUROC of every score on every drift
type, how often each score fires (>= threshold) on each label, and how the
hard cases fare.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from drifttui.drift import DriftScorer, load_embedder  # noqa: E402
from drifttui.drift.metrics import auroc, cohen_kappa, fire_rate  # noqa: E402
from drifttui.drift.scorer import ScorerConfig, global_score, local_score  # noqa: E402
from drifttui.drift.mismatch import FEATURES as WEAK_FEATURES  # noqa: E402
from drifttui.drift.mismatch import WEIGHT as WEAK_WEIGHT  # noqa: E402
from drifttui.engine import Message  # noqa: E402
from drifttui.persona import load_persona, resolve_persona  # noqa: E402

DATA = ROOT / "tests" / "data"
LABELS = ("in-character", "local", "global", "factual")
SPLITS = ("dev", "heldout", "blind", "dev2", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8", "blind9", "blind10", "blind11", "blind12", "blind13", "blind14", "blind15", "blind16", "blind17", "blind18")
"""Every labelled split, in the order they were written (tests/data/labelled/README.md says what each was used for)."""
SCORES = ("local", "global", "factual")


def score_transcripts(paths: Sequence[Path], persona_of, engine, embedder, log) -> list[dict]:
    """Score every assistant line of the transcripts at ``paths`` (``persona_of(path.stem)`` gives each persona)."""
    rows = []
    for path in paths:
        persona = persona_of(path.stem)
        scorer = DriftScorer(persona, engine=engine, embedder=embedder)
        lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        history: list[Message] = []
        started = time.perf_counter()
        count = 0
        for index, line in enumerate(lines):
            if line["role"] == "assistant":
                result = scorer.score(history, line["content"], index)
                extra = {"label_b": line["label_b"]} if "label_b" in line else {}
                rows.append({"persona": path.stem, "turn": index, "label": line.get("label", "in-character"), "hard": line.get("hard"), "text": line["content"], **extra, **result.to_dict()})
                count += 1
            history.append(Message(line["role"], line["content"]))
        log(f"  {path.parent.name}/{path.stem}: {count} turns in {time.perf_counter() - started:.1f} s")
    return rows


def score_split(split: str, engine, embedder, log) -> list[dict]:
    """Score every assistant line of every transcript of ``split``."""
    personas = lambda stem: load_persona(DATA / "personas" / f"{stem}.toml", warn=lambda _m: None)  # noqa: E731
    return score_transcripts(sorted((DATA / "labelled" / split).glob("*.jsonl")), personas, engine, embedder, log)


MODEL_WRITTEN = DATA / "labelled_model"
"""Batches (``batch1/``, ``batch2/``…) of the default model's own replies as library personas
(``scripts/record_model_chats.py``), each line labelled by two annotators (``label``, ``label_b``): the labelled
splits are written by people, the app scores the model's text."""


def report_model_written(name: str, rows: list[dict], threshold: float) -> None:
    """Annotator agreement, and how each score picks out its own drift type among the model's replies."""
    replies = [r for r in rows if r["turn"] > 0]  # the greeting is the persona file's, not the model's
    pairs = [(r["label"], r["label_b"]) for r in replies]
    print(f"\n== model-written {name}: {len(replies)} replies by the model over {len({r['persona'] for r in rows})} library personas")
    print(f"  annotators agree on {sum(a == b for a, b in pairs) / len(pairs):.2f} (Cohen's kappa {cohen_kappa(pairs):.2f}); "
          + ", ".join(f"{lab} {sum(a == lab for a, _ in pairs)}/{sum(b == lab for _, b in pairs)}" for lab in LABELS))  # fmt: skip
    print("  AUROC of each score on its own type against the model's other replies (in-character ones are too few to be the reference):")
    for who, keep, label in (("annotator A", replies, "label"), ("annotator B", replies, "label_b"), ("both agree", [r for r in replies if r["label"] == r["label_b"]], "label")):
        cells = "  ".join(f"{s} {auroc([r[s] for r in keep], [r[label] == s for r in keep]):.2f} (n={sum(r[label] == s for r in keep)})" for s in SCORES)
        print(f"    {who:12} {cells}")
    print(f"  fire rate (>= {threshold}) on the model's replies: " + ", ".join(f"{s} {fire_rate([r[s] for r in replies], threshold):.2f}" for s in SCORES))


FEATURES = {
    "global": ("gap", "register", "fit"),
    "global-nomodel": ("register", "fit"),
    "local": ("gap", "style", "meaning", "voice", "fit"),
    "local-noembed": ("gap", "style", "voice", "fit"),
    "local-nomodel": ("style", "meaning", "voice", "fit"),
    "local-nomodel-noembed": ("style", "voice", "fit"),
}


def signals(components: dict) -> dict[str, float]:
    """The logistic models' inputs from a turn's components (as :mod:`drifttui.drift.scorer` computes them)."""
    gap = components.get("model.gap_shrunk", 0.0)
    return {
        "gap": -gap,
        "voice": components.get("local.voice_z", 0.0),
        "turn": components.get("local.turnaround", 0.0),
        "register": components.get("global.register", 0.0),
        "fit": components.get("global.fit", 0.0),
        "style": float(np.log1p(components.get("local.style", 0.0))),
        "meaning": components.get("local.meaning_z", 0.0),
    }


def _logistic(z: np.ndarray, y: np.ndarray, weight: np.ndarray, l2: float, steps: int) -> np.ndarray:
    """Weighted logistic regression on design matrix ``z`` (first column = bias, not penalised)."""
    w = np.zeros(z.shape[1])
    rate = 0.5 / (1.0 + l2 / weight.sum())  # keeps gradient descent stable under a strong penalty
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ w, -40, 40)))
        grad = z.T @ (weight * (p - y)) / weight.sum() + l2 * np.r_[0.0, w[1:]] / weight.sum()
        w -= rate * grad
    return w


def fit_logit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 4000) -> tuple[float, np.ndarray]:
    """Class-balanced logistic regression in two stages; returns raw-scale (bias, weights).

    1. The *direction*: L2-regularised (penalty ``l2``) on standardised signals. With ~18
       drift turns per type a strong penalty keeps one persona's quirks from owning a
       weight (chosen by leave-one-persona-out AUROC on the pooled splits, printed by ``--fit``).
    2. The *calibration*: a 1-D logistic fit of scale and bias on that direction, with the
       mild penalty (1.0) a single-stage fit would use, so a strong penalty on the
       direction does not squash every score toward 0.5.
    """
    mu, sd = x.mean(axis=0), x.std(axis=0) + 1e-9
    z = np.c_[np.ones(len(x)), (x - mu) / sd]
    weight = np.where(y > 0, (y == 0).sum() / max(1, (y > 0).sum()), 1.0)
    w = _logistic(z, y, weight, l2, steps)
    direction = w[1:] / sd
    projection = x @ direction
    spread = float(projection.std()) or 1.0
    bias, scale = _logistic(np.c_[np.ones(len(x)), projection / spread], y, weight, 1.0, steps)
    coef = direction * scale / spread
    return float(bias), coef


PENALTIES = (1.0, 10.0, 30.0, 100.0, 300.0, 1000.0, 3000.0)
"""L2 penalties tried for each model's direction fit; ``--fit`` keeps the one with the best
leave-one-persona-out AUROC on the fitted splits (ties: the smaller penalty)."""

BIAS_SHIFT = -1.0
"""Lowers every fitted bias: the balanced fit fires on ~11% of in-character turns at 0.5; this brings it to ~5%."""


def _design(rows: list[dict], name: str) -> tuple[np.ndarray, np.ndarray]:
    """Signals and labels of the turns a model is fitted on: its own drift type and in-character turns."""
    target = name.split("-")[0]
    keep = [r for r in rows if r["label"] in ("in-character", target)]
    x = np.array([[signals(r["components"])[f] for f in FEATURES[name]] for r in keep]).reshape(len(keep), -1)
    return x, np.array([r["label"] == target for r in keep], dtype=float)


def lopo_auroc(rows: list[dict], name: str, l2: float) -> float:
    """Leave-one-persona-out AUROC of model ``name`` fitted with penalty ``l2`` (each persona scored by a fit on the others)."""
    scores: list[float] = []
    labels: list[bool] = []
    for held in sorted({r["persona"] for r in rows}):
        bias, coef = fit_logit(*_design([r for r in rows if r["persona"] != held], name), l2)
        x, y = _design([r for r in rows if r["persona"] == held], name)
        scores += list(x @ coef + bias)
        labels += list(y > 0)
    return auroc(scores, labels)


def fit_models(rows: list[dict], penalties: Sequence[float] = PENALTIES) -> None:
    """Print leave-one-persona-out AUROC per penalty, then DEFAULT_LOGITS fitted on ``rows`` (the pooled splits) with the best one."""
    personas = sorted({r["persona"] for r in rows})
    print(f"leave-one-persona-out AUROC on the chosen splits ({len(personas)} folds), by L2 penalty of the direction fit:")
    print(f"  {'model':24}" + "".join(f"{p:>9g}" for p in penalties) + "   chosen")
    chosen: dict[str, float] = {}
    for name in FEATURES:
        values = [lopo_auroc(rows, name, l2) for l2 in penalties]
        best = max(range(len(values)), key=lambda i: (round(values[i], 3), -i))
        chosen[name] = penalties[best]
        print(f"  {name:24}" + "".join(f"{v:>9.3f}" for v in values) + f"   {penalties[best]:g}")
    print("DEFAULT_LOGITS: dict[str, Logit] = {")
    for name, feats in FEATURES.items():
        bias, coef = fit_logit(*_design(rows, name), chosen[name])
        weights = ", ".join(f'("{f}", {c:.2f})' for f, c in zip(feats, coef))
        if name.startswith("local"):
            weights += ', ("turn", TURNAROUND_WEIGHT)'  # set by hand: too rare to fit
        print(f'    "{name}": Logit({bias + BIAS_SHIFT:.2f}, ({weights},)),  # L2 {chosen[name]:g}')
    print("}")


def _weak_design(rows: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """The weak factual model's training turns: no ledger conflict, at least one mismatch; factual vs in-character."""
    keep = [
        r for r in rows
        if r["label"] in ("in-character", "factual") and not r["components"].get("factual.conflicts")
        and any(r["components"].get(f"factual.{f}", 0.0) > 0 for f in WEAK_FEATURES if f.startswith("mm_"))
    ]  # fmt: skip
    x = np.array([[r["components"].get(f"factual.{f}", 0.0) for f in WEAK_FEATURES] for r in keep]).reshape(len(keep), -1)
    return x, np.array([r["label"] == "factual" for r in keep], dtype=float)


def fit_weak(results: dict, splits: Sequence[str]) -> None:
    """Print leave-one-split-out factual AUROC with the weak model fitted on the other splits, then its LOGIT fitted on all."""
    def factual(row: dict, bias: float, coef: np.ndarray) -> float:
        c = row["components"]
        ledger = row["factual"] if c.get("factual.conflicts") else 0.0
        if not any(c.get(f"factual.{f}", 0.0) > 0 for f in WEAK_FEATURES if f.startswith("mm_")):
            return ledger
        z = bias + float(np.array([c.get(f"factual.{f}", 0.0) for f in WEAK_FEATURES]) @ coef)
        return max(ledger, WEAK_WEIGHT / (1.0 + np.exp(-z)))

    print("factual AUROC, each split scored by the weak model fitted on the other splits, by L2 penalty of the direction fit:")
    print(f"  {'split':10}" + "".join(f"{p:>8g}" for p in PENALTIES))
    table = {}
    for held in splits:
        rows = [r for r in results[held] if r["label"] in ("in-character", "factual")]
        for l2 in PENALTIES:
            bias, coef = fit_logit(*_weak_design([r for s in splits if s != held for r in results[s]]), l2=l2)
            table[held, l2] = auroc([factual(r, bias, coef) for r in rows], [r["label"] == "factual" for r in rows])
        print(f"  {held:10}" + "".join(f"{table[held, l2]:>8.3f}" for l2 in PENALTIES))
    means = {l2: float(np.mean([table[s, l2] for s in splits])) for l2 in PENALTIES}
    print(f"  {'mean':10}" + "".join(f"{means[l2]:>8.3f}" for l2 in PENALTIES))
    best = max(PENALTIES, key=lambda l2: (round(means[l2], 3), -l2))
    bias, coef = fit_logit(*_weak_design([r for s in splits for r in results[s]]), l2=best)
    print(f"LOGIT = ({bias:.2f}, ({', '.join(f'{c:.2f}' for c in coef)}))  # L2 {best:g}, over {WEAK_FEATURES}")


def rescore(results: dict, config: ScorerConfig) -> None:
    """Recompute local and global from saved components with ``config`` (factual is kept)."""
    for rows in results.values():
        for r in rows:
            r["global"] = global_score(r["components"], config)
            r["local"] = local_score(r["components"], config)


def report(split: str, rows: list[dict], threshold: float) -> dict:
    """Print the tables for one split; return the numbers."""
    labels = [r["label"] for r in rows]
    counts = {lab: labels.count(lab) for lab in LABELS}
    personas = sorted({r["persona"] for r in rows})
    print(f"\n== {split}: {len(rows)} assistant turns over {len(personas)} personas ({', '.join(f'{k} {v}' for k, v in counts.items())})")
    out: dict = {"split": split, "counts": counts, "auroc": {}, "fire": {}}
    print("AUROC, each score on each drift type vs in-character turns (diagonal = own type, goal >= 0.90):")
    print(f"  {'score':8}" + "".join(f"{lab:>10}" for lab in SCORES))
    for score in SCORES:
        line = f"  {score:8}"
        for lab in SCORES:
            keep = [r for r in rows if r["label"] in ("in-character", lab)]
            value = auroc([r[score] for r in keep], [r["label"] == lab for r in keep])
            out["auroc"][f"{score}/{lab}"] = value
            mark = "*" if score == lab else " "
            line += f"{value:>9.3f}{mark}"
        print(line)
    print(f"Fire rate (score >= {threshold}) on each label:")
    print(f"  {'score':8}" + "".join(f"{lab:>14}" for lab in LABELS))
    for score in SCORES:
        line = f"  {score:8}"
        for lab in LABELS:
            values = [r[score] for r in rows if r["label"] == lab]
            rate = fire_rate(values, threshold)
            out["fire"][f"{score}/{lab}"] = rate
            line += f"{rate:>14.2f}"
        print(line)
    hard = sorted({r["hard"] for r in rows if r.get("hard")})
    if hard:
        print("Hard cases (share firing per score):")
        for tag in hard:
            for lab in LABELS:
                group = [r for r in rows if r.get("hard") == tag and r["label"] == lab]
                if not group:
                    continue
                fires = ", ".join(f"{s} {fire_rate([r[s] for r in group], threshold):.2f}" for s in SCORES)
                print(f"  {tag:10} {lab:12} n={len(group):3}  {fires}")
                out["fire"][f"hard/{tag}/{lab}"] = {s: fire_rate([r[s] for r in group], threshold) for s in SCORES}
    misses = [r for r in rows if r["label"] in SCORES and r[r["label"]] < threshold]
    false = [r for r in rows if r["label"] == "in-character" and max(r[s] for s in SCORES) >= threshold]
    print(f"Missed drift at {threshold}: {len(misses)}; in-character turns with any score >= {threshold}: {len(false)}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="all", help="labelled split(s), comma-separated (folders of tests/data/labelled); all = every split, in SPLITS order")
    parser.add_argument("--no-model", action="store_true", help="lexical signals only")
    parser.add_argument("--no-embedder", action="store_true")
    parser.add_argument("--fit-weak", action="store_true", help="print the weak factual model (drifttui.drift.mismatch.LOGIT) fitted on the chosen splits, with leave-one-split-out AUROC")
    parser.add_argument("--threshold", type=float, default=0.5, help="score at which a score 'fires' (default 0.5)")
    parser.add_argument("--threads", type=int, help="model threads")
    parser.add_argument("--save", help="write per-turn results (JSON) here")
    parser.add_argument("--load", help="report on saved per-turn results instead of scoring")
    parser.add_argument("--verbose", action="store_true", help="list missed drift and false alarms")
    parser.add_argument("--fit", action="store_true", help="print logistic models fitted on the chosen splits' components, pooled (penalty chosen by leave-one-persona-out AUROC)")
    parser.add_argument("--rescore", action="store_true", help="with --load: recompute scores from components with the current config")
    parser.add_argument("--model-written", action="store_true", help="also score the model-written set (tests/data/labelled_model: the default model's own replies, labelled by two annotators)")
    args = parser.parse_args(argv)
    splits = SPLITS if args.split == "all" else tuple(args.split.split(","))
    for split in splits:
        if not (DATA / "labelled" / split).is_dir():
            parser.error(f"no labelled split {split!r} in {DATA / 'labelled'}")
    log = lambda message: print(message, file=sys.stderr, flush=True)  # noqa: E731
    if args.load:
        results = json.loads(Path(args.load).read_text(encoding="utf-8"))
        if args.rescore:
            rescore(results, ScorerConfig())
    else:
        engine = None
        if not args.no_model:
            from drifttui.drift.likelihood import DEFAULT_SLOTS
            from drifttui.engine import open_engine

            options = {"n_ctx": 2048, "slots": tuple(DEFAULT_SLOTS.values()), "n_parallel": 0}  # as `drifttui score`: nothing generates
            if args.threads:
                options["threads"] = args.threads
            engine = open_engine(**options)
        embedder = None if args.no_embedder else load_embedder()
        if embedder is None and not args.no_embedder:
            log("warning: the sentence embedder is unavailable; local uses style and model signals only")
        results = {split: score_split(split, engine, embedder, log) for split in splits}
        if args.model_written:
            for batch in sorted(p for p in MODEL_WRITTEN.iterdir() if p.is_dir()):
                results[f"model-written/{batch.name}"] = score_transcripts(sorted(batch.glob("*.jsonl")), resolve_persona, engine, embedder, log)
        if engine is not None:
            engine.close()
    if args.fit:
        fit_models([r for split in splits for r in results[split]])
        return 0
    if args.fit_weak:
        fit_weak(results, [s for s in splits if s in results])
        return 0
    summary = [report(split, results[split], args.threshold) for split in splits if split in results]
    batches = {name.removeprefix("model-written/"): rows for name, rows in results.items() if name.startswith("model-written/")}
    for name, rows in batches.items():
        report_model_written(name, rows, args.threshold)
    if len(batches) > 1:
        report_model_written("(all batches)", [r for rows in batches.values() for r in rows], args.threshold)
    if args.verbose:
        for split in splits:
            for r in results.get(split, []):
                wrong = (r["label"] in SCORES and r[r["label"]] < args.threshold) or (
                    r["label"] == "in-character" and max(r[s] for s in SCORES) >= args.threshold
                )
                if wrong:
                    print(f"  {split}/{r['persona']}[{r['turn']}] {r['label']:12} L={r['local']:.2f} G={r['global']:.2f} F={r['factual']:.2f} {r['text'][:70]!r}")
    if args.save:
        Path(args.save).write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
        log(f"saved per-turn results to {args.save}")
    del summary
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
