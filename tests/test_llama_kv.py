"""llama.cpp engine: a full KV cache evicts the stalest slot instead of failing."""

from __future__ import annotations

import numpy as np

from drifttui.engine import Message, SamplingParams
from drifttui.engine._llama import LlamaEngine


def _history(tag: str, n: int) -> list[Message]:
    out = [Message("system", f"You are {tag}, a dentist in Lisbon.")]
    for i in range(n):
        out += [Message("user", f"{tag} question {i}: how was the clinic today?"), Message("assistant", f"Fine. Teeth. Day {i}.")]
    return out + [Message("user", "And now?")]


def test_slots_share_a_small_cache_by_evicting_the_stalest(default_model_path):
    small = LlamaEngine(default_model_path, n_ctx=512, kv_cells=600, n_parallel=2, slots=("main", "plain", "score"))
    roomy = LlamaEngine(default_model_path, n_ctx=512, n_parallel=2, slots=("main", "plain", "score"))
    a, b, c = _history("Mara", 8), _history("Olive", 8), _history("Viktor", 8)
    assert small.count_tokens(a) > 250
    reply = "Mm. The usual: fillings, floss lectures and one brave child."
    results = []
    for engine in (small, roomy):
        values = [engine.logprobs(h, reply, slot=s).logprobs for h, s in ((a, "main"), (b, "plain"), (c, "score"), (a, "main"))]
        results.append(values)
    assert small.stats.get("evicted", 0) > 0
    assert roomy.stats.get("evicted", 0) == 0
    for got, want in zip(*results):
        # the same numbers up to float noise (cells sit elsewhere in the cache, so sums reorder)
        assert got.shape == want.shape
        assert np.corrcoef(got, want)[0, 1] > 0.99
        assert abs(float(got.mean() - want.mean())) < 0.1
    # generation still works after evictions, in every slot
    for h, s in ((a, "main"), (b, "plain")):
        assert small.stream(h, SamplingParams(max_tokens=8, seed=1), slot=s).result().n_tokens > 0
    small.close()
    roomy.close()
