"""Screens pushed over the chat."""

from drifttui.tui.screens._annotate import Annotation, AnnotateScreen
from drifttui.tui.screens._help import HelpScreen
from drifttui.tui.screens._pickers import PersonaPicker, SessionPicker
from drifttui.tui.screens._superposition import SuperpositionResult, SuperpositionScreen

__all__ = [
    "AnnotateScreen",
    "Annotation",
    "HelpScreen",
    "PersonaPicker",
    "SessionPicker",
    "SuperpositionResult",
    "SuperpositionScreen",
]
