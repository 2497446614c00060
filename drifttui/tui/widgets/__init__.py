"""The widgets the chat screen composes."""

from drifttui.tui.widgets._chat_input import ChatInput
from drifttui.tui.widgets._drift_panel import DriftPanel
from drifttui.tui.widgets._gauge import ScoreGauge, level, sparkline
from drifttui.tui.widgets._message import ChatMessage
from drifttui.tui.widgets._status import StatusBar

__all__ = ["ChatInput", "ChatMessage", "DriftPanel", "ScoreGauge", "StatusBar", "level", "sparkline"]
