"""Sentence embeddings (all-MiniLM-L6-v2) on CTranslate2 — no torch.

The bundled BERT weights (``model.safetensors``) are converted once, with
numpy, into a CTranslate2 int8 encoder cached under
``cache_dir()/converted/all-minilm-l6-v2-ct2-int8``. Encoding is
``tokenizers`` (truncate at 256 tokens) → ``ctranslate2.Encoder`` → mean
pooling over the attention mask → L2 normalisation, as sentence-transformers
does for this model.

:func:`load_embedder` never raises: it returns ``None`` and records why
(:func:`embedder_unavailable_reason`), so drift scoring can fall back to
lexical measures instead of failing.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

DIM = 384
MAX_TOKENS = 256
"""sentence-transformers' ``max_seq_length`` for all-MiniLM-L6-v2."""
CONVERTED_NAME = "all-minilm-l6-v2-ct2-int8"

Notice = Callable[[str], None]

_reason: str | None = None
_loaded: dict[tuple[str, int], Embedder] = {}
_load_lock = threading.Lock()


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def converted_dir() -> Path:
    """Where the converted embedder lives."""
    from drifttui.engine._convert import converted_root

    return converted_root() / CONVERTED_NAME


def source_dir() -> Path:
    """The fetched all-MiniLM-L6-v2 files (``drifttui model fetch``)."""
    from drifttui.assets import EMBEDDER

    return EMBEDDER.directory


def _source_id() -> str:
    from drifttui.assets import EMBEDDER

    return EMBEDDER.files["model.safetensors"]


def is_converted(target: Path | None = None) -> bool:
    """True if a finished conversion of the current weights is cached."""
    from drifttui.engine._convert import is_complete, read_marker

    path = target or converted_dir()
    if not is_complete(path):
        return False
    meta = read_marker(path) or {}
    return meta.get("source_sha256") == _source_id() and (path / "tokenizer.json").is_file()


def convert_embedder(
    source: Path | None = None,
    target: Path | None = None,
    *,
    force: bool = False,
    quantization: str = "int8",
    log: Notice = _stderr,
) -> Path:
    """Convert the BERT safetensors into a CTranslate2 int8 encoder (numpy only).

    The mapping is ``BertLoader`` from ``ctranslate2/converters/transformers.py``:
    word + token-type embeddings (merged by addition), absolute position
    embeddings, embedding layer norm, post-norm layers with fused QKV, GELU.

    Args:
        source: Directory with model.safetensors, config.json and tokenizer.json
            (default: the fetched asset).
        target: Output directory (default: :func:`converted_dir`).
        force: Convert again even if a finished conversion exists.
        quantization: CTranslate2 weight type (``float32`` for an exact copy, used by the tests).
        log: Progress lines.

    Returns:
        The converted model directory.
    """
    from safetensors.numpy import load_file

    from drifttui.engine._convert import save_converted
    from drifttui.errors import ModelError

    src = source or source_dir()
    out = target or converted_dir()
    if target is None and not force and is_converted(out):
        return out
    for name in ("model.safetensors", "config.json", "tokenizer.json"):
        if not (src / name).is_file():
            raise ModelError(f"the sentence embedder's {name} is missing (run `drifttui model fetch`)", path=src / name)
    from ctranslate2.specs import common_spec, transformer_spec

    started = time.perf_counter()
    log(f"converting the sentence embedder (all-MiniLM-L6-v2) to CTranslate2 {quantization} in {out} …")
    config = json.loads((src / "config.json").read_text(encoding="utf-8"))
    if config.get("model_type") != "bert" or config.get("position_embedding_type", "absolute") != "absolute":
        raise ModelError("not a BERT model with absolute positions", path=src / "config.json")
    activations = {"gelu": common_spec.Activation.GELU, "gelu_new": common_spec.Activation.GELUTanh, "relu": common_spec.Activation.RELU}
    if config.get("hidden_act") not in activations:
        raise ModelError(f"activation {config.get('hidden_act')!r} is not supported", path=src / "config.json")
    weights = load_file(str(src / "model.safetensors"))
    prefix = "bert." if "bert.embeddings.word_embeddings.weight" in weights else ""

    def w(name: str) -> np.ndarray:
        return np.ascontiguousarray(weights[prefix + name], dtype=np.float32)

    n_layers = int(config["num_hidden_layers"])
    encoder_spec = transformer_spec.TransformerEncoderSpec(
        n_layers,
        int(config["num_attention_heads"]),
        pre_norm=False,
        activation=activations[config["hidden_act"]],
        layernorm_embedding=True,
        num_source_embeddings=2,
        embeddings_merge=common_spec.EmbeddingsMerge.ADD,
    )
    spec = transformer_spec.TransformerEncoderModelSpec(encoder_spec, pooling_layer=False)
    enc = spec.encoder
    enc.scale_embeddings = False
    enc.embeddings[0].weight = w("embeddings.word_embeddings.weight")
    enc.embeddings[1].weight = w("embeddings.token_type_embeddings.weight")
    enc.position_encodings.encodings = w("embeddings.position_embeddings.weight")
    enc.layernorm_embedding.gamma = w("embeddings.LayerNorm.weight")
    enc.layernorm_embedding.beta = w("embeddings.LayerNorm.bias")
    for i, layer in enumerate(enc.layer):
        p = f"encoder.layer.{i}."
        att = layer.self_attention
        att.linear[0].weight = np.concatenate([w(p + f"attention.self.{n}.weight") for n in ("query", "key", "value")])
        att.linear[0].bias = np.concatenate([w(p + f"attention.self.{n}.bias") for n in ("query", "key", "value")])
        att.linear[1].weight = w(p + "attention.output.dense.weight")
        att.linear[1].bias = w(p + "attention.output.dense.bias")
        att.layer_norm.gamma = w(p + "attention.output.LayerNorm.weight")
        att.layer_norm.beta = w(p + "attention.output.LayerNorm.bias")
        layer.ffn.linear_0.weight = w(p + "intermediate.dense.weight")
        layer.ffn.linear_0.bias = w(p + "intermediate.dense.bias")
        layer.ffn.linear_1.weight = w(p + "output.dense.weight")
        layer.ffn.linear_1.bias = w(p + "output.dense.bias")
        layer.ffn.layer_norm.gamma = w(p + "output.LayerNorm.weight")
        layer.ffn.layer_norm.beta = w(p + "output.LayerNorm.bias")
    tok = json.loads((src / "tokenizer.json").read_text(encoding="utf-8"))
    vocab = [t for t, _ in sorted(tok["model"]["vocab"].items(), key=lambda item: item[1])]
    vocab += [f"<extra_id_{i}>" for i in range(int(config["vocab_size"]) - len(vocab))]
    spec.register_vocabulary(vocab)
    spec.config.unk_token = tok["model"].get("unk_token", "[UNK]")
    spec.config.layer_norm_epsilon = float(config.get("layer_norm_eps", 1e-12))
    spec.register_file(str(src / "tokenizer.json"))
    meta = {"source": str(src), "source_sha256": _source_id(), "model": "all-MiniLM-L6-v2", "dim": int(config["hidden_size"])}
    save_converted(spec, out, meta, quantization=quantization, log=log)
    log(f"  sentence embedder ready ({time.perf_counter() - started:.1f} s)")
    return out


class Embedder:
    """all-MiniLM-L6-v2 sentence embeddings on a CTranslate2 int8 encoder.

    Args:
        model_dir: The converted model directory (holds tokenizer.json too).
        threads: CPU threads for the encoder (default 1: leave the cores to the chat model).
        batch_size: Texts encoded per forward call.
        cache_size: Texts remembered (LRU); repeated texts are not encoded again.
        max_tokens: Truncation length in tokens, [CLS] and [SEP] included.
        compute_type: CTranslate2 compute type: ``int8`` (default; cosine ≥ 0.99 to
            float32, about twice as fast as ``float32``).
    """

    dim = DIM

    def __init__(
        self,
        model_dir: str | Path,
        *,
        threads: int = 1,
        batch_size: int = 32,
        cache_size: int = 4096,
        max_tokens: int = MAX_TOKENS,
        compute_type: str = "int8",
    ) -> None:
        import ctranslate2
        from tokenizers import Tokenizer

        self.model_dir = Path(model_dir)
        self.threads = max(1, int(threads))
        self.batch_size = max(1, int(batch_size))
        self.cache_size = max(0, int(cache_size))
        self._tokenizer = Tokenizer.from_file(str(self.model_dir / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=max_tokens)
        self._tokenizer.no_padding()
        self._encoder = ctranslate2.Encoder(
            str(self.model_dir), device="cpu", compute_type=compute_type, inter_threads=1, intra_threads=self.threads
        )
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.stats = {"encoded": 0, "cache_hits": 0}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``: an ``(n, 384)`` float32 array of unit-length rows (cached by text)."""
        texts = [t if isinstance(t, str) else str(t) for t in texts]
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        with self._lock:
            missing: list[str] = []
            for text in dict.fromkeys(texts):
                if text in self._cache:
                    self._cache.move_to_end(text)
                else:
                    missing.append(text)
            self.stats["cache_hits"] += len(texts) - len(missing)
            fresh = self._encode_uncached(missing) if missing else {}
            for text, vector in fresh.items():
                if self.cache_size:
                    self._cache[text] = vector
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
            for i, text in enumerate(texts):
                vector = fresh.get(text)
                out[i] = vector if vector is not None else self._cache[text]
        return out

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two texts."""
        va, vb = self.encode([a, b])
        return float(va @ vb)

    def _encode_uncached(self, texts: list[str]) -> dict[str, np.ndarray]:
        encodings = self._tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))  # similar lengths share a batch
        result: dict[str, np.ndarray] = {}
        for start in range(0, len(order), self.batch_size):
            chunk = order[start : start + self.batch_size]
            ids = [encodings[i].ids for i in chunk]
            types = [[0] * len(x) for x in ids]
            output = self._encoder.forward_batch(ids, token_type_ids=types)
            hidden = np.asarray(output.last_hidden_state, dtype=np.float32)  # (batch, max_len, dim)
            lengths = np.array([len(x) for x in ids])
            mask = (np.arange(hidden.shape[1])[None, :] < lengths[:, None]).astype(np.float32)
            pooled = (hidden * mask[:, :, None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
            pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            for row, i in enumerate(chunk):
                result[texts[i]] = pooled[row].astype(np.float32, copy=True)
        self.stats["encoded"] += len(texts)
        return result


def embedder_unavailable_reason() -> str | None:
    """Why the last :func:`load_embedder` returned None (None if it succeeded or was not called)."""
    return _reason


def load_embedder(
    *,
    threads: int = 1,
    convert: bool = True,
    notice: Notice | None = _stderr,
    **options: Any,
) -> Embedder | None:
    """The sentence embedder, or None (see :func:`embedder_unavailable_reason`). Never raises.

    Converts the model on first use (one notice line, a few seconds) unless
    ``convert=False``. Loaded embedders are shared per thread count.

    Args:
        threads: CPU threads for the encoder.
        convert: Convert the fetched weights if no converted model is cached.
        notice: Receives the one-line conversion notice (None: silent).
        **options: Passed to :class:`Embedder` (batch_size, cache_size, max_tokens, compute_type).
    """
    global _reason
    try:
        with _load_lock:
            target = converted_dir()
            key = (str(target), int(threads))
            if key in _loaded and not options:
                _reason = None
                return _loaded[key]
            if not is_converted(target):
                from drifttui.assets import EMBEDDER

                if not EMBEDDER.is_present():
                    _reason = f"the sentence embedder is not fetched ({EMBEDDER.directory}); run `drifttui model fetch`"
                    return None
                if not convert:
                    _reason = "the sentence embedder is not converted yet; run `drifttui model convert --embedder`"
                    return None
                if notice is not None:
                    notice("drifttui: converting the sentence embedder for CTranslate2 (once, a few seconds) …")
                convert_embedder(target=target, force=True, log=lambda _line: None)
            embedder = Embedder(target, threads=threads, **options)
            if not options:
                _loaded[key] = embedder
            _reason = None
            return embedder
    except Exception as exc:  # the scorer must keep working without embeddings
        _reason = f"the sentence embedder could not be loaded: {type(exc).__name__}: {exc}".splitlines()[0]
        return None
