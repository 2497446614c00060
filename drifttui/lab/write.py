"""Writing a lab run's outputs: ``results.json`` and ``report.html`` (atomically, next to ``sessions/``)."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

from drifttui.errors import UserError
from drifttui.lab.plan import LabConfig


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(f"cannot write: {exc.strerror or exc}", path=path) from None


def _finite(value: Any) -> Any:
    """``value`` with every NaN or infinity replaced by None (strict JSON)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def write_outputs(results: dict[str, Any], out: str | Path) -> tuple[Path, Path]:
    """Write ``results.json`` and ``report.html`` into ``out``; returns their paths."""
    from drifttui.lab.report import to_html

    out = Path(out)
    results_path = out / "results.json"
    report_path = out / "report.html"
    _atomic_write(results_path, json.dumps(_finite(results), indent=1, ensure_ascii=False, allow_nan=False) + "\n")
    _atomic_write(report_path, to_html(results))
    return results_path, report_path


def run_lab(config: LabConfig, out: str | Path, **runner_options: Any) -> dict[str, Any]:
    """Run the whole lab into ``out`` (sessions, results.json, report.html) and return the results."""
    from drifttui.lab.runner import LabRunner, prepare_out

    config.validate()
    directory = prepare_out(Path(out))
    results = LabRunner(config, directory, **runner_options).run()
    write_outputs(results, directory)
    return results


def rebuild(out: str | Path) -> dict[str, Any]:
    """Redo the analysis from ``out/results.json`` (records and profiles) and rewrite it and ``report.html``."""
    from drifttui.lab.results import RESULTS_FORMAT, RESULTS_VERSION, derive

    path = Path(out) / "results.json"
    try:
        results = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UserError("no results.json here: not a lab output directory", path=Path(out)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read: {exc}", path=path) from None
    except json.JSONDecodeError as exc:
        raise UserError(f"invalid JSON: {exc.msg}", path=path, line=exc.lineno, col=exc.colno) from None
    if not isinstance(results, dict) or results.get("format") != RESULTS_FORMAT:
        raise UserError("not a drifttui lab results file", path=path)
    if int(results.get("version", 0)) > RESULTS_VERSION:
        raise UserError(f"written by a newer drifttui (results version {results.get('version')})", path=path)
    try:
        derive(results)
    except (KeyError, TypeError, ValueError) as exc:
        raise UserError(f"results file is incomplete or damaged ({type(exc).__name__}: {exc})", path=path) from None
    write_outputs(results, out)
    return results
