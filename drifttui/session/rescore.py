"""Re-scoring a recorded session with the current scorer, and diffing.

The scorer is injected (anything with ``score(history, reply, turn)``
returning a ``TurnScore`` or its dict), so the diff logic is tested with a
small fake and run for real with :class:`drifttui.drift.DriftScorer`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from drifttui.session.agreement import SCORES, Agreement, session_agreement
from drifttui.session.reader import Session

DEFAULT_TOLERANCE = 1e-3
"""Score differences up to this are reported as equal (float noise)."""


class Scorer(Protocol):
    def score(self, history: Sequence[Any], reply: str, turn: int) -> Any: ...


def score_dict(result: Any) -> dict[str, Any]:
    """A scorer result as the stored dict (``TurnScore.to_dict()``)."""
    if isinstance(result, Mapping):
        return dict(result)
    to_dict = getattr(result, "to_dict", None)
    if callable(to_dict):
        return to_dict()
    raise TypeError(f"the scorer returned {type(result).__name__}, not a TurnScore or dict")


@dataclass
class SwipeRescore:
    """One swipe: its recorded scores, the current scorer's, and the differences."""

    turn: int
    swipe_id: int
    selected: bool
    label: str | None
    recorded: dict[str, Any] | None
    current: dict[str, Any]
    deltas: dict[str, float | None] = field(default_factory=dict)
    """score → current − recorded (``None`` when nothing was recorded)."""
    tolerance: float = DEFAULT_TOLERANCE

    @property
    def changed(self) -> bool:
        """Recorded, and some score moved by more than the tolerance."""
        return self.recorded is not None and any(d is not None and abs(d) > self.tolerance for d in self.deltas.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "turn": self.turn,
            "swipe_id": self.swipe_id,
            "selected": self.selected,
            "label": self.label,
            "recorded": _brief(self.recorded),
            "current": _brief(self.current),
            "deltas": self.deltas,
            "changed": self.changed,
        }


def _brief(scores: Mapping[str, Any] | None) -> dict[str, Any] | None:
    if scores is None:
        return None
    return {k: scores.get(k) for k in SCORES}


@dataclass
class Replay:
    """The outcome of :func:`rescore`."""

    session: Session
    rows: list[SwipeRescore]
    recorded_agreement: Agreement
    current_agreement: Agreement

    @property
    def changed(self) -> list[SwipeRescore]:
        return [r for r in self.rows if r.changed]

    @property
    def unrecorded(self) -> list[SwipeRescore]:
        return [r for r in self.rows if r.recorded is None]

    def scores(self) -> dict[tuple[int, int], dict[str, Any]]:
        return {(r.turn, r.swipe_id): r.current for r in self.rows}

    def to_dict(self) -> dict[str, Any]:
        return {
            "session": None if self.session.path is None else str(self.session.path),
            "swipes": len(self.rows),
            "changed": len(self.changed),
            "unrecorded": len(self.unrecorded),
            "rows": [r.to_dict() for r in self.rows],
            "agreement": {
                "recorded": self.recorded_agreement.to_dict(),
                "current": self.current_agreement.to_dict(),
            },
        }


def targets(session: Session, *, only_missing: bool = False) -> list[tuple[int, int]]:
    """(turn, swipe) pairs to score: every model-made assistant swipe, plus any already scored."""
    out = []
    for index, turn in session.assistant_turns():
        for k, swipe in enumerate(turn.swipes):
            if swipe.source == "greeting" and swipe.scores is None:
                continue
            if only_missing and swipe.scores is not None:
                continue
            out.append((index, k))
    return out


def rescore(
    session: Session,
    scorer: Scorer,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    only_missing: bool = False,
    thresholds: Mapping[str, float] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Replay:
    """Score every assistant swipe again with ``scorer`` and compare with the recorded scores.

    The history given for turn ``i`` is turns ``0..i-1`` as shown (their selected swipes),
    which is what the reply was generated from.
    """
    conv = session.conversation
    rows: list[SwipeRescore] = []
    todo = targets(session, only_missing=only_missing)
    for n, (index, k) in enumerate(todo):
        turn = conv.turns[index]
        swipe = turn.swipes[k]
        current = score_dict(scorer.score(conv.history(index), swipe.text, index))
        recorded = copy.deepcopy(swipe.scores)
        deltas: dict[str, float | None] = {}
        for key in SCORES:
            new, old = current.get(key), (recorded or {}).get(key)
            deltas[key] = (
                round(float(new) - float(old), 6)
                if isinstance(new, (int, float)) and isinstance(old, (int, float))
                else None
            )
        rows.append(
            SwipeRescore(
                turn=index,
                swipe_id=k,
                selected=k == turn.swipe_id,
                label=turn.label if session.labelled_swipe(index) == k else None,
                recorded=recorded,
                current=current,
                deltas=deltas,
                tolerance=tolerance,
            )
        )
        if progress is not None:
            progress(n + 1, len(todo))
    current_scores = {(r.turn, r.swipe_id): r.current for r in rows}
    return Replay(
        session=session,
        rows=rows,
        recorded_agreement=session_agreement(session, thresholds=thresholds),
        current_agreement=session_agreement(session, current_scores, thresholds),
    )


def with_scores(session: Session, scores: Mapping[tuple[int, int], Mapping[str, Any]], *, overwrite: bool = False) -> Session:
    """A copy of ``session`` whose swipes carry ``scores`` (missing ones only, unless ``overwrite``)."""
    out = copy.copy(session)
    out.conversation = copy.deepcopy(session.conversation)
    for (index, k), score in scores.items():
        swipe = out.conversation.turns[index].swipes[k]
        if overwrite or swipe.scores is None:
            swipe.scores = dict(score)
    return out
