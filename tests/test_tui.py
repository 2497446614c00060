"""Pilot tests for every interaction of the chat screen (fake engine and scorer: fast and exact)."""

from __future__ import annotations

from pathlib import Path

import pytest

from drifttui.conversation import Conversation, Swipe
from drifttui.tui.screens import AnnotateScreen, HelpScreen, PersonaPicker, SessionPicker, SuperpositionScreen
from drifttui.tui.widgets import ChatInput, ChatMessage, DriftPanel, ScoreGauge, StatusBar
from tests.tui_helpers import make_app, wait_until

SIZE = (80, 24)


def messages_of(app) -> list[ChatMessage]:
    return list(app.chat.query(ChatMessage))


async def send(pilot, text: str) -> None:
    app = pilot.app
    before = len(app.chat.conversation.turns)
    await pilot.press(*text)
    await pilot.press("enter")
    await wait_until(pilot, lambda: len(app.chat.conversation.turns) >= before + 2 and app.chat.generating is None)
    await wait_until(pilot, lambda: not app.chat.scoring)


async def ready(pilot) -> None:
    await wait_until(pilot, lambda: pilot.app.chat is not None and pilot.app.chat.ready)


async def test_greeting_comes_first_and_status_shows_model_persona():
    app, _engine, _scorer = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        widgets = messages_of(app)
        assert len(widgets) == 1
        assert widgets[0].role == "assistant" and widgets[0].text == "Mm. Come in, sit down."
        status = app.chat.query_one(StatusBar)
        assert status.model == "Fake 0B" and status.persona == "Mara Silva"
        assert status.context[1] == 2048 and status.context[0] > 0


async def test_enter_sends_streams_the_reply_and_scores_it():
    app, engine, scorer = make_app(lambda msgs, seed: "I am 29 and live in Porto, as an AI assistant would say.")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await send(pilot, "How old are you?")
        conv = app.chat.conversation
        assert [t.role for t in conv.turns] == ["assistant", "user", "assistant"]
        assert conv.turns[1].text == "How old are you?"
        assert conv.turns[2].text.startswith("I am 29")
        assert scorer.calls == [(2, conv.turns[2].text)]
        scores = conv.turns[2].swipe.scores
        assert scores["factual"] == 0.9 and scores["global"] == 0.8
        panel = app.chat.query_one(DriftPanel)
        assert panel.query_one("#gauge-factual", ScoreGauge).value == 0.9
        evidence = str(panel.query_one("#evidence").render())
        assert "contradicts fact age=34" in evidence
        assert app.chat.query_one(StatusBar).tokens_per_second == pytest.approx(100.0)
        # the prompt the engine saw: persona block first, then the greeting and the message
        prompt = engine.prompts[-1]
        assert prompt[0].role == "system" and "Mara Silva" in prompt[0].content
        assert prompt[-1].content == "How old are you?"


async def test_newline_key_adds_a_line_instead_of_sending():
    app, engine, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("h", "i", "ctrl+j", "y", "o")
        box = app.chat.query_one(ChatInput)
        assert box.text == "hi\nyo"
        assert engine.prompts == []
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(app.chat.conversation.turns) == 3)
        assert app.chat.conversation.turns[1].text == "hi\nyo"
        assert box.text == ""


async def test_escape_stops_generation_at_once_and_keeps_the_partial_reply():
    # 3000 words at 20 ms each would stream for a minute: stopping "at once" is the 2 s timeout
    # below, and the kept text is whatever had streamed (its length depends on the machine's load)
    long_reply = " ".join(f"word{i}" for i in range(3000))
    app, _engine, _ = make_app(lambda m, s: long_reply, delay=0.02)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press(*"talk", "enter")
        await wait_until(pilot, lambda: app.chat.generating is not None)
        await pilot.pause(0.3)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.chat.generating is None, timeout=2)
        turn = app.chat.conversation.turns[-1]
        assert turn.swipe.finish_reason == "cancelled"
        kept = turn.text.split()
        assert 0 < len(kept) < 3000 and kept == long_reply.split()[: len(kept)]
        assert "stopped" in str(messages_of(app)[-1].query_one(".msg-header").render())


async def test_swipes_keep_every_alternative_with_its_own_scores_and_the_chat_continues_from_the_shown_one():
    replies = iter(["First take, calm.", "Second take! Loud!", "Third take, quiet.", "Follow-up reply."])
    app, engine, _ = make_app(lambda m, s: next(replies))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await send(pilot, "hello")
        await pilot.press("right")  # past the last alternative: generate a new one
        await wait_until(pilot, lambda: len(app.chat.conversation.turns[2].swipes) == 2 and not app.chat.scoring)
        turn = app.chat.conversation.turns[2]
        assert [s.text for s in turn.swipes] == ["First take, calm.", "Second take! Loud!"]
        assert turn.swipe_id == 1
        assert turn.swipes[0].scores["local"] == 0.1 and turn.swipes[1].scores["local"] == 0.7
        header = str(messages_of(app)[-1].query_one(".msg-header").render())
        assert "‹2/2›" in header
        await pilot.press("left")
        assert turn.swipe_id == 0
        assert messages_of(app)[-1].text == "First take, calm."
        assert app.chat.query_one("#gauge-local", ScoreGauge).value == 0.1
        await pilot.press("left")  # already the first: nothing happens
        assert turn.swipe_id == 0
        await send(pilot, "go on")
        continued = engine.prompts[-1]
        assert continued[-2].content == "First take, calm."  # the shown swipe, not the newest


async def test_swipe_only_acts_on_the_last_assistant_message_and_greetings_cycle_alternates():
    app, engine, _ = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        greeting = app.chat.conversation.turns[0]
        n = len(greeting.swipes)
        assert n >= 2  # Mara Silva ships alternate greetings
        for _ in range(n + 2):
            await pilot.press("right")
        assert greeting.swipe_id == n - 1, "swiping a greeting never generates"
        assert engine.prompts == []


async def test_up_down_select_a_turn_for_the_panel():
    replies = iter(["I am 29.", "Calm answer."])
    app, _engine, _ = make_app(lambda m, s: next(replies))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await send(pilot, "age?")
        await send(pilot, "and?")
        gauge = app.chat.query_one("#gauge-factual", ScoreGauge)
        assert gauge.value == 0.0
        await pilot.press("up")
        assert app.chat.selected == 2
        assert gauge.value == 0.9
        assert app.chat.message_widget(2).selected
        await pilot.press("down")
        assert app.chat.shown_turn() == 4


async def test_annotate_a_turn_with_a_label_and_note():
    app, _e, _s = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await send(pilot, "hi")
        await pilot.press("ctrl+l")
        await wait_until(pilot, lambda: isinstance(app.screen, AnnotateScreen))
        await pilot.press("3")  # global drift
        await pilot.press(*"sounds like a chatbot", "enter")
        await wait_until(pilot, lambda: not isinstance(app.screen, AnnotateScreen))
        turn = app.chat.conversation.turns[2]
        assert (turn.label, turn.note) == ("global", "sounds like a chatbot")
        header = str(messages_of(app)[-1].query_one(".msg-header").render())
        assert "global" in header and "✎" in header


async def test_superposition_view_samples_scores_and_continues_with_the_picked_one():
    app, engine, scorer = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await send(pilot, "who are you?")
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, SuperpositionScreen) and not app.screen.running)
        screen = app.screen
        assert len(screen.swipes) == 4
        assert all(s.scores is not None for s in screen.swipes)
        assert screen.analysis is not None and screen.analysis.matrix.shape == (4, 4)
        assert screen.analysis.between is not None, "a no-persona control was sampled"
        control_prompts = [p for p in engine.prompts if p and p[0].role != "system"]
        assert control_prompts, "the control runs without the persona block"
        title = str(screen.query_one("#sp-title").render())
        assert "dispersion" in title and "4 alternatives" in title
        await pilot.press("3")
        await wait_until(pilot, lambda: not isinstance(app.screen, SuperpositionScreen))
        turn = app.chat.conversation.turns[2]
        assert len(turn.swipes) == 5
        assert turn.swipe_id == 1 + 2
        assert turn.swipe.text == screen.swipes[2].text
        assert "‹4/5›" in str(messages_of(app)[-1].query_one(".msg-header").render())


async def test_superposition_escape_keeps_all_alternatives_without_switching():
    app, _engine, _ = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await send(pilot, "hi")
        shown = app.chat.conversation.turns[2].text
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: isinstance(app.screen, SuperpositionScreen) and not app.screen.running)
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, SuperpositionScreen))
        turn = app.chat.conversation.turns[2]
        assert len(turn.swipes) == 5 and turn.text == shown


async def test_probes_run_on_demand_and_show_in_the_panel():
    app, _e, _s = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: app.chat.probe_results)
        text = str(app.chat.query_one("#probes").render())
        assert "1/1 pass" in text and "How old are you?" in text
        assert len(app.chat.conversation.turns) == 1, "probe answers never enter the chat"


async def test_probes_run_every_k_turns():
    app, _e, _s = make_app(probe_every=2)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await send(pilot, "one")
        assert not app.chat.probe_results
        await send(pilot, "two")
        await wait_until(pilot, lambda: app.chat.probe_results)


async def test_context_trim_marker_appears_when_old_turns_leave_the_window():
    app, engine, _ = make_app(lambda m, s: " ".join(["filler"] * 30))
    engine.info = type(engine.info)(**{**engine.info.__dict__, "n_ctx": 600})
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for i in range(10):
            await send(pilot, f"message number {i} with some words")
        conv = app.chat.conversation
        assert conv.trims, "a 600-token window must have been cut"
        markers = list(app.chat.query(".trim-marker"))
        assert markers and "context window cut" in str(markers[0].render())
        assert engine.prompts[-1][0].role == "system"


async def test_help_screen_lists_every_binding_with_its_id():
    app, _e, _s = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen))
        ids = {row[2] for row in app.screen.bindings_rows}
        assert {"drifttui.superposition", "drifttui.annotate", "drifttui.probes", "drifttui.regenerate", "drifttui.cancel", "drifttui.new_chat", "drifttui.pick_persona", "drifttui.open_session", "drifttui.help", "drifttui.quit"} <= ids
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_keymap_file_remaps_a_binding(tmp_path, monkeypatch):
    monkeypatch.setenv("DRIFTTUI_CONFIG_DIR", str(tmp_path))
    (tmp_path / "keymap.toml").write_text('"drifttui.superposition" = "f8"\n')
    app, _e, _s = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await send(pilot, "hi")
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, SuperpositionScreen))


async def test_command_palette_offers_the_main_actions():
    app, _e, _s = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await send(pilot, "hi")
        await pilot.press("ctrl+p")
        await pilot.press(*"superpos")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, SuperpositionScreen))


async def test_persona_picker_starts_a_new_chat_with_the_chosen_persona():
    app, _e, _s = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+t")
        await wait_until(pilot, lambda: isinstance(app.screen, PersonaPicker))
        from textual.widgets import OptionList

        options = app.screen.query_one(OptionList)
        target = next(i for i in range(options.option_count) if "viktor-hale" in (options.get_option_at_index(i).id or ""))
        options.highlighted = target
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.chat is not None and app.chat.conversation.persona.name == "Viktor Hale")
        await ready(pilot)
        assert app.chat.conversation.turns[0].text == "What are you selling."


async def test_new_chat_starts_over_with_the_same_persona():
    app, _e, _s = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await send(pilot, "hi")
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: len(app.chat.conversation.turns) == 1)
        assert app.chat.conversation.persona.name == "Mara Silva"


async def test_a_recorded_chat_can_be_opened_and_continued(tmp_path):
    app, engine, _ = make_app(record=True, session_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await send(pilot, "remember me")
        await pilot.press("ctrl+l", "2", "enter")
        await wait_until(pilot, lambda: app.chat.conversation.turns[2].label == "local")
        recorded = app.chat.runtime.recorder.path
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: len(app.chat.conversation.turns) == 1)
        await ready(pilot)
        await pilot.press("ctrl+o")
        await wait_until(pilot, lambda: isinstance(app.screen, SessionPicker))
        from textual.widgets import OptionList

        options = app.screen.query_one(OptionList)
        target = next(i for i in range(options.option_count) if options.get_option_at_index(i).id == str(recorded))
        options.highlighted = target
        await pilot.press("enter")
        await wait_until(pilot, lambda: len(app.chat.conversation.turns) == 3)
        await ready(pilot)
        turns = app.chat.conversation.turns
        assert turns[1].text == "remember me" and turns[2].label == "local"
        assert turns[2].swipe.scores is not None
        await send(pilot, "still there?")
        assert engine.prompts[-1][-3].content == "remember me"
    from drifttui.session import load_session

    session = load_session(recorded)
    assert [t.role for t in session.conversation.turns] == ["assistant", "user", "assistant", "user", "assistant"]


async def test_layout_fits_80x24():
    app, _e, _s = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await send(pilot, "hi")
        panel = app.chat.query_one(DriftPanel)
        chat_log = app.chat.query_one("#chat-log")
        assert panel.region.right <= 80 and chat_log.region.width >= 40
        assert app.chat.query_one(ChatInput).region.bottom <= 24
        assert panel.query_one("#gauge-global", ScoreGauge).region.width >= 20


async def test_quick_scores_show_at_once_and_only_the_full_scores_are_recorded(tmp_path):
    import threading

    from tests.tui_helpers import FakeScorer, _Score

    release = threading.Event()

    class ModelScorer(FakeScorer):
        """Full scores wait for ``release`` (the model passes); quick ones come at once."""

        uses_model = True

        def score(self, history, reply, turn, model=True):
            if not model:
                return _Score(turn, {"local": 0.2, "global": 0.3, "factual": 0.0}, [{"score": "info", "message": "info: quick scores", "turn": None, "data": {}}])
            release.wait(10)
            return super().score(history, reply, turn)

    scorer = ModelScorer()
    app, _engine, _ = make_app(lambda msgs, seed: "I am 29, as an AI assistant would say.", record=True, session_dir=tmp_path, scorer=scorer)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press(*"How old are you?", "enter")
        chat = app.chat
        await wait_until(pilot, lambda: (2, 0) in chat.quick_scores)
        panel = chat.query_one(DriftPanel)
        await wait_until(pilot, lambda: panel.query_one("#gauge-global", ScoreGauge).value == 0.3)
        assert chat.conversation.turns[2].swipe.scores is None  # not the conversation's (so not recorded)
        assert "refining" in str(messages_of(app)[-1].status)
        release.set()
        await wait_until(pilot, lambda: not chat.scoring)
        assert chat.conversation.turns[2].swipe.scores["global"] == 0.8
        assert panel.query_one("#gauge-global", ScoreGauge).value == 0.8 and not chat.quick_scores
        recorded = chat.runtime.recorder.path
    from drifttui.session import load_session

    session = load_session(recorded)
    assert session.conversation.turns[2].swipe.scores["global"] == 0.8
    assert b'"global":0.3' not in recorded.read_bytes()  # the quick scores never reached the file


def test_a_full_score_reads_1_0_not_00():
    """A score that rounds to one was shown as ".00" (the app printed "L.00 G.00" on a reply that scored 1.0)."""
    from drifttui.tui.widgets._gauge import compact

    assert [compact(x) for x in (0.0, 0.004, 0.42, 0.994, 0.996, 1.0)] == [".00", ".00", ".42", ".99", "1.0", "1.0"]
    header = ChatMessage(3, "assistant", "Mara", "Certainly!", scores={"local": 1.0, "global": 0.9999, "factual": 0.07})._header()
    assert "L1.0 G1.0 F.07" in header.plain
