"""Token sampling from raw logits (numpy), seeded per reply so a seed repeats a reply."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from drifttui.engine._types import SamplingParams


def log_softmax_at(logits: np.ndarray, token: int) -> float:
    """``log softmax(logits)[token]`` without materialising the whole vector twice."""
    peak = float(logits.max())
    return float(logits[token] - peak - np.log(np.exp(logits - peak).sum()))


class Sampler:
    """Samples one sequence: penalties → top-k → temperature → top-p → min-p → draw.

    Matches the order llama.cpp's default sampler chain applies them in.
    """

    def __init__(self, params: SamplingParams, seed: int) -> None:
        self.params = params
        self.rng = np.random.default_rng(seed)

    def __call__(self, logits: np.ndarray, history: Sequence[int]) -> int:
        p = self.params
        logits = np.array(logits, dtype=np.float32, copy=True)
        if p.repeat_penalty != 1.0 and p.repeat_last_n and history:
            recent = np.unique(np.asarray(history[-p.repeat_last_n :], dtype=np.int64))
            values = logits[recent]
            logits[recent] = np.where(values > 0, values / p.repeat_penalty, values * p.repeat_penalty)
        if p.temperature <= 0:
            return int(np.argmax(logits))
        k = p.top_k if 0 < p.top_k < logits.size else logits.size
        if k < logits.size:
            candidates = np.argpartition(logits, -k)[-k:]
        else:
            candidates = np.arange(logits.size)
        scores = logits[candidates] / p.temperature
        order = np.argsort(-scores, kind="stable")
        candidates, scores = candidates[order], scores[order]
        probs = np.exp(scores - scores[0])
        probs /= probs.sum()
        if 0 < p.top_p < 1.0:
            keep = int(np.searchsorted(np.cumsum(probs), p.top_p) + 1)
            candidates, probs = candidates[:keep], probs[:keep]
        if p.min_p > 0:
            mask = probs >= p.min_p * probs[0]
            candidates, probs = candidates[mask], probs[mask]
        probs = probs / probs.sum()
        return int(candidates[self.rng.choice(len(candidates), p=probs)])
