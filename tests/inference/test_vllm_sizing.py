"""KV-cache prediction from a serve block, held against what vLLM 0.23 reported on an H200."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from inference.routing import load_routing
from inference.vllm import ServeSpec, services
from inference.vllm_sizing import KvLayout, predict_kv

REPO = Path(__file__).resolve().parents[2]
# SmolLM2-135M: 30 layers, 3 KV heads of 64.
SMOLLM2 = KvLayout(layers=30, kv_heads=3, head_dim=64)


def _spec(**over: object) -> ServeSpec:
    base: dict[str, object] = {
        "gpu": "H200 141GB", "gpu_memory_gb": 141, "params_b": 0.135, "weight_dtype": "fp16",
        "max_model_len": 4096, "gpu_memory_utilization": 0.2,
    }  # fmt: skip
    return ServeSpec.model_validate({**base, **over})


def test_bytes_per_token_is_k_and_v_of_every_layer() -> None:
    assert predict_kv(_spec(), SMOLLM2).bytes_per_token == 2 * 30 * 3 * 64 * 2


def test_budget_minus_weights_buys_the_tokens() -> None:
    got = predict_kv(_spec(), SMOLLM2)
    assert got.budget_gb == pytest.approx(28.2)
    assert got.kv_gb == pytest.approx(28.2 - 0.27)
    assert got.tokens == int(27.93e9 // 23040)
    assert got.max_concurrency == pytest.approx(got.tokens / 4096, abs=0.01)


def test_tensor_parallel_splits_heads_and_weights_fp8_halves_tokens_cost() -> None:
    big = _spec(params_b=32.8, weight_dtype="bf16", gpu_memory_gb=80, tensor_parallel_size=2,
                gpu_memory_utilization=0.9)  # fmt: skip
    layout = KvLayout(layers=64, kv_heads=8, head_dim=128)
    tp2 = predict_kv(big, layout)
    assert tp2.weights_gb == pytest.approx(32.8)
    assert tp2.bytes_per_token == 2 * 64 * 4 * 128 * 2
    fp8 = predict_kv(big.model_copy(update={"kv_cache_dtype": "fp8"}), layout)
    assert fp8.bytes_per_token * 2 == tp2.bytes_per_token


def test_weights_over_budget_leave_no_cache() -> None:
    got = predict_kv(_spec(params_b=100, gpu_memory_utilization=0.2), SMOLLM2)
    assert got.kv_gb == 0 and got.tokens == 0


def test_gpu_profile_prediction_is_within_ten_percent_of_the_measured_run() -> None:
    # Recorded on the lent H200 (benchmarks/results/vllm-gpu-smoke/run2): the serve block's
    # 141 "GB" understate the card's 143,771 MiB, so vLLM finds ~4% more than predicted.
    spec = services(load_routing("gpu").model_list)[0].spec
    run = json.loads((REPO / "benchmarks/results/vllm-gpu-smoke/run2/gpu-smoke.json").read_text())
    reported = run["kv"]["reported"]["kv_cache_tokens"]
    predicted = predict_kv(spec, SMOLLM2).tokens
    assert 0.9 < reported / predicted < 1.1
