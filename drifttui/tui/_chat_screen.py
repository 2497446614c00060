"""The chat screen: messages on the left, the drift panel on the right, the input below.

The screen owns one :class:`~drifttui.runtime.ChatRuntime`. It changes the
conversation only on the UI thread; generation, scoring and probes run in
thread workers that post messages back (never blocking the event loop).
"""

from __future__ import annotations

import time
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from drifttui.conversation import Swipe
from drifttui.engine import CancelToken
from drifttui.runtime import ChatRuntime
from drifttui.tui.messages import (
    EngineFailed,
    EngineReady,
    ProbesReady,
    ReplyDone,
    ReplyFailed,
    ReplyPiece,
    ScoreReady,
)
from drifttui.tui.screens import AnnotateScreen, Annotation, SuperpositionResult, SuperpositionScreen
from drifttui.tui.widgets import ChatInput, ChatMessage, DriftPanel, StatusBar


class ChatScreen(Screen):
    """One conversation under one persona."""

    DEFAULT_CSS = """
    ChatScreen #chat-log { width: 1fr; padding: 0 1; }
    ChatScreen .trim-marker { color: $warning; text-style: italic; height: 1; margin: 0 0 1 0; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Stop", id="drifttui.cancel"),
        Binding("ctrl+r", "regenerate", "Regenerate", id="drifttui.regenerate"),
        Binding("ctrl+g", "superposition", "Superposition", id="drifttui.superposition"),
        Binding("ctrl+l", "annotate", "Label", id="drifttui.annotate"),
        Binding("ctrl+f", "probes", "Probes", id="drifttui.probes"),
    ]

    def __init__(self, runtime: ChatRuntime, *, notes: list[str] | None = None) -> None:
        super().__init__()
        self.runtime = runtime
        self.conversation = runtime.conversation
        self.ready = False
        self.generating: int | None = None
        """Turn index being generated into, if any."""
        self.cancel_token: CancelToken | None = None
        self.selected: int | None = None
        """Assistant turn the panel shows (None: the latest)."""
        self.scoring: set[tuple[int, int]] = set()
        self._last_follow = 0.0
        self.quick_scores: dict[tuple[int, int], dict[str, Any] | None] = {}
        """Quick scores shown while the full ones are computed (never recorded)."""
        self.probe_results: list[Any] = []
        self.probe_turn: int | None = None
        self.start_notes = list(notes or [])

    # ---------------------------------------------------------------- layout
    def compose(self) -> ComposeResult:
        with Horizontal():
            yield VerticalScroll(id="chat-log")
            yield DriftPanel(id="drift-panel")
        yield ChatInput(id="chat-input")
        yield StatusBar(id="status")
        yield Footer()

    @property
    def chat_log(self) -> VerticalScroll:
        return self.query_one("#chat-log", VerticalScroll)

    @property
    def panel(self) -> DriftPanel:
        return self.query_one(DriftPanel)

    @property
    def status(self) -> StatusBar:
        return self.query_one(StatusBar)

    def message_widget(self, turn: int) -> ChatMessage | None:
        found = self.chat_log.query(f"#turn-{turn}")
        return found.first(ChatMessage) if found else None

    async def on_mount(self) -> None:
        persona = self.conversation.persona
        self.status.persona = persona.name
        self.status.activity = "loading model…"
        await self._render_conversation()
        self.query_one(ChatInput).focus()
        self._load()

    def on_resize(self) -> None:
        self.panel.styles.width = 30 if self.size.width < 100 else 38

    async def _render_conversation(self) -> None:
        """Mount a widget per turn (a new chat shows the greeting; a resumed one, everything)."""
        widgets = []
        trims = {t.first_kept for t in self.conversation.trims}
        for i, turn in enumerate(self.conversation.turns):
            if i in trims:
                widgets.append(self._trim_marker(i))
            widgets.append(self._widget_for(i))
        if widgets:
            await self.chat_log.mount_all(widgets)
            self.chat_log.scroll_end(animate=False)
        self._refresh_panel()

    def _speaker(self, role: str) -> str:
        return "You" if role == "user" else self.conversation.persona.name

    def _widget_for(self, i: int) -> ChatMessage:
        turn = self.conversation.turns[i]
        return ChatMessage(
            i,
            turn.role,
            self._speaker(turn.role),
            turn.text,
            swipe_id=turn.swipe_id,
            n_swipes=len(turn.swipes),
            label=turn.label,
            note=turn.note,
            scores=turn.swipe.scores,
            finish_reason=turn.swipe.finish_reason,
        )

    def _trim_marker(self, first_kept: int) -> Static:
        return Static(f"✂ context window cut here: turns before {first_kept} are no longer seen by the model", classes="trim-marker")

    # ------------------------------------------------------------------ load
    @work(thread=True, exclusive=True, group="load")
    def _load(self) -> None:
        try:
            self.runtime.load()
        except Exception as exc:
            self.post_message(EngineFailed(f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(EngineReady(list(self.runtime.notes)))
        self.runtime.prepare_scorer()  # the chat is usable meanwhile

    @on(EngineReady)
    def _engine_ready(self, message: EngineReady) -> None:
        self.ready = True
        engine = self.runtime.engine
        assert engine is not None
        self.status.model = engine.info.model_name
        self.status.activity = ""
        if self.runtime.recorder is not None:
            self.status.recording = str(self.runtime.recorder.path.name)
        self.panel.show_notes([*self.start_notes, *message.notes])
        self._update_context()
        # a resumed chat ending in a user turn, or unscored turns: catch up
        for i, turn in enumerate(self.conversation.turns):
            if turn.role == "assistant" and turn.swipe.source == "model" and turn.swipe.scores is None:
                self._start_scoring(i, turn.swipe_id)

    @on(EngineFailed)
    def _engine_failed(self, message: EngineFailed) -> None:
        self.status.activity = "model failed to load"
        self.panel.show_notes([message.error])
        self.notify(message.error, title="Could not load the model", severity="error", timeout=30)

    # ------------------------------------------------------------------ send
    @on(ChatInput.Submitted)
    async def _submit(self, message: ChatInput.Submitted) -> None:
        if not self.ready:
            self.notify("The model is still loading…", severity="warning")
            return
        if self.generating is not None:
            self.notify("Still generating: Esc stops it.", severity="warning")
            return
        message.input.clear()
        index = len(self.conversation.turns)
        self.conversation.add_user(message.text)
        self.runtime.sync()
        await self.chat_log.mount(self._widget_for(index))
        await self._generate(index + 1, new_turn=True)

    async def _generate(self, turn: int, *, new_turn: bool) -> None:
        """Stream a reply into turn ``turn`` (a new turn, or a new swipe of an existing one)."""
        trims_before = len(self.conversation.trims)
        try:
            messages = self.runtime.context(upto=turn)
        except OverflowError as exc:
            self.notify(str(exc), title="Message too long for the context window", severity="error", timeout=15)
            return
        if len(self.conversation.trims) > trims_before:
            marker_at = self.conversation.trims[-1].first_kept
            anchor = self.message_widget(marker_at)
            if anchor is not None:
                await self.chat_log.mount(self._trim_marker(marker_at), before=anchor)
        if new_turn:
            widget = ChatMessage(turn, "assistant", self._speaker("assistant"))
            await self.chat_log.mount(widget)
            n_swipes = 1
            swipe_id = 0
        else:
            widget = self.message_widget(turn)
            assert widget is not None
            n_swipes = len(self.conversation.turns[turn].swipes) + 1
            swipe_id = n_swipes - 1
        widget.start_stream(swipe_id=swipe_id, n_swipes=n_swipes)
        self.chat_log.scroll_end(animate=False)
        self.generating = turn
        self.cancel_token = CancelToken()
        self.status.activity = "generating…"
        self._select(None)
        self._stream_worker(turn, new_turn, messages, self.cancel_token)

    @work(thread=True, group="generate")
    def _stream_worker(self, turn: int, new_turn: bool, messages: list, cancel: CancelToken) -> None:
        try:
            reply, swipe = self.runtime.generate(messages, cancel=cancel, on_piece=lambda p: self.post_message(ReplyPiece(turn, p)))
        except Exception as exc:
            self.post_message(ReplyFailed(turn, new_turn, f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(ReplyDone(turn, new_turn, reply, swipe, len(messages)))

    @on(ReplyPiece)
    def _piece(self, message: ReplyPiece) -> None:
        widget = self.message_widget(message.turn)
        if widget is not None:
            widget.append(message.text)
            # follow the stream at the widget's refresh rate, not per token: on a 2-core
            # laptop every layout pass here is CPU the model's threads do not get
            now = time.monotonic()
            if self.selected is None and now - self._last_follow >= 1 / 15:
                self._last_follow = now
                self.chat_log.scroll_end(animate=False)

    @on(ReplyDone)
    async def _reply_done(self, message: ReplyDone) -> None:
        self.cancel_token = None
        self.status.activity = ""
        widget = self.message_widget(message.turn)
        reply, swipe = message.reply, message.swipe
        if reply.finish_reason == "cancelled" and not swipe.text:
            self.generating = None
            # nothing worth keeping: drop the empty alternative
            if message.new_turn:
                if widget is not None:
                    await widget.remove()
            else:
                await self._show_swipe(message.turn)
            self.notify("Generation stopped.")
            return
        if message.new_turn:
            self.conversation.add_assistant(swipe)
        else:
            self.conversation.add_swipe(message.turn, swipe)
        turn = self.conversation.turns[message.turn]
        try:
            if widget is not None:
                await widget.finish(swipe.text, finish_reason=reply.finish_reason)
                widget.n_swipes, widget.swipe_id = len(turn.swipes), turn.swipe_id
                widget.refresh_header()
        finally:
            # not before: between the reply's end and its scoring's start, nothing may look idle
            self.generating = None
        self.runtime.sync()
        self.status.tokens_per_second = reply.tokens_per_second
        self._update_context()
        self._start_scoring(message.turn, turn.swipe_id)
        self._refresh_panel()
        self._maybe_probe()
        self.chat_log.scroll_end(animate=False)

    @on(ReplyFailed)
    async def _reply_failed(self, message: ReplyFailed) -> None:
        self.generating = None
        self.status.activity = ""
        widget = self.message_widget(message.turn)
        if message.new_turn and widget is not None:
            await widget.remove()
        elif widget is not None:
            await self._show_swipe(message.turn)
        self.notify(message.error, title="Generation failed", severity="error", timeout=15)

    def action_cancel(self) -> None:
        if self.cancel_token is not None:
            self.cancel_token.cancel()

    # --------------------------------------------------------------- scoring
    def _start_scoring(self, turn: int, swipe_id: int) -> None:
        if self.runtime.scorer is None or (turn, swipe_id) in self.scoring:
            return
        t = self.conversation.turns[turn]
        swipe = t.swipes[swipe_id]
        if swipe.source == "greeting":
            return
        self.scoring.add((turn, swipe_id))
        history = self.conversation.history(upto=turn)
        widget = self.message_widget(turn)
        if widget is not None and widget.swipe_id == swipe_id:
            widget.set_scores(None, "scoring…")
        self._score_worker(turn, swipe_id, history, swipe.text)

    @work(thread=True, group="score")
    def _score_worker(self, turn: int, swipe_id: int, history: list, text: str) -> None:
        try:
            if self.runtime.scorer_uses_model:
                try:
                    quick = self.runtime.score(history, text, turn, quick=True)
                except Exception:  # only a preview: the full scores below say what went wrong
                    quick = None
                if quick is not None:
                    self.post_message(ScoreReady(turn, swipe_id, text, quick, provisional=True))
            scores = self.runtime.score(history, text, turn)
        except Exception as exc:
            self.post_message(ScoreReady(turn, swipe_id, text, None, f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(ScoreReady(turn, swipe_id, text, scores))

    @on(ScoreReady)
    def _score_ready(self, message: ScoreReady) -> None:
        key = (message.turn, message.swipe_id)
        if message.provisional:
            if key not in self.scoring:
                return  # the full scores are already here
        else:
            self.scoring.discard(key)
            self.quick_scores.pop(key, None)
        if message.turn >= len(self.conversation.turns):
            return
        turn = self.conversation.turns[message.turn]
        if message.swipe_id >= len(turn.swipes) or turn.swipes[message.swipe_id].text != message.text:
            return  # the conversation moved on (new chat, truncated)
        if message.provisional:
            # shown, never recorded: the session keeps only the full scores
            self.quick_scores[key] = message.scores
            widget = self.message_widget(message.turn)
            if widget is not None and widget.swipe_id == message.swipe_id:
                widget.set_scores(message.scores, "refining…")
            self._refresh_panel()
            return
        if message.error:
            self.notify(message.error, title="Scoring failed", severity="warning")
        turn.swipes[message.swipe_id].scores = message.scores
        self.runtime.sync()
        widget = self.message_widget(message.turn)
        if widget is not None and widget.swipe_id == message.swipe_id:
            widget.set_scores(message.scores, "" if not message.error else "scoring failed")
        self._refresh_panel()

    # ---------------------------------------------------------------- probes
    def _maybe_probe(self) -> None:
        every = self.runtime.options.probe_every
        replies = sum(1 for t in self.conversation.turns if t.role == "assistant" and t.swipe.source == "model")
        if every and replies and replies % every == 0 and self.conversation.persona.probes:
            self.action_probes()

    def action_probes(self) -> None:
        if not self.ready or self.runtime.scorer is None:
            self.notify("Probes need the model and the scorer.", severity="warning")
            return
        turn = len(self.conversation.turns) - 1
        self.panel.show_probes(turn, [], pending=True)
        self._probe_worker(turn, self.conversation.history())

    @work(thread=True, exclusive=True, group="probes")
    def _probe_worker(self, turn: int, history: list) -> None:
        try:
            results = self.runtime.probes(history)
        except Exception as exc:
            self.post_message(ProbesReady(turn, [], f"{type(exc).__name__}: {exc}"))
            return
        self.post_message(ProbesReady(turn, results))

    @on(ProbesReady)
    def _probes_ready(self, message: ProbesReady) -> None:
        self.probe_results, self.probe_turn = message.results, message.turn
        self.panel.show_probes(message.turn, message.results, error=message.error)
        if self.runtime.recorder is not None and message.results and not message.error:
            with self.runtime._record_lock:
                self.runtime.recorder.probe(message.turn, message.results)

    # ---------------------------------------------------------------- swipes
    @on(ChatInput.Swipe)
    async def _swipe(self, message: ChatInput.Swipe) -> None:
        await self.swipe(message.direction)

    async def swipe(self, direction: int) -> None:
        """←/→ on the last assistant message; → past the last alternative generates a new one."""
        if self.generating is not None or not self.conversation.turns:
            return
        last = len(self.conversation.turns) - 1
        turn = self.conversation.turns[last]
        if turn.role != "assistant":
            return
        target = turn.swipe_id + direction
        if target < 0:
            return
        if target < len(turn.swipes):
            self.conversation.select_swipe(last, target)
            self.runtime.sync()
            await self._show_swipe(last)
            return
        if turn.swipe.source == "greeting":
            return  # greetings swipe among the persona's alternate greetings only
        if self.ready:
            await self._generate(last, new_turn=False)

    def action_regenerate(self) -> None:
        """A new alternative of the last reply (or the missing reply to the last message)."""
        if self.generating is not None or not self.ready or not self.conversation.turns:
            return
        last = len(self.conversation.turns) - 1
        turn = self.conversation.turns[last]
        if turn.role == "user":
            self.run_worker(self._generate(last + 1, new_turn=True))
        elif turn.swipe.source != "greeting":
            self.run_worker(self._generate(last, new_turn=False))

    async def _show_swipe(self, i: int) -> None:
        turn = self.conversation.turns[i]
        widget = self.message_widget(i)
        if widget is not None:
            await widget.show(
                turn.text,
                swipe_id=turn.swipe_id,
                n_swipes=len(turn.swipes),
                scores=turn.swipe.scores or self.quick_scores.get((i, turn.swipe_id)),
                label=turn.label,
                note=turn.note,
                status=("refining…" if (i, turn.swipe_id) in self.quick_scores else "scoring…") if (i, turn.swipe_id) in self.scoring else "",
                finish_reason=turn.swipe.finish_reason,
            )
        self._refresh_panel()

    # ------------------------------------------------------------- selection
    @on(ChatInput.Select)
    def _select_move(self, message: ChatInput.Select) -> None:
        assistants = [i for i, t in enumerate(self.conversation.turns) if t.role == "assistant"]
        if not assistants:
            return
        current = self.selected if self.selected is not None else assistants[-1]
        pos = assistants.index(current) if current in assistants else len(assistants) - 1
        pos = max(0, min(len(assistants) - 1, pos + message.direction))
        self._select(None if pos == len(assistants) - 1 and message.direction > 0 and self.selected == assistants[-1] else assistants[pos])

    def _select(self, turn: int | None) -> None:
        for widget in self.chat_log.query(ChatMessage):
            widget.selected = turn is not None and widget.turn == turn
        self.selected = turn
        if turn is not None:
            widget = self.message_widget(turn)
            if widget is not None:
                self.chat_log.scroll_to_widget(widget, animate=False)
        self._refresh_panel()

    def shown_turn(self) -> int | None:
        """The assistant turn the panel and the label key act on."""
        if self.selected is not None:
            return self.selected
        return self.conversation.last_assistant

    def _refresh_panel(self) -> None:
        rows = [
            t.swipe.scores or self.quick_scores.get((i, t.swipe_id))
            for i, t in enumerate(self.conversation.turns)
            if t.role == "assistant" and t.swipe.source != "greeting"
        ]
        self.panel.show_history(rows)
        i = self.shown_turn()
        if i is None or i >= len(self.conversation.turns):
            self.panel.show_turn(None, 0, 1, None, pending=False)
            return
        turn = self.conversation.turns[i]
        pending = (i, turn.swipe_id) in self.scoring
        scores = turn.swipe.scores or self.quick_scores.get((i, turn.swipe_id))
        self.panel.show_turn(i, turn.swipe_id, len(turn.swipes), scores, pending=pending)

    def _update_context(self) -> None:
        try:
            self.status.context = self.runtime.context_usage()
        except Exception:  # the footer is informative only
            pass

    # -------------------------------------------------------------- annotate
    def action_annotate(self) -> None:
        i = self.shown_turn()
        if i is None:
            self.notify("No reply to label yet.")
            return
        turn = self.conversation.turns[i]
        excerpt = " ".join(turn.text.split())[:40]

        def done(result: Annotation | None) -> None:
            if result is None:
                return
            self.conversation.annotate(i, result.label, result.note)
            self.runtime.sync()
            widget = self.message_widget(i)
            if widget is not None:
                widget.set_label(result.label, result.note)

        self.app.push_screen(AnnotateScreen(i, excerpt, turn.label, turn.note), done)

    # --------------------------------------------------------- superposition
    def action_superposition(self) -> None:
        if not self.ready or self.generating is not None:
            self.notify("Wait for the model (or Esc the running reply) first.", severity="warning")
            return
        if not self.conversation.turns:
            return
        last = len(self.conversation.turns) - 1
        if self.conversation.turns[last].role == "user":
            turn = last + 1
        elif self.conversation.turns[last].swipe.source == "greeting":
            self.notify("Send a message first: the greeting is authored, not sampled.")
            return
        else:
            turn = last
        messages = self.runtime.context(upto=turn)
        history = self.conversation.history(upto=turn)
        screen = SuperpositionScreen(self.runtime, turn, messages, history, self.runtime.options.superposition_n)
        self.app.push_screen(screen, self._superposition_done)

    async def _superposition_done(self, result: SuperpositionResult | None) -> None:
        if result is None or not result.swipes:
            return
        turn = result.turn
        if turn == len(self.conversation.turns):
            self.conversation.add_assistant(result.swipes[0])
            for swipe in result.swipes[1:]:
                self.conversation.add_swipe(turn, swipe, select=False)
            await self.chat_log.mount(self._widget_for(turn))
            keep, offset = 0, 0
        else:
            keep = self.conversation.turns[turn].swipe_id
            offset = len(self.conversation.turns[turn].swipes)
            for swipe in result.swipes:
                self.conversation.add_swipe(turn, swipe, select=False)
        self.conversation.select_swipe(turn, keep if result.chosen is None else offset + result.chosen)
        self.runtime.sync()
        await self._show_swipe(turn)
        kept = len(result.swipes)
        self.notify(f"{kept} alternatives kept as swipes" + ("" if result.chosen is None else f"; continuing with #{result.chosen + 1}"))
        for k, swipe in enumerate(self.conversation.turns[turn].swipes):
            if swipe.scores is None and swipe.source == "model":
                self._start_scoring(turn, k)

    # -------------------------------------------------------------- shutdown
    def stop_everything(self) -> None:
        if self.cancel_token is not None:
            self.cancel_token.cancel()
