"""Replaying events into a :class:`~drifttui.conversation.Conversation`.

Each event is checked against the state it applies to (turn exists, role
fits, swipe index in range); a violation is a :class:`ValueError` whose text
the reader turns into ``FILE:LINE: message``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from drifttui.conversation import LABELS, Conversation, Swipe, Trim, Turn
from drifttui.session.format import SWIPE_DRIFT_FIELDS, type_problem, swipe_from_info


@dataclass
class ProbeRecord:
    """Probe answers asked (in a fork) after turn ``turn``."""

    turn: int
    results: list[dict[str, Any]]
    at: str = ""


@dataclass
class Rebuilder:
    """Applies events, in file order, to a conversation."""

    conversation: Conversation
    probes: list[ProbeRecord] = field(default_factory=list)
    label_swipes: dict[int, int] = field(default_factory=dict)
    """Turn index → the swipe shown when it was labelled."""
    resumes: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def apply(self, event: dict[str, Any]) -> list[str]:
        """Apply one validated event; returns warnings (raises ValueError on a contradiction)."""
        handler = getattr(self, f"_on_{event['type']}")
        return handler(event) or []

    # ---------------------------------------------------------------- helpers
    @property
    def turns(self) -> list[Turn]:
        return self.conversation.turns

    def _new_turn_index(self, event: dict[str, Any]) -> None:
        if event["turn"] != len(self.turns):
            raise ValueError(
                f"{event['type']} event for turn {event['turn']}, but the chat has {len(self.turns)} turns so far "
                f"(expected turn {len(self.turns)})"
            )

    def _turn(self, event: dict[str, Any], key: str = "turn", role: str | None = None) -> Turn:
        index = event[key]
        if not 0 <= index < len(self.turns):
            raise ValueError(f"{event['type']} event refers to turn {index}, but the chat has {len(self.turns)} turns")
        turn = self.turns[index]
        if role is not None and turn.role != role:
            raise ValueError(f"{event['type']} event refers to turn {index}, which is a {turn.role} turn")
        return turn

    def _swipe_index(self, event: dict[str, Any], turn: Turn) -> int:
        k = event["swipe_id"]
        if not 0 <= k < len(turn.swipes):
            raise ValueError(
                f"{event['type']} event refers to swipe {k} of turn {event['turn']}, which has {len(turn.swipes)} swipes"
            )
        return k

    @staticmethod
    def _check_info(info: Any, where: str) -> dict[str, Any]:
        if info is None:
            return {}
        if not isinstance(info, dict):
            raise ValueError(f"{where} must be an object")
        drift = info.get("drift", {})
        if drift is None:
            return info
        if not isinstance(drift, dict):
            raise ValueError(f"{where}.drift must be an object")
        for key, (types, _required) in SWIPE_DRIFT_FIELDS.items():
            if key in drift:
                problem = type_problem(drift[key], types)
                if problem:
                    raise ValueError(f"{where}.drift.{key} must be {problem}")
        if "send_date" in info and not isinstance(info["send_date"], str):
            raise ValueError(f"{where}.send_date must be a string")
        return info

    # ----------------------------------------------------------------- events
    def _on_user(self, event: dict[str, Any]) -> None:
        self._new_turn_index(event)
        swipe = Swipe(event["mes"], source="user")
        if "send_date" in event:
            swipe.created = event["send_date"]
        self.turns.append(Turn("user", [swipe]))

    def _on_assistant(self, event: dict[str, Any]) -> list[str]:
        self._new_turn_index(event)
        texts = event["swipes"]
        if not texts:
            raise ValueError("assistant event with an empty 'swipes' list")
        for k, text in enumerate(texts):
            if not isinstance(text, str):
                raise ValueError(f"swipes[{k}] must be a string")
        infos = event.get("swipe_info") or []
        if infos and len(infos) != len(texts):
            raise ValueError(f"'swipe_info' has {len(infos)} entries for {len(texts)} swipes")
        swipes = [
            swipe_from_info(text, self._check_info(infos[k] if infos else None, f"swipe_info[{k}]"))
            for k, text in enumerate(texts)
        ]
        swipe_id = event["swipe_id"]
        if not 0 <= swipe_id < len(swipes):
            raise ValueError(f"swipe_id {swipe_id} is out of range for {len(swipes)} swipes")
        self.turns.append(Turn("assistant", swipes, swipe_id))
        if "mes" in event and event["mes"] != texts[swipe_id]:
            return [f"'mes' differs from swipes[{swipe_id}]; using the swipe"]
        return []

    def _on_swipe(self, event: dict[str, Any]) -> None:
        turn = self._turn(event, role="assistant")
        if event["swipe_id"] != len(turn.swipes):
            raise ValueError(
                f"swipe event adds swipe {event['swipe_id']} to turn {event['turn']}, which has {len(turn.swipes)} swipes "
                f"(expected swipe_id {len(turn.swipes)})"
            )
        info = self._check_info(event.get("swipe_info"), "swipe_info")
        turn.swipes.append(swipe_from_info(event["mes"], info))
        if event.get("selected", True):
            turn.swipe_id = len(turn.swipes) - 1

    def _on_select(self, event: dict[str, Any]) -> None:
        turn = self._turn(event)
        turn.swipe_id = self._swipe_index(event, turn)

    def _on_edit(self, event: dict[str, Any]) -> None:
        turn = self._turn(event)
        turn.swipes[self._swipe_index(event, turn)].text = event["mes"]

    def _on_annotate(self, event: dict[str, Any]) -> list[str]:
        turn = self._turn(event)
        label, note = event["label"], event.get("note", "")
        if "swipe_id" in event:
            self._swipe_index(event, turn)
        warnings = []
        if label is not None and label not in LABELS:
            warnings.append(f"unknown label {label!r} (known: {', '.join(LABELS)}); kept as is")
        turn.label, turn.note = label, note
        if label is None:
            self.label_swipes.pop(event["turn"], None)
        else:
            self.label_swipes[event["turn"]] = event.get("swipe_id", turn.swipe_id)
        return warnings

    def _on_score(self, event: dict[str, Any]) -> None:
        turn = self._turn(event, role="assistant")
        turn.swipes[self._swipe_index(event, turn)].scores = event["drift"]

    def _on_probe(self, event: dict[str, Any]) -> None:
        if not 0 <= event["turn"] < max(len(self.turns), 1):
            raise ValueError(f"probe event refers to turn {event['turn']}, but the chat has {len(self.turns)} turns")
        for k, result in enumerate(event["results"]):
            if not isinstance(result, dict):
                raise ValueError(f"results[{k}] must be an object")
        self.probes.append(ProbeRecord(event["turn"], event["results"], event.get("at", "")))

    def _on_trim(self, event: dict[str, Any]) -> None:
        trim = Trim(event["at_turn"], event["first_kept"], event.get("dropped_tokens", 0))
        if trim.first_kept < 0 or trim.at_turn < 0:
            raise ValueError("trim event with a negative turn index")
        self.conversation.trims.append(trim)
        self.conversation.context_start = max(self.conversation.context_start, trim.first_kept)

    def _on_pin(self, event: dict[str, Any]) -> None:
        self.conversation.pin(event["fact"])

    def _on_unpin(self, event: dict[str, Any]) -> list[str]:
        if event["fact"] in self.conversation.pinned:
            self.conversation.pinned.remove(event["fact"])
            return []
        return [f"unpin of a fact that was not pinned: {event['fact']!r}"]

    def _on_truncate(self, event: dict[str, Any]) -> None:
        n = event["turns"]
        if not 0 <= n <= len(self.turns):
            raise ValueError(f"truncate to {n} turns, but the chat has {len(self.turns)}")
        del self.turns[n:]  # trims stay: the conversation keeps its record of past cuts
        self.probes = [p for p in self.probes if p.turn < n]
        self.label_swipes = {t: k for t, k in self.label_swipes.items() if t < n}

    def _on_resume(self, event: dict[str, Any]) -> None:
        self.resumes.append(event)

    def _on_recover(self, event: dict[str, Any]) -> None:
        pass  # handled by the reader (it names the torn line this event vouches for)
