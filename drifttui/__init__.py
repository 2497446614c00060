"""drifttui: watch a local language model hold, or lose, a persona."""

__version__ = "0.1.0"
