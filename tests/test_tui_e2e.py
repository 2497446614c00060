"""End to end: the real app, the real default model, the real scorer and a real session file.

greeting → two user turns → scores shown → swipe → superposition → annotate → recorded.
"""

from __future__ import annotations

import pytest

from drifttui.conversation import Conversation
from drifttui.engine import open_engine
from drifttui.persona import default_persona
from drifttui.runtime import ChatRuntime, RuntimeOptions
from drifttui.tui.app import DriftApp
from drifttui.tui.screens import AnnotateScreen, SuperpositionScreen
from drifttui.tui.widgets import ChatMessage, ScoreGauge
from tests.tui_helpers import wait_until

pytestmark = pytest.mark.model


async def test_real_model_chat_scores_swipe_superposition_annotate(tmp_path, default_model_path):
    engine = open_engine(default_model_path, n_ctx=2048)
    options = RuntimeOptions(record=True, session_dir=tmp_path, superposition_n=3, control_n=2, probe_every=0)
    options.params = options.params.__class__(max_tokens=48, seed=7)

    def factory(conv, recorder=None):
        return ChatRuntime(conv, options, engine_factory=lambda: engine, recorder=recorder)

    app = DriftApp(factory, Conversation(default_persona()), sessions_dir=tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_until(pilot, lambda: app.chat is not None and app.chat.ready, timeout=120)
        chat = app.chat
        assert chat.runtime.scorer is not None, chat.runtime.notes
        widgets = list(chat.query(ChatMessage))
        assert widgets[0].text == default_persona().greeting

        for text in ("Hi! What do you do for a living?", "Where do you live, and do you have pets?"):
            before = len(chat.conversation.turns)
            await pilot.press(*text)
            await pilot.press("enter")
            await wait_until(pilot, lambda: len(chat.conversation.turns) == before + 2 and chat.generating is None, timeout=180)
        turns = chat.conversation.turns
        # the reply is in the conversation a moment before its scoring starts: wait for the scores themselves
        await wait_until(pilot, lambda: not chat.scoring and all(turns[i].swipe.scores is not None for i in (2, 4)), timeout=180)
        assert [t.role for t in turns] == ["assistant", "user", "assistant", "user", "assistant"]
        for i in (2, 4):
            scores = turns[i].swipe.scores
            assert scores is not None
            assert all(0.0 <= scores[k] <= 1.0 for k in ("local", "global", "factual"))
        gauge = chat.query_one("#gauge-global", ScoreGauge)
        assert gauge.value == turns[4].swipe.scores["global"]

        # swipe right past the last: a new alternative, scored on its own
        await pilot.press("right")
        await wait_until(pilot, lambda: len(turns[4].swipes) == 2 and chat.generating is None, timeout=180)
        await wait_until(pilot, lambda: not chat.scoring and turns[4].swipes[1].scores is not None, timeout=180)
        assert turns[4].swipe_id == 1 and turns[4].swipes[1].scores is not None
        await pilot.press("left")
        assert turns[4].swipe_id == 0

        # superposition: 3 alternatives, scored, with a dispersion ratio against the no-persona control
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, SuperpositionScreen) and not app.screen.running, timeout=300)
        screen = app.screen
        assert len(screen.swipes) == 3 and all(s.scores for s in screen.swipes)
        assert screen.analysis is not None and screen.analysis.ratio is not None
        await pilot.press("2")
        await wait_until(pilot, lambda: not isinstance(app.screen, SuperpositionScreen))
        assert len(turns[4].swipes) == 5 and turns[4].swipe_id == 3

        # annotate the shown reply
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, AnnotateScreen))
        await pilot.press("4", *"wrong city", "enter")
        await wait_until(pilot, lambda: turns[4].label == "factual")
        recorded = chat.runtime.recorder.path
    engine.close()

    from drifttui.session import load_session

    session = load_session(recorded)
    kept = session.conversation.turns
    assert len(kept) == 5 and len(kept[4].swipes) == 5 and kept[4].swipe_id == 3
    assert kept[4].label == "factual" and kept[4].note == "wrong city"
    assert all(s.scores is not None for s in kept[4].swipes)
