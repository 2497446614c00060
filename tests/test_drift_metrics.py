"""Ranking and agreement metrics (drifttui.drift.metrics), checked against hand-computed values."""

from __future__ import annotations

import math

import pytest

from drifttui.drift.metrics import (
    auroc,
    average_precision,
    best_threshold,
    cohen_kappa,
    confusion_at,
    fire_rate,
    kendall_tau,
    precision_recall,
    spearman_rho,
)


def test_auroc_perfect_inverted_and_chance():
    assert auroc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]) == 1.0
    assert auroc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1]) == 0.0
    assert auroc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1]) == 0.5


def test_auroc_counts_ties_as_half():
    # positives 0.5, 0.9; negatives 0.5, 0.1 → pairs: (0.5 vs 0.5)=½, (0.5 vs 0.1)=1, (0.9 vs 0.5)=1, (0.9 vs 0.1)=1
    assert auroc([0.5, 0.9, 0.5, 0.1], [1, 1, 0, 0]) == pytest.approx(3.5 / 4)


def test_auroc_needs_both_classes():
    assert math.isnan(auroc([0.1, 0.2], [1, 1]))
    with pytest.raises(ValueError):
        auroc([0.1, float("nan")], [0, 1])


def test_average_precision():
    assert average_precision([0.9, 0.8, 0.1], [1, 1, 0]) == pytest.approx(1.0)
    # ranking: pos, neg, pos → AP = (1/1 + 2/3) / 2
    assert average_precision([0.9, 0.8, 0.7], [1, 0, 1]) == pytest.approx((1 + 2 / 3) / 2)


def test_confusion_precision_recall_fire_rate():
    c = confusion_at([0.9, 0.6, 0.4, 0.2], [1, 0, 1, 0], 0.5)
    assert (c.tp, c.fp, c.tn, c.fn) == (1, 1, 1, 1)
    assert precision_recall([0.9, 0.6, 0.4, 0.2], [1, 0, 1, 0], 0.5) == (0.5, 0.5)
    assert fire_rate([0.9, 0.6, 0.4, 0.2], 0.5) == 0.5
    assert best_threshold([0.9, 0.6, 0.4, 0.2], [1, 1, 0, 0]).threshold == 0.6


def test_kendall_tau_b():
    assert kendall_tau([1, 2, 3, 4], [1, 2, 3, 4]) == pytest.approx(1.0)
    assert kendall_tau([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    # one discordant pair of six: (5 - 1) / 6
    assert kendall_tau([1, 2, 3, 4], [1, 2, 4, 3]) == pytest.approx(4 / 6)
    # with ties (tau-b): x = [1,1,2], y = [1,2,3]: n_c=2, n_d=0, pairs untied in x = 2, in y = 3
    assert kendall_tau([1, 1, 2], [1, 2, 3]) == pytest.approx(2 / math.sqrt(2 * 3))
    assert math.isnan(kendall_tau([1, 1, 1], [1, 2, 3]))


def test_spearman():
    assert spearman_rho([1, 2, 3], [10, 20, 30]) == pytest.approx(1.0)
    assert spearman_rho([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)


def test_cohen_kappa_against_hand_computed_values():
    # 10 pairs: 7 agree; A says x 5 times, B says x 6 times -> expected (5*6 + 5*4) / 100 = 0.5
    pairs = [("x", "x")] * 4 + [("y", "y")] * 3 + [("x", "y")] + [("y", "x")] * 2
    assert cohen_kappa(pairs) == pytest.approx((0.7 - 0.5) / 0.5)
    assert cohen_kappa([("a", "a"), ("b", "b")]) == pytest.approx(1.0)
    assert cohen_kappa([("a", "a"), ("a", "a")]) == 1.0  # chance agrees fully
    assert math.isnan(cohen_kappa([]))
