"""The CTranslate2 sentence embedder against a pure-numpy float32 BERT (no torch anywhere)."""

from __future__ import annotations

import json
import math
import time

import numpy as np
import pytest

from drifttui.drift import embed

SENTENCES = [
    "A man is playing a guitar on the street.",
    "Someone strums a guitar outdoors.",
    "The central bank raised interest rates again this quarter.",
    "I am Mara, a dentist in Lisbon, and my grey cat Olive judges everyone.",
    "Hi!",
    "Honestly? I'd rather be reading than talking to strangers at a party, but here we are.",
]


def _need_asset():
    from drifttui.assets import EMBEDDER

    if not EMBEDDER.is_present():
        pytest.fail("the sentence embedder is not fetched: run `drifttui model fetch`")
    return EMBEDDER.directory


@pytest.fixture(scope="module")
def embedder():
    _need_asset()
    model = embed.load_embedder(threads=1)
    assert model is not None, embed.embedder_unavailable_reason()
    return model


# ------------------------------------------------------------ numpy reference
_erf = np.frompyfunc(math.erf, 1, 1)


def _layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def _gelu(x: np.ndarray) -> np.ndarray:
    return (0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)).astype(np.float64))).astype(np.float32)


def numpy_bert_embed(texts: list[str]) -> np.ndarray:
    """Reference all-MiniLM-L6-v2: float32 BERT forward + mean pooling + L2 norm, one text at a time."""
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    src = _need_asset()
    cfg = json.loads((src / "config.json").read_text())
    w = load_file(str(src / "model.safetensors"))
    tok = Tokenizer.from_file(str(src / "tokenizer.json"))
    tok.enable_truncation(max_length=256)
    tok.no_padding()
    n_head = cfg["num_attention_heads"]
    eps = cfg["layer_norm_eps"]
    out = []
    for text in texts:
        ids = tok.encode(text).ids
        n = len(ids)
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:n]
        x = x + w["embeddings.token_type_embeddings.weight"][0]
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], eps)
        for i in range(cfg["num_hidden_layers"]):
            p = f"encoder.layer.{i}."

            def lin(name: str, v: np.ndarray, p: str = p) -> np.ndarray:
                return v @ w[p + name + ".weight"].T + w[p + name + ".bias"]

            d = x.shape[1] // n_head
            q = lin("attention.self.query", x).reshape(n, n_head, d).transpose(1, 0, 2)
            k = lin("attention.self.key", x).reshape(n, n_head, d).transpose(1, 0, 2)
            v = lin("attention.self.value", x).reshape(n, n_head, d).transpose(1, 0, 2)
            scores = q @ k.transpose(0, 2, 1) / math.sqrt(d)
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            ctx = (scores @ v).transpose(1, 0, 2).reshape(n, -1)
            att = lin("attention.output.dense", ctx)
            x = _layer_norm(x + att, w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], eps)
            h = _gelu(lin("intermediate.dense", x))
            x = _layer_norm(x + lin("output.dense", h), w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], eps)
        pooled = x.mean(0)
        out.append(pooled / np.linalg.norm(pooled))
    return np.stack(out).astype(np.float32)


# ------------------------------------------------------------------- tests
def test_ct2_int8_matches_numpy_float32_reference(embedder):
    ours = embedder.encode(SENTENCES)
    ref = numpy_bert_embed(SENTENCES)
    cosines = (ours * ref).sum(axis=1)
    assert cosines.min() >= 0.99, f"cosine vs numpy reference: {np.round(cosines, 4)}"


def test_the_weight_mapping_is_exact_in_float32(tmp_path):
    """Converted without quantization, the CTranslate2 encoder reproduces the numpy BERT (the mapping is right)."""
    out = embed.convert_embedder(target=tmp_path / "f32", quantization="float32", log=lambda _line: None)
    exact = embed.Embedder(out, compute_type="float32", cache_size=0).encode(SENTENCES[:3])
    cosines = (exact * numpy_bert_embed(SENTENCES[:3])).sum(axis=1)
    assert cosines.min() > 0.9999, cosines


def test_shape_dtype_and_unit_rows(embedder):
    vectors = embedder.encode(SENTENCES)
    assert vectors.shape == (len(SENTENCES), 384)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert embedder.encode([]).shape == (0, 384)
    assert np.isfinite(embedder.encode([""])).all()


def test_paraphrases_are_closer_than_unrelated_sentences(embedder):
    v = embedder.encode(SENTENCES[:3])
    paraphrase = float(v[0] @ v[1])
    unrelated = float(v[0] @ v[2])
    assert paraphrase > unrelated + 0.3, (paraphrase, unrelated)
    assert embedder.similarity("The cat sleeps on the sofa.", "A kitten naps on the couch.") > embedder.similarity(
        "The cat sleeps on the sofa.", "Quarterly earnings beat expectations."
    )


def test_batching_and_cache_do_not_change_results(embedder):
    one_by_one = np.stack([embed.Embedder(embedder.model_dir, cache_size=0).encode([s])[0] for s in SENTENCES[:3]])
    batched = embed.Embedder(embedder.model_dir, cache_size=0, batch_size=8).encode(SENTENCES[:3])
    assert np.allclose(one_by_one, batched, atol=2e-3)
    hits = embedder.stats["cache_hits"]
    again = embedder.encode(SENTENCES[:3] + SENTENCES[:1])
    assert embedder.stats["cache_hits"] >= hits + 4
    assert np.allclose(again[0], again[3])


def test_long_text_is_truncated_not_rejected(embedder):
    vector = embedder.encode(["word " * 2000])
    assert vector.shape == (1, 384) and np.isfinite(vector).all()


def test_missing_files_give_none_and_a_reason(tmp_path, monkeypatch):
    monkeypatch.setenv("DRIFTTUI_CACHE_DIR", str(tmp_path))
    embed._loaded.clear()
    try:
        assert embed.load_embedder(notice=None) is None
        reason = embed.embedder_unavailable_reason()
        assert reason and "drifttui model fetch" in reason
    finally:
        embed._loaded.clear()


def test_half_written_conversion_is_never_used(tmp_path, monkeypatch):
    from drifttui.engine._convert import is_complete, staging_dir

    target = tmp_path / "converted" / "x"
    with pytest.raises(RuntimeError):
        with staging_dir(target) as tmp:
            (tmp / "model.bin").write_bytes(b"partial")
            raise RuntimeError("interrupted")
    assert not target.exists()
    assert list(target.parent.iterdir()) == []
    target.mkdir()
    (target / "model.bin").write_bytes(b"no marker")
    assert not is_complete(target)


def test_conversion_to_a_fresh_directory(tmp_path):
    out = embed.convert_embedder(target=tmp_path / "emb", log=lambda _line: None)
    assert embed.is_converted(out)
    fresh = embed.Embedder(out).encode(SENTENCES[:2])
    assert fresh.shape == (2, 384)


def test_throughput_is_reported(embedder, capsys):
    texts = [f"{s} (variant {i})" for i in range(16) for s in SENTENCES]
    model = embed.Embedder(embedder.model_dir, threads=1, cache_size=0)
    model.encode(texts[:8])
    started = time.perf_counter()
    model.encode(texts)
    rate = len(texts) / (time.perf_counter() - started)
    with capsys.disabled():
        print(f"\n[embedder] {rate:.0f} sentences/s on 1 thread ({len(texts)} sentences, batch 32)")
    assert rate > 5
