"""Model conversion to CTranslate2, with numpy only (no torch, no model hub).

Two converters live here:

* :func:`convert_gguf`: a llama-architecture GGUF chat model → a CTranslate2
  decoder (``TransformerDecoderModelSpec``, int8). Tensors are read and
  dequantized with the ``gguf`` package; the rotary Q/K row permutation that
  ``convert_hf_to_gguf.py`` applies is undone; the layer mapping follows
  ``ctranslate2/converters/transformers.py`` (``LlamaLoader``).
* The sentence embedder's conversion (BERT safetensors → encoder) is in
  :mod:`drifttui.drift.embed`; it shares :func:`save_converted` from here.

Every converted model is written to a temporary directory next to its final
place and renamed into place only when complete, with a marker file written
last; a directory without the marker is never used.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from drifttui.errors import ModelError
from drifttui.filehash import file_sha256
from drifttui.paths import cache_dir

MARKER = "drifttui-convert.json"
"""Written last into a converted model directory: its presence means the conversion completed."""

CONVERTER_VERSION = 1
"""Bump when the conversion changes so stale converted models are rebuilt."""

QUANTIZATION = "int8"

SUPPORTED_ARCHITECTURES = ("llama",)
"""GGUF ``general.architecture`` values this converter maps (the llama family: Llama, SmolLM, TinyLlama, …)."""

Log = Callable[[str], None]


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def converted_root() -> Path:
    """Where converted models are cached: ``cache_dir()/converted``."""
    return cache_dir() / "converted"


# ------------------------------------------------------------------ publishing
def read_marker(path: Path) -> dict[str, Any] | None:
    """The completion marker of a converted model directory, or None if it is incomplete."""
    try:
        meta = json.loads((path / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or not (path / "model.bin").is_file():
        return None
    return meta


def is_complete(path: Path, *, version: int = CONVERTER_VERSION) -> bool:
    """True if ``path`` holds a finished conversion made by this converter version."""
    meta = read_marker(path)
    return meta is not None and meta.get("converter_version") == version


@contextmanager
def staging_dir(target: Path) -> Iterator[Path]:
    """A temporary directory beside ``target``; renamed to ``target`` if the block succeeds.

    A failed or interrupted conversion leaves nothing at ``target`` (the
    temporary directory is removed). If another process published ``target``
    first, its result is kept and this one discarded.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes it private; the cache is an ordinary directory
    try:
        yield tmp
        _publish(tmp, target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _publish(tmp: Path, target: Path) -> None:
    old: Path | None = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".old", dir=target.parent))
        os.rmdir(old)
        os.rename(target, old)
    try:
        os.rename(tmp, target)
    except OSError:
        if not is_complete(target):  # pragma: no cover - a race with another converter
            raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def save_converted(spec: Any, target: Path, meta: dict[str, Any], *, quantization: str = QUANTIZATION, log: Log = _stderr) -> Path:
    """Validate, quantize and save a ``ctranslate2.specs`` model spec to ``target`` atomically.

    Args:
        spec: A filled ``ctranslate2.specs.ModelSpec``.
        target: Final directory of the converted model.
        meta: What the model was converted from (written into the marker file).
        quantization: CTranslate2 weight type.
        log: Progress lines.
    """
    spec.validate()
    log(f"  quantizing to {quantization} …")
    spec.optimize(quantization=quantization)
    with staging_dir(target) as tmp:
        log(f"  writing {target.name} …")
        spec.save(str(tmp))
        marker = {**meta, "converter_version": CONVERTER_VERSION, "quantization": quantization, "created": time.time()}
        (tmp / MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
    return target


# ------------------------------------------------------------------ GGUF → CT2
def gguf_digest(path: Path) -> str:
    """sha256 of the GGUF file (the converted model's cache key; :func:`drifttui.filehash.file_sha256` remembers it)."""
    return file_sha256(path)


def converted_path(gguf_path: str | Path) -> Path:
    """Where the CTranslate2 conversion of ``gguf_path`` is cached (``<sha256[:16]>-ct2-int8``)."""
    return converted_root() / f"{gguf_digest(Path(gguf_path))[:16]}-ct2-{QUANTIZATION}"


@dataclass(frozen=True)
class LlamaHParams:
    """The hyper-parameters of a llama-family GGUF that the CTranslate2 spec needs."""

    architecture: str
    n_layers: int
    n_embd: int
    n_ff: int
    n_head: int
    n_head_kv: int
    head_dim: int
    rope_dim: int
    rope_theta: float
    rms_eps: float
    n_vocab: int
    context_length: int
    rope_scaling: str | None
    rope_scaling_factor: float


def _field(reader: Any, key: str, default: Any = None) -> Any:
    field = reader.fields.get(key)
    if field is None:
        return default
    value = field.contents()
    return default if value is None else value


def _open_reader(path: Path) -> Any:
    from drifttui.engine._llama import check_gguf_file

    check_gguf_file(path)
    import gguf

    try:
        return gguf.GGUFReader(str(path), "r")
    except Exception as exc:  # gguf raises ValueError/struct.error/… on a damaged file
        raise ModelError(f"cannot read this GGUF file: {exc}", path=path) from None


def read_hparams(reader: Any, path: Path) -> LlamaHParams:
    """The llama hyper-parameters from GGUF metadata; :class:`ModelError` if the architecture is not supported."""
    arch = _field(reader, "general.architecture")
    if arch not in SUPPORTED_ARCHITECTURES:
        raise ModelError(
            f"architecture {arch!r} is not supported by the ct2 engine (supported: {', '.join(SUPPORTED_ARCHITECTURES)}); "
            "use --engine llama",
            path=path,
        )

    def need(key: str) -> Any:
        value = _field(reader, f"{arch}.{key}")
        if value is None:
            raise ModelError(f"GGUF metadata lacks {arch}.{key}", path=path)
        return value

    n_embd = int(need("embedding_length"))
    n_head = int(need("attention.head_count"))
    n_head_kv = int(_field(reader, f"{arch}.attention.head_count_kv", n_head))
    head_dim = int(_field(reader, f"{arch}.attention.key_length", n_embd // n_head))
    rope_dim = int(_field(reader, f"{arch}.rope.dimension_count", head_dim))
    if rope_dim != head_dim:
        raise ModelError(f"partial rotary embeddings (rope dimension {rope_dim} of {head_dim}) are not supported", path=path)
    tokens = reader.fields.get("tokenizer.ggml.tokens")
    n_vocab = int(_field(reader, f"{arch}.vocab_size", len(tokens.data) if tokens is not None else 0))
    scaling = _field(reader, f"{arch}.rope.scaling.type")
    if scaling not in (None, "none", "linear"):
        raise ModelError(f"rope scaling {scaling!r} is not supported by the ct2 engine", path=path)
    return LlamaHParams(
        architecture=arch,
        n_layers=int(need("block_count")),
        n_embd=n_embd,
        n_ff=int(need("feed_forward_length")),
        n_head=n_head,
        n_head_kv=n_head_kv,
        head_dim=head_dim,
        rope_dim=rope_dim,
        rope_theta=float(_field(reader, f"{arch}.rope.freq_base", 10000.0)),
        rms_eps=float(_field(reader, f"{arch}.attention.layer_norm_rms_epsilon", 1e-5)),
        n_vocab=n_vocab,
        context_length=int(_field(reader, f"{arch}.context_length", 2048)),
        rope_scaling=None if scaling in (None, "none") else scaling,
        rope_scaling_factor=float(_field(reader, f"{arch}.rope.scaling.factor", 1.0) or 1.0),
    )


def unpermute_rotary(weight: np.ndarray, n_head: int) -> np.ndarray:
    """Undo ``convert_hf_to_gguf.py``'s ``LlamaModel.permute`` of Q/K rows (back to the HF layout).

    GGUF stores the rows of each head interleaved (pairs ``(x0, x_half), (x1, x_half+1), …``)
    so llama.cpp can rotate adjacent pairs; Hugging Face (and CTranslate2 with
    ``rotary_interleave=False``) rotates the two halves of each head.
    ``permute`` is ``w.reshape(n_head, 2, d/2, cols).swapaxes(1, 2)``; this is its inverse.
    """
    rows, cols = weight.shape
    half = rows // n_head // 2
    return weight.reshape(n_head, half, 2, cols).swapaxes(1, 2).reshape(rows, cols)


def permute_rotary(weight: np.ndarray, n_head: int) -> np.ndarray:
    """``convert_hf_to_gguf.py``'s permutation (HF layout → GGUF layout); for tests."""
    rows, cols = weight.shape
    half = rows // n_head // 2
    return weight.reshape(n_head, 2, half, cols).swapaxes(1, 2).reshape(rows, cols)


def _can_dequantize(kind: Any) -> bool:
    from gguf import GGMLQuantizationType, quants

    return kind in (GGMLQuantizationType.F32, GGMLQuantizationType.F16) or kind in getattr(quants, "_type_traits", {})


def _dequantize(tensor: Any, path: Path) -> np.ndarray:
    """A GGUF tensor as float32 in the usual layout (rows = output features)."""
    from gguf import quants

    try:
        array = quants.dequantize(np.asarray(tensor.data), tensor.tensor_type)
    except NotImplementedError:
        raise ModelError(
            f"tensor {tensor.name} has type {tensor.tensor_type.name}, which the gguf package cannot dequantize", path=path
        ) from None
    shape = tuple(int(d) for d in reversed(tensor.shape.tolist()))  # GGUF lists dimensions fastest first
    array = array.astype(np.float32, copy=False).reshape(shape)
    if not array.flags.writeable or not array.flags.c_contiguous:  # F32/F16 tensors are views of the memory map
        array = np.array(array, dtype=np.float32, order="C", copy=True)
    return array


def _vocabulary(reader: Any, n_vocab: int) -> list[str]:
    """Unique token strings (CTranslate2 maps strings to ids); duplicates get a suffix."""
    field = reader.fields.get("tokenizer.ggml.tokens")
    if field is None:
        return [f"<tok_{i}>" for i in range(n_vocab)]
    tokens = field.contents()
    seen: set[str] = set()
    out = []
    for i, token in enumerate(tokens[:n_vocab]):
        if token in seen:
            token = f"{token}<dup_{i}>"
        seen.add(token)
        out.append(token)
    out += [f"<extra_id_{i}>" for i in range(n_vocab - len(out))]
    return out


def convert_gguf(
    gguf_path: str | Path,
    target: str | Path | None = None,
    *,
    force: bool = False,
    quantization: str = QUANTIZATION,
    log: Log = _stderr,
) -> Path:
    """Convert a llama-architecture GGUF into a CTranslate2 int8 decoder (once; cached).

    Args:
        gguf_path: The GGUF model file.
        target: Output directory (default: :func:`converted_path`).
        force: Convert again even if a finished conversion is cached.
        quantization: CTranslate2 weight type (``float32`` keeps the dequantized weights exactly; for tests).
        log: Receives progress lines.

    Returns:
        The converted model directory.

    Raises:
        ModelError: The file is not a GGUF, or its architecture or a tensor type is not supported.
    """
    from drifttui.engine._llama import check_gguf_file

    path = Path(gguf_path).expanduser()
    check_gguf_file(path)
    out = Path(target) if target is not None else converted_path(path)
    if is_complete(out) and not force:
        return out
    reader = _open_reader(path)
    hp = read_hparams(reader, path)
    from ctranslate2.specs import attention_spec, common_spec, transformer_spec

    tensors = {t.name: t for t in reader.tensors}
    for t in reader.tensors:
        if not _can_dequantize(t.tensor_type):
            raise ModelError(f"tensor {t.name} has quantization type {t.tensor_type.name}, which cannot be converted", path=path)
    required = ["token_embd.weight", "output_norm.weight"]
    for i in range(hp.n_layers):
        required += [
            f"blk.{i}.{n}.weight"
            for n in ("attn_norm", "attn_q", "attn_k", "attn_v", "attn_output", "ffn_norm", "ffn_gate", "ffn_up", "ffn_down")
        ]
    missing = [n for n in required if n not in tensors]
    if missing:
        raise ModelError(f"GGUF lacks tensor {missing[0]} (not a standard llama layout)", path=path)
    unknown = sorted(set(tensors) - set(required) - {"output.weight"})
    if "rope_freqs.weight" in unknown:
        raise ModelError("Llama-3.1-style rope scaling (tensor rope_freqs.weight) is not supported by the ct2 engine", path=path)
    if unknown:
        raise ModelError(f"tensor {unknown[0]} is not part of the llama layout the ct2 converter maps", path=path)

    started = time.perf_counter()
    log(f"converting {path.name} to CTranslate2 {quantization} ({hp.n_layers} layers, {hp.n_embd} dims) …")
    scaling_type = attention_spec.RotaryScalingType.Linear if hp.rope_scaling == "linear" else None
    spec = transformer_spec.TransformerDecoderModelSpec.from_config(
        hp.n_layers,
        hp.n_head,
        activation=common_spec.Activation.SWISH,
        pre_norm=True,
        ffn_glu=True,
        rms_norm=True,
        rotary_dim=0,
        rotary_interleave=False,
        rotary_scaling_type=scaling_type,
        rotary_scaling_factor=hp.rope_scaling_factor,
        rotary_base=hp.rope_theta,
        num_heads_kv=None if hp.n_head_kv == hp.n_head else hp.n_head_kv,
        head_dim=None if hp.head_dim * hp.n_head == hp.n_embd else hp.head_dim,
    )

    def get(name: str) -> np.ndarray:
        return _dequantize(tensors[name], path)

    decoder = spec.decoder
    decoder.scale_embeddings = False
    embeddings = get("token_embd.weight")
    if embeddings.shape[0] != hp.n_vocab:
        raise ModelError(f"token_embd has {embeddings.shape[0]} rows but the vocabulary has {hp.n_vocab} tokens", path=path)
    decoder.embeddings.weight = embeddings
    decoder.layer_norm.gamma = get("output_norm.weight")
    decoder.projection.weight = get("output.weight") if "output.weight" in tensors else embeddings
    for i, layer in enumerate(decoder.layer):
        p = f"blk.{i}."
        layer.self_attention.layer_norm.gamma = get(p + "attn_norm.weight")
        layer.ffn.layer_norm.gamma = get(p + "ffn_norm.weight")
        q = unpermute_rotary(get(p + "attn_q.weight"), hp.n_head)
        k = unpermute_rotary(get(p + "attn_k.weight"), hp.n_head_kv)
        v = get(p + "attn_v.weight")
        layer.self_attention.linear[0].weight = np.concatenate([q, k, v])
        layer.self_attention.linear[1].weight = get(p + "attn_output.weight")
        layer.ffn.linear_0.weight = get(p + "ffn_gate.weight")
        layer.ffn.linear_0_noact.weight = get(p + "ffn_up.weight")
        layer.ffn.linear_1.weight = get(p + "ffn_down.weight")
        if (i + 1) % max(1, hp.n_layers // 5) == 0 or i + 1 == hp.n_layers:
            log(f"  layer {i + 1}/{hp.n_layers} dequantized ({time.perf_counter() - started:.1f} s)")

    vocab = _vocabulary(reader, hp.n_vocab)
    spec.register_vocabulary(vocab)

    def token(key: str, fallback: str) -> str:
        idx = _field(reader, key)
        return vocab[int(idx)] if idx is not None and 0 <= int(idx) < len(vocab) else fallback

    spec.config.bos_token = token("tokenizer.ggml.bos_token_id", "<s>")
    spec.config.eos_token = token("tokenizer.ggml.eos_token_id", "</s>")
    spec.config.unk_token = token("tokenizer.ggml.unknown_token_id", "")
    spec.config.layer_norm_epsilon = hp.rms_eps
    meta = {
        "source": str(path),
        "source_sha256": gguf_digest(path),
        "architecture": hp.architecture,
        "name": _field(reader, "general.name") or path.stem,
        "context_length": hp.context_length,
    }
    del reader, tensors
    save_converted(spec, out, meta, quantization=quantization, log=log)
    size = (out / "model.bin").stat().st_size / 1e6
    log(f"  done in {time.perf_counter() - started:.1f} s: {out} ({size:.0f} MB)")
    return out

