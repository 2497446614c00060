"""The drifttui Textual app: global keys, the command palette, switching chats."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from drifttui.conversation import Conversation
from drifttui.paths import config_dir, shown
from drifttui.runtime import ChatRuntime
from drifttui.tui._chat_screen import ChatScreen
from drifttui.tui.screens import HelpScreen, PersonaPicker, SessionPicker

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

RuntimeFactory = Callable[..., ChatRuntime]


class DriftCommands(Provider):
    """Command-palette entries for the main actions."""

    COMMANDS = [
        ("Superposition: sample N alternatives of this turn", "screen.superposition", "Compare alternatives side by side, with the dispersion ratio"),
        ("Label the selected reply", "screen.annotate", "in character / local / global / factual / other, plus a note"),
        ("Ask the persona's probes (forked)", "screen.probes", "Q&A consistency check that never enters the chat"),
        ("Regenerate the last reply", "screen.regenerate", "Adds a swipe"),
        ("New chat (same persona)", "app.new_chat", "Start over; the current session stays recorded"),
        ("Switch persona…", "app.pick_persona", "New chat with a persona from the library"),
        ("Open a recorded session…", "app.open_session", "Continue a recorded chat"),
        ("Help: every key binding", "app.help", "With ids for keymap.toml"),
        ("Quit", "app.quit", ""),
    ]

    async def discover(self) -> Hits:
        for name, action, help_text in self.COMMANDS:
            yield DiscoveryHit(name, self._runner(action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, help_text in self.COMMANDS:
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), self._runner(action), help=help_text)

    def _runner(self, action: str) -> Callable[[], Any]:
        async def run() -> None:
            await self.app.run_action(action, self.app.screen)

        return run


class DriftApp(App):
    """Chat under a persona, with live drift scores, swipes and the superposition view.

    Args:
        runtime_factory: ``runtime_factory(conversation, recorder=None) -> ChatRuntime``.
        conversation: The chat to open with (new or resumed).
        recorder: A recorder continuing a resumed session, if any.
        sessions_dir: Where recorded sessions are listed from.
        notes: Lines shown in the drift panel at start (warnings).
    """

    TITLE = "drifttui"
    COMMANDS = App.COMMANDS | {DriftCommands}
    BINDINGS = [
        Binding("f1", "help", "Help", id="drifttui.help"),
        Binding("ctrl+n", "new_chat", "New", id="drifttui.new_chat"),
        Binding("ctrl+t", "pick_persona", "Persona", id="drifttui.pick_persona"),
        Binding("ctrl+o", "open_session", "Open", id="drifttui.open_session"),
        Binding("ctrl+q", "quit", "Quit", id="drifttui.quit", priority=True),
    ]

    def __init__(
        self,
        runtime_factory: RuntimeFactory,
        conversation: Conversation,
        *,
        recorder: Any = None,
        sessions_dir: Path | None = None,
        notes: list[str] | None = None,
        keymap_path: Path | None = None,
    ) -> None:
        super().__init__()
        self.runtime_factory = runtime_factory
        self._first = (conversation, recorder)
        self.sessions_dir = sessions_dir
        self.notes = notes or []
        self.keymap_path = keymap_path or config_dir() / "keymap.toml"

    def on_mount(self) -> None:
        self._load_keymap()
        conversation, recorder = self._first
        self.push_screen(ChatScreen(self.runtime_factory(conversation, recorder=recorder), notes=self.notes))

    def _load_keymap(self) -> None:
        """``keymap.toml``: ``"binding.id" = "key"`` lines remap bindings (Textual keymaps)."""
        try:
            data = tomllib.loads(self.keymap_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, tomllib.TOMLDecodeError) as exc:
            self.notes.append(f"{self.keymap_path}: ignored ({exc})")
            return
        self.set_keymap({str(k): str(v) for k, v in data.items() if isinstance(v, str)})

    @property
    def chat(self) -> ChatScreen | None:
        for screen in reversed(self.screen_stack):
            if isinstance(screen, ChatScreen):
                return screen
        return None

    # --------------------------------------------------------------- actions
    def action_help(self) -> None:
        rows: list[tuple[str, str, str | None]] = []
        seen = set()
        for source in (ChatScreen.BINDINGS, DriftApp.BINDINGS):
            for binding in source:
                if isinstance(binding, Binding) and binding.id not in seen:
                    seen.add(binding.id)
                    key = self._keymap.get(binding.id, binding.key) if binding.id else binding.key
                    rows.append((key, binding.description, binding.id))
        self.push_screen(HelpScreen(rows, shown(self.keymap_path)))

    async def _replace_chat(self, conversation: Conversation, recorder: Any = None) -> None:
        old = self.chat
        runtime = self.runtime_factory(conversation, recorder=recorder)
        if old is not None:
            old.stop_everything()
            old.runtime.close_recording()
        await self.switch_screen(ChatScreen(runtime))

    async def action_new_chat(self) -> None:
        current = self.chat
        if current is None:
            return
        await self._replace_chat(Conversation(current.conversation.persona, variant=current.conversation.variant))

    def action_pick_persona(self) -> None:
        async def picked(path: str | None) -> None:
            if path is None:
                return
            from drifttui.persona import load_persona

            try:
                persona = load_persona(path, warn=lambda _m: None)
            except Exception as exc:
                self.notify(str(exc), title="Cannot use that persona", severity="error")
                return
            await self._replace_chat(Conversation(persona))

        self.push_screen(PersonaPicker(), picked)

    def action_open_session(self) -> None:
        from drifttui.session import sessions_dir

        async def picked(path: str | None) -> None:
            if path is None:
                return
            await self.open_session(Path(path))

        self.push_screen(SessionPicker(self.sessions_dir or sessions_dir()), picked)

    async def open_session(self, path: Path) -> None:
        """Continue a recorded session (same persona; the model's hash must match the one running)."""
        from drifttui.session import continue_session, load_session
        from drifttui.filehash import model_sha256

        current = self.chat
        try:
            session = load_session(path)
            engine = current.runtime.engine if current is not None else None
            running = getattr(getattr(engine, "info", None), "model_path", None)
            recorded = getattr(session.header.model, "sha256", None)
            if running and recorded and Path(running).is_file() and model_sha256(Path(running)) != recorded:
                raise ValueError(
                    f"{path}: recorded with model sha256 {recorded[:12]}…, but this app runs {Path(running).name}; "
                    "restart with `drifttui --session FILE` to load its model"
                )
            recorder = continue_session(session, model_sha256=recorded)
        except Exception as exc:
            self.notify(str(exc), title="Cannot open that session", severity="error", timeout=20)
            return
        for warning in session.warnings:
            self.notify(str(warning), severity="warning")
        await self._replace_chat(session.conversation, recorder)

    async def action_quit(self) -> None:
        chat = self.chat
        if chat is not None:
            chat.stop_everything()
        self.exit()
