"""The persona lab: drift curves, instability and resistance, measured headless.

``drifttui lab`` plays a grid of personas × conditioning variants × seeds
against a scripted (or simulated) user, scores every reply, draws N
alternatives at sampled turns, asks a log-likelihood personality
questionnaire, and writes session files, ``results.json`` and ``report.html``.
See docs/lab.md.

>>> from drifttui.lab import LabConfig, run_lab
>>> results = run_lab(LabConfig(turns=4), "lab-out")  # doctest: +SKIP
"""

from drifttui.lab.plan import DEFAULT_PERSONAS, HEADLINE, QUICK, VARIANTS, Cell, LabConfig, expand
from drifttui.lab.runner import LabRunner, prepare_out
from drifttui.lab.write import rebuild, run_lab, write_outputs

__all__ = [
    "Cell",
    "DEFAULT_PERSONAS",
    "HEADLINE",
    "LabConfig",
    "LabRunner",
    "QUICK",
    "VARIANTS",
    "expand",
    "prepare_out",
    "rebuild",
    "run_lab",
    "write_outputs",
]
