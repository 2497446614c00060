"""How well the drift scores agree with the user's own labels.

For each score (local, global, factual) and each labelled assistant turn
that has scores, the user's label gives the truth:

- *any drift*: the label is anything but ``in-character``;
- *this kind*: the label names this score (``local`` for the local score, ...).

Reported per score: precision and recall at the score's threshold, AUROC
(threshold-free; ties count one half) and Kendall's τ-b between the score and
the 0/1 truth. A figure is ``None`` when it is undefined (e.g. AUROC without
a single positive or negative label).

The metrics themselves come from :mod:`drifttui.drift.metrics`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

SCORES = ("local", "global", "factual")
DEFAULT_THRESHOLD = 0.5
IN_CHARACTER = "in-character"


# ----------------------------------------------------------------- metrics
# Thin wrappers over drifttui.drift.metrics (the scorer's evaluation metrics), so
# reports and the scorer's own evaluation compute the same numbers. "Undefined"
# is None here (NaN there), which reads better in tables and JSON.


def _none(value: float) -> float | None:
    return None if value != value else float(value)  # NaN → None


def auroc(scores: Sequence[float], truth: Sequence[bool]) -> float | None:
    """Area under the ROC curve: P(score of a positive > score of a negative), ties ½."""
    from drifttui.drift import metrics

    return _none(metrics.auroc(scores, truth)) if len(scores) else None


def kendall_tau_b(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Kendall's τ-b (tie-corrected); ``None`` when either side is constant or n < 2."""
    from drifttui.drift import metrics

    return _none(metrics.kendall_tau(x, y))


@dataclass(frozen=True)
class PrecisionRecall:
    precision: float | None
    recall: float | None
    tp: int
    fp: int
    fn: int


def precision_recall(scores: Sequence[float], truth: Sequence[bool], threshold: float) -> PrecisionRecall:
    """Precision and recall of ``score >= threshold`` as the drift prediction."""
    from drifttui.drift import metrics

    if not len(scores):
        return PrecisionRecall(None, None, 0, 0, 0)
    c = metrics.confusion_at(scores, truth, threshold)
    return PrecisionRecall(_none(c.precision), _none(c.recall), c.tp, c.fp, c.fn)


# ------------------------------------------------------------ session part
@dataclass(frozen=True)
class LabelledScore:
    """One labelled assistant turn and the scores of the swipe its label refers to."""

    turn: int
    swipe_id: int
    label: str
    scores: Mapping[str, Any]


@dataclass(frozen=True)
class ScoreAgreement:
    score: str
    target: str
    """``any`` (label ≠ in-character) or the score's own kind."""
    n: int
    positives: int
    threshold: float
    precision: float | None
    recall: float | None
    auroc: float | None
    kendall_tau: float | None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Agreement:
    """Agreement of each score with the user's labels."""

    items: list[LabelledScore]
    rows: list[ScoreAgreement] = field(default_factory=list)
    label_counts: dict[str, int] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not self.items

    def row(self, score: str, target: str = "any") -> ScoreAgreement | None:
        for r in self.rows:
            if r.score == score and r.target == target:
                return r
        return None

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": len(self.items),
            "labels": self.label_counts,
            "rows": [r.to_dict() for r in self.rows],
        }


def default_thresholds() -> dict[str, float]:
    """The drift scorer's alert thresholds when it defines them, else 0.5 each."""
    try:
        import drifttui.drift as drift

        found = getattr(drift, "THRESHOLDS", None)
    except ImportError:  # pragma: no cover - scorer not installed
        found = None
    out = {s: DEFAULT_THRESHOLD for s in SCORES}
    if isinstance(found, Mapping):
        out.update({k: float(v) for k, v in found.items() if k in out})
    return out


def labelled_scores(session: Any, scores: Mapping[tuple[int, int], Mapping[str, Any]] | None = None) -> list[LabelledScore]:
    """Labelled assistant turns with scores (``scores`` overrides the recorded ones, keyed (turn, swipe))."""
    out = []
    for index, turn in session.assistant_turns():
        if turn.label is None:
            continue
        k = session.labelled_swipe(index)
        found = (scores or {}).get((index, k)) or turn.swipes[k].scores
        if not found:
            continue
        out.append(LabelledScore(index, k, turn.label, found))
    return out


def compute(items: Sequence[LabelledScore], thresholds: Mapping[str, float] | None = None) -> Agreement:
    """Agreement rows for ``items`` (see the module docstring for the definitions)."""
    limits = {**default_thresholds(), **(thresholds or {})}
    report = Agreement(list(items))
    for item in items:
        report.label_counts[item.label] = report.label_counts.get(item.label, 0) + 1
    for score in SCORES:
        usable = [i for i in items if isinstance(i.scores.get(score), (int, float))]
        values = [float(i.scores[score]) for i in usable]
        for target in ("any", score):
            if target == "any":
                truth = [i.label != IN_CHARACTER for i in usable]
            else:
                truth = [i.label == score for i in usable]
            pr = precision_recall(values, truth, limits[score])
            report.rows.append(
                ScoreAgreement(
                    score=score,
                    target=target,
                    n=len(usable),
                    positives=sum(truth),
                    threshold=limits[score],
                    precision=pr.precision,
                    recall=pr.recall,
                    auroc=auroc(values, truth),
                    kendall_tau=kendall_tau_b(values, [float(t) for t in truth]) if usable else None,
                )
            )
    return report


def session_agreement(
    session: Any,
    scores: Mapping[tuple[int, int], Mapping[str, Any]] | None = None,
    thresholds: Mapping[str, float] | None = None,
) -> Agreement:
    """Agreement of a session's (or the given) scores with its labels."""
    return compute(labelled_scores(session, scores), thresholds)


def fmt(value: float | None, digits: int = 2) -> str:
    """A metric for tables: ``–`` when undefined."""
    return "–" if value is None else f"{value:.{digits}f}"
