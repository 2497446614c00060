"""Character superposition: how far apart N alternatives of one turn are.

Pure functions over texts (and an optional sentence embedder). Given the N
alternatives a persona produced for one turn and a *control* set (the same
turn with no persona, or under another persona), report:

- the pairwise distance matrix of the alternatives;
- groups of alternatives that express the same "character" (average-linkage
  clustering under a distance threshold);
- the **dispersion ratio** = spread within the alternatives ÷ spread between
  them and the control. Near or above 1, the run-to-run variance of one
  persona rivals the difference the persona makes at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from rapidfuzz.distance import Indel


class _Encoder(Protocol):
    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def cosine_distances(a: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
    """``1 - cos`` between the rows of ``a`` and the rows of ``b`` (default: ``a``)."""
    b = a if b is None else b
    an = a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)
    bn = b / np.maximum(np.linalg.norm(b, axis=1, keepdims=True), 1e-12)
    return np.clip(1.0 - an @ bn.T, 0.0, 2.0)


def lexical_distances(a: Sequence[str], b: Sequence[str] | None = None) -> np.ndarray:
    """Normalised word-level edit distance: the fallback when no embedder is available."""
    b = a if b is None else b
    wa = [tuple(t.lower().split()) for t in a]
    wb = [tuple(t.lower().split()) for t in b]
    return np.array([[Indel.normalized_distance(x, y) for y in wb] for x in wa], dtype=np.float64)


def distances(
    texts: Sequence[str], other: Sequence[str] | None = None, embedder: _Encoder | None = None
) -> tuple[np.ndarray, str]:
    """Distance matrix between ``texts`` and ``other`` (default ``texts``), and the method used."""
    if embedder is not None:
        va = embedder.encode(list(texts))
        vb = va if other is None else embedder.encode(list(other))
        return cosine_distances(va, vb), "embedding cosine"
    return lexical_distances(texts, other), "word edit distance (no embedder)"


def mean_offdiagonal(matrix: np.ndarray) -> float:
    n = matrix.shape[0]
    if n < 2:
        return 0.0
    return float((matrix.sum() - np.trace(matrix)) / (n * (n - 1)))


def cluster(matrix: np.ndarray, threshold: float) -> list[list[int]]:
    """Average-linkage agglomerative clustering: merge while the closest groups are under ``threshold``."""
    groups = [[i] for i in range(matrix.shape[0])]
    while len(groups) > 1:
        best, pair = None, None
        for i in range(len(groups)):
            for j in range(i + 1, len(groups)):
                d = float(matrix[np.ix_(groups[i], groups[j])].mean())
                if best is None or d < best:
                    best, pair = d, (i, j)
        if best is None or best > threshold or pair is None:
            break
        i, j = pair
        groups[i] = sorted(groups[i] + groups[j])
        del groups[j]
    return sorted(groups, key=lambda g: (-len(g), g[0]))


@dataclass
class Superposition:
    """What N alternatives of one turn look like side by side."""

    texts: list[str]
    matrix: np.ndarray = field(repr=False)
    groups: list[list[int]]
    within: float
    """Mean pairwise distance among the alternatives."""
    between: float | None
    """Mean distance from the alternatives to the control replies (None without a control)."""
    method: str
    control: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        """Dispersion ratio: within ÷ between (None without a control)."""
        if self.between is None or self.between <= 1e-9:
            return None
        return self.within / self.between

    def nearest(self, i: int) -> int | None:
        """The alternative closest to alternative ``i``."""
        if len(self.texts) < 2:
            return None
        row = self.matrix[i].copy()
        row[i] = np.inf
        return int(np.argmin(row))

    def to_dict(self) -> dict:
        return {
            "texts": self.texts,
            "matrix": np.round(self.matrix, 4).tolist(),
            "groups": self.groups,
            "within": round(self.within, 4),
            "between": None if self.between is None else round(self.between, 4),
            "ratio": None if self.ratio is None else round(self.ratio, 4),
            "method": self.method,
            "control": self.control,
        }


def analyse(
    texts: Sequence[str],
    control: Sequence[str] = (),
    embedder: _Encoder | None = None,
    *,
    threshold: float | None = None,
) -> Superposition:
    """Distances, groups and dispersion ratio of ``texts`` against ``control``.

    Args:
        texts: The alternatives of one turn under the persona.
        control: Replies to the same turn without the persona (or under another persona).
        embedder: Sentence embedder; without one, word edit distance is used.
        threshold: Distance under which alternatives count as the same character
            (default 0.35 for embeddings, 0.6 for edit distance).
    """
    texts = list(texts)
    matrix, method = distances(texts, embedder=embedder)
    if threshold is None:
        threshold = 0.35 if embedder is not None else 0.6
    between = None
    if control:
        cross, _ = distances(texts, list(control), embedder=embedder)
        between = float(cross.mean())
    return Superposition(
        texts=texts,
        matrix=matrix,
        groups=cluster(matrix, threshold),
        within=mean_offdiagonal(matrix),
        between=between,
        method=method,
        control=list(control),
    )
