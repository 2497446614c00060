"""SVG snapshots of the main screens (fake engine and scorer: deterministic).

Update after an intended visual change: ``pytest tests/test_tui_snapshots.py --snapshot-update``
and look at the report before committing.
"""

from __future__ import annotations

from pathlib import Path

from tests.test_tui import ready as _ready
from tests.test_tui import send
from tests.tui_helpers import make_app, wait_until


async def ready(pilot) -> None:
    """The app is ready, with a steady cursor: a blinking one is caught on or off by the timing of a loaded machine."""
    await _ready(pilot)
    from drifttui.tui.widgets._chat_input import ChatInput

    for box in pilot.app.screen.query(ChatInput):
        box.cursor_blink = False

REPLIES = [
    "Mm. Teeth all day, then Olive and a quiet evening. I am 34, if you must know.",
    "As an AI assistant, I'd be happy to help! Here are some tips!",
]


def _replies():
    it = iter(REPLIES * 10)
    return lambda messages, seed: next(it)


def test_chat_screen_with_drift_panel_80x24(snap_compare):
    app, _e, _s = make_app(_replies())

    async def run_before(pilot) -> None:
        await ready(pilot)
        await send(pilot, "How was your day?")
        await send(pilot, "Can you help me?")
        from drifttui.tui.widgets._chat_input import ChatInput

        pilot.app.screen.query_one(ChatInput).focus()  # where the user types next: fixed, not left to the timing of the last reply
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_superposition_view(snap_compare):
    app, _e, _s = make_app()

    async def run_before(pilot) -> None:
        await ready(pilot)
        await send(pilot, "Who are you?")
        await pilot.press("ctrl+g")
        await wait_until(pilot, lambda: getattr(pilot.app.screen, "running", True) is False)
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=(100, 30), run_before=run_before)


def test_annotate_dialog(snap_compare):
    app, _e, _s = make_app(_replies())

    async def run_before(pilot) -> None:
        await ready(pilot)
        await send(pilot, "Hi")
        await pilot.press("ctrl+l")
        await pilot.pause(0.2)
        await pilot.press("down", "down")
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_help_screen(snap_compare, monkeypatch):
    # the help names the keymap file: under the home directory on every machine, so the picture is the same
    monkeypatch.setenv("DRIFTTUI_CONFIG_DIR", str(Path.home() / ".config" / "drifttui"))
    app, _e, _s = make_app()

    async def run_before(pilot) -> None:
        await ready(pilot)
        await pilot.press("f1")
        await pilot.pause(0.2)

    assert snap_compare(app, terminal_size=(100, 36), run_before=run_before)
