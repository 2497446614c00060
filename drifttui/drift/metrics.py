"""Agreement and ranking metrics, written out in numpy (no scikit-learn).

Used by ``scripts/eval_scorer.py`` (does a score rank drifting turns above
in-character ones?) and by session tooling that compares drift scores with
human labels. Every function takes plain sequences and ignores nothing
silently: NaNs raise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


def _arrays(scores: Sequence[float], labels: Sequence[bool | int]) -> tuple[np.ndarray, np.ndarray]:
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels).astype(bool)
    if s.shape != y.shape or s.ndim != 1:
        raise ValueError(f"scores and labels must be 1-D and the same length ({s.shape} vs {y.shape})")
    if np.isnan(s).any():
        raise ValueError("scores contain NaN")
    return s, y


def _ranks(values: np.ndarray) -> np.ndarray:
    """1-based ranks with ties given their average rank."""
    order = np.argsort(values, kind="mergesort")
    ranks = np.empty(len(values), dtype=np.float64)
    sorted_vals = values[order]
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and sorted_vals[j + 1] == sorted_vals[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2.0 + 1.0
        i = j + 1
    return ranks


def auroc(scores: Sequence[float], labels: Sequence[bool | int]) -> float:
    """Area under the ROC curve: P(score of a random positive > a random negative), ties count ½.

    Args:
        scores: Higher = more likely positive.
        labels: True/1 for positives.

    Returns:
        The AUROC in [0, 1], or NaN if either class is empty.
    """
    s, y = _arrays(scores, labels)
    n_pos, n_neg = int(y.sum()), int((~y).sum())
    if n_pos == 0 or n_neg == 0:
        return float("nan")
    ranks = _ranks(s)
    return float((ranks[y].sum() - n_pos * (n_pos + 1) / 2.0) / (n_pos * n_neg))


def average_precision(scores: Sequence[float], labels: Sequence[bool | int]) -> float:
    """Average precision (area under the precision-recall curve, step-wise), NaN without positives."""
    s, y = _arrays(scores, labels)
    if not y.any():
        return float("nan")
    order = np.argsort(-s, kind="mergesort")
    y_sorted = y[order]
    s_sorted = s[order]
    # treat tied scores as one threshold
    distinct = np.r_[np.diff(s_sorted) != 0, True]
    tp = np.cumsum(y_sorted)[distinct]
    fp = np.cumsum(~y_sorted)[distinct]
    precision = tp / (tp + fp)
    recall = tp / y.sum()
    prev_recall = np.r_[0.0, recall[:-1]]
    return float(((recall - prev_recall) * precision).sum())


@dataclass(frozen=True)
class Confusion:
    """Counts at one threshold, with the usual rates."""

    threshold: float
    tp: int
    fp: int
    tn: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float("nan")

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else float("nan")

    @property
    def false_positive_rate(self) -> float:
        return self.fp / (self.fp + self.tn) if self.fp + self.tn else float("nan")

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r and not np.isnan(p + r) else 0.0


def confusion_at(scores: Sequence[float], labels: Sequence[bool | int], threshold: float) -> Confusion:
    """Confusion counts when ``score >= threshold`` predicts positive."""
    s, y = _arrays(scores, labels)
    pred = s >= threshold
    return Confusion(
        threshold=float(threshold),
        tp=int((pred & y).sum()),
        fp=int((pred & ~y).sum()),
        tn=int((~pred & ~y).sum()),
        fn=int((~pred & y).sum()),
    )


def precision_recall(scores: Sequence[float], labels: Sequence[bool | int], threshold: float) -> tuple[float, float]:
    """``(precision, recall)`` at ``threshold``."""
    c = confusion_at(scores, labels, threshold)
    return c.precision, c.recall


def fire_rate(scores: Sequence[float], threshold: float) -> float:
    """Share of scores at or above ``threshold`` (NaN for no scores)."""
    s = np.asarray(scores, dtype=np.float64)
    return float((s >= threshold).mean()) if len(s) else float("nan")


def kendall_tau(x: Sequence[float], y: Sequence[float]) -> float:
    """Kendall's tau-b (tie-corrected rank correlation) between two paired sequences.

    O(n²), fine for the few hundred labelled turns a person produces.
    Returns NaN when either sequence is constant or shorter than 2.
    """
    a = np.asarray(x, dtype=np.float64)
    b = np.asarray(y, dtype=np.float64)
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError("x and y must be 1-D and the same length")
    if len(a) < 2:
        return float("nan")
    da = np.sign(a[:, None] - a[None, :])
    db = np.sign(b[:, None] - b[None, :])
    iu = np.triu_indices(len(a), k=1)
    da, db = da[iu], db[iu]
    concordant_minus_discordant = float((da * db).sum())
    n_a = float((da != 0).sum())
    n_b = float((db != 0).sum())
    if n_a == 0 or n_b == 0:
        return float("nan")
    return concordant_minus_discordant / np.sqrt(n_a * n_b)


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float:
    """Agreement of two annotators' labels beyond chance (NaN for no pairs; 1.0 when chance already agrees fully)."""
    n = len(pairs)
    if not n:
        return float("nan")
    observed = sum(a == b for a, b in pairs) / n
    labels = {label for pair in pairs for label in pair}
    expected = sum(sum(a == lab for a, _ in pairs) * sum(b == lab for _, b in pairs) for lab in labels) / n**2
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def spearman_rho(x: Sequence[float], y: Sequence[float]) -> float:
    """Spearman's rank correlation (average ranks for ties); NaN if either side is constant."""
    a = _ranks(np.asarray(x, dtype=np.float64))
    b = _ranks(np.asarray(y, dtype=np.float64))
    if len(a) < 2 or a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def best_threshold(scores: Sequence[float], labels: Sequence[bool | int]) -> Confusion:
    """The threshold (among the observed scores) with the highest F1."""
    s, _ = _arrays(scores, labels)
    best: Confusion | None = None
    for t in np.unique(s):
        c = confusion_at(scores, labels, float(t))
        if best is None or c.f1 > best.f1:
            best = c
    if best is None:
        raise ValueError("no scores")
    return best
